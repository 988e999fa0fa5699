import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createLogger, type Opened, openContext } from '../../src/app.ts';
import { CONSENT_VERSION, scopeOf } from '../../src/applications/service.ts';
import { newTrackingNumber } from '../../src/applications/tracking.ts';
import { canonicalJson } from '../../src/audit/canonical.ts';
import { compileDefinition } from '../../src/catalog/compile.ts';
import { getPublished } from '../../src/catalog/service.ts';
import { findServiceBySlug } from '../../src/catalog/store.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { AppContext } from '../../src/context.ts';
import { PLATFORM_SCOPE } from '../../src/crypto/keyring.ts';
import { newId, nowIso } from '../../src/db/ids.ts';
import { findUserIdByEmail, openSession, sessionIdOf } from '../../src/identity/service.ts';
import { DELIVER_TOPIC } from '../../src/notifications/service.ts';
import { renderTemplate } from '../../src/notifications/templates.ts';
import { csrfTokenFor } from '../../src/web/http.ts';
import { CITIZEN_EMAIL, SERVICE } from '../../test/faults/load.ts';
import { pindahAnswers } from '../../test/fixtures/catalog-definitions.ts';
import {
  type ApiSession,
  type BenchOptions,
  type BenchRow,
  type BenchServer,
  type BenchStore,
  eachEngine,
  type PlannedLoadResult,
  peakRssMb,
  quantile,
  ratioRow,
  rssMb,
  runPlannedLoad,
  type Scenario,
  startGapura,
  waitReady,
} from '../lib.ts';

/**
 * The demo form closest to the one the targets describe (NIK, a region, a repeating group): moving
 * certificate, with 17 answers of which one is a group of three family members.
 */
export { CITIZEN_EMAIL, COUNTER_EMAIL, SERVICE, VERIFIER_EMAIL } from '../../test/faults/load.ts';

export const CONNECTIONS = 10;
/** PostgreSQL connections of one Gapura process (its default pool): the baseline uses as many. */
const PG_POOL = 10;

/** Opens the database a bench server runs over, from the bench process (keys from its data dir). */
export async function openBench(server: BenchServer): Promise<Opened> {
  const config = loadConfig({ ...server.store.env, LOG_LEVEL: 'silent' });
  return openContext(config, createLogger(config));
}

/** A signed-in API session for a demo account, made directly in the database. */
export async function apiSession(ctx: AppContext, email: string): Promise<ApiSession> {
  const userId = await findUserIdByEmail(ctx, email);
  if (!userId) throw new Error(`no demo account ${email}`);
  const token = await openSession(ctx, userId, 'active');
  return { cookie: token, csrf: csrfTokenFor(ctx.keyring.derivedSecret('csrf'), sessionIdOf(token)) };
}

/** Waits until the server's sequencer has given every audit leaf its tree position. */
export async function waitSequenced(ctx: AppContext, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await ctx.db
      .selectFrom('audit_leaves')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seq', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) return;
    if (Date.now() > until) throw new Error(`${row.n} audit leaves still unsequenced`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops a server unless it already exited. */
export async function stopIfRunning(server: BenchServer): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
}

/** The body of a one-request submission, and the rest of the request but its Idempotency-Key. */
export function submitRequest(citizen: ApiSession) {
  return {
    path: '/api/v1/applications',
    headers: {
      'content-type': 'application/json',
      cookie: `gapura_session=${citizen.cookie}`,
      'x-csrf-token': citizen.csrf,
    },
    body: JSON.stringify({ service: SERVICE, answers: pindahAnswers(), submit: true, consent: true }),
    header: 'idempotency-key',
    prefix: `bench-${randomBytes(4).toString('hex')}-`,
  };
}

export function successes(result: PlannedLoadResult, status: number): number {
  return result.statusCodes[String(status)] ?? 0;
}

/** Requests that got another answer than `status`, with one of those answers. */
export function otherAnswers(result: PlannedLoadResult, status: number): string {
  const others = Object.values(result.statusCodes).reduce((a, b) => a + b, 0) - successes(result, status);
  const sample = typeof result.plan.sample === 'string' ? `: ${result.plan.sample}` : '';
  return others + result.errors > 0 ? `; ${others} other answers, ${result.errors} errors${sample}` : '';
}

/** What a submission stores, computed once: ids of the rows it points to and its encrypted texts. */
interface SubmissionFixture {
  agencyId: string;
  agencyCode: string;
  serviceId: string;
  versionId: string;
  userId: string;
  answersEnc: string;
  secretEnc: string;
  subjectEnc: string;
  bodyEnc: string;
  recipientEnc: string;
}

async function submissionFixture(ctx: AppContext): Promise<SubmissionFixture> {
  const published = await getPublished(ctx, SERVICE);
  const service = await findServiceBySlug(ctx.db, SERVICE);
  const userId = await findUserIdByEmail(ctx, CITIZEN_EMAIL);
  if (!service || !userId) throw new Error('the demo seed is missing');
  const agency = await ctx.db
    .selectFrom('agencies')
    .select(['id', 'code'])
    .where('id', '=', service.agency_id)
    .executeTakeFirstOrThrow();
  const checked = compileDefinition(published.definition, { timeZone: 'Asia/Jakarta' }).validate(
    pindahAnswers(),
  );
  if (!checked.ok) throw new Error(`the bench answers do not validate: ${JSON.stringify(checked.errors)}`);
  const scope = scopeOf(agency.id);
  await ctx.keyring.prepare([scope, PLATFORM_SCOPE]);
  const id = newId();
  const { subject, body } = renderTemplate('application.submitted', 'id', {
    trackingNumber: newTrackingNumber(agency.code, new Date()).text,
    service: published.definition.name.id,
    dueDate: '2026-12-03',
  });
  return {
    agencyId: agency.id,
    agencyCode: agency.code,
    serviceId: service.id,
    versionId: published.versionId,
    userId,
    answersEnc: ctx.keyring.encrypt(scope, JSON.stringify(checked.values), `applications.answers:${id}`),
    secretEnc: ctx.keyring.encrypt(scope, 'ABCD2345', `applications.secret:${id}`),
    subjectEnc: ctx.keyring.encrypt(PLATFORM_SCOPE, subject, 'notifications.subject'),
    bodyEnc: ctx.keyring.encrypt(PLATFORM_SCOPE, body, 'notifications.body'),
    recipientEnc: ctx.keyring.encrypt(PLATFORM_SCOPE, CITIZEN_EMAIL, 'notifications.recipient'),
  };
}

/** The rows one submission leaves behind, as column → value, for submission number `i`. */
function submissionRows(f: SubmissionFixture, i: number, runTag: string) {
  const now = Date.now();
  const at = nowIso(now);
  const id = newId(now);
  let n = i;
  // Unique per submission: the digits of i in the tracking alphabet instead of random ones.
  const tracking = newTrackingNumber(f.agencyCode, new Date(now), (max) => {
    const digit = n % max;
    n = Math.floor(n / max);
    return digit;
  }).text;
  const leafId = newId(now);
  const emailId = newId(now);
  return {
    application: {
      id,
      agency_id: f.agencyId,
      service_id: f.serviceId,
      service_version_id: f.versionId,
      applicant_id: f.userId,
      assisted_by: null,
      stage: 'active',
      state: 'diajukan',
      outcome: null,
      answers_enc: f.answersEnc,
      tracking_number: tracking,
      tracking_secret_enc: f.secretEnc,
      submit_key: `u:${f.userId}:${runTag}${i}`,
      consent_version: CONSENT_VERSION,
      row_version: 2,
      created_at: at,
      updated_at: at,
      submitted_at: at,
      due_at: at,
      assigned_to: null,
      state_entered_at: at,
      state_due_at: at,
      closed_at: null,
      identity_verified_by: null,
      identity_verified_at: null,
      sla_paused: 0,
    },
    events: [
      { id: newId(now), kind: 'created', to_state: null },
      { id: newId(now), kind: 'submitted', to_state: 'diajukan' },
    ].map((e) => ({
      ...e,
      application_id: id,
      action: null,
      from_state: null,
      actor_id: f.userId,
      comment_enc: null,
      flagged_fields: null,
      attachment_id: null,
      created_at: at,
    })),
    leaf: {
      id: leafId,
      seq: null,
      content: Buffer.from(
        canonicalJson({
          v: 1,
          id: leafId,
          type: 'application.submitted',
          actor: f.userId,
          agency: f.agencyId,
          subject: id,
          time: at,
          facts: { service: SERVICE, state: 'diajukan' },
          personal_sha256: null,
        }),
      ),
      created_at: at,
      sequenced_at: null,
    },
    notification: {
      id: newId(now),
      user_id: f.userId,
      channel: 'in_app',
      template: 'application.submitted',
      lang: 'id',
      recipient_enc: null,
      subject_enc: f.subjectEnc,
      body_enc: f.bodyEnc,
      status: 'sent',
      created_at: at,
      sent_at: at,
      read_at: null,
    },
    // The same message by e-mail (the demo citizen has an address), delivered later by the outbox.
    emailNotification: {
      id: emailId,
      user_id: f.userId,
      channel: 'email',
      template: 'application.submitted',
      lang: 'id',
      recipient_enc: f.recipientEnc,
      subject_enc: f.subjectEnc,
      body_enc: f.bodyEnc,
      status: 'pending',
      created_at: at,
      sent_at: null,
      read_at: null,
    },
    outbox: {
      id: newId(now),
      topic: DELIVER_TOPIC,
      payload: JSON.stringify({ notificationId: emailId }),
      status: 'pending',
      attempts: 0,
      available_at: at,
      lease_until: null,
      last_error: null,
      created_at: at,
      done_at: null,
    },
  };
}

type Row = Record<string, string | number | Buffer | null>;

function insertSql(table: string, row: Row, placeholder: (i: number) => string): string {
  const columns = Object.keys(row);
  return `insert into ${table} (${columns.join(', ')}) values (${columns.map((_, i) => placeholder(i + 1)).join(', ')})`;
}

/**
 * Runs `write` (one transaction each) for `seconds` straight against the store with the driver
 * Gapura uses, without Gapura: better-sqlite3 with Gapura's pragmas, one connection (as Gapura has);
 * or postgres.js with as many concurrent writers as Gapura's pool. Returns transactions per second.
 */
export async function driverBaseline(
  engine: 'sqlite' | 'postgres',
  store: BenchStore,
  seconds: number,
  statements: (i: number, worker: number) => { sql: string; params: unknown[] }[],
  check: (i: number, worker: number, changes: number[]) => void = () => {},
): Promise<number> {
  let done = 0;
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  if (engine === 'sqlite') {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(store.dataDir, 'gapura.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const prepared = new Map<string, ReturnType<typeof db.prepare<unknown[]>>>();
    const one = db.transaction((i: number) => {
      const changes = statements(i, 0).map(({ sql, params }) => {
        let statement = prepared.get(sql);
        if (!statement) {
          statement = db.prepare<unknown[]>(sql);
          prepared.set(sql, statement);
        }
        return statement.run(...params).changes;
      });
      check(i, 0, changes);
    });
    const begin = performance.now();
    while (elapsed() < seconds) one(done++);
    const rate = done / ((performance.now() - begin) / 1000);
    db.close();
    return rate;
  }
  const postgres = (await import('postgres')).default;
  const url = store.env.DATABASE_URL;
  if (!url) throw new Error('no DATABASE_URL in the store');
  const sql = postgres(url, { max: PG_POOL, onnotice: () => {} });
  await sql`select 1`;
  const begin = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: PG_POOL }, async (_, worker) => {
      while (elapsed() < seconds) {
        const i = next++;
        await sql.begin(async (trx) => {
          const changes: number[] = [];
          for (const s of statements(i, worker)) {
            // biome-ignore lint/suspicious/noExplicitAny: raw parameters, typed by the table
            const result = await trx.unsafe(s.sql, s.params as any[], { prepare: true });
            changes.push(result.count);
          }
          check(i, worker, changes);
        });
        done++;
      }
    }),
  );
  const rate = done / ((performance.now() - begin) / 1000);
  await sql.end();
  return rate;
}

async function submitBaseline(
  engine: 'sqlite' | 'postgres',
  store: BenchStore,
  fixture: SubmissionFixture,
  seconds: number,
): Promise<number> {
  const placeholder = engine === 'sqlite' ? () => '?' : (i: number) => `$${i}`;
  const runTag = `baseline-${randomBytes(4).toString('hex')}-`;
  return driverBaseline(engine, store, seconds, (i) => {
    const rows = submissionRows(fixture, i, runTag);
    const all: [string, Row][] = [
      ['applications', rows.application],
      ...rows.events.map((e): [string, Row] => ['application_events', e]),
      ['audit_leaves', rows.leaf],
      ['notifications', rows.notification],
      ['notifications', rows.emailNotification],
      ['outbox', rows.outbox],
    ];
    return all.map(([table, row]) => ({
      sql: insertSql(table, row, placeholder),
      params: Object.values(row),
    }));
  });
}

/** Time from each audit leaf's creation to its tree position, for leaves created since `since`. */
async function sequencingDelays(ctx: AppContext, since: string): Promise<number[]> {
  await waitSequenced(ctx);
  const leaves = await ctx.db
    .selectFrom('audit_leaves')
    .select(['created_at', 'sequenced_at'])
    .where('created_at', '>=', since)
    .execute();
  return leaves
    .map((l) => Date.parse(l.sequenced_at ?? l.created_at) - Date.parse(l.created_at))
    .sort((a, b) => a - b);
}

async function submitOn(engine: 'sqlite' | 'postgres', options: BenchOptions): Promise<BenchRow[]> {
  const seconds = options.quick ? 2 : 10;
  let server = await startGapura(engine, options.databaseUrl);
  try {
    await waitReady(server.url);
    const bench = await openBench(server);
    const citizen = await apiSession(bench.ctx, CITIZEN_EMAIL);
    const fixture = await submissionFixture(bench.ctx);
    await bench.handle.close();

    // The baseline runs with the server stopped, so nothing else (its sequencer) competes with it.
    await server.stop();
    const baseline = await submitBaseline(engine, server.store, fixture, options.quick ? 1 : 5);
    server = await startGapura(engine, options.databaseUrl, {}, server.store);
    await waitReady(server.url);
    const idleCheck = await openBench(server);
    await waitSequenced(idleCheck.ctx);
    await idleCheck.handle.close();
    await new Promise((r) => setTimeout(r, 1000));
    const idle = await rssMb(server.pid);

    const since = nowIso();
    const load = (extra: { durationSeconds: number; overallRate?: number }) =>
      runPlannedLoad({
        url: server.url,
        connections: CONNECTIONS,
        plan: 'uniqueHeader',
        args: submitRequest(citizen),
        ...extra,
      });
    await load({ durationSeconds: options.quick ? 1 : 3 });
    const saturated = await load({ durationSeconds: seconds });
    const perSecond = successes(saturated, 201) / saturated.durationSeconds;
    if (perSecond === 0) throw new Error(`no submission succeeded${otherAnswers(saturated, 201)}`);
    const halfRate = Math.max(1, Math.round(perSecond / 2));
    const half = await load({ durationSeconds: seconds, overallRate: halfRate });
    const peak = await peakRssMb(server.pid);

    const after = await openBench(server);
    const delays = await sequencingDelays(after.ctx, since);
    await after.handle.close();
    await server.stop();

    const answers = Object.keys(pindahAnswers()).length;
    return [
      ratioRow(
        {
          scenario: `Submit an application over HTTP (${SERVICE}, ${answers} answers incl. NIK, region, a group of 3) vs the same rows by a minimal script`,
          engine,
          figure: 'submissions/s',
          value: Math.round(perSecond),
          unit: 'submissions/s',
          baseline: Math.round(baseline),
          target: '≥ 30% of baseline',
          note: `p99 ${saturated.p99} ms at saturation${otherAnswers(saturated, 201)}`,
        },
        0.3,
      ),
      {
        scenario: 'Submit latency at 50% of saturation',
        engine,
        figure: 'p99 latency',
        value: half.p99,
        unit: 'ms',
        target: '≤ 50 ms',
        pass: half.p99 <= 50,
        note: `p50 ${half.p50} ms at ${halfRate}/s offered, ${Math.round(successes(half, 201) / half.durationSeconds)}/s filed${otherAnswers(half, 201)}`,
      },
      {
        scenario: 'Server memory under the submit load (baseline: idle RSS)',
        engine,
        figure: 'peak RSS',
        value: peak,
        unit: 'MB',
        baseline: idle,
        ratio: Math.round((peak / idle) * 1000) / 1000,
        target: '≤ 300 MB',
        pass: peak <= 300,
      },
      {
        scenario: 'Audit sequencing delay under the submit load (leaf written → tree position)',
        engine,
        figure: 'p99 delay',
        value: quantile(delays, 0.99),
        unit: 'ms',
        target: '≤ 1,000 ms',
        pass: quantile(delays, 0.99) <= 1000,
        note: `p50 ${quantile(delays, 0.5)} ms over ${delays.length.toLocaleString('en-US')} leaves; the sequencer runs every 500 ms`,
      },
    ];
  } finally {
    await stopIfRunning(server);
    await server.cleanup();
  }
}

/**
 * Citizens filing applications in one request each (validation, encryption, tracking number,
 * workflow start, audit leaf, in-app notification), against the same rows written straight with the
 * same driver; latency at half the saturated rate; the server's peak memory; how long audit leaves
 * wait for their tree position meanwhile.
 */
export const submitScenario: Scenario = eachEngine('submit', submitOn);
