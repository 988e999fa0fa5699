import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApplication, submitApplication } from '../src/applications/service.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { notify } from '../src/notifications/service.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn } from './helpers/http.ts';

const DOMAIN = 'sukamaju.example';

interface ListJson {
  items: {
    id: string;
    subject: string;
    body: string;
    isRead: boolean;
    application: { trackingNumber: string; url: string } | null;
  }[];
  unread: number;
}

describe.each(ENGINES)('the in-app notification list', (engine) => {
  const test = useTestContext(engine);
  const ctx = () => test.opened.ctx;
  let app: App;
  let accounts: DemoAccount[];
  const sessions: Record<string, ApiSession> = {};
  let application: { id: string; trackingNumber: string };

  const signIn = async (key: string, email: string) => {
    const account = accounts.find((a) => a.email === email);
    if (!account) throw new Error(`no demo account ${email}`);
    sessions[key] = await apiSignIn(app, test.opened, email, account.password);
  };
  const session = (who: string) => {
    const s = sessions[who];
    if (!s) throw new Error(`not signed in: ${who}`);
    return s;
  };
  const get = (who: string, url: string) =>
    app.inject({
      method: 'GET',
      url,
      cookies: { gapura_session: session(who).cookie },
      headers: { 'accept-language': 'id' },
    });
  const list = async (who: string) => {
    const res = await get(who, '/api/v1/me/notifications');
    expect(res.statusCode).toBe(200);
    return res.json<ListJson>();
  };

  beforeAll(async () => {
    accounts = await seedDemo(ctx());
    app = await buildServer(ctx());
    await signIn('budi', `budi.santoso@warga.${DOMAIN}`);
    await signIn('ani', `ani.suryani@warga.${DOMAIN}`);
    await signIn('supervisor', `atasan.disdukcapil@${DOMAIN}`);
    await signIn('dinsos', `atasan.dinsos@${DOMAIN}`);
    const userId = await findUserIdByEmail(ctx(), `budi.santoso@warga.${DOMAIN}`);
    const budi: Principal = { userId: userId ?? '', kind: 'citizen', sessionId: null, grants: [] };
    const { id } = await startApplication(ctx(), budi, 'akta-kelahiran', aktaKelahiranAnswers());
    const receipt = await submitApplication(ctx(), budi, id, { consent: true, lang: 'id' });
    application = { id, trackingNumber: receipt.trackingNumber ?? '' };
    expect(application.trackingNumber).not.toBe('');
  });
  afterAll(async () => {
    await app?.close();
  });

  it(
    onEngine(engine, 'shows the citizen the submission notice, unread, linked to the application'),
    async () => {
      const page = await get('budi', '/notifications');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`Permohonan ${application.trackingNumber} diterima`);
      expect(page.body).toContain('Belum dibaca');
      expect(page.body).toContain('1 belum dibaca.');
      expect(page.body).toContain(`href="/applications/${application.id}"`);
      expect(page.body).toContain('action="/notifications/read"');
      // Every signed-in page offers the list.
      expect(page.body).toContain('href="/notifications"');

      const json = await list('budi');
      expect(json.unread).toBe(1);
      expect(json.items).toEqual([
        expect.objectContaining({
          subject: `Permohonan ${application.trackingNumber} diterima`,
          isRead: false,
          application: { trackingNumber: application.trackingNumber, url: `/applications/${application.id}` },
        }),
      ]);
    },
  );

  it(onEngine(engine, 'shows another person nothing of it'), async () => {
    for (const who of ['ani', 'dinsos']) {
      const page = await get(who, '/notifications');
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain(application.trackingNumber);
      expect(page.body).toContain('Belum ada notifikasi.');
      expect(await list(who)).toEqual({ items: [], unread: 0 });
    }
    // Marking one's own read leaves the others' alone.
    const marked = await app.inject({
      method: 'POST',
      url: '/api/v1/me/notifications/read',
      cookies: { gapura_session: session('ani').cookie },
      headers: { 'x-csrf-token': session('ani').csrf },
    });
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toEqual({ marked: 0, unread: 0 });
    expect((await list('budi')).unread).toBe(1);
    // Visitors are sent to sign in; the API says who may call.
    const anonymous = await app.inject({ method: 'GET', url: '/notifications' });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/signin?next=%2Fnotifications');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/notifications' })).statusCode).toBe(401);
  });

  it(onEngine(engine, 'links staff to the inbox detail of an application of their agency'), async () => {
    const supervisorId = await findUserIdByEmail(ctx(), `atasan.disdukcapil@${DOMAIN}`);
    const dinsosId = await findUserIdByEmail(ctx(), `atasan.dinsos@${DOMAIN}`);
    const params = {
      trackingNumber: application.trackingNumber,
      service: 'Akta Kelahiran',
      state: 'Pemeriksaan berkas',
      level: 'hampir jatuh tempo',
      deadline: '1 April 2026',
      deadlineKind: 'tahap',
    };
    await ctx()
      .db.transaction()
      .execute(async (trx) => {
        for (const userId of [supervisorId, dinsosId])
          await notify(ctx(), trx, {
            template: 'application.escalated',
            lang: 'id',
            userId: userId ?? null,
            channels: { inApp: true },
            params,
          });
      });
    const own = await list('supervisor');
    expect(own.items[0]?.application).toEqual({
      trackingNumber: application.trackingNumber,
      url: `/inbox/${application.id}`,
    });
    // Staff of another agency get the text but no way into an application they may not see.
    const other = await list('dinsos');
    expect(other.items).toHaveLength(1);
    expect(other.items[0]?.application).toBeNull();
  });

  it(onEngine(engine, 'marks everything read from the page (with the form token only)'), async () => {
    const form = (csrf: string) =>
      app.inject({
        method: 'POST',
        url: '/notifications/read',
        cookies: { gapura_session: session('budi').cookie },
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'id' },
        payload: new URLSearchParams({ _csrf: csrf }).toString(),
      });
    expect((await form('forged')).statusCode).toBe(403);
    expect((await list('budi')).unread).toBe(1);

    const done = await form(session('budi').csrf);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/notifications?done=read');
    const page = await get('budi', '/notifications?done=read');
    expect(page.body).toContain('Semua notifikasi ditandai sudah dibaca.');
    expect(page.body).not.toContain('Belum dibaca:');
    expect(page.body).not.toContain('action="/notifications/read"');
    expect(page.body).toContain(`Permohonan ${application.trackingNumber} diterima`);
    const json = await list('budi');
    expect(json.unread).toBe(0);
    expect(json.items.every((n) => n.isRead)).toBe(true);
    // The supervisor's notice is still unread: marking is per person.
    expect((await list('supervisor')).unread).toBe(1);
  });
});
