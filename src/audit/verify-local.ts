import type { Db } from '../db/database.ts';
import {
  hashChildren,
  type NodeKey,
  nodeId,
  readConsistencyProof,
  rootFromNodes,
  rootKeys,
  type StoredNode,
} from './merkle.ts';
import { nodeReader } from './service.ts';
import { publishedKeys, type SignedHead } from './signing.ts';
import * as store from './store.ts';
import type { Located, VerifySource } from './verify.ts';

const PAGE = 1000;

/**
 * The log as the database holds it. Besides leaves and heads it compares every stored node with
 * its recomputation, and locates a bad leaf by descending from a signed root through stored nodes
 * that hash up to it (so it is found even when its stored leaf hash was rewritten too).
 */
export function localSource(db: Db): VerifySource {
  return {
    keys: () => publishedKeys(db),
    async size() {
      const latest = await store.latestHead(db);
      return Math.max(latest?.tree_size ?? 0, await store.storedLeafHashCount(db));
    },
    async heads(start, limit) {
      const rows = await store.headsFrom(db, start, limit);
      return rows.map((r) => ({
        treeSize: r.tree_size,
        timestamp: r.timestamp,
        rootHash: r.root_hash,
        signature: r.signature,
        keyId: r.key_id,
      }));
    },
    async leaves(start, end) {
      const rows = await store.leavesBetween(db, start, end, PAGE);
      const last = rows[rows.length - 1];
      const coveredTo = rows.length < PAGE || !last ? end : last.seq + 1;
      return { entries: rows.map((r) => ({ index: r.seq, content: r.content })), coveredTo };
    },
    async compareNodes(start, end, nodes) {
      const stored = new Map(
        (await store.nodesCompletedIn(db, start, end)).map((n) => [nodeId(n), n.hash] as const),
      );
      return differing(nodes, stored);
    },
    consistencyProof: (first, second) => readConsistencyProof(nodeReader(db), first, second),
    locate: (head, from, mismatches) => descend(db, head, from, mismatches),
    async leafBeyond(size) {
      // Leaves the sequencer added since the check began come with their hashes: not beyond.
      const stored = Math.max(size, await store.storedLeafHashCount(db));
      return (await store.leavesFrom(db, stored, 1))[0]?.seq;
    },
  };
}

function differing(nodes: readonly StoredNode[], stored: ReadonlyMap<string, Buffer>): NodeKey[] {
  return nodes
    .filter((n) => !stored.get(nodeId(n))?.equals(n.hash))
    .map((n) => ({ level: n.level, index: n.index }));
}

/**
 * Stored nodes are trusted only once they hash up to the signed root. From the head's perfect
 * subtrees down, always into the leftmost child whose recomputation differed, to level 0.
 */
async function descend(
  db: Db,
  head: SignedHead,
  from: number,
  mismatches: ReadonlySet<string>,
): Promise<Located> {
  const keys = rootKeys(head.treeSize);
  const pieces = await store.getNodes(db, keys);
  if (!keys.every((k) => pieces.has(nodeId(k)))) return { start: from, end: head.treeSize };
  if (!rootFromNodes(head.treeSize, pieces).equals(head.rootHash)) return { start: from, end: head.treeSize };
  const top = keys.find((k) => mismatches.has(nodeId(k)));
  const topHash = top && pieces.get(nodeId(top));
  return top && topHash ? descendFrom(db, top, topHash, mismatches) : { start: from, end: head.treeSize };
}

/** From an authenticated node whose recomputation differs, down to the first differing leaf. */
async function descendFrom(
  db: Db,
  start: NodeKey,
  startHash: Buffer,
  mismatches: ReadonlySet<string>,
): Promise<Located> {
  let node = { key: start, hash: startHash };
  while (node.key.level > 0) {
    const { level, index } = node.key;
    const left = { level: level - 1, index: index * 2 };
    const right = { level: level - 1, index: index * 2 + 1 };
    const children = await store.getNodes(db, [left, right]);
    const l = children.get(nodeId(left));
    const r = children.get(nodeId(right));
    const inexact = { start: index * 2 ** level, end: (index + 1) * 2 ** level };
    if (!l || !r || !hashChildren(l, r).equals(node.hash)) return inexact;
    if (mismatches.has(nodeId(left))) node = { key: left, hash: l };
    else if (mismatches.has(nodeId(right))) node = { key: right, hash: r };
    else return inexact;
  }
  return { start: node.key.index, end: node.key.index + 1 };
}
