import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import type { Migration } from './index.ts';

/**
 * Uploaded attachments, kept in the database (every node of a cluster sees them; backups hold
 * them) and never under the web root. Each is named by an HMAC of its content under the agency's
 * key — identical uploads are not linkable across agencies — and stored encrypted, with its plain
 * SHA-256 encrypted beside it for integrity checks.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  const binary = engine === 'sqlite' ? 'blob' : 'bytea';
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
    .addColumn('application_id', 'text', (c) => c.references('applications.id'))
    .addColumn('uploader_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('field_key', 'text', (c) => c.notNull())
    .addColumn('content_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256_enc', 'text', (c) => c.notNull())
    .addColumn('data_enc', binary, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('attachments_application')
    .on('attachments')
    .columns(['application_id', 'field_key'])
    .execute();
}

export const m010Attachments: Migration = { id: '010-attachments', up };
