import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyProvider, TestHsm } from '../../test/fixtures/hsm-key-provider.ts';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
} from '../../test/helpers/engines.ts';
import { ROOT, runCli } from '../../test/helpers/process.ts';
import type { Opened } from '../app.ts';
import { headSignatureProblem, publishedKeys, signHead } from '../audit/signing.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { nowIso } from '../db/ids.ts';
import { KeyError } from './errors.ts';
import { type KeyProvider, loadKeyProvider } from './key-provider.ts';
import { DERIVED_SECRET_PURPOSES, Keyring, PLATFORM_SCOPE } from './keyring.ts';
import { createMasterKeyFile, loadOrCreateMasterKey, readMasterKeyFile } from './master-key-file.ts';
import { rewrapKeys } from './rotate.ts';

const HSM_MODULE = path.join(ROOT, 'test/fixtures/hsm-key-provider.ts');
const NO_FACTORY_MODULE = path.join(ROOT, 'test/fixtures/key-provider-without-factory.ts');
const HSM_SECRET = 'hsm-test-secret-1';
const HSM_ENV = { GAPURA_KEY_PROVIDER: `module:${HSM_MODULE}`, TEST_HSM_SECRET: HSM_SECRET };

/** What the key bytes of a master key file are, read the way an operator would. */
function keyBytesOf(file: string): Buffer {
  return Buffer.from(readFileSync(file, 'utf8').split('\n')[1] ?? '', 'base64');
}

describe('the master key file provider', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gapura-key-file-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a demo key readable only by its owner, and reading the file gives the same key', async () => {
    const file = path.join(dir, 'demo.key');
    const created = loadOrCreateMasterKey(file, true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('gapura-master-key v1 demo');
    expect(created.isDemo).toBe(true);
    const read = readMasterKeyFile(file);
    expect(read.isDemo).toBe(true);
    const secret = randomBytes(32);
    expect(await read.unwrap(await created.wrap(secret, 'data-key:x'), 'data-key:x')).toEqual(secret);
    expect(await read.deriveSecret('csrf')).toEqual(await created.deriveSecret('csrf'));
  });

  it('keeps the stored layout: AES-256-GCM (IV, tag, body) with the context as associated data', async () => {
    const file = path.join(dir, 'layout.key');
    const provider = createMasterKeyFile(file, false);
    expect(provider.isDemo).toBe(false);
    const key = keyBytesOf(file);
    const secret = randomBytes(32);

    // Sealed the way every existing database holds its data keys.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from('data-key:old'));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    const existing = Buffer.concat([iv, cipher.getAuthTag(), body]);
    expect(await provider.unwrap(existing, 'data-key:old')).toEqual(secret);

    const wrapped = await provider.wrap(secret, 'signing-key:new');
    const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from('signing-key:new'));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    expect(Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()])).toEqual(secret);

    // Derived secrets stay what they were, so sessions' CSRF tokens and stored API token hashes hold.
    expect(await provider.deriveSecret('api-token')).toEqual(
      createHmac('sha256', key).update('derived:api-token').digest(),
    );
  });

  it('does not open what another key or another context wrapped', async () => {
    const one = createMasterKeyFile(path.join(dir, 'one.key'), true);
    const other = createMasterKeyFile(path.join(dir, 'other.key'), true);
    const wrapped = await one.wrap(Buffer.from('secret'), 'data-key:a');
    expect(await other.unwrap(wrapped, 'data-key:a')).toBeUndefined();
    expect(await one.unwrap(wrapped, 'data-key:b')).toBeUndefined();
    expect(await one.unwrap(wrapped.subarray(0, 20), 'data-key:a')).toBeUndefined();
  });

  it('refuses a missing file outside demo mode and a file that is not a master key, as before', () => {
    const missing = path.join(dir, 'missing.key');
    expect(() => loadOrCreateMasterKey(missing, false)).toThrow(
      new KeyError(`master key file ${missing} does not exist`),
    );
    expect(existsSync(missing)).toBe(false);
    const wrong = path.join(dir, 'not-a-key.txt');
    writeFileSync(wrong, 'hello\n');
    expect(() => readMasterKeyFile(wrong)).toThrow(new KeyError(`${wrong} is not a Gapura master key file`));
  });
});

describe.each(ENGINES)('a keyring over the master key file', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
  });
  afterAll(() => fresh?.cleanup());

  it(onEngine(engine, 'refuses another master key with the message it always gave'), async () => {
    const first = await openTestContext(fresh);
    await first.handle.close();
    const otherFile = path.join(fresh.dataDir, 'other.key');
    createMasterKeyFile(otherFile, true);
    await expect(openTestContext(fresh, { GAPURA_MASTER_KEY_FILE: otherFile })).rejects.toThrow(
      /^the master key cannot unwrap data key [0-9a-f-]{36}: is GAPURA_MASTER_KEY_FILE the key this database was made with\?$/,
    );
  });
});

describe.each(ENGINES)('a key provider module (an HSM stand-in)', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh, HSM_ENV);
  });
  afterAll(async () => {
    await opened?.handle.close();
    await fresh?.cleanup();
  });

  it(onEngine(engine, 'wraps every data key and stored secret, and no master key file is made'), async () => {
    expect(opened.ctx.keyring.isDemo).toBe(false);
    expect(existsSync(path.join(fresh.dataDir, 'master.key'))).toBe(false);
    const rows = await opened.ctx.db.selectFrom('data_keys').select(['id', 'wrapped', 'is_demo']).execute();
    // The platform's data and blind-index keys, and one stored secret per purpose.
    expect(rows.map((r) => r.is_demo)).toEqual(Array(2 + DERIVED_SECRET_PURPOSES.length).fill(0));
    const hsm = createKeyProvider({ TEST_HSM_SECRET: HSM_SECRET });
    for (const row of rows) {
      const wrapped = Buffer.from(row.wrapped);
      expect(wrapped.subarray(0, 4).toString('ascii')).toBe('HSM1');
      expect((await hsm.unwrap(wrapped, `data-key:${row.id}`))?.length).toBe(32);
    }
  });

  it(
    onEngine(engine, 'encrypts and decrypts, and blind indexes and derived secrets survive a restart'),
    async () => {
      const { keyring } = opened.ctx;
      const token = keyring.encrypt(PLATFORM_SCOPE, 'Siti Rahayu', 'users.name');
      const bytes = keyring.encryptBytes(PLATFORM_SCOPE, Buffer.from('%PDF-1.7'), 'documents.pdf:1');
      const index = keyring.blindIndex(PLATFORM_SCOPE, 'email', 'siti@warga.example');
      expect(await keyring.decrypt(token, 'users.name')).toBe('Siti Rahayu');
      await expect(keyring.decrypt(token, 'users.email')).rejects.toThrow();

      const restarted = await openTestContext(fresh, HSM_ENV);
      try {
        const again = restarted.ctx.keyring;
        expect(await again.decrypt(token, 'users.name')).toBe('Siti Rahayu');
        expect((await again.decryptBytes(bytes, 'documents.pdf:1')).toString()).toBe('%PDF-1.7');
        expect(again.blindIndex(PLATFORM_SCOPE, 'email', 'siti@warga.example')).toBe(index);
        expect(again.blindIndex(PLATFORM_SCOPE, 'email', 'budi@warga.example')).not.toBe(index);
        expect(again.derivedSecret('csrf')).toEqual(keyring.derivedSecret('csrf'));
        expect(again.derivedSecret('csrf')).not.toEqual(again.derivedSecret('api-token'));
      } finally {
        await restarted.handle.close();
      }
    },
  );

  it(onEngine(engine, 'seals signing keys: signed tree heads verify'), async () => {
    const { db, keyring } = opened.ctx;
    const head = await signHead(db, keyring, 1, randomBytes(32), nowIso());
    expect(headSignatureProblem(head, await publishedKeys(db))).toBeUndefined();
    const row = await db
      .selectFrom('signing_keys')
      .select(['id', 'private_key_enc'])
      .where('id', '=', head.keyId)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(row.private_key_enc).subarray(0, 4).toString('ascii')).toBe('HSM1');
    await expect(
      keyring.openWithMaster(Buffer.from(row.private_key_enc), `signing-key:${row.id}`),
    ).resolves.toBeInstanceOf(Buffer);
    await expect(
      keyring.openWithMaster(Buffer.from(row.private_key_enc), 'signing-key:another'),
    ).rejects.toThrow(
      new KeyError('the HSM key cannot open signing-key:another: is TEST_HSM_SECRET the right key?'),
    );
  });

  it(
    onEngine(engine, 'asks the provider once for a key many decryptions need at the same time'),
    async () => {
      const token = opened.ctx.keyring.encrypt(PLATFORM_SCOPE, 'Budi', 'users.name');
      const hsm = new TestHsm(HSM_SECRET);
      const cold = await Keyring.open(opened.ctx.db, hsm);
      const names = await Promise.all(Array.from({ length: 5 }, () => cold.decrypt(token, 'users.name')));
      expect(names).toEqual(Array(5).fill('Budi'));
      expect(hsm.calls.unwrap).toBe(1);
      // The secrets are stored: preparing unwraps each once and derives none.
      await cold.prepare([]);
      expect(hsm.calls.unwrap).toBe(1 + DERIVED_SECRET_PURPOSES.length);
      expect(hsm.calls.deriveSecret).toBe(0);
      expect(cold.derivedSecret('api-token')).toEqual(opened.ctx.keyring.derivedSecret('api-token'));
    },
  );

  it(onEngine(engine, 'another HSM secret is refused with a message naming its setting'), async () => {
    await expect(openTestContext(fresh, { ...HSM_ENV, TEST_HSM_SECRET: 'another' })).rejects.toThrow(
      /^the HSM key cannot unwrap data key [0-9a-f-]{36}: is TEST_HSM_SECRET the key this database was made with\?$/,
    );
  });

  it(onEngine(engine, 'a provider that cannot be reached is told apart from a wrong key'), async () => {
    const offline: KeyProvider = {
      id: 'offline-kms',
      keyName: 'KMS key',
      keySetting: 'KMS_KEY_ID',
      isDemo: false,
      wrap: () => Promise.reject(new Error('connect ECONNREFUSED')),
      unwrap: () => Promise.reject(new Error('connect ECONNREFUSED')),
      deriveSecret: async () => randomBytes(32),
    };
    const keyring = await Keyring.open(opened.ctx.db, offline);
    const token = opened.ctx.keyring.encrypt(PLATFORM_SCOPE, 'Budi', 'users.name');
    await expect(keyring.decrypt(token, 'users.name')).rejects.toThrow(
      /^key provider offline-kms failed to open data-key:[0-9a-f-]{36}: connect ECONNREFUSED$/,
    );
    await expect(keyring.prepare([])).rejects.toThrow(
      /^key provider offline-kms failed to open data-key:[0-9a-f-]{36}: connect ECONNREFUSED$/,
    );
  });
});

describe.each(ENGINES)('moving from the master key file to a key provider module', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
  });
  afterAll(() => fresh?.cleanup());

  it(onEngine(engine, 'rewrapKeys re-wraps data and signing keys so the HSM opens everything'), async () => {
    const before = await openTestContext(fresh);
    let token: string;
    let index: string;
    let apiTokenSecret: Buffer;
    try {
      const { db, keyring } = before.ctx;
      token = keyring.encrypt(PLATFORM_SCOPE, 'Siti Rahayu', 'users.name');
      apiTokenSecret = keyring.derivedSecret('api-token');
      index = keyring.blindIndex(PLATFORM_SCOPE, 'nik', '3201010101010001');
      await signHead(db, keyring, 1, randomBytes(32), nowIso());
      const result = await rewrapKeys(db, keyring, createKeyProvider({ TEST_HSM_SECRET: HSM_SECRET }));
      // Data and blind-index keys, the stored secrets, and the signing key.
      expect(result).toEqual({ rewrapped: 2 + DERIVED_SECRET_PURPOSES.length + 1, already: 0 });
    } finally {
      await before.handle.close();
    }
    const after = await openTestContext(fresh, HSM_ENV);
    try {
      const { db, keyring } = after.ctx;
      expect(await keyring.decrypt(token, 'users.name')).toBe('Siti Rahayu');
      expect(keyring.blindIndex(PLATFORM_SCOPE, 'nik', '3201010101010001')).toBe(index);
      // API token hashes made under the master key file still verify: the secret moved with the keys.
      expect(keyring.derivedSecret('api-token')).toEqual(apiTokenSecret);
      expect(keyring.derivedSecret('api-token')).not.toEqual(
        await createKeyProvider({ TEST_HSM_SECRET: HSM_SECRET }).deriveSecret('api-token'),
      );
      const head = await signHead(db, keyring, 2, randomBytes(32), nowIso());
      expect(headSignatureProblem(head, await publishedKeys(db))).toBeUndefined();
    } finally {
      await after.handle.close();
    }
  });
});

describe('choosing the key provider', () => {
  const base = { GAPURA_DATA_DIR: path.join(tmpdir(), 'gapura-unused'), LOG_LEVEL: 'silent' };
  const problemsOf = (env: Record<string, string>): string => {
    try {
      loadConfig({ ...base, ...env }, { checkDirectories: false });
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    return '';
  };

  it('is the master key file unless GAPURA_KEY_PROVIDER names a module by its absolute path', () => {
    expect(loadConfig(base, { checkDirectories: false }).keyProvider).toEqual({ kind: 'file' });
    expect(
      loadConfig({ ...base, GAPURA_KEY_PROVIDER: 'file' }, { checkDirectories: false }).keyProvider,
    ).toEqual({ kind: 'file' });
    const chosen = loadConfig({ ...base, ...HSM_ENV }, { checkDirectories: false }).keyProvider;
    expect(chosen.kind === 'module' && chosen.path).toBe(HSM_MODULE);
    expect(chosen.kind === 'module' && chosen.env.TEST_HSM_SECRET).toBe(HSM_SECRET);
  });

  it('refuses anything else, saying what is expected', () => {
    expect(problemsOf({ GAPURA_KEY_PROVIDER: 'kms' })).toBe(
      'GAPURA_KEY_PROVIDER: must be "file" or "module:/absolute/path/to/provider.js", got "kms"',
    );
    expect(problemsOf({ GAPURA_KEY_PROVIDER: 'module:provider.js' })).toBe(
      'GAPURA_KEY_PROVIDER: must name an absolute path after "module:", got "module:provider.js"',
    );
    const missing = path.join(ROOT, 'test/fixtures/no-such-provider.js');
    expect(problemsOf({ GAPURA_KEY_PROVIDER: `module:${missing}` })).toBe(
      `GAPURA_KEY_PROVIDER: names ${missing}, which is not a file`,
    );
  });

  it('production mode needs no master key file when a module provides the key', () => {
    const production = { GAPURA_MODE: 'production', PUBLIC_URL: 'https://gapura.sukamaju.example' };
    expect(problemsOf(production)).toMatch(/GAPURA_MASTER_KEY_FILE: .* does not exist/);
    expect(problemsOf({ ...production, ...HSM_ENV })).toBe('');
  });

  it('a module without the factory, or whose factory fails, is refused with a clear error', async () => {
    const settings = { masterKeyFile: path.join(tmpdir(), 'unused.key'), mode: 'demo' as const };
    await expect(
      loadKeyProvider({ ...settings, keyProvider: { kind: 'module', path: NO_FACTORY_MODULE, env: {} } }),
    ).rejects.toThrow(
      new KeyError(
        `key provider module ${NO_FACTORY_MODULE} does not export a function createKeyProvider(env) returning a key provider`,
      ),
    );
    await expect(
      loadKeyProvider({ ...settings, keyProvider: { kind: 'module', path: HSM_MODULE, env: {} } }),
    ).rejects.toThrow(new KeyError(`createKeyProvider of ${HSM_MODULE} failed: TEST_HSM_SECRET is not set`));
    expect(existsSync(settings.masterKeyFile)).toBe(false);
  });
});

describe('the gapura command with a key provider module', () => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase('sqlite');
  });
  afterAll(() => fresh?.cleanup());

  it('runs with the module, and stops with a key error when the module has no factory', async () => {
    expect(runCli(['migrate'], { ...fresh.env, ...HSM_ENV }).status).toBe(0);
    expect(existsSync(path.join(fresh.dataDir, 'master.key'))).toBe(false);
    const opened = await openTestContext(fresh, HSM_ENV);
    try {
      const rows = await opened.ctx.db.selectFrom('data_keys').select('wrapped').execute();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(Buffer.from(row.wrapped).subarray(0, 4).toString('ascii')).toBe('HSM1');
    } finally {
      await opened.handle.close();
    }

    const refused = runCli(['migrate'], { ...fresh.env, GAPURA_KEY_PROVIDER: `module:${NO_FACTORY_MODULE}` });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      `gapura: key error: key provider module ${NO_FACTORY_MODULE} does not export a function createKeyProvider(env) returning a key provider\n`,
    );
  });
});
