import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

const BACKFILL_PAGE = 1000;

/**
 * - `audit_leaves.subject_id`: the record a leaf is about (already public in its content), indexed
 *   so an application's events and an erasure's salts are found without reading the whole log.
 * - The data protection officer of each agency (UU 27/2022 art. 53), shown to citizens on their
 *   privacy page and in the record of processing: a role's work contact, not personal data.
 * - `users.closed_at`: when a citizen closed their account; the row stays as an anonymous
 *   tombstone because applications kept under retention still point to it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being changed here
async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_leaves').addColumn('subject_id', 'text').execute();
  let after = '';
  for (;;) {
    const rows: { id: string; content: Uint8Array }[] = await db
      .selectFrom('audit_leaves')
      .select(['id', 'content'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BACKFILL_PAGE)
      .execute();
    for (const row of rows) {
      const content: unknown = JSON.parse(Buffer.from(row.content).toString('utf8'));
      const subject =
        typeof content === 'object' && content !== null && 'subject' in content ? content.subject : null;
      if (typeof subject === 'string')
        await db.updateTable('audit_leaves').set({ subject_id: subject }).where('id', '=', row.id).execute();
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < BACKFILL_PAGE) break;
    after = last.id;
  }
  await db.schema
    .createIndex('audit_leaves_subject')
    .on('audit_leaves')
    .columns(['subject_id', 'id'])
    .execute();

  for (const column of ['dpo_name', 'dpo_email', 'dpo_phone'])
    await db.schema.alterTable('agencies').addColumn(column, 'text').execute();

  await db.schema.alterTable('users').addColumn('closed_at', 'text').execute();
}

export const m013SubjectsAndDpo: Migration = { id: '013-subjects-and-dpo', up };
