import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

/**
 * API tokens of agency systems. Only an HMAC of the secret is stored, so a database leak yields no
 * usable token; each token acts through a service account of its own (`user_id`), so what it does
 * is attributed to it in the audit log and in foreign keys such as `applications.assigned_to`.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_by', 'text', (c) => c.references('users.id'))
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('api_tokens_agency')
    .on('api_tokens')
    .columns(['agency_id', 'created_at'])
    .execute();
  // Staff lists look grants up by agency; sign-in already has the index by user.
  await db.schema
    .createIndex('role_grants_agency')
    .on('role_grants')
    .columns(['agency_id', 'user_id'])
    .execute();
  await db.schema.createIndex('applications_assigned').on('applications').column('assigned_to').execute();
}

export const m012Staff: Migration = { id: '012-staff', up };
