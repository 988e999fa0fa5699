import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNothingLost, endHeldLeases } from './checks.ts';
import { PgCluster } from './cluster.ts';
import {
  type GapuraNode,
  type Nginx,
  readiness,
  startNginx,
  startNodes,
  tempDir,
  trace,
  waitUntil,
} from './helpers.ts';
import { Load, moreOf, openSessions } from './load.ts';
import { type SmtpSink, startSmtpSink } from './sinks.ts';

describe('fault: one of three nodes behind nginx killed under load', () => {
  let cluster: PgCluster;
  let dataDir: string;
  let smtp: SmtpSink;
  let nodes: GapuraNode[] = [];
  let nginx: Nginx | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    cluster = await PgCluster.create('crash');
    await cluster.createDatabase('gapura');
    dataDir = tempDir('crash');
    smtp = await startSmtpSink();
    env = {
      DATABASE_URL: cluster.url('gapura'),
      GAPURA_DATA_DIR: dataDir,
      GAPURA_MODE: 'demo',
      LOG_LEVEL: 'warn',
      GAPURA_WORKER_INTERVAL_MS: '100',
      SMTP_URL: smtp.url,
    };
    nodes = await startNodes(env, 3);
    nginx = await startNginx(nodes.map((n) => n.port));
    trace('nodes and nginx started');
  }, 240_000);

  afterAll(async () => {
    await nginx?.stop();
    for (const node of nodes) await node.stop();
    await smtp?.close();
    await cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 of a node and its restart lose no acknowledged submission, action, notification or audit leaf', async () => {
    const [, victim] = nodes;
    if (!nginx || !victim) throw new Error('the installation did not start');
    const load = new Load({
      urls: [nginx.url],
      sessions: await openSessions(env),
      submitters: 4,
      officers: 2,
      requestTimeoutMs: 15_000,
      keyPrefix: 'node-crash',
    });
    load.start();
    await moreOf(() => load.submitted.size, 15, 'acknowledged submissions');
    await moreOf(() => load.actions.length, 8, 'acknowledged actions');

    trace('killing node 2');
    await victim.kill9();
    // Its claimed outbox jobs stay leased for a minute; the test moves that clock forward.
    trace(`leases ended: ${await endHeldLeases(env)}`);
    await moreOf(() => load.submitted.size, 10, 'acknowledged submissions while a node is down');
    await victim.start();
    await waitUntil(
      'the restarted node to be ready',
      async () => (await readiness(victim.url)).status === 200,
    );
    trace('node 2 restarted');
    await moreOf(() => load.submitted.size, 10, 'acknowledged submissions after the restart');
    await moreOf(() => load.actions.length, 5, 'acknowledged actions after the restart');
    await load.stop();
    trace(
      `load stopped: ${load.submitted.size} submissions, ${load.actions.length} actions, ${load.answers.filter((a) => a.status !== 200 && a.status !== 201).length} other answers`,
    );

    expect(load.unexpected).toEqual([]);
    expect(load.attemptedKeys.size).toBe(load.submitted.size);
    expect(await checkNothingLost(env, load, { mail: smtp.received })).toEqual([]);
  }, 240_000);
});
