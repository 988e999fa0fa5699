import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import { createUser, findUserIdByEmail, totpSecretOf } from '../src/identity/service.ts';
import { currentTotp } from '../src/identity/totp.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { apiSignIn, setCookies } from './helpers/http.ts';
import { unusedTotp } from './helpers/totp.ts';

describe.each(ENGINES)('HTTP server', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let accounts: DemoAccount[];
  const account = (role: DemoAccount['role'], agency: string | null = null) => {
    const found = accounts.find((a) => a.role === role && (agency === null || a.agencySlug === agency));
    if (!found) throw new Error(`no demo ${role}`);
    return found;
  };

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(
    onEngine(engine, 'reports health, and readiness with the engine and no pending migrations'),
    async () => {
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', database: engine, pendingMigrations: [] });
    },
  );

  it(onEngine(engine, 'lists the demo agencies with their units'), async () => {
    const response = await app.inject('/api/v1/agencies');
    const items = response.json<{ items: { slug: string; units: unknown[] }[] }>().items;
    expect(items.map((a) => a.slug).sort()).toEqual(['dinsos', 'disdukcapil', 'dpmptsp']);
    expect(items.every((a) => a.units.length === 2)).toBe(true);
  });

  it(onEngine(engine, 'serves an OpenAPI 3.1 document generated from the route schemas'), async () => {
    const doc = (await app.inject('/api/openapi.json')).json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/agencies', '/api/v1/auth/signin', '/readyz']),
    );
    expect(Object.keys(doc.paths)).not.toContain('/signin');
  });

  it(
    onEngine(engine, 'answers API errors with the JSON error shape and pages with an HTML page'),
    async () => {
      const api = await app.inject('/api/v1/nothing-here');
      expect(api.statusCode).toBe(404);
      expect(api.json()).toEqual({ error: { code: 'not_found', message: expect.any(String), details: {} } });
      const page = await app.inject({ url: '/nothing-here', headers: { 'accept-language': 'en' } });
      expect(page.statusCode).toBe(404);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('does not exist');
      const malformed = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signin',
        headers: { 'content-type': 'application/json' },
        payload: '{"email": ',
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.code).toBe('request.invalid');
      const wrongType = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signin',
        headers: { 'content-type': 'text/plain' },
        payload: 'email=a',
      });
      expect(wrongType.statusCode).toBe(415);
      expect(wrongType.json().error.code).toBe('request.unsupported_type');
      const huge = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signin',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(huge.statusCode).toBe(413);
      expect(huge.json().error.code).toBe('request.too_large');
    },
  );

  it(onEngine(engine, 'compresses pages and styles for browsers that accept it, and only then'), async () => {
    for (const url of ['/', '/static/gapura.css']) {
      const plain = await app.inject({ url });
      expect(plain.headers['content-encoding']).toBeUndefined();
      for (const [encoding, inflate] of [
        ['br', brotliDecompressSync],
        ['gzip', gunzipSync],
      ] as const) {
        const packed = await app.inject({ url, headers: { 'accept-encoding': encoding } });
        expect(packed.headers['content-encoding'], `${url} ${encoding}`).toBe(encoding);
        expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
        expect(inflate(packed.rawPayload).toString('utf8')).toBe(plain.body);
      }
    }
  });

  it(onEngine(engine, 'sends security headers on every response'), async () => {
    const response = await app.inject('/');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it(onEngine(engine, 'shows the demo banner and honours the language choice'), async () => {
    const id = await app.inject('/');
    expect(id.body).toContain('<html lang="id">');
    expect(id.body).toContain('DEMO');
    const en = await app.inject({ url: '/', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.body).toContain('<html lang="en">');
    const chosen = await app.inject({
      url: '/',
      headers: { 'accept-language': 'en' },
      cookies: { gapura_lang: 'id' },
    });
    expect(chosen.body).toContain('<html lang="id">');
  });

  it(onEngine(engine, 'signs a citizen in with a session cookie and out again'), async () => {
    const citizen = account('citizen');
    const session = await apiSignIn(app, opened, citizen.email, citizen.password);
    const me = await app.inject({ url: '/api/v1/me', cookies: { gapura_session: session.cookie } });
    expect(me.json()).toMatchObject({ kind: 'citizen', name: citizen.name, roles: [] });
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signout',
      cookies: { gapura_session: session.cookie },
      headers: { 'x-csrf-token': session.csrf },
    });
    expect(out.statusCode).toBe(204);
    const after = await app.inject({ url: '/api/v1/me', cookies: { gapura_session: session.cookie } });
    expect(after.statusCode).toBe(401);
  });

  it(onEngine(engine, 'says the same thing for an unknown account and a wrong password'), async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signin',
      payload: { contact: account('citizen').email, password: 'not-the-password' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signin',
      payload: { contact: 'nobody@sukamaju.example', password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it(onEngine(engine, 'requires the TOTP second factor from staff and refuses a replayed code'), async () => {
    const verifier = account('verifier', 'disdukcapil');
    const first = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signin',
      payload: { contact: verifier.email, password: verifier.password },
    });
    expect(first.json().stage).toBe('second_factor');
    const half = setCookies(first).gapura_pending ?? '';
    expect(setCookies(first).gapura_session).toBeUndefined();
    expect((await app.inject({ url: '/api/v1/me', cookies: { gapura_pending: half } })).statusCode).toBe(401);
    const userId = await findUserIdByEmail(opened.ctx, verifier.email);
    const code = currentTotp((await totpSecretOf(opened.ctx, userId ?? '')) ?? '');
    const wrongCode = code === '000000' ? '111111' : '000000';
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor',
      cookies: { gapura_pending: half },
      payload: { code: wrongCode },
    });
    expect(bad.statusCode).toBe(401);
    const good = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor',
      cookies: { gapura_pending: half },
      payload: { code },
    });
    expect(good.statusCode).toBe(200);
    const active = setCookies(good).gapura_session ?? '';
    expect(active).not.toBe(half);
    const me = await app.inject({ url: '/api/v1/me', cookies: { gapura_session: active } });
    expect(me.json().roles).toEqual([{ role: 'verifier', agencyId: expect.any(String) }]);

    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signin',
      payload: { contact: verifier.email, password: verifier.password },
    });
    const replay = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor',
      cookies: { gapura_pending: setCookies(again).gapura_pending ?? '' },
      payload: { code },
    });
    expect(replay.statusCode).toBe(401);
    const leaves = await opened.ctx.db.selectFrom('audit_leaves').select('content').execute();
    const signIns = leaves
      .map((l) => JSON.parse(Buffer.from(l.content).toString('utf8')))
      .filter((c) => c.type === 'staff.signed_in');
    expect(signIns.some((c) => c.actor === userId)).toBe(true);
  });

  it(onEngine(engine, 'enforces route policies and CSRF on cookie-authenticated changes'), async () => {
    const newAgency = {
      slug: `dinkes-${engine}`,
      code: 'DKS',
      nameId: 'Dinas Kesehatan Kota Sukamaju',
      nameEn: 'Sukamaju City Health Office',
      timezone: 'Asia/Jakarta',
      units: [],
    };
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/agencies', payload: newAgency });
    expect(anonymous.statusCode).toBe(401);
    const citizen = await apiSignIn(app, opened, account('citizen').email, account('citizen').password);
    const asCitizen = await app.inject({
      method: 'POST',
      url: '/api/v1/agencies',
      payload: newAgency,
      cookies: { gapura_session: citizen.cookie },
      headers: { 'x-csrf-token': citizen.csrf },
    });
    expect(asCitizen.statusCode).toBe(403);
    const admin = await apiSignIn(
      app,
      opened,
      account('platform_admin').email,
      account('platform_admin').password,
    );
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/agencies',
      payload: newAgency,
      cookies: { gapura_session: admin.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf.invalid');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/agencies',
      payload: newAgency,
      cookies: { gapura_session: admin.cookie },
      headers: { 'x-csrf-token': admin.csrf },
    });
    expect(created.statusCode).toBe(201);
    const duplicate = await app.inject({
      method: 'POST',
      url: '/api/v1/agencies',
      payload: newAgency,
      cookies: { gapura_session: admin.cookie },
      headers: { 'x-csrf-token': admin.csrf },
    });
    expect(duplicate.statusCode).toBe(409);
  });

  it(
    onEngine(engine, 'signs in through the HTML forms, refusing a form without its CSRF token'),
    async () => {
      const form = await app.inject('/signin');
      const anon = setCookies(form).gapura_anon ?? '';
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const citizen = account('citizen');
      const missing = await app.inject({
        method: 'POST',
        url: '/signin',
        cookies: { gapura_anon: anon },
        payload: { contact: citizen.email, password: citizen.password, _csrf: 'forged' },
      });
      expect(missing.statusCode).toBe(403);
      const wrong = await app.inject({
        method: 'POST',
        url: '/signin',
        cookies: { gapura_anon: anon },
        payload: { contact: citizen.email, password: 'wrong-password', _csrf: token },
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain('g-error-summary');
      expect(wrong.body).toContain(`value="${citizen.email}"`);
      const ok = await app.inject({
        method: 'POST',
        url: '/signin',
        cookies: { gapura_anon: anon },
        payload: { contact: citizen.email, password: citizen.password, _csrf: token },
      });
      expect(ok.statusCode).toBe(303);
      expect(ok.headers.location).toBe('/account');
      const page = await app.inject({
        url: '/account',
        cookies: { gapura_session: setCookies(ok).gapura_session ?? '' },
      });
      expect(page.body).toContain(citizen.name);

      // Sent to sign in from a page, the visitor comes back to it; never to another site.
      const from = await app.inject('/signin?next=%2Fservices%2Fsktm%2Fapply');
      expect(from.body).toContain('action="/signin?next=%2Fservices%2Fsktm%2Fapply"');
      for (const [next, expected] of [
        ['%2Fservices%2Fsktm%2Fapply', '/services/sktm/apply'],
        ['%2F%2Fevil.example%2F', '/account'],
        ['https%3A%2F%2Fevil.example%2F', '/account'],
      ] as const) {
        const back = await app.inject({
          method: 'POST',
          url: `/signin?next=${next}`,
          cookies: { gapura_anon: anon },
          payload: { contact: citizen.email, password: citizen.password, _csrf: token },
        });
        expect(back.headers.location).toBe(expected);
      }
    },
  );

  it(onEngine(engine, 'ends a session after the idle timeout'), async () => {
    const citizen = account('citizen');
    const session = await apiSignIn(app, opened, citizen.email, citizen.password);
    await opened.ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() })
      .execute();
    expect(
      (await app.inject({ url: '/api/v1/me', cookies: { gapura_session: session.cookie } })).statusCode,
    ).toBe(401);
  });

  it(onEngine(engine, 'rate-limits sign-in attempts per account with Retry-After'), async () => {
    const target = account('citizen', null);
    const other = accounts.filter((a) => a.role === 'citizen')[1];
    const email = other?.email ?? target.email;
    let last = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signin',
      payload: { contact: email, password: 'wrong' },
    });
    for (let i = 0; i < 10; i++) {
      last = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signin',
        payload: { contact: email, password: 'wrong' },
      });
    }
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.json().error.code).toBe('auth.too_many_attempts');
  });

  it(
    onEngine(
      engine,
      'enrols a new staff member with a QR code at first sign-in, then accepts each recovery code once',
    ),
    async () => {
      const agencyId = (
        await opened.ctx.db
          .selectFrom('agencies')
          .select('id')
          .where('slug', '=', 'dinsos')
          .executeTakeFirstOrThrow()
      ).id;
      await createUser(opened.ctx, {
        kind: 'staff',
        email: `baru.${engine}@dinsos.sukamaju.example`,
        name: 'Petugas Baru',
        password: 'kata-sandi-petugas',
        grants: [{ role: 'verifier', agencyId }],
      });
      const signIn = () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/signin',
          payload: { contact: `baru.${engine}@dinsos.sukamaju.example`, password: 'kata-sandi-petugas' },
        });
      const pending = setCookies(await signIn()).gapura_pending ?? '';
      const page = await app.inject({ url: '/signin/code', cookies: { gapura_pending: pending } });
      expect(page.body).toContain('<svg');
      expect(page.body).toContain('Pasang aplikasi autentikator');
      const enrolment = (
        await app.inject({ url: '/api/v1/auth/enrolment', cookies: { gapura_pending: pending } })
      ).json();
      expect(enrolment.enrolled).toBe(false);
      const secret = new URL(enrolment.otpauthUri).searchParams.get('secret') ?? '';
      const done = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/second-factor',
        cookies: { gapura_pending: pending },
        payload: { code: await unusedTotp(secret) },
      });
      expect(done.statusCode).toBe(200);
      const codes: string[] = done.json().recoveryCodes;
      expect(codes).toHaveLength(8);
      expect(new Set(codes).size).toBe(8);
      const stored = await opened.ctx.db.selectFrom('recovery_codes').select('code_hash').execute();
      expect(JSON.stringify(stored)).not.toContain(codes[0]);

      const again = setCookies(await signIn()).gapura_pending ?? '';
      expect(
        (await app.inject({ url: '/api/v1/auth/enrolment', cookies: { gapura_pending: again } })).json(),
      ).toEqual({ enrolled: true });
      const byRecovery = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/second-factor',
        cookies: { gapura_pending: again },
        payload: { code: codes[3] },
      });
      expect(byRecovery.statusCode).toBe(200);
      expect(byRecovery.json().recoveryCodes).toBeUndefined();
      const third = setCookies(await signIn()).gapura_pending ?? '';
      const reused = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/second-factor',
        cookies: { gapura_pending: third },
        payload: { code: codes[3] },
      });
      expect(reused.statusCode).toBe(401);
    },
  );

  it(onEngine(engine, 'shows the demo mailbox to the platform admin only'), async () => {
    const admin = await apiSignIn(
      app,
      opened,
      account('platform_admin').email,
      account('platform_admin').password,
    );
    const page = await app.inject({ url: '/admin/mailbox', cookies: { gapura_session: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kotak surat demo');
    const verifier = account('verifier', 'dinsos');
    const other = await apiSignIn(app, opened, verifier.email, verifier.password);
    expect(
      (await app.inject({ url: '/admin/mailbox', cookies: { gapura_session: other.cookie } })).statusCode,
    ).toBe(403);
    const anonymous = await app.inject({ url: '/admin/mailbox' });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/signin?next=%2Fadmin%2Fmailbox');
  });

  it(onEngine(engine, 'refuses to register a route that declares no access policy'), async () => {
    const extra = await buildServer(opened.ctx);
    expect(() => extra.get('/api/v1/unguarded', async () => ({}))).toThrow(/declares no access policy/);
    await extra.close();
  });
});
