import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

/**
 * Open data. The dashboards aggregate the applications table itself (the rows the inbox works
 * from) in SQL rather than keeping a rollup table: the figures can never drift from the records,
 * a holiday the platform admin adds later counts in every processing time at once, and nothing
 * has to change on the write paths of applications.
 *
 * Two covering indexes keep those aggregates off the table's wide rows (the encrypted answers): one
 * for what was filed when, one for what was closed when — with the columns the processing time and
 * the deadline check need, and the stage the survey's population count filters on — so an
 * agency's figures read only index pages, in time order.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('applications_open_data_submitted')
    .on('applications')
    .columns(['agency_id', 'submitted_at', 'service_id'])
    .execute();
  await db.schema
    .createIndex('applications_open_data_closed')
    .on('applications')
    .columns(['agency_id', 'closed_at', 'submitted_at', 'outcome', 'due_at', 'service_id', 'stage'])
    .execute();
}

export const m016OpenData: Migration = { id: '016-open-data', up };
