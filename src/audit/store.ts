import { sql } from 'kysely';
import type { Db, Engine } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { HASH_SIZE, type NodeKey, nodeId, type StoredNode } from './merkle.ts';

export type HeadRow = Database['audit_heads'];
export type SigningKeyRow = Database['signing_keys'];

/** A sequenced leaf: its position in the tree and its stored bytes. */
export interface LeafRow {
  seq: number;
  content: Buffer;
}

/** Advisory lock key of the sequencer (the migration lock is 7201). */
const SEQUENCER_LOCK = 7202;
/** Rows per multi-row insert, well below both engines' bound-parameter limits. */
const INSERT_CHUNK = 500;

/**
 * Runs `body` in a transaction only one sequencer in the cluster can hold at a time; resolves to
 * undefined without running it when another node holds it. PostgreSQL: a transaction-scoped
 * advisory lock (never held across a request). SQLite: `begin immediate`, the database's write lock.
 */
export async function withSequencerLock<T>(
  db: Db,
  engine: Engine,
  body: (trx: Db) => Promise<T>,
): Promise<T | undefined> {
  if (engine === 'postgres') {
    return db.transaction().execute(async (trx) => {
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) as locked`.execute(trx);
      return rows[0]?.locked === true ? body(trx) : undefined;
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await body(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Leaves
// ---------------------------------------------------------------------------------------------

/** Number of sequenced leaves: one past the highest position. */
export async function sequencedSize(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_leaves')
    .select((eb) => eb.fn.max('seq').as('top'))
    .executeTakeFirst();
  return row?.top === null || row?.top === undefined ? 0 : Number(row.top) + 1;
}

/**
 * Leaves waiting for a position, oldest first, from the partial index. SQLite's planner prefers the
 * unique index on `seq` for `seq IS NULL` and then sorts every pending row (hundreds of ms per batch
 * on a large backlog), so on SQLite the partial index is named explicitly.
 */
export async function pendingLeaves(
  db: Db,
  engine: Engine,
  limit: number,
): Promise<{ id: string; content: Buffer }[]> {
  if (engine === 'sqlite') {
    const result = await sql<{
      id: string;
      content: Buffer;
    }>`select id, content from audit_leaves indexed by audit_leaves_pending
      where seq is null order by created_at, id limit ${limit}`.execute(db);
    return result.rows;
  }
  return db
    .selectFrom('audit_leaves')
    .select(['id', 'content'])
    .where('seq', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Gives each leaf its position. PostgreSQL: one statement joining the ids to their positions
 * (`unnest` of two arrays). SQLite: one small indexed update per leaf inside the caller's
 * transaction, which costs microseconds in process — cheaper than building one CASE with a branch
 * per leaf, whose query tree grows quadratically.
 */
export async function assignPositions(
  db: Db,
  engine: Engine,
  positions: readonly { id: string; seq: number }[],
  at: string,
): Promise<void> {
  if (positions.length === 0) return;
  if (engine === 'postgres') {
    const ids = positions.map((p) => p.id);
    const seqs = positions.map((p) => p.seq);
    await sql`update audit_leaves set seq = v.seq, sequenced_at = ${at}
      from (select unnest(${ids}::text[]) as id, unnest(${seqs}::bigint[]) as seq) as v
      where audit_leaves.id = v.id`.execute(db);
    return;
  }
  for (const p of positions) {
    await db
      .updateTable('audit_leaves')
      .set({ seq: p.seq, sequenced_at: at })
      .where('id', '=', p.id)
      .execute();
  }
}

/** The rows that have a position. */
function sequenced(rows: readonly { seq: number | null; content: Buffer }[]): LeafRow[] {
  const leaves: LeafRow[] = [];
  for (const r of rows) if (r.seq !== null) leaves.push({ seq: Number(r.seq), content: r.content });
  return leaves;
}

/** Sequenced leaves from position `from` on, in order, at most `limit` (gaps show as jumps). */
export async function leavesFrom(db: Db, from: number, limit: number): Promise<LeafRow[]> {
  const rows = await db
    .selectFrom('audit_leaves')
    .select(['seq', 'content'])
    .where('seq', '>=', from)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return sequenced(rows);
}

/** Sequenced leaves in [start, end), at most `limit`. */
export async function leavesBetween(db: Db, start: number, end: number, limit: number): Promise<LeafRow[]> {
  const rows = await db
    .selectFrom('audit_leaves')
    .select(['seq', 'content'])
    .where('seq', '>=', start)
    .where('seq', '<', end)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return sequenced(rows);
}

/** Positions and contents of the given leaves (null position while pending). */
export function leavesById(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; seq: number | null; content: Buffer }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('audit_leaves')
    .select(['id', 'seq', 'content'])
    .where('id', 'in', [...ids])
    .limit(ids.length)
    .execute();
}

/** Ids of the leaves about any of these records, oldest first, at most `limit`. */
export async function leafIdsAbout(db: Db, subjectIds: readonly string[], limit: number): Promise<string[]> {
  if (subjectIds.length === 0) return [];
  const rows = await db
    .selectFrom('audit_leaves')
    .select('id')
    .where('subject_id', 'in', [...subjectIds])
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------------------------

function groupByLevel(keys: readonly NodeKey[]): Map<number, number[]> {
  const byLevel = new Map<number, number[]>();
  for (const key of keys) byLevel.set(key.level, [...(byLevel.get(key.level) ?? []), key.index]);
  return byLevel;
}

/** The stored nodes among `keys`, keyed by {@link nodeId}; absent ones are simply missing. */
export async function getNodes(db: Db, keys: readonly NodeKey[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  if (keys.length === 0) return found;
  const byLevel = groupByLevel(keys);
  const rows = await db
    .selectFrom('audit_nodes')
    .select(['level', 'idx', 'hash'])
    .where((eb) =>
      eb.or(
        [...byLevel].map(([level, indices]) => eb.and([eb('level', '=', level), eb('idx', 'in', indices)])),
      ),
    )
    .limit(keys.length)
    .execute();
  for (const r of rows) found.set(nodeId({ level: r.level, index: Number(r.idx) }), r.hash);
  return found;
}

/**
 * Stored nodes whose last leaf lies in [start, end): exactly those that appending leaves
 * start..end-1 creates. One range per level.
 */
export async function nodesCompletedIn(db: Db, start: number, end: number): Promise<StoredNode[]> {
  const ranges: { level: number; lo: number; hi: number }[] = [];
  for (let level = 0, width = 1; width <= end; level++, width *= 2) {
    const lo = Math.ceil((start + 1) / width) - 1;
    const hi = Math.floor(end / width) - 1;
    if (hi >= lo) ranges.push({ level, lo, hi });
  }
  if (ranges.length === 0) return [];
  const rows = await db
    .selectFrom('audit_nodes')
    .select(['level', 'idx', 'hash'])
    .where((eb) =>
      eb.or(
        ranges.map((r) => eb.and([eb('level', '=', r.level), eb('idx', '>=', r.lo), eb('idx', '<=', r.hi)])),
      ),
    )
    .limit(2 * (end - start) + ranges.length)
    .execute();
  return rows.map((r) => ({ level: r.level, index: Number(r.idx), hash: r.hash }));
}

/** Expected hashes of the nodes lo, lo + 1, … of one level, back to back ({@link HASH_SIZE} bytes each). */
export interface ExpectedRun {
  level: number;
  lo: number;
  hashes: Buffer;
}

/** Of the nodes of an {@link ExpectedRun}: how many are stored, and how many of those hold another hash. */
export interface RunTally {
  level: number;
  stored: number;
  differing: number;
}

/**
 * Compares stored nodes with expected hashes inside the database, one level per run, in one query:
 * a run's bytes go in once and only two counts come back, instead of a row per node.
 */
export async function tallyRuns(db: Db, runs: readonly ExpectedRun[]): Promise<RunTally[]> {
  const [first, ...rest] = runs.map((run) =>
    db
      .selectFrom('audit_nodes')
      .select((eb) => [
        sql<number>`${sql.lit(run.level)}`.as('level'),
        eb.fn.countAll<number>().as('stored'),
        // Each stored hash against its own slice of the run, so no row can stand in for another.
        sql<number>`sum(case when hash = substr(${run.hashes}, cast((idx - ${run.lo}) * ${HASH_SIZE} + 1 as integer), ${HASH_SIZE}) then 0 else 1 end)`.as(
          'differing',
        ),
      ])
      .where('level', '=', run.level)
      .where('idx', '>=', run.lo)
      .where('idx', '<', run.lo + run.hashes.length / HASH_SIZE),
  );
  if (!first) return [];
  const rows = await rest.reduce((query, next) => query.unionAll(next), first).execute();
  // Number() for the engines' differing integer types; sum is null over no rows.
  return rows.map((r) => ({
    level: Number(r.level),
    stored: Number(r.stored),
    differing: Number(r.differing ?? 0),
  }));
}

export async function insertNodes(db: Db, nodes: readonly StoredNode[]): Promise<void> {
  for (let i = 0; i < nodes.length; i += INSERT_CHUNK) {
    const chunk = nodes.slice(i, i + INSERT_CHUNK);
    await db
      .insertInto('audit_nodes')
      .values(chunk.map((n) => ({ level: n.level, idx: n.index, hash: n.hash })))
      .execute();
  }
}

/** Number of stored leaf hashes (level 0): one past the highest. */
export async function storedLeafHashCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_nodes')
    .select((eb) => eb.fn.max('idx').as('top'))
    .where('level', '=', 0)
    .executeTakeFirst();
  return row?.top === null || row?.top === undefined ? 0 : Number(row.top) + 1;
}

// ---------------------------------------------------------------------------------------------
// Signed tree heads
// ---------------------------------------------------------------------------------------------

function toHead(row: HeadRow): HeadRow {
  return { ...row, tree_size: Number(row.tree_size) };
}

export async function latestHead(db: Db): Promise<HeadRow | undefined> {
  const row = await db
    .selectFrom('audit_heads')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toHead(row);
}

export async function headAt(db: Db, treeSize: number): Promise<HeadRow | undefined> {
  const row = await db
    .selectFrom('audit_heads')
    .selectAll()
    .where('tree_size', '=', treeSize)
    .executeTakeFirst();
  return row && toHead(row);
}

/** Heads with tree_size >= from, smallest first. */
export async function headsFrom(db: Db, from: number, limit: number): Promise<HeadRow[]> {
  const rows = await db
    .selectFrom('audit_heads')
    .selectAll()
    .where('tree_size', '>=', from)
    .orderBy('tree_size')
    .limit(limit)
    .execute();
  return rows.map(toHead);
}

export async function insertHead(db: Db, head: HeadRow): Promise<void> {
  await db.insertInto('audit_heads').values(head).execute();
}

// ---------------------------------------------------------------------------------------------
// Signing keys
// ---------------------------------------------------------------------------------------------

/** The newest key of a purpose that is neither retired nor expired at `at`. */
export function activeSigningKey(db: Db, purpose: string, at: string): Promise<SigningKeyRow | undefined> {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('retired_at', 'is', null)
    .where('not_after', '>', at)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every key of a purpose, oldest first (bounded: keys rotate yearly). */
export function signingKeys(db: Db, purpose: string): Promise<SigningKeyRow[]> {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where('purpose', '=', purpose)
    .orderBy('created_at')
    .limit(1000)
    .execute();
}

/** Retires every unretired key of a purpose (rotation, or replacing expired ones). */
export async function retireSigningKeys(db: Db, purpose: string, at: string): Promise<void> {
  await db
    .updateTable('signing_keys')
    .set({ retired_at: at })
    .where('purpose', '=', purpose)
    .where('retired_at', 'is', null)
    .execute();
}

export async function insertSigningKey(db: Db, row: SigningKeyRow): Promise<void> {
  await db.insertInto('signing_keys').values(row).execute();
}
