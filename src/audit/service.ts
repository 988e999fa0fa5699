import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../web/domain-error.ts';
import {
  hashLeaf,
  type NodeReader,
  readConsistencyProof,
  readInclusionProof,
  verifyInclusion,
} from './merkle.ts';
import { MAX_PAGE } from './schemas.ts';
import { headSignatureProblem, type PublicKeyInfo, publishedKeys, type SignedHead } from './signing.ts';
import * as store from './store.ts';

/** Stored nodes as merkle.ts reads them. */
export function nodeReader(db: Db): NodeReader {
  return { getNodes: (keys) => store.getNodes(db, keys) };
}

function toSignedHead(row: store.HeadRow): SignedHead {
  return {
    treeSize: row.tree_size,
    timestamp: row.timestamp,
    rootHash: row.root_hash,
    signature: row.signature,
    keyId: row.key_id,
  };
}

function invalid(field: string, problem: string): DomainError {
  return new DomainError('request.invalid', { problems: [{ path: field, message: problem }] });
}

/** The newest signed tree head; not_found before the first one. */
export async function getLatestHead(ctx: AppContext): Promise<SignedHead> {
  const row = await store.latestHead(ctx.db);
  if (!row) throw new DomainError('not_found');
  return toSignedHead(row);
}

/** The signed tree head of exactly this size; not_found when none was signed at it. */
export async function getHeadAt(ctx: AppContext, treeSize: number): Promise<SignedHead> {
  const row = await store.headAt(ctx.db, treeSize);
  if (!row) throw new DomainError('not_found');
  return toSignedHead(row);
}

/** Signed tree heads from a size on, smallest first. */
export async function listHeads(ctx: AppContext, start: number, limit: number): Promise<SignedHead[]> {
  return (await store.headsFrom(ctx.db, start, Math.min(limit, MAX_PAGE))).map(toSignedHead);
}

async function requireSequenced(ctx: AppContext, field: string, treeSize: number): Promise<void> {
  const size = await store.sequencedSize(ctx.db);
  if (treeSize > size) throw invalid(field, `must not exceed the current tree size ${size}`);
}

/** RFC 9162 inclusion proof of a leaf in the tree of any size up to the current one. */
export async function inclusionProof(
  ctx: AppContext,
  leafIndex: number,
  treeSize: number,
): Promise<Buffer[]> {
  if (leafIndex >= treeSize) throw invalid('/leaf_index', 'must be less than tree_size');
  await requireSequenced(ctx, '/tree_size', treeSize);
  return readInclusionProof(nodeReader(ctx.db), leafIndex, treeSize);
}

/** RFC 9162 consistency proof between two tree sizes (empty when first is 0 or equals second). */
export async function consistencyProof(ctx: AppContext, first: number, second: number): Promise<Buffer[]> {
  if (first > second) throw invalid('/first', 'must not exceed second');
  await requireSequenced(ctx, '/second', second);
  return readConsistencyProof(nodeReader(ctx.db), first, second);
}

/** Sequenced leaves in [start, end), at most {@link MAX_PAGE}. */
export async function leafPage(ctx: AppContext, start: number, end: number): Promise<store.LeafRow[]> {
  if (end <= start) throw invalid('/end', 'must be greater than start');
  return store.leavesBetween(ctx.db, start, end, MAX_PAGE);
}

/** Every tree-head signing key, current and retired. */
export function listKeys(ctx: AppContext): Promise<PublicKeyInfo[]> {
  return publishedKeys(ctx.db);
}

export interface InclusionStatus {
  leafId: string;
  /** Position in the tree; null while the leaf waits for the sequencer (or is unknown). */
  leafIndex: number | null;
  /** Size of the latest signed head the leaf was checked against; null when not yet in one. */
  treeSize: number | null;
  /** The leaf's inclusion proof verifies against the latest head, whose signature verifies. */
  verified: boolean;
}

/** For each leaf: its index and whether it is provably in the latest signed tree head. */
export async function inclusionStatus(
  ctx: AppContext,
  leafIds: readonly string[],
): Promise<InclusionStatus[]> {
  if (leafIds.length > MAX_PAGE) throw new RangeError(`at most ${MAX_PAGE} leaves at once`);
  return statusesOf(ctx, leafIds, await store.leavesById(ctx.db, leafIds));
}

async function statusesOf(
  ctx: AppContext,
  leafIds: readonly string[],
  leafRows: readonly { id: string; seq: number | null; content: Buffer }[],
): Promise<InclusionStatus[]> {
  const rows = new Map(leafRows.map((r) => [r.id, r]));
  const headRow = await store.latestHead(ctx.db);
  const head = headRow && toSignedHead(headRow);
  const headOk = head !== undefined && headSignatureProblem(head, await publishedKeys(ctx.db)) === undefined;
  const statuses: InclusionStatus[] = [];
  for (const leafId of leafIds) {
    const row = rows.get(leafId);
    const leafIndex = row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
    if (!row || leafIndex === null || !head || leafIndex >= head.treeSize) {
      statuses.push({ leafId, leafIndex, treeSize: null, verified: false });
      continue;
    }
    const proof = await readInclusionProof(nodeReader(ctx.db), leafIndex, head.treeSize);
    const included = verifyInclusion(hashLeaf(row.content), leafIndex, head.treeSize, proof, head.rootHash);
    statuses.push({ leafId, leafIndex, treeSize: head.treeSize, verified: headOk && included });
  }
  return statuses;
}

export interface TrailEvent extends InclusionStatus {
  /** The leaf's event type, e.g. `application.submitted`. */
  type: string;
  time: string;
}

function leafFacts(content: Buffer): { type: string; time: string } {
  const parsed: unknown = JSON.parse(content.toString('utf8'));
  const field = (name: string) =>
    typeof parsed === 'object' && parsed !== null && name in parsed ? String(Reflect.get(parsed, name)) : '';
  return { type: field('type'), time: field('time') };
}

/**
 * The audit-log events about some records (an application and the documents issued for it), oldest
 * first, each with its leaf index and whether an inclusion proof puts it in the latest signed head.
 */
export async function auditTrail(ctx: AppContext, subjectIds: readonly string[]): Promise<TrailEvent[]> {
  const ids = await store.leafIdsAbout(ctx.db, subjectIds, MAX_PAGE);
  const rows = await store.leavesById(ctx.db, ids);
  const contents = new Map(rows.map((r) => [r.id, Buffer.from(r.content)]));
  return (await statusesOf(ctx, ids, rows)).map((status) => {
    const content = contents.get(status.leafId);
    return { ...status, ...(content ? leafFacts(content) : { type: '', time: '' }) };
  });
}
