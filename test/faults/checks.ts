/**
 * What "nothing was lost" means after a fault, checked against the database itself: every
 * acknowledged submission exists exactly once, every acknowledged action is in its history, every
 * history is a path through the workflow, every notification was recorded once and handed to its
 * channel at least once, and the audit log verifies.
 */
import { createLogger, type Opened, openContext } from '../../src/app.ts';
import { getPublished } from '../../src/catalog/service.ts';
import { loadConfig } from '../../src/config/config.ts';
import { DELIVER_TOPIC } from '../../src/notifications/service.ts';
import { auditVerify, trace, waitUntil } from './helpers.ts';
import { type Load, SERVICE } from './load.ts';
import type { ReceivedMail } from './sinks.ts';

export async function openForChecks(env: Record<string, string>): Promise<Opened> {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  return openContext(config, createLogger(config));
}

interface EventRow {
  application_id: string;
  kind: string;
  action: string | null;
  from_state: string | null;
  to_state: string | null;
  created_at: string;
  id: string;
}

const KIND_ORDER: Record<string, number> = { created: 0, submitted: 1 };

function inOrder(a: EventRow, b: EventRow): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  const ka = KIND_ORDER[a.kind] ?? 2;
  const kb = KIND_ORDER[b.kind] ?? 2;
  if (ka !== kb) return ka - kb;
  return a.id < b.id ? -1 : 1;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Submissions and actions the clients saw acknowledged, checked against what is stored. */
export async function checkWrites(opened: Opened, load: Load): Promise<string[]> {
  const { db } = opened.ctx;
  const problems: string[] = [];
  const prefix = `u:${load.citizenId}:`;
  const rows: { id: string; submit_key: string | null; state: string | null; row_version: number }[] = [];
  for (const keys of chunks([...load.attemptedKeys], 200)) {
    rows.push(
      ...(await db
        .selectFrom('applications')
        .select(['id', 'submit_key', 'state', 'row_version'])
        .where(
          'submit_key',
          'in',
          keys.map((k) => `${prefix}${k}`),
        )
        .execute()),
    );
  }
  const byKey = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = (row.submit_key ?? '').slice(prefix.length);
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  for (const [key, id] of load.submitted) {
    const found = byKey.get(key) ?? [];
    if (found.length !== 1) problems.push(`acknowledged submission ${key} is stored ${found.length} times`);
    else if (found[0]?.id !== id)
      problems.push(`acknowledged submission ${key} answered ${id} but stored ${found[0]?.id}`);
  }
  for (const [key, found] of byKey)
    if (found.length > 1) problems.push(`submission ${key} is stored ${found.length} times`);

  const workflow = (await getPublished(opened.ctx, SERVICE)).definition.workflow;
  const events: EventRow[] = [];
  for (const ids of chunks(
    rows.map((r) => r.id),
    200,
  )) {
    events.push(
      ...(await db
        .selectFrom('application_events')
        .select(['application_id', 'kind', 'action', 'from_state', 'to_state', 'created_at', 'id'])
        .where('application_id', 'in', ids)
        .execute()),
    );
  }
  const history = new Map<string, EventRow[]>();
  for (const e of events) history.set(e.application_id, [...(history.get(e.application_id) ?? []), e]);
  const actionsOf = new Map<string, EventRow[]>();
  for (const row of rows) {
    const path = (history.get(row.id) ?? []).sort(inOrder);
    problems.push(...checkPath(row, path, workflow));
    actionsOf.set(
      row.id,
      path.filter((e) => e.kind === 'action'),
    );
  }
  for (const ack of load.actions) {
    const row = rows.find((r) => r.id === ack.id);
    const actions = actionsOf.get(ack.id) ?? [];
    // The filing leaves the row at some version; each action adds one.
    const first = (row?.row_version ?? 0) - actions.length;
    const event = actions[ack.rowVersion - first - 1];
    if (event?.action !== ack.action || event.to_state !== ack.state)
      problems.push(
        `acknowledged action ${ack.action} → ${ack.state} (version ${ack.rowVersion}) of ${ack.id} is not in its history`,
      );
  }
  return problems;
}

type Workflow = Awaited<ReturnType<typeof getPublished>>['definition']['workflow'];

/** One application's history: created, submitted into the start state, then allowed moves only. */
function checkPath(
  row: { id: string; state: string | null; row_version: number },
  path: EventRow[],
  workflow: Workflow,
): string[] {
  const kinds = path.map((e) => e.kind);
  if (kinds[0] !== 'created' || kinds[1] !== 'submitted' || path[1]?.to_state !== workflow.startState)
    return [`${row.id}: history does not start with created, submitted: ${kinds.join(', ')}`];
  let state = workflow.startState;
  for (const e of path.slice(2)) {
    const action = workflow.actions.find((a) => a.key === e.action);
    const from = typeof action?.from === 'string' ? [action.from] : (action?.from ?? []);
    if (
      e.kind !== 'action' ||
      !action ||
      e.from_state !== state ||
      !from.includes(state) ||
      e.to_state !== action.to
    )
      return [`${row.id}: ${e.kind} ${e.action} ${e.from_state} → ${e.to_state} is not a move from ${state}`];
    state = action.to;
  }
  if (row.state !== state) return [`${row.id}: stored state ${row.state}, history ends in ${state}`];
  return [];
}

/** Waits until the outbox has delivered everything it holds (nothing pending). */
export async function waitOutboxDrained(opened: Opened, timeoutMs = 90_000): Promise<void> {
  await waitUntil(
    'the outbox to deliver every notification',
    async () => {
      const row = await opened.ctx.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .where('topic', '=', DELIVER_TOPIC)
        .executeTakeFirstOrThrow();
      return Number(row.n) === 0;
    },
    timeoutMs,
    100,
  );
}

/**
 * Every e-mail and SMS notification of the load's applications: one per history event and channel
 * (recorded exactly once), sent, with exactly one outbox job, done; and each handed over to its
 * channel's test server at least once.
 */
export async function checkNotifications(
  opened: Opened,
  load: Load,
  sinks: { mail: ReceivedMail[]; sms?: { to: string; text: string }[] },
): Promise<string[]> {
  const { db, keyring } = opened.ctx;
  const problems: string[] = [];
  const ids = [...load.submitted.values()];
  const tracking = new Map<string, string>();
  for (const part of chunks(ids, 200)) {
    const rows = await db
      .selectFrom('applications')
      .select(['id', 'tracking_number'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) if (r.tracking_number) tracking.set(r.tracking_number, r.id);
  }
  const expected = new Map<string, number>();
  for (const part of chunks(ids, 200)) {
    const rows = await db
      .selectFrom('application_events')
      .select(['application_id'])
      .where('application_id', 'in', part)
      .where('kind', 'in', ['submitted', 'action'])
      .execute();
    for (const r of rows) expected.set(r.application_id, (expected.get(r.application_id) ?? 0) + 1);
  }
  const notifications = await db
    .selectFrom('notifications')
    .select(['id', 'channel', 'recipient_enc', 'subject_enc', 'body_enc', 'status'])
    .where('user_id', '=', load.citizenId)
    .where('channel', '!=', 'in_app')
    .execute();
  const jobs = await db
    .selectFrom('outbox')
    .select(['payload', 'status'])
    .where('topic', '=', DELIVER_TOPIC)
    .execute();
  const jobsOf = new Map<string, string[]>();
  for (const job of jobs) {
    const payload: unknown = JSON.parse(job.payload);
    const id =
      typeof payload === 'object' && payload !== null ? String(Reflect.get(payload, 'notificationId')) : '';
    jobsOf.set(id, [...(jobsOf.get(id) ?? []), job.status]);
  }
  const perApplication = new Map<string, number>();
  const mailWanted = new Map<string, number>();
  const smsWanted = new Map<string, number>();
  for (const n of notifications) {
    const body = await keyring.decrypt(n.body_enc, 'notifications.body');
    const number = [...tracking.keys()].find((t) => body.includes(t));
    if (number === undefined) continue;
    const application = tracking.get(number) ?? '';
    const key = `${application} ${n.channel}`;
    perApplication.set(key, (perApplication.get(key) ?? 0) + 1);
    const statuses = jobsOf.get(n.id) ?? [];
    if (n.status !== 'sent') problems.push(`notification ${n.id} is ${n.status}`);
    if (statuses.length !== 1 || statuses[0] !== 'done')
      problems.push(`notification ${n.id} has outbox jobs [${statuses.join(', ')}]`);
    const to = n.recipient_enc ? await keyring.decrypt(n.recipient_enc, 'notifications.recipient') : '';
    if (n.channel === 'email') {
      const subject = await keyring.decrypt(n.subject_enc, 'notifications.subject');
      const k = `${to}\n${subject}`;
      mailWanted.set(k, (mailWanted.get(k) ?? 0) + 1);
    } else {
      const k = `${to}\n${body}`;
      smsWanted.set(k, (smsWanted.get(k) ?? 0) + 1);
    }
  }
  const channels = new Set(notifications.map((n) => n.channel));
  for (const application of ids) {
    for (const channel of channels) {
      const got = perApplication.get(`${application} ${channel}`) ?? 0;
      const want = expected.get(application) ?? 0;
      if (got !== want) problems.push(`${application}: ${got} ${channel} notifications for ${want} events`);
    }
  }
  problems.push(
    ...missing(
      'e-mail',
      mailWanted,
      sinks.mail.map((m) => `${m.to}\n${m.subject}`),
    ),
  );
  if (sinks.sms)
    problems.push(
      ...missing(
        'SMS',
        smsWanted,
        sinks.sms.map((m) => `${m.to}\n${m.text}`),
      ),
    );
  return problems;
}

/** Messages wanted more often than the channel received them. */
function missing(channel: string, wanted: Map<string, number>, received: string[]): string[] {
  const got = new Map<string, number>();
  for (const r of received) got.set(r, (got.get(r) ?? 0) + 1);
  const problems: string[] = [];
  for (const [message, n] of wanted)
    if ((got.get(message) ?? 0) < n)
      problems.push(
        `${channel} "${message.replace('\n', ': ')}" delivered ${got.get(message) ?? 0} of ${n} times`,
      );
  return problems;
}

/** Waits until every audit leaf has its tree position, then runs `gapura audit verify`. */
export async function checkAudit(opened: Opened, env: Record<string, string>): Promise<string[]> {
  await waitUntil(
    'the sequencer to place every audit leaf',
    async () => {
      const row = await opened.ctx.db
        .selectFrom('audit_leaves')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('seq', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n) === 0;
    },
    60_000,
    100,
  );
  const verified = auditVerify(env);
  return verified.status === 0 ? [] : [`gapura audit verify exited ${verified.status}: ${verified.output}`];
}

/** Everything at once, for a test to expect to be empty. */
export async function checkNothingLost(
  env: Record<string, string>,
  load: Load,
  sinks?: { mail: ReceivedMail[]; sms?: { to: string; text: string }[] },
): Promise<string[]> {
  const opened = await openForChecks(env);
  try {
    const problems = await checkWrites(opened, load);
    trace('writes checked');
    if (sinks) {
      await waitOutboxDrained(opened);
      trace('outbox drained');
      problems.push(...(await checkNotifications(opened, load, sinks)));
      trace('notifications checked');
    }
    problems.push(...(await checkAudit(opened, env)));
    trace('audit verified');
    return problems;
  } finally {
    await opened.handle.close();
  }
}

/**
 * Ends the leases on outbox jobs held right now. A node killed while delivering keeps its claimed
 * jobs leased until the lease runs out (a minute); the tests move that clock forward instead of
 * waiting. Jobs a live node holds at that moment may then be delivered twice, which at-least-once
 * delivery allows.
 */
export async function endHeldLeases(env: Record<string, string>): Promise<number> {
  const opened = await openForChecks(env);
  try {
    const now = new Date().toISOString();
    const result = await opened.ctx.db
      .updateTable('outbox')
      .set({ lease_until: now })
      .where('status', '=', 'pending')
      .where('lease_until', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  } finally {
    await opened.handle.close();
  }
}
