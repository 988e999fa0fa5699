import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export type HolidayRow = Database['holidays'];

/** Holidays added by the platform admin: national ones, and the regional ones of one agency. */
export function listHolidayRows(db: Db, agencyId: string | null) {
  return db
    .selectFrom('holidays')
    .selectAll()
    .where((eb) =>
      agencyId
        ? eb.or([eb('agency_id', 'is', null), eb('agency_id', '=', agencyId)])
        : eb('agency_id', 'is', null),
    )
    .orderBy('date')
    .limit(5000)
    .execute();
}

export async function insertHoliday(db: Db, row: HolidayRow): Promise<void> {
  await db.insertInto('holidays').values(row).execute();
}

export function findHoliday(db: Db, id: string) {
  return db.selectFrom('holidays').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteHoliday(db: Db, id: string): Promise<void> {
  await db.deleteFrom('holidays').where('id', '=', id).execute();
}

/** Changes whenever a holiday is added or removed: the key of the calendars kept in memory. */
export async function holidaysFingerprint(db: Db): Promise<string> {
  const row = await db
    .selectFrom('holidays')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('id').as('latest')])
    .executeTakeFirstOrThrow();
  return `${row.n}/${row.latest ?? ''}`;
}
