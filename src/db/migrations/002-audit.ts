import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.ts';
import type { Migration } from './index.ts';

/**
 * The verifiable audit log: stored Merkle nodes, signed tree heads, signing keys, and a partial
 * index so the sequencer finds pending leaves without scanning sequenced ones.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema is being created here
async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  const binary = engine === 'sqlite' ? 'blob' : 'bytea';
  await db.schema
    .createIndex('audit_leaves_pending')
    .on('audit_leaves')
    .columns(['created_at', 'id'])
    .where(sql.ref('seq'), 'is', null)
    .execute();
  await db.schema
    .createTable('audit_nodes')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('hash', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_nodes_pk', ['level', 'idx'])
    .execute();
  await db.schema
    .createTable('signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('public_key', binary, (c) => c.notNull())
    .addColumn('private_key_enc', binary, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('not_after', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await db.schema
    .createIndex('signing_keys_purpose')
    .on('signing_keys')
    .columns(['purpose', 'created_at'])
    .execute();
  await db.schema
    .createTable('audit_heads')
    .addColumn('tree_size', 'bigint', (c) => c.primaryKey())
    .addColumn('root_hash', binary, (c) => c.notNull())
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('signature', binary, (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull().references('signing_keys.id'))
    .execute();
}

export const m002Audit: Migration = { id: '002-audit', up };
