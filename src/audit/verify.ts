/**
 * Verification of the whole audit log against its signed tree heads, shared by the local check
 * (straight from the database) and the remote one (an outside auditor using the public API).
 *
 * The log's leaves are streamed in position order and the tree recomputed (RFC 9162). Only the
 * signed heads are trusted. A missing position (a deleted leaf) counts as a leaf with an impossible
 * hash, so it fails like a modified one. At each head's size the recomputed root must equal the
 * signed root; when it does not, the source locates the first leaf the head does not commit to.
 * Every node the recomputation completes is compared with the one the log stores, a stretch of
 * leaves at a time; one that differs fails the first head that covers it.
 */
import { HASH_SIZE, hashLeaf, type NodeKey, nodeId, StreamingRoot, verifyConsistency } from './merkle.ts';
import { headSignatureProblem, type PublicKeyInfo, type SignedHead } from './signing.ts';

/** Stands for a missing leaf: no leaf hash is all zero bytes. */
export const MISSING_LEAF = Buffer.alloc(HASH_SIZE);
const PAGE = 1000;

export type Problem =
  | { kind: 'leaf'; index: number; message: string }
  | { kind: 'head'; treeSize: number; message: string }
  | { kind: 'node'; level: number; index: number; message: string };

export interface VerifySummary {
  leaves: number;
  heads: number;
  nodesCompared: number;
  latest: SignedHead | undefined;
}

export type VerifyOutcome =
  | { ok: true; summary: VerifySummary }
  | { ok: false; problem: Problem; summary: VerifySummary };

/**
 * Leaves [start, end) hold the first one a head does not commit to; one leaf when end = start + 1.
 * Wider when the stored nodes that could tell them apart were rewritten too.
 */
export interface Located {
  start: number;
  end: number;
}

/** Where the log comes from: the database, or the public API. */
export interface VerifySource {
  keys(): Promise<PublicKeyInfo[]>;
  /** Positions to check: [0, size). */
  size(): Promise<number>;
  /** Signed heads with tree_size >= start, smallest first. */
  heads(start: number, limit: number): Promise<SignedHead[]>;
  /** The existing leaves in [start, coveredTo), in order; coveredTo > start. */
  leaves(
    start: number,
    end: number,
  ): Promise<{ entries: { index: number; content: Buffer }[]; coveredTo: number }>;
  /** Keys among the recomputed nodes (completed by leaves [start, end)) that the log stores differently. */
  compareNodes(start: number, end: number, runs: readonly NodeRun[]): Promise<NodeKey[]>;
  consistencyProof(first: number, second: number): Promise<Buffer[]>;
  /** The first leaf in [from, head size) that the head does not commit to. */
  locate(head: SignedHead, from: number, mismatches: ReadonlySet<string>): Promise<Located>;
  /** Position of a sequenced leaf at or beyond `size` (one the tree does not hold), if any. */
  leafBeyond(size: number): Promise<number | undefined>;
}

/** Recomputed hashes of the nodes lo, lo + 1, … of one level, back to back (HASH_SIZE bytes each). */
export interface NodeRun {
  level: number;
  lo: number;
  hashes: Buffer;
}

/** Nodes of one level completed since they were last taken, their hashes back to back in `bytes`. */
interface PendingRun {
  lo: number;
  count: number;
  bytes: Buffer;
}

/**
 * The tree recomputed from the leaves in position order (RFC 9162), for one pass over a whole log:
 * merkle.ts's StreamingRoot, keeping the nodes each level completes back to back until compared,
 * rather than as an object apiece.
 */
export class Recomputation {
  readonly #pending: PendingRun[] = [];
  readonly #tree = new StreamingRoot((level, index, hash) => this.#keep(level, index, hash));

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#tree.size;
  }

  /** Appends a leaf by its content. */
  appendLeaf(content: Uint8Array): void {
    this.#tree.push(hashLeaf(content));
  }

  /** Appends a leaf by its hash (standing for a missing leaf). */
  appendLeafHash(leafHash: Buffer): void {
    this.#tree.push(leafHash);
  }

  /** MTH of the leaves appended so far. */
  root(): Buffer {
    return this.#tree.root();
  }

  /**
   * The nodes completed since the last take, one run per level, lowest level first. Their hashes
   * are views of buffers the next appends write over: compare them before appending again.
   */
  takeRuns(): NodeRun[] {
    const runs: NodeRun[] = [];
    this.#pending.forEach((run, level) => {
      if (run.count === 0) return;
      runs.push({ level, lo: run.lo, hashes: run.bytes.subarray(0, run.count * HASH_SIZE) });
      run.count = 0;
    });
    return runs;
  }

  #keep(level: number, index: number, hash: Buffer): void {
    let run = this.#pending[level];
    if (!run) {
      run = { lo: index, count: 0, bytes: Buffer.allocUnsafe(64 * HASH_SIZE) };
      this.#pending[level] = run;
    }
    if (run.count === 0) run.lo = index;
    const at = run.count * HASH_SIZE;
    if (at + HASH_SIZE > run.bytes.length) {
      const grown = Buffer.allocUnsafe(2 * run.bytes.length);
      run.bytes.copy(grown);
      run.bytes = grown;
    }
    hash.copy(run.bytes, at);
    run.count += 1;
  }
}

class Failure extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

class HeadCursor {
  private buffer: SignedHead[] = [];
  private nextStart = 0;
  private done = false;

  constructor(private readonly source: VerifySource) {}

  async peek(): Promise<SignedHead | undefined> {
    if (this.buffer.length === 0 && !this.done) {
      this.buffer = await this.source.heads(this.nextStart, PAGE);
      const last = this.buffer[this.buffer.length - 1];
      if (last) this.nextStart = last.treeSize + 1;
      this.done = this.buffer.length < PAGE;
    }
    return this.buffer[0];
  }

  shift(): void {
    this.buffer.shift();
  }
}

/** One pass over the log. */
class Verifier {
  private readonly tree = new Recomputation();
  private readonly cursor: HeadCursor;
  private keys: PublicKeyInfo[] = [];
  private uncheckedFrom = 0;
  private readonly mismatches: NodeKey[] = [];
  private readonly mismatchIds = new Set<string>();
  private lastHead: SignedHead | undefined;
  /**
   * Heads that passed every check but the stored nodes', which waits for the next comparison so
   * that a stretch of leaves is compared at once rather than head by head.
   */
  private awaitingNodes: SignedHead[] = [];
  /** Tree size of the next head to check, so that leaves reaching none need no lookup. */
  private nextHeadSize: number | undefined;
  readonly summary: VerifySummary = { leaves: 0, heads: 0, nodesCompared: 0, latest: undefined };

  constructor(
    private readonly source: VerifySource,
    private readonly onProgress: (done: number, total: number) => void,
  ) {
    this.cursor = new HeadCursor(source);
  }

  async run(): Promise<void> {
    this.keys = await this.source.keys();
    const total = await this.source.size();
    await this.checkHeadsAtCurrentSize();
    while (this.tree.size < total) {
      const page = await this.source.leaves(this.tree.size, total);
      for (const entry of page.entries) {
        if (entry.index < this.tree.size || entry.index >= page.coveredTo) continue;
        if (entry.index > this.tree.size) await this.pushMissingUpTo(entry.index);
        // Most leaves reach no head: only those that do wait for the source.
        this.tree.appendLeaf(entry.content);
        if (this.tree.size === this.nextHeadSize) await this.checkHeadsAtCurrentSize();
        this.summary.leaves += 1;
      }
      await this.pushMissingUpTo(page.coveredTo);
      await this.compareUnchecked();
      this.onProgress(this.tree.size, total);
    }
    await this.finish(total);
  }

  private async pushMissingUpTo(index: number): Promise<void> {
    while (this.tree.size < index) {
      this.tree.appendLeafHash(MISSING_LEAF);
      if (this.tree.size === this.nextHeadSize) await this.checkHeadsAtCurrentSize();
    }
  }

  /**
   * Compares the nodes completed since the last comparison. A stored node that differs fails the
   * first head since then that covers it, as if compared when that head was checked; the heads
   * since then count as checked otherwise.
   */
  private async compareUnchecked(): Promise<void> {
    const end = this.tree.size;
    const runs = this.tree.takeRuns();
    if (runs.length > 0) {
      const differing = await this.source.compareNodes(this.uncheckedFrom, end, runs);
      for (const run of runs) this.summary.nodesCompared += run.hashes.length / HASH_SIZE;
      for (const key of [...differing].sort(byCompletion)) {
        this.mismatches.push(key);
        this.mismatchIds.add(nodeId(key));
      }
    }
    this.uncheckedFrom = end;
    const heads = this.awaitingNodes;
    this.awaitingNodes = [];
    const node = this.mismatches[0];
    const covering = node && heads.find((h) => h.treeSize >= completedAt(node));
    if (node && covering) throw nodeFailure(node, covering);
    for (const head of heads) {
      this.summary.heads += 1;
      this.summary.latest = head;
    }
  }

  private async checkHeadsAtCurrentSize(): Promise<void> {
    for (
      let head = await this.cursor.peek();
      head?.treeSize === this.tree.size;
      head = await this.cursor.peek()
    ) {
      await this.checkHead(head);
      this.cursor.shift();
    }
    this.nextHeadSize = (await this.cursor.peek())?.treeSize;
  }

  private async checkHead(head: SignedHead): Promise<void> {
    const fail = async (message: string): Promise<never> => {
      // A head checked earlier may yet fail on its stored nodes, which comes first.
      await this.compareUnchecked();
      throw new Failure({ kind: 'head', treeSize: head.treeSize, message });
    };
    const signatureProblem = headSignatureProblem(head, this.keys);
    if (signatureProblem) await fail(signatureProblem);
    const previous = this.lastHead;
    if (previous && head.timestamp < previous.timestamp)
      await fail(`timestamp is earlier than that of the head at size ${previous.treeSize}`);
    if (!this.tree.root().equals(head.rootHash)) {
      await this.compareUnchecked();
      await this.failAtLeaf(head, previous?.treeSize ?? 0);
    }
    const node = this.mismatches[0];
    if (node) throw nodeFailure(node, head);
    if (previous && !(await this.isConsistent(previous, head))) {
      await this.compareUnchecked();
      const differs = this.mismatches[0];
      if (differs) throw nodeFailure(differs, head);
      await fail(`the log's consistency proof from size ${previous.treeSize} does not verify`);
    }
    this.lastHead = head;
    this.awaitingNodes.push(head);
  }

  private async isConsistent(previous: SignedHead, head: SignedHead): Promise<boolean> {
    const proof = await this.source.consistencyProof(previous.treeSize, head.treeSize);
    return verifyConsistency(previous.treeSize, head.treeSize, previous.rootHash, head.rootHash, proof);
  }

  private async failAtLeaf(head: SignedHead, from: number): Promise<never> {
    const { start, end } = await this.source.locate(head, from, this.mismatchIds);
    const message =
      end === start + 1
        ? `not the leaf that the signed tree head at size ${head.treeSize} commits to (modified, deleted, inserted or moved)`
        : `one of the leaves ${start} to ${end - 1} is not what the signed tree head at size ${head.treeSize} commits to (stored hashes that would tell which were rewritten too)`;
    throw new Failure({ kind: 'leaf', index: start, message });
  }

  private async finish(total: number): Promise<void> {
    // Heads with nothing after them (at size 0, say) still wait for their comparison.
    await this.compareUnchecked();
    const first = this.mismatches[0];
    if (first?.level === 0)
      throw new Failure({ kind: 'leaf', index: first.index, message: 'does not match its stored leaf hash' });
    if (first) {
      throw new Failure({
        kind: 'node',
        level: first.level,
        index: first.index,
        message: 'stored hash differs from the one recomputed from the leaves',
      });
    }
    const beyond = await this.source.leafBeyond(total);
    if (beyond !== undefined)
      throw new Failure({
        kind: 'leaf',
        index: beyond,
        message: `is outside the stored tree of size ${total}`,
      });
  }
}

/** Tree size at which a node is complete: the position just past its last leaf. */
function completedAt(key: NodeKey): number {
  return (key.index + 1) * 2 ** key.level;
}

/** The order in which appending leaves completes nodes: by position, lower levels first. */
function byCompletion(a: NodeKey, b: NodeKey): number {
  return completedAt(a) - completedAt(b) || a.level - b.level;
}

function nodeFailure(node: NodeKey, head: SignedHead): Failure {
  return new Failure({
    kind: 'node',
    level: node.level,
    index: node.index,
    message: `stored hash differs from the one recomputed from the leaves, which the signed head at size ${head.treeSize} confirms`,
  });
}

/** Verifies the whole log; reports the first problem in position order. */
export async function verifyLog(
  source: VerifySource,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<VerifyOutcome> {
  const verifier = new Verifier(source, onProgress);
  try {
    await verifier.run();
    return { ok: true, summary: verifier.summary };
  } catch (err) {
    if (err instanceof Failure) return { ok: false, problem: err.problem, summary: verifier.summary };
    throw err;
  }
}

/** One line naming a problem, e.g. "leaf 42: …" or "signed tree head at size 100: …". */
export function describeProblem(problem: Problem): string {
  switch (problem.kind) {
    case 'leaf':
      return `leaf ${problem.index}: ${problem.message}`;
    case 'head':
      return `signed tree head at size ${problem.treeSize}: ${problem.message}`;
    case 'node':
      return `stored Merkle node (level ${problem.level}, index ${problem.index}): ${problem.message}`;
  }
}
