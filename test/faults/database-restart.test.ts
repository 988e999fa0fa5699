import { rmSync } from 'node:fs';
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReachable, openDatabase } from '../../src/db/database.ts';
import { mapError } from '../../src/web/errors.ts';
import { checkNothingLost, endHeldLeases } from './checks.ts';
import { PgCluster } from './cluster.ts';
import { type GapuraNode, readiness, startNodes, tempDir, trace, waitUntil } from './helpers.ts';
import { Load, moreOf, openSessions } from './load.ts';
import { type SmtpSink, startSmtpSink } from './sinks.ts';

describe('fault: the PostgreSQL server restarts under load', () => {
  let cluster: PgCluster;
  let dataDir: string;
  let smtp: SmtpSink;
  let nodes: GapuraNode[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    cluster = await PgCluster.create('restart');
    await cluster.createDatabase('gapura');
    dataDir = tempDir('restart');
    smtp = await startSmtpSink();
    env = {
      DATABASE_URL: cluster.url('gapura'),
      GAPURA_DATA_DIR: dataDir,
      GAPURA_MODE: 'demo',
      LOG_LEVEL: 'warn',
      GAPURA_WORKER_INTERVAL_MS: '100',
      SMTP_URL: smtp.url,
    };
    nodes = await startNodes(env, 2);
    trace('nodes started');
  }, 240_000);

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await smtp?.close();
    await cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('nodes say not ready and answer 503 with Retry-After (never hang, never 500), then recover by themselves losing nothing', async () => {
    const load = new Load({
      urls: nodes.map((n) => n.url),
      sessions: await openSessions(env),
      submitters: 4,
      officers: 2,
      requestTimeoutMs: 15_000,
      keyPrefix: 'db-restart',
    });
    load.start();
    await moreOf(() => load.submitted.size, 10, 'acknowledged submissions');
    await moreOf(() => load.actions.length, 5, 'acknowledged actions');

    trace('stopping the database');
    await cluster.stop();
    const down = await Promise.all(
      nodes.map((n) =>
        waitUntil(`${n.name} to say it is not ready`, async () => {
          const ready = await readiness(n.url);
          return ready.status === 503 ? ready : undefined;
        }),
      ),
    );
    await moreOf(() => load.count('submit', 503), 1, '503 answers to submissions');
    trace('starting the database');
    await cluster.start();
    await Promise.all(
      nodes.map((n) =>
        waitUntil(`${n.name} to be ready again`, async () => (await readiness(n.url)).status === 200),
      ),
    );
    // Jobs claimed just before the outage could not be marked since: their lease runs out after a
    // minute. The test moves that clock forward instead of waiting.
    trace(`nodes ready again; leases ended: ${await endHeldLeases(env)}`);
    await moreOf(() => load.submitted.size, 10, 'acknowledged submissions after the restart');
    await moreOf(() => load.actions.length, 5, 'acknowledged actions after the restart');
    await load.stop();
    trace(`load stopped: ${load.submitted.size} submissions, ${load.actions.length} actions`);

    for (const d of down) expect(d.retryAfter).toMatch(/^\d+$/);
    const failures = load.answers.filter((a) => typeof a.status !== 'number' || a.status >= 500);
    expect(failures.length).toBeGreaterThan(0);
    const unexpected = failures.filter((a) => a.status !== 503 || a.retryAfter === undefined);
    expect(unexpected).toEqual([]);
    for (const f of failures) expect(f.code).toBe('service.unavailable');
    expect(load.unexpected).toEqual([]);
    expect(load.attemptedKeys.size).toBe(load.submitted.size);
    expect(await checkNothingLost(env, load, { mail: smtp.received })).toEqual([]);
  }, 240_000);

  it('a transaction whose connection the server ends while it waits fails with 503, and the process and its pool live on', async () => {
    const handle = openDatabase({ databaseUrl: env.DATABASE_URL, dataDir, poolSize: 2 });
    try {
      const failed = await handle.db
        .transaction()
        .execute(async (trx) => {
          const me = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          // The server ends this session while the transaction waits for something else.
          await cluster.sql(
            'postgres',
            (admin) => admin`select pg_terminate_backend(${me.rows[0]?.pid ?? 0})`,
          );
          await waitUntil('the ended session to be gone', () =>
            cluster.sql('postgres', async (admin) => {
              const rows = await admin`select 1 from pg_stat_activity where pid = ${me.rows[0]?.pid ?? 0}`;
              return rows.length === 0;
            }),
          );
          await sql`select 1`.execute(trx);
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(mapError(failed)).toMatchObject({ status: 503, code: 'service.unavailable' });
      // Every pooled connection still works: the lost one was not handed out again.
      for (let i = 0; i < 6; i++) expect(await isReachable(handle.db)).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('a query waiting for a connection while the database comes back is answered, not left hanging', async () => {
    // The first two connection attempts are reset, as by a database that is down; later ones reach
    // it. The driver retries the second attempt for the query waiting behind the first, and drops
    // that query when the retry succeeds: only the acquire deadline answers it.
    let attempts = 0;
    const target = new URL(cluster.url('gapura'));
    const proxy = net.createServer((client) => {
      attempts++;
      if (attempts <= 2) {
        client.resetAndDestroy();
        return;
      }
      const server = net.connect(Number(target.port), target.hostname);
      client.pipe(server).pipe(client);
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    const viaProxy = new URL(cluster.url('gapura'));
    viaProxy.port = String(typeof address === 'object' && address ? address.port : 0);
    const handle = openDatabase({ databaseUrl: viaProxy.href, dataDir, poolSize: 1, acquireTimeoutMs: 1000 });
    try {
      const hung = Symbol('hung');
      const outcome = (query: Promise<unknown>) =>
        Promise.race([
          query.then(
            () => 'answered',
            (err: unknown) => mapError(err),
          ),
          new Promise((resolve) => setTimeout(() => resolve(hung), 20_000)),
        ]);
      const [first, second] = await Promise.all([
        outcome(sql`select 1`.execute(handle.db)),
        outcome(sql`select 1`.execute(handle.db)),
      ]);
      expect(first).toMatchObject({ status: 503, code: 'service.unavailable' });
      expect(second).toMatchObject({ status: 503, code: 'service.unavailable' });
      expect(attempts).toBeGreaterThanOrEqual(3);
      // The connection the dropped query was given is back in the pool.
      for (let i = 0; i < 3; i++) expect(await isReachable(handle.db)).toBe(true);
    } finally {
      await handle.close();
      proxy.close();
    }
  });
});
