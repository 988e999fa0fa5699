import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
} from '../../test/helpers/engines.ts';
import { type CliResult, runCli, startServerProcess } from '../../test/helpers/process.ts';
import type { Opened } from '../app.ts';
import type { Db } from '../db/database.ts';
import { appendAuditLeaf } from './log.ts';
import { sequencePending } from './sequencer.ts';

/** 40 leaves under heads at 8, 20, 33 and 40. */
async function buildLog(opened: Opened): Promise<void> {
  let size = 0;
  for (const target of [8, 20, 33, 40]) {
    for (; size < target; size++) {
      await opened.ctx.db.transaction().execute((trx) =>
        appendAuditLeaf(trx, {
          type: 'test.cli',
          actorId: null,
          agencyId: null,
          subjectId: null,
          facts: { n: size },
        }),
      );
    }
    await sequencePending(opened.ctx, { forceHead: true });
  }
}

interface LeafRow {
  id: string;
  seq: number;
  content: Buffer;
  created_at: string;
  sequenced_at: string;
}

async function leafAt(db: Db, seq: number): Promise<LeafRow> {
  const { rows } = await sql<LeafRow>`select * from audit_leaves where seq = ${seq}`.execute(db);
  if (!rows[0]) throw new Error(`no leaf ${seq}`);
  return rows[0];
}

async function swapPositions(db: Db, a: number, b: number): Promise<void> {
  await sql`update audit_leaves set seq = -1 where seq = ${a}`.execute(db);
  await sql`update audit_leaves set seq = ${a} where seq = ${b}`.execute(db);
  await sql`update audit_leaves set seq = ${b} where seq = -1`.execute(db);
}

describe.each(ENGINES)('gapura audit verify', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let db: Db;
  const verify = (): CliResult => runCli(['audit', 'verify'], fresh.env);

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    db = opened.ctx.db;
    await buildLog(opened);
  });
  afterAll(async () => {
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(onEngine(engine, 'exits 0 with a summary on an untouched log'), () => {
    const result = verify();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Audit log verified');
    expect(result.stdout).toContain('40 leaves, 4 signed tree heads');
  });

  it(onEngine(engine, 'exits 1 naming a leaf whose content was changed'), async () => {
    const original = await leafAt(db, 13);
    await sql`update audit_leaves set content = ${Buffer.from('{"forged":1}')} where seq = 13`.execute(db);
    const result = verify();
    await sql`update audit_leaves set content = ${original.content} where seq = 13`.execute(db);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('first bad leaf index: 13');
  });

  it(onEngine(engine, 'exits 1 naming a deleted leaf'), async () => {
    const row = await leafAt(db, 21);
    await sql`delete from audit_leaves where seq = 21`.execute(db);
    const result = verify();
    await sql`insert into audit_leaves (id, seq, content, created_at, sequenced_at)
      values (${row.id}, ${row.seq}, ${row.content}, ${row.created_at}, ${row.sequenced_at})`.execute(db);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('first bad leaf index: 21');
  });

  it(onEngine(engine, 'exits 1 naming the first of two swapped leaves'), async () => {
    await swapPositions(db, 5, 9);
    const result = verify();
    await swapPositions(db, 5, 9);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('first bad leaf index: 5');
  });

  it(onEngine(engine, 'exits 1 naming a signed head whose root was edited'), async () => {
    const { rows } = await sql<{
      root_hash: Buffer;
    }>`select root_hash from audit_heads where tree_size = 20`.execute(db);
    const original = rows[0]?.root_hash;
    await sql`update audit_heads set root_hash = (select root_hash from audit_heads where tree_size = 8) where tree_size = 20`.execute(
      db,
    );
    const result = verify();
    await sql`update audit_heads set root_hash = ${original} where tree_size = 20`.execute(db);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('bad signed tree head size: 20');
  });

  it(onEngine(engine, 'passes --remote against a running server, and signs a head on demand'), async () => {
    const server = await startServerProcess(fresh.env);
    try {
      const remote = runCli(['audit', 'verify', '--remote', server.url], {});
      expect(remote.stderr).toBe('');
      expect(remote.status).toBe(0);
      expect(remote.stdout).toMatch(/Audit log verified \(http:.*\): \d+ leaves, \d+ signed tree heads/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const sth = runCli(['audit', 'sth'], fresh.env);
    expect(sth.status).toBe(0);
    expect(sth.stdout).toMatch(/(Signed a new tree head|No new leaves; latest tree head): size \d+/);
  });
});
