import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';

export interface RateLimitRule {
  /** Most hits allowed within one window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  hits: number;
  retryAfterSeconds: number;
}

/**
 * Counts one hit against `key` in a fixed window kept in the database, so every node of a cluster
 * shares the same counters. One atomic upsert; no read-modify-write race.
 */
export async function hitRateLimit(
  db: Db,
  key: string,
  rule: RateLimitRule,
  now = Date.now(),
): Promise<RateLimitResult> {
  const windowStart = nowIso(now - (now % rule.windowMs));
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_limits.window_start = ${windowStart} then rate_limits.hits + 1 else 1 end`,
        window_start: windowStart,
      }),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  const hits = Number(row.hits);
  const windowEnd = now - (now % rule.windowMs) + rule.windowMs;
  return {
    allowed: hits <= rule.limit,
    hits,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
  };
}

/** Whether `key` has used up its hits in the current window, without counting a hit. */
export async function isRateLimited(
  db: Db,
  key: string,
  rule: RateLimitRule,
  now = Date.now(),
): Promise<RateLimitResult> {
  const windowStart = nowIso(now - (now % rule.windowMs));
  const row = await db
    .selectFrom('rate_limits')
    .select('hits')
    .where('key', '=', key)
    .where('window_start', '=', windowStart)
    .executeTakeFirst();
  const hits = Number(row?.hits ?? 0);
  const windowEnd = now - (now % rule.windowMs) + rule.windowMs;
  return {
    allowed: hits < rule.limit,
    hits,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
  };
}

/** Removes counters of windows that ended before `olderThan` (housekeeping). */
export async function pruneRateLimits(db: Db, olderThan: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', nowIso(olderThan)).execute();
}
