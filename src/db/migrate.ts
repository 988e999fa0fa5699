import { sql } from 'kysely';
import type { Db, Engine } from './database.ts';
import { nowIso } from './ids.ts';
import { migrations as allMigrations, type Migration } from './migrations/index.ts';

export class MigrationFailed extends Error {
  constructor(
    readonly migrationId: string,
    override readonly cause: unknown,
  ) {
    super(
      `migration ${migrationId} failed and was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'MigrationFailed';
  }
}

async function ensureTable(db: Db): Promise<void> {
  await db.schema
    .createTable('gapura_migrations')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
}

/** Ids of the migrations recorded as applied. */
export async function appliedMigrations(db: Db): Promise<Set<string>> {
  await ensureTable(db);
  const rows = await db.selectFrom('gapura_migrations').select('id').execute();
  return new Set(rows.map((r) => r.id));
}

/** Names of migrations not yet applied; empty when the schema is current. */
export async function pendingMigrations(
  db: Db,
  list: readonly Migration[] = allMigrations,
): Promise<string[]> {
  const applied = await appliedMigrations(db);
  return list.filter((m) => !applied.has(m.id)).map((m) => m.id);
}

/**
 * Applies pending migrations in order, each in its own transaction together with its record, so a
 * failing migration leaves the database exactly as the previous one left it. On PostgreSQL an
 * advisory lock keeps two starting nodes from migrating at once.
 */
export async function migrate(
  db: Db,
  engine: Engine,
  list: readonly Migration[] = allMigrations,
): Promise<string[]> {
  await ensureTable(db);
  const run = async (conn: Db): Promise<string[]> => {
    const applied = await appliedMigrations(conn);
    const done: string[] = [];
    for (const migration of list) {
      if (applied.has(migration.id)) continue;
      try {
        await conn.transaction().execute(async (trx) => {
          await migration.up(trx, engine);
          await trx
            .insertInto('gapura_migrations')
            .values({ id: migration.id, applied_at: nowIso() })
            .execute();
        });
      } catch (err) {
        throw new MigrationFailed(migration.id, err);
      }
      done.push(migration.id);
    }
    return done;
  };
  if (engine === 'sqlite') return run(db);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(7201)`.execute(conn);
    try {
      return await run(conn);
    } finally {
      await sql`select pg_advisory_unlock(7201)`.execute(conn);
    }
  });
}
