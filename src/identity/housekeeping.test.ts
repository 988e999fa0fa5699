import { describe, expect, it } from 'vitest';
import { ENGINES, onEngine, useTestContext } from '../../test/helpers/engines.ts';
import { pruneExpired } from './housekeeping.ts';
import { hitRateLimit } from './rate-limit.ts';
import { createUser, openSession } from './service.ts';

describe.each(ENGINES)('housekeeping', (engine) => {
  const testDb = useTestContext(engine);

  it(onEngine(engine, 'removes expired sessions and old rate-limit windows, keeping live ones'), async () => {
    const { ctx } = testDb.opened;
    const { id } = await createUser(ctx, {
      kind: 'citizen',
      email: 'rina@warga.sukamaju.example',
      name: 'Rina',
      password: 'kata-sandi-panjang',
    });
    await openSession(ctx, id, 'active');
    await openSession(ctx, id, 'active');
    await ctx.db
      .updateTable('sessions')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('id', '=', (await ctx.db.selectFrom('sessions').select('id').executeTakeFirstOrThrow()).id)
      .execute();
    await hitRateLimit(
      ctx.db,
      'old-window',
      { limit: 5, windowMs: 60_000 },
      Date.parse('2020-01-01T00:00:00Z'),
    );
    await hitRateLimit(ctx.db, 'live-window', { limit: 5, windowMs: 60_000 });
    const pruned = await pruneExpired(ctx);
    expect(pruned.sessions).toBe(1);
    expect(await ctx.db.selectFrom('sessions').select('id').execute()).toHaveLength(1);
    expect((await ctx.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)).toEqual([
      'live-window',
    ]);
  });
});
