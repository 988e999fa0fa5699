/**
 * SQLite through the online backup API of better-sqlite3, from a connection of its own, so the
 * server can keep writing through its connections (WAL mode) while the copy is made.
 */
import SqliteDatabase from 'better-sqlite3';
import { BackupError } from './errors.ts';

/**
 * Pages copied per backup step: all of them. SQLite starts a backup over when another connection
 * writes between two steps, which under steady load could go on for ever; one step copies every
 * page inside one read transaction, which in WAL mode sees one consistent instant and does not
 * hold up writers.
 */
const ALL_PAGES = 0x7fffffff;

/** Copies the database file `source` as one consistent snapshot into the new file `target`. */
export async function snapshotSqlite(source: string, target: string): Promise<void> {
  let connection: SqliteDatabase.Database;
  try {
    connection = new SqliteDatabase(source, { fileMustExist: true });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new BackupError(
      `there is no SQLite database to back up at ${source} (${reason}): check GAPURA_DATA_DIR`,
    );
  }
  try {
    connection.pragma('busy_timeout = 5000');
    await connection.backup(target, { progress: () => ALL_PAGES });
  } finally {
    connection.close();
  }
}
