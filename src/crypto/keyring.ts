import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import * as aead from './aead.ts';
import { KeyError } from './errors.ts';
import type { KeyProvider } from './key-provider.ts';

export type KeyPurpose = 'data' | 'blind';

/** Key ids are UUID text: version 7 (random), or version 8 for first keys ({@link firstKeyId}). */
const KEY_ID_LENGTH = 36;

interface LoadedKey {
  id: string;
  key: Buffer;
}

/**
 * Every purpose a secret is kept for (CSRF tokens, hashes of API tokens and one-time codes). Each is
 * stored once, wrapped like a data key, so that it outlives the key provider that first derived it:
 * re-wrapping under a new master key must not invalidate every token and code already issued.
 */
export const DERIVED_SECRET_PURPOSES = ['csrf', 'api-token', 'recovery-codes', 'verification-codes'] as const;
export type DerivedSecretPurpose = (typeof DERIVED_SECRET_PURPOSES)[number];

/** The `data_keys` purpose a secret is stored under; never `data` or `blind`, so rotation skips it. */
const SECRET_PURPOSE_PREFIX = 'secret:';

function dataKeyContext(id: string): string {
  return `data-key:${id}`;
}

/**
 * The id of the first key of a scope and purpose, and of each stored secret: the same in every
 * process, so that two processes creating it at once insert the same primary key and the second
 * insert does nothing (no unique index on scope and purpose exists to rely on). Shaped like the
 * random UUIDs of later keys (version 8: derived, not random), since ciphertexts carry 36-character ids.
 */
function firstKeyId(scope: string, purpose: string): string {
  const hash = createHash('sha256').update(`gapura data key\0${scope}\0${purpose}`).digest();
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x80, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs a call to the provider: an outage or a refusal becomes a KeyError that names both. */
async function ask<T>(provider: KeyProvider, task: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new KeyError(`key provider ${provider.id} failed to ${task}: ${reason(err)}`, { cause: err });
  }
}

function unwrapWith(provider: KeyProvider, wrapped: Buffer, context: string): Promise<Buffer | undefined> {
  return ask(provider, `open ${context}`, () => provider.unwrap(wrapped, context));
}

export const PLATFORM_SCOPE = 'platform';

/** A key row as stored: the wrapped bytes, and whether a rotation retired it. */
interface StoredKey {
  wrapped: Buffer;
  retired: boolean;
}

/**
 * Envelope encryption: each scope (the platform, or one agency) has data keys wrapped by the key
 * provider (the master key file, or a KMS/HSM) and stored in `data_keys`. Ciphertexts name their
 * key id, so rotated keys keep decrypting until their ciphertexts are re-encrypted. Blind indexes
 * are HMAC-SHA256 under a separate per-scope key, so equal values can be found without decrypting.
 * The platform's secrets (CSRF, API token and one-time code hashes) are stored there too, wrapped
 * the same way, so a re-wrap carries them over and a rotation never touches them.
 */
export class Keyring {
  private readonly byId = new Map<string, LoadedKey>();
  /** Unwraps under way, so that concurrent decryptions under a key not loaded yet ask the provider once. */
  private readonly unwrapping = new Map<string, Promise<LoadedKey>>();
  private readonly active = new Map<string, LoadedKey>();
  private readonly secrets = new Map<DerivedSecretPurpose, Buffer>();
  private secretsLoading: Promise<void> | undefined;

  private constructor(
    private readonly db: Db,
    private readonly provider: KeyProvider,
  ) {}

  /**
   * A keyring over `db` whose keys `provider` wraps. It reads and writes nothing yet: production
   * mode first refuses a demo key, and a refused start must leave no row wrapped by that key.
   */
  static async open(db: Db, provider: KeyProvider): Promise<Keyring> {
    return new Keyring(db, provider);
  }

  get isDemo(): boolean {
    return this.provider.isDemo;
  }

  /** How messages name the key provider's key (`master key`, `HSM key`). */
  get keyName(): string {
    return this.provider.keyName;
  }

  /** The setting that selects the key provider's key, for messages that ask to check it. */
  get keySetting(): string {
    return this.provider.keySetting;
  }

  /**
   * Loads (creating on first use) the platform's secrets, once, and the active key of each scope
   * and purpose given.
   */
  async prepare(scopes: readonly string[]): Promise<void> {
    this.secretsLoading ??= this.loadSecrets().catch((err: unknown) => {
      this.secretsLoading = undefined;
      throw err;
    });
    await this.secretsLoading;
    for (const scope of scopes) {
      for (const purpose of ['data', 'blind'] as const) await this.loadActive(scope, purpose);
    }
  }

  /** Unwraps a stored key row; a key that does not open it is named with the setting to check. */
  private async unwrapStored(id: string, wrapped: Buffer): Promise<Buffer> {
    const { provider } = this;
    const plaintext = await unwrapWith(provider, wrapped, dataKeyContext(id));
    if (plaintext === undefined) {
      throw new KeyError(
        `the ${provider.keyName} cannot unwrap data key ${id}: is ${provider.keySetting} the key this database was made with?`,
      );
    }
    return plaintext;
  }

  private async unwrapDataKey(id: string, wrapped: Buffer): Promise<LoadedKey> {
    const key = await this.unwrapStored(id, wrapped);
    if (key.length !== 32)
      throw new KeyError(
        `key provider ${this.provider.id} unwrapped data key ${id} to ${key.length} bytes, not 32`,
      );
    const loaded = { id, key };
    this.byId.set(id, loaded);
    return loaded;
  }

  /** Wraps a key for its row (before any transaction: it may be a network call). */
  private wrapKey(id: string, key: Buffer): Promise<Buffer> {
    return ask(this.provider, `wrap data key ${id}`, () => this.provider.wrap(key, dataKeyContext(id)));
  }

  /** A new random data key under a new id, wrapped by the provider. */
  private async newDataKey(): Promise<LoadedKey & { wrapped: Buffer }> {
    const id = newId();
    const key = randomBytes(32);
    return { id, key, wrapped: await this.wrapKey(id, key) };
  }

  /**
   * Stores a key under its fixed id unless another process stored one there first, and returns the
   * row now stored: the caller's own when its wrapped bytes are those given, else the winner's.
   * Insert-or-ignore on the primary key is atomic on both SQLite and PostgreSQL, without a lock.
   */
  private async insertOnce(id: string, scope: string, purpose: string, wrapped: Buffer): Promise<StoredKey> {
    await this.db
      .insertInto('data_keys')
      .values({ id, scope, purpose, wrapped, is_demo: this.provider.isDemo ? 1 : 0, created_at: nowIso() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('data_keys')
      .select(['wrapped', 'retired_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { wrapped: Buffer.from(row.wrapped), retired: row.retired_at !== null };
  }

  private async loadActive(scope: string, purpose: KeyPurpose): Promise<LoadedKey> {
    const cacheKey = `${scope}/${purpose}`;
    const cached = this.active.get(cacheKey);
    if (cached) return cached;
    const row = await this.db
      .selectFrom('data_keys')
      .select(['id', 'wrapped'])
      .where('scope', '=', scope)
      .where('purpose', '=', purpose)
      .where('retired_at', 'is', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const loaded = row
      ? await this.unwrapDataKey(row.id, Buffer.from(row.wrapped))
      : await this.createFirstKey(scope, purpose);
    this.active.set(cacheKey, loaded);
    return loaded;
  }

  /**
   * The first key of a scope and purpose. Two processes starting at once both get here; the fixed
   * id makes them agree on one key, which matters most for blind indexes: two would split them.
   */
  private async createFirstKey(scope: string, purpose: KeyPurpose): Promise<LoadedKey> {
    const id = firstKeyId(scope, purpose);
    const key = randomBytes(32);
    const wrapped = await this.wrapKey(id, key);
    const stored = await this.insertOnce(id, scope, purpose, wrapped);
    // Rotation always leaves an active key behind, so only a hand-edited table gets here.
    if (stored.retired) throw new KeyError(`every ${purpose} key of scope ${scope} is retired`);
    if (!stored.wrapped.equals(wrapped)) return this.unwrapDataKey(id, stored.wrapped);
    const loaded = { id, key };
    this.byId.set(id, loaded);
    return loaded;
  }

  /**
   * Reads the stored secret of each purpose. A purpose without one (every database made before
   * secrets were stored, and a new one) stores exactly what the provider derives, so tokens and
   * codes issued under the derived secret keep verifying; from then on the stored one is used.
   */
  private async loadSecrets(): Promise<void> {
    for (const purpose of DERIVED_SECRET_PURPOSES) {
      const id = firstKeyId(PLATFORM_SCOPE, `${SECRET_PURPOSE_PREFIX}${purpose}`);
      const row = await this.db
        .selectFrom('data_keys')
        .select('wrapped')
        .where('id', '=', id)
        .executeTakeFirst();
      this.secrets.set(
        purpose,
        row ? await this.unwrapStored(id, Buffer.from(row.wrapped)) : await this.storeSecret(id, purpose),
      );
    }
  }

  private async storeSecret(id: string, purpose: DerivedSecretPurpose): Promise<Buffer> {
    const { provider } = this;
    const secret = await ask(provider, `derive the ${purpose} secret`, () => provider.deriveSecret(purpose));
    if (secret.length < 32)
      throw new KeyError(`key provider ${provider.id} derived a ${purpose} secret shorter than 32 bytes`);
    const wrapped = await this.wrapKey(id, secret);
    const stored = await this.insertOnce(id, PLATFORM_SCOPE, `${SECRET_PURPOSE_PREFIX}${purpose}`, wrapped);
    // Another process stored it first: its secret is the one every process uses.
    return stored.wrapped.equals(wrapped) ? secret : this.unwrapStored(id, stored.wrapped);
  }

  private activeSync(scope: string, purpose: KeyPurpose): LoadedKey {
    const loaded = this.active.get(`${scope}/${purpose}`);
    if (!loaded) throw new KeyError(`no ${purpose} key prepared for scope ${scope}`);
    return loaded;
  }

  /** Encrypts text under the scope's active data key; `context` binds it to its column. */
  encrypt(scope: string, plaintext: string, context: string): string {
    const { id, key } = this.activeSync(scope, 'data');
    return `g1.${id}.${aead.seal(key, Buffer.from(plaintext, 'utf8'), context).toString('base64url')}`;
  }

  async decrypt(token: string, context: string): Promise<string> {
    const [version, id, body] = token.split('.');
    if (version !== 'g1' || id === undefined || body === undefined)
      throw new KeyError('not a Gapura ciphertext');
    return aead.open(await this.keyById(id), Buffer.from(body, 'base64url'), context).toString('utf8');
  }

  /** Encrypts bytes (an upload, a PDF) like {@link encrypt}: one version byte, the key id, the sealed body. */
  encryptBytes(scope: string, plaintext: Buffer, context: string): Buffer {
    const { id, key } = this.activeSync(scope, 'data');
    return Buffer.concat([Buffer.from([1]), Buffer.from(id, 'ascii'), aead.seal(key, plaintext, context)]);
  }

  async decryptBytes(sealed: Buffer, context: string): Promise<Buffer> {
    if (sealed[0] !== 1 || sealed.length < 1 + KEY_ID_LENGTH) throw new KeyError('not a Gapura ciphertext');
    const id = sealed.subarray(1, 1 + KEY_ID_LENGTH).toString('ascii');
    return aead.open(await this.keyById(id), sealed.subarray(1 + KEY_ID_LENGTH), context);
  }

  /** A keyed name for content (HMAC-SHA256 under the scope's blind-index key), e.g. an upload's name. */
  contentName(scope: string, content: Buffer): string {
    const { key } = this.activeSync(scope, 'blind');
    return createHmac('sha256', key).update('content\0').update(content).digest('base64url');
  }

  private async keyById(id: string): Promise<Buffer> {
    const loaded = this.byId.get(id);
    if (loaded) return loaded.key;
    let pending = this.unwrapping.get(id);
    if (!pending) {
      pending = this.loadById(id).finally(() => this.unwrapping.delete(id));
      this.unwrapping.set(id, pending);
    }
    return (await pending).key;
  }

  private async loadById(id: string): Promise<LoadedKey> {
    const row = await this.db
      .selectFrom('data_keys')
      .select(['id', 'wrapped'])
      .where('id', '=', id)
      // A ciphertext can name any id: a stored secret must never serve as an encryption key.
      .where('purpose', 'not like', `${SECRET_PURPOSE_PREFIX}%`)
      .executeTakeFirst();
    if (!row) throw new KeyError(`unknown key ${id}`);
    return this.unwrapDataKey(row.id, Buffer.from(row.wrapped));
  }

  /** A deterministic keyed index of a normalised value, for equality lookups. */
  blindIndex(scope: string, kind: string, normalised: string): string {
    const { key } = this.activeSync(scope, 'blind');
    return createHmac('sha256', key).update(`${kind}\0${normalised}`).digest('base64url');
  }

  /** Seals a small secret (e.g. a signing key) directly with the key provider; `context` binds it to its row. */
  sealWithMaster(plaintext: Buffer, context: string): Promise<Buffer> {
    return ask(this.provider, `seal ${context}`, () => this.provider.wrap(plaintext, context));
  }

  /** Opens what {@link sealWithMaster} sealed with the same context. */
  async openWithMaster(sealed: Buffer, context: string): Promise<Buffer> {
    const { provider } = this;
    const plaintext = await unwrapWith(provider, sealed, context);
    if (plaintext === undefined)
      throw new KeyError(
        `the ${provider.keyName} cannot open ${context}: is ${provider.keySetting} the right key?`,
      );
    return plaintext;
  }

  /** The id of the scope's active key of a purpose; the scope must have been prepared. */
  activeKeyId(scope: string, purpose: KeyPurpose = 'data'): string {
    return this.activeSync(scope, purpose).id;
  }

  /**
   * Gives each scope a new active data key and retires the previous ones, which stay stored so
   * their ciphertexts keep decrypting. One transaction for all scopes; `alsoInside` runs in it
   * (to record the rotation with the keys). Blind-index keys are never rotated here: a new one
   * would make every stored index unfindable. Returns the new key id of each scope.
   */
  async rotateDataKeys(
    scopes: readonly string[],
    alsoInside?: (trx: Db) => Promise<void>,
  ): Promise<Map<string, string>> {
    const created = new Map<string, LoadedKey>();
    const fresh = new Map<string, LoadedKey & { wrapped: Buffer }>();
    for (const scope of scopes) fresh.set(scope, await this.newDataKey());
    const now = nowIso();
    await this.db.transaction().execute(async (trx) => {
      for (const [scope, { id, key, wrapped }] of fresh) {
        await trx
          .insertInto('data_keys')
          .values({
            id,
            scope,
            purpose: 'data',
            wrapped,
            is_demo: this.provider.isDemo ? 1 : 0,
            created_at: now,
          })
          .execute();
        await trx
          .updateTable('data_keys')
          .set({ retired_at: now })
          .where('scope', '=', scope)
          .where('purpose', '=', 'data')
          .where('retired_at', 'is', null)
          .where('id', '!=', id)
          .execute();
        created.set(scope, { id, key });
      }
      await alsoInside?.(trx);
    });
    // Only once committed may this keyring encrypt under the new keys.
    for (const [scope, loaded] of created) {
      this.byId.set(loaded.id, loaded);
      this.active.set(`${scope}/data`, loaded);
    }
    return new Map([...created].map(([scope, loaded]) => [scope, loaded.id]));
  }

  /**
   * Reloads the active keys this keyring has loaded, so a rotation made by another process (the
   * `gapura keys rotate` command) takes effect here without a restart.
   */
  async refreshActive(): Promise<void> {
    for (const cacheKey of [...this.active.keys()]) {
      const [scope, purpose] = cacheKey.split('/') as [string, KeyPurpose];
      const row = await this.db
        .selectFrom('data_keys')
        .select(['id', 'wrapped'])
        .where('scope', '=', scope)
        .where('purpose', '=', purpose)
        .where('retired_at', 'is', null)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!row || row.id === this.active.get(cacheKey)?.id) continue;
      this.active.set(
        cacheKey,
        this.byId.get(row.id) ?? (await this.unwrapDataKey(row.id, Buffer.from(row.wrapped))),
      );
    }
  }

  /**
   * Re-seals something sealed by this keyring's key provider (a wrapped data key, a signing key)
   * with `next`, so the key-encryption key can be replaced (a new master key file, or a move to a
   * KMS). Returns undefined when `next` already sealed it, which makes an interrupted re-wrap safe
   * to run again.
   */
  async resealForMaster(sealed: Buffer, context: string, next: KeyProvider): Promise<Buffer | undefined> {
    const plaintext = await unwrapWith(this.provider, sealed, context);
    if (plaintext !== undefined) return ask(next, `seal ${context}`, () => next.wrap(plaintext, context));
    if ((await unwrapWith(next, sealed, context)) !== undefined) return undefined;
    const current = this.provider.keyName;
    const neither =
      current === next.keyName
        ? `the current nor the new ${current}`
        : `the current ${current} nor the new ${next.keyName}`;
    throw new KeyError(`neither ${neither} can open ${context}`);
  }

  /**
   * The platform's secret for one named purpose (e.g. CSRF tokens): first derived by the key
   * provider, then stored, so it stays the same when the key provider changes.
   */
  derivedSecret(purpose: DerivedSecretPurpose): Buffer {
    const secret = this.secrets.get(purpose);
    if (!secret) throw new KeyError(`no ${purpose} secret loaded: prepare the keyring first`);
    return secret;
  }
}

/** The key id a ciphertext of {@link Keyring.encrypt} or {@link Keyring.encryptBytes} names. */
export function keyIdOf(ciphertext: string | Buffer): string | undefined {
  if (typeof ciphertext === 'string') {
    const [version, id] = ciphertext.split('.', 2);
    return version === 'g1' && id?.length === KEY_ID_LENGTH ? id : undefined;
  }
  if (ciphertext[0] !== 1 || ciphertext.length < 1 + KEY_ID_LENGTH) return undefined;
  return ciphertext.subarray(1, 1 + KEY_ID_LENGTH).toString('ascii');
}

/** The first characters of every text ciphertext under a key: lets SQL find them by prefix. */
export function textCiphertextPrefix(keyId: string): string {
  return `g1.${keyId}.`;
}

/** The first bytes of every byte ciphertext under a key. */
export function bytesCiphertextPrefix(keyId: string): Buffer {
  return Buffer.concat([Buffer.from([1]), Buffer.from(keyId, 'ascii')]);
}
