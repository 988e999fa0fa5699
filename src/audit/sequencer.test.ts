import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
} from '../../test/helpers/engines.ts';
import type { Opened } from '../app.ts';
import type { AppContext } from '../context.ts';
import { openDatabase } from '../db/database.ts';
import { appendAuditLeaf } from './log.ts';
import { hashLeaf, readRoot, rootFromLeafHashes } from './merkle.ts';
import { AuditSequencer, isHeadDue, rotateHeadKey, sequencePending } from './sequencer.ts';
import { inclusionStatus, nodeReader } from './service.ts';
import { headSignatureProblem, publishedKeys } from './signing.ts';
import { verifyLog } from './verify.ts';
import { localSource } from './verify-local.ts';

const schedule = { everyLeaves: 10, everySeconds: 60 };
const t0 = Date.parse('2030-01-01T00:00:00.000Z');

describe('when a tree head is due', () => {
  it('only when the tree grew, then every N leaves or T seconds, whichever first', () => {
    expect(isHeadDue(undefined, 0, t0, schedule, true)).toBe(false);
    expect(isHeadDue(undefined, 1, t0, schedule, false)).toBe(true);
    const last = { treeSize: 5, timestamp: new Date(t0).toISOString() };
    expect(isHeadDue(last, 5, t0 + 3_600_000, schedule, true)).toBe(false);
    expect(isHeadDue(last, 14, t0 + 1000, schedule, false)).toBe(false);
    expect(isHeadDue(last, 15, t0 + 1000, schedule, false)).toBe(true);
    expect(isHeadDue(last, 6, t0 + 60_000, schedule, false)).toBe(true);
    expect(isHeadDue(last, 6, t0 + 1000, schedule, true)).toBe(true);
  });
});

async function append(ctx: AppContext, count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const leaf = await ctx.db.transaction().execute((trx) =>
      appendAuditLeaf(trx, {
        type: 'test.event',
        actorId: null,
        agencyId: null,
        subjectId: null,
        facts: { label, i },
      }),
    );
    ids.push(leaf.id);
  }
  return ids;
}

/** Every leaf in position order, with the positions checked gap-free from 0. */
async function sequencedLeaves(ctx: AppContext) {
  const rows = await ctx.db
    .selectFrom('audit_leaves')
    .select(['id', 'seq', 'content', 'created_at'])
    .orderBy('seq')
    .limit(100_000)
    .execute();
  return rows;
}

describe.each(ENGINES)('audit sequencer', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let ctx: AppContext;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh, { GAPURA_AUDIT_HEAD_EVERY_LEAVES: '25' });
    ctx = opened.ctx;
  });
  afterAll(async () => {
    await opened.handle.close();
    await fresh.cleanup();
  });
  beforeEach(async () => {
    await sequencePending(ctx);
  });

  it(onEngine(engine, 'gives leaves from many concurrent transactions gap-free positions'), async () => {
    const before = (await sequencePending(ctx)).treeSize;
    await Promise.all(Array.from({ length: 12 }, (_, w) => append(ctx, 5, `writer-${w}`)));
    const result = await sequencePending(ctx);
    expect(result.sequenced).toBe(60);
    expect(result.treeSize).toBe(before + 60);
    expect(result.heads.map((h) => h.treeSize)).toEqual([before + 60]);
    const rows = await sequencedLeaves(ctx);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
    const batch = rows.slice(before);
    const byCreation = [...batch].sort((a, b) =>
      a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1,
    );
    expect(batch.map((r) => r.id)).toEqual(byCreation.map((r) => r.id));
    const expectedRoot = rootFromLeafHashes(rows.map((r) => hashLeaf(r.content)));
    expect((await readRoot(nodeReader(ctx.db), rows.length)).equals(expectedRoot)).toBe(true);
  });

  it(
    onEngine(engine, 'signs a head every 25 leaves after the last, and on demand only when the tree grew'),
    async () => {
      const first = await sequencePending(ctx, { forceHead: true });
      await append(ctx, 30, 'schedule');
      const result = await sequencePending(ctx, { batchSize: 7 });
      expect(result.sequenced).toBe(30);
      // Batches end at +7, +14, +21, +28, +30: the first at least 25 past the last head is +28.
      expect(result.heads.map((h) => h.treeSize - first.treeSize)).toEqual([28]);
      const keys = await publishedKeys(ctx.db);
      for (const head of result.heads) {
        expect(headSignatureProblem(head, keys)).toBeUndefined();
        expect((await readRoot(nodeReader(ctx.db), head.treeSize)).equals(head.rootHash)).toBe(true);
      }
      const forced = await sequencePending(ctx, { forceHead: true });
      expect(forced.heads.map((h) => h.treeSize)).toEqual([first.treeSize + 30]);
      expect((await sequencePending(ctx, { forceHead: true })).heads).toEqual([]);
    },
  );

  // PostgreSQL: a second connection pool, as a second node would have. SQLite: one process has one
  // connection (better-sqlite3 blocks the thread while waiting for a lock), so both race on it.
  const racing = engine === 'postgres' ? 'two connection pools race' : 'two sequencer calls race';
  it(onEngine(engine, `stays gap-free while ${racing} the sequencer during appends`), async () => {
    const other =
      engine === 'postgres'
        ? openDatabase({ databaseUrl: fresh.env.DATABASE_URL, dataDir: fresh.dataDir })
        : undefined;
    const otherCtx: AppContext = other ? { ...ctx, db: other.db } : ctx;
    try {
      let appending = true;
      const racer = async (c: AppContext) => {
        let passes = 0;
        while (appending || passes === 0) {
          await sequencePending(c, { batchSize: 4 });
          passes += 1;
        }
        return passes;
      };
      const racers = [racer(ctx), racer(otherCtx)];
      await Promise.all([append(ctx, 30, 'race-a'), append(otherCtx, 30, 'race-b')]);
      appending = false;
      await Promise.all(racers);
      await sequencePending(ctx, { forceHead: true });
    } finally {
      await other?.close();
    }
    const rows = await sequencedLeaves(ctx);
    expect(rows.every((r) => r.seq !== null)).toBe(true);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
    const outcome = await verifyLog(localSource(ctx.db));
    expect(outcome).toMatchObject({ ok: true });
  });

  it(onEngine(engine, 'rotating the key keeps old heads verifiable with the retired key'), async () => {
    await append(ctx, 2, 'before-rotation');
    await sequencePending(ctx, { forceHead: true });
    const newKey = await rotateHeadKey(ctx);
    await append(ctx, 2, 'after-rotation');
    const result = await sequencePending(ctx, { forceHead: true });
    expect(result.heads[0]?.keyId).toBe(newKey);
    const keys = await publishedKeys(ctx.db);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.filter((k) => k.retiredAt === null).map((k) => k.keyId)).toEqual([newKey]);
    expect(await verifyLog(localSource(ctx.db))).toMatchObject({ ok: true });
  });

  it(onEngine(engine, 'reports inclusion of leaves in the latest head, not of pending ones'), async () => {
    const [included] = await append(ctx, 1, 'status');
    await sequencePending(ctx, { forceHead: true });
    const [pending] = await append(ctx, 1, 'status-pending');
    const statuses = await inclusionStatus(ctx, [included!, pending!, 'no-such-leaf']);
    expect(statuses[0]).toMatchObject({ leafId: included, verified: true });
    expect(statuses[0]?.leafIndex).toBeTypeOf('number');
    expect(statuses[1]).toMatchObject({ leafId: pending, leafIndex: null, verified: false });
    expect(statuses[2]).toMatchObject({ leafIndex: null, verified: false });
  });

  it(onEngine(engine, 'runs in the background until stopped'), async () => {
    const [id] = await append(ctx, 1, 'background');
    const loop = new AuditSequencer(ctx, { intervalMs: 10 });
    loop.start();
    try {
      await expect
        .poll(async () => (await inclusionStatus(ctx, [id!]))[0]?.leafIndex, { timeout: 5000 })
        .toBeTypeOf('number');
    } finally {
      await loop.stop();
    }
  });

  if (engine === 'postgres') {
    it(onEngine(engine, 'positions follow commit order, not creation order'), async () => {
      await sequencePending(ctx);
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let firstId = '';
      let appended: () => void = () => {};
      const firstAppended = new Promise<void>((resolve) => {
        appended = resolve;
      });
      const slow = ctx.db.transaction().execute(async (trx) => {
        firstId = (
          await appendAuditLeaf(trx, { type: 'test.slow', actorId: null, agencyId: null, subjectId: null })
        ).id;
        appended();
        await held;
      });
      await firstAppended;
      const [secondId] = await append(ctx, 1, 'fast');
      const during = await sequencePending(ctx);
      release();
      await slow;
      const after = await sequencePending(ctx);
      const rows = await ctx.db
        .selectFrom('audit_leaves')
        .select(['id', 'seq'])
        .where('id', 'in', [firstId, secondId!])
        .execute();
      const seqOf = (id: string) => rows.find((r) => r.id === id)?.seq;
      expect(seqOf(secondId!)).toBe(during.treeSize - 1);
      expect(seqOf(firstId)).toBe(after.treeSize - 1);
      expect(Number(seqOf(firstId))).toBeGreaterThan(Number(seqOf(secondId!)));
    });
  }
});
