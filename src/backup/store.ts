import { sql } from 'kysely';
import type { Db, Engine } from '../db/database.ts';
import type { ManifestHead, SealedKey } from './schemas.ts';

/** More keys than any database holds; every list query has a limit. */
const MANY_KEYS = 100_000;

/**
 * The tables of the database, by name: on PostgreSQL those of the current schema (where the
 * migrations create them), on SQLite every table but SQLite's own.
 */
export async function tableNames(db: Db, engine: Engine): Promise<string[]> {
  const query =
    engine === 'postgres'
      ? sql<{
          name: string;
        }>`select tablename as name from pg_tables where schemaname = current_schema() order by 1`
      : sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by 1`;
  return (await query.execute(db)).rows.map((r) => r.name);
}

/** Rows per table. Table names come from the catalogue above, quoted as identifiers. */
export async function rowCounts(db: Db, engine: Engine): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(db, engine)) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(
      db,
    );
    counts[name] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** Ids of the applied migrations in the order they were applied (ids sort in that order). */
export async function migrationIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('gapura_migrations').select('id').orderBy('id').limit(10_000).execute();
  return rows.map((r) => r.id);
}

export async function latestAuditHead(db: Db): Promise<ManifestHead | null> {
  const row = await db
    .selectFrom('audit_heads')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    treeSize: Number(row.tree_size),
    timestamp: row.timestamp,
    rootHash: Buffer.from(row.root_hash).toString('base64'),
    signature: Buffer.from(row.signature).toString('base64'),
    keyId: row.key_id,
  };
}

/** Every key the key provider sealed: data keys and stored secrets, and signing keys. */
export async function sealedKeys(db: Db): Promise<SealedKey[]> {
  const dataKeys = await db
    .selectFrom('data_keys')
    .select(['id', 'wrapped'])
    .orderBy('id')
    .limit(MANY_KEYS)
    .execute();
  const signingKeys = await db
    .selectFrom('signing_keys')
    .select(['id', 'private_key_enc'])
    .orderBy('id')
    .limit(MANY_KEYS)
    .execute();
  return [
    ...dataKeys.map((k) => ({
      table: 'data_keys' as const,
      id: k.id,
      sealed: Buffer.from(k.wrapped).toString('base64'),
    })),
    ...signingKeys.map((k) => ({
      table: 'signing_keys' as const,
      id: k.id,
      sealed: Buffer.from(k.private_key_enc).toString('base64'),
    })),
  ];
}

/** Drops every table of the current schema in one transaction (restore --force on PostgreSQL). */
export async function dropAllTables(db: Db, engine: Engine): Promise<void> {
  const names = await tableNames(db, engine);
  if (names.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await sql`drop table if exists ${sql.join(names.map((n) => sql.table(n)))} cascade`.execute(trx);
  });
}
