import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { createSigningKey, type PublicKeyInfo, publishedKeys } from '../audit/signing.ts';
import * as auditStore from '../audit/store.ts';
import type { Keyring } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';

export type { PublicKeyInfo };

/**
 * Signs documents on behalf of an agency. The built-in implementation keeps an Ed25519 key per
 * agency in `signing_keys`; a certified provider (a PSrE such as BSrE, with PAdES signatures)
 * can replace it behind this interface without touching the callers.
 */
export interface DocumentSigner {
  /** Signs `bytes` with the agency's current key (created on first use). */
  sign(agencyId: string, bytes: Buffer): Promise<{ keyId: string; signature: Buffer }>;
  /** Every key the agency has signed with, old ones included, so old documents stay verifiable. */
  publicKeys(agencyId: string): Promise<PublicKeyInfo[]>;
}

/** The `signing_keys` purpose of an agency's document keys. */
export function documentKeyPurpose(agencyId: string): string {
  return `document:${agencyId}`;
}

/** The agency a document key belongs to, from its purpose; undefined for any other key. */
export function agencyOfPurpose(purpose: string): string | undefined {
  return purpose.startsWith('document:') ? purpose.slice('document:'.length) : undefined;
}

/** Must equal the associated data src/audit/signing.ts seals private keys with. */
function sealContext(keyId: string): string {
  return `signing-key:${keyId}`;
}

/**
 * The built-in Ed25519 signer over `db`, which may be the caller's transaction: a key created on
 * first use then commits or rolls back with the document it signed.
 */
export function ed25519Signer(db: Db, keyring: Keyring, clock: () => number = Date.now): DocumentSigner {
  return {
    async sign(agencyId, bytes) {
      const now = clock();
      const purpose = documentKeyPurpose(agencyId);
      const row =
        (await auditStore.activeSigningKey(db, purpose, nowIso(now))) ??
        (await createSigningKey(db, keyring, purpose, now));
      const der = await keyring.openWithMaster(row.private_key_enc, sealContext(row.id));
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      return { keyId: row.id, signature: sign(null, bytes, privateKey) };
    },
    publicKeys(agencyId) {
      return publishedKeys(db, documentKeyPurpose(agencyId));
    },
  };
}

/** Replaces the agency's document key; the old one stays published for the documents it signed. */
export async function rotateDocumentKey(
  ctx: { db: Db; keyring: Keyring },
  agencyId: string,
  now = Date.now(),
): Promise<PublicKeyInfo> {
  const row = await createSigningKey(ctx.db, ctx.keyring, documentKeyPurpose(agencyId), now);
  return {
    keyId: row.id,
    purpose: row.purpose,
    publicKey: row.public_key,
    createdAt: row.created_at,
    notAfter: row.not_after,
    retiredAt: row.retired_at,
  };
}

/** The key with this id among the published ones of any agency, for verifying an uploaded PDF. */
export async function findDocumentKey(db: Db, keyId: string): Promise<PublicKeyInfo | undefined> {
  const row = await db.selectFrom('signing_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
  if (!row || agencyOfPurpose(row.purpose) === undefined) return undefined;
  return {
    keyId: row.id,
    purpose: row.purpose,
    publicKey: row.public_key,
    createdAt: row.created_at,
    notAfter: row.not_after,
    retiredAt: row.retired_at,
  };
}

function publicKeyObject(info: PublicKeyInfo): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: info.publicKey, format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `at` falls within the key's validity: not before it was made, not after it expired or was retired. */
export function isWithinValidity(info: PublicKeyInfo, at: string): boolean {
  const end = info.retiredAt !== null && info.retiredAt < info.notAfter ? info.retiredAt : info.notAfter;
  return at >= info.createdAt && at <= end;
}

/**
 * Whether `signature` over `message` verifies under the key named `keyId` among `keys`, and that
 * key was valid when the document was issued (`at`).
 */
export function verifiesUnder(
  keys: readonly PublicKeyInfo[],
  keyId: string,
  message: Buffer,
  signature: Buffer,
  at: string,
): boolean {
  const info = keys.find((k) => k.keyId === keyId);
  if (!info || !isWithinValidity(info, at)) return false;
  const key = publicKeyObject(info);
  if (!key || signature.length !== 64) return false;
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
