import net from 'node:net';
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
  /** How long a query waits for a PostgreSQL connection before failing with 503 (default 5 s). */
  acquireTimeoutMs?: number;
}

/** PostgreSQL BIGINT (oid 20) as a JS number: counts and sequence numbers stay far below 2^53. */
const bigintAsNumber = {
  to: 20,
  from: [20],
  serialize: (value: number) => String(value),
  parse: (value: string) => Number(value),
};

/**
 * Seconds a pool connection waits before reconnecting after its last attempt failed. postgres.js by
 * default grows this wait with every failure, shared by the whole pool, up to 20 s: after a
 * database restart of a few seconds, queries then sat queued for that long before even trying, so
 * requests hung instead of failing fast with 503, and the node came back long after the database.
 * A short, capped wait with jitter keeps a flood of reconnects off the database without that.
 */
export function reconnectDelaySeconds(failures: number, random: () => number = Math.random): number {
  return Math.min(0.05 * 2 ** failures, 0.5) * (0.5 + random() / 2);
}

/** How long a query waits for a pool connection before it fails as unavailable. */
const ACQUIRE_TIMEOUT_MS = 5000;

/** How long readiness waits for the database before calling it unreachable. */
const REACHABLE_TIMEOUT_MS = 3000;

/**
 * Opens the database the configuration selects: PostgreSQL through postgres.js (which follows a
 * multi-host URL with target_session_attrs=read-write to the current primary), or the embedded
 * SQLite file `gapura.db` in the data directory.
 */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl !== undefined) {
    const settings = {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      types: { bigint: bigintAsNumber },
      connect_timeout: 10,
      backoff: reconnectDelaySeconds,
      // Our own sockets, to know when the one under a reserved connection closes (guardReserved).
      // The option is documented, though missing from postgres.js's types.
      socket: socketFactory(),
    };
    const client = postgres(options.databaseUrl, settings);
    const db = new Kysely<Database>({
      dialect: new PostgresJSDialect({
        postgres: guardReservations(client, options.acquireTimeoutMs ?? ACQUIRE_TIMEOUT_MS),
      }),
    });
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

const ROLLBACK = /^\s*rollback\s*;?\s*$/i;

/** Error codes after which a PostgreSQL connection is gone, or about to be closed by the server. */
const LOST_CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
]);

function isLostConnection(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = 'code' in err ? String(err.code) : '';
  const severity = 'severity' in err ? String(err.severity) : '';
  return LOST_CONNECTION_CODES.has(code) || severity === 'FATAL' || severity === 'PANIC';
}

/**
 * postgres.js (3.4) throws an uncaught TypeError from a timer, ending the process, when a query is
 * sent on a reserved connection whose socket has closed; and `release()` of such a connection puts
 * it back into the pool, where the next query meets the same end. Kysely reserves a connection for
 * every query and transaction and, after a failed statement, sends ROLLBACK on it: a database
 * restart under load took every node down. So each reservation is guarded: once a statement on it
 * failed because the connection was lost, or its socket closed while it waited between statements,
 * later statements (the ROLLBACK) fail at once with a connection error without reaching the
 * driver, and the connection is not released: the driver has moved it to its closed connections,
 * which it reconnects when needed. (Statements go through `unsafe` as whole results: Kysely's
 * streaming, unused here, would need the driver's cursor.)
 */
function guardReservations<T extends Record<string, unknown>>(
  client: postgres.Sql<T>,
  acquireTimeoutMs: number,
): postgres.Sql<T> {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'reserve') return Reflect.get(target, property, receiver);
      return async () => guardReserved(await reserveWithin(target, acquireTimeoutMs));
    },
  });
}

/**
 * postgres.js (3.4.9) can lose a reservation: when a connection attempt fails while reservations
 * wait, the driver retries it on behalf of the next one in the queue, and if that retry succeeds
 * the reservation is dropped; its promise never settles. After a database restart a request then
 * hung until its client gave up. So a reservation not granted in time fails as a connection timeout
 * (503 with Retry-After, like any other unreachable database), and one granted after its deadline
 * goes straight back to the pool. The same deadline sheds load when the pool stays exhausted.
 */
async function reserveWithin<T extends Record<string, unknown>>(
  client: postgres.Sql<T>,
  timeoutMs: number,
): Promise<postgres.ReservedSql<T>> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const reservation = client.reserve();
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late = true;
      reject(
        Object.assign(new Error(`no database connection within ${timeoutMs} ms`), {
          code: 'CONNECT_TIMEOUT',
        }),
      );
    }, timeoutMs);
  });
  reservation.then(
    (reserved) => {
      if (late) reserved.release();
    },
    () => {},
  );
  try {
    return await Promise.race([reservation, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function guardReserved<T extends Record<string, unknown>>(
  reserved: postgres.ReservedSql<T>,
): postgres.ReservedSql<T> {
  let lost: unknown;
  // The socket under this reservation, known after its first statement. It may close while the
  // reservation waits between statements (a transaction awaiting other work): nothing fails then,
  // yet the next statement would end the process, so the socket is asked before each one.
  let socket: TrackedSocket | undefined;
  let asked = false;
  const learnSocket = (query: unknown) => {
    if (asked) return;
    asked = true;
    socket = socketOfBackend(Reflect.get(Object(query), 'state'));
  };
  // A transaction on a lost connection has been rolled back by the server: ROLLBACK succeeds, so
  // Kysely reports the error that lost the connection (its own path for a failed ROLLBACK calls a
  // method the postgres.js dialect lacks, which turned the answer into a 500).
  const rolledBack = () => Object.assign([], { command: 'ROLLBACK', count: 0 });
  const unsafe = (...args: Parameters<typeof reserved.unsafe>) => {
    const isRollback = ROLLBACK.test(args[0]);
    if (lost === undefined && socket?.isClosed) lost = connectionLost();
    if (lost !== undefined) return isRollback ? Promise.resolve(rolledBack()) : Promise.reject(lost);
    const query = reserved.unsafe(...args);
    return query.then(
      (result) => {
        learnSocket(query);
        return result;
      },
      (err: unknown) => {
        learnSocket(query);
        if (!isLostConnection(err)) throw err;
        lost = err;
        if (isRollback) return rolledBack();
        throw err;
      },
    );
  };
  const release = () => {
    if (lost === undefined && !socket?.isClosed) reserved.release();
  };
  return new Proxy(reserved, {
    get(target, property, receiver) {
      if (property === 'unsafe') return unsafe;
      if (property === 'release') return release;
      return Reflect.get(target, property, receiver);
    },
  });
}

function connectionLost(): Error {
  return Object.assign(new Error('the database connection was lost'), { code: 'CONNECTION_CLOSED' });
}

/** Open PostgreSQL sockets by their backend's key (process id and secret), learnt at startup. */
const socketsByBackend = new Map<string, TrackedSocket>();

/** The socket a query ran on, from the backend key postgres.js keeps on the query (`state`). */
function socketOfBackend(state: unknown): TrackedSocket | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  return socketsByBackend.get(`${Reflect.get(state, 'pid')}:${Reflect.get(state, 'secret')}`);
}

/**
 * A socket to PostgreSQL that knows whether it has closed and which backend it serves: it reads the
 * BackendKeyData message of the startup answer (plain connections; under TLS it stays unknown and
 * only failed statements reveal a lost connection).
 */
class TrackedSocket extends net.Socket {
  isClosed = false;
  /** What postgres.js names the socket by in its error messages. */
  host = '';
  port = 0;
  private key: string | undefined;
  private startup: Buffer | undefined = Buffer.alloc(0);

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'data' && this.startup !== undefined && Buffer.isBuffer(args[0])) this.readStartup(args[0]);
    if (event === 'close') {
      this.isClosed = true;
      if (this.key !== undefined) socketsByBackend.delete(this.key);
    }
    return super.emit(event, ...args);
  }

  /** Scans the startup messages (type byte, length, body) for BackendKeyData ('K'). */
  private readStartup(chunk: Buffer): void {
    let buffer = Buffer.concat([this.startup ?? Buffer.alloc(0), chunk]);
    // A plain startup answer begins with Authentication ('R'); anything else (TLS) is not read.
    if (buffer[0] !== 0x52) {
      this.startup = undefined;
      return;
    }
    while (buffer.length >= 5) {
      const length = buffer.readUInt32BE(1);
      if (buffer.length < 1 + length) break;
      const type = buffer[0];
      if (type === 0x4b && length >= 12) {
        this.key = `${buffer.readUInt32BE(5)}:${buffer.readUInt32BE(9)}`;
        socketsByBackend.set(this.key, this);
      }
      if (type === 0x4b || type === 0x5a || type === 0x45) {
        this.startup = undefined;
        return;
      }
      buffer = buffer.subarray(1 + length);
    }
    this.startup = buffer;
  }
}

/**
 * Opens the socket for postgres.js's next connection attempt: the hosts of a multi-host URL in
 * turn (postgres.js moves on when one refuses, or is not the primary target_session_attrs asks
 * for). postgres.js writes its startup message at once; the socket sends it once connected.
 */
function socketFactory(): (options: {
  host: string[];
  port: number[];
  path?: string | false;
}) => TrackedSocket {
  let next = 0;
  return (options) => {
    const socket = new TrackedSocket();
    if (options.path) return socket.connect(options.path);
    const i = next++ % options.host.length;
    socket.host = options.host[i] ?? 'localhost';
    socket.port = options.port[i] ?? 5432;
    return socket.connect(socket.port, socket.host);
  };
}

/**
 * True when the database answers a trivial query within a few seconds: a readiness probe must
 * answer in time even when the database host does not (a dropped connection waits for the
 * connect timeout).
 */
export async function isReachable(db: Db, timeoutMs = REACHABLE_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answered = sql`select 1`
    .execute(db)
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A statement that reads nothing and changes nothing. */
const NOTHING = 'select 1 where 0';

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
        // SQLite ends a transaction itself on some errors (a full disk, an I/O error); Kysely's
        // ROLLBACK after that failed with "no transaction is active" and hid the error that
        // mattered, so a full disk answered 500 instead of 503. With no transaction open, ROLLBACK
        // has nothing to do.
        if (!target.inTransaction && ROLLBACK.test(source)) return prepare(NOTHING);
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
