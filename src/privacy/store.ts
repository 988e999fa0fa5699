/** The privacy module's SQL. Every listing has a limit. */
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export const MAX_ACCESS_ROWS = 500;
export const MAX_APPLICATIONS = 500;
export const MAX_REQUESTS = 200;
/** Far more salted events than one record ever gets; a bound, not a page. */
const SALTS_PER_SUBJECT = 100_000;

export type ConsentRow = Database['consents'];
export type PrivacyRequestRow = Database['privacy_requests'];

/** The blind index of the account's NIK, when it registered one. */
export async function nikIndexOfUser(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('nik_bidx').where('id', '=', userId).executeTakeFirst();
  return row?.nik_bidx ?? null;
}

/** Ids of the applications a person is the applicant of, or a subject of (by NIK index). */
export async function applicationIdsAbout(
  db: Db,
  userId: string,
  nikBidx: string | null,
): Promise<{ own: string[]; subjectOf: string[] }> {
  const own = await db
    .selectFrom('applications')
    .select('id')
    .where('applicant_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(MAX_APPLICATIONS)
    .execute();
  const ownIds = own.map((r) => r.id);
  if (nikBidx === null) return { own: ownIds, subjectOf: [] };
  const about = await db
    .selectFrom('application_subjects')
    .select('application_id')
    .where('nik_bidx', '=', nikBidx)
    .orderBy('application_id', 'desc')
    .limit(MAX_APPLICATIONS)
    .execute();
  const ownSet = new Set(ownIds);
  return { own: ownIds, subjectOf: about.map((r) => r.application_id).filter((id) => !ownSet.has(id)) };
}

/** Access-log rows of the given applications with what a reader needs to describe them, newest first. */
export function accessRowsOf(db: Db, applicationIds: readonly string[]) {
  return db
    .selectFrom('access_log as l')
    .innerJoin('applications as a', 'a.id', 'l.application_id')
    .innerJoin('agencies as g', 'g.id', 'a.agency_id')
    .innerJoin('service_versions as v', 'v.id', 'a.service_version_id')
    .select([
      'l.id',
      'l.application_id',
      'l.viewer_id',
      'l.classes',
      'l.viewed_at',
      'a.tracking_number',
      'a.agency_id',
      'g.name_id as agency_name_id',
      'g.name_en as agency_name_en',
      'g.timezone',
      'v.name_id as service_name_id',
      'v.name_en as service_name_en',
    ])
    .where('l.application_id', 'in', applicationIds.length > 0 ? [...applicationIds] : [''])
    .orderBy('l.viewed_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(MAX_ACCESS_ROWS)
    .execute();
}

/** The grants a staff member held in an agency, with their validity, to name their role at a given time. */
export function grantsIn(db: Db, userId: string, agencyId: string) {
  return db
    .selectFrom('role_grants')
    .select(['role', 'created_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .where('agency_id', '=', agencyId)
    .orderBy('created_at')
    .limit(50)
    .execute();
}

export function applicationRows(db: Db, ids: readonly string[]) {
  return db
    .selectFrom('applications')
    .selectAll()
    .where('id', 'in', ids.length > 0 ? [...ids] : [''])
    .orderBy('created_at', 'desc')
    .limit(MAX_APPLICATIONS)
    .execute();
}

export function privacyStateOf(db: Db, ids: readonly string[]) {
  return db
    .selectFrom('application_privacy')
    .selectAll()
    .where('application_id', 'in', ids.length > 0 ? [...ids] : [''])
    .execute();
}

export function eventsOf(db: Db, applicationId: string) {
  return db
    .selectFrom('application_events')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
}

export function attachmentsOf(db: Db, applicationId: string) {
  return db
    .selectFrom('attachments')
    .select(['id', 'field_key', 'mime', 'size', 'created_at'])
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .limit(500)
    .execute();
}

export function notificationsOf(db: Db, userId: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'channel', 'template', 'subject_enc', 'body_enc', 'created_at', 'sent_at', 'read_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(1000)
    .execute();
}

export function subjectRowsOf(db: Db, applicationIds: readonly string[]) {
  return db
    .selectFrom('application_subjects')
    .selectAll()
    .where('application_id', 'in', applicationIds.length > 0 ? [...applicationIds] : [''])
    .limit(MAX_APPLICATIONS * 20)
    .execute();
}

// Consents ---------------------------------------------------------------------------------------

export async function insertConsent(db: Db, row: ConsentRow): Promise<void> {
  await db.insertInto('consents').values(row).execute();
}

export function consentsOf(db: Db, userId: string) {
  return db
    .selectFrom('consents')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('given_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1000)
    .execute();
}

export function consentsForApplications(db: Db, applicationIds: readonly string[]) {
  return db
    .selectFrom('consents')
    .select(['application_id'])
    .where('application_id', 'in', applicationIds.length > 0 ? [...applicationIds] : [''])
    .limit(MAX_APPLICATIONS * 2)
    .execute();
}

/** Marks the open consents of a user for a purpose withdrawn; returns how many were open. */
export async function withdrawConsents(db: Db, userId: string, purpose: string, at: string): Promise<number> {
  const result = await db
    .updateTable('consents')
    .set({ withdrawn_at: at })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// Requests ---------------------------------------------------------------------------------------

export async function insertRequest(db: Db, row: PrivacyRequestRow): Promise<void> {
  await db.insertInto('privacy_requests').values(row).execute();
}

export function requestsOfUser(db: Db, userId: string) {
  return db
    .selectFrom('privacy_requests as r')
    .innerJoin('applications as a', 'a.id', 'r.application_id')
    .innerJoin('service_versions as v', 'v.id', 'a.service_version_id')
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.outcome',
      'r.created_at',
      'r.handled_at',
      'r.note_enc',
      'a.tracking_number',
      'v.name_id as service_name_id',
      'v.name_en as service_name_en',
    ])
    .where('r.user_id', '=', userId)
    .orderBy('r.created_at', 'desc')
    .limit(MAX_REQUESTS)
    .execute();
}

export function requestsOfAgencies(db: Db, agencyIds: readonly string[]) {
  return db
    .selectFrom('privacy_requests as r')
    .innerJoin('applications as a', 'a.id', 'r.application_id')
    .innerJoin('service_versions as v', 'v.id', 'a.service_version_id')
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.outcome',
      'r.user_id',
      'r.agency_id',
      'r.details_enc',
      'r.note_enc',
      'r.created_at',
      'r.handled_by',
      'r.handled_at',
      'a.tracking_number',
      'v.name_id as service_name_id',
      'v.name_en as service_name_en',
    ])
    .where('r.agency_id', 'in', agencyIds.length > 0 ? [...agencyIds] : [''])
    .where('r.kind', '=', 'correction')
    .orderBy('r.status', 'desc')
    .orderBy('r.created_at', 'desc')
    .limit(MAX_REQUESTS)
    .execute();
}

export function findRequest(db: Db, id: string) {
  return db.selectFrom('privacy_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

// Restriction and erasure ------------------------------------------------------------------------

export async function upsertPrivacyState(db: Db, row: Database['application_privacy']): Promise<void> {
  await db
    .insertInto('application_privacy')
    .values(row)
    .onConflict((oc) =>
      oc.column('application_id').doUpdateSet({
        restricted_at: row.restricted_at,
        restricted_until: row.restricted_until,
        erased_at: row.erased_at,
      }),
    )
    .execute();
}

/** Ids of the salted audit leaves about one record (found through the leaves' subject index). */
export async function saltedLeavesAbout(db: Db, subjectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_leaves as l')
    .innerJoin('audit_salts as s', 's.leaf_id', 'l.id')
    .select('l.id')
    .where('l.subject_id', '=', subjectId)
    .orderBy('l.id')
    .limit(SALTS_PER_SUBJECT)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * A closed account's messages: in-app ones are deleted; e-mails and SMS already sent keep their row
 * (that they were sent, and when) but lose recipient, subject and body (replaced by encrypted
 * empty texts).
 */
export async function forgetNotificationsOf(
  db: Db,
  userId: string,
  empty: { subject: string; body: string },
): Promise<void> {
  await db
    .deleteFrom('notifications')
    .where('user_id', '=', userId)
    .where('channel', '=', 'in_app')
    .execute();
  await db
    .updateTable('notifications')
    .set({ recipient_enc: null, subject_enc: empty.subject, body_enc: empty.body })
    .where('user_id', '=', userId)
    .where('status', '=', 'sent')
    .execute();
}
