/**
 * PostgreSQL through its own tools: `pg_dump --format=custom` from an exported snapshot, so the
 * manifest's counts and the dump see the same instant while the nodes keep writing, and
 * `pg_restore` into an empty database in one transaction.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { BackupError } from './errors.ts';

/** Where Debian installs each major version's client tools; the newest can dump every older server. */
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of a PostgreSQL client tool: the newest `/usr/lib/postgresql/N/bin/NAME`, else the
 * first on PATH. pg_dump must be at least as new as the server, hence the newest first.
 */
export function findPgTool(name: 'pg_dump' | 'pg_restore', searchPath = process.env.PATH ?? ''): string {
  let versions: string[] = [];
  try {
    versions = readdirSync(DEBIAN_PG_ROOT).filter((v) => /^\d+$/.test(v));
  } catch {
    // No Debian layout: PATH decides.
  }
  versions.sort((a, b) => Number(b) - Number(a));
  const candidates = [
    ...versions.map((v) => path.join(DEBIAN_PG_ROOT, v, 'bin', name)),
    ...searchPath
      .split(path.delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => path.join(dir, name)),
  ];
  const found = candidates.find(isExecutable);
  if (!found) {
    throw new BackupError(
      `${name} was not found in ${DEBIAN_PG_ROOT}/*/bin or on PATH: install the PostgreSQL client tools (Debian: postgresql-client-15)`,
    );
  }
  return found;
}

/** `scheme://user:password@` at the start of a URL, also of a multi-host one (`@h1:5432,h2:5432/db`). */
const USER_AND_PASSWORD = /^(postgres(?:ql)?:\/\/[^:@/]*):([^@/]*)@/;

/**
 * The connection for a libpq tool: the URL without its password, which goes into PGPASSWORD so
 * that it never shows in the process list. libpq reads the rest of the URL as postgres.js does
 * (several hosts, `target_session_attrs`, `sslmode`).
 */
export function libpqConnection(databaseUrl: string): { url: string; env: Record<string, string> } {
  const match = USER_AND_PASSWORD.exec(databaseUrl);
  if (!match) return { url: databaseUrl, env: {} };
  const password = decodeURIComponent(match[2] ?? '');
  const url = `${match[1]}@${databaseUrl.slice(match[0].length)}`;
  return { url, env: password === '' ? {} : { PGPASSWORD: password } };
}

/** The database a URL names, for messages. */
export function databaseName(databaseUrl: string): string {
  return /^[^?]*\/([^/?]+)(?:\?|$)/.exec(databaseUrl)?.[1] ?? databaseUrl;
}

/** Runs a tool to its end; a failure carries the last lines it wrote to stderr. */
function runTool(file: string, args: readonly string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', (err) =>
      reject(new BackupError(`${path.basename(file)} could not start: ${err.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const lines = stderr.trim().split('\n').slice(-3).join(' / ');
      reject(new BackupError(`${path.basename(file)} failed (exit ${code}): ${lines || 'no message'}`));
    });
  });
}

/**
 * Opens a repeatable-read transaction, exports its snapshot, lets `read` look at the database as
 * of that snapshot, and dumps exactly that snapshot into `file` while the transaction stays open.
 */
export async function dumpPostgres<T>(
  db: Db,
  databaseUrl: string,
  file: string,
  read: (snapshot: Db) => Promise<T>,
): Promise<T> {
  const pgDump = findPgTool('pg_dump');
  const connection = libpqConnection(databaseUrl);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
      const snapshot = rows[0]?.id;
      if (snapshot === undefined) throw new BackupError('PostgreSQL exported no snapshot');
      const facts = await read(trx);
      await runTool(
        pgDump,
        ['--format=custom', `--snapshot=${snapshot}`, `--file=${file}`, `--dbname=${connection.url}`],
        connection.env,
      );
      return facts;
    });
}

/**
 * Restores a custom-format dump into the database at `databaseUrl` in one transaction: on any
 * error nothing of it stays. Owners and grants are left out, so any role that owns the target
 * database can restore (the tables then belong to it).
 */
export async function restorePostgres(databaseUrl: string, file: string): Promise<void> {
  const connection = libpqConnection(databaseUrl);
  await runTool(
    findPgTool('pg_restore'),
    [
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${connection.url}`,
      file,
    ],
    connection.env,
  );
}
