import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import type { Migration } from './index.ts';

/**
 * Complaints (pengaduan, SP4N-LAPOR!). A complaint is one row (its current state, a projection)
 * and its events (the history); who filed it is never in clear: an account is kept as a blind
 * index (to list one's own) and encrypted (to notify), a guest's name and contact encrypted, and
 * nothing at all for an anonymous report. Texts, reasons, answers and attachments are encrypted
 * under the platform key: a complaint is the platform's until it is disposed to an agency.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  const binary = engine === 'sqlite' ? 'blob' : 'bytea';
  await db.schema
    .createTable('complaints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('owner_bidx', 'text')
    .addColumn('owner_enc', 'text')
    .addColumn('reporter_enc', 'text')
    .addColumn('dedupe_bidx', 'text', (c) => c.notNull())
    .addColumn('report_type', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.references('services.id'))
    // No foreign key: a complaint names only a filed application, and must never stand in the way
    // of removing an application's records.
    .addColumn('application_id', 'text')
    .addColumn('target_agency_id', 'text', (c) => c.references('agencies.id'))
    .addColumn('agency_id', 'text', (c) => c.references('agencies.id'))
    .addColumn('region_code', 'text')
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('public_text_enc', 'text')
    .addColumn('may_publish', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('row_version', 'integer', (c) => c.notNull())
    .addColumn('appeals', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('follow_ups', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('state_entered_at', 'text', (c) => c.notNull())
    .addColumn('state_due_at', 'text')
    .addColumn('auto_close_at', 'text')
    .addColumn('disposed_at', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('complaints_state_due')
    .on('complaints')
    .columns(['state', 'state_due_at'])
    .execute();
  await db.schema.createIndex('complaints_agency').on('complaints').columns(['agency_id', 'state']).execute();
  await db.schema
    .createIndex('complaints_owner')
    .on('complaints')
    .columns(['owner_bidx', 'created_at'])
    .execute();
  await db.schema
    .createIndex('complaints_dedupe')
    .on('complaints')
    .columns(['dedupe_bidx', 'created_at'])
    .execute();
  await db.schema.createIndex('complaints_published').on('complaints').column('published_at').execute();
  await db.schema.createIndex('complaints_created').on('complaints').column('created_at').execute();
  await db.schema
    .createTable('complaint_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('complaint_id', 'text', (c) => c.notNull().references('complaints.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text')
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('agency_id', 'text', (c) => c.references('agencies.id'))
    .addColumn('comment_enc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('complaint_events_complaint')
    .on('complaint_events')
    .columns(['complaint_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('complaint_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('complaint_id', 'text', (c) => c.notNull().references('complaints.id'))
    .addColumn('content_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256_enc', 'text', (c) => c.notNull())
    .addColumn('data_enc', binary, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('complaint_attachments_complaint')
    .on('complaint_attachments')
    .column('complaint_id')
    .execute();
  // One marker per complaint, deadline and level: escalation runs on every node, notifies once.
  await db.schema
    .createTable('complaint_escalations')
    .addColumn('complaint_id', 'text', (c) => c.notNull().references('complaints.id'))
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('complaint_escalations_pk', ['complaint_id', 'deadline', 'level'])
    .execute();
  // The working days an agency has for its follow-up; the workflow's default applies without a row.
  await db.schema
    .createTable('complaint_agency_settings')
    .addColumn('agency_id', 'text', (c) => c.primaryKey().references('agencies.id'))
    .addColumn('follow_up_days', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export const m014Complaints: Migration = { id: '014-complaints', up };
