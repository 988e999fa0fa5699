import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { fileApplication } from '../src/applications/service.ts';
import { verifyConsistency } from '../src/audit/merkle.ts';
import { AuditSequencer, signHeadNow } from '../src/audit/sequencer.ts';
import { consistencyProof } from '../src/audit/service.ts';
import { verifyLog } from '../src/audit/verify.ts';
import { localSource } from '../src/audit/verify-local.ts';
import { BackupError } from '../src/backup/errors.ts';
import { createBackup, restoreBackup } from '../src/backup/service.ts';
import { rowCounts, tableNames } from '../src/backup/store.ts';
import type { AppContext } from '../src/context.ts';
import { createMasterKeyFile } from '../src/crypto/master-key-file.ts';
import { openDatabase } from '../src/db/database.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
  testConfig,
} from './helpers/engines.ts';
import { ROOT } from './helpers/process.ts';

/** Tests that start the command several times (a few seconds each on a busy machine). */
const SPAWNS_TIMEOUT = 240_000;
const LOAD_TIMEOUT = 120_000;

/** Sign heads often, so heads are signed while the backup runs. */
const SOURCE_SETTINGS = { GAPURA_AUDIT_HEAD_EVERY_LEAVES: '3' };

async function fileOne(ctx: AppContext, citizen: Principal): Promise<void> {
  await fileApplication(ctx, citizen, 'akta-kelahiran', aktaKelahiranAnswers(), {
    consent: true,
    lang: 'id',
    idempotencyKey: randomBytes(8).toString('hex'),
  });
}

/**
 * Citizens filing applications through the service, two at a time, until stopped. A failed
 * filing stops the load and fails the test that waits for it.
 */
function startFiling(ctx: AppContext, citizen: Principal) {
  let stopped = false;
  let filed = 0;
  let failure: unknown;
  const loop = async () => {
    try {
      while (!stopped) {
        await fileOne(ctx, citizen);
        filed++;
        // SQLite calls never wait for I/O: without this the loop would starve every timer.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      failure ??= err;
      stopped = true;
    }
  };
  const loops = Promise.all([loop(), loop()]);
  const check = () => {
    if (failure !== undefined) throw failure;
  };
  return {
    async untilFiled(count: number) {
      while (filed < count) {
        check();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async stop() {
      stopped = true;
      await loops;
      check();
    },
  };
}

async function countApplications(ctx: AppContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `gapura ARGS` as a child process, without blocking this process (the load keeps running). */
function runCliAsync(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/gapura.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof BackupError) return err.message;
    throw err;
  }
  return 'no error';
}

describe.each(ENGINES)('backup and restore', (engine) => {
  let source: FreshDatabase;
  let opened: Opened;
  let citizen: Principal;
  let masterKey = '';
  const targets: FreshDatabase[] = [];
  const files = mkdtempSync(path.join(tmpdir(), 'gapura-backups-'));

  /** A new empty database, restored into with the source's master key. */
  async function target(): Promise<{ fresh: FreshDatabase; env: Record<string, string> }> {
    const fresh = await freshDatabase(engine);
    targets.push(fresh);
    return { fresh, env: { GAPURA_MASTER_KEY_FILE: masterKey } };
  }

  beforeAll(async () => {
    source = await freshDatabase(engine);
    opened = await openTestContext(source, SOURCE_SETTINGS);
    masterKey = opened.ctx.config.masterKeyFile;
    const email = (await seedDemo(opened.ctx)).find((a) => a.role === 'citizen')?.email ?? '';
    const userId = await findUserIdByEmail(opened.ctx, email);
    if (!userId) throw new Error('no demo citizen');
    citizen = { userId, kind: 'citizen', sessionId: null, grants: [] };
    // Two signed heads before any backup, so the restored log has earlier heads to match.
    for (let i = 0; i < 3; i++) await fileOne(opened.ctx, citizen);
    await signHeadNow(opened.ctx);
    await fileOne(opened.ctx, citizen);
    await signHeadNow(opened.ctx);
  }, LOAD_TIMEOUT);
  afterAll(async () => {
    await opened?.handle.close();
    await source?.cleanup();
    for (const fresh of targets) await fresh.cleanup();
    rmSync(files, { recursive: true, force: true });
  });

  it(
    onEngine(
      engine,
      'a backup taken while applications are filed restores every row, readable records and a verifiable audit log',
    ),
    async () => {
      const { ctx } = opened;
      const sequencer = new AuditSequencer(ctx, { intervalMs: 20 });
      sequencer.start();
      const load = startFiling(ctx, citizen);
      // The load is under way before the backup starts.
      await load.untilFiled(2);
      const atStart = await countApplications(ctx);
      const out = path.join(files, `${engine}-service.tar`);
      const { manifest } = await createBackup(ctx.config, out);
      const atEnd = await countApplications(ctx);
      await load.stop();
      await sequencer.stop();
      // The log grows past the backup: the source's next head must extend the restored tree.
      await fileOne(ctx, citizen);
      await signHeadNow(ctx);

      // The snapshot is one instant between the start and the end of the backup.
      const inBackup = manifest.tables.applications ?? -1;
      expect(inBackup).toBeGreaterThanOrEqual(atStart);
      expect(inBackup).toBeLessThanOrEqual(atEnd);
      expect(manifest.engine).toBe(engine);
      expect(manifest.migrations.length).toBeGreaterThan(0);
      expect(manifest.auditHead?.treeSize).toBeGreaterThan(0);
      // Attachments travel inside the database, and no key material but sealed keys is listed.
      expect(Object.keys(manifest.tables)).toContain('attachments');
      expect(manifest.sealedKeys.length).toBeGreaterThan(0);

      const { fresh, env } = await target();
      const restoredConfig = testConfig(fresh, env);
      const result = await restoreBackup(restoredConfig, out);
      expect(result.rows).toBe(Object.values(manifest.tables).reduce((a, b) => a + b, 0));

      // Counted independently, before any Gapura code opens the restored database.
      const raw = openDatabase({ databaseUrl: restoredConfig.databaseUrl, dataDir: restoredConfig.dataDir });
      try {
        expect(await rowCounts(raw.db, engine)).toEqual(manifest.tables);
      } finally {
        await raw.close();
      }

      const restored = await openTestContext(fresh, env);
      try {
        const r = restored.ctx;
        // Decrypted records equal the originals: application answers and a person's name.
        const sample = await r.db
          .selectFrom('applications')
          .select(['id', 'answers_enc'])
          .orderBy('id', 'desc')
          .limit(5)
          .execute();
        expect(sample.length).toBe(5);
        for (const row of sample) {
          const original = await ctx.db
            .selectFrom('applications')
            .select('answers_enc')
            .where('id', '=', row.id)
            .executeTakeFirstOrThrow();
          const context = `applications.answers:${row.id}`;
          const answers = await r.keyring.decrypt(row.answers_enc, context);
          expect(answers).toBe(await ctx.keyring.decrypt(original.answers_enc, context));
          expect(JSON.parse(answers)).toMatchObject({ anak_nama: 'Siti Aminah' });
        }
        const person = await r.db
          .selectFrom('users')
          .select('name_enc')
          .where('id', '=', citizen.userId)
          .executeTakeFirstOrThrow();
        const original = await ctx.db
          .selectFrom('users')
          .select('name_enc')
          .where('id', '=', citizen.userId)
          .executeTakeFirstOrThrow();
        const name = await r.keyring.decrypt(person.name_enc, 'users.name');
        expect(name).toBe(await ctx.keyring.decrypt(original.name_enc, 'users.name'));
        expect(name.length).toBeGreaterThan(0);

        // The audit log verifies, its heads are the ones the source published, and the source's
        // later head is consistent with the restored tree (the restore is a prefix of the log).
        const verified = await verifyLog(localSource(r.db));
        expect(verified.ok).toBe(true);
        const head = manifest.auditHead;
        if (!head) throw new Error('the manifest has no head');
        expect(verified.summary.latest?.treeSize).toBe(head.treeSize);
        const headsOf = (db: AppContext['db']) =>
          db
            .selectFrom('audit_heads')
            .selectAll()
            .where('tree_size', '<=', head.treeSize)
            .orderBy('tree_size')
            .execute();
        const restoredHeads = await headsOf(r.db);
        expect(restoredHeads.length).toBeGreaterThan(1);
        expect(restoredHeads).toEqual(await headsOf(ctx.db));
        const latest = await ctx.db
          .selectFrom('audit_heads')
          .selectAll()
          .orderBy('tree_size', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        expect(Number(latest.tree_size)).toBeGreaterThan(head.treeSize);
        const proof = await consistencyProof(ctx, head.treeSize, Number(latest.tree_size));
        expect(
          verifyConsistency(
            head.treeSize,
            Number(latest.tree_size),
            Buffer.from(head.rootHash, 'base64'),
            latest.root_hash,
            proof,
          ),
        ).toBe(true);
      } finally {
        await restored.handle.close();
      }
    },
    LOAD_TIMEOUT,
  );

  it(
    onEngine(engine, 'restore refuses a database that is not empty unless forced, and a wrong master key'),
    async () => {
      const out = path.join(files, `${engine}-refusals.tar`);
      await createBackup(opened.ctx.config, out);
      expect(await errorOf(createBackup(opened.ctx.config, out))).toMatch(
        /exists; a backup never overwrites/,
      );

      // Over the source database itself: it holds tables.
      expect(await errorOf(restoreBackup(opened.ctx.config, out))).toMatch(/is not empty .* --force/);

      // Under another master key: refused before anything is written.
      const { fresh } = await target();
      const otherKey = path.join(files, `${engine}-other.key`);
      createMasterKeyFile(otherKey, true);
      const wrongKey = testConfig(fresh, { GAPURA_MASTER_KEY_FILE: otherKey });
      expect(await errorOf(restoreBackup(wrongKey, out))).toMatch(
        /cannot unwrap data_keys .* the master key the backed-up database was made with .* nothing was restored/,
      );
      const noKey = testConfig(fresh, { GAPURA_MASTER_KEY_FILE: path.join(files, 'missing.key') });
      expect(await errorOf(restoreBackup(noKey, out))).toMatch(
        /does not exist: a restore needs the master key/,
      );
      const raw = openDatabase({ databaseUrl: wrongKey.databaseUrl, dataDir: wrongKey.dataDir });
      try {
        expect(await tableNames(raw.db, engine)).toEqual([]);
      } finally {
        await raw.close();
      }

      // A restored database refuses a second restore, and takes it with force.
      const rightKey = testConfig(fresh, { GAPURA_MASTER_KEY_FILE: masterKey });
      await restoreBackup(rightKey, out);
      expect(await errorOf(restoreBackup(rightKey, out))).toMatch(/is not empty/);
      const forced = await restoreBackup(rightKey, out, { force: true });
      expect(forced.rows).toBeGreaterThan(0);

      // A damaged file is named as such, and changes nothing.
      const damaged = path.join(files, `${engine}-damaged.tar`);
      const bytes = readFileSync(out);
      const at = bytes.length - 2048;
      bytes[at] = (bytes[at] ?? 0) ^ 0xff;
      writeFileSync(damaged, bytes);
      expect(await errorOf(restoreBackup(rightKey, damaged, { force: true }))).toMatch(/damaged/);
    },
    LOAD_TIMEOUT,
  );

  it(
    onEngine(engine, 'gapura backup and gapura restore work as processes while applications are filed'),
    async () => {
      const { ctx } = opened;
      const load = startFiling(ctx, citizen);
      const atStart = await countApplications(ctx);
      const out = path.join(files, `${engine}-cli.tar`);
      let backup: CliRun;
      try {
        backup = await runCliAsync(['backup', '--out', out], source.env);
      } finally {
        await load.stop();
      }
      expect(backup.stderr).toBe('');
      expect(backup.status).toBe(0);
      expect(backup.stdout).toMatch(new RegExp(`Backed up the ${engine} database to .*${engine}-cli\\.tar`));
      expect(backup.stdout).toContain('The master key is not in the backup');
      // Applications were filed while the backup process ran.
      expect(await countApplications(ctx)).toBeGreaterThan(atStart);

      const { fresh, env } = await target();
      const restoreEnv = { ...fresh.env, ...env };
      const restored = await runCliAsync(['restore', out], restoreEnv);
      expect(restored.stderr).toBe('');
      expect(restored.status).toBe(0);
      expect(restored.stdout).toMatch(
        /Restored the backup of .*: \d+ tables, \d+ rows, as the manifest lists/,
      );

      const again = await runCliAsync(['restore', out], restoreEnv);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/^gapura: .* is not empty .* add --force/);

      const verified = await runCliAsync(['audit', 'verify'], restoreEnv);
      expect(verified.stderr).toBe('');
      expect(verified.status).toBe(0);
      expect(verified.stdout).toMatch(/^Audit log verified/);
    },
    SPAWNS_TIMEOUT,
  );
});
