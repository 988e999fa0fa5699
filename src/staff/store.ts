import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export type GrantRow = Database['role_grants'];
export type TokenRow = Database['api_tokens'];

/** Staff lists stop here; an agency with more staff than this needs search, not a longer page. */
export const MAX_STAFF = 500;
export const MAX_TOKENS = 200;

/** Every grant ever made in an agency (revoked ones too: removed staff stay listed for history). */
export function grantsInAgency(db: Db, agencyId: string): Promise<GrantRow[]> {
  return db
    .selectFrom('role_grants')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .orderBy('created_at')
    .limit(MAX_STAFF * 8)
    .execute();
}

export function grantsOfUser(db: Db, userId: string): Promise<GrantRow[]> {
  return db.selectFrom('role_grants').selectAll().where('user_id', '=', userId).limit(200).execute();
}

export function usersByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'kind', 'name_enc', 'email_enc', 'status', 'totp_enrolled_at', 'created_at'])
    .where('id', 'in', ids)
    .execute();
}

/** The latest completed sign-in still on record per user (sessions are deleted at sign-out). */
export async function lastSignIns(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sessions')
    .select((eb) => ['user_id', eb.fn.max('created_at').as('at')])
    .where('user_id', 'in', ids)
    .where('stage', '=', 'active')
    .groupBy('user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, String(r.at)]));
}

export async function insertGrant(db: Db, row: GrantRow): Promise<void> {
  await db.insertInto('role_grants').values(row).execute();
}

export async function revokeGrant(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('role_grants').set({ revoked_at: at }).where('id', '=', id).execute();
}

/** Active applications assigned to someone (in one agency, or anywhere), to hand back to the queue. */
export function assignedApplications(db: Db, userId: string, agencyId: string | null) {
  let query = db
    .selectFrom('applications')
    .select(['id', 'agency_id'])
    .where('assigned_to', '=', userId)
    .where('stage', '=', 'active');
  if (agencyId !== null) query = query.where('agency_id', '=', agencyId);
  return query.limit(10_000).execute();
}

/** Clears one assignment, unless it changed meanwhile; true when it was cleared. */
export async function unassign(db: Db, applicationId: string, userId: string): Promise<boolean> {
  const result = await db
    .updateTable('applications')
    .set({ assigned_to: null })
    .where('id', '=', applicationId)
    .where('assigned_to', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function isServiceAccount(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('api_tokens').select('id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function insertToken(db: Db, row: TokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export function findToken(db: Db, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export function tokensOfAgency(db: Db, agencyId: string): Promise<TokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .orderBy('created_at', 'desc')
    .limit(MAX_TOKENS)
    .execute();
}

export async function revokeToken(db: Db, id: string, by: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function touchToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function agencyCodeTaken(db: Db, code: string): Promise<boolean> {
  const row = await db.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirst();
  return row !== undefined;
}

export async function unitSlugTaken(db: Db, agencyId: string, slug: string): Promise<boolean> {
  const row = await db
    .selectFrom('units')
    .select('id')
    .where('agency_id', '=', agencyId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row !== undefined;
}

/** Regional holidays of every agency added for a year (national ones come from the calendar service). */
export function regionalHolidays(db: Db, year: number) {
  return db
    .selectFrom('holidays')
    .selectAll()
    .where('agency_id', 'is not', null)
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .orderBy('date')
    .limit(1000)
    .execute();
}
