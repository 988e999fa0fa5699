import type { AppContext } from '../../src/context.ts';
import { newId, nowIso } from '../../src/db/ids.ts';
import { findUserIdByEmail } from '../../src/identity/service.ts';
import {
  type ActionStep,
  type ApiSession,
  type BenchOptions,
  type BenchRow,
  CONFLICT,
  eachEngine,
  type PlannedLoadResult,
  ratioRow,
  runPlannedLoad,
  type Scenario,
  startGapura,
  waitReady,
} from '../lib.ts';
import {
  apiSession,
  CITIZEN_EMAIL,
  CONNECTIONS,
  COUNTER_EMAIL,
  driverBaseline,
  openBench,
  otherAnswers,
  SERVICE,
  stopIfRunning,
  submitRequest,
  VERIFIER_EMAIL,
  waitSequenced,
} from './submit.ts';

/** Share of the requests that go to the hot applications. */
const HOT_SHARE = 0.2;
/** How many applications are hot: few, so officers acting on them at once collide. */
const HOT_APPLICATIONS = 5;
/** Applications the baseline's transitions go round (per writer on PostgreSQL: 1/10 of them). */
const BASELINE_APPLICATIONS = 50;

/** The action a verifier takes on a newly filed application (`diajukan` → `diverifikasi`). */
const FIRST_STEP: ActionStep = { action: 'verifikasi', as: 'verifier' };
/**
 * A loop through the workflow for the hot applications, so every action is one the state allows:
 * verified, returned for revision by the verifier, resubmitted at the counter.
 */
const HOT_STEPS: Record<string, ActionStep> = {
  diajukan: FIRST_STEP,
  diverifikasi: {
    action: 'kembalikan',
    as: 'verifier',
    comment: 'Foto Kartu Keluarga kurang jelas, mohon unggah ulang.',
    flaggedFields: ['dok_kk'],
  },
  perlu_perbaikan: { action: 'ajukan_ulang', as: 'counter' },
};

interface Filed {
  id: string;
  state: string;
  rowVersion: number;
}

/** The service's active applications, oldest first. */
async function filedApplications(ctx: AppContext, ids?: readonly string[]): Promise<Filed[]> {
  let query = ctx.db
    .selectFrom('applications')
    .innerJoin('services', 'services.id', 'applications.service_id')
    .select(['applications.id', 'applications.state', 'applications.row_version'])
    .where('services.slug', '=', SERVICE)
    .where('applications.stage', '=', 'active')
    .orderBy('applications.created_at')
    .orderBy('applications.id');
  if (ids) query = query.where('applications.id', 'in', [...ids]);
  const rows = await query.execute();
  return rows.map((r) => ({ id: r.id, state: r.state ?? '', rowVersion: r.row_version }));
}

/**
 * One UPDATE (conditional on the row version, as Gapura's) and one INSERT of the history event per
 * transition, one transaction each, going round `applications`; each writer on PostgreSQL has its
 * own share of them so writers never wait on each other's row locks.
 */
async function actionsBaseline(
  engine: 'sqlite' | 'postgres',
  server: Parameters<typeof driverBaseline>[1],
  applications: Filed[],
  actorId: string,
  seconds: number,
): Promise<number> {
  const placeholder = engine === 'sqlite' ? () => '?' : (i: number) => `$${i}`;
  const p = (n: number) => Array.from({ length: n }, (_, i) => placeholder(i + 1));
  const writers = engine === 'sqlite' ? 1 : 10;
  const versions = new Map(applications.map((a) => [a.id, a.rowVersion]));
  const shares = Array.from({ length: writers }, (_, w) => applications.filter((_, k) => k % writers === w));
  const turn = new Array<number>(writers).fill(0);
  const pick = (worker: number): Filed => {
    const mine = shares[worker] ?? [];
    const index = turn[worker] ?? 0;
    turn[worker] = index + 1;
    const application = mine[index % mine.length];
    if (!application) throw new Error('no application for the baseline');
    return application;
  };
  const update = (() => {
    const [a, b, c, d, e, f, g, h, i] = p(9);
    return `update applications set state = ${a}, row_version = ${b}, updated_at = ${c}, state_entered_at = ${d}, state_due_at = ${e}, due_at = ${f}, sla_paused = 0 where id = ${g} and row_version = ${h} and stage = ${i}`;
  })();
  const insert = (() => {
    const [a, b, c, d, e, f, g, h] = p(8);
    return `insert into application_events (id, application_id, kind, action, from_state, to_state, actor_id, created_at, comment_enc, flagged_fields, attachment_id) values (${a}, ${b}, ${c}, ${d}, ${e}, ${f}, ${g}, ${h}, null, null, null)`;
  })();
  const current = new Map<number, { id: string; from: number }>();
  return driverBaseline(
    engine,
    server,
    seconds,
    (i, worker) => {
      const application = pick(worker);
      const from = versions.get(application.id) ?? 0;
      current.set(worker, { id: application.id, from });
      const at = nowIso();
      const [fromState, toState] =
        from % 2 === 0 ? ['diajukan', 'diverifikasi'] : ['diverifikasi', 'diajukan'];
      return [
        {
          sql: update,
          params: [toState, from + 1, at, at, at, at, application.id, from, 'active'],
        },
        {
          sql: insert,
          params: [newId(), application.id, 'action', `bench-${i}`, fromState, toState, actorId, at],
        },
      ];
    },
    (_i, worker, changes) => {
      const done = current.get(worker);
      if (changes[0] !== 1 || !done) throw new Error('a baseline transition changed no row');
      versions.set(done.id, done.from + 1);
    },
  );
}

function count(counts: unknown, kind: string, status?: string): number {
  const byStatus = (counts as Record<string, Record<string, number>> | undefined)?.[kind] ?? {};
  return status === undefined ? Object.values(byStatus).reduce((a, b) => a + b, 0) : (byStatus[status] ?? 0);
}

async function actionsOn(engine: 'sqlite' | 'postgres', options: BenchOptions): Promise<BenchRow[]> {
  let server = await startGapura(engine, options.databaseUrl);
  try {
    await waitReady(server.url);
    const bench = await openBench(server);
    const citizen = await apiSession(bench.ctx, CITIZEN_EMAIL);
    const sessions: Record<string, ApiSession> = {
      verifier: await apiSession(bench.ctx, VERIFIER_EMAIL),
      counter: await apiSession(bench.ctx, COUNTER_EMAIL),
    };
    const verifierId = await findUserIdByEmail(bench.ctx, VERIFIER_EMAIL);
    if (!verifierId) throw new Error('no demo verifier');
    await bench.handle.close();

    // Applications to act on, filed the way citizens file them. Each cold request uses one up, and
    // an action costs about what a filing does, so filing for a bit more than twice the wanted
    // measuring time leaves enough, whatever the machine's speed.
    const prefile = await runPlannedLoad({
      url: server.url,
      connections: CONNECTIONS,
      durationSeconds: options.quick ? 5 : 25,
      plan: 'uniqueHeader',
      args: submitRequest(citizen),
    });
    const filing = await openBench(server);
    await waitSequenced(filing.ctx);
    const filed = (await filedApplications(filing.ctx)).filter((a) => a.state === 'diajukan');
    await filing.handle.close();
    if (filed.length < HOT_APPLICATIONS + BASELINE_APPLICATIONS + 100)
      throw new Error(`only ${filed.length} applications filed${otherAnswers(prefile, 201)}`);
    const hot = filed.slice(0, HOT_APPLICATIONS);
    const forBaseline = filed.slice(HOT_APPLICATIONS, HOT_APPLICATIONS + BASELINE_APPLICATIONS);
    const cold = filed.slice(HOT_APPLICATIONS + BASELINE_APPLICATIONS);
    const coldVersion = cold[0]?.rowVersion ?? 2;
    if (cold.some((a) => a.rowVersion !== coldVersion))
      throw new Error('filed applications differ in version');
    const warmCold = cold.slice(0, Math.floor(cold.length / 10));
    const measuredCold = cold.slice(warmCold.length);

    await server.stop();
    const baseline = await actionsBaseline(
      engine,
      server.store,
      forBaseline,
      verifierId,
      options.quick ? 1 : 5,
    );
    server = await startGapura(engine, options.databaseUrl, {}, server.store);
    await waitReady(server.url);

    const act = async (ids: Filed[], seed: number): Promise<PlannedLoadResult> => {
      const current = await openBench(server);
      const hotNow = await filedApplications(
        current.ctx,
        hot.map((h) => h.id),
      );
      await current.handle.close();
      return runPlannedLoad({
        url: server.url,
        connections: CONNECTIONS,
        // As many requests as leave exactly the cold applications for the cold share.
        amount: Math.floor(ids.length / (1 - HOT_SHARE)),
        plan: 'workflowActions',
        args: {
          sessions,
          cold: { ids: ids.map((a) => a.id), rowVersion: coldVersion, step: FIRST_STEP },
          hot: { share: HOT_SHARE, applications: hotNow, steps: HOT_STEPS },
          seed,
        },
      });
    };
    await act(warmCold, 1);
    const load = await act(measuredCold, 2);
    await server.stop();

    const counts = load.plan.counts;
    const transitions = count(counts, 'hot', '200') + count(counts, 'cold', '200');
    const perSecond = transitions / load.durationSeconds;
    const answered = count(counts, 'hot') + count(counts, 'cold');
    const hotAnswered = count(counts, 'hot');
    const hotConflicts = count(counts, 'hot', CONFLICT);
    const conflicts = hotConflicts + count(counts, 'cold', CONFLICT);
    const unexpected = answered - transitions - conflicts;
    const percent = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1000) / 10);
    const exhausted = Number(load.plan.coldExhausted ?? 0);
    const trouble =
      (unexpected + load.errors > 0
        ? `; ${unexpected} unexpected answers, ${load.errors} errors${typeof load.plan.sample === 'string' ? `: ${load.plan.sample}` : ''}`
        : '') +
      (exhausted > 0 ? `; ${exhausted} requests found no fresh application and went to the hot ones` : '');
    if (transitions === 0) throw new Error(`no action succeeded${otherAnswers(load, 200)}`);
    return [
      ratioRow(
        {
          scenario: `Officer actions over HTTP (${SERVICE}; ${HOT_SHARE * 100}% of requests on ${HOT_APPLICATIONS} hot applications) vs one UPDATE + one INSERT by a minimal script`,
          engine,
          figure: 'transitions/s',
          value: Math.round(perSecond),
          unit: 'transitions/s',
          baseline: Math.round(baseline),
          target: '≥ 30% of baseline',
          note: `p99 ${load.p99} ms; ${answered.toLocaleString('en-US')} requests${trouble}`,
        },
        0.3,
      ),
      {
        scenario: 'Officer actions: conflicts (409 application.changed, stale row version)',
        engine,
        figure: 'conflict rate',
        value: percent(conflicts, answered),
        unit: '% of requests',
        note: `${percent(hotConflicts, hotAnswered)}% of the ${hotAnswered.toLocaleString('en-US')} requests on hot applications`,
      },
    ];
  } finally {
    await stopIfRunning(server);
    await server.cleanup();
  }
}

/**
 * Officers taking workflow actions over HTTP on filed applications, a fifth of them on a few hot
 * applications with the version they last saw (so some collide and get 409), against one UPDATE and
 * one INSERT per transition written straight with the same driver.
 */
export const actionsScenario: Scenario = eachEngine('actions', actionsOn);
