import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNothingLost, endHeldLeases } from './checks.ts';
import { GapuraNode, tempDir, trace } from './helpers.ts';
import { Load, moreOf, openSessions } from './load.ts';
import { type SmtpSink, startSmtpSink } from './sinks.ts';

describe('fault: a SQLite node killed under load', () => {
  let dataDir: string;
  let smtp: SmtpSink;
  let node: GapuraNode;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = tempDir('sqlite-crash');
    smtp = await startSmtpSink();
    env = {
      GAPURA_DATA_DIR: dataDir,
      GAPURA_MODE: 'demo',
      LOG_LEVEL: 'warn',
      GAPURA_WORKER_INTERVAL_MS: '100',
      SMTP_URL: smtp.url,
    };
    node = await GapuraNode.start('sqlite', env);
    trace('node started');
  }, 240_000);

  afterAll(async () => {
    await node?.stop();
    await smtp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 mid-run and a restart lose no acknowledged submission, action, notification or audit leaf', async () => {
    const load = new Load({
      urls: [node.url],
      sessions: await openSessions(env),
      submitters: 4,
      officers: 2,
      requestTimeoutMs: 15_000,
      keyPrefix: 'sqlite-crash',
    });
    load.start();
    trace('load started');
    await moreOf(() => load.submitted.size, 15, 'acknowledged submissions');
    await moreOf(() => load.actions.length, 10, 'acknowledged actions');

    trace('killing the node');
    await node.kill9();
    trace(`leases ended: ${await endHeldLeases(env)}`);
    // The clients notice (refused connections) and keep retrying their submissions.
    await moreOf(() => load.count('submit', 'network'), 1, 'failed submissions');
    await node.start();
    trace('node restarted');
    await moreOf(() => load.submitted.size, 15, 'acknowledged submissions after the restart');
    await moreOf(() => load.actions.length, 5, 'acknowledged actions after the restart');
    await load.stop();
    trace(`load stopped: ${load.submitted.size} submissions, ${load.actions.length} actions`);

    expect(load.unexpected).toEqual([]);
    expect(load.attemptedKeys.size).toBe(load.submitted.size);
    expect(await checkNothingLost(env, load, { mail: smtp.received })).toEqual([]);
  }, 180_000);
});
