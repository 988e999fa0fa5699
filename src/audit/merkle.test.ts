import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consistencyProofFromNodes,
  consistencyProofKeys,
  EMPTY_ROOT,
  frontierKeys,
  HASH_SIZE,
  hashChildren,
  hashLeaf,
  inclusionProofFromNodes,
  inclusionProofKeys,
  type NodeKey,
  type NodeReader,
  nodeId,
  nodesToStoreOnAppend,
  readConsistencyProof,
  readInclusionProof,
  readNodesToStoreOnAppend,
  readRoot,
  rootFromLeafHashes,
  rootFromNodes,
  rootKeys,
  type StoredNode,
  StreamingRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';
import { type NodeRun, Recomputation } from './verify.ts';

// ---------------------------------------------------------------------------------------------
// Naive reference, straight from the RFC 9162 2.1 definitions (own SHA-256 calls, array slices,
// recursion, k = the largest power of two smaller than n). Deliberately shares no code with the
// implementation.
// ---------------------------------------------------------------------------------------------

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
}
const refLeaf = (d: Uint8Array): Buffer => sha256(Uint8Array.of(0x00), d);
const refNode = (l: Uint8Array, r: Uint8Array): Buffer => sha256(Uint8Array.of(0x01), l, r);

function refK(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${i}`);
  return x;
}

/** MTH(D[n]) over the raw entries. */
function refMTH(D: readonly Uint8Array[]): Buffer {
  const n = D.length;
  if (n === 0) return sha256();
  if (n === 1) return refLeaf(at(D, 0));
  const k = refK(n);
  return refNode(refMTH(D.slice(0, k)), refMTH(D.slice(k)));
}

/** PATH(m, D[n]). */
function refPATH(m: number, D: readonly Uint8Array[]): Buffer[] {
  const n = D.length;
  if (n === 1) return [];
  const k = refK(n);
  return m < k
    ? [...refPATH(m, D.slice(0, k)), refMTH(D.slice(k))]
    : [...refPATH(m - k, D.slice(k)), refMTH(D.slice(0, k))];
}

/** SUBPROOF(m, D[n], b). */
function refSUBPROOF(m: number, D: readonly Uint8Array[], b: boolean): Buffer[] {
  const n = D.length;
  if (m === n) return b ? [] : [refMTH(D)];
  const k = refK(n);
  return m <= k
    ? [...refSUBPROOF(m, D.slice(0, k), b), refMTH(D.slice(k))]
    : [...refSUBPROOF(m - k, D.slice(k), false), refMTH(D.slice(0, k))];
}

/** PROOF(m, D[n]), 0 < m < n. */
const refPROOF = (m: number, D: readonly Uint8Array[]): Buffer[] => refSUBPROOF(m, D, true);

/**
 * Reference verifiers: invert the PATH / SUBPROOF recursions (the last proof element is the
 * top-level sibling) instead of the RFC's bit-twiddling walk. Used as the oracle for what the
 * real verifiers must accept when given wrong indices or sizes.
 */
function refRootFromPath(m: number, n: number, leaf: Buffer, path: readonly Buffer[]): Buffer | undefined {
  if (n === 1) return path.length === 0 ? leaf : undefined;
  if (path.length === 0) return undefined;
  const k = refK(n);
  const top = at(path, path.length - 1);
  const rest = path.slice(0, -1);
  if (m < k) {
    const left = refRootFromPath(m, k, leaf, rest);
    return left && refNode(left, top);
  }
  const right = refRootFromPath(m - k, n - k, leaf, rest);
  return right && refNode(top, right);
}

function refVerifyInclusion(
  leaf: Buffer,
  index: number,
  n: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) return false;
  const r = refRootFromPath(index, n, leaf, proof);
  return r?.equals(root) === true;
}

/** [old root, new root] rebuilt from SUBPROOF(m, D[n], b). */
function refRootsFromSubproof(
  m: number,
  n: number,
  b: boolean,
  proof: readonly Buffer[],
  rootM: Buffer,
): [Buffer, Buffer] | undefined {
  if (m === n) {
    if (b) return proof.length === 0 ? [rootM, rootM] : undefined;
    return proof.length === 1 ? [at(proof, 0), at(proof, 0)] : undefined;
  }
  if (proof.length === 0) return undefined;
  const k = refK(n);
  const top = at(proof, proof.length - 1);
  const rest = proof.slice(0, -1);
  if (m <= k) {
    const sub = refRootsFromSubproof(m, k, b, rest, rootM);
    return sub && [sub[0], refNode(sub[1], top)];
  }
  const sub = refRootsFromSubproof(m - k, n - k, false, rest, rootM);
  return sub && [refNode(top, sub[0]), refNode(top, sub[1])];
}

function refVerifyConsistency(
  m: number,
  n: number,
  rootM: Buffer,
  rootN: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (m < 0 || m > n) return false;
  const empty = sha256();
  if (m === 0) return proof.length === 0 && rootM.equals(empty) && (n > 0 || rootN.equals(empty));
  const roots = refRootsFromSubproof(m, n, true, proof, rootM);
  if (roots === undefined) return false;
  return roots[0].equals(rootM) && roots[1].equals(rootN);
}

// ---------------------------------------------------------------------------------------------
// Fixtures: one log of 4096 entries, its node store built by appending leaf after leaf
// ---------------------------------------------------------------------------------------------

const MAX = 4096;
const ENTRIES: Buffer[] = Array.from({ length: MAX }, (_, i) => Buffer.from(`audit entry #${i}`));
const LEAVES: Buffer[] = ENTRIES.map(hashLeaf);

function buildStore(leafHashes: readonly Buffer[]): Map<string, Buffer> {
  const store = new Map<string, Buffer>();
  leafHashes.forEach((leafHash, i) => {
    for (const node of nodesToStoreOnAppend(i, leafHash, store)) store.set(nodeId(node), node.hash);
  });
  return store;
}
const STORE = buildStore(LEAVES);

/** A node exists in the tree of size n iff its last leaf does. */
const existsAt = (key: NodeKey, n: number): boolean =>
  Number.isSafeInteger(key.level) &&
  Number.isSafeInteger(key.index) &&
  key.level >= 0 &&
  key.index >= 0 &&
  (key.index + 1) * 2 ** key.level <= n;

/** The store as a log of size n sees it: asking for a node not yet complete is a bug. */
function nodesAt(n: number, keys: readonly NodeKey[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const key of keys) {
    if (!existsAt(key, n)) throw new Error(`node ${nodeId(key)} does not exist at size ${n}`);
    const hash = STORE.get(nodeId(key));
    if (hash) out.set(nodeId(key), hash);
  }
  return out;
}

class CountingReader implements NodeReader {
  calls = 0;
  keys = 0;
  constructor(readonly size: number) {}
  async getNodes(keys: readonly NodeKey[]): Promise<Map<string, Buffer>> {
    this.calls += 1;
    this.keys += keys.length;
    return nodesAt(this.size, keys);
  }
}

const rootAt = (n: number): Buffer => rootFromNodes(n, nodesAt(n, rootKeys(n)));
const inclusionAt = (i: number, n: number): Buffer[] =>
  inclusionProofFromNodes(i, n, nodesAt(n, inclusionProofKeys(i, n)));
const consistencyAt = (m: number, n: number): Buffer[] =>
  consistencyProofFromNodes(m, n, nodesAt(n, consistencyProofKeys(m, n)));

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** Hashes as text: vitest's deep equality on Buffers is slow. */
const hx = (x: Uint8Array | readonly Uint8Array[] | undefined): string =>
  x === undefined ? 'undefined' : x instanceof Uint8Array ? hex(x) : x.map(hex).join(',');
const describeNode = (node: StoredNode): string => `${nodeId(node)}=${hex(node.hash)}`;
const unhex = (s: string): Buffer => Buffer.from(s, 'hex');

function flipBit(b: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(b);
  const byte = Math.floor(bit / 8) % copy.length;
  copy[byte] = (copy[byte] ?? 0) ^ (1 << (bit % 8));
  return copy;
}

function ceilLog2(n: number): number {
  let c = 0;
  let p = 1;
  while (p < n) {
    p *= 2;
    c += 1;
  }
  return c;
}

/** n >= 1 with an index or size in [0, n]. */
const sizeAndBelow = (maxN: number, inclusive: boolean) =>
  fc
    .integer({ min: 1, max: maxN })
    .chain((n) => fc.tuple(fc.constant(n), fc.nat({ max: inclusive ? n : n - 1 })));

// ---------------------------------------------------------------------------------------------

describe('RFC 6962 / 9162 known answers', () => {
  // The Certificate Transparency test vectors (entries, roots of sizes 1..8, a few proofs).
  const ct = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ].map(unhex);
  const ctRoots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  const ctLeaves = ct.map(hashLeaf);
  const ctStore = buildStore(ctLeaves);

  it('empty tree root is SHA-256 of the empty string', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hx(rootFromNodes(0, new Map()))).toBe(hx(EMPTY_ROOT));
    expect(rootKeys(0)).toEqual([]);
    expect(hx(rootFromLeafHashes([]))).toBe(hx(EMPTY_ROOT));
    expect(hx(new StreamingRoot().root())).toBe(hx(EMPTY_ROOT));
    expect(hx(refMTH([]))).toBe(hx(EMPTY_ROOT));
  });

  it('hashes leaves and nodes with the 0x00 / 0x01 prefixes', () => {
    const a = Buffer.from('left');
    const b = Buffer.from('right');
    expect(hx(hashLeaf(a))).toBe(hx(sha256(Buffer.from([0]), a)));
    expect(hx(hashChildren(a, b))).toBe(hx(sha256(Buffer.from([1]), a, b)));
    expect(hex(hashLeaf(new Uint8Array()))).toBe(ctRoots[0]);
  });

  it('matches the published roots of sizes 1..8', () => {
    for (let n = 1; n <= 8; n++) {
      expect(hex(rootFromNodes(n, ctStore)), `size ${n}`).toBe(ctRoots[n - 1]);
      expect(hex(rootFromLeafHashes(ctLeaves.slice(0, n)))).toBe(ctRoots[n - 1]);
    }
  });

  it('matches the published proofs', () => {
    const inclusion = [
      {
        index: 0,
        size: 8,
        proof: [
          '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
        ],
      },
      {
        index: 5,
        size: 8,
        proof: [
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
          'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
          'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        ],
      },
    ];
    for (const v of inclusion) {
      expect(inclusionProofFromNodes(v.index, v.size, ctStore).map(hex)).toEqual(v.proof);
      const root = unhex(at(ctRoots, v.size - 1));
      expect(verifyInclusion(at(ctLeaves, v.index), v.index, v.size, v.proof.map(unhex), root)).toBe(true);
    }
    const consistency = [
      {
        m: 2,
        n: 8,
        proof: [
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
        ],
      },
      {
        m: 6,
        n: 8,
        proof: [
          '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
          'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
          'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        ],
      },
      {
        m: 2,
        n: 5,
        proof: [
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        ],
      },
    ];
    for (const v of consistency) {
      expect(consistencyProofFromNodes(v.m, v.n, ctStore).map(hex)).toEqual(v.proof);
      const rootM = unhex(at(ctRoots, v.m - 1));
      const rootN = unhex(at(ctRoots, v.n - 1));
      expect(verifyConsistency(v.m, v.n, rootM, rootN, v.proof.map(unhex))).toBe(true);
    }
  });
});

describe('node store', () => {
  it('holds exactly the perfect subtrees, each with its RFC hash', () => {
    for (let n = 0; n <= 70; n++) {
      const store = buildStore(LEAVES.slice(0, n));
      let expected = 0;
      for (let level = 0; 2 ** level <= n; level++) {
        const width = 2 ** level;
        for (let index = 0; (index + 1) * width <= n; index++) {
          expected += 1;
          const want = refMTH(ENTRIES.slice(index * width, (index + 1) * width));
          expect(hx(store.get(nodeId({ level, index }))), `${level}:${index} at size ${n}`).toBe(hx(want));
        }
      }
      expect(store.size).toBe(expected);
    }
  });

  it('appends with one read of the frontier and O(log n) writes', async () => {
    for (let i = 0; i < 300; i++) {
      const frontier = frontierKeys(i);
      let trailingOnes = 0;
      while (Math.floor(i / 2 ** trailingOnes) % 2 === 1) trailingOnes++;
      expect(frontier.length).toBe(trailingOnes);
      // The frontier is the small end of the compact range [0, i).
      const range = new Set(rootKeys(i).map(nodeId));
      for (const key of frontier) expect(range.has(nodeId(key))).toBe(true);

      const reader = new CountingReader(i);
      const nodes = await readNodesToStoreOnAppend(reader, i, at(LEAVES, i));
      expect(reader.calls).toBe(1);
      expect(nodes.length).toBe(trailingOnes + 1);
      expect(nodes.length).toBeLessThanOrEqual(ceilLog2(i + 1) + 1);
      for (const node of nodes) {
        expect(existsAt(node, i + 1) && !existsAt(node, i)).toBe(true);
        expect(hx(node.hash)).toBe(hx(STORE.get(nodeId(node))));
      }
    }
  });

  it('refuses to append without the frontier', () => {
    expect(() => nodesToStoreOnAppend(3, at(LEAVES, 3), new Map())).toThrow(/missing/);
    expect(() => nodesToStoreOnAppend(0, Buffer.alloc(31), new Map())).toThrow(TypeError);
  });

  it('StreamingRoot resumed from stored nodes appends the same nodes and roots', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 100 }), (size, count) => {
        const stream = StreamingRoot.fromNodes(size, nodesAt(size, rootKeys(size)));
        expect(stream.size).toBe(size);
        expect(hx(stream.root())).toBe(hx(rootAt(size)));
        for (let i = size; i < size + count; i++) {
          const created = stream.append(at(LEAVES, i));
          expect(created.map(describeNode)).toEqual(
            nodesToStoreOnAppend(i, at(LEAVES, i), STORE).map(describeNode),
          );
          expect(hx(stream.root())).toBe(hx(rootAt(i + 1)));
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('roots', () => {
  it('agree with the reference at every size up to 600, stored and streamed', () => {
    const stream = new StreamingRoot();
    for (let n = 0; n <= 600; n++) {
      const want = refMTH(ENTRIES.slice(0, n));
      expect(stream.size).toBe(n);
      expect(hx(stream.root()), `streamed, size ${n}`).toBe(hx(want));
      expect(hx(rootAt(n)), `stored, size ${n}`).toBe(hx(want));
      if (n < 600) stream.push(at(LEAVES, n));
    }
    expect(hx(rootFromLeafHashes(LEAVES.slice(0, 600)))).toBe(hx(refMTH(ENTRIES.slice(0, 600))));
  });

  it('agree with the reference at random sizes up to 4096', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), (n) => {
        const want = refMTH(ENTRIES.slice(0, n));
        expect(hx(rootAt(n))).toBe(hx(want));
        expect(hx(rootFromLeafHashes(LEAVES.slice(0, n)))).toBe(hx(want));
      }),
      { numRuns: 60 },
    );
  });

  it('reads once through a NodeReader', async () => {
    const reader = new CountingReader(1000);
    expect(hx(await readRoot(reader, 1000))).toBe(hx(refMTH(ENTRIES.slice(0, 1000))));
    expect(reader.calls).toBe(1);
  });
});

describe("the verifier's recomputation", () => {
  /** The nodes of runs as `level:index=hash`, one run after another. */
  const runNodes = (runs: readonly NodeRun[]): string[] =>
    runs.flatMap((run) =>
      Array.from({ length: run.hashes.length / HASH_SIZE }, (_, i) =>
        describeNode({
          level: run.level,
          index: run.lo + i,
          hash: run.hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
        }),
      ),
    );

  it('has the reference root at every size up to 600, from the leaf contents', () => {
    const tree = new Recomputation();
    for (let n = 0; n <= 600; n++) {
      expect(tree.size).toBe(n);
      expect(hx(tree.root()), `size ${n}`).toBe(hx(refMTH(ENTRIES.slice(0, n))));
      if (n < 600) tree.appendLeaf(at(ENTRIES, n));
    }
  });

  it('hands over each node it completes once, per level in index order, as the node store holds it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1500 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 1500 }), { maxLength: 12 }),
        (n, cuts) => {
          const tree = new Recomputation();
          const got: string[] = [];
          // Taken runs are views that later appends write over: read them at once.
          const take = () => {
            const runs = tree.takeRuns();
            const levels = runs.map((r) => r.level);
            expect(levels).toEqual([...levels].sort((a, b) => a - b));
            got.push(...runNodes(runs));
          };
          const takeAt = new Set(cuts.filter((c) => c < n));
          for (let i = 0; i < n; i++) {
            tree.appendLeaf(at(ENTRIES, i));
            if (takeAt.has(i + 1)) take();
          }
          take();
          const want = [...buildStore(LEAVES.slice(0, n))].map(([id, hash]) => `${id}=${hex(hash)}`);
          expect(got.length).toBe(want.length);
          expect(new Set(got)).toEqual(new Set(want));
          expect(tree.takeRuns()).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('counts a leaf given by its hash like one given by its content', () => {
    const byContent = new Recomputation();
    const byHash = new Recomputation();
    for (let i = 0; i < 37; i++) {
      byContent.appendLeaf(at(ENTRIES, i));
      byHash.appendLeafHash(at(LEAVES, i));
    }
    expect(hx(byHash.root())).toBe(hx(byContent.root()));
    expect(runNodes(byHash.takeRuns())).toEqual(runNodes(byContent.takeRuns()));
  });
});

describe('inclusion proofs', () => {
  it('equal PATH for every leaf of every tree up to 70, and verify', () => {
    for (let n = 1; n <= 70; n++) {
      const D = ENTRIES.slice(0, n);
      const root = refMTH(D);
      for (let i = 0; i < n; i++) {
        const proof = inclusionAt(i, n);
        expect(hx(proof), `${i} in ${n}`).toBe(hx(refPATH(i, D)));
        expect(verifyInclusion(at(LEAVES, i), i, n, proof, root)).toBe(true);
        expect(refVerifyInclusion(at(LEAVES, i), i, n, proof, root)).toBe(true);
      }
    }
  });

  it('equal PATH at random sizes up to 4096', () => {
    fc.assert(
      fc.property(sizeAndBelow(MAX, false), ([n, i]) => {
        expect(hx(inclusionAt(i, n))).toBe(hx(refPATH(i, ENTRIES.slice(0, n))));
      }),
      { numRuns: 60 },
    );
  });

  it('reads once through a NodeReader', async () => {
    const reader = new CountingReader(777);
    expect(hx(await readInclusionProof(reader, 500, 777))).toBe(hx(refPATH(500, ENTRIES.slice(0, 777))));
    expect(reader.calls).toBe(1);
  });

  it('verify, and fail with any bit flipped in the proof, the root or the leaf', () => {
    fc.assert(
      fc.property(sizeAndBelow(MAX, false), fc.nat(), fc.nat({ max: 255 }), ([n, i], pick, bit) => {
        const leaf = at(LEAVES, i);
        const proof = inclusionAt(i, n);
        const root = rootAt(n);
        expect(verifyInclusion(leaf, i, n, proof, root)).toBe(true);

        expect(verifyInclusion(flipBit(leaf, bit), i, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, i, n, proof, flipBit(root, bit))).toBe(false);
        if (proof.length > 0) {
          const j = pick % proof.length;
          const tampered = proof.map((p, k) => (k === j ? flipBit(p, bit) : p));
          expect(verifyInclusion(leaf, i, n, tampered, root)).toBe(false);
          // Dropped or extra elements.
          expect(verifyInclusion(leaf, i, n, proof.slice(0, -1), root)).toBe(false);
        }
        expect(verifyInclusion(leaf, i, n, [...proof, root], root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('fail for any other index', () => {
    fc.assert(
      fc.property(sizeAndBelow(MAX, false), fc.integer({ min: -2, max: MAX + 2 }), ([n, i], other) => {
        fc.pre(other !== i);
        const leaf = at(LEAVES, i);
        const proof = inclusionAt(i, n);
        const root = rootAt(n);
        expect(verifyInclusion(leaf, other, n, proof, root)).toBe(false);
        expect(refVerifyInclusion(leaf, other, n, proof, root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('accept another tree size exactly when the reference does', () => {
    // A path does not pin the tree size on its own (the signed tree head does): leaf 0 has the
    // same path shape in trees of 5 and 6 leaves, so a size-5 proof also checks out as size 6.
    const proof5 = inclusionAt(0, 5);
    expect(verifyInclusion(at(LEAVES, 0), 0, 6, proof5, rootAt(5))).toBe(true);
    expect(verifyInclusion(at(LEAVES, 0), 0, 4, proof5, rootAt(5))).toBe(false);

    let rejected = 0;
    fc.assert(
      fc.property(sizeAndBelow(MAX, false), fc.integer({ min: -1, max: 2 * MAX }), ([n, i], other) => {
        fc.pre(other !== n);
        const leaf = at(LEAVES, i);
        const proof = inclusionAt(i, n);
        const root = rootAt(n);
        const got = verifyInclusion(leaf, i, other, proof, root);
        expect(got).toBe(refVerifyInclusion(leaf, i, other, proof, root));
        if (!got) rejected++;
        // Near sizes too, where the shapes are most alike.
        for (const near of [n - 1, n + 1]) {
          expect(verifyInclusion(leaf, i, near, proof, root)).toBe(
            refVerifyInclusion(leaf, i, near, proof, root),
          );
        }
      }),
      { numRuns: 300 },
    );
    expect(rejected).toBeGreaterThan(150);
  });

  it('reject malformed input without throwing', () => {
    const leaf = at(LEAVES, 5);
    const proof = inclusionAt(5, 8);
    const root = rootAt(8);
    expect(verifyInclusion(leaf, 5, 8, proof, root)).toBe(true);
    expect(verifyInclusion(leaf.subarray(1), 5, 8, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 5, 8, proof, root.subarray(1))).toBe(false);
    expect(verifyInclusion(leaf, 5, 8, [Buffer.alloc(31), ...proof.slice(1)], root)).toBe(false);
    for (const [i, n] of [
      [8, 8],
      [-1, 8],
      [5.5, 8],
      [Number.NaN, 8],
      [5, Number.POSITIVE_INFINITY],
      [0, 0],
    ] as const) {
      expect(verifyInclusion(leaf, i, n, proof, root)).toBe(false);
    }
  });
});

describe('consistency proofs', () => {
  it('equal PROOF for every pair of sizes up to 70, and verify', () => {
    for (let n = 0; n <= 70; n++) {
      const D = ENTRIES.slice(0, n);
      const rootN = refMTH(D);
      for (let m = 0; m <= n; m++) {
        const proof = consistencyAt(m, n);
        const rootM = refMTH(D.slice(0, m));
        expect(hx(proof), `${m} to ${n}`).toBe(hx(m === 0 || m === n ? [] : refPROOF(m, D)));
        expect(verifyConsistency(m, n, rootM, rootN, proof), `${m} to ${n}`).toBe(true);
        expect(refVerifyConsistency(m, n, rootM, rootN, proof)).toBe(true);
      }
    }
  });

  it('equal PROOF at random sizes up to 4096', () => {
    fc.assert(
      fc.property(sizeAndBelow(MAX, true), ([n, m]) => {
        fc.pre(m > 0 && m < n);
        expect(hx(consistencyAt(m, n))).toBe(hx(refPROOF(m, ENTRIES.slice(0, n))));
      }),
      { numRuns: 60 },
    );
  });

  it('reads once through a NodeReader', async () => {
    const reader = new CountingReader(1500);
    expect(hx(await readConsistencyProof(reader, 999, 1500))).toBe(hx(refPROOF(999, ENTRIES.slice(0, 1500))));
    expect(reader.calls).toBe(1);
  });

  it('verify, and fail with any bit flipped in the proof or either root', () => {
    fc.assert(
      fc.property(sizeAndBelow(MAX, true), fc.nat(), fc.nat({ max: 255 }), ([n, m], pick, bit) => {
        const proof = consistencyAt(m, n);
        const rootM = rootAt(m);
        const rootN = rootAt(n);
        expect(verifyConsistency(m, n, rootM, rootN, proof)).toBe(true);

        expect(verifyConsistency(m, n, flipBit(rootM, bit), rootN, proof)).toBe(false);
        // Every tree extends the empty one, whatever its root.
        if (m > 0) expect(verifyConsistency(m, n, rootM, flipBit(rootN, bit), proof)).toBe(false);
        if (proof.length > 0) {
          const j = pick % proof.length;
          const tampered = proof.map((p, k) => (k === j ? flipBit(p, bit) : p));
          expect(verifyConsistency(m, n, rootM, rootN, tampered)).toBe(false);
          expect(verifyConsistency(m, n, rootM, rootN, proof.slice(0, -1))).toBe(false);
        }
        expect(verifyConsistency(m, n, rootM, rootN, [...proof, rootN])).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('accept other sizes exactly when the reference does', () => {
    // As with inclusion, a proof alone does not pin the sizes: PROOF(2, D[4]) = [H(d2, d3)]
    // rebuilds root(4) just as well when read as a proof from size 2 to size 3.
    expect(verifyConsistency(2, 3, rootAt(2), rootAt(4), consistencyAt(2, 4))).toBe(true);
    expect(verifyConsistency(2, 5, rootAt(2), rootAt(4), consistencyAt(2, 4))).toBe(false);

    let rejected = 0;
    fc.assert(
      fc.property(
        sizeAndBelow(MAX, true),
        fc.integer({ min: -1, max: MAX }),
        fc.integer({ min: -1, max: 2 * MAX }),
        fc.boolean(),
        ([n, m], otherM, otherN, nearby) => {
          const proof = consistencyAt(m, n);
          const rootM = rootAt(m);
          const rootN = rootAt(n);
          const candidates: [number, number][] = nearby
            ? [
                [m - 1, n],
                [m + 1, n],
                [m, n - 1],
                [m, n + 1],
                [m + 1, n + 1],
                [m - 1, n - 1],
              ]
            : [
                [otherM, n],
                [m, otherN],
                [otherM, otherN],
              ];
          for (const [m2, n2] of candidates) {
            if (m2 === m && n2 === n) continue;
            const got = verifyConsistency(m2, n2, rootM, rootN, proof);
            expect(got, `${m}->${n} read as ${m2}->${n2}`).toBe(
              refVerifyConsistency(m2, n2, rootM, rootN, proof),
            );
            if (!got) rejected++;
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(rejected).toBeGreaterThan(400);
  });

  it('handle the degenerate sizes and malformed input without throwing', () => {
    const r4 = rootAt(4);
    const r5 = rootAt(5);
    const r8 = rootAt(8);
    expect(verifyConsistency(4, 4, r4, r4, [])).toBe(true);
    expect(verifyConsistency(4, 4, r4, r5, [])).toBe(false);
    expect(verifyConsistency(4, 4, r4, r4, [r4])).toBe(false);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, r8, [])).toBe(true);
    expect(verifyConsistency(0, 8, r4, r8, [])).toBe(false);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, r8, [r8])).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, r4, [])).toBe(false);

    const proof = consistencyAt(5, 8);
    expect(verifyConsistency(5, 8, r5, r8, proof)).toBe(true);
    expect(verifyConsistency(5, 8, r5, r8, [])).toBe(false);
    expect(verifyConsistency(8, 5, r8, r5, proof)).toBe(false);
    expect(verifyConsistency(5, 8, r5.subarray(1), r8, proof)).toBe(false);
    expect(verifyConsistency(5, 8, r5, r8.subarray(1), proof)).toBe(false);
    expect(verifyConsistency(5, 8, r5, r8, [Buffer.alloc(33), ...proof.slice(1)])).toBe(false);
    expect(verifyConsistency(-1, 8, r5, r8, proof)).toBe(false);
    expect(verifyConsistency(5, Number.NaN, r5, r8, proof)).toBe(false);
    expect(verifyConsistency(5.5, 8, r5, r8, proof)).toBe(false);
  });
});

describe('O(log n) reads', () => {
  const bound = (n: number): number => 2 * ceilLog2(n) + 2;

  /** What is wrong with a key list for a tree of size n (checked in bulk: per-key expects are slow). */
  function keyProblems(what: string, keys: readonly NodeKey[], n: number): string[] {
    const problems: string[] = [];
    if (keys.length > bound(n)) problems.push(`${what}: ${keys.length} keys > ${bound(n)}`);
    if (new Set(keys.map(nodeId)).size !== keys.length) problems.push(`${what}: repeated keys`);
    for (const key of keys) if (!existsAt(key, n)) problems.push(`${what}: ${nodeId(key)} does not exist`);
    return problems;
  }

  it('every *Keys function asks for at most 2*ceil(log2 n)+2 existing nodes (all sizes up to 200)', () => {
    const problems: string[] = [];
    for (let n = 1; n <= 200; n++) {
      problems.push(...keyProblems(`rootKeys(${n})`, rootKeys(n), n));
      if (rootKeys(n).length > ceilLog2(n + 1)) problems.push(`rootKeys(${n}) exceeds popcount`);
      for (let i = 0; i < n; i++)
        problems.push(...keyProblems(`inclusion(${i}, ${n})`, inclusionProofKeys(i, n), n));
      for (let m = 0; m <= n; m++) {
        problems.push(...keyProblems(`consistency(${m}, ${n})`, consistencyProofKeys(m, n), n));
      }
      problems.push(...keyProblems(`frontier(${n})`, frontierKeys(n), n));
    }
    expect(problems).toEqual([]);
  });

  it('and so up to Number.MAX_SAFE_INTEGER', () => {
    const big = fc.oneof(
      fc.maxSafeNat(),
      fc.integer({ min: 0, max: 62 }).map((e) => 2 ** e),
      fc.integer({ min: 0, max: 52 }).map((e) => 2 ** e - 1),
      fc.integer({ min: 0, max: 52 }).map((e) => 2 ** e + 1),
    );
    fc.assert(
      fc.property(big, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (raw, frac) => {
        const n = Math.min(Math.max(raw, 1), Number.MAX_SAFE_INTEGER);
        const below = Math.min(Math.floor(frac * n), n - 1);
        const problems = [
          ...keyProblems('root', rootKeys(n), n),
          ...keyProblems('inclusion', inclusionProofKeys(below, n), n),
          ...keyProblems('inclusion of the last leaf', inclusionProofKeys(n - 1, n), n),
          ...keyProblems('consistency', consistencyProofKeys(below, n), n),
          ...keyProblems('consistency from n - 1', consistencyProofKeys(n - 1, n), n),
          ...keyProblems('frontier', frontierKeys(n), n),
        ];
        expect(problems, `size ${n}, index ${below}`).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('reject invalid arguments', () => {
    expect(() => rootKeys(-1)).toThrow(RangeError);
    expect(() => rootKeys(1.5)).toThrow(RangeError);
    expect(() => inclusionProofKeys(3, 3)).toThrow(RangeError);
    expect(() => inclusionProofKeys(0, 0)).toThrow(RangeError);
    expect(() => inclusionProofKeys(-1, 3)).toThrow(RangeError);
    expect(() => consistencyProofKeys(4, 3)).toThrow(RangeError);
    expect(() => consistencyProofKeys(0, Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => frontierKeys(-1)).toThrow(RangeError);
    expect(() => inclusionProofFromNodes(1, 4, new Map())).toThrow(/missing/);
    expect(() => rootFromNodes(3, new Map([['1:0', Buffer.alloc(HASH_SIZE)]]))).toThrow(/missing/);
  });
});

describe('huge trees (virtual store)', () => {
  // A virtual log whose perfect subtrees have made-up hashes, with the RFC recursion over index
  // ranges above them. Checks the arithmetic far beyond 32 bits.
  const fake = (level: number, index: number): Buffer => sha256(Buffer.from(`virtual ${level}:${index}`));
  const fakeNodes = (keys: readonly NodeKey[]): Map<string, Buffer> =>
    new Map(keys.map((key) => [nodeId(key), fake(key.level, key.index)]));

  /** Split spans that `cut` says a verifier rebuilds from their parts (so those must really be hashes of their parts). */
  type Cut = (a: number, b: number) => boolean;
  const noCut: Cut = () => false;

  function perfectLevel(a: number, b: number): number | undefined {
    const size = b - a;
    let level = 0;
    while (2 ** level < size) level++;
    return 2 ** level === size && a % size === 0 ? level : undefined;
  }
  function vMTH(a: number, b: number, cut: Cut): Buffer {
    const level = perfectLevel(a, b);
    if (level !== undefined && (level === 0 || !cut(a, b))) return fake(level, a / 2 ** level);
    const k = refK(b - a);
    return refNode(vMTH(a, a + k, cut), vMTH(a + k, b, cut));
  }
  function vPATH(m: number, a: number, b: number): Buffer[] {
    if (b - a === 1) return [];
    const k = refK(b - a);
    return m < a + k
      ? [...vPATH(m, a, a + k), vMTH(a + k, b, noCut)]
      : [...vPATH(m, a + k, b), vMTH(a, a + k, noCut)];
  }
  function vSUBPROOF(m: number, a: number, b: number, whole: boolean): Buffer[] {
    if (m === b) return whole ? [] : [vMTH(a, b, noCut)];
    const k = refK(b - a);
    return m <= a + k
      ? [...vSUBPROOF(m, a, a + k, whole), vMTH(a + k, b, noCut)]
      : [...vSUBPROOF(m, a + k, b, false), vMTH(a, a + k, noCut)];
  }

  it('proofs match the RFC recursion and verify', () => {
    const size = fc.oneof(
      fc.maxSafeNat(),
      fc.integer({ min: 32, max: 53 }).map((e) => 2 ** e - 1),
    );
    fc.assert(
      fc.property(size, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (raw, frac) => {
        const n = Math.max(raw, 2);
        const i = Math.min(Math.floor(frac * n), n - 1);
        const m = Math.max(i, 1);
        expect(hx(rootFromNodes(n, fakeNodes(rootKeys(n))))).toBe(hx(vMTH(0, n, noCut)));

        const path = inclusionProofFromNodes(i, n, fakeNodes(inclusionProofKeys(i, n)));
        expect(hx(path)).toBe(hx(vPATH(i, 0, n)));
        // The verifier rebuilds every subtree holding leaf i.
        const rootI = vMTH(0, n, (a, b) => a <= i && i < b);
        expect(verifyInclusion(fake(0, i), i, n, path, rootI)).toBe(true);
        expect(verifyInclusion(fake(0, i), i, n, path, flipBit(rootI, 0))).toBe(false);

        const proof = consistencyProofFromNodes(m, n, fakeNodes(consistencyProofKeys(m, n)));
        expect(hx(proof)).toBe(hx(vSUBPROOF(m, 0, n, true)));
        // It rebuilds every subtree straddling the old tree's end.
        const straddles: Cut = (a, b) => a < m && m < b;
        const rootM = vMTH(0, m, straddles);
        const rootN = vMTH(0, n, straddles);
        expect(verifyConsistency(m, n, rootM, rootN, proof)).toBe(true);
        expect(verifyConsistency(m, n, rootM, flipBit(rootN, 0), proof)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
