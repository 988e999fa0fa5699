import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { hashLeaf, verifyInclusion } from './merkle.ts';
import {
  ConsistencyProofJson,
  HeadListJson,
  headFromJson,
  InclusionProofJson,
  KeyListJson,
  keyFromJson,
  LeafPageJson,
  MAX_PAGE,
  SignedTreeHeadJson,
} from './schemas.ts';
import type { SignedHead } from './signing.ts';
import type { Located, VerifySource } from './verify.ts';

/** Inclusion proofs an auditor asks for while locating a bad leaf, at most. */
const MAX_LOCATE_PROOFS = 5000;
const REQUEST_TIMEOUT_MS = 30_000;

class RemoteApi {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /** GETs a path and checks the answer against its schema; undefined on 404. */
  async get<T extends TSchema>(path: string, schema: T): Promise<Static<T> | undefined> {
    const url = `${this.base}${path}`;
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    const body: unknown = await response.json();
    if (!Value.Check(schema, body)) throw new Error(`GET ${url} answered in an unexpected shape`);
    return body;
  }

  async require<T extends TSchema>(path: string, schema: T): Promise<Static<T>> {
    const body = await this.get(path, schema);
    if (body === undefined) throw new Error(`GET ${this.base}${path} answered 404`);
    return body;
  }

  async leaves(start: number, end: number) {
    return (await this.require(`/api/v1/audit/leaves?start=${start}&end=${end}`, LeafPageJson)).entries;
  }

  async inclusionProof(index: number, treeSize: number): Promise<Buffer[]> {
    const path = `/api/v1/audit/proof/inclusion?leaf_index=${index}&tree_size=${treeSize}`;
    const body = await this.require(path, InclusionProofJson);
    return body.audit_path.map((h) => Buffer.from(h, 'base64'));
  }
}

/**
 * The log as an outside auditor sees it: only the public endpoints, up to the latest signed head.
 * Stored nodes are out of reach, so a bad leaf is located with the log's own inclusion proofs.
 */
export function remoteSource(baseUrl: string): VerifySource {
  const api = new RemoteApi(baseUrl);
  return {
    async keys() {
      return (await api.require('/api/v1/audit/keys', KeyListJson)).keys.map(keyFromJson);
    },
    async size() {
      return (await api.get('/api/v1/audit/sth', SignedTreeHeadJson))?.tree_size ?? 0;
    },
    async heads(start, limit) {
      const body = await api.require(`/api/v1/audit/heads?start=${start}&limit=${limit}`, HeadListJson);
      return body.heads.map(headFromJson);
    },
    async leaves(start, end) {
      const coveredTo = Math.min(end, start + MAX_PAGE);
      const entries = await api.leaves(start, coveredTo);
      return {
        entries: entries.map((e) => ({ index: e.leaf_index, content: Buffer.from(e.leaf_input, 'base64') })),
        coveredTo,
      };
    },
    compareNodes: async () => [],
    async consistencyProof(first, second) {
      const path = `/api/v1/audit/proof/consistency?first=${first}&second=${second}`;
      return (await api.require(path, ConsistencyProofJson)).consistency.map((h) => Buffer.from(h, 'base64'));
    },
    locate: (head, from) => scanInclusion(api, head, from),
    leafBeyond: async () => undefined,
  };
}

/** The first leaf from `from` on whose inclusion proof does not lead to the head's root. */
async function scanInclusion(api: RemoteApi, head: SignedHead, from: number): Promise<Located> {
  let asked = 0;
  for (let start = from; start < head.treeSize; start += MAX_PAGE) {
    const end = Math.min(head.treeSize, start + MAX_PAGE);
    const entries = new Map((await api.leaves(start, end)).map((e) => [e.leaf_index, e.leaf_input]));
    for (let index = start; index < end; index++) {
      const content = entries.get(index);
      if (content === undefined) return { start: index, end: index + 1 };
      if (++asked > MAX_LOCATE_PROOFS) return { start: from, end: head.treeSize };
      const proof = await api.inclusionProof(index, head.treeSize);
      const leafHash = hashLeaf(Buffer.from(content, 'base64'));
      if (!verifyInclusion(leafHash, index, head.treeSize, proof, head.rootHash))
        return { start: index, end: index + 1 };
    }
  }
  return { start: from, end: head.treeSize };
}
