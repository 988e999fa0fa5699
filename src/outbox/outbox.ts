import type { Db, Engine } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';

/**
 * Queues work for after the transaction commits: call it with the same transaction as the change
 * that causes it, so the change and its notification are written together or not at all.
 */
export async function enqueue(trx: Db, topic: string, payload: unknown, now = Date.now()): Promise<string> {
  const id = newId(now);
  await trx
    .insertInto('outbox')
    .values({
      id,
      topic,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      available_at: nowIso(now),
      lease_until: null,
      last_error: null,
      created_at: nowIso(now),
      done_at: null,
    })
    .execute();
  return id;
}

export interface ClaimedJob {
  id: string;
  topic: string;
  payload: unknown;
  attempts: number;
  /** The lease this claim set: it identifies the claim, so a claim taken over cannot release the job. */
  leaseUntil: string;
}

/**
 * Claims up to `limit` due jobs for `leaseMs`. A job whose worker died is claimable again once its
 * lease has expired. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets many nodes claim without
 * waiting on each other and without two nodes taking the same job.
 */
export async function claimJobs(
  db: Db,
  engine: Engine,
  limit: number,
  leaseMs: number,
  now = Date.now(),
): Promise<ClaimedJob[]> {
  const nowText = nowIso(now);
  const leaseUntil = nowIso(now + leaseMs);
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('available_at', '<=', nowText)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowText)]))
    .orderBy('available_at')
    .limit(limit)
    .$if(engine === 'postgres', (qb) => qb.forUpdate().skipLocked());
  const rows = await db
    .updateTable('outbox')
    .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due)
    .returning(['id', 'topic', 'payload', 'attempts'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    payload: JSON.parse(r.payload),
    attempts: Number(r.attempts),
    leaseUntil,
  }));
}

export async function markDone(db: Db, id: string, now = Date.now()): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'done', done_at: nowIso(now), lease_until: null })
    .where('id', '=', id)
    .execute();
}

export const MAX_ATTEMPTS = 12;

/** Exponential backoff from 2 s, capped at 30 minutes, with ±25 % jitter so retries spread out. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(2000 * 2 ** (attempts - 1), 30 * 60 * 1000);
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * Schedules a retry, or gives up after the last attempt. Only while the job is still held by this
 * claim: when a worker outlived its lease and another node took the job over, a late failure here
 * must not release the job that node is delivering (a third node would deliver it again).
 * (A late success still marks the job done: it was delivered.)
 */
export async function markFailed(db: Db, job: ClaimedJob, error: string, now = Date.now()): Promise<void> {
  const dead = job.attempts >= MAX_ATTEMPTS;
  await db
    .updateTable('outbox')
    .set({
      status: dead ? 'dead' : 'pending',
      available_at: nowIso(now + retryDelayMs(job.attempts)),
      lease_until: null,
      last_error: error.slice(0, 500),
    })
    .where('id', '=', job.id)
    .where('status', '=', 'pending')
    .where('lease_until', '=', job.leaseUntil)
    .execute();
}
