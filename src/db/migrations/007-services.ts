import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

/**
 * The service catalogue: a service (agency + slug, stable) and its versions. A version is a whole
 * definition document; it moves draft → published (immutable) → retired. The columns beside the
 * document are copies of what listings filter and sort on.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('service_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('name_id', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('completion_days', 'integer')
    .addColumn('fee_rupiah', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'text')
    .addColumn('retired_by', 'text')
    .addColumn('retired_at', 'text')
    .addUniqueConstraint('service_versions_number', ['service_id', 'version'])
    .execute();
  await db.schema
    .createIndex('service_versions_status')
    .on('service_versions')
    .columns(['status', 'service_id'])
    .execute();
}

export const m007Services: Migration = { id: '007-services', up };
