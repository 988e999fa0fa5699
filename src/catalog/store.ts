import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export type ServiceRow = Database['services'];
export type VersionRow = Database['service_versions'];
export type VersionStatus = VersionRow['status'];

export function findServiceBySlug(db: Db, slug: string) {
  return db.selectFrom('services').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function insertService(db: Db, row: ServiceRow): Promise<void> {
  await db.insertInto('services').values(row).execute();
}

export function listVersionRows(db: Db, serviceId: string) {
  return db
    .selectFrom('service_versions')
    .selectAll()
    .where('service_id', '=', serviceId)
    .orderBy('version', 'desc')
    .execute();
}

export function findVersionRow(db: Db, serviceId: string, version: number) {
  return db
    .selectFrom('service_versions')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function findVersionByStatus(db: Db, serviceId: string, status: VersionStatus) {
  return db
    .selectFrom('service_versions')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('status', '=', status)
    .orderBy('version', 'desc')
    .executeTakeFirst();
}

export function findVersionById(db: Db, id: string) {
  return db.selectFrom('service_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function highestVersion(db: Db, serviceId: string): Promise<number> {
  const row = await db
    .selectFrom('service_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

export async function insertVersion(db: Db, row: VersionRow): Promise<void> {
  await db.insertInto('service_versions').values(row).execute();
}

export async function updateVersion(
  db: Db,
  id: string,
  changes: Partial<Omit<VersionRow, 'id' | 'service_id' | 'version'>>,
): Promise<void> {
  await db.updateTable('service_versions').set(changes).where('id', '=', id).execute();
}

/** Every published version with its service and agency, for the catalogue. */
export function listPublishedRows(db: Db) {
  return db
    .selectFrom('service_versions as v')
    .innerJoin('services as s', 's.id', 'v.service_id')
    .innerJoin('agencies as a', 'a.id', 's.agency_id')
    .select([
      'v.id',
      'v.version',
      'v.definition',
      'v.published_at',
      's.slug',
      's.agency_id',
      'a.slug as agency_slug',
      'a.name_id as agency_name_id',
      'a.name_en as agency_name_en',
    ])
    .where('v.status', '=', 'published')
    .orderBy('s.slug')
    .execute();
}

/**
 * Changes whenever a version is created, published or retired: the catalogue cache key, read on
 * every catalogue request. The versions per status are counted from the (status, service_id) index
 * alone; any column of the table itself (such as the newest `updated_at`) would make SQLite read
 * every stored document, 60 ms per request with 10,000 services. Counts are enough: versions are
 * never deleted and a retired one stays retired, so the total and the retired count never fall and
 * the published count falls only when a version is retired; equal counts mean that nothing was
 * published or retired in between. Editing a draft changes no count, nor the catalogue.
 */
export async function catalogueFingerprint(db: Db): Promise<string> {
  const rows = await db
    .selectFrom('service_versions')
    .select((eb) => ['status', eb.fn.countAll().as('n')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  return rows.map((row) => `${row.status}:${Number(row.n)}`).join('/');
}

/** The services of one agency (all of them when `agencyId` is null), with their versions. */
export function listServiceRows(db: Db, agencyId: string | null) {
  let query = db
    .selectFrom('services as s')
    .innerJoin('service_versions as v', 'v.service_id', 's.id')
    .select([
      's.id as service_id',
      's.slug',
      's.agency_id',
      'v.version',
      'v.status',
      'v.name_id',
      'v.name_en',
      'v.updated_at',
      'v.published_at',
    ])
    .orderBy('s.slug')
    .orderBy('v.version', 'desc');
  if (agencyId !== null) query = query.where('s.agency_id', '=', agencyId);
  return query.execute();
}
