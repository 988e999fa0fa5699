import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_JOBS, type ClusterJob, type Opened, runClusterJob } from '../src/app.ts';
import { fileApplication, getApplication } from '../src/applications/service.ts';
import { getPublished, searchCatalogue } from '../src/catalog/service.ts';
import { ConfigError, loadConfig } from '../src/config/config.ts';
import type { AppContext } from '../src/context.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { claimJobs, enqueue, markFailed } from '../src/outbox/outbox.ts';
import { claimRun, finishRun } from '../src/outbox/periodic.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';

function job(name: ClusterJob['name']): ClusterJob {
  const found = CLUSTER_JOBS.find((j) => j.name === name);
  if (!found) throw new Error(`no cluster job ${name}`);
  return found;
}

/** Seeds the demo data and returns a demo citizen. */
async function seedWithCitizen(ctx: AppContext): Promise<Principal> {
  const email = (await seedDemo(ctx)).find((a) => a.role === 'citizen')?.email ?? '';
  const userId = await findUserIdByEmail(ctx, email);
  if (!userId) throw new Error('no demo citizen');
  return { userId, kind: 'citizen', sessionId: null, grants: [] };
}

async function fileOne(ctx: AppContext, citizen: Principal): Promise<string> {
  const receipt = await fileApplication(ctx, citizen, 'akta-kelahiran', aktaKelahiranAnswers(), {
    consent: true,
    lang: 'id',
    idempotencyKey: randomBytes(8).toString('hex'),
  });
  const row = await ctx.db
    .selectFrom('applications')
    .select('id')
    .where('tracking_number', '=', receipt.trackingNumber)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe.each(ENGINES)('background jobs with two nodes on one database', (engine) => {
  let fresh: FreshDatabase;
  let nodeA: Opened;
  let nodeB: Opened;
  let citizen: Principal;

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    nodeA = await openTestContext(fresh);
    citizen = await seedWithCitizen(nodeA.ctx);
    // The second node opens the same database after the first: migrations and keys are in place.
    nodeB = await openTestContext(fresh);
  });
  afterAll(async () => {
    await nodeA?.handle.close();
    await nodeB?.handle.close();
    await fresh?.cleanup();
  });

  it(
    onEngine(
      engine,
      'when both nodes run SLA escalation at the same moment, one runs it and nobody is told twice',
    ),
    async () => {
      const id = await fileOne(nodeA.ctx, citizen);
      const past = new Date(Date.now() - 86_400_000).toISOString();
      await nodeA.ctx.db
        .updateTable('applications')
        .set({ due_at: past, state_due_at: past })
        .where('id', '=', id)
        .execute();
      const escalationNotes = async () =>
        (
          await nodeA.ctx.db
            .selectFrom('notifications')
            .select('id')
            .where('template', '=', 'application.escalated')
            .execute()
        ).length;
      const before = await escalationNotes();
      const escalation = job('sla-escalation');
      const outcomes = await Promise.all([
        runClusterJob(nodeA.ctx, 'node-a', escalation),
        runClusterJob(nodeB.ctx, 'node-b', escalation),
      ]);
      expect(outcomes.sort()).toEqual(['not_due', 'ran']);
      const marks = await nodeA.ctx.db
        .selectFrom('application_escalations')
        .select(['deadline_kind', 'level'])
        .where('application_id', '=', id)
        .execute();
      expect(marks.map((m) => `${m.deadline_kind}:${m.level}`).sort()).toEqual([
        'overall:overdue',
        'state:overdue',
      ]);
      const supervisors = await nodeA.ctx.db
        .selectFrom('role_grants as g')
        .innerJoin('applications as a', 'a.agency_id', 'g.agency_id')
        .select('g.user_id')
        .distinct()
        .where('a.id', '=', id)
        .where('g.role', '=', 'supervisor')
        .where('g.revoked_at', 'is', null)
        .execute();
      expect(supervisors.length).toBeGreaterThan(0);
      const sent = (await escalationNotes()) - before;
      expect(sent).toBe(2 * supervisors.length);

      // Neither node runs it again within the period; after it, one of them does, and the
      // markers keep that run from telling anyone again.
      expect(await runClusterJob(nodeB.ctx, 'node-b', escalation)).toBe('not_due');
      const nextPeriod = () => Date.now() + escalation.everyMs + 1000;
      const later = await Promise.all([
        runClusterJob(nodeA.ctx, 'node-a', escalation, nextPeriod),
        runClusterJob(nodeB.ctx, 'node-b', escalation, nextPeriod),
      ]);
      expect(later.sort()).toEqual(['not_due', 'ran']);
      expect((await escalationNotes()) - before).toBe(sent);
    },
  );

  it(
    onEngine(engine, 'a run claimed by a node that crashed is taken over once its lease has expired'),
    async () => {
      const housekeeping = job('housekeeping');
      const t0 = Date.now();
      // Node A claims the run and dies before finishing it.
      const crashed = await claimRun(nodeA.ctx.db, housekeeping.name, 'node-a', {
        leaseMs: housekeeping.everyMs,
        now: t0,
      });
      expect(crashed?.owner).toBe('node-a');
      expect(await runClusterJob(nodeB.ctx, 'node-b', housekeeping, () => t0 + 1000)).toBe('not_due');
      const expired = () => t0 + housekeeping.everyMs + 1;
      expect(await runClusterJob(nodeB.ctx, 'node-b', housekeeping, expired)).toBe('ran');
      // Node A coming back late cannot rewrite the schedule node B set.
      if (crashed) expect(await finishRun(nodeA.ctx.db, crashed, t0)).toBe(false);
      expect(await runClusterJob(nodeA.ctx, 'node-a', housekeeping, expired)).toBe('not_due');
    },
  );

  it(onEngine(engine, 'two nodes claiming outbox jobs at once never take the same job'), async () => {
    const t0 = Date.parse('2032-01-01T00:00:00Z');
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add(await enqueue(nodeA.ctx.db, 'test.cluster', { i }, t0));
    const [a, b] = await Promise.all([
      claimJobs(nodeA.ctx.db, engine, 20, 60_000, t0 + 1),
      claimJobs(nodeB.ctx.db, engine, 20, 60_000, t0 + 1),
    ]);
    const claimed = [...a, ...b].filter((j) => ids.has(j.id)).map((j) => j.id);
    expect(claimed.length).toBe(20);
    expect(new Set(claimed).size).toBe(20);
  });

  it(
    onEngine(
      engine,
      'an outbox job taken over after its lease stays with the new node when the old one fails late',
    ),
    async () => {
      const t0 = Date.parse('2033-01-01T00:00:00Z');
      const id = await enqueue(nodeA.ctx.db, 'test.takeover', {}, t0);
      const first = (await claimJobs(nodeA.ctx.db, engine, 50, 30_000, t0 + 1)).find((j) => j.id === id);
      expect(first).toBeDefined();
      expect((await claimJobs(nodeB.ctx.db, engine, 50, 30_000, t0 + 2)).map((j) => j.id)).not.toContain(id);
      const second = (await claimJobs(nodeB.ctx.db, engine, 50, 30_000, t0 + 30_002)).find(
        (j) => j.id === id,
      );
      expect(second?.attempts).toBe(2);
      // Node A's handler finally fails: its report must not release the job node B is delivering.
      if (first) await markFailed(nodeA.ctx.db, first, 'timed out', t0 + 30_003);
      const row = await nodeA.ctx.db
        .selectFrom('outbox')
        .select(['lease_until', 'last_error'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ lease_until: second?.leaseUntil, last_error: null });
      expect((await claimJobs(nodeA.ctx.db, engine, 50, 30_000, t0 + 30_004)).map((j) => j.id)).not.toContain(
        id,
      );
    },
  );
});

describe('DATABASE_REPLICA_URL', () => {
  it('is refused without DATABASE_URL, or when it is not a PostgreSQL URL', () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig({ GAPURA_DATA_DIR: '/tmp', ...env }, { checkDirectories: false });
        return [];
      } catch (err) {
        if (err instanceof ConfigError) return err.problems.map((p) => p.variable);
        throw err;
      }
    };
    expect(problemsOf({ DATABASE_REPLICA_URL: 'postgres://replica/gapura' })).toEqual([
      'DATABASE_REPLICA_URL',
    ]);
    expect(
      problemsOf({
        DATABASE_URL: 'postgres://primary/gapura',
        DATABASE_REPLICA_URL: 'mysql://replica/gapura',
      }),
    ).toEqual(['DATABASE_REPLICA_URL']);
    const config = loadConfig(
      { DATABASE_URL: 'postgres://primary/gapura', DATABASE_REPLICA_URL: 'postgres://replica/gapura' },
      { checkDirectories: false },
    );
    expect(config.databaseReplicaUrl).toBe('postgres://replica/gapura');
    // Several standbys, as postgres.js takes them, with the primary as the last resort.
    const standbys =
      'postgres://gapura@r1:5432,r2:5432,primary:5432/gapura?target_session_attrs=prefer-standby';
    expect(
      loadConfig(
        { DATABASE_URL: 'postgres://primary/gapura', DATABASE_REPLICA_URL: standbys },
        { checkDirectories: false },
      ).databaseReplicaUrl,
    ).toBe(standbys);
    expect(loadConfig({ DATABASE_URL: 'postgres://primary/gapura' }).databaseReplicaUrl).toBeUndefined();
  });
});

// A replica is a PostgreSQL feature: without DATABASE_URL there is no engine to run this on (no test, not a skipped one).
describe.each(ENGINES.filter((e) => e === 'postgres'))(
  'a read replica (a read-only role on the same database)',
  () => {
    let fresh: FreshDatabase;
    let primaryOnly: Opened;
    let withReplica: Opened;
    let citizen: Principal;
    const role = `gapura_ro_${randomBytes(4).toString('hex')}`;
    let admin: postgres.Sql;
    let database = '';

    beforeAll(async () => {
      fresh = await freshDatabase('postgres');
      primaryOnly = await openTestContext(fresh);
      citizen = await seedWithCitizen(primaryOnly.ctx);
      const url = new URL(fresh.env.DATABASE_URL ?? '');
      database = url.pathname.slice(1);
      admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
      // Names are generated above, never input: safe to put into DDL.
      await admin.unsafe(`create role ${role} login`);
      await admin.unsafe(`alter role ${role} set default_transaction_read_only = on`);
      await admin.unsafe(`grant connect on database ${database} to ${role}`);
      await admin.unsafe(`grant usage on schema public to ${role}`);
      await admin.unsafe(`grant select on all tables in schema public to ${role}`);
      url.username = role;
      withReplica = await openTestContext(fresh, { DATABASE_REPLICA_URL: url.toString() });
    });
    afterAll(async () => {
      await withReplica?.handle.close();
      await primaryOnly?.handle.close();
      await admin?.end();
      await fresh?.cleanup();
      // The role outlives its database; it is dropped through the server's default database.
      const server = postgres(process.env.DATABASE_URL ?? '', { max: 1, onnotice: () => {} });
      await server.unsafe(`drop role if exists ${role}`);
      await server.end();
    });

    it(
      onEngine('postgres', 'serves the public catalogue from the replica while writes go to the primary'),
      async () => {
        const { ctx } = withReplica;
        expect(ctx.readDb).not.toBe(ctx.db);
        expect(primaryOnly.ctx.readDb).toBe(primaryOnly.ctx.db);
        const page = await searchCatalogue(ctx, { q: 'akta' });
        expect(page.items.map((s) => s.slug)).toContain('akta-kelahiran');
        const sessions = await admin`select count(*)::int as n from pg_stat_activity where usename = ${role}`;
        expect(sessions[0]?.n).toBeGreaterThan(0);

        // The replica handle cannot write; filing through the same context still works.
        await expect(
          ctx.readDb.insertInto('settings').values({ key: 'replica.write', value: 'x' }).execute(),
        ).rejects.toThrow(/read-only transaction/);
        const id = await fileOne(ctx, citizen);
        expect((await getApplication(ctx, citizen, id)).stage).toBe('active');

        // Without the right to read on the replica the listing fails, while the primary's reads do not.
        await admin.unsafe(`revoke select on service_versions from ${role}`);
        try {
          await expect(searchCatalogue(ctx, {})).rejects.toThrow(/permission denied/);
          expect((await getPublished(ctx, 'akta-kelahiran')).entry.slug).toBe('akta-kelahiran');
        } finally {
          await admin.unsafe(`grant select on service_versions to ${role}`);
        }
        expect((await searchCatalogue(ctx, {})).total).toBeGreaterThan(0);
      },
    );
  },
);
