import { type Kysely, sql } from 'kysely';
import type { Migration } from './index.ts';

/** The nine answer columns, u1–u9 in the order of the regulation's elements (*unsur*). */
const ANSWER_COLUMNS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9'] as const;

/**
 * The satisfaction survey (SKM, Permenpan RB 14/2017).
 *
 * `survey_responses` holds one response per application — the unique constraint is the rule, so
 * two simultaneous answers cannot both be stored. The answers are small integers in the open
 * (they are summed by SQL for the IKM, and only ever shown as figures); the free-text comment
 * may name people, so it is encrypted under the agency's key.
 *
 * `survey_populations` holds the population served per service and period that the agency admin
 * entered (period keys `2026`, `2026-Q1`, `2026-03`); without an entry the figures use the number
 * of applications closed in the period.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>): Promise<void> {
  let responses = db.schema
    .createTable('survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    // `online` (the applicant's account) or `counter` (a walk-in citizen at the counter's kiosk).
    .addColumn('channel', 'text', (c) => c.notNull());
  for (const column of ANSWER_COLUMNS) responses = responses.addColumn(column, 'integer', (c) => c.notNull());
  await responses
    .addColumn('comment_enc', 'text')
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('survey_responses_application', ['application_id'])
    .addCheckConstraint(
      'survey_responses_scale',
      sql.raw(ANSWER_COLUMNS.map((column) => `${column} between 1 and 4`).join(' and ')),
    )
    .addCheckConstraint('survey_responses_channel', sql`channel in ('online', 'counter')`)
    .execute();
  // Figures are per agency or per service and period.
  await db.schema
    .createIndex('survey_responses_agency')
    .on('survey_responses')
    .columns(['agency_id', 'answered_at'])
    .execute();
  await db.schema
    .createIndex('survey_responses_service')
    .on('survey_responses')
    .columns(['service_id', 'answered_at'])
    .execute();

  await db.schema
    .createTable('survey_populations')
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull())
    .addColumn('entered_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('survey_populations_pk', ['service_id', 'period'])
    .addCheckConstraint('survey_populations_positive', sql`population >= 0`)
    .execute();

  // The default population counts applications closed in a period, per service. Named for this
  // module so another module's index on the same columns cannot collide with it.
  await db.schema
    .createIndex('survey_applications_closed')
    .on('applications')
    .columns(['service_id', 'closed_at'])
    .execute();
}

export const m015Survey: Migration = { id: '015-survey', up };
