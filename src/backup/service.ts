/**
 * `gapura backup` and `gapura restore`: one file format for both engines. The file is a tar
 * archive holding `manifest.json` (engine, schema version, rows per table, the latest signed tree
 * head and the sealed keys, all read from the same snapshot as the dump) and the dump itself (a
 * SQLite database file, or a `pg_dump --format=custom` archive).
 *
 * Attachments and issued documents are rows of the database, encrypted under data keys that the
 * database stores wrapped by the key provider's key (the master key file). The backup never holds
 * that key: it is backed up on its own, and a restore without it can decrypt nothing, so restore
 * checks first that the configured key opens every sealed key of the backup.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { link, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Value } from '@sinclair/typebox/value';
import { rootFromNodes, rootKeys } from '../audit/merkle.ts';
import { headSignatureProblem, publishedKeys } from '../audit/signing.ts';
import { getNodes } from '../audit/store.ts';
import type { Config } from '../config/config.ts';
import { loadKeyProvider } from '../crypto/key-provider.ts';
import { MASTER_SEALED_COLUMNS } from '../crypto/rotate.ts';
import { type Db, type Engine, openDatabase } from '../db/database.ts';
import { migrations as knownMigrations } from '../db/migrations/index.ts';
import { type ArchiveEntry, entryStream, listArchive, readEntry, writeArchive } from './archive.ts';
import { BackupError } from './errors.ts';
import { databaseName, dumpPostgres, restorePostgres } from './postgres.ts';
import {
  DUMP_ENTRY,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST_ENTRY,
  Manifest,
  type ManifestHead,
  type SealedKey,
} from './schemas.ts';
import { snapshotSqlite } from './sqlite.ts';
import * as store from './store.ts';

/** The SQLite file inside the data directory (as `openDatabase` names it). */
const SQLITE_FILE = 'gapura.db';

function engineOf(config: Pick<Config, 'databaseUrl'>): Engine {
  return config.databaseUrl === undefined ? 'sqlite' : 'postgres';
}

/** What the manifest says about the database, read from one snapshot. */
type Facts = Pick<Manifest, 'migrations' | 'tables' | 'auditHead' | 'sealedKeys'>;

async function readFacts(db: Db, engine: Engine): Promise<Facts> {
  if (!(await store.tableNames(db, engine)).includes('gapura_migrations')) {
    throw new BackupError('the database holds no Gapura schema: nothing to back up');
  }
  return {
    migrations: await store.migrationIds(db),
    tables: await store.rowCounts(db, engine),
    auditHead: await store.latestAuditHead(db),
    sealedKeys: await store.sealedKeys(db),
  };
}

async function sha256Of(stream: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(stream, hash);
  return hash.digest('hex');
}

/** Dumps the database into `dir`; returns the dump file and the facts of the same snapshot. */
async function dump(config: Config, dir: string): Promise<{ file: string; facts: Facts }> {
  const engine = engineOf(config);
  if (engine === 'postgres') {
    const file = path.join(dir, DUMP_ENTRY.postgres);
    const handle = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
    try {
      const facts = await dumpPostgres(handle.db, config.databaseUrl ?? '', file, (trx) =>
        readFacts(trx, engine),
      );
      return { file, facts };
    } finally {
      await handle.close();
    }
  }
  // The copy is named as openDatabase expects, so its facts are read through the usual connection.
  await snapshotSqlite(path.join(config.dataDir, SQLITE_FILE), path.join(dir, SQLITE_FILE));
  const copy = openDatabase({ databaseUrl: undefined, dataDir: dir });
  let facts: Facts;
  try {
    facts = await readFacts(copy.db, engine);
  } finally {
    await copy.close();
  }
  return { file: path.join(dir, SQLITE_FILE), facts };
}

export interface BackupResult {
  file: string;
  manifest: Manifest;
}

/**
 * Writes a backup of the configured database to `out` (a new file, mode 0600) while the server
 * keeps running. Temporary files go next to `out`: that directory needs about twice the dump's size.
 */
export async function createBackup(config: Config, out: string, now = new Date()): Promise<BackupResult> {
  const target = path.resolve(out);
  if (existsSync(target)) throw new BackupError(`${target} exists; a backup never overwrites a file`);
  if (!existsSync(path.dirname(target)))
    throw new BackupError(`the directory ${path.dirname(target)} does not exist`);
  const dir = await mkdtemp(path.join(path.dirname(target), '.gapura-backup-'));
  try {
    const engine = engineOf(config);
    const { file, facts } = await dump(config, dir);
    const { size } = await stat(file);
    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      engine,
      createdAt: now.toISOString(),
      ...facts,
      dump: { entry: DUMP_ENTRY[engine], bytes: size, sha256: await sha256Of(createReadStream(file)) },
    };
    const archive = path.join(dir, 'backup.tar');
    await writeArchive(
      archive,
      [
        { name: MANIFEST_ENTRY, bytes: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
        { name: manifest.dump.entry, file, size },
      ],
      now,
    );
    // A link appears whole or not at all, and fails rather than replace a file made meanwhile.
    await link(archive, target);
    return { file: target, manifest };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Restore
// ---------------------------------------------------------------------------------------------

export interface RestoreOptions {
  /** Restore even over a database that holds tables (they are dropped first). */
  force?: boolean;
}

export interface RestoreResult {
  manifest: Manifest;
  /** Rows restored, all tables together. */
  rows: number;
}

interface OpenedBackup {
  manifest: Manifest;
  dump: ArchiveEntry;
}

async function openBackup(file: string): Promise<OpenedBackup> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  let entries: Map<string, ArchiveEntry>;
  try {
    entries = await listArchive(file);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new BackupError(`${file} is not a Gapura backup: ${reason}`);
  }
  const manifestEntry = entries.get(MANIFEST_ENTRY);
  if (!manifestEntry) throw new BackupError(`${file} is not a Gapura backup: it has no ${MANIFEST_ENTRY}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readEntry(file, manifestEntry)).toString('utf8'));
  } catch {
    throw new BackupError(`${file}: ${MANIFEST_ENTRY} is not JSON`);
  }
  if (!Value.Check(Manifest, parsed)) {
    throw new BackupError(
      `${file}: ${MANIFEST_ENTRY} is not a Gapura backup manifest of format ${FORMAT_VERSION}`,
    );
  }
  const dumpEntry = entries.get(parsed.dump.entry);
  if (!dumpEntry || dumpEntry.size !== parsed.dump.bytes) {
    throw new BackupError(
      `${file} is damaged: ${parsed.dump.entry} is missing or not ${parsed.dump.bytes} bytes`,
    );
  }
  return { manifest: parsed, dump: dumpEntry };
}

/** The backup fits this Gapura: same engine, and no migration this version does not know. */
function checkCompatible(manifest: Manifest, engine: Engine): void {
  if (manifest.engine !== engine) {
    const setting =
      manifest.engine === 'sqlite'
        ? 'leave DATABASE_URL unset to restore into the SQLite file of GAPURA_DATA_DIR'
        : 'set DATABASE_URL to an empty PostgreSQL database';
    throw new BackupError(
      `this backup is of a ${manifest.engine} database, but ${engine} is configured: ${setting}`,
    );
  }
  const known = new Set(knownMigrations.map((m) => m.id));
  const unknown = manifest.migrations.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new BackupError(
      `this backup was made by a newer Gapura (schema ${unknown.join(', ')} is unknown here): restore it with that version`,
    );
  }
}

const SEAL_CONTEXT: Record<SealedKey['table'], (id: string) => string> = {
  data_keys: MASTER_SEALED_COLUMNS[0].context,
  signing_keys: MASTER_SEALED_COLUMNS[1].context,
};

/**
 * Asks the configured key provider to open every key the backup holds sealed, before anything is
 * written: a restore under another key would bring back data nobody can read. A missing master
 * key file is refused here rather than generated (demo mode generates one at start).
 */
async function checkKeys(config: Config, keys: readonly SealedKey[]): Promise<void> {
  if (config.keyProvider.kind === 'file' && !existsSync(config.masterKeyFile)) {
    throw new BackupError(
      `the master key file ${config.masterKeyFile} does not exist: a restore needs the master key of the backed-up database (GAPURA_MASTER_KEY_FILE), which is never inside a backup`,
    );
  }
  const provider = await loadKeyProvider(config);
  for (const key of keys) {
    const opened = await provider.unwrap(Buffer.from(key.sealed, 'base64'), SEAL_CONTEXT[key.table](key.id));
    if (opened === undefined) {
      throw new BackupError(
        `the ${provider.keyName} (${provider.keySetting}) cannot unwrap ${key.table} ${key.id} of this backup: ` +
          'restore with the master key the backed-up database was made with (it is backed up separately, never inside a backup); nothing was restored',
      );
    }
  }
}

async function refuseNonEmpty(db: Db, engine: Engine, where: string): Promise<void> {
  const tables = await store.tableNames(db, engine);
  if (tables.length > 0) {
    throw new BackupError(
      `${where} is not empty (${tables.length} tables): restore into a new, empty database, or add --force to drop its tables first`,
    );
  }
}

/** Copies the dump out of the archive into `file` and checks its SHA-256 against the manifest. */
async function extractDump(backupFile: string, opened: OpenedBackup, file: string): Promise<void> {
  const hash = createHash('sha256');
  const source = entryStream(backupFile, opened.dump);
  source.on('data', (chunk: Buffer) => hash.update(chunk));
  await pipeline(source, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  if (hash.digest('hex') !== opened.manifest.dump.sha256) {
    throw new BackupError(`${backupFile} is damaged: the dump does not match its SHA-256 in the manifest`);
  }
}

function sameHead(a: ManifestHead | null, b: ManifestHead | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Checks a restored database against the manifest: the same migrations, rows per table, sealed
 * keys and latest signed tree head, and that head's root recomputed from the restored tree's
 * stored nodes, with its signature checked against the restored public keys.
 */
async function verifyRestored(db: Db, engine: Engine, manifest: Manifest): Promise<number> {
  const facts = await readFacts(db, engine);
  if (facts.migrations.join() !== manifest.migrations.join()) {
    throw new BackupError('the restored database does not match the manifest: its migrations differ');
  }
  const names = new Set([...Object.keys(facts.tables), ...Object.keys(manifest.tables)]);
  for (const name of names) {
    if (facts.tables[name] !== manifest.tables[name]) {
      throw new BackupError(
        `the restored database does not match the manifest: table ${name} has ${facts.tables[name] ?? 'no'} rows, the manifest says ${manifest.tables[name] ?? 'none'}`,
      );
    }
  }
  if (JSON.stringify(facts.sealedKeys) !== JSON.stringify(manifest.sealedKeys)) {
    throw new BackupError('the restored database does not match the manifest: its sealed keys differ');
  }
  if (!sameHead(facts.auditHead, manifest.auditHead)) {
    throw new BackupError(
      'the restored database does not match the manifest: its latest signed tree head differs',
    );
  }
  const head = manifest.auditHead;
  if (head !== null) {
    const root = rootFromNodes(head.treeSize, await getNodes(db, rootKeys(head.treeSize)));
    const signed = {
      treeSize: head.treeSize,
      timestamp: head.timestamp,
      rootHash: Buffer.from(head.rootHash, 'base64'),
      signature: Buffer.from(head.signature, 'base64'),
      keyId: head.keyId,
    };
    const problem = root.equals(signed.rootHash)
      ? headSignatureProblem(signed, await publishedKeys(db))
      : 'its root is not the root of the restored tree';
    if (problem !== undefined) {
      throw new BackupError(
        `the restored audit log fails its latest signed tree head (size ${head.treeSize}): ${problem}`,
      );
    }
  }
  return Object.values(facts.tables).reduce((sum, n) => sum + n, 0);
}

async function restoreSqlite(config: Config, backupFile: string, opened: OpenedBackup, force: boolean) {
  const target = path.join(config.dataDir, SQLITE_FILE);
  if (existsSync(target)) {
    const current = openDatabase({ databaseUrl: undefined, dataDir: config.dataDir });
    try {
      if (!force) await refuseNonEmpty(current.db, 'sqlite', target);
    } finally {
      await current.close();
    }
  }
  // Extracted and checked beside the target, then moved into place in one rename.
  const dir = await mkdtemp(path.join(config.dataDir, '.gapura-restore-'));
  try {
    await extractDump(backupFile, opened, path.join(dir, SQLITE_FILE));
    const copy = openDatabase({ databaseUrl: undefined, dataDir: dir });
    let rows: number;
    try {
      rows = await verifyRestored(copy.db, 'sqlite', opened.manifest);
    } finally {
      await copy.close();
    }
    // A write-ahead log left by the old database would be replayed into the new one.
    for (const suffix of ['-wal', '-shm', '-journal']) await rm(`${target}${suffix}`, { force: true });
    await rename(path.join(dir, SQLITE_FILE), target);
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function restorePostgresBackup(
  config: Config,
  backupFile: string,
  opened: OpenedBackup,
  force: boolean,
) {
  const databaseUrl = config.databaseUrl ?? '';
  const handle = openDatabase({ databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  // pg_restore reads the dump from a file of its own (TMPDIR needs room for it).
  const dir = await mkdtemp(path.join(tmpdir(), 'gapura-restore-'));
  try {
    const where = `the database of DATABASE_URL (${databaseName(databaseUrl)})`;
    if (!force) await refuseNonEmpty(handle.db, 'postgres', where);
    const file = path.join(dir, DUMP_ENTRY.postgres);
    await extractDump(backupFile, opened, file);
    if (force) await store.dropAllTables(handle.db, 'postgres');
    await restorePostgres(databaseUrl, file);
    return await verifyRestored(handle.db, 'postgres', opened.manifest);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await handle.close();
  }
}

/**
 * Restores a backup into the configured database, which must be empty (or `force`). Checks, in
 * this order and before writing anything: the file and its manifest, the engine and schema, the
 * master key against every sealed key, the target. Then it restores and checks the result
 * against the manifest. No Gapura node may run on the target meanwhile.
 */
export async function restoreBackup(
  config: Config,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const source = path.resolve(file);
  const opened = await openBackup(source);
  const engine = engineOf(config);
  checkCompatible(opened.manifest, engine);
  await checkKeys(config, opened.manifest.sealedKeys);
  const force = options.force === true;
  const rows =
    engine === 'sqlite'
      ? await restoreSqlite(config, source, opened, force)
      : await restorePostgresBackup(config, source, opened, force);
  return { manifest: opened.manifest, rows };
}
