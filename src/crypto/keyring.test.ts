import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
  testConfig,
} from '../../test/helpers/engines.ts';
import { ProductionRefused } from '../app.ts';
import type { Db } from '../db/database.ts';
import type { KeyProvider } from './key-provider.ts';
import { DERIVED_SECRET_PURPOSES, Keyring, PLATFORM_SCOPE } from './keyring.ts';
import { createMasterKeyFile, readMasterKeyFile } from './master-key-file.ts';

/** What the master key file derived for a purpose before secrets were stored, computed from its bytes. */
function derivedFromFile(file: string, purpose: string): Buffer {
  const key = Buffer.from(readFileSync(file, 'utf8').split('\n')[1] ?? '', 'base64');
  return createHmac('sha256', key).update(`derived:${purpose}`).digest();
}

async function secretRows(db: Db) {
  return db
    .selectFrom('data_keys')
    .select(['id', 'scope', 'purpose', 'wrapped', 'retired_at'])
    .where('purpose', 'like', 'secret:%')
    .orderBy('purpose')
    .execute();
}

/** The database as it was before secrets were stored: data and blind-index keys only. */
async function forgetStoredSecrets(db: Db): Promise<void> {
  await db.deleteFrom('data_keys').where('purpose', 'like', 'secret:%').execute();
}

/**
 * Lets two callers through only together: the n-th call of a kind by one waits for the n-th call of
 * the same kind by the other, so both have read the table before either writes to it.
 */
function rendezvous(): (call: string) => Promise<void> {
  const meetings = new Map<string, { arrived: number; all: Promise<void>; release: () => void }>();
  return (call) => {
    let meeting = meetings.get(call);
    if (!meeting) {
      let release = () => {};
      const all = new Promise<void>((resolve) => {
        release = resolve;
      });
      meeting = { arrived: 0, all, release };
      meetings.set(call, meeting);
    }
    meeting.arrived++;
    if (meeting.arrived === 2) meeting.release();
    return meeting.all;
  };
}

/**
 * A process starting over the same master key as `base`, whose wraps and derivations wait for the
 * other racer's; `derive` lets the two derive different secrets, so that a split would show.
 */
function racer(
  base: KeyProvider,
  meet: (call: string) => Promise<void>,
  derive: (purpose: string) => Buffer,
) {
  const calls = { wrap: 0, deriveSecret: 0 };
  const provider: KeyProvider = {
    id: base.id,
    keyName: base.keyName,
    keySetting: base.keySetting,
    isDemo: base.isDemo,
    async wrap(plaintext, context) {
      calls.wrap++;
      await meet(`wrap ${calls.wrap}`);
      return base.wrap(plaintext, context);
    },
    unwrap: (wrapped, context) => base.unwrap(wrapped, context),
    async deriveSecret(purpose) {
      calls.deriveSecret++;
      await meet(`derive ${calls.deriveSecret}`);
      return derive(purpose);
    },
  };
  return { provider, calls };
}

describe.each(ENGINES)("the keyring's stored secrets", (engine) => {
  let fresh: FreshDatabase;
  let masterKeyFile: string;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    masterKeyFile = testConfig(fresh).masterKeyFile;
  });
  afterAll(() => fresh?.cleanup());

  it(
    onEngine(engine, 'a database made before secrets were stored keeps the secrets it had, stored once'),
    async () => {
      const first = await openTestContext(fresh);
      try {
        const rows = await secretRows(first.ctx.db);
        expect(rows.map((r) => [r.scope, r.purpose, r.retired_at])).toEqual(
          [...DERIVED_SECRET_PURPOSES].sort().map((p) => [PLATFORM_SCOPE, `secret:${p}`, null]),
        );
        await forgetStoredSecrets(first.ctx.db);
      } finally {
        await first.handle.close();
      }

      // Started again over the database as it was: the secrets are what the master key derived.
      const again = await openTestContext(fresh);
      try {
        const { db, keyring } = again.ctx;
        for (const purpose of DERIVED_SECRET_PURPOSES)
          expect(keyring.derivedSecret(purpose), purpose).toEqual(derivedFromFile(masterKeyFile, purpose));
        expect(keyring.derivedSecret('csrf')).not.toEqual(keyring.derivedSecret('api-token'));
        const rows = await secretRows(db);
        expect(rows).toHaveLength(DERIVED_SECRET_PURPOSES.length);
        // Stored wrapped, never in the clear.
        for (const purpose of DERIVED_SECRET_PURPOSES) {
          const row = rows.find((r) => r.purpose === `secret:${purpose}`);
          expect(Buffer.from(row?.wrapped ?? []).length, purpose).toBeGreaterThan(32);
          expect(
            Buffer.from(row?.wrapped ?? []).includes(keyring.derivedSecret(purpose).subarray(0, 16)),
          ).toBe(false);
        }

        // A ciphertext naming a stored secret's id is not decrypted with it.
        const csrfRow = rows.find((r) => r.purpose === 'secret:csrf');
        await expect(
          keyring.decrypt(`g1.${csrfRow?.id}.${randomBytes(40).toString('base64url')}`, 'users.name'),
        ).rejects.toThrow(`unknown key ${csrfRow?.id}`);
      } finally {
        await again.handle.close();
      }

      // Later starts read the stored rows and leave them as they are.
      const third = await openTestContext(fresh);
      try {
        expect(third.ctx.keyring.derivedSecret('api-token')).toEqual(
          derivedFromFile(masterKeyFile, 'api-token'),
        );
        const rows = await secretRows(third.ctx.db);
        expect(rows).toHaveLength(DERIVED_SECRET_PURPOSES.length);
      } finally {
        await third.handle.close();
      }
    },
  );

  it(
    onEngine(engine, 'two processes storing the secrets and a first key at once agree on one of each'),
    async () => {
      const one = await openTestContext(fresh);
      const two = await openTestContext(fresh);
      try {
        await forgetStoredSecrets(one.ctx.db);
        const base = readMasterKeyFile(masterKeyFile);
        const meet = rendezvous();
        const a = racer(base, meet, (purpose) => createHmac('sha256', 'process a').update(purpose).digest());
        const b = racer(base, meet, (purpose) => createHmac('sha256', 'process b').update(purpose).digest());
        const ringA = await Keyring.open(one.ctx.db, a.provider);
        const ringB = await Keyring.open(two.ctx.db, b.provider);
        const scope = 'agency-created-meanwhile';
        await Promise.all([ringA.prepare([scope]), ringB.prepare([scope])]);

        // Both found no row, derived and wrapped their own, and tried to store it.
        expect(a.calls.deriveSecret).toBe(DERIVED_SECRET_PURPOSES.length);
        expect(b.calls.deriveSecret).toBe(DERIVED_SECRET_PURPOSES.length);
        for (const purpose of DERIVED_SECRET_PURPOSES)
          expect(ringA.derivedSecret(purpose), purpose).toEqual(ringB.derivedSecret(purpose));
        expect(await secretRows(one.ctx.db)).toHaveLength(DERIVED_SECRET_PURPOSES.length);

        expect(ringA.activeKeyId(scope, 'data')).toBe(ringB.activeKeyId(scope, 'data'));
        expect(ringA.blindIndex(scope, 'nik', '3201010101010001')).toBe(
          ringB.blindIndex(scope, 'nik', '3201010101010001'),
        );
        const keys = await one.ctx.db
          .selectFrom('data_keys')
          .select('purpose')
          .where('scope', '=', scope)
          .orderBy('purpose')
          .execute();
        expect(keys.map((k) => k.purpose)).toEqual(['blind', 'data']);
        const sealed = ringA.encrypt(scope, 'Siti Rahayu', 'users.name');
        expect(await ringB.decrypt(sealed, 'users.name')).toBe('Siti Rahayu');
      } finally {
        await two.handle.close();
        await one.handle.close();
      }
    },
  );

  it(onEngine(engine, 'a secret shorter than 32 bytes is refused and not stored'), async () => {
    const opened = await openTestContext(fresh);
    try {
      await forgetStoredSecrets(opened.ctx.db);
      const base = readMasterKeyFile(masterKeyFile);
      const short: KeyProvider = {
        id: 'short-kms',
        keyName: base.keyName,
        keySetting: base.keySetting,
        isDemo: base.isDemo,
        wrap: (plaintext, context) => base.wrap(plaintext, context),
        unwrap: (wrapped, context) => base.unwrap(wrapped, context),
        deriveSecret: async () => Buffer.alloc(8),
      };
      const keyring = await Keyring.open(opened.ctx.db, short);
      await expect(keyring.prepare([])).rejects.toThrow(
        'key provider short-kms derived a csrf secret shorter than 32 bytes',
      );
      expect(() => keyring.derivedSecret('csrf')).toThrow('no csrf secret loaded: prepare the keyring first');
      expect(await secretRows(opened.ctx.db)).toEqual([]);
    } finally {
      await opened.handle.close();
    }
  });
});

describe.each(ENGINES)('production mode with a demo key', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
  });
  afterAll(() => fresh?.cleanup());

  it(onEngine(engine, 'is refused, naming the key, and stores nothing the demo key wrapped'), async () => {
    const demoKey = path.join(fresh.dataDir, 'demo.key');
    createMasterKeyFile(demoKey, true);
    const refused = openTestContext(fresh, {
      GAPURA_MODE: 'production',
      PUBLIC_URL: 'https://gapura.sukamaju.example',
      GAPURA_MASTER_KEY_FILE: demoKey,
    });
    await expect(refused).rejects.toThrow(ProductionRefused);
    await expect(refused).rejects.toThrow(
      'the master key (GAPURA_MASTER_KEY_FILE) is a demo key: use a production key (for a master key file, "gapura keys init" creates one)',
    );
    // With a production key the same database then starts: no row wrapped by the demo key is left.
    const productionKey = path.join(fresh.dataDir, 'production.key');
    createMasterKeyFile(productionKey, false);
    const opened = await openTestContext(fresh, { GAPURA_MASTER_KEY_FILE: productionKey });
    try {
      expect(opened.ctx.keyring.derivedSecret('csrf')).toEqual(derivedFromFile(productionKey, 'csrf'));
      const demoRows = await opened.ctx.db
        .selectFrom('data_keys')
        .select('id')
        .where('is_demo', '=', 1)
        .execute();
      expect(demoRows).toEqual([]);
    } finally {
      await opened.handle.close();
    }
  });
});
