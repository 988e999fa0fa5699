import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { Keyring } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import * as store from './store.ts';

/** Purpose of the key that signs tree heads in `signing_keys`. */
export const STH_KEY_PURPOSE = 'audit-sth';
/** How long a new signing key may sign; after that a new key replaces it automatically. */
export const KEY_VALIDITY_MS = 365 * 24 * 3600 * 1000;

/** A signed tree head. */
export interface SignedHead {
  treeSize: number;
  timestamp: string;
  rootHash: Buffer;
  signature: Buffer;
  keyId: string;
}

/** A public key as published: verifiers need nothing else. */
export interface PublicKeyInfo {
  keyId: string;
  purpose: string;
  /** SubjectPublicKeyInfo DER of an Ed25519 key. */
  publicKey: Buffer;
  createdAt: string;
  notAfter: string;
  retiredAt: string | null;
}

/**
 * The exact bytes a tree head signature covers (UTF-8, every line ending in \n):
 *   gapura-sth-v1
 *   <tree size, decimal>
 *   <timestamp, ISO-8601 UTC with milliseconds, as published>
 *   <root hash, base64>
 */
export function headMessage(treeSize: number, timestamp: string, rootHash: Buffer): Buffer {
  return Buffer.from(`gapura-sth-v1\n${treeSize}\n${timestamp}\n${rootHash.toString('base64')}\n`, 'utf8');
}

function sealContext(keyId: string): string {
  return `signing-key:${keyId}`;
}

/** Creates a new Ed25519 key of a purpose, retiring the previous ones (they stay listed). */
export async function createSigningKey(
  db: Db,
  keyring: Keyring,
  purpose: string,
  now = Date.now(),
): Promise<store.SigningKeyRow> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const id = newId(now);
  const row: store.SigningKeyRow = {
    id,
    purpose,
    public_key: publicKey.export({ format: 'der', type: 'spki' }),
    private_key_enc: await keyring.sealWithMaster(
      privateKey.export({ format: 'der', type: 'pkcs8' }),
      sealContext(id),
    ),
    created_at: nowIso(now),
    not_after: nowIso(now + KEY_VALIDITY_MS),
    retired_at: null,
  };
  await store.retireSigningKeys(db, purpose, row.created_at);
  await store.insertSigningKey(db, row);
  return row;
}

/** The key that signs now, creating one on first use or when the last has expired. */
async function currentKey(db: Db, keyring: Keyring, purpose: string, now: number) {
  const row =
    (await store.activeSigningKey(db, purpose, nowIso(now))) ??
    (await createSigningKey(db, keyring, purpose, now));
  const der = await keyring.openWithMaster(row.private_key_enc, sealContext(row.id));
  return { id: row.id, privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
}

/** Signs a tree head with the current tree-head key. Call it under the sequencer lock. */
export async function signHead(
  db: Db,
  keyring: Keyring,
  treeSize: number,
  rootHash: Buffer,
  timestamp: string,
): Promise<SignedHead> {
  const key = await currentKey(db, keyring, STH_KEY_PURPOSE, Date.parse(timestamp));
  const signature = sign(null, headMessage(treeSize, timestamp, rootHash), key.privateKey);
  return { treeSize, timestamp, rootHash, signature, keyId: key.id };
}

/** Every key of a purpose, in publishable form. */
export async function publishedKeys(db: Db, purpose = STH_KEY_PURPOSE): Promise<PublicKeyInfo[]> {
  const rows = await store.signingKeys(db, purpose);
  return rows.map((r) => ({
    keyId: r.id,
    purpose: r.purpose,
    publicKey: r.public_key,
    createdAt: r.created_at,
    notAfter: r.not_after,
    retiredAt: r.retired_at,
  }));
}

/** Parsed keys by their published form: a verifier checks thousands of heads against a few keys. */
const parsedKeys = new WeakMap<PublicKeyInfo, KeyObject | null>();

function publicKeyObject(info: PublicKeyInfo): KeyObject | undefined {
  let key = parsedKeys.get(info);
  if (key === undefined) {
    key = parsePublicKey(info.publicKey);
    parsedKeys.set(info, key);
  }
  return key ?? undefined;
}

function parsePublicKey(der: Buffer): KeyObject | null {
  try {
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/**
 * Why a head's signature is not acceptable, or undefined when it is: the key must be published,
 * valid at the head's timestamp (not before it was made, not after it expired or was retired), and
 * the Ed25519 signature must cover {@link headMessage}.
 */
export function headSignatureProblem(head: SignedHead, keys: readonly PublicKeyInfo[]): string | undefined {
  const info = keys.find((k) => k.keyId === head.keyId);
  if (!info) return `signed by unknown key ${head.keyId}`;
  const key = publicKeyObject(info);
  if (!key) return `key ${head.keyId} is not an Ed25519 public key`;
  const end = info.retiredAt !== null && info.retiredAt < info.notAfter ? info.retiredAt : info.notAfter;
  if (head.timestamp < info.createdAt || head.timestamp > end)
    return `timestamp ${head.timestamp} is outside the validity of key ${head.keyId}`;
  const message = headMessage(head.treeSize, head.timestamp, head.rootHash);
  return verify(null, message, key, head.signature) ? undefined : 'signature does not verify';
}
