import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn, multipart, setCookies } from './helpers/http.ts';
import { csrfOf, formFields, unescapeHtml } from './helpers/pages.ts';

const DOMAIN = 'sukamaju.example';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('foto'),
]);
const NIK = '3373041201900001';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(ENGINES)('complaint pages', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let accounts: DemoAccount[];
  const sessions: Record<string, ApiSession> = {};
  let address = 0;
  const remote = () => `10.60.${Math.floor(address / 250)}.${address++ % 250}`;

  /** A visitor without an account: the anonymous cookie and CSRF token a GET gives. */
  const visitor = async (url = '/complaints/new') => {
    const page = await app.inject({ url, remoteAddress: remote() });
    return { anon: setCookies(page).gapura_anon ?? '', csrf: csrfOf(page.body), body: page.body };
  };

  const postAs = (who: string | { anon: string }, url: string, fields: Record<string, string>) => {
    const session = typeof who === 'string' ? sessions[who] : undefined;
    const csrf = session ? session.csrf : undefined;
    return app.inject({
      method: 'POST',
      url,
      headers: form,
      cookies: session
        ? { gapura_session: session.cookie }
        : { gapura_anon: typeof who === 'string' ? '' : who.anon },
      payload: new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), ...fields }).toString(),
      remoteAddress: remote(),
    });
  };

  const getAs = (who: string | undefined, url: string) =>
    app.inject({
      url,
      ...(who ? { cookies: { gapura_session: sessions[who]!.cookie } } : {}),
      remoteAddress: remote(),
    });

  const filing = (text: string, extra: Record<string, string> = {}) => ({
    mode: 'anonymous',
    subject: 'service:akta-kelahiran',
    reportType: 'pengaduan',
    category: 'staff_conduct',
    text,
    mayPublish: 'yes',
    ...extra,
  });

  /** Files through the page as a visitor; returns the number and secret the receipt shows. */
  const fileAsVisitor = async (fields: Record<string, string>) => {
    const v = await visitor();
    const response = await postAs({ anon: v.anon }, '/complaints/new', { _csrf: v.csrf, ...fields });
    expect(response.statusCode, response.body.slice(0, 2000)).toBe(201);
    const text = unescapeHtml(response.body.replace(/<[^>]+>/g, ''));
    const number = /ADU-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(text)?.[0] ?? '';
    const secret =
      /class="g-receipt__number g-receipt__secret"[^>]*>([0-9A-Z]{8})</.exec(response.body)?.[1] ?? '';
    const row = await opened.ctx.db
      .selectFrom('complaints')
      .select(['id'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    return { number, secret, id: row.id };
  };

  const versionOf = async (id: string) =>
    String(
      (
        await opened.ctx.db
          .selectFrom('complaints')
          .select('row_version')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).row_version,
    );

  const staffAct = async (who: string, id: string, fields: Record<string, string>) =>
    postAs(who, `/complaints/staff/${id}/actions`, { rowVersion: await versionOf(id), ...fields });

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    const signIn = async (name: string, email: string) => {
      const account = accounts.find((a) => a.email === email);
      if (!account) throw new Error(`no demo account ${email}`);
      sessions[name] = await apiSignIn(app, opened, account.email, account.password);
    };
    await signIn('budi', `budi.santoso@warga.${DOMAIN}`);
    await signIn('ani', `ani.suryani@warga.${DOMAIN}`);
    await signIn('admin', `admin.pengaduan@${DOMAIN}`);
    await signIn('handler', `pengaduan.disdukcapil@${DOMAIN}`);
    await signIn('supervisor', `atasan.disdukcapil@${DOMAIN}`);
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(
    onEngine(
      engine,
      'the filing form works without JavaScript: refusals listed, places chosen level by level, files kept encrypted',
    ),
    async () => {
      const v = await visitor();
      expect(Buffer.byteLength(v.body)).toBeLessThan(40 * 1024);
      expect(v.body).toContain('name="mode" value="anonymous"');
      // A visitor cannot file under a name: the option is not even offered.
      expect(v.body).not.toContain('value="named"');

      const empty = await postAs({ anon: v.anon }, '/complaints/new', { _csrf: v.csrf });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('g-error-summary');
      for (const field of ['mode', 'subject', 'reportType', 'category', 'text'])
        expect(empty.body).toContain(`href="#${field}"`);

      const refreshed = await postAs({ anon: v.anon }, '/complaints/new', {
        _csrf: v.csrf,
        ...filing('Cerita yang sedang ditulis, belum dikirim.'),
        'location.province': '33',
        _region_refresh: 'location',
      });
      expect(refreshed.statusCode).toBe(200);
      expect(refreshed.body).toContain('Kota Salatiga');
      expect(refreshed.body).toContain('Cerita yang sedang ditulis, belum dikirim.');
      expect(await opened.ctx.db.selectFrom('complaints').select('id').execute()).toEqual([]);

      const body = await multipart({
        _csrf: v.csrf,
        ...filing('Petugas meminta imbalan di luar biaya resmi saat pengambilan akta.'),
        'location.province': '33',
        'location.regency': '33.73',
        attachments: { name: 'bukti.png', type: 'image/png', bytes: PNG },
      });
      const filed = await app.inject({
        method: 'POST',
        url: '/complaints/new',
        cookies: { gapura_anon: v.anon },
        ...body,
        remoteAddress: remote(),
      });
      expect(filed.statusCode, filed.body.slice(0, 500)).toBe(201);
      expect(filed.body).toMatch(/ADU-\d{2}/);
      const row = await opened.ctx.db
        .selectFrom('complaints')
        .select(['id', 'region_code', 'mode'])
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ region_code: '33.73', mode: 'anonymous' });
      const files = await opened.ctx.db
        .selectFrom('complaint_attachments')
        .select('size')
        .where('complaint_id', '=', row.id)
        .execute();
      expect(files).toEqual([{ size: PNG.length }]);

      // Sending it again is refused, pointing at the first report.
      const again = await app.inject({
        method: 'POST',
        url: '/complaints/new',
        cookies: { gapura_anon: v.anon },
        ...(await multipart({
          _csrf: v.csrf,
          ...filing('Petugas meminta imbalan di luar biaya resmi saat pengambilan akta.'),
        })),
        remoteAddress: '10.61.0.1',
      });
      const first = await app.inject({
        method: 'POST',
        url: '/complaints/new',
        cookies: { gapura_anon: v.anon },
        ...(await multipart({
          _csrf: v.csrf,
          ...filing('Laporan kedua dari alamat yang sama, kata demi kata.'),
        })),
        remoteAddress: '10.61.0.2',
      });
      expect(first.statusCode).toBe(201);
      const duplicate = await app.inject({
        method: 'POST',
        url: '/complaints/new',
        cookies: { gapura_anon: v.anon },
        ...(await multipart({
          _csrf: v.csrf,
          ...filing('Laporan kedua dari alamat yang sama, kata demi kata.'),
        })),
        remoteAddress: '10.61.0.2',
      });
      expect(again.statusCode).toBe(201);
      expect(duplicate.statusCode).toBe(409);
      expect(unescapeHtml(duplicate.body)).toMatch(
        /sudah mengirim laporan yang sama hari ini dengan nomor ADU-/,
      );

      // A file that is no image or PDF is refused next to the file input, and nothing is stored.
      const count = (await opened.ctx.db.selectFrom('complaints').select('id').execute()).length;
      const bad = await app.inject({
        method: 'POST',
        url: '/complaints/new',
        cookies: { gapura_anon: v.anon },
        ...(await multipart({
          _csrf: v.csrf,
          ...filing('Laporan dengan lampiran yang bukan gambar ataupun PDF.'),
          attachments: { name: 'x.png', type: 'image/png', bytes: Buffer.from('not an image') },
        })),
        remoteAddress: remote(),
      });
      expect(bad.statusCode).toBe(415);
      expect(bad.body).toContain('id="attachments-error"');
      expect((await opened.ctx.db.selectFrom('complaints').select('id').execute()).length).toBe(count);
    },
  );

  it(
    onEngine(
      engine,
      'the whole journey in pages: admin queue, disposition, agency inbox, follow-up, appeal, accept',
    ),
    async () => {
      const report = await fileAsVisitor(
        filing(
          'Petugas loket bernama Joko Susanto di kantor meminta uang Rp100.000, NIK saya 3373041201900001.',
          {
            mode: 'confidential',
            reporterName: 'Wulan Sari Dewi',
            reporterContact: 'wulan.dewi@contoh.example',
          },
        ),
      );
      expect(report.secret).toMatch(/^[0-9A-Z]{8}$/);
      const queue = await getAs('admin', '/complaints/admin');
      expect(queue.statusCode).toBe(200);
      expect(queue.body).toContain(report.id);
      const detail = await getAs('admin', `/complaints/staff/${report.id}`);
      expect(detail.body).toContain('Wulan Sari Dewi');
      expect(detail.body).toContain('wulan.dewi@contoh.example');
      expect(Buffer.byteLength(detail.body)).toBeLessThan(40 * 1024);

      const verified = await staffAct('admin', report.id, {
        action: 'verify',
        publicText: 'Petugas loket meminta uang Rp100.000 di luar biaya resmi.',
      });
      expect(verified.statusCode).toBe(303);
      expect(verified.headers.location).toBe(`/complaints/staff/${report.id}?done=action`);
      const refused = await staffAct('admin', report.id, { action: 'dispose' });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('a-dispose-agency');
      expect(
        (await staffAct('admin', report.id, { action: 'dispose', agency: 'disdukcapil' })).statusCode,
      ).toBe(303);

      const inbox = await getAs('handler', '/complaints/inbox');
      expect(inbox.body).toContain(report.id);
      const handlerView = await getAs('handler', `/complaints/staff/${report.id}`);
      expect(handlerView.body).toContain('Kirim tindak lanjut');
      const empty = await staffAct('handler', report.id, { action: 'follow_up', comment: '' });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('Tuliskan tindak lanjut instansi.');
      expect(
        (
          await staffAct('handler', report.id, {
            action: 'follow_up',
            comment: 'Petugas telah dipanggil dan uang dikembalikan; pelayanan akta gratis.',
          })
        ).statusCode,
      ).toBe(303);

      // The complainant follows it with the number and secret, appeals, and later accepts.
      const v = await visitor('/complaints/track');
      const tracked = await postAs({ anon: v.anon }, '/complaints/track', {
        _csrf: v.csrf,
        number: report.number,
        secret: report.secret,
      });
      expect(tracked.statusCode).toBe(200);
      expect(tracked.body).toContain('pelayanan akta gratis');
      const appealFields = formFields(tracked.body, { action: '/complaints/track/actions' }).filter(
        ([k]) => k !== 'comment',
      );
      const appealForm = Object.fromEntries(appealFields);
      const appealed = await postAs({ anon: v.anon }, '/complaints/track/actions', {
        ...appealForm,
        action: 'appeal',
        comment: 'Uang belum dikembalikan sampai hari ini.',
      });
      expect(appealed.statusCode).toBe(200);
      expect(appealed.body).toContain('Tanggapan Anda tersimpan.');
      const wrongRole = await staffAct('handler', report.id, { action: 'answer_appeal', comment: 'x' });
      expect(wrongRole.statusCode).toBe(403);
      expect(
        (
          await staffAct('supervisor', report.id, {
            action: 'answer_appeal',
            comment: 'Uang telah dikembalikan, disaksikan atasan.',
          })
        ).statusCode,
      ).toBe(303);
      const secondAppeal = await postAs({ anon: v.anon }, '/complaints/track/actions', {
        ...appealForm,
        action: 'appeal',
        rowVersion: await versionOf(report.id),
        comment: 'Sekali lagi.',
      });
      expect(secondAppeal.statusCode).toBe(409);
      expect(unescapeHtml(secondAppeal.body)).toContain('keberatan hanya dapat diajukan sekali');
      const accepted = await postAs({ anon: v.anon }, '/complaints/track/actions', {
        ...appealForm,
        action: 'accept',
        rowVersion: await versionOf(report.id),
      });
      expect(accepted.statusCode).toBe(200);
      expect(
        (
          await opened.ctx.db
            .selectFrom('complaints')
            .select('state')
            .where('id', '=', report.id)
            .executeTakeFirstOrThrow()
        ).state,
      ).toBe('closed');

      // The public page: the redacted text and both answers, never the complainant.
      const page = await getAs(undefined, `/complaints/${report.number}`);
      expect(page.statusCode).toBe(200);
      const text = unescapeHtml(page.body);
      expect(text).toContain('Petugas loket meminta uang Rp100.000 di luar biaya resmi.');
      expect(text).toContain('Uang telah dikembalikan, disaksikan atasan.');
      for (const secret of ['Wulan', 'wulan.dewi@contoh.example', NIK, 'Joko Susanto'])
        expect(text).not.toContain(secret);
      const list = await getAs(undefined, '/complaints');
      expect(list.body).toContain(report.number);
      for (const secret of ['Wulan', 'wulan.dewi', NIK]) expect(list.body).not.toContain(secret);
      const api = await getAs(undefined, `/api/v1/complaints/${report.number}`);
      for (const secret of ['Wulan', 'wulan.dewi', NIK]) expect(api.body).not.toContain(secret);
    },
  );

  it(
    onEngine(
      engine,
      'a citizen’s confidential report never shows their name in public; a named one does; a withheld one is not public at all',
    ),
    async () => {
      const fileAs = async (fields: Record<string, string>) => {
        const response = await postAs('budi', '/complaints/new', fields);
        expect(response.statusCode, response.body.slice(0, 800)).toBe(201);
        const number =
          /ADU-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(response.body.replace(/<[^>]+>/g, ''))?.[0] ?? '';
        return opened.ctx.db
          .selectFrom('complaints')
          .select(['id', 'number'])
          .where('number', '=', number)
          .executeTakeFirstOrThrow();
      };
      const confidential = await fileAs(
        filing('Ruang tunggu kantor kecamatan panas dan tidak ada kursi.', {
          mode: 'confidential',
          category: 'facilities',
        }),
      );
      const named = await fileAs(
        filing('Terima kasih, pelayanan KTP kini cepat; usul antrean daring.', {
          mode: 'named',
          reportType: 'aspirasi',
        }),
      );
      const withheld = await fileAs(
        filing('Laporan ini tidak boleh dipublikasikan sama sekali.', {
          mode: 'confidential',
          mayPublish: '',
        }),
      );
      for (const c of [confidential, named, withheld])
        await staffAct('admin', c.id, {
          action: 'verify',
          ...(c === withheld ? {} : { publicText: 'Teks publik yang sudah disunting.' }),
        });

      const confidentialPage = unescapeHtml(
        (await getAs(undefined, `/complaints/${confidential.number}`)).body,
      );
      expect(confidentialPage).toContain('Dirahasiakan');
      for (const secret of ['Budi', 'budi.santoso']) expect(confidentialPage).not.toContain(secret);
      expect(unescapeHtml((await getAs(undefined, `/complaints/${named.number}`)).body)).toContain(
        'Budi Santoso',
      );
      expect((await getAs(undefined, `/complaints/${withheld.number}`)).statusCode).toBe(404);
      // The admin cannot publish what the complainant withheld.
      const forced = await postAs('admin', `/complaints/staff/${withheld.id}/redaction`, {
        rowVersion: await versionOf(withheld.id),
        publicText: 'Dipaksa tampil.',
      });
      expect(forced.statusCode).toBe(409);
      expect((await getAs(undefined, `/complaints/${withheld.number}`)).statusCode).toBe(404);

      // Redaction changes what the public reads; an empty text withdraws it.
      expect(
        (
          await postAs('admin', `/complaints/staff/${confidential.id}/redaction`, {
            rowVersion: await versionOf(confidential.id),
            publicText: 'Ruang tunggu panas.',
          })
        ).statusCode,
      ).toBe(303);
      expect(unescapeHtml((await getAs(undefined, `/complaints/${confidential.number}`)).body)).toContain(
        'Ruang tunggu panas.',
      );
      await postAs('admin', `/complaints/staff/${confidential.id}/redaction`, {
        rowVersion: await versionOf(confidential.id),
        publicText: '',
      });
      expect((await getAs(undefined, `/complaints/${confidential.number}`)).statusCode).toBe(404);

      const mine = await getAs('budi', '/complaints/mine');
      for (const c of [confidential, named, withheld])
        expect(mine.body).toContain(`/complaints/mine/${c.id}`);
      const own = await getAs('budi', `/complaints/mine/${named.id}`);
      expect(own.statusCode).toBe(200);
      expect(unescapeHtml(own.body)).toContain('Terima kasih, pelayanan KTP kini cepat');
    },
  );

  it(
    onEngine(engine, 'the applicant’s status page links to a complaint about that application'),
    async () => {
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        cookies: { gapura_session: sessions.budi!.cookie },
        headers: { 'x-csrf-token': sessions.budi!.csrf, 'idempotency-key': 'complaint-page-0001' },
        payload: { service: 'akta-kelahiran', answers: aktaKelahiranAnswers(), submit: true, consent: true },
      });
      expect(started.statusCode, started.body).toBe(201);
      const id = started.json<{ id: string }>().id;
      const status = await getAs('budi', `/applications/${id}`);
      expect(status.body).toContain(`/complaints/new?application=${id}`);
      const formPage = await getAs('budi', `/complaints/new?application=${id}`);
      expect(unescapeHtml(formPage.body)).toContain('Permohonan Anda:');
      expect(formPage.body).toContain(`value="application:${id}"`);
      // Another citizen's application is not offered: the form asks what the report is about instead.
      const foreign = await getAs('ani', `/complaints/new?application=${id}`);
      expect(foreign.statusCode).toBe(200);
      expect(unescapeHtml(foreign.body)).not.toContain('Permohonan Anda:');
      expect(foreign.body).not.toContain(`value="application:${id}"`);
      const settings = await getAs('admin', '/complaints/admin/settings');
      expect(settings.statusCode).toBe(200);
      const saved = await postAs('admin', '/complaints/admin/settings', { agency: 'dinsos', days: '7' });
      expect(saved.statusCode).toBe(303);
      expect((await getAs('admin', '/complaints/admin/settings')).body).toContain('value="7"');
      const badDays = await postAs('admin', '/complaints/admin/settings', { agency: 'dinsos', days: '0' });
      expect(badDays.statusCode).toBe(400);
    },
  );
});
