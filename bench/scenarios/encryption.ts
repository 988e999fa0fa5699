/**
 * What encryption at rest costs on the submit path: the same filing (`fileApplication`, in
 * process, no HTTP) with the real keyring and with one that only encodes, in the same run.
 */

import { createLogger, openContext } from '../../src/app.ts';
import { fileApplication } from '../../src/applications/service.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Keyring } from '../../src/crypto/keyring.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { Principal } from '../../src/identity/roles.ts';
import { findUserIdByEmail } from '../../src/identity/service.ts';
import { pindahAnswers } from '../../test/fixtures/catalog-definitions.ts';
import { type BenchOptions, type BenchRow, newStore, removeStore, type Scenario } from '../lib.ts';
import { SERVICE } from './submit.ts';

const CITIZEN_EMAIL = 'budi.santoso@warga.sukamaju.example';

/**
 * The real keyring with text values merely encoded, never encrypted: only for measuring what the
 * encryption costs, and never used by the application. Everything else (keys, blind indexes,
 * decryption of what the demo seed encrypted) is the real keyring's.
 */
function encodingOnly(keyring: Keyring): Keyring {
  return new Proxy(keyring, {
    get(target, property) {
      if (property === 'encrypt')
        return (_scope: string, plaintext: string) =>
          `p1.${Buffer.from(plaintext, 'utf8').toString('base64url')}`;
      if (property === 'decrypt')
        return async (token: string, context: string) =>
          token.startsWith('p1.')
            ? Buffer.from(token.slice(3), 'base64url').toString('utf8')
            : target.decrypt(token, context);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function filingsPerSecond(
  run: (i: number) => Promise<unknown>,
  seconds: number,
): Promise<{ perSecond: number; count: number }> {
  for (let i = 0; i < 20; i++) await run(-1 - i);
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) await run(count++);
  return { perSecond: count / ((performance.now() - start) / 1000), count };
}

export const encryptionScenario: Scenario = {
  name: 'encryption',
  async run(options: BenchOptions): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const seconds = options.quick ? 2 : 8;
    for (const engine of options.engines) {
      const store = await newStore(engine, options.databaseUrl);
      const config = loadConfig({ ...store.env, LOG_LEVEL: 'silent', GAPURA_MODE: 'demo' });
      const opened = await openContext(config, createLogger(config));
      try {
        await seedDemo(opened.ctx);
        const userId = await findUserIdByEmail(opened.ctx, CITIZEN_EMAIL);
        if (!userId) throw new Error('the demo seed is missing');
        const citizen: Principal = { userId, kind: 'citizen', sessionId: null, grants: [] };
        const file = (ctx: typeof opened.ctx, tag: string) => (i: number) =>
          fileApplication(ctx, citizen, SERVICE, pindahAnswers(), {
            consent: true,
            lang: 'id',
            idempotencyKey: `bench-${tag}-${i}`,
          });
        const encrypted = await filingsPerSecond(file(opened.ctx, 'enc'), seconds);
        const plainCtx = { ...opened.ctx, keyring: encodingOnly(opened.ctx.keyring) };
        const encoded = await filingsPerSecond(file(plainCtx, 'plain'), seconds);
        rows.push({
          scenario:
            'Cost of encryption at rest on the submit path (in process, no HTTP): filings/s with AES-256-GCM vs the same filings with values only encoded',
          engine,
          figure: 'filings/s encrypted',
          value: Math.round(encrypted.perSecond),
          unit: 'filings/s',
          baseline: Math.round(encoded.perSecond),
          ratio: encrypted.perSecond / encoded.perSecond,
          note: `${Math.round((1 - encrypted.perSecond / encoded.perSecond) * 100)} % of the filing rate goes to encryption (${encrypted.count} and ${encoded.count} filings)`,
        });
      } finally {
        await opened.handle.close();
        await removeStore(store, options.databaseUrl);
      }
    }
    return rows;
  },
};
