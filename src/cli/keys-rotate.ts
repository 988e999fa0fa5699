import { existsSync } from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { openContext } from '../app.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { createMasterKeyFile, readMasterKeyFile } from '../crypto/master-key-file.ts';
import {
  findScope,
  type KeyStatus,
  keyStatus,
  type RotationProgress,
  type RotationResult,
  rewrapKeys,
  rotateKeys,
  scopeNames,
} from '../crypto/rotate.ts';
import type { CliHelpers } from './audit.ts';

const EXIT_USAGE = 2;

interface RotateFlags {
  scope?: string;
  status?: boolean;
  newKeys: boolean;
  rewrap?: boolean;
  newMasterKey?: string;
  batchSize: number;
}

function usageError(message: string): void {
  process.stderr.write(`gapura: ${message}\n`);
  process.exitCode = EXIT_USAGE;
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Progress on stderr: a bar per table on a terminal, otherwise a plain line per batch (at most
 * one a second, and always the last), so logs of a scheduled run still show it moving.
 */
function progressReporter(): { update(p: RotationProgress): void; stop(): void } {
  const tty = process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  let current = '';
  let started = 0;
  let lastLine = 0;
  return {
    update(p) {
      const label = p.pass > 1 ? `${p.table} (pass ${p.pass})` : p.table;
      if (label !== current) {
        bar?.stop();
        bar = undefined;
        current = label;
        started = Date.now();
        lastLine = 0;
        if (p.total === 0) return;
        if (tty) {
          bar = new SingleBar({
            stream: process.stderr,
            format: `re-encrypting ${label.padEnd(20)} [{bar}] {value}/{total} rows | ETA {eta_formatted}`,
            hideCursor: true,
          });
          bar.start(p.total, p.done);
          return;
        }
      }
      if (p.total === 0) return;
      if (bar) {
        bar.setTotal(p.total);
        bar.update(p.done);
        return;
      }
      const now = Date.now();
      if (p.done < p.total && now - lastLine < 1000 && p.done !== 0) return;
      lastLine = now;
      const elapsed = now - started;
      const eta = p.done > 0 ? seconds((elapsed / p.done) * (p.total - p.done)) : '?';
      const percent = Math.floor((100 * p.done) / p.total);
      process.stderr.write(`re-encrypting ${label}: ${p.done}/${p.total} rows (${percent}%), ETA ${eta}\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}

function printStatus(status: KeyStatus, names: Map<string, string>): void {
  const out: string[] = ['Ciphertexts under retired data keys, per table:'];
  const tables = new Map<string, { underRetired: number; ciphertexts: number }>();
  for (const c of status.columns) {
    const t = tables.get(c.table) ?? { underRetired: 0, ciphertexts: 0 };
    t.underRetired += c.underRetired;
    t.ciphertexts += c.ciphertexts;
    tables.set(c.table, t);
  }
  for (const [table, t] of tables)
    out.push(`  ${table.padEnd(20)} ${String(t.underRetired).padStart(8)} of ${t.ciphertexts}`);
  const total = [...tables.values()].reduce((n, t) => n + t.underRetired, 0);
  out.push(`  ${'total'.padEnd(20)} ${String(total).padStart(8)}`);
  if (status.retiredKeys.length === 0) out.push('No retired data keys.');
  else out.push('Retired data keys (kept for decryption; never deleted automatically):');
  for (const k of status.retiredKeys) {
    const scope = names.get(k.scope) ?? k.scope;
    const state =
      k.ciphertexts > 0
        ? `${k.ciphertexts} ciphertexts remain`
        : `no ciphertext left: can be destroyed${k.markedDestroyableAt ? ` (marked ${k.markedDestroyableAt})` : ''}`;
    out.push(`  ${k.id}  ${scope}, retired ${k.retiredAt}: ${state}`);
  }
  if (status.rotation)
    out.push(
      `A rotation started ${status.rotation.startedAt} is unfinished: run "gapura keys rotate" to continue it.`,
    );
  process.stdout.write(`${out.join('\n')}\n`);
}

function printResult(result: RotationResult, names: Map<string, string>): void {
  const out: string[] = [];
  if (result.resumed) out.push(`Continued the rotation started ${result.resumed.startedAt}.`);
  for (const [scope, id] of result.created) out.push(`New data key for ${names.get(scope) ?? scope}: ${id}`);
  out.push(`Re-encrypted ${result.reencrypted} ciphertexts under the active keys.`);
  if (result.concurrent > 0)
    out.push(`${result.concurrent} rows were changed by the running server meanwhile and kept as written.`);
  for (const u of result.unreadable)
    out.push(`Cannot decrypt ${u.table}.${u.column} of row ${u.id}: ${u.reason}`);
  if (result.remaining === 0) out.push('No ciphertext remains under a retired data key.');
  else
    out.push(
      `${result.remaining} ciphertexts remain under retired keys (a server still encrypting with an old key? it loads new keys on restart); run the command again to finish.`,
    );
  if (result.destroyable.length > 0)
    out.push(
      `Retired keys no ciphertext names any more (marked destroyable, not deleted): ${result.destroyable.join(', ')}`,
    );
  process.stdout.write(`${out.join('\n')}\n`);
  if (result.remaining > 0 || result.unreadable.length > 0) process.exitCode = 1;
}

function newMasterKey(file: string, isDemo: boolean): { key: KeyProvider; created: boolean } {
  if (existsSync(file)) return { key: readMasterKeyFile(file), created: false };
  return { key: createMasterKeyFile(file, isDemo), created: true };
}

async function rotateCommand(helpers: CliHelpers, flags: RotateFlags): Promise<void> {
  if (flags.rewrap && !flags.newMasterKey) return usageError('--rewrap needs --new-master-key FILE');
  if (flags.newMasterKey && !flags.rewrap) return usageError('--new-master-key is used only with --rewrap');
  if (!Number.isInteger(flags.batchSize) || flags.batchSize < 1 || flags.batchSize > 10_000)
    return usageError('--batch-size must be a whole number from 1 to 10000');
  const cfg = helpers.config();
  const opened = await openContext(cfg);
  const { db, keyring } = opened.ctx;
  try {
    const names = await scopeNames(db);
    let scopes: string[] | undefined;
    if (flags.scope !== undefined) {
      const scope = await findScope(db, flags.scope);
      if (!scope) return usageError(`no key scope "${flags.scope}": use "platform" or an agency slug`);
      scopes = [scope];
    }
    if (flags.status) return printStatus(await keyStatus(db), names);

    const progress = progressReporter();
    let result: RotationResult;
    try {
      result = await rotateKeys(db, keyring, {
        ...(scopes ? { scopes } : {}),
        newKeys: flags.newKeys,
        batchSize: flags.batchSize,
        onProgress: (p) => progress.update(p),
      });
    } finally {
      progress.stop();
    }
    printResult(result, names);

    if (flags.rewrap && flags.newMasterKey) {
      const file = path.resolve(flags.newMasterKey);
      if (cfg.keyProvider.kind === 'file' && file === path.resolve(cfg.masterKeyFile))
        return usageError('--new-master-key must be a new file, not GAPURA_MASTER_KEY_FILE');
      const next = newMasterKey(file, keyring.isDemo);
      if (next.created) process.stdout.write(`Created ${file} (mode 0600).\n`);
      const rewrap = await rewrapKeys(db, keyring, next.key);
      process.stdout.write(
        [
          `Re-wrapped ${rewrap.rewrapped} keys under ${file}${rewrap.already > 0 ? ` (${rewrap.already} already were)` : ''}.`,
          cfg.keyProvider.kind === 'file'
            ? `Now set GAPURA_MASTER_KEY_FILE=${file} and restart every Gapura process; keep the old file until they all run with the new one, then destroy it.`
            : `Now set GAPURA_KEY_PROVIDER=file and GAPURA_MASTER_KEY_FILE=${file} and restart every Gapura process; keep the old key until they all run with the new one.`,
          'API tokens, open sign-in forms and unused verification or recovery codes keep working: their secrets are stored with the keys and were re-wrapped with them.',
        ].join('\n') + '\n',
      );
    }
  } finally {
    await opened.handle.close();
  }
}

/** `gapura keys rotate`: new data keys, re-wrapping and re-encrypting in batches. */
export function registerKeyRotation(keys: Command, helpers: CliHelpers): void {
  keys
    .command('rotate')
    .description(
      'Create a new data key per scope (the old ones are retired, kept for decryption) and re-encrypt every ciphertext under it, in batches, while the server runs',
    )
    .option('--scope <scope>', '"platform" or an agency slug; default: every scope')
    .option('--status', 'only report how many ciphertexts remain under retired keys, per table')
    .option('--no-new-keys', 'create no keys; only re-encrypt what is still under retired keys')
    .option(
      '--rewrap',
      'afterwards, re-wrap every data key, stored secret and signing key under --new-master-key',
    )
    .option(
      '--new-master-key <file>',
      'the new master key file for --rewrap (created, mode 0600, if missing)',
    )
    .option('--batch-size <rows>', 'rows per transaction', (v) => Number(v), 500)
    .addHelpText(
      'after',
      [
        '',
        'Every batch is its own transaction and a row is written only if it is unchanged since it was read,',
        'so writes of the running server are never overwritten. After a crash, run the command again: it',
        'continues the unfinished rotation and skips values already under the active key (their key id says so).',
        '',
        'Blind-index keys (finding accounts by e-mail, phone or NIK; naming uploads) are NOT rotated: a new',
        'one would make every stored index unfindable.',
        '',
        'Running servers keep encrypting with the key they loaded until they restart; values they write',
        'meanwhile are picked up by the next run. Retired keys are never deleted: --status says which ones',
        'no ciphertext names any more.',
      ].join('\n'),
    )
    .action((flags: RotateFlags) => helpers.run(() => rotateCommand(helpers, flags)));
}
