import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import type { Migration } from './index.ts';

/**
 * Issued documents: the signed canonical content and the signed PDF (both encrypted under the
 * agency's data key, because printed fields are personal data), their hashes, and the revocation.
 * Document numbers come from a per-agency, per-year counter row, so concurrent approvals in one
 * agency queue on that row instead of failing on the unique number.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  const binary = engine === 'sqlite' ? 'blob' : 'bytea';
  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
    .addColumn('application_id', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull().references('signing_keys.id'))
    .addColumn('signature', binary, (c) => c.notNull())
    .addColumn('pdf_enc', 'text', (c) => c.notNull())
    .addColumn('pdf_sha256', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('revoked_reason', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('issued_by', 'text')
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('documents_application').on('documents').columns(['application_id']).execute();
  await db.schema
    .createIndex('documents_agency_issued')
    .on('documents')
    .columns(['agency_id', 'issued_at'])
    .execute();
  await db.schema
    .createTable('document_counters')
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_counters_pk', ['agency_id', 'year'])
    .execute();
}

export const m009Documents: Migration = { id: '009-documents', up };
