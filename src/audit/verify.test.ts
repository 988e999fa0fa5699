import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
} from '../../test/helpers/engines.ts';
import type { Opened } from '../app.ts';
import type { Db } from '../db/database.ts';
import { type App, buildServer } from '../web/server.ts';
import { appendAuditLeaf } from './log.ts';
import { hashChildren, hashLeaf } from './merkle.ts';
import { sequencePending } from './sequencer.ts';
import { type Problem, type VerifySource, verifyLog } from './verify.ts';
import { localSource } from './verify-local.ts';
import { remoteSource } from './verify-remote.ts';

/** 40 leaves under heads at 8, 20, 33 and 40, then 3 leaves no head covers yet. */
async function buildLog(opened: Opened): Promise<void> {
  let size = 0;
  for (const target of [8, 20, 33, 40, 43]) {
    for (; size < target; size++) {
      await opened.ctx.db.transaction().execute((trx) =>
        appendAuditLeaf(trx, {
          type: 'test.verify',
          actorId: null,
          agencyId: null,
          subjectId: null,
          facts: { n: size },
        }),
      );
    }
    await sequencePending(opened.ctx, { forceHead: target !== 43 });
  }
}

const CHANGED = Buffer.from('{"tampered":true}');

async function contentAt(db: Db, seq: number): Promise<Buffer> {
  const { rows } = await sql<{
    content: Buffer;
  }>`select content from audit_leaves where seq = ${seq}`.execute(db);
  const content = rows[0]?.content;
  if (!content) throw new Error(`no leaf ${seq}`);
  return content;
}

async function nodeAt(db: Db, level: number, idx: number): Promise<Buffer> {
  const { rows } = await sql<{
    hash: Buffer;
  }>`select hash from audit_nodes where level = ${level} and idx = ${idx}`.execute(db);
  const hash = rows[0]?.hash;
  if (!hash) throw new Error(`no node ${level}/${idx}`);
  return hash;
}

async function setContent(db: Db, seq: number, content: Buffer): Promise<void> {
  await sql`update audit_leaves set content = ${content} where seq = ${seq}`.execute(db);
}

async function setNode(db: Db, level: number, idx: number, hash: Buffer): Promise<void> {
  await sql`update audit_nodes set hash = ${hash} where level = ${level} and idx = ${idx}`.execute(db);
}

/** Applies a tampering, returns what verification says, then undoes it. */
async function whileTampered(
  source: VerifySource,
  tamper: () => Promise<() => Promise<void>>,
): Promise<Problem | undefined> {
  const undo = await tamper();
  try {
    const outcome = await verifyLog(source);
    return outcome.ok ? undefined : outcome.problem;
  } finally {
    await undo();
  }
}

describe.each(ENGINES)('audit log verification', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let db: Db;
  let app: App;
  let url: string;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    db = opened.ctx.db;
    await buildLog(opened);
    app = await buildServer(opened.ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address: AddressInfo | string | null = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(onEngine(engine, 'passes an untouched log, locally and through the public API'), async () => {
    const local = await verifyLog(localSource(db));
    expect(local).toMatchObject({ ok: true, summary: { leaves: 43, heads: 4 } });
    if (local.ok) expect(local.summary.nodesCompared).toBeGreaterThan(43);
    expect(await verifyLog(remoteSource(url))).toMatchObject({ ok: true, summary: { leaves: 40, heads: 4 } });
  });

  it(
    onEngine(engine, 'narrows a leaf whose content and stored leaf hash were both rewritten to its pair'),
    async () => {
      const problem = await whileTampered(localSource(db), async () => {
        const [content, hash] = [await contentAt(db, 11), await nodeAt(db, 0, 11)];
        await setContent(db, 11, CHANGED);
        await setNode(db, 0, 11, hashLeaf(CHANGED));
        return async () => {
          await setContent(db, 11, content);
          await setNode(db, 0, 11, hash);
        };
      });
      // Below the last node that still hashes up to the signed root, the pair cannot be told apart.
      expect(problem).toMatchObject({ kind: 'leaf', index: 10 });
      expect(problem?.message).toContain('one of the leaves 10 to 11');
    },
  );

  it(onEngine(engine, 'names the first of two modified leaves, also through the public API'), async () => {
    const tamper = async () => {
      const [a, b] = [await contentAt(db, 25), await contentAt(db, 14)];
      await setContent(db, 25, CHANGED);
      await setContent(db, 14, CHANGED);
      return async () => {
        await setContent(db, 25, a);
        await setContent(db, 14, b);
      };
    };
    expect(await whileTampered(localSource(db), tamper)).toMatchObject({ kind: 'leaf', index: 14 });
    expect(await whileTampered(remoteSource(url), tamper)).toMatchObject({ kind: 'leaf', index: 14 });
  });

  it(
    onEngine(engine, 'names a stored interior node that was rewritten while the leaves are intact'),
    async () => {
      const problem = await whileTampered(localSource(db), async () => {
        const hash = await nodeAt(db, 2, 1);
        await setNode(db, 2, 1, hashChildren(hash, hash));
        return () => setNode(db, 2, 1, hash);
      });
      expect(problem).toMatchObject({ kind: 'node', level: 2, index: 1 });
      // Leaves 4..7 end at 8: the first signed head that covers the node is the one at size 8.
      expect(problem?.message).toContain('signed head at size 8 confirms');
    },
  );

  it(
    onEngine(engine, 'names a rewritten stored node before a later head that fails in another way'),
    async () => {
      const problem = await whileTampered(localSource(db), async () => {
        const hash = await nodeAt(db, 2, 1);
        const { rows } = await sql<{
          signature: Buffer;
        }>`select signature from audit_heads where tree_size = 33`.execute(db);
        const signature = rows[0]?.signature;
        if (!signature) throw new Error('no head at 33');
        await setNode(db, 2, 1, hashChildren(hash, hash));
        await sql`update audit_heads set signature = ${Buffer.alloc(64)} where tree_size = 33`.execute(db);
        return async () => {
          await setNode(db, 2, 1, hash);
          await sql`update audit_heads set signature = ${signature} where tree_size = 33`.execute(db);
        };
      });
      expect(problem).toMatchObject({ kind: 'node', level: 2, index: 1 });
    },
  );

  it(
    onEngine(engine, 'names a stored interior node that was deleted while the leaves are intact'),
    async () => {
      const problem = await whileTampered(localSource(db), async () => {
        const hash = await nodeAt(db, 1, 6);
        await sql`delete from audit_nodes where level = 1 and idx = 6`.execute(db);
        return async () => {
          await sql`insert into audit_nodes (level, idx, hash) values (1, 6, ${hash})`.execute(db);
        };
      });
      expect(problem).toMatchObject({ kind: 'node', level: 1, index: 6 });
      expect(problem?.message).toContain('signed head at size 20 confirms');
    },
  );

  it(onEngine(engine, 'names a modified leaf that no signed head covers yet'), async () => {
    const problem = await whileTampered(localSource(db), async () => {
      const content = await contentAt(db, 41);
      await setContent(db, 41, CHANGED);
      return () => setContent(db, 41, content);
    });
    expect(problem).toMatchObject({ kind: 'leaf', index: 41 });
  });

  it(
    onEngine(engine, 'names the last leaf when it was deleted, and a leaf appended without a hash'),
    async () => {
      const deleted = await whileTampered(localSource(db), async () => {
        const content = await contentAt(db, 42);
        await sql`update audit_leaves set seq = null where seq = 42`.execute(db);
        return async () => {
          await sql`update audit_leaves set seq = 42 where content = ${content}`.execute(db);
        };
      });
      expect(deleted).toMatchObject({ kind: 'leaf', index: 42 });
      const inserted = await whileTampered(localSource(db), async () => {
        await sql`insert into audit_leaves (id, seq, content, created_at) values ('forged', 43, ${CHANGED}, '2030-01-01T00:00:00.000Z')`.execute(
          db,
        );
        return async () => {
          await sql`delete from audit_leaves where id = 'forged'`.execute(db);
        };
      });
      expect(inserted).toMatchObject({ kind: 'leaf', index: 43 });
    },
  );

  it(onEngine(engine, 'names a signed head whose timestamp was edited'), async () => {
    const problem = await whileTampered(localSource(db), async () => {
      const { rows } = await sql<{
        timestamp: string;
      }>`select timestamp from audit_heads where tree_size = 33`.execute(db);
      const original = rows[0]?.timestamp ?? '';
      await sql`update audit_heads set timestamp = ${original.replace(/^\d{4}/, '2001')} where tree_size = 33`.execute(
        db,
      );
      return async () => {
        await sql`update audit_heads set timestamp = ${original} where tree_size = 33`.execute(db);
      };
    });
    expect(problem).toMatchObject({ kind: 'head', treeSize: 33 });
  });
});
