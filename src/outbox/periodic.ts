/**
 * Periodic jobs (housekeeping, SLA escalation) run once per period for the whole cluster, not once
 * per node. Each job has one row in `settings` (`jobs.<name>`) holding when it is next due and,
 * while a node runs it, that node's name and lease. A node claims a run with a compare-and-set
 * update of that row — the same statement on SQLite and PostgreSQL, no lock held while the job
 * runs — so of several nodes that look at the same moment exactly one wins. A node that dies
 * mid-run leaves its lease behind; once the lease has expired another node claims the run.
 * The jobs stay idempotent besides, because a run that outlasts its lease may overlap the next.
 */
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';

const KEY_PREFIX = 'jobs.';

interface JobState {
  /** The job runs at the first check at or after this instant. */
  dueAt: string;
  /** While a node runs it: until when its claim holds, and which node. */
  leaseUntil: string | null;
  owner: string | null;
}

/** The stored text of a state; fixed key order, so equal states are equal text (compare-and-set). */
function stateText(state: JobState): string {
  return JSON.stringify({ dueAt: state.dueAt, leaseUntil: state.leaseUntil, owner: state.owner });
}

function parseState(text: string): JobState | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const dueAt: unknown = Reflect.get(value, 'dueAt');
    const leaseUntil: unknown = Reflect.get(value, 'leaseUntil');
    const owner: unknown = Reflect.get(value, 'owner');
    if (typeof dueAt !== 'string') return undefined;
    return {
      dueAt,
      leaseUntil: typeof leaseUntil === 'string' ? leaseUntil : null,
      owner: typeof owner === 'string' ? owner : null,
    };
  } catch {
    return undefined;
  }
}

/** A run this node holds: the row's text as the claim wrote it, to finish with another compare-and-set. */
export interface ClaimedRun {
  job: string;
  owner: string;
  leaseUntil: string;
  claimedText: string;
}

/** Replaces the row's value only if it is still `expected`; true when this call changed it. */
async function compareAndSet(db: Db, key: string, expected: string, next: string): Promise<boolean> {
  const result = await db
    .updateTable('settings')
    .set({ value: next })
    .where('key', '=', key)
    .where('value', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Claims the job's run for `owner` when it is due and no live lease holds it; undefined when it
 * is not due, another node holds it, or another node claimed it in the same instant.
 */
export async function claimRun(
  db: Db,
  job: string,
  owner: string,
  options: { leaseMs: number; now?: number },
): Promise<ClaimedRun | undefined> {
  const now = options.now ?? Date.now();
  const key = `${KEY_PREFIX}${job}`;
  // A job never run before is due at once; of two nodes inserting it, the second inserts nothing.
  await db
    .insertInto('settings')
    .values({ key, value: stateText({ dueAt: nowIso(now), leaseUntil: null, owner: null }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  const state = parseState(row.value);
  const nowText = nowIso(now);
  // A row nobody can read (edited by hand) is claimed as if due, and rewritten whole.
  if (state && state.dueAt > nowText) return undefined;
  if (state?.leaseUntil && state.leaseUntil > nowText) return undefined;
  const leaseUntil = nowIso(now + options.leaseMs);
  const claimedText = stateText({ dueAt: state?.dueAt ?? nowText, leaseUntil, owner });
  if (!(await compareAndSet(db, key, row.value, claimedText))) return undefined;
  return { job, owner, leaseUntil, claimedText };
}

/**
 * Ends a claimed run and makes the job due again at `nextDueAt`. False when the lease had expired
 * and another node had claimed the run meanwhile: that node's run decides the schedule then.
 */
export async function finishRun(db: Db, run: ClaimedRun, nextDueAt: number): Promise<boolean> {
  const next = stateText({ dueAt: nowIso(nextDueAt), leaseUntil: null, owner: null });
  return compareAndSet(db, `${KEY_PREFIX}${run.job}`, run.claimedText, next);
}

export interface PeriodicOptions {
  /** The period: a run is due this long after the previous one ended. */
  everyMs: number;
  /** How long a claim holds before another node may take the run over (a crashed node's). */
  leaseMs: number;
  now?: () => number;
}

export type RunOutcome = 'ran' | 'not_due';

/**
 * Runs `task` if this node wins the job's current run, then schedules the next run one period
 * later, whether the task succeeded or failed (a failure is thrown after scheduling, for the
 * caller to log: the job is tried again next period, as before on every node).
 */
export async function runIfDue(
  db: Db,
  job: string,
  owner: string,
  options: PeriodicOptions,
  task: () => Promise<unknown>,
): Promise<RunOutcome> {
  const clock = options.now ?? Date.now;
  const run = await claimRun(db, job, owner, { leaseMs: options.leaseMs, now: clock() });
  if (!run) return 'not_due';
  try {
    await task();
  } finally {
    await finishRun(db, run, clock() + options.everyMs);
  }
  return 'ran';
}
