import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the schema is being changed here
async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('phone_bidx', 'text').execute();
  await db.schema.alterTable('users').addColumn('phone_enc', 'text').execute();
  await db.schema.alterTable('users').addColumn('nik_bidx', 'text').execute();
  await db.schema.alterTable('users').addColumn('nik_enc', 'text').execute();
  await db.schema.createIndex('users_phone_bidx').unique().on('users').column('phone_bidx').execute();
  await db.schema.createIndex('users_nik_bidx').unique().on('users').column('nik_bidx').execute();
  await db.schema
    .createTable('verification_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('verification_codes_user')
    .on('verification_codes')
    .columns(['user_id', 'purpose'])
    .execute();
}

export const m004CitizenAccounts: Migration = { id: '004-citizen-accounts', up };
