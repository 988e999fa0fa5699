import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export type DocumentRow = Database['documents'];

export interface AgencyForDocument {
  id: string;
  slug: string;
  code: string;
  name_id: string;
  name_en: string;
  timezone: string;
}

export function findAgencyById(db: Db, id: string): Promise<AgencyForDocument | undefined> {
  return db
    .selectFrom('agencies')
    .select(['id', 'slug', 'code', 'name_id', 'name_en', 'timezone'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findAgencyBySlug(db: Db, slug: string): Promise<AgencyForDocument | undefined> {
  return db
    .selectFrom('agencies')
    .select(['id', 'slug', 'code', 'name_id', 'name_en', 'timezone'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/**
 * The next number in the agency's yearly sequence. The update takes the counter row's lock
 * until the caller's transaction ends, so two approvals never draw the same number.
 */
export async function nextSequence(db: Db, agencyId: string, year: number): Promise<number> {
  await db
    .insertInto('document_counters')
    .values({ agency_id: agencyId, year, last_seq: 0 })
    .onConflict((oc) => oc.columns(['agency_id', 'year']).doNothing())
    .execute();
  const row = await db
    .updateTable('document_counters')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('agency_id', '=', agencyId)
    .where('year', '=', year)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}

export async function insertDocument(db: Db, row: DocumentRow): Promise<void> {
  await db.insertInto('documents').values(row).execute();
}

export function findDocument(db: Db, id: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The documents issued for one application, oldest first (an application has one or a few). */
export function documentsOfApplication(db: Db, applicationId: string): Promise<DocumentRow[]> {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('issued_at')
    .limit(100)
    .execute();
}

/** Marks a valid document revoked; false when it was not valid any more (revoked meanwhile). */
export async function markRevoked(
  db: Db,
  id: string,
  change: { reason: string; by: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('documents')
    .set({ status: 'revoked', revoked_reason: change.reason, revoked_by: change.by, revoked_at: change.at })
    .where('id', '=', id)
    .where('status', '=', 'valid')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
