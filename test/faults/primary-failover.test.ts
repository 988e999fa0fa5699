import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNothingLost, endHeldLeases } from './checks.ts';
import { PgCluster } from './cluster.ts';
import { freePort, type GapuraNode, readiness, startNodes, tempDir, trace, waitUntil } from './helpers.ts';
import { Load, moreOf, openSessions } from './load.ts';
import { type SmtpSink, startSmtpSink } from './sinks.ts';

const STANDBY_NAME = 'gapura_standby';

describe('fault: the PostgreSQL primary dies and its synchronous standby is promoted', () => {
  let primary: PgCluster;
  let standby: PgCluster | undefined;
  let dataDir: string;
  let smtp: SmtpSink;
  let nodes: GapuraNode[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    primary = await PgCluster.create('primary');
    await primary.createDatabase('gapura');
    const standbyPort = await freePort();
    dataDir = tempDir('failover');
    smtp = await startSmtpSink();
    env = {
      // Both servers: a node connects to whichever of them accepts writes.
      DATABASE_URL: `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standbyPort}/gapura?target_session_attrs=read-write`,
      GAPURA_DATA_DIR: dataDir,
      GAPURA_MODE: 'demo',
      LOG_LEVEL: 'warn',
      GAPURA_WORKER_INTERVAL_MS: '100',
      SMTP_URL: smtp.url,
    };
    // The demo data is loaded before the standby exists (quicker than waiting for it on every
    // commit); the standby is then cloned from the primary.
    trace('primary started');
    nodes = await startNodes(env, 2);
    trace('nodes started');
    standby = await PgCluster.standbyOf(primary, 'standby', STANDBY_NAME, standbyPort);
    trace('standby started');
    // From now on every commit waits until the standby has it: a write the primary acknowledged
    // survives the primary.
    await primary.sql('postgres', async (sql) => {
      await sql.unsafe(`alter system set synchronous_standby_names = '${STANDBY_NAME}'`);
      await sql`select pg_reload_conf()`;
    });
    await waitUntil('the standby to replicate synchronously', () =>
      primary.sql('postgres', async (sql) => {
        const rows =
          await sql`select sync_state from pg_stat_replication where application_name = ${STANDBY_NAME}`;
        return rows[0]?.sync_state === 'sync';
      }),
    );
    trace('nodes and a synchronous standby started');
  }, 240_000);

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await smtp?.close();
    await standby?.destroy();
    await primary?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('nodes find the promoted standby by themselves; no acknowledged write is lost; the audit log verifies', async () => {
    if (!standby) throw new Error('no standby');
    const load = new Load({
      urls: nodes.map((n) => n.url),
      sessions: await openSessions(env),
      submitters: 4,
      officers: 2,
      requestTimeoutMs: 15_000,
      keyPrefix: 'failover',
    });
    load.start();
    await moreOf(() => load.submitted.size, 15, 'acknowledged submissions');
    await moreOf(() => load.actions.length, 8, 'acknowledged actions');
    const acknowledgedBefore = load.submitted.size;

    trace('killing the primary');
    await primary.kill();
    // The operator's failover script: promote the standby.
    await standby.promote();
    trace('standby promoted');
    await Promise.all(
      nodes.map((n) =>
        waitUntil(
          `${n.name} to be ready on the new primary`,
          async () => (await readiness(n.url)).status === 200,
        ),
      ),
    );
    // Jobs claimed just before the failover could not be marked since; their lease would run out
    // after a minute.
    trace(`leases ended: ${await endHeldLeases(env)}`);
    await moreOf(() => load.submitted.size, 10, 'acknowledged submissions after the failover');
    await moreOf(() => load.actions.length, 5, 'acknowledged actions after the failover');
    await load.stop();
    trace(`load stopped: ${load.submitted.size} submissions, ${load.actions.length} actions`);

    expect(acknowledgedBefore).toBeGreaterThan(0);
    expect(load.unexpected).toEqual([]);
    expect(load.attemptedKeys.size).toBe(load.submitted.size);
    expect(await checkNothingLost(env, load, { mail: smtp.received })).toEqual([]);
    const isStandby = await standby.sql(
      'gapura',
      async (sql) => (await sql`select pg_is_in_recovery() as r`)[0]?.r,
    );
    expect(isStandby).toBe(false);
  }, 240_000);
});
