import type { AppContext } from '../context.ts';
import { nowIso } from '../db/ids.ts';
import { pruneRateLimits } from './rate-limit.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Pruned {
  sessions: number;
  verificationCodes: number;
}

/**
 * Removes what has expired: sessions past their absolute end, rate-limit windows and one-time
 * codes older than a day. The cluster runs it once per period (`CLUSTER_JOBS` in app.ts claims
 * each run for one node); it stays idempotent, so a run that overlaps another does no harm.
 */
export async function pruneExpired(ctx: AppContext, now = Date.now()): Promise<Pruned> {
  const sessions = await ctx.db
    .deleteFrom('sessions')
    .where('expires_at', '<', nowIso(now))
    .executeTakeFirst();
  const codes = await ctx.db
    .deleteFrom('verification_codes')
    .where('expires_at', '<', nowIso(now - DAY_MS))
    .executeTakeFirst();
  await pruneRateLimits(ctx.db, now - DAY_MS);
  return { sessions: Number(sessions.numDeletedRows), verificationCodes: Number(codes.numDeletedRows) };
}
