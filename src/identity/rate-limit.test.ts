import { describe, expect, it } from 'vitest';
import { ENGINES, onEngine, useTestContext } from '../../test/helpers/engines.ts';
import { hitRateLimit } from './rate-limit.ts';

describe.each(ENGINES)('database-backed rate limits', (engine) => {
  const testDb = useTestContext(engine);

  it(
    onEngine(
      engine,
      'allows up to the limit in a window, refuses after, and starts again in the next window',
    ),
    async () => {
      const rule = { limit: 3, windowMs: 60_000 };
      const t0 = 1_800_000_000_000;
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await hitRateLimit(testDb.opened.ctx.db, 'k1', rule, t0 + i));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
      expect(results[4]?.retryAfterSeconds).toBeGreaterThan(0);
      const next = await hitRateLimit(testDb.opened.ctx.db, 'k1', rule, t0 + 60_000);
      expect(next).toMatchObject({ allowed: true, hits: 1 });
    },
  );

  it(onEngine(engine, 'counts concurrent hits exactly (no lost updates)'), async () => {
    const rule = { limit: 1000, windowMs: 60_000 };
    const t0 = 1_800_000_000_000;
    await Promise.all(Array.from({ length: 40 }, () => hitRateLimit(testDb.opened.ctx.db, 'k2', rule, t0)));
    const last = await hitRateLimit(testDb.opened.ctx.db, 'k2', rule, t0);
    expect(last.hits).toBe(41);
  });
});
