import type { Db } from '../db/database.ts';
import {
  HASH_SIZE,
  hashChildren,
  type NodeKey,
  nodeId,
  readConsistencyProof,
  rootFromNodes,
  rootKeys,
} from './merkle.ts';
import { nodeReader } from './service.ts';
import { publishedKeys, type SignedHead } from './signing.ts';
import * as store from './store.ts';
import type { Located, NodeRun, VerifySource } from './verify.ts';

/** Positions whose leaves are read in one query. */
const PAGE = 4096;

/**
 * The log as the database holds it. Besides leaves and heads it compares every stored node with
 * its recomputation, and locates a bad leaf by descending from a signed root through stored nodes
 * that hash up to it (so it is found even when its stored leaf hash was rewritten too).
 *
 * Leaves are read a page of positions at a time. Stored nodes are compared inside the database
 * against the recomputed hashes, level by level; only when a level does not match in full are its
 * rows read to name the nodes that differ.
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
      // Positions are unique, so a page of PAGE positions holds at most PAGE leaves.
      const coveredTo = Math.min(end, start + PAGE);
      const rows = await store.leavesBetween(db, start, coveredTo, PAGE);
      return { entries: rows.map((r) => ({ index: r.seq, content: r.content })), coveredTo };
    },
    async compareNodes(start, end, runs) {
      if (allStored(runs, await store.tallyRuns(db, runs))) return [];
      const stored = new Map(
        (await store.nodesCompletedIn(db, start, end)).map((n) => [nodeId(n), n.hash] as const),
      );
      return differing(runs, stored);
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

/** Keys of the recomputed nodes that are not stored with the same hash. */
function differing(runs: readonly NodeRun[], stored: ReadonlyMap<string, Buffer>): NodeKey[] {
  const keys: NodeKey[] = [];
  for (const { level, lo, hashes } of runs) {
    for (let i = 0; i * HASH_SIZE < hashes.length; i++) {
      const key = { level, index: lo + i };
      const hash = hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
      if (!stored.get(nodeId(key))?.equals(hash)) keys.push(key);
    }
  }
  return keys;
}

/** Every node of every run is stored, once (the key is unique), with the recomputed hash. */
function allStored(runs: readonly NodeRun[], tallies: readonly store.RunTally[]): boolean {
  const byLevel = new Map(tallies.map((t) => [t.level, t] as const));
  return runs.every((run) => {
    const tally = byLevel.get(run.level);
    return tally?.stored === run.hashes.length / HASH_SIZE && tally.differing === 0;
  });
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
