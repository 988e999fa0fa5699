import { type Static, Type } from '@sinclair/typebox';
import type { PublicKeyInfo, SignedHead } from './signing.ts';

/** Every binary value of the audit API (hashes, signatures, keys, leaf bytes) is standard base64. */
const base64 = (description: string) => Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', description });
const Hash = Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'SHA-256 hash, base64' });
const size = (description?: string) =>
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) });
const Size = size();
const Timestamp = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
  description: 'ISO-8601 UTC with milliseconds',
});

/** Largest page of leaves or heads one request returns. */
export const MAX_PAGE = 1000;

export const SignedTreeHeadJson = Type.Object(
  {
    tree_size: Size,
    timestamp: Timestamp,
    root_hash: Hash,
    signature: Type.String({ pattern: '^[A-Za-z0-9+/]{86}==$', description: 'Ed25519 signature, base64' }),
    key_id: Type.String({ maxLength: 100 }),
  },
  {
    description:
      'Signed tree head. The signature covers the UTF-8 bytes "gapura-sth-v1\\n{tree_size}\\n{timestamp}\\n{root_hash}\\n".',
  },
);
export type SignedTreeHeadJson = Static<typeof SignedTreeHeadJson>;

export const HeadListJson = Type.Object({ heads: Type.Array(SignedTreeHeadJson, { maxItems: MAX_PAGE }) });

export const InclusionProofJson = Type.Object({
  leaf_index: Size,
  tree_size: Size,
  audit_path: Type.Array(Hash, { maxItems: 64, description: 'RFC 9162 PATH, the leaf sibling first' }),
});

export const ConsistencyProofJson = Type.Object({
  first: Size,
  second: Size,
  consistency: Type.Array(Hash, { maxItems: 128, description: 'RFC 9162 PROOF(first, D[second])' }),
});

export const LeafPageJson = Type.Object({
  entries: Type.Array(
    Type.Object({
      leaf_index: Size,
      leaf_input: base64('The stored leaf bytes, base64; the leaf hash is SHA-256(0x00 || bytes)'),
    }),
    { maxItems: MAX_PAGE },
  ),
});

export const PublicKeyJson = Type.Object({
  key_id: Type.String({ maxLength: 100 }),
  purpose: Type.String({ maxLength: 100 }),
  algorithm: Type.Literal('Ed25519'),
  public_key: base64('SubjectPublicKeyInfo DER, base64'),
  created_at: Timestamp,
  not_after: Timestamp,
  retired_at: Type.Union([Timestamp, Type.Null()]),
});

export const KeyListJson = Type.Object({ keys: Type.Array(PublicKeyJson, { maxItems: 1000 }) });

export const SizeParams = Type.Object({ size: Size });
export const InclusionQuery = Type.Object({ leaf_index: Size, tree_size: Size });
export const ConsistencyQuery = Type.Object({ first: Size, second: Size });
export const LeavesQuery = Type.Object({
  start: Size,
  end: size(`first index after the page (exclusive); at most ${MAX_PAGE} leaves are returned`),
});
export const HeadsQuery = Type.Object({
  start: Type.Optional(size('smallest tree size to list')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
});

export function headToJson(head: SignedHead): SignedTreeHeadJson {
  return {
    tree_size: head.treeSize,
    timestamp: head.timestamp,
    root_hash: head.rootHash.toString('base64'),
    signature: head.signature.toString('base64'),
    key_id: head.keyId,
  };
}

export function headFromJson(json: SignedTreeHeadJson): SignedHead {
  return {
    treeSize: json.tree_size,
    timestamp: json.timestamp,
    rootHash: Buffer.from(json.root_hash, 'base64'),
    signature: Buffer.from(json.signature, 'base64'),
    keyId: json.key_id,
  };
}

export function keyToJson(key: PublicKeyInfo): Static<typeof PublicKeyJson> {
  return {
    key_id: key.keyId,
    purpose: key.purpose,
    algorithm: 'Ed25519',
    public_key: key.publicKey.toString('base64'),
    created_at: key.createdAt,
    not_after: key.notAfter,
    retired_at: key.retiredAt,
  };
}

export function keyFromJson(json: Static<typeof PublicKeyJson>): PublicKeyInfo {
  return {
    keyId: json.key_id,
    purpose: json.purpose,
    publicKey: Buffer.from(json.public_key, 'base64'),
    createdAt: json.created_at,
    notAfter: json.not_after,
    retiredAt: json.retired_at,
  };
}
