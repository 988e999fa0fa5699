import { describe, expect, it } from 'vitest';
import { ENGINES, onEngine, useTestContext } from '../../test/helpers/engines.ts';
import { claimJobs, enqueue, MAX_ATTEMPTS, markFailed, retryDelayMs } from './outbox.ts';
import { OutboxWorker } from './worker.ts';

describe('retry delays', () => {
  it('grow exponentially with ±25 % jitter and are capped', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(2000);
    expect(retryDelayMs(3, () => 0.5)).toBe(8000);
    expect(retryDelayMs(1, () => 0)).toBe(1500);
    expect(retryDelayMs(1, () => 1)).toBe(2500);
    expect(retryDelayMs(40, () => 0.5)).toBe(30 * 60 * 1000);
  });
});

describe.each(ENGINES)('outbox', (engine) => {
  const testDb = useTestContext(engine);

  it(onEngine(engine, 'a job enqueued in a rolled-back transaction never exists'), async () => {
    const { db } = testDb.opened.ctx;
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueue(trx, 'test.rollback', { n: 1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await db.selectFrom('outbox').select('id').where('topic', '=', 'test.rollback').execute();
    expect(rows).toHaveLength(0);
  });

  it(onEngine(engine, 'a claimed job is invisible to other claimers until its lease expires'), async () => {
    const { db } = testDb.opened.ctx;
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const id = await enqueue(db, 'test.lease', { n: 2 }, t0);
    const first = await claimJobs(db, engine, 10, 30_000, t0 + 1);
    expect(first.map((j) => j.id)).toContain(id);
    const second = await claimJobs(db, engine, 10, 30_000, t0 + 2);
    expect(second.map((j) => j.id)).not.toContain(id);
    const afterLease = await claimJobs(db, engine, 10, 30_000, t0 + 30_002);
    expect(afterLease.find((j) => j.id === id)?.attempts).toBe(2);
  });

  it(onEngine(engine, 'concurrent claimers never take the same job'), async () => {
    const { db } = testDb.opened.ctx;
    const t0 = Date.parse('2031-01-01T00:00:00Z');
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add(await enqueue(db, 'test.concurrent', { i }, t0));
    const batches = await Promise.all(
      Array.from({ length: 6 }, () => claimJobs(db, engine, 10, 60_000, t0 + 5)),
    );
    const claimed = batches.flat().filter((j) => ids.has(j.id));
    expect(new Set(claimed.map((j) => j.id)).size).toBe(claimed.length);
    expect(claimed.length).toBe(30);
  });

  it(
    onEngine(
      engine,
      'the worker delivers, retries a failing handler later, and gives up after the last attempt',
    ),
    async () => {
      const { db } = testDb.opened.ctx;
      await db.deleteFrom('outbox').execute();
      let calls = 0;
      const delivered: unknown[] = [];
      const worker = new OutboxWorker(
        testDb.opened.ctx,
        new Map([
          [
            'test.flaky',
            async (_ctx, payload) => {
              calls++;
              if (calls === 1) throw new Error('gateway down');
              delivered.push(payload);
            },
          ],
        ]),
        { intervalMs: 10 },
      );
      const id = await enqueue(db, 'test.flaky', { hello: 'world' });
      expect(await worker.runOnce()).toBe(1);
      const failed = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway down' });
      expect(Date.parse(failed.available_at)).toBeGreaterThan(Date.now());
      await db
        .updateTable('outbox')
        .set({ available_at: new Date(0).toISOString() })
        .where('id', '=', id)
        .execute();
      expect(await worker.runOnce()).toBe(1);
      expect(delivered).toEqual([{ hello: 'world' }]);
      const done = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(done.status).toBe('done');

      const deadId = await enqueue(db, 'test.unknown', {});
      await db
        .updateTable('outbox')
        .set({ attempts: MAX_ATTEMPTS - 1 })
        .where('id', '=', deadId)
        .execute();
      const job = (await claimJobs(db, engine, 100, 60_000)).find((j) => j.id === deadId);
      expect(job?.attempts).toBe(MAX_ATTEMPTS);
      if (job) await markFailed(db, job, 'no handler');
      const dead = await db
        .selectFrom('outbox')
        .select('status')
        .where('id', '=', deadId)
        .executeTakeFirstOrThrow();
      expect(dead.status).toBe('dead');
    },
  );
});
