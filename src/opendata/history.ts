/**
 * Generated history of applications, for the demo's first start (so the dashboards, the inbox and
 * the survey have months of data) and for the benchmark. Each application walks its service's real
 * workflow — submission, identity check where the service requires one, sometimes a return for
 * revision, the officers' actions, an approval, a rejection or a withdrawal — on working days of
 * the agency's calendar, with deadlines computed exactly as the workflow computes them, and is
 * written straight into the tables with its history events, a tracking number and encrypted
 * (empty) answers. The applicants are walk-in citizens filed at the counter, so no account
 * suddenly owns thousands of applications.
 */
import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import { agencyOf, CONSENT_VERSION } from '../applications/service.ts';
import { clockRuns, overallDeadline, stateDeadline, stateOf, type Transition } from '../applications/sla.ts';
import { ALPHABET, newTrackingNumber } from '../applications/tracking.ts';
import { appendAuditLeaf } from '../audit/log.ts';
import { type AgencyTimeZone, type Calendar, localDate } from '../calendar/calendar.ts';
import { calendarFor } from '../calendar/service.ts';
import type { ServiceDefinition, WorkflowAction } from '../catalog/schemas.ts';
import { getPublished } from '../catalog/service.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import type { Database } from '../db/schema.ts';
import { addMonths, offsetSeconds } from './periods.ts';
import * as store from './store.ts';

export interface HistoryOptions {
  now: Date;
  /** How many months back the history starts (the current month is the last). */
  months: number;
  /** Applications per month of each service (by slug); services not named get none. */
  volumes: Readonly<Record<string, number>>;
  /** Write history events too (the benchmark leaves them out: the figures do not read them). */
  events: boolean;
  /** Deterministic when given, so a demo always looks the same. */
  seed: number;
}

type ApplicationRow = Insertable<Database['applications']>;
type EventRow = Insertable<Database['application_events']>;

const MINUTE_MS = 60_000;
const BATCH = 500;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Step {
  action: WorkflowAction;
  /** Working days after the previous step. */
  days: number;
}

/** Everything one service's applications share. */
interface ServiceContext {
  serviceId: string;
  versionId: string;
  agencyId: string;
  agencyCode: string;
  tz: AgencyTimeZone;
  definition: ServiceDefinition;
  calendar: Calendar;
  staff: Map<string, string>;
  counterOfficer: string;
  happyPath: WorkflowAction[];
}

function fromStates(action: WorkflowAction): readonly string[] {
  return typeof action.from === 'string' ? [action.from] : action.from;
}

/** The shortest run of ordinary actions from the start to an approved state. */
function happyPathOf(definition: ServiceDefinition): WorkflowAction[] {
  const forward = definition.workflow.actions.filter(
    (a) => a.kind === undefined || a.kind === 'normal' || a.kind === 'approve',
  );
  const queue: { state: string; path: WorkflowAction[] }[] = [
    { state: definition.workflow.startState, path: [] },
  ];
  const seen = new Set([definition.workflow.startState]);
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) break;
    if (stateOf(definition, next.state)?.terminal === 'approved') return next.path;
    for (const action of forward.filter((a) => fromStates(a).includes(next.state))) {
      if (seen.has(action.to)) continue;
      seen.add(action.to);
      queue.push({ state: action.to, path: [...next.path, action] });
    }
  }
  return [];
}

function actionOf(definition: ServiceDefinition, kind: WorkflowAction['kind'], from: string) {
  return definition.workflow.actions.find((a) => a.kind === kind && fromStates(a).includes(from));
}

/** Working days an officer takes in a state: mostly within its SLA, sometimes late. */
function officerDays(definition: ServiceDefinition, state: string, random: () => number): number {
  const s = stateOf(definition, state);
  if (s && !s.slaRuns) return 1 + Math.floor(random() * 4); // waiting for the applicant (payment)
  const sla = s?.slaDays ?? 1;
  if (random() < 0.12) return sla + 1 + Math.floor(random() * 3);
  return Math.floor(random() * (sla + 1));
}

/** The steps one application takes, from its submission to where it ends (or would end). */
function planSteps(service: ServiceContext, random: () => number): Step[] {
  const { definition } = service;
  const start = definition.workflow.startState;
  const steps: Step[] = [];
  const giveBack = actionOf(definition, 'return_for_revision', start);
  if (giveBack && random() < 0.12) {
    const resubmit = definition.workflow.actions.find(
      (a) => fromStates(a).includes(giveBack.to) && a.to === start,
    );
    if (resubmit) {
      steps.push({ action: giveBack, days: officerDays(definition, start, random) });
      steps.push({ action: resubmit, days: 1 + Math.floor(random() * 5) });
    }
  }
  const roll = random();
  const withdraw = actionOf(definition, 'withdraw', start);
  if (roll < 0.05 && withdraw) {
    steps.push({ action: withdraw, days: Math.floor(random() * 3) });
    return steps;
  }
  const path = service.happyPath;
  const rejectAt = roll < 0.15 ? Math.floor(random() * path.length) : -1;
  for (let i = 0; i < path.length; i++) {
    const action = path[i];
    if (!action) break;
    const from = fromStates(action)[0] ?? start;
    const reject = i === rejectAt ? actionOf(definition, 'reject', from) : undefined;
    steps.push({ action: reject ?? action, days: officerDays(definition, from, random) });
    if (reject) break;
  }
  return steps;
}

/** An instant on a local date, `minutes` after midnight. */
function at(date: string, minutes: number, tz: AgencyTimeZone): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - offsetSeconds(tz) * 1000 + minutes * MINUTE_MS);
}

function officeMinutes(random: () => number): number {
  return 8 * 60 + Math.floor(random() * 7.5 * 60);
}

/**
 * Unpredictable whole numbers below 32 (the tracking alphabet's size, which divides 256, so taking
 * a byte modulo it is unbiased), drawn from a pool of random bytes refilled as it runs out: one
 * system call for thousands of tracking numbers and secrets instead of one per character.
 */
function randomAlphabetIndex(): () => number {
  let pool = randomBytes(0);
  let next = 0;
  return () => {
    if (next >= pool.length) {
      pool = randomBytes(4096);
      next = 0;
    }
    return (pool[next++] ?? 0) % ALPHABET.length;
  };
}

const drawIndex = randomAlphabetIndex();

function secret(): string {
  let text = '';
  for (let i = 0; i < 8; i++) text += ALPHABET[drawIndex()];
  return text;
}

interface Built {
  application: ApplicationRow;
  events: EventRow[];
}

/** The history event of an officer's (or the applicant's) action. */
function actionEvent(
  ctx: AppContext,
  service: ServiceContext,
  applicationId: string,
  action: WorkflowAction,
  from: string,
  when: Date,
): EventRow {
  const role = action.roles.find((r) => r !== 'applicant' && service.staff.has(r));
  const id = newId(when.getTime());
  const firstField = service.definition.form.sections.at(-1)?.fields[0]?.key ?? '';
  return {
    id,
    application_id: applicationId,
    kind: 'action',
    action: action.key,
    from_state: from,
    to_state: action.to,
    actor_id: role ? (service.staff.get(role) ?? service.counterOfficer) : service.counterOfficer,
    comment_enc: action.requiresComment
      ? ctx.keyring.encrypt(
          service.agencyId,
          COMMENTS[action.kind ?? 'normal'],
          `application_events.comment:${id}`,
        )
      : null,
    flagged_fields: action.kind === 'return_for_revision' ? JSON.stringify([firstField]) : null,
    attachment_id: null,
    created_at: when.toISOString(),
  };
}

/** One application filed at `filedAt`, taken through its steps as far as `now`. */
function buildApplication(
  ctx: AppContext,
  service: ServiceContext,
  filedAt: Date,
  now: Date,
  random: () => number,
  tracking: string,
  withEvents: boolean,
): Built {
  const { definition, calendar, tz } = service;
  const id = newId(filedAt.getTime());
  const createdAt = new Date(filedAt.getTime() - (5 + Math.floor(random() * 20)) * MINUTE_MS).toISOString();
  const submitted = filedAt.toISOString();
  const start = definition.workflow.startState;
  const transitions: Transition[] = [{ toState: start, at: submitted }];
  const events: EventRow[] = [];
  let changes = 0;
  const event = (row: Omit<EventRow, 'id' | 'application_id'>) => {
    if (row.kind === 'action' || row.kind === 'identity_verified') changes++;
    if (withEvents) events.push({ id: newId(Date.parse(row.created_at)), application_id: id, ...row });
  };
  event({
    kind: 'created',
    action: null,
    from_state: null,
    to_state: null,
    actor_id: service.counterOfficer,
    created_at: createdAt,
  });
  event({
    kind: 'submitted',
    action: null,
    from_state: null,
    to_state: start,
    actor_id: service.counterOfficer,
    created_at: submitted,
  });
  const verifies = definition.dataRules.identityAssurance === 'counter_verified';
  const verifiedAt = verifies ? new Date(filedAt.getTime() + MINUTE_MS).toISOString() : null;
  if (verifiedAt)
    event({
      kind: 'identity_verified',
      action: null,
      from_state: start,
      to_state: start,
      actor_id: service.counterOfficer,
      created_at: verifiedAt,
    });

  let state = start;
  let last = filedAt;
  for (const step of planSteps(service, random)) {
    const day = calendar.addWorkingDays(localDate(last, tz), step.days);
    let when = at(day, officeMinutes(random), tz);
    if (when.getTime() <= last.getTime())
      when = new Date(last.getTime() + (10 + Math.floor(random() * 80)) * MINUTE_MS);
    if (when.getTime() > now.getTime()) break;
    changes++;
    if (withEvents) events.push(actionEvent(ctx, service, id, step.action, state, when));
    transitions.push({ toState: step.action.to, at: when.toISOString() });
    state = step.action.to;
    last = when;
  }

  const current = stateOf(definition, state);
  const outcome = current?.terminal ?? null;
  const lastAt = last.toISOString();
  const dueAt = overallDeadline(calendar, definition, submitted, transitions, tz, last).toISOString();
  const application: ApplicationRow = {
    id,
    agency_id: service.agencyId,
    service_id: service.serviceId,
    service_version_id: service.versionId,
    applicant_id: null,
    assisted_by: service.counterOfficer,
    stage: outcome ? 'closed' : 'active',
    state,
    outcome,
    answers_enc: ctx.keyring.encrypt(service.agencyId, '{}', `applications.answers:${id}`),
    tracking_number: tracking,
    tracking_secret_enc: ctx.keyring.encrypt(service.agencyId, secret(), `applications.secret:${id}`),
    submit_key: null,
    consent_version: CONSENT_VERSION,
    row_version: 2 + changes,
    created_at: createdAt,
    updated_at: lastAt,
    submitted_at: submitted,
    due_at: dueAt,
    assigned_to: null,
    state_entered_at: lastAt,
    state_due_at: stateDeadline(calendar, current, last, tz)?.toISOString() ?? null,
    closed_at: outcome ? lastAt : null,
    identity_verified_by: verifiedAt ? service.counterOfficer : null,
    identity_verified_at: verifiedAt,
    sla_paused: clockRuns(current) || outcome ? 0 : 1,
  };
  return { application, events };
}

const COMMENTS: Record<NonNullable<WorkflowAction['kind']>, string> = {
  approve: 'Disetujui.',
  normal: 'Sudah diperiksa.',
  return_for_revision: 'Mohon unggah ulang dokumen yang lebih jelas.',
  reject: 'Persyaratan tidak terpenuhi.',
  withdraw: 'Dibatalkan atas permintaan pemohon.',
};

async function serviceContext(ctx: AppContext, slug: string): Promise<ServiceContext> {
  const published = await getPublished(ctx, slug);
  const service = await store.findServiceIds(ctx.db, slug);
  if (!service) throw new Error(`no service ${slug}`);
  const agency = await agencyOf(ctx.db, service.agencyId);
  const staff = await store.staffByRole(ctx.db, agency.id);
  const counterOfficer = staff.get('counter_officer') ?? [...staff.values()][0];
  if (!counterOfficer) throw new Error(`agency ${agency.slug} has no staff to file at the counter`);
  return {
    serviceId: service.id,
    versionId: published.versionId,
    agencyId: agency.id,
    agencyCode: agency.code,
    tz: agency.timezone,
    definition: published.definition,
    calendar: await calendarFor(ctx, agency.id),
    staff,
    counterOfficer,
    happyPath: happyPathOf(published.definition),
  };
}

/** The working days of a local month up to `last` (inclusive), as local dates. */
function workingDaysOf(calendar: Calendar, month: string, last: string): string[] {
  const year = Number(month.slice(0, 4));
  const monthIndex = Number(month.slice(5, 7)) - 1;
  const days: string[] = [];
  for (let d = 1; d <= 31; d++) {
    const date = new Date(Date.UTC(year, monthIndex, d));
    const text = date.toISOString().slice(0, 10);
    if (date.getUTCMonth() !== monthIndex || text > last) break;
    if (calendar.isWorkingDay(text)) days.push(text);
  }
  return days;
}

async function insertBuilt(trx: Db, built: readonly Built[]): Promise<void> {
  for (let i = 0; i < built.length; i += BATCH)
    await store.insertApplications(
      trx,
      built.slice(i, i + BATCH).map((b) => b.application),
    );
  const events = built.flatMap((b) => b.events);
  for (let i = 0; i < events.length; i += BATCH * 2)
    await store.insertEvents(trx, events.slice(i, i + BATCH * 2));
}

/** One service's months of applications, written month by month in one transaction with its audit leaf. */
async function generateService(
  ctx: AppContext,
  slug: string,
  volume: number,
  options: HistoryOptions,
  random: () => number,
  used: Set<string>,
): Promise<number> {
  const service = await serviceContext(ctx, slug);
  await ctx.keyring.prepare([service.agencyId]);
  const today = localDate(options.now, service.tz);
  const lastMonth = today.slice(0, 7);
  return ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (let k = options.months - 1; k >= 0; k--) {
      const month = addMonths(lastMonth, -k);
      const days = workingDaysOf(service.calendar, month, today);
      const wanted = Math.round(volume * (0.85 + 0.3 * random()) * (days.length / 21));
      const built: Built[] = [];
      for (let i = 0; i < wanted && days.length > 0; i++) {
        const day = days[Math.floor(random() * days.length)] ?? today;
        const filedAt = at(day, officeMinutes(random), service.tz);
        if (filedAt.getTime() > options.now.getTime()) continue;
        let tracking = newTrackingNumber(service.agencyCode, filedAt, drawIndex).text;
        while (used.has(tracking)) tracking = newTrackingNumber(service.agencyCode, filedAt, drawIndex).text;
        used.add(tracking);
        built.push(buildApplication(ctx, service, filedAt, options.now, random, tracking, options.events));
      }
      await insertBuilt(trx, built);
      count += built.length;
    }
    await appendAuditLeaf(trx, {
      type: 'demo.history_generated',
      actorId: null,
      agencyId: service.agencyId,
      subjectId: service.serviceId,
      facts: { service: slug, applications: count, months: options.months },
    });
    return count;
  });
}

/**
 * Generates and writes the history of the named services, one service per transaction, each with an
 * audit leaf that records how many applications it added. Returns how many were written.
 */
export async function generateHistory(ctx: AppContext, options: HistoryOptions): Promise<number> {
  const random = seededRandom(options.seed);
  const used = new Set<string>();
  let written = 0;
  for (const [slug, volume] of Object.entries(options.volumes))
    written += await generateService(ctx, slug, volume, options, random, used);
  return written;
}
