import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Database } from '../db/schema.ts';
import { KeyError } from './errors.ts';
import type { KeyProvider } from './key-provider.ts';
import { bytesCiphertextPrefix, type Keyring, keyIdOf, textCiphertextPrefix } from './keyring.ts';

/** One column holding ciphertexts under data keys. */
export interface EncryptedColumn {
  table: keyof Database & string;
  idColumn: string;
  column: string;
  /** `text`: {@link Keyring.encrypt}; `bytes`: {@link Keyring.encryptBytes}. */
  kind: 'text' | 'bytes';
  /** The associated data its values are sealed with: must equal what the encrypting code passes. */
  context(id: string): string;
}

const text = (
  table: EncryptedColumn['table'],
  column: string,
  context: (id: string) => string,
  idColumn = 'id',
): EncryptedColumn => ({ table, idColumn, column, kind: 'text', context });
const bytes = (
  table: EncryptedColumn['table'],
  column: string,
  context: (id: string) => string,
  idColumn = 'id',
): EncryptedColumn => ({ table, idColumn, column, kind: 'bytes', context });

/**
 * Every column encrypted under a data key. A new encrypted column is one line here; the
 * rotation test fails while a `*_enc` column of the database is missing from this list.
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  text('users', 'email_enc', () => 'users.email'),
  text('users', 'name_enc', () => 'users.name'),
  text('users', 'totp_secret_enc', () => 'users.totp'),
  text('users', 'phone_enc', () => 'users.phone'),
  text('users', 'nik_enc', () => 'users.nik'),
  text('notifications', 'recipient_enc', () => 'notifications.recipient'),
  text('notifications', 'subject_enc', () => 'notifications.subject'),
  text('notifications', 'body_enc', () => 'notifications.body'),
  text('demo_mailbox', 'recipient_enc', () => 'demo_mailbox.recipient'),
  text('demo_mailbox', 'subject_enc', () => 'demo_mailbox.subject'),
  text('demo_mailbox', 'body_enc', () => 'demo_mailbox.body'),
  text('applications', 'answers_enc', (id) => `applications.answers:${id}`),
  text('applications', 'tracking_secret_enc', (id) => `applications.secret:${id}`),
  text('application_events', 'comment_enc', (id) => `application_events.comment:${id}`),
  text('attachments', 'sha256_enc', (id) => `attachments.sha256:${id}`),
  bytes('attachments', 'data_enc', (id) => `attachments.data:${id}`),
  text('documents', 'content_enc', (id) => `documents.content:${id}`),
  text('documents', 'pdf_enc', (id) => `documents.pdf:${id}`),
  text('privacy_requests', 'details_enc', (id) => `privacy_requests.details:${id}`),
  text('privacy_requests', 'note_enc', (id) => `privacy_requests.note:${id}`),
  text('complaints', 'secret_enc', (id) => `complaints.secret:${id}`),
  text('complaints', 'owner_enc', (id) => `complaints.owner:${id}`),
  text('complaints', 'reporter_enc', (id) => `complaints.reporter:${id}`),
  text('complaints', 'text_enc', (id) => `complaints.text:${id}`),
  text('complaints', 'public_text_enc', (id) => `complaints.public_text:${id}`),
  text('complaint_events', 'comment_enc', (id) => `complaint_events.comment:${id}`),
  text('complaint_attachments', 'sha256_enc', (id) => `complaint_attachments.sha256:${id}`),
  bytes('complaint_attachments', 'data_enc', (id) => `complaint_attachments.data:${id}`),
  text('survey_responses', 'comment_enc', (id) => `survey_responses.comment:${id}`),
];

/**
 * Columns sealed directly by the key provider (not a data key): only a re-wrap touches them. Every
 * `data_keys` row is sealed for `data-key:<id>`, the stored secrets included.
 */
export const MASTER_SEALED_COLUMNS = [
  { table: 'data_keys', column: 'wrapped', context: (id: string) => `data-key:${id}` },
  { table: 'signing_keys', column: 'private_key_enc', context: (id: string) => `signing-key:${id}` },
] as const;

/** The settings row that records an unfinished rotation, so running the command again resumes it. */
const ROTATION_SETTING = 'keys.rotation';
/** Settings rows `keys.destroyable:<key id>`: retired data keys no ciphertext names any more. */
const DESTROYABLE_PREFIX = 'keys.destroyable:';
const DEFAULT_BATCH_SIZE = 500;
/** Extra passes pick up rows rewritten under a retired key while a pass ran. */
const MAX_PASSES = 5;
const MANY = 100_000;

export interface RotationRecord {
  startedAt: string;
  scopes: string[];
}

interface DataKeyRow {
  id: string;
  scope: string;
  created_at: string;
  retired_at: string | null;
}

async function dataKeys(db: Db): Promise<DataKeyRow[]> {
  return db
    .selectFrom('data_keys')
    .select(['id', 'scope', 'created_at', 'retired_at'])
    .where('purpose', '=', 'data')
    .orderBy('id')
    .limit(MANY)
    .execute();
}

/** Every scope that has data keys: the platform and each agency. */
export async function dataKeyScopes(db: Db): Promise<string[]> {
  return [...new Set((await dataKeys(db)).map((k) => k.scope))];
}

/** The scope an operator names: `platform`, an agency id or an agency slug; undefined when unknown. */
export async function findScope(db: Db, name: string): Promise<string | undefined> {
  const scopes = await dataKeyScopes(db);
  if (scopes.includes(name)) return name;
  const agency = await db.selectFrom('agencies').select('id').where('slug', '=', name).executeTakeFirst();
  return agency && scopes.includes(agency.id) ? agency.id : undefined;
}

/** Readable names of scopes: agency slugs instead of ids. */
export async function scopeNames(db: Db): Promise<Map<string, string>> {
  const agencies = await db.selectFrom('agencies').select(['id', 'slug']).limit(MANY).execute();
  return new Map(agencies.map((a) => [a.id, a.slug]));
}

export async function findRotationRecord(db: Db): Promise<RotationRecord | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', ROTATION_SETTING)
    .executeTakeFirst();
  return row ? (JSON.parse(row.value) as RotationRecord) : undefined;
}

async function putSetting(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

function prefixOf(kind: EncryptedColumn['kind'], keyId: string): string | Buffer {
  return kind === 'text' ? textCiphertextPrefix(keyId) : bytesCiphertextPrefix(keyId);
}

/** Key ids are UUIDs, so every prefix of a kind has the same length. */
function prefixLength(kind: EncryptedColumn['kind']): number {
  return prefixOf(kind, newId()).length;
}

/** The first bytes of a column's values, where the key id is: SQL can filter and group by it. */
function prefixSql(c: EncryptedColumn): RawBuilder<unknown> {
  return sql`substr(${sql.ref(c.column)}, 1, ${sql.lit(prefixLength(c.kind))})`;
}

/** True for rows whose value in one of `columns` is under one of `keyIds`. */
function underKeys(columns: readonly EncryptedColumn[], keyIds: readonly string[]): RawBuilder<unknown> {
  return sql`(${sql.join(
    columns.map((c) => sql`${prefixSql(c)} in (${sql.join(keyIds.map((id) => prefixOf(c.kind, id)))})`),
    sql` or `,
  )})`;
}

function byTable(columns: readonly EncryptedColumn[]): Map<string, EncryptedColumn[]> {
  const tables = new Map<string, EncryptedColumn[]>();
  for (const c of columns) tables.set(c.table, [...(tables.get(c.table) ?? []), c]);
  return tables;
}

export interface ColumnStatus {
  table: string;
  column: string;
  /** Values stored (nulls not counted). */
  ciphertexts: number;
  /** Values still under a retired data key. */
  underRetired: number;
}

export interface RetiredKeyStatus {
  id: string;
  scope: string;
  retiredAt: string;
  /** Ciphertexts still naming this key. */
  ciphertexts: number;
  /** When a rotation found no ciphertext left under it; destroying it is the operator's decision. */
  markedDestroyableAt: string | undefined;
}

export interface KeyStatus {
  columns: ColumnStatus[];
  retiredKeys: RetiredKeyStatus[];
  /** An unfinished rotation: running the command again continues it. */
  rotation: RotationRecord | undefined;
}

/** How many ciphertexts each key id has in each column (one grouped query per column). */
async function countByKey(db: Db, columns: readonly EncryptedColumn[]) {
  const counts: { column: EncryptedColumn; byKey: Map<string, number> }[] = [];
  for (const c of columns) {
    const { rows } = await sql<{ k: unknown; n: unknown }>`select ${prefixSql(c)} as k, count(*) as n
      from ${sql.table(c.table)} where ${sql.ref(c.column)} is not null group by ${prefixSql(c)}`.execute(db);
    const byKey = new Map<string, number>();
    for (const row of rows) {
      const id =
        typeof row.k === 'string' || Buffer.isBuffer(row.k) ? (keyIdOf(row.k) ?? 'unknown') : 'unknown';
      byKey.set(id, (byKey.get(id) ?? 0) + Number(row.n));
    }
    counts.push({ column: c, byKey });
  }
  return counts;
}

/** Ciphertexts under retired keys per column, and the retired keys with what still names them. */
export async function keyStatus(
  db: Db,
  columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS,
): Promise<KeyStatus> {
  const keys = await dataKeys(db);
  const retired = new Set(keys.filter((k) => k.retired_at !== null).map((k) => k.id));
  const counts = await countByKey(db, columns);
  const perKey = new Map<string, number>();
  for (const { byKey } of counts) for (const [id, n] of byKey) perKey.set(id, (perKey.get(id) ?? 0) + n);
  const marks = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'like', `${DESTROYABLE_PREFIX}%`)
    .limit(MANY)
    .execute();
  const markOf = new Map(marks.map((m) => [m.key.slice(DESTROYABLE_PREFIX.length), m.value]));
  return {
    columns: counts.map(({ column, byKey }) => ({
      table: column.table,
      column: column.column,
      ciphertexts: [...byKey.values()].reduce((a, b) => a + b, 0),
      underRetired: [...byKey].filter(([id]) => retired.has(id)).reduce((a, [, n]) => a + n, 0),
    })),
    retiredKeys: keys
      .filter((k) => k.retired_at !== null)
      .map((k) => ({
        id: k.id,
        scope: k.scope,
        retiredAt: k.retired_at ?? '',
        ciphertexts: perKey.get(k.id) ?? 0,
        markedDestroyableAt: markOf.get(k.id),
      })),
    rotation: await findRotationRecord(db),
  };
}

export interface RotationProgress {
  table: string;
  /** Rows handled so far in this table in this pass. */
  done: number;
  /** Rows under retired keys in this table when the pass reached it. */
  total: number;
  pass: number;
}

export interface RotateOptions {
  /** The scopes to rotate; default every scope with data keys. */
  scopes?: readonly string[];
  /** False: create no keys, only re-encrypt what is still under retired keys. */
  newKeys?: boolean;
  batchSize?: number;
  columns?: readonly EncryptedColumn[];
  onProgress?: (progress: RotationProgress) => void;
  /** Seams for tests that need a crash or a concurrent write at an exact point. */
  hooks?: {
    /** After a batch is read and re-encrypted, before it is written. */
    beforeWrite?: (table: string, ids: readonly string[]) => Promise<void> | void;
    /** After a batch is committed. */
    afterBatch?: (table: string, batch: number) => Promise<void> | void;
  };
}

export interface UnreadableCiphertext {
  table: string;
  column: string;
  id: string;
  reason: string;
}

export interface RotationResult {
  /** The new key of each scope; empty when an unfinished rotation was continued or no keys were asked for. */
  created: Map<string, string>;
  /** An earlier, interrupted rotation was continued instead of starting another. */
  resumed: RotationRecord | undefined;
  /** Ciphertexts now under an active key. */
  reencrypted: number;
  /** Rows a concurrent write changed between read and write: left as written (a later pass re-reads them). */
  concurrent: number;
  unreadable: UnreadableCiphertext[];
  /** Ciphertexts still under retired keys of the rotated scopes. */
  remaining: number;
  /** Retired keys no ciphertext names any more (marked, never deleted). */
  destroyable: string[];
}

interface Walk {
  db: Db;
  keyring: Keyring;
  retiredIds: string[];
  keyScope: Map<string, string>;
  batchSize: number;
  pass: number;
  options: RotateOptions;
  unreadable: Map<string, UnreadableCiphertext>;
}

/** Re-encrypts one table's values under retired keys, batch by batch in id order. */
async function walkTable(walk: Walk, table: string, columns: EncryptedColumn[]) {
  const { db, keyring, options } = walk;
  const idColumn = columns[0]?.idColumn ?? 'id';
  const retiredSet = new Set(walk.retiredIds);
  const filter = underKeys(columns, walk.retiredIds);
  const { rows: counted } = await sql<{ n: unknown }>`select count(*) as n from ${sql.table(table)}
    where ${filter}`.execute(db);
  const total = Number(counted[0]?.n ?? 0);
  let done = 0;
  let reencrypted = 0;
  let concurrent = 0;
  let cursor = '';
  let batch = 0;
  options.onProgress?.({ table, done, total, pass: walk.pass });
  for (;;) {
    const { rows } = await sql<Record<string, unknown>>`select ${sql.ref(idColumn)} as id,
      ${sql.join(columns.map((c) => sql.ref(c.column)))} from ${sql.table(table)}
      where ${sql.ref(idColumn)} > ${cursor} and ${filter}
      order by ${sql.ref(idColumn)} limit ${sql.lit(walk.batchSize)}`.execute(db);
    if (rows.length === 0) break;
    const updates: { id: string; changes: { column: string; from: unknown; to: unknown }[] }[] = [];
    for (const row of rows) {
      const id = String(row.id);
      const changes: { column: string; from: unknown; to: unknown }[] = [];
      for (const c of columns) {
        const value = row[c.column];
        if (typeof value !== 'string' && !Buffer.isBuffer(value)) continue;
        const keyId = keyIdOf(value);
        const scope = keyId === undefined ? undefined : walk.keyScope.get(keyId);
        if (keyId === undefined || scope === undefined || !retiredSet.has(keyId)) continue;
        const where = `${table}.${c.column}:${id}`;
        if (walk.unreadable.has(where)) continue;
        try {
          const to =
            typeof value === 'string'
              ? keyring.encrypt(scope, await keyring.decrypt(value, c.context(id)), c.context(id))
              : keyring.encryptBytes(scope, await keyring.decryptBytes(value, c.context(id)), c.context(id));
          changes.push({ column: c.column, from: value, to });
        } catch (err) {
          if (!(err instanceof KeyError) && !(err instanceof Error && /auth|decrypt/i.test(err.message)))
            throw err;
          walk.unreadable.set(where, { table, column: c.column, id, reason: err.message });
        }
      }
      if (changes.length > 0) updates.push({ id, changes });
    }
    await options.hooks?.beforeWrite?.(
      table,
      rows.map((r) => String(r.id)),
    );
    await db.transaction().execute(async (trx) => {
      for (const { id, changes } of updates) {
        // Written only where the value is still the one read: a concurrent write wins.
        const result = await sql`update ${sql.table(table)}
          set ${sql.join(changes.map((ch) => sql`${sql.ref(ch.column)} = ${ch.to}`))}
          where ${sql.ref(idColumn)} = ${id}
          and ${sql.join(
            changes.map((ch) => sql`${sql.ref(ch.column)} = ${ch.from}`),
            sql` and `,
          )}`.execute(trx);
        if (Number(result.numAffectedRows ?? 0) === 1) reencrypted += changes.length;
        else concurrent++;
      }
    });
    done += rows.length;
    cursor = String(rows[rows.length - 1]?.id ?? cursor);
    batch++;
    options.onProgress?.({
      table,
      done: Math.min(done, total),
      total: Math.max(total, done),
      pass: walk.pass,
    });
    await options.hooks?.afterBatch?.(table, batch);
  }
  return { reencrypted, concurrent };
}

/**
 * Rotates the data keys of the given scopes and re-encrypts every ciphertext under their retired
 * keys, online: batches in their own transactions, each row written only if unchanged since read.
 * Running it again after a crash continues the unfinished rotation (its record is in `settings`)
 * without creating keys again; values already under the active key are skipped by their key id.
 */
export async function rotateKeys(
  db: Db,
  keyring: Keyring,
  options: RotateOptions = {},
): Promise<RotationResult> {
  const columns = options.columns ?? ENCRYPTED_COLUMNS;
  const scopes = [...(options.scopes ?? (await dataKeyScopes(db)))];
  const resumed = await findRotationRecord(db);
  let record = resumed;
  let created = new Map<string, string>();
  if (!resumed && options.newKeys !== false && scopes.length > 0) {
    const started: RotationRecord = { startedAt: nowIso(), scopes };
    created = await keyring.rotateDataKeys(scopes, (trx) =>
      putSetting(trx, ROTATION_SETTING, JSON.stringify(started)),
    );
    record = started;
  }
  await keyring.prepare(scopes);
  const keys = await dataKeys(db);
  const keyScope = new Map(keys.map((k) => [k.id, k.scope]));
  const inScope = new Set(scopes);
  const retiredIds = keys.filter((k) => k.retired_at !== null && inScope.has(k.scope)).map((k) => k.id);

  let reencrypted = 0;
  let concurrent = 0;
  const unreadable = new Map<string, UnreadableCiphertext>();
  const remainingNow = async () => {
    if (retiredIds.length === 0) return 0;
    const counts = await countByKey(db, columns);
    let n = 0;
    for (const { byKey } of counts) for (const id of retiredIds) n += byKey.get(id) ?? 0;
    return n;
  };
  let remaining = await remainingNow();
  for (let pass = 1; pass <= MAX_PASSES && remaining > unreadable.size; pass++) {
    const walk: Walk = {
      db,
      keyring,
      retiredIds,
      keyScope,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      pass,
      options,
      unreadable,
    };
    let progressed = 0;
    for (const [table, tableColumns] of byTable(columns)) {
      const outcome = await walkTable(walk, table, tableColumns);
      reencrypted += outcome.reencrypted;
      concurrent += outcome.concurrent;
      progressed += outcome.reencrypted;
    }
    remaining = await remainingNow();
    if (progressed === 0) break;
  }

  const status = await keyStatus(db, columns);
  const destroyable: string[] = [];
  for (const key of status.retiredKeys.filter((k) => inScope.has(k.scope))) {
    const markKey = `${DESTROYABLE_PREFIX}${key.id}`;
    if (key.ciphertexts === 0) {
      destroyable.push(key.id);
      if (!key.markedDestroyableAt) await putSetting(db, markKey, nowIso());
    } else if (key.markedDestroyableAt) {
      await db.deleteFrom('settings').where('key', '=', markKey).execute();
    }
  }
  const finished = record?.scopes.every((s) => inScope.has(s)) ?? false;
  if (record && finished && remaining === 0)
    await db.deleteFrom('settings').where('key', '=', ROTATION_SETTING).execute();
  return {
    created,
    resumed,
    reencrypted,
    concurrent,
    unreadable: [...unreadable.values()],
    remaining,
    destroyable,
  };
}

export interface RewrapResult {
  rewrapped: number;
  /** Already sealed under the new master key (an earlier, interrupted re-wrap). */
  already: number;
}

/**
 * Re-wraps every row of `data_keys` (data and blind-index keys, and the platform's stored secrets,
 * so API tokens and codes issued before keep verifying) and re-seals every signing key with `next`,
 * each in its own conditional update, so the master key file (or the key provider) can be replaced.
 * Safe to run again.
 */
export async function rewrapKeys(db: Db, keyring: Keyring, next: KeyProvider): Promise<RewrapResult> {
  const result: RewrapResult = { rewrapped: 0, already: 0 };
  const rows = [
    ...(
      await db.selectFrom('data_keys').select(['id', 'wrapped as sealed']).orderBy('id').limit(MANY).execute()
    ).map((r) => ({ ...r, sealed: Buffer.from(r.sealed), table: MASTER_SEALED_COLUMNS[0] })),
    ...(
      await db
        .selectFrom('signing_keys')
        .select(['id', 'private_key_enc as sealed'])
        .orderBy('id')
        .limit(MANY)
        .execute()
    ).map((r) => ({ ...r, sealed: Buffer.from(r.sealed), table: MASTER_SEALED_COLUMNS[1] })),
  ];
  for (const row of rows) {
    const resealed = await keyring.resealForMaster(row.sealed, row.table.context(row.id), next);
    if (!resealed) {
      result.already++;
      continue;
    }
    const { table, column } = row.table;
    const updated = await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${resealed}
      where id = ${row.id} and ${sql.ref(column)} = ${row.sealed}`.execute(db);
    if (Number(updated.numAffectedRows ?? 0) !== 1)
      throw new KeyError(`${table} ${row.id} changed during the re-wrap; run the command again`);
    result.rewrapped++;
  }
  return result;
}
