/**
 * Merkle tree of the audit log, exactly as RFC 9162 (Certificate Transparency v2) section 2.1
 * defines it, with SHA-256.
 *
 * Storage model: the log keeps, for every perfect subtree that exists, its hash, addressed by
 * (level, index). Level 0 holds the leaf hashes; node (k, i) is the hash of leaves
 * [i * 2^k, (i + 1) * 2^k). A node exists in a tree of size n once (i + 1) * 2^k <= n, and never
 * changes afterwards, so the store is append-only.
 *
 * Every RFC 9162 subtree that is not perfect lies on the right edge of some tree, and its hash
 * follows from the perfect subtrees that tile it (one per set bit of its size, largest first).
 * So the root, an inclusion proof and a consistency proof of any tree size each need O(log n)
 * stored nodes. Each is offered as a pair of pure functions (which keys to read, then how to
 * assemble the answer from them) plus an async convenience over a {@link NodeReader}.
 *
 * Sizes and indices are plain numbers, valid up to Number.MAX_SAFE_INTEGER: the arithmetic uses
 * division and remainder, never 32-bit bitwise operators.
 */
import * as crypto from 'node:crypto';

/** Length in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

/** Root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = crypto.createHash('sha256').digest();

/** Address of a stored perfect subtree: leaves [index * 2^level, (index + 1) * 2^level). */
export interface NodeKey {
  level: number;
  index: number;
}

/** A perfect subtree hash to persist. */
export interface StoredNode extends NodeKey {
  hash: Buffer;
}

/** Reads stored nodes in one round trip. The map is keyed by {@link nodeId}. */
export interface NodeReader {
  getNodes(keys: readonly NodeKey[]): Promise<Map<string, Buffer>>;
}

/** Map key of a node: `${level}:${index}`. */
export function nodeId(key: NodeKey): string {
  return `${key.level}:${key.index}`;
}

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------

/**
 * SHA-256 of one buffer. The one-shot `crypto.hash` (Node 20.12 on) skips the hash object that
 * `createHash` builds per call, which for inputs this small costs about as much as the hashing.
 */
const sha256: (data: Uint8Array) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();

// Hash inputs are assembled in buffers reused from call to call (hashing is synchronous).
let leafInput = Buffer.alloc(1024);
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);

/** Leaf hash: SHA-256(0x00 || data). */
export function hashLeaf(data: Uint8Array): Buffer {
  if (leafInput.length <= data.length) leafInput = Buffer.alloc(2 * data.length + 1);
  leafInput[0] = 0x00;
  leafInput.set(data, 1);
  return sha256(leafInput.subarray(0, data.length + 1));
}

/** Interior node hash: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  // Proof elements from outside may have any length; they hash all the same (and match nothing).
  if (!isHash(left) || !isHash(right)) return sha256(Buffer.concat([nodeInput.subarray(0, 1), left, right]));
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic helpers (safe beyond 2^32)
// ---------------------------------------------------------------------------------------------

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isPowerOfTwo(n: number): boolean {
  let x = n;
  while (x > 1 && x % 2 === 0) x /= 2;
  return x === 1;
}

/** The RFC's split point k: the largest power of two smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isHash(value: Uint8Array): boolean {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function requireSize(name: string, n: number): void {
  if (!isCount(n)) throw new RangeError(`${name} must be a non-negative safe integer, got ${n}`);
}

// ---------------------------------------------------------------------------------------------
// Spans: the RFC subtrees D[start:end] that proofs are made of
// ---------------------------------------------------------------------------------------------

/**
 * A subtree D[start:end) as the RFC recursion produces it. Every such span starts at a multiple of
 * the smallest power of two >= its size (the root span starts at 0; splitting [a, b) at a + k, with
 * k the largest power of two < b - a, keeps that true on both sides). Hence its perfect tiling,
 * largest piece first, is aligned, and its RFC hash is the right fold of those pieces.
 */
interface Span {
  start: number;
  end: number;
}

/** The stored perfect subtrees that tile a span, left to right (largest first). */
function spanKeys(span: Span): NodeKey[] {
  const keys: NodeKey[] = [];
  let pos = span.start;
  while (pos < span.end) {
    let size = 1;
    let level = 0;
    while (pos % (size * 2) === 0 && pos + size * 2 <= span.end) {
      size *= 2;
      level += 1;
    }
    keys.push({ level, index: pos / size });
    pos += size;
  }
  return keys;
}

function lookup(nodes: ReadonlyMap<string, Buffer>, key: NodeKey): Buffer {
  const hash = nodes.get(nodeId(key));
  if (hash === undefined) throw new Error(`Merkle node ${nodeId(key)} is missing`);
  if (hash.length !== HASH_SIZE)
    throw new Error(`Merkle node ${nodeId(key)} is not a ${HASH_SIZE}-byte hash`);
  return hash;
}

/**
 * RFC hash of a span from its perfect tiling P0 (largest) .. Pj (smallest):
 * MTH = H(P0, H(P1, ... H(Pj-1, Pj))), because the RFC always splits off the largest power of two
 * on the left and recurses on the remainder to the right.
 */
function spanHash(span: Span, nodes: ReadonlyMap<string, Buffer>): Buffer {
  const hash = foldRight(spanKeys(span).map((key) => lookup(nodes, key)));
  if (hash === undefined) throw new Error('an empty span has no Merkle hash');
  return hash;
}

/** H(h0, H(h1, ... H(hj-1, hj))): the RFC hash of a span from its perfect tiling. */
function foldRight(hashes: readonly Buffer[]): Buffer | undefined {
  return hashes.reduceRight<Buffer | undefined>(
    (acc, hash) => (acc === undefined ? hash : hashChildren(hash, acc)),
    undefined,
  );
}

/** Union of the keys of several spans, without repeats, in first-seen order. */
function keysOf(spans: readonly Span[]): NodeKey[] {
  const seen = new Set<string>();
  const keys: NodeKey[] = [];
  for (const span of spans) {
    for (const key of spanKeys(span)) {
      const id = nodeId(key);
      if (seen.has(id)) continue;
      seen.add(id);
      keys.push(key);
    }
  }
  return keys;
}

/**
 * RFC 9162 2.1.3.1 PATH(m, D[n]) as spans, iteratively. The recursion is
 *   PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])       if m < k
 *                 = PATH(m - k, D[k:n]) : MTH(D[0:k])   if m >= k
 * so siblings are found from the root down but listed from the leaf up.
 */
function inclusionSpans(index: number, n: number): Span[] {
  const spans: Span[] = [];
  let start = 0;
  let end = n;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      spans.push({ start: start + k, end });
      end = start + k;
    } else {
      spans.push({ start, end: start + k });
      start += k;
    }
  }
  return spans.reverse();
}

/**
 * RFC 9162 2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true) as spans, iteratively:
 *   SUBPROOF(m, D[m], true)  = {}
 *   SUBPROOF(m, D[m], false) = {MTH(D[m])}
 *   SUBPROOF(m, D[n], b)     = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])            if m <= k
 *                            = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])    if m > k
 * b stays true only while the current subtree starts at 0, i.e. while its old part is the whole
 * old tree, whose root the verifier already holds.
 */
function consistencySpans(m: number, n: number): Span[] {
  if (m === 0 || m === n) return [];
  const spans: Span[] = [];
  let start = 0;
  let end = n;
  let wholeOldTree = true;
  // Invariant: the old tree's boundary m lies in (start, end].
  while (m < end) {
    const k = splitPoint(end - start);
    if (m - start <= k) {
      spans.push({ start: start + k, end });
      end = start + k;
    } else {
      spans.push({ start, end: start + k });
      start += k;
      wholeOldTree = false;
    }
  }
  if (!wholeOldTree) spans.push({ start, end });
  return spans.reverse();
}

function checkInclusionArgs(index: number, n: number): void {
  requireSize('tree size', n);
  requireSize('leaf index', index);
  if (index >= n) throw new RangeError(`leaf index ${index} is not in a tree of size ${n}`);
}

function checkConsistencyArgs(m: number, n: number): void {
  requireSize('first tree size', m);
  requireSize('second tree size', n);
  if (m > n) throw new RangeError(`first tree size ${m} exceeds second tree size ${n}`);
}

// ---------------------------------------------------------------------------------------------
// Root, inclusion proof, consistency proof from stored nodes
// ---------------------------------------------------------------------------------------------

/** Nodes needed for the root of the tree of size n: one per set bit of n. */
export function rootKeys(n: number): NodeKey[] {
  requireSize('tree size', n);
  return n === 0 ? [] : keysOf([{ start: 0, end: n }]);
}

/** MTH(D[n]) from the nodes listed by {@link rootKeys}. */
export function rootFromNodes(n: number, nodes: ReadonlyMap<string, Buffer>): Buffer {
  requireSize('tree size', n);
  return n === 0 ? Buffer.from(EMPTY_ROOT) : spanHash({ start: 0, end: n }, nodes);
}

/** Nodes needed for the inclusion proof of leaf `index` in the tree of size n. */
export function inclusionProofKeys(index: number, n: number): NodeKey[] {
  checkInclusionArgs(index, n);
  return keysOf(inclusionSpans(index, n));
}

/** PATH(index, D[n]), leaf's sibling first, from the nodes listed by {@link inclusionProofKeys}. */
export function inclusionProofFromNodes(
  index: number,
  n: number,
  nodes: ReadonlyMap<string, Buffer>,
): Buffer[] {
  checkInclusionArgs(index, n);
  return inclusionSpans(index, n).map((span) => spanHash(span, nodes));
}

/** Nodes needed for the consistency proof from size m to size n (none when m is 0 or n). */
export function consistencyProofKeys(m: number, n: number): NodeKey[] {
  checkConsistencyArgs(m, n);
  return keysOf(consistencySpans(m, n));
}

/**
 * PROOF(m, D[n]) from the nodes listed by {@link consistencyProofKeys}. Empty when m is 0 or n
 * (RFC 9162 defines proofs for 0 < m < n only; see {@link verifyConsistency}).
 */
export function consistencyProofFromNodes(
  m: number,
  n: number,
  nodes: ReadonlyMap<string, Buffer>,
): Buffer[] {
  checkConsistencyArgs(m, n);
  return consistencySpans(m, n).map((span) => spanHash(span, nodes));
}

/** Root of the tree of size n, in one read. */
export async function readRoot(reader: NodeReader, n: number): Promise<Buffer> {
  return rootFromNodes(n, await reader.getNodes(rootKeys(n)));
}

/** Inclusion proof of leaf `index` in the tree of size n, in one read. */
export async function readInclusionProof(reader: NodeReader, index: number, n: number): Promise<Buffer[]> {
  return inclusionProofFromNodes(index, n, await reader.getNodes(inclusionProofKeys(index, n)));
}

/** Consistency proof from size m to size n, in one read. */
export async function readConsistencyProof(reader: NodeReader, m: number, n: number): Promise<Buffer[]> {
  return consistencyProofFromNodes(m, n, await reader.getNodes(consistencyProofKeys(m, n)));
}

// ---------------------------------------------------------------------------------------------
// Appending
// ---------------------------------------------------------------------------------------------

/**
 * Existing nodes needed to append leaf `leafIndex` (growing the tree from size leafIndex to
 * leafIndex + 1): the left sibling of each perfect subtree the new leaf completes. There is one
 * per trailing 1 bit of leafIndex, and they are the smallest pieces of {@link rootKeys}(leafIndex).
 */
export function frontierKeys(leafIndex: number): NodeKey[] {
  requireSize('leaf index', leafIndex);
  const keys: NodeKey[] = [];
  let index = leafIndex;
  let level = 0;
  while (isOdd(index)) {
    keys.push({ level, index: index - 1 });
    index = (index - 1) / 2;
    level += 1;
  }
  return keys;
}

/**
 * Nodes to persist when appending leaf `leafIndex`: the leaf at level 0, then every perfect
 * subtree it completes, bottom up. `frontier` must hold the nodes of {@link frontierKeys}.
 * Together: O(log n) reads and writes per append.
 */
export function nodesToStoreOnAppend(
  leafIndex: number,
  leafHash: Buffer,
  frontier: ReadonlyMap<string, Buffer>,
): StoredNode[] {
  requireSize('leaf index', leafIndex);
  if (!isHash(leafHash)) throw new TypeError(`leaf hash must be ${HASH_SIZE} bytes`);
  const nodes: StoredNode[] = [{ level: 0, index: leafIndex, hash: leafHash }];
  let index = leafIndex;
  let level = 0;
  let hash = leafHash;
  while (isOdd(index)) {
    hash = hashChildren(lookup(frontier, { level, index: index - 1 }), hash);
    index = (index - 1) / 2;
    level += 1;
    nodes.push({ level, index, hash });
  }
  return nodes;
}

/** Append leaf `leafIndex`, reading its frontier in one round trip; returns the nodes to persist. */
export async function readNodesToStoreOnAppend(
  reader: NodeReader,
  leafIndex: number,
  leafHash: Buffer,
): Promise<StoredNode[]> {
  return nodesToStoreOnAppend(leafIndex, leafHash, await reader.getNodes(frontierKeys(leafIndex)));
}

// ---------------------------------------------------------------------------------------------
// Streaming root
// ---------------------------------------------------------------------------------------------

/**
 * Root of a growing tree in O(log n) memory: a stack of the perfect subtrees that tile [0, size),
 * largest (leftmost) first, one per set bit of size. Pushing a leaf merges equal-sized subtrees
 * like a binary counter carries, so n pushes cost n - popcount(n) node hashes in total, and the root
 * at the current size is available at any point for at most log2(n) more hashes.
 *
 * Also serves as a batch appender: resume it with {@link StreamingRoot.fromNodes} and call
 * {@link StreamingRoot.append} to get the nodes each new leaf completes.
 */
export class StreamingRoot {
  readonly #stack: Buffer[] = [];
  #size = 0;
  #root: Buffer | undefined;

  /**
   * @param completed told of every node a pushed leaf completes (its own hash at level 0 first),
   *   for a caller that compares them with stored ones.
   */
  constructor(private readonly completed?: (level: number, index: number, hash: Buffer) => void) {}

  /** Resume at `size` from the nodes listed by {@link rootKeys}(size). */
  static fromNodes(size: number, nodes: ReadonlyMap<string, Buffer>): StreamingRoot {
    const stream = new StreamingRoot();
    for (const key of rootKeys(size)) stream.#stack.push(lookup(nodes, key));
    stream.#size = size;
    return stream;
  }

  /** Number of leaves pushed so far. */
  get size(): number {
    return this.#size;
  }

  /** Adds the next leaf hash. */
  push(leafHash: Uint8Array): void {
    this.#add(leafHash, this.completed);
  }

  /** Adds the next leaf hash and returns the nodes to persist, as {@link nodesToStoreOnAppend}. */
  append(leafHash: Uint8Array): StoredNode[] {
    const created: StoredNode[] = [];
    this.#add(leafHash, (level, index, hash) => created.push({ level, index, hash }));
    return created;
  }

  /** MTH of the leaves pushed so far. */
  root(): Buffer {
    if (this.#root === undefined) this.#root = foldRight(this.#stack) ?? EMPTY_ROOT;
    return Buffer.from(this.#root);
  }

  #add(
    leafHash: Uint8Array,
    completed: ((level: number, index: number, hash: Buffer) => void) | undefined,
  ): void {
    if (!isHash(leafHash)) throw new TypeError(`leaf hash must be ${HASH_SIZE} bytes`);
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('tree is full');
    let hash: Buffer = Buffer.from(leafHash);
    let index = this.#size;
    let level = 0;
    completed?.(level, index, hash);
    // Each trailing 1 bit of the old size is a perfect subtree on top of the stack, of the same
    // size as the one just completed: merge them.
    while (isOdd(index)) {
      const left = this.#stack.pop();
      if (left === undefined) throw new Error('streaming root stack out of step with its size');
      hash = hashChildren(left, hash);
      index = (index - 1) / 2;
      level += 1;
      completed?.(level, index, hash);
    }
    this.#stack.push(hash);
    this.#size += 1;
    this.#root = undefined;
  }
}

/** MTH of a sequence of leaf hashes: O(n) time, O(log n) memory. */
export function rootFromLeafHashes(leafHashes: Iterable<Uint8Array>): Buffer {
  const stream = new StreamingRoot();
  for (const hash of leafHashes) stream.push(hash);
  return stream.root();
}

// ---------------------------------------------------------------------------------------------
// Verification (RFC 9162 2.1.3.2 and 2.1.4.2)
// ---------------------------------------------------------------------------------------------

/**
 * Verifies that `leafHash` is leaf `index` of the tree of size `treeSize` whose root is `root`,
 * with the algorithm of RFC 9162 section 2.1.3.2. Never throws: malformed input is just false.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isCount(index) || !isCount(treeSize) || !isHash(leafHash) || !isHash(root)) return false;
  if (!proof.every(isHash)) return false;
  // 1. The leaf must be in the tree.
  if (index >= treeSize) return false;
  // 2-3. fn walks the leaf's position up the tree, sn the last leaf's; r is the running hash.
  let fn = index;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  // 4.
  for (const p of proof) {
    // More proof than levels.
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      // The sibling is on the left; or fn is the last node of its level with no right sibling
      // (right edge of a non-perfect tree), in which case it is promoted unchanged through the
      // levels where it stands alone until it becomes a right child.
      r = hashChildren(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 5. The whole path must have been consumed, and lead to the root.
  return sn === 0 && sameBytes(r, root);
}

/**
 * Verifies that the tree of size `m` with root `rootM` is a prefix of the tree of size `n` with
 * root `rootN`, with the algorithm of RFC 9162 section 2.1.4.2 for 0 < m < n. Never throws.
 *
 * The RFC defines proofs for 0 < m < n only; the degenerate cases follow the usual convention
 * (as in transparency-dev/merkle), with an empty proof:
 *   - m = 0: consistent with anything, provided rootM is the empty-tree root (and so is rootN if
 *     n = 0);
 *   - m = n: consistent iff rootM equals rootN.
 */
export function verifyConsistency(
  m: number,
  n: number,
  rootM: Uint8Array,
  rootN: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isCount(m) || !isCount(n) || m > n || !isHash(rootM) || !isHash(rootN)) return false;
  if (!proof.every(isHash)) return false;
  if (m === 0)
    return proof.length === 0 && sameBytes(rootM, EMPTY_ROOT) && (n > 0 || sameBytes(rootN, EMPTY_ROOT));
  if (m === n) return proof.length === 0 && sameBytes(rootM, rootN);

  // 1.
  if (proof.length === 0) return false;
  // 2. When m is a power of two the old tree is a single node of the new tree, which the proof
  //    omits because the verifier holds it already: its root.
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  // 3. fn walks the position of the old tree's last leaf up the tree, sn the new tree's.
  let fn = m - 1;
  let sn = n - 1;
  // 4. Skip the levels where the old tree's last leaf is a right child inside a perfect subtree
  //    shared by both trees: the first path element is the hash of that whole subtree.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5. fr rebuilds the old root, sr the new one; both start from that shared subtree.
  const [first, ...rest] = path;
  if (first === undefined) return false;
  let fr: Buffer = Buffer.from(first);
  let sr: Buffer = Buffer.from(first);
  // 6.
  for (const c of rest) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      // A left sibling: part of both trees. Same right-edge promotion as for inclusion.
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      // A right sibling: only in the new tree.
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  return sameBytes(fr, rootM) && sameBytes(sr, rootN) && sn === 0;
}
