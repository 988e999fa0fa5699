import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('holidays')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name_id', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('agency_id', 'text', (c) => c.references('agencies.id'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('holidays_date').on('holidays').columns(['date', 'agency_id']).execute();
}

export const m005Holidays: Migration = { id: '005-holidays', up };
