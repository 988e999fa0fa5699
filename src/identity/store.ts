import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { type Grant, isStaffRole } from './roles.ts';

export type UserRow = Database['users'];

export function findUserByEmailIndex(db: Db, emailBidx: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email_bidx', '=', emailBidx).executeTakeFirst();
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
