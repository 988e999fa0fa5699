import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

/**
 * The citizen's privacy rights (UU 27/2022): who an application is about (subjects found by the
 * blind index of their NIK, so nobody's NIK is decrypted to find them), consent records, requests
 * for correction and deletion, and the restriction or erasure of an application's personal data.
 * Restriction and erasure live beside the application in a table of their own, so the applications
 * table keeps one owner.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('application_subjects')
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('nik_bidx', 'text', (c) => c.notNull())
    // The first NIK field the person appears in (e.g. `ibu_nik`, `saksi.saksi_nik`).
    .addColumn('field_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('application_subjects_pk', ['application_id', 'nik_bidx'])
    .execute();
  await db.schema
    .createIndex('application_subjects_nik')
    .on('application_subjects')
    .columns(['nik_bidx', 'application_id'])
    .execute();

  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null for a walk-in citizen who consented at a counter (the application names them).
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('application_id', 'text', (c) => c.references('applications.id'))
    .addColumn('given_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .execute();
  await db.schema
    .createIndex('consents_user')
    .on('consents')
    .columns(['user_id', 'purpose', 'given_at'])
    .execute();

  await db.schema
    .createTable('privacy_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('details_enc', 'text')
    .addColumn('outcome', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('handled_by', 'text', (c) => c.references('users.id'))
    .addColumn('handled_at', 'text')
    .addColumn('note_enc', 'text')
    .execute();
  await db.schema
    .createIndex('privacy_requests_agency')
    .on('privacy_requests')
    .columns(['agency_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('privacy_requests_user')
    .on('privacy_requests')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('application_privacy')
    .addColumn('application_id', 'text', (c) => c.primaryKey().references('applications.id'))
    .addColumn('restricted_at', 'text')
    // The end of the retention period; null while the application is still open (its period
    // starts when it closes).
    .addColumn('restricted_until', 'text')
    .addColumn('erased_at', 'text')
    .execute();
}

export const m011Privacy: Migration = { id: '011-privacy', up };
