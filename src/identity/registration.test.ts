import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
} from '../../test/helpers/engines.ts';
import { setCookies } from '../../test/helpers/http.ts';
import type { Opened } from '../app.ts';
import { listDemoMailbox } from '../notifications/delivery.ts';
import { outboxHandlers } from '../outbox/handlers.ts';
import { OutboxWorker } from '../outbox/worker.ts';
import { type App, buildServer } from '../web/server.ts';

// A synthetic NIK: Jawa Tengah (33), Kota Salatiga (73), district 04, a woman born 12-05-1990, serial 0001.
const NIK = '3373045205900001';

describe.each(ENGINES)('citizen registration and recovery', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let ip = 0;
  const post = (url: string, payload: object, cookie?: string) =>
    app.inject({
      method: 'POST',
      url,
      payload,
      remoteAddress: `10.9.0.${++ip % 250}`,
      ...(cookie ? { cookies: { gapura_session: cookie } } : {}),
    });

  /** Delivers queued messages and returns the newest 6-digit code sent to `to`. */
  async function lastCodeSentTo(to: string): Promise<string | undefined> {
    await new OutboxWorker(opened.ctx, outboxHandlers(opened.ctx), { intervalMs: 10 }).runOnce();
    const mail = (await listDemoMailbox(opened.ctx)).filter((m) => m.to === to);
    return mail[0]?.body.match(/\b(\d{6})\b/)?.[1];
  }

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    app = await buildServer(opened.ctx);
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(onEngine(engine, 'registers with e-mail, activates with the code, then signs in'), async () => {
    const email = 'sari.wulandari@warga.sukamaju.example';
    const registered = await post('/api/v1/auth/register', {
      contact: email,
      name: 'Sari Wulandari',
      password: 'kata-sandi-panjang',
      nik: NIK,
    });
    expect(registered.statusCode).toBe(202);
    const early = await post('/api/v1/auth/signin', { contact: email, password: 'kata-sandi-panjang' });
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe('auth.unverified');
    const wrongPassword = await post('/api/v1/auth/signin', { contact: email, password: 'not-the-password' });
    expect(wrongPassword.json().error.code).toBe('auth.invalid_credentials');
    const code = await lastCodeSentTo(email);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await post('/api/v1/auth/verify', {
      contact: email,
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('auth.invalid_code');
    const verified = await post('/api/v1/auth/verify', { contact: email, code });
    expect(verified.statusCode).toBe(204);
    const me = await app.inject({
      url: '/api/v1/me',
      cookies: { gapura_session: setCookies(verified).gapura_session ?? '' },
    });
    expect(me.json()).toMatchObject({ kind: 'citizen', name: 'Sari Wulandari' });
    expect((await post('/api/v1/auth/verify', { contact: email, code })).statusCode).toBe(400);
    expect(
      (await post('/api/v1/auth/signin', { contact: email, password: 'kata-sandi-panjang' })).statusCode,
    ).toBe(200);
  });

  it(
    onEngine(engine, 'answers the same for a contact that is already registered, and sends no new code'),
    async () => {
      const email = 'sari.wulandari@warga.sukamaju.example';
      const before = (await listDemoMailbox(opened.ctx)).length;
      const again = await post('/api/v1/auth/register', {
        contact: email,
        name: 'Someone Else',
        password: 'another-password',
      });
      const fresh2 = await post('/api/v1/auth/register', {
        contact: 'new.person@warga.sukamaju.example',
        name: 'Dimas Pratama',
        password: 'another-password',
      });
      expect(again.statusCode).toBe(202);
      expect(again.json()).toEqual(fresh2.json());
      await lastCodeSentTo('x');
      const after = await listDemoMailbox(opened.ctx);
      expect(after.length).toBe(before + 1);
      expect(after.some((m) => m.to === 'new.person@warga.sukamaju.example')).toBe(true);
    },
  );

  it(
    onEngine(engine, 'reports every field problem at once, and a NIK that is already registered'),
    async () => {
      const bad = await post('/api/v1/auth/register', {
        contact: 'not-an-address',
        name: 'X',
        password: 'short',
        nik: '3373041305900000',
      });
      expect(bad.statusCode).toBe(400);
      const fields = bad
        .json()
        .error.details.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`);
      expect(fields).toEqual([
        'contact:contact.invalid',
        'name:name.length',
        'password:password.length',
        'nik:nik.serial',
      ]);
      const duplicate = await post('/api/v1/auth/register', {
        contact: 'other@warga.sukamaju.example',
        name: 'Rudi Hartono',
        password: 'kata-sandi-panjang',
        nik: NIK,
      });
      expect(duplicate.json().error.details.fields).toEqual([
        expect.objectContaining({ field: 'nik', code: 'nik.in_use' }),
      ]);
      const stored = await opened.ctx.db
        .selectFrom('users')
        .select(['nik_enc', 'nik_bidx'])
        .where('nik_bidx', 'is not', null)
        .execute();
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(NIK);
    },
  );

  it(onEngine(engine, 'registers with a mobile number; the code goes by SMS'), async () => {
    const registered = await post('/api/v1/auth/register', {
      contact: '0812-3456-7001',
      name: 'Wayan Sudarma',
      password: 'kata-sandi-panjang',
    });
    expect(registered.statusCode).toBe(202);
    const code = await lastCodeSentTo('+6281234567001');
    const sms = (await listDemoMailbox(opened.ctx)).find((m) => m.to === '+6281234567001');
    expect(sms?.channel).toBe('sms');
    expect((await post('/api/v1/auth/verify', { contact: '+62 812 3456 7001', code })).statusCode).toBe(204);
    expect(
      (await post('/api/v1/auth/signin', { contact: '081234567001', password: 'kata-sandi-panjang' }))
        .statusCode,
    ).toBe(200);
  });

  it(onEngine(engine, 'recovers a password with a code, signing the account out everywhere'), async () => {
    const email = 'sari.wulandari@warga.sukamaju.example';
    const session =
      setCookies(await post('/api/v1/auth/signin', { contact: email, password: 'kata-sandi-panjang' }))
        .gapura_session ?? '';
    expect((await app.inject({ url: '/api/v1/me', cookies: { gapura_session: session } })).statusCode).toBe(
      200,
    );
    const unknown = await post('/api/v1/auth/recover', { contact: 'nobody@warga.sukamaju.example' });
    const known = await post('/api/v1/auth/recover', { contact: email });
    expect(known.statusCode).toBe(202);
    expect(unknown.json()).toEqual(known.json());
    const code = await lastCodeSentTo(email);
    const tooShort = await post('/api/v1/auth/recover/confirm', { contact: email, code, password: 'short' });
    expect(tooShort.statusCode).toBe(400);
    const done = await post('/api/v1/auth/recover/confirm', {
      contact: email,
      code,
      password: 'kata-sandi-baru-2026',
    });
    expect(done.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/me', cookies: { gapura_session: session } })).statusCode).toBe(
      401,
    );
    expect(
      (await post('/api/v1/auth/signin', { contact: email, password: 'kata-sandi-panjang' })).statusCode,
    ).toBe(401);
    expect(
      (await post('/api/v1/auth/signin', { contact: email, password: 'kata-sandi-baru-2026' })).statusCode,
    ).toBe(200);
    expect(
      (await post('/api/v1/auth/recover/confirm', { contact: email, code, password: 'yet-another-one' }))
        .statusCode,
    ).toBe(400);
  });

  it(onEngine(engine, 'limits wrong codes per account'), async () => {
    const contact = 'new.person@warga.sukamaju.example';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await post('/api/v1/auth/verify', { contact, code: `99999${i}` })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(statuses[5]).toBe(429);
  });
});
