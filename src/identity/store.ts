import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { type Grant, isStaffRole } from './roles.ts';

export type UserRow = Database['users'];

export function findUserByEmailIndex(db: Db, emailBidx: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email_bidx', '=', emailBidx).executeTakeFirst();
}

export function findUserByPhoneIndex(db: Db, phoneBidx: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('phone_bidx', '=', phoneBidx).executeTakeFirst();
}

export function findUserByNikIndex(db: Db, nikBidx: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('nik_bidx', '=', nikBidx).executeTakeFirst();
}

export async function insertVerificationCode(db: Db, row: Database['verification_codes']): Promise<void> {
  await db.insertInto('verification_codes').values(row).execute();
}

/** The newest unused code of a purpose; older ones stop counting once a new one is sent. */
export function findLatestCode(db: Db, userId: string, purpose: 'verify' | 'recover') {
  return db
    .selectFrom('verification_codes')
    .selectAll()
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Marks a code used; false when it was used already (a concurrent or replayed attempt). */
export async function useCode(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('verification_codes')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setUserStatus(
  db: Db,
  id: string,
  status: 'active' | 'unverified' | 'suspended',
): Promise<void> {
  await db.updateTable('users').set({ status }).where('id', '=', id).execute();
}

export async function setPasswordHash(db: Db, id: string, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
}

export async function markTotpEnrolled(db: Db, userId: string, at: string): Promise<void> {
  await db.updateTable('users').set({ totp_enrolled_at: at }).where('id', '=', userId).execute();
}

export async function insertRecoveryCode(db: Db, row: Database['recovery_codes']): Promise<void> {
  await db.insertInto('recovery_codes').values(row).execute();
}

/** Uses a recovery code once; false when unknown or already used. */
export async function useRecoveryCode(db: Db, codeHash: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Db, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function activeGrants(db: Db, userId: string): Promise<Grant[]> {
  const rows = await db
    .selectFrom('role_grants')
    .select(['role', 'agency_id', 'unit_id'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .limit(100)
    .execute();
  return rows.flatMap((r) =>
    isStaffRole(r.role) ? [{ role: r.role, agencyId: r.agency_id, unitId: r.unit_id }] : [],
  );
}

export async function insertSession(db: Db, row: Database['sessions']): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export function findSession(db: Db, id: string) {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Records a used TOTP step; false when it was not later than the last one (a replay). */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Turns a citizen's account into an anonymous tombstone: contacts, NIK and their indexes go (so the
 * same address can register again), the name becomes `nameEnc` (an encrypted empty name), the
 * password can no longer match, and codes and sessions are deleted.
 */
export async function anonymiseUser(db: Db, id: string, nameEnc: string, at: string): Promise<void> {
  await db
    .updateTable('users')
    .set({
      email_bidx: null,
      email_enc: null,
      phone_bidx: null,
      phone_enc: null,
      nik_bidx: null,
      nik_enc: null,
      name_enc: nameEnc,
      password_hash: '!closed',
      totp_secret_enc: null,
      status: 'closed',
      closed_at: at,
    })
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('verification_codes').where('user_id', '=', id).execute();
  await db.deleteFrom('recovery_codes').where('user_id', '=', id).execute();
  await db.deleteFrom('sessions').where('user_id', '=', id).execute();
}
