import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the schema is being changed here
async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_enrolled_at', 'text').execute();
  // Accounts made before enrolment existed had their secret handed over at creation.
  await sql`update users set totp_enrolled_at = created_at where totp_secret_enc is not null`.execute(db);
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
}

export const m006TotpEnrolment: Migration = { id: '006-totp-enrolment', up };
