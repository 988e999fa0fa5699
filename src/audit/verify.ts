/**
 * Verification of the whole audit log against its signed tree heads, shared by the local check
 * (straight from the database) and the remote one (an outside auditor using the public API).
 *
 * The log's leaves are streamed in position order and the tree recomputed (RFC 9162). Only the
 * signed heads are trusted. A missing position (a deleted leaf) counts as a leaf with an impossible
 * hash, so it fails like a modified one. At each head's size the recomputed root must equal the
 * signed root; when it does not, the source locates the first leaf the head does not commit to.
 */
import {
  EMPTY_ROOT,
  HASH_SIZE,
  hashLeaf,
  type NodeKey,
  nodeId,
  type StoredNode,
  StreamingRoot,
  verifyConsistency,
} from './merkle.ts';
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
  compareNodes(start: number, end: number, nodes: readonly StoredNode[]): Promise<NodeKey[]>;
  consistencyProof(first: number, second: number): Promise<Buffer[]>;
  /** The first leaf in [from, head size) that the head does not commit to. */
  locate(head: SignedHead, from: number, mismatches: ReadonlySet<string>): Promise<Located>;
  /** Position of a sequenced leaf at or beyond `size` (one the tree does not hold), if any. */
  leafBeyond(size: number): Promise<number | undefined>;
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
  private readonly stream = new StreamingRoot();
  private readonly cursor: HeadCursor;
  private keys: PublicKeyInfo[] = [];
  private unchecked: StoredNode[] = [];
  private uncheckedFrom = 0;
  private readonly mismatches: NodeKey[] = [];
  private readonly mismatchIds = new Set<string>();
  private lastHead: SignedHead | undefined;
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
    while (this.stream.size < total) {
      const page = await this.source.leaves(this.stream.size, total);
      for (const entry of page.entries) {
        if (entry.index < this.stream.size || entry.index >= page.coveredTo) continue;
        await this.pushMissingUpTo(entry.index);
        await this.push(hashLeaf(entry.content));
        this.summary.leaves += 1;
      }
      await this.pushMissingUpTo(page.coveredTo);
      await this.compareUnchecked();
      this.onProgress(this.stream.size, total);
    }
    await this.finish(total);
  }

  private async pushMissingUpTo(index: number): Promise<void> {
    while (this.stream.size < index) await this.push(MISSING_LEAF);
  }

  private async push(leafHash: Buffer): Promise<void> {
    this.unchecked.push(...this.stream.append(leafHash));
    await this.checkHeadsAtCurrentSize();
  }

  private async compareUnchecked(): Promise<void> {
    const end = this.stream.size;
    if (this.unchecked.length > 0) {
      const differing = await this.source.compareNodes(this.uncheckedFrom, end, this.unchecked);
      this.summary.nodesCompared += this.unchecked.length;
      for (const key of differing) {
        this.mismatches.push(key);
        this.mismatchIds.add(nodeId(key));
      }
    }
    this.unchecked = [];
    this.uncheckedFrom = end;
  }

  private async checkHeadsAtCurrentSize(): Promise<void> {
    for (
      let head = await this.cursor.peek();
      head?.treeSize === this.stream.size;
      head = await this.cursor.peek()
    ) {
      await this.compareUnchecked();
      await this.checkHead(head);
      this.cursor.shift();
    }
  }

  private async checkHead(head: SignedHead): Promise<void> {
    const fail = (message: string) => new Failure({ kind: 'head', treeSize: head.treeSize, message });
    const signatureProblem = headSignatureProblem(head, this.keys);
    if (signatureProblem) throw fail(signatureProblem);
    const previous = this.lastHead;
    if (previous && head.timestamp < previous.timestamp)
      throw fail(`timestamp is earlier than that of the head at size ${previous.treeSize}`);
    const root = this.stream.size === 0 ? EMPTY_ROOT : this.stream.root();
    if (!root.equals(head.rootHash)) await this.failAtLeaf(head, previous?.treeSize ?? 0);
    const node = this.mismatches[0];
    if (node) {
      throw new Failure({
        kind: 'node',
        level: node.level,
        index: node.index,
        message: `stored hash differs from the one recomputed from the leaves, which the signed head at size ${head.treeSize} confirms`,
      });
    }
    if (previous && !(await this.isConsistent(previous, head)))
      throw fail(`the log's consistency proof from size ${previous.treeSize} does not verify`);
    this.lastHead = head;
    this.summary.heads += 1;
    this.summary.latest = head;
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
