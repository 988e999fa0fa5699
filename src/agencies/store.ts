import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export const MAX_AGENCIES = 1000;

export function listAgencyRows(db: Db) {
  return db.selectFrom('agencies').selectAll().orderBy('name_id').limit(MAX_AGENCIES).execute();
}

export function listUnitRows(db: Db, agencyIds: readonly string[]) {
  if (agencyIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('units').selectAll().where('agency_id', 'in', agencyIds).orderBy('name_id').execute();
}

export function findAgencyRowsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('agencies').select(['id', 'name_id', 'name_en']).where('id', 'in', ids).execute();
}

export function findAgencyRowBySlug(db: Db, slug: string) {
  return db.selectFrom('agencies').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function insertAgency(db: Db, row: Database['agencies']): Promise<void> {
  await db.insertInto('agencies').values(row).execute();
}

export async function insertUnit(db: Db, row: Database['units']): Promise<void> {
  await db.insertInto('units').values(row).execute();
}

export async function countAgencies(db: Db): Promise<number> {
  const row = await db
    .selectFrom('agencies')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateDpo(
  db: Db,
  id: string,
  dpo: Pick<Database['agencies'], 'dpo_name' | 'dpo_email' | 'dpo_phone'>,
): Promise<void> {
  await db.updateTable('agencies').set(dpo).where('id', '=', id).execute();
}
