import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { saveAnswers } from '../src/applications/service.ts';
import { newTrackingNumber } from '../src/applications/tracking.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn, multipart, setCookies } from './helpers/http.ts';
import { csrfOf, formFields, unescapeHtml } from './helpers/pages.ts';

describe.each(ENGINES)('application pages', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let accounts: DemoAccount[];
  let budi: ApiSession;
  let ani: ApiSession;
  let verifier: ApiSession;
  let budiPrincipal: Principal;
  let applicationId = '';
  let trackingNumber = '';
  let trackingSecret = '';

  const account = (role: DemoAccount['role'], agency: string | null = null, index = 0) => {
    const found = accounts.filter((a) => a.role === role && (agency === null || a.agencySlug === agency))[
      index
    ];
    if (!found) throw new Error(`no demo ${role}`);
    return found;
  };
  const get = (session: ApiSession | null, url: string) =>
    app.inject({
      url,
      cookies: session ? { gapura_session: session.cookie } : {},
      headers: { 'accept-language': 'id' },
    });
  const post = (
    session: ApiSession,
    url: string,
    fields: Array<[string, string]> | Record<string, string>,
  ) => {
    const params = new URLSearchParams();
    const entries = Array.isArray(fields) ? fields : Object.entries(fields);
    for (const [k, v] of entries) if (k !== '_csrf') params.append(k, v);
    params.append('_csrf', session.csrf);
    return app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: session.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'id' },
      payload: params.toString(),
    });
  };
  /** Posts a section as the browser would, with some inputs replaced and extra ones (a button) added. */
  const postSection = async (
    n: number,
    changes: Record<string, string>,
    extra: Array<[string, string]> = [],
  ) => {
    const url = `/applications/${applicationId}/sections/${n}`;
    const page = await get(budi, url);
    expect(page.statusCode).toBe(200);
    const fields = formFields(page.body).filter(([name]) => !(name in changes));
    for (const [k, v] of Object.entries(changes)) fields.push([k, v]);
    return post(budi, url, [...fields, ...extra]);
  };
  const location = (response: LightMyRequestResponse) => String(response.headers.location ?? '');

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    const signIn = (a: DemoAccount) => apiSignIn(app, opened, a.email, a.password);
    budi = await signIn(account('citizen', null, 0));
    ani = await signIn(account('citizen', null, 1));
    verifier = await signIn(account('verifier', 'disdukcapil'));
    const userId = await findUserIdByEmail(opened.ctx, account('citizen', null, 0).email);
    if (!userId) throw new Error('no citizen');
    budiPrincipal = { userId, kind: 'citizen', sessionId: null, grants: [] };
  });
  afterAll(async () => {
    await app?.close();
    await opened?.handle.close();
    await fresh?.cleanup();
  });

  it(
    onEngine(
      engine,
      'shows what to prepare, with sign-in links for visitors and a start button for citizens',
    ),
    async () => {
      const visitor = await get(null, '/services/akta-kelahiran/apply');
      expect(visitor.statusCode).toBe(200);
      expect(visitor.body).toContain('Yang perlu Anda siapkan');
      expect(visitor.body).toContain(`/signin?next=${encodeURIComponent('/services/akta-kelahiran/apply')}`);
      expect(visitor.body).toContain('/register?next=');
      expect(visitor.body).not.toContain('Mulai mengisi');
      const citizen = await get(budi, '/services/akta-kelahiran/apply');
      expect(citizen.body).toContain('Mulai mengisi');
      expect(citizen.body).toContain('action="/services/akta-kelahiran/apply"');
      expect((await get(verifier, '/services/akta-kelahiran/apply')).body).not.toContain('Mulai mengisi');
      expect((await get(null, '/services/tidak-ada/apply')).statusCode).toBe(404);
      // Starting is for citizens only, and needs the CSRF token.
      expect((await post(verifier, '/services/akta-kelahiran/apply', {})).statusCode).toBe(403);
      const forged = await app.inject({
        method: 'POST',
        url: '/services/akta-kelahiran/apply',
        cookies: { gapura_session: budi.cookie },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: '_csrf=wrong',
      });
      expect(forged.statusCode).toBe(403);
    },
  );

  it(
    onEngine(engine, 'fills sections through the pages: errors keep what was typed, groups grow'),
    async () => {
      const started = await post(budi, '/services/akta-kelahiran/apply', {});
      expect(started.statusCode).toBe(303);
      const match = /^\/applications\/([0-9a-f-]{36})\/sections\/0$/.exec(location(started));
      expect(match).not.toBeNull();
      applicationId = match?.[1] ?? '';

      const first = await get(budi, `/applications/${applicationId}/sections/0`);
      expect(first.body).toContain('Langkah 1 dari 6');
      expect(first.body).toContain('Simpan dan lanjutkan nanti');

      // A NIK too short: the section comes back (400) with the summary and every typed value.
      const wrong = await postSection(0, {
        pelapor_nik: '12345',
        pelapor_nama: 'Budi & Sons "Santoso"',
        pelapor_hubungan: 'ayah',
        pelapor_hp: '0812-3456-7890',
        pelapor_email: 'budi@contoh.id',
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('g-error-summary');
      expect(wrong.body).toContain('href="#f-pelapor_nik"');
      expect(wrong.body).toContain('value="12345"');
      expect(unescapeHtml(wrong.body)).toContain('Budi & Sons "Santoso"');
      expect(wrong.body).toMatch(/<title>Kesalahan:/);
      // Saved all the same: the draft keeps what was typed.
      const again = await get(budi, `/applications/${applicationId}/sections/0`);
      expect(again.body).toContain('value="12345"');

      const right = await postSection(0, { pelapor_nik: '3373041201900001', pelapor_nama: 'Budi Santoso' });
      expect(right.statusCode).toBe(303);
      expect(location(right)).toBe(`/applications/${applicationId}/sections/1`);

      // The witnesses' group: "add" shows a second item and keeps the first one's answers.
      const added = await postSection(
        4,
        { 'saksi[0].saksi_nik': '3373041505800003', 'saksi[0].saksi_nama': 'Joko Widodo' },
        [['_group_add', 'saksi']],
      );
      expect(added.statusCode).toBe(200);
      expect(added.body).toContain('name="saksi[1].saksi_nik"');
      expect(added.body).toContain('value="Joko Widodo"');
      expect(added.body).not.toContain('g-error-summary');

      // "Save and continue later" saves and goes to the list, even with answers still missing.
      const later = await postSection(2, { ibu_nama: 'Ani Lestari' }, [['_action', 'later']]);
      expect(later.statusCode).toBe(303);
      expect(location(later)).toBe('/applications');
      const list = await get(budi, '/applications');
      expect(list.body).toContain('Permohonan saya');
      expect(list.body).toContain('Akta Kelahiran');
      expect(list.body).toContain(`/applications/${applicationId}/sections/0`);
    },
  );

  it(
    onEngine(engine, 'reviews readable answers, refuses problems and a missing consent, then submits once'),
    async () => {
      const review = `/applications/${applicationId}/review`;
      const incomplete = await post(budi, `/applications/${applicationId}/submit`, { consent: 'yes' });
      expect(incomplete.statusCode).toBe(422);
      expect(incomplete.body).toContain('g-error-summary');
      expect(incomplete.body).toContain(`href="/applications/${applicationId}/sections/1"`);

      await saveAnswers(opened.ctx, budiPrincipal, applicationId, aktaKelahiranAnswers());
      const page = await get(budi, review);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Perempuan'); // a choice's label, not its value
      expect(page.body).toContain('Salatiga'); // a region's name, not its code
      expect(page.body).toContain('Joko Widodo');
      expect(page.body).toContain(`href="/applications/${applicationId}/sections/3"`);
      expect(page.body).toContain('Versi pernyataan 2026-1');
      expect(page.body).toMatch(/\d+ tahun setelah permohonan selesai/);
      expect(page.body.length).toBeLessThan(40_000);

      const noConsent = await post(budi, `/applications/${applicationId}/submit`, {});
      expect(noConsent.statusCode).toBe(400);
      expect(noConsent.body).toContain('Centang pernyataan persetujuan');
      expect(noConsent.body).toContain('href="#consent"');

      const countFiled = async () =>
        (
          await opened.ctx.db
            .selectFrom('applications')
            .select('id')
            .where('applicant_id', '=', budiPrincipal.userId)
            .where('stage', '=', 'active')
            .execute()
        ).length;
      const before = await countFiled();
      const [one, two] = await Promise.all([
        post(budi, `/applications/${applicationId}/submit`, { consent: 'yes' }),
        post(budi, `/applications/${applicationId}/submit`, { consent: 'yes' }),
      ]);
      expect(one?.statusCode).toBe(303);
      expect(two?.statusCode).toBe(303);
      expect(location(one!)).toBe(`/applications/${applicationId}/receipt`);
      expect(location(two!)).toBe(location(one!));
      const three = await post(budi, `/applications/${applicationId}/submit`, { consent: 'yes' });
      expect(location(three)).toBe(location(one!));
      expect(await countFiled()).toBe(before + 1);

      // Filled in: the form pages lead to the status page now.
      expect(location(await get(budi, `/applications/${applicationId}/sections/0`))).toBe(
        `/applications/${applicationId}`,
      );
    },
  );

  it(
    onEngine(engine, 'uploads files from a section form; a refused file is named at its field'),
    async () => {
      const started = await post(budi, '/services/akta-kelahiran/apply', {});
      const base = location(started).replace(/\/sections\/0$/, '');
      const section = await get(budi, `${base}/sections/5`);
      expect(section.body).toContain('enctype="multipart/form-data"');
      const pdf = Buffer.from('%PDF-1.4\nsurat keterangan lahir\n');
      const send = async (file: { name: string; type: string; bytes: Buffer }) => {
        const body = await multipart({ _csrf: budi.csrf, dok_surat_lahir: file, _action: 'next' });
        return app.inject({
          method: 'POST',
          url: `${base}/sections/5`,
          cookies: { gapura_session: budi.cookie },
          headers: { ...body.headers, 'accept-language': 'id' },
          payload: body.payload,
        });
      };
      const refused = await send({
        name: 'surat.pdf',
        type: 'application/pdf',
        bytes: Buffer.from('GIF89a'),
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('href="#f-dok_surat_lahir"');
      expect(refused.body).toContain('Jenis berkas ini tidak diterima');
      await send({ name: 'surat.pdf', type: 'application/pdf', bytes: pdf });
      const stored = await opened.ctx.db
        .selectFrom('attachments')
        .select(['id', 'field_key'])
        .where('application_id', '=', base.split('/')[2] ?? '')
        .execute();
      expect(stored.map((a) => a.field_key)).toEqual(['dok_surat_lahir']);
      // The upload is now an answer of the draft, shown as a kept file.
      const after = await get(budi, `${base}/sections/5`);
      expect(after.body).toContain(`value="${stored[0]?.id}"`);
    },
  );

  it(onEngine(engine, 'gives the receipt, its PDF, the list entry and the status page'), async () => {
    const receipt = await get(budi, `/applications/${applicationId}/receipt`);
    expect(receipt.statusCode).toBe(200);
    const numbers = /<span class="g-receipt__number">([\s\S]*?)<\/span><\/p>/.exec(receipt.body);
    trackingNumber = (numbers?.[1] ?? '').replace(/<[^>]+>/g, '');
    expect(trackingNumber).toMatch(/^DKP-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    trackingSecret = /g-receipt__secret">([0-9A-Z]{8})</.exec(receipt.body)?.[1] ?? '';
    expect(trackingSecret).toMatch(/^[0-9A-Z]{8}$/);
    expect(receipt.body).toContain('<svg');
    expect(receipt.body).toContain('Paling lambat');
    expect(receipt.body).toContain(`/applications/${applicationId}/receipt.pdf`);

    // Light enough for a cheap phone on a slow network (the QR code is inline SVG).
    expect(receipt.body.length).toBeLessThan(30_000);
    const english = await app.inject({
      url: `/applications/${applicationId}/receipt`,
      cookies: { gapura_session: budi.cookie },
      headers: { 'accept-language': 'en' },
    });
    expect(english.body).toContain('Application number');
    expect(english.body).toContain('At the latest');
    expect(english.body).toContain('<html lang="en">');

    const pdf = await get(budi, `/applications/${applicationId}/receipt.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain('attachment');
    expect(pdf.headers['content-disposition']).toContain(trackingNumber);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const list = await get(budi, '/applications');
    expect(list.body.replace(/<[^>]+>/g, '')).toContain(trackingNumber);
    expect(list.body).toContain('Diajukan');

    const status = await get(budi, `/applications/${applicationId}`);
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('Diajukan');
    expect(status.body).toContain('Menunggu tindakan petugas');
    expect(status.body).toContain('Verifikator');
    expect(status.body).toContain('Draf dibuat');
    expect(status.body).toContain('<details');
  });

  it(
    onEngine(engine, 'keeps an application to its applicant: others get 404, staff 403, visitors sign in'),
    async () => {
      const base = `/applications/${applicationId}`;
      for (const url of [
        base,
        `${base}/review`,
        `${base}/receipt`,
        `${base}/receipt.pdf`,
        `${base}/sections/0`,
      ])
        expect((await get(ani, url)).statusCode).toBe(404);
      expect((await post(ani, `${base}/submit`, { consent: 'yes' })).statusCode).toBe(404);
      expect((await post(ani, `${base}/sections/0`, {})).statusCode).toBe(404);
      expect((await get(ani, '/applications')).body).not.toContain(base);
      for (const url of [base, '/applications', `${base}/receipt`])
        expect((await get(verifier, url)).statusCode).toBe(403);
      const visitor = await get(null, base);
      expect(visitor.statusCode).toBe(302);
      expect(String(visitor.headers.location)).toContain('/signin?next=');
      expect((await get(budi, '/applications/not-an-id')).statusCode).toBe(404);
      expect((await get(budi, `${base}/sections/99`)).statusCode).toBe(404);
    },
  );

  it(
    onEngine(engine, 'tracks without an account: the same answer for a wrong secret and an unknown number'),
    async () => {
      const form = await get(null, `/track?number=${trackingNumber}`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain(`value="${trackingNumber}"`);
      const anon = setCookies(form).gapura_anon ?? '';
      const csrf = csrfOf(form.body);
      const track = (number: string, secret: string) =>
        app.inject({
          method: 'POST',
          url: '/track',
          cookies: { gapura_anon: anon },
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'id' },
          payload: new URLSearchParams({ _csrf: csrf, number, secret }).toString(),
        });
      const found = await track(trackingNumber.toLowerCase(), trackingSecret);
      expect(found.statusCode).toBe(200);
      expect(found.body).toContain('Diajukan');
      expect(found.body).toContain('Akta Kelahiran');
      expect(found.body).not.toContain('Budi');

      const message = (html: string) => /<p class="g-field__error"[\s\S]*?<\/p>/.exec(html)?.[0];
      const wrong = await track(trackingNumber, 'ZZZZZZZZ');
      const unknown = await track(newTrackingNumber('DKP', new Date()).text, trackingSecret);
      expect(wrong.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      expect(message(wrong.body)).toBeDefined();
      expect(message(wrong.body)).toBe(message(unknown.body));
      expect(wrong.body).toContain(`value="${trackingNumber}"`);

      const missing = await track('', '');
      expect(missing.statusCode).toBe(400);
      // Without the pre-session's token the form is refused.
      const noToken = await app.inject({
        method: 'POST',
        url: '/track',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ number: trackingNumber, secret: trackingSecret }).toString(),
      });
      expect(noToken.statusCode).toBe(403);
    },
  );

  it(onEngine(engine, 'says so when tracking is rate-limited'), async () => {
    const form = await get(null, '/track');
    const anon = setCookies(form).gapura_anon ?? '';
    const csrf = csrfOf(form.body);
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 12; i++) {
      last = await app.inject({
        method: 'POST',
        url: '/track',
        cookies: { gapura_anon: anon },
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
        payload: new URLSearchParams({ _csrf: csrf, number: trackingNumber, secret: `WRONG${i}` }).toString(),
      });
    }
    expect(last?.statusCode).toBe(429);
    expect(last?.headers['retry-after']).toBeDefined();
    expect(last?.body).toContain('Too many attempts');
  });
});
