import { createHash } from 'node:crypto';
import { secureRandomBytes } from '../crypto/random.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { canonicalJson } from './canonical.ts';

/** What happened, in the words of the public log. Never personal data in clear. */
export interface AuditEvent {
  /** e.g. `staff.signed_in`, `application.submitted`, `service.published`. */
  type: string;
  actorId: string | null;
  agencyId: string | null;
  /** The record the event is about (application, service, user…). */
  subjectId: string | null;
  /** Non-personal facts worth committing to (state names, version numbers). */
  facts?: Record<string, string | number | boolean | null>;
  /**
   * Personal payload the event commits to. Only a salted SHA-256 goes into the public leaf; the
   * salt is kept beside it, and erasing the personal data erases the salt, so the public tree can
   * never confirm a guessed value.
   */
  personal?: unknown;
}

export interface AppendedLeaf {
  id: string;
  content: Buffer;
}

/**
 * Records an event as a leaf of the audit log, inside the caller's transaction so the change and
 * its leaf commit or fail together. Its position in the Merkle tree is assigned later by the
 * sequencer, in commit order.
 */
export async function appendAuditLeaf(trx: Db, event: AuditEvent, now = Date.now()): Promise<AppendedLeaf> {
  const id = newId(now);
  const time = nowIso(now);
  let personalHash: string | undefined;
  let salt: Buffer | undefined;
  if (event.personal !== undefined) {
    salt = secureRandomBytes(16);
    personalHash = createHash('sha256').update(salt).update(canonicalJson(event.personal)).digest('hex');
  }
  const content = Buffer.from(
    canonicalJson({
      v: 1,
      id,
      type: event.type,
      actor: event.actorId,
      agency: event.agencyId,
      subject: event.subjectId,
      time,
      facts: event.facts ?? {},
      personal_sha256: personalHash ?? null,
    }),
    'utf8',
  );
  await trx
    .insertInto('audit_leaves')
    .values({ id, content, created_at: time, sequenced_at: null, subject_id: event.subjectId })
    .execute();
  if (salt) await trx.insertInto('audit_salts').values({ leaf_id: id, salt }).execute();
  return { id, content };
}
