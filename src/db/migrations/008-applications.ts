import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

/**
 * Applications and their history. Answers are one encrypted JSON document under the agency's key;
 * the columns beside it are what inboxes filter and sort on. `row_version` increases with every
 * change, so two officers acting at once cannot both win (optimistic concurrency).
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('service_version_id', 'text', (c) => c.notNull().references('service_versions.id'))
    .addColumn('applicant_id', 'text', (c) => c.references('users.id'))
    .addColumn('assisted_by', 'text', (c) => c.references('users.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('state', 'text')
    .addColumn('outcome', 'text')
    .addColumn('answers_enc', 'text', (c) => c.notNull())
    .addColumn('tracking_number', 'text', (c) => c.unique())
    .addColumn('tracking_secret_enc', 'text')
    .addColumn('submit_key', 'text')
    .addColumn('consent_version', 'text')
    .addColumn('row_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('due_at', 'text')
    .addColumn('assigned_to', 'text', (c) => c.references('users.id'))
    .addColumn('state_entered_at', 'text')
    .addColumn('state_due_at', 'text')
    .addColumn('closed_at', 'text')
    // Set when an officer saw the applicant's KTP-el (services requiring counter_verified).
    .addColumn('identity_verified_by', 'text', (c) => c.references('users.id'))
    .addColumn('identity_verified_at', 'text')
    // 1 while the application waits in a state whose SLA clock does not run (revision).
    .addColumn('sla_paused', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('applications_submit_key')
    .on('applications')
    .column('submit_key')
    .unique()
    .execute();
  await db.schema
    .createIndex('applications_applicant')
    .on('applications')
    .columns(['applicant_id', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('applications_inbox')
    .on('applications')
    .columns(['agency_id', 'stage', 'due_at'])
    .execute();
  await db.schema
    .createTable('application_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text')
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('comment_enc', 'text')
    // JSON array of the field keys an officer asked the applicant to fix (return for revision).
    .addColumn('flagged_fields', 'text')
    // The document an action required (an upload id until uploads are wired to actions).
    .addColumn('attachment_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('application_events_application')
    .on('application_events')
    .columns(['application_id', 'created_at'])
    .execute();
  // Who looked at an application's personal data, and which classes of it (shown to its subjects).
  await db.schema
    .createTable('access_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('viewer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('classes', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('viewed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_log_application')
    .on('access_log')
    .columns(['application_id', 'viewed_at'])
    .execute();
  // One row per escalation sent, so the periodic check notifies supervisors once per deadline and level.
  await db.schema
    .createTable('application_escalations')
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('deadline_kind', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('application_escalations_pk', [
      'application_id',
      'deadline_kind',
      'deadline',
      'level',
    ])
    .execute();
}

export const m008Applications: Migration = { id: '008-applications', up };
