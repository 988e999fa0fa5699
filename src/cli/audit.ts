import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { openContext } from '../app.ts';
import { rotateHeadKey, signHeadNow } from '../audit/sequencer.ts';
import { getLatestHead } from '../audit/service.ts';
import type { SignedHead } from '../audit/signing.ts';
import { describeProblem, type VerifyOutcome, type VerifySource, verifyLog } from '../audit/verify.ts';
import { localSource } from '../audit/verify-local.ts';
import { remoteSource } from '../audit/verify-remote.ts';
import type { Config } from '../config/config.ts';

/** What main.ts lends its commands: error handling with exit codes, and the loaded configuration. */
export interface CliHelpers {
  run(body: () => Promise<void>): Promise<void>;
  config(): Config;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function headLine(head: SignedHead): string {
  return `size ${head.treeSize}, ${head.timestamp}, root ${head.rootHash.toString('base64')}, key ${head.keyId}`;
}

/** Progress on stderr, only for a person watching a terminal. */
async function withProgress(source: VerifySource): Promise<VerifyOutcome> {
  if (!process.stderr.isTTY) return verifyLog(source);
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'verifying leaves [{bar}] {percentage}% | {value}/{total}',
    hideCursor: true,
  });
  let started = false;
  try {
    return await verifyLog(source, (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    });
  } finally {
    if (started) bar.stop();
  }
}

function report(outcome: VerifyOutcome, where: string): void {
  const { summary } = outcome;
  if (!outcome.ok) {
    const { problem } = outcome;
    process.stderr.write(`gapura: audit log verification FAILED (${where}): ${describeProblem(problem)}\n`);
    if (problem.kind === 'leaf') process.stderr.write(`gapura: first bad leaf index: ${problem.index}\n`);
    if (problem.kind === 'head')
      process.stderr.write(`gapura: bad signed tree head size: ${problem.treeSize}\n`);
    process.exitCode = 1;
    return;
  }
  const counts = [
    count(summary.leaves, 'leaf', 'leaves'),
    count(summary.heads, 'signed tree head', 'signed tree heads'),
    `${count(summary.nodesCompared, 'stored node', 'stored nodes')} compared`,
  ];
  process.stdout.write(`Audit log verified (${where}): ${counts.join(', ')}.\n`);
  process.stdout.write(
    summary.latest ? `Latest signed tree head: ${headLine(summary.latest)}\n` : 'No signed tree head yet.\n',
  );
}

async function verifyLocal(helpers: CliHelpers): Promise<void> {
  const opened = await openContext(helpers.config());
  try {
    report(await withProgress(localSource(opened.ctx.db)), `${opened.ctx.engine} database`);
  } finally {
    await opened.handle.close();
  }
}

async function signNow(helpers: CliHelpers): Promise<void> {
  const opened = await openContext(helpers.config());
  try {
    const result = await signHeadNow(opened.ctx);
    if (result.busy) throw new Error('another node kept the audit sequencer busy; try again');
    if (result.treeSize === 0) {
      process.stdout.write('The audit log is empty: there is no tree head to sign yet.\n');
      return;
    }
    const head = await getLatestHead(opened.ctx);
    const fresh = result.heads.length > 0 ? 'Signed a new tree head' : 'No new leaves; latest tree head';
    process.stdout.write(`${fresh}: ${headLine(head)}\n`);
  } finally {
    await opened.handle.close();
  }
}

async function rotate(helpers: CliHelpers): Promise<void> {
  const opened = await openContext(helpers.config());
  try {
    const id = await rotateHeadKey(opened.ctx);
    process.stdout.write(`New tree-head signing key ${id}; earlier keys stay published as retired.\n`);
  } finally {
    await opened.handle.close();
  }
}

/** Registers `gapura audit …`: sth, verify (local or --remote), rotate-key. */
export function registerAuditCommands(program: Command, helpers: CliHelpers): void {
  const audit = program.command('audit').description('The verifiable audit log (RFC 9162 Merkle tree)');
  audit
    .command('sth')
    .description('Sequence pending leaves and sign a tree head now if the tree grew; print the latest head')
    .action(() => helpers.run(() => signNow(helpers)));
  audit
    .command('verify')
    .description(
      'Recompute the whole tree and check every signed tree head; exit 1 naming the first bad leaf or head',
    )
    .option('--remote <url>', 'verify a running Gapura through its public API only, as an outside auditor')
    .action((options: { remote?: string }) =>
      helpers.run(async () => {
        if (options.remote === undefined) return verifyLocal(helpers);
        report(await withProgress(remoteSource(options.remote)), options.remote);
      }),
    );
  audit
    .command('rotate-key')
    .description('Replace the tree-head signing key (the old public key stays listed for verification)')
    .action(() => helpers.run(() => rotate(helpers)));
}
