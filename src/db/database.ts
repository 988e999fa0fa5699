import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  /** The SQLite file, when the engine is SQLite (for backups and tests). */
  sqliteFile: string | undefined;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Maximum PostgreSQL connections of this process. */
  poolSize?: number;
}

/** PostgreSQL BIGINT (oid 20) as a JS number: counts and sequence numbers stay far below 2^53. */
const bigintAsNumber = {
  to: 20,
  from: [20],
  serialize: (value: number) => String(value),
  parse: (value: string) => Number(value),
};

/**
 * Opens the database the configuration selects: PostgreSQL through postgres.js (which follows a
 * multi-host URL with target_session_attrs=read-write to the current primary), or the embedded
 * SQLite file `gapura.db` in the data directory.
 */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl !== undefined) {
    const client = postgres(options.databaseUrl, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      types: { bigint: bigintAsNumber },
      connect_timeout: 10,
    });
    const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: client }) });
    return {
      db,
      engine: 'postgres',
      sqliteFile: undefined,
      close: () => db.destroy(),
    };
  }
  const file = path.join(options.dataDir, 'gapura.db');
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, engine: 'sqlite', sqliteFile: file, close: () => db.destroy() };
}

/** True when the database answers a trivial query. */
export async function isReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** Statements kept per connection; the application issues a few hundred distinct queries. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs about as much as running a small one. A
 * better-sqlite3 statement can be reused as long as it is not being iterated (Kysely only streams
 * with `iterate`, which gets a statement of its own), so prepared statements are kept by their SQL.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDatabase.Database {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SqliteDatabase.Statement>();
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value: unknown = Reflect.get(target, property, receiver);
        // Native methods must run on the database object itself, not on the proxy.
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string) => {
        const cached = cache.get(source);
        if (cached && !cached.busy) return cached;
        const statement = prepare(source);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
        cache.set(source, statement);
        return statement;
      };
    },
  });
}
