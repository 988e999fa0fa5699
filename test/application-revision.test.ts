import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { markIdentityVerified, takeAction } from '../src/applications/processing.ts';
import {
  answersOf,
  findRow,
  saveAnswers,
  startApplication,
  submitApplication,
} from '../src/applications/service.ts';
import { uploadAttachment } from '../src/applications/uploads.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import { verifyUploadedPdf } from '../src/documents/service.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { activeGrants } from '../src/identity/store.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn, multipart } from './helpers/http.ts';
import { csrfOf } from './helpers/pages.ts';

/** The page's text without tags, entities decoded enough for the Indonesian texts checked here. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function rowVersionOf(html: string): string {
  const match = /name="rowVersion" value="(\d+)"/.exec(html);
  if (!match?.[1]) throw new Error('no rowVersion field on the page');
  return match[1];
}

describe.each(ENGINES)('the citizen side of processing: revision, withdraw, document', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let accounts: DemoAccount[];
  let budi: ApiSession;
  let ani: ApiSession;
  let budiPrincipal: Principal;
  let verifier: Principal;
  let approver: Principal;

  const ctx = () => opened.ctx;
  const citizenAccounts = () => accounts.filter((a) => a.role === 'citizen');
  const staffPrincipal = async (role: DemoAccount['role']): Promise<Principal> => {
    const account = accounts.find((a) => a.role === role && a.agencySlug === 'disdukcapil');
    const userId = account ? await findUserIdByEmail(ctx(), account.email) : undefined;
    if (!userId) throw new Error(`no demo ${role}`);
    return { userId, kind: 'staff', sessionId: null, grants: await activeGrants(ctx().db, userId) };
  };
  const get = (session: ApiSession, url: string) =>
    app.inject({ url, cookies: { gapura_session: session.cookie }, headers: { 'accept-language': 'id' } });
  const post = (session: ApiSession, url: string, fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: session.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'id' },
      payload: new URLSearchParams({ ...fields, _csrf: session.csrf }).toString(),
    });
  const api = (
    session: ApiSession,
    method: 'GET' | 'PATCH' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
  ) =>
    app.inject({
      method,
      url,
      cookies: { gapura_session: session.cookie },
      headers: { 'x-csrf-token': session.csrf, 'accept-language': 'id' },
      ...(payload ? { payload } : {}),
    });
  const location = (response: LightMyRequestResponse) => String(response.headers.location ?? '');

  /** A birth-certificate application filed by Budi, in its start state. */
  const filed = async (): Promise<string> => {
    const { id } = await startApplication(ctx(), budiPrincipal, 'akta-kelahiran', aktaKelahiranAnswers());
    await submitApplication(ctx(), budiPrincipal, id, { consent: true, lang: 'id' });
    return id;
  };
  const row = async (id: string) => {
    const found = await findRow(ctx().db, id);
    if (!found) throw new Error('no row');
    return found;
  };
  const act = async (actor: Principal, id: string, action: string, extra: Record<string, unknown> = {}) =>
    takeAction(ctx(), actor, id, { action, rowVersion: (await row(id)).row_version, lang: 'id', ...extra });
  const returnForRevision = (id: string, field: string, comment: string) =>
    act(verifier, id, 'kembalikan', { flaggedFields: [field], comment });

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    const [first, second] = citizenAccounts();
    budi = await apiSignIn(app, opened, first!.email, first!.password);
    ani = await apiSignIn(app, opened, second!.email, second!.password);
    const budiId = await findUserIdByEmail(opened.ctx, first!.email);
    budiPrincipal = { userId: budiId!, kind: 'citizen', sessionId: null, grants: [] };
    verifier = await staffPrincipal('verifier');
    approver = await staffPrincipal('approver');
  });
  afterAll(async () => {
    await app?.close();
    await opened?.handle.close();
    await fresh?.cleanup();
  });

  it(
    onEngine(engine, 'a revision round over the pages: only the flagged field changes, resubmit moves it on'),
    async () => {
      const id = await filed();
      await returnForRevision(id, 'anak_nama', 'Nama anak berbeda dengan surat keterangan lahir.');
      const base = `/applications/${id}`;

      // The status page says what the agency asked for and links to the fix.
      const status = await get(budi, base);
      expect(status.statusCode).toBe(200);
      const statusText = textOf(status.body);
      expect(statusText).toContain('Yang perlu diperbaiki');
      expect(statusText).toContain('Nama lengkap anak');
      expect(statusText).toContain('Nama anak berbeda dengan surat keterangan lahir.');
      expect(status.body).toContain(`href="${base}/revision"`);
      expect(statusText).toContain('Simpan perbaikan Anda dulu');

      // The revision page shows the flagged field only.
      const page = await get(budi, `${base}/revision`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('name="anak_nama"');
      for (const other of ['ibu_nama', 'pelapor_nik', 'anak_jenis_kelamin', 'dok_kk'])
        expect(page.body).not.toContain(`name="${other}"`);
      expect(page.body).not.toContain(`action="${base}/resubmit"`);

      // Emptying a required field is refused beside it; nothing is stored.
      const emptied = await post(budi, `${base}/revision`, { anak_nama: '' });
      expect(emptied.statusCode).toBe(422);
      expect(emptied.body).toContain('g-error-summary');
      expect(textOf(emptied.body)).toContain('Nama lengkap anak wajib diisi');
      expect((await answersOf(ctx(), await row(id))).anak_nama).toBe('Siti Aminah');

      // A fix plus a field that was not flagged: only the flagged one is taken.
      const saved = await post(budi, `${base}/revision`, {
        anak_nama: 'Siti Aminah Putri',
        ibu_nama: 'Orang Lain',
      });
      expect(saved.statusCode).toBe(303);
      expect(location(saved)).toBe(`${base}/revision?saved=1`);
      const answers = await answersOf(ctx(), await row(id));
      expect(answers.anak_nama).toBe('Siti Aminah Putri');
      expect(answers.ibu_nama).toBe('Ani Lestari');
      expect((await row(id)).state).toBe('perlu_perbaikan');

      // Now the resubmit is offered, with the current version.
      const after = await get(budi, `${base}/revision?saved=1`);
      expect(textOf(after.body)).toContain('Perbaikan Anda tersimpan');
      expect(after.body).toContain(`action="${base}/resubmit"`);
      const version = rowVersionOf(after.body);
      expect(Number(version)).toBe((await row(id)).row_version);

      // A stale version is refused with a clear message and changes nothing.
      const stale = await post(budi, `${base}/resubmit`, { rowVersion: String(Number(version) - 1) });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('g-error-summary');
      expect(textOf(stale.body)).toContain('baru saja diubah');
      expect((await row(id)).state).toBe('perlu_perbaikan');

      const resubmitted = await post(budi, `${base}/resubmit`, { rowVersion: version });
      expect(resubmitted.statusCode).toBe(303);
      expect(location(resubmitted)).toBe(`${base}?done=resubmitted`);
      expect((await row(id)).state).toBe('diajukan');

      // The history shows the round; the revision page is gone.
      const done = textOf((await get(budi, `${base}?done=resubmitted`)).body);
      expect(done).toContain('Permohonan sudah dikirim ulang');
      expect(done).toContain('Kembalikan untuk perbaikan');
      expect(done).toContain('Anda menyimpan perbaikan');
      expect(done).toContain('Kirim ulang perbaikan');
      expect(done).not.toContain('Yang perlu diperbaiki');
      const gone = await get(budi, `${base}/revision`);
      expect(gone.statusCode).toBe(302);
      expect(location(gone)).toBe(base);

      // Nobody else sees the revision page.
      expect((await get(ani, `${base}/revision`)).statusCode).toBe(404);
    },
  );

  it(
    onEngine(engine, 'a flagged file field takes a replacement upload through the multipart form'),
    async () => {
      // The Family Card field holds one file; the first one is really stored, so the replacement
      // must be accepted beside it (the old one stays in the history).
      const pdf = (text: string) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(text.repeat(40))]);
      const { id } = await startApplication(ctx(), budiPrincipal, 'akta-kelahiran', aktaKelahiranAnswers());
      const first = await uploadAttachment(ctx(), budiPrincipal, id, 'dok_kk', pdf('KK lama buram '));
      await saveAnswers(ctx(), budiPrincipal, id, { dok_kk: [first.id] });
      await submitApplication(ctx(), budiPrincipal, id, { consent: true, lang: 'id' });
      await returnForRevision(id, 'dok_kk', 'Foto KK tidak terbaca.');

      const page = await get(budi, `/applications/${id}/revision`);
      expect(page.body).toContain('enctype="multipart/form-data"');
      expect(page.body).toContain('name="dok_kk"');
      // The applicant replaces the file: the old one is not kept, a new one is chosen.
      const body = await multipart({
        _csrf: csrfOf(page.body),
        dok_kk: { name: 'kk.pdf', type: 'application/pdf', bytes: pdf('Kartu Keluarga Budi ') },
      });
      const response = await app.inject({
        method: 'POST',
        url: `/applications/${id}/revision`,
        cookies: { gapura_session: budi.cookie },
        headers: { ...body.headers, 'accept-language': 'id' },
        payload: body.payload,
      });
      expect(response.statusCode).toBe(303);
      const after = (await answersOf(ctx(), await row(id))).dok_kk;
      expect(Array.isArray(after) && after.length === 1).toBe(true);
      expect(after).not.toEqual([first.id]);
      const stored = await ctx()
        .db.selectFrom('attachments')
        .select(['id', 'mime'])
        .where('application_id', '=', id)
        .where('field_key', '=', 'dok_kk')
        .execute();
      expect(stored.map((a) => a.id).sort()).toEqual([first.id, ...(after as string[])].sort());
    },
  );

  it(
    onEngine(engine, 'a revision round over JSON: flagged fields only, then the resubmit action'),
    async () => {
      const id = await filed();
      await returnForRevision(id, 'ibu_nama', 'Nama ibu tidak sesuai KTP.');
      const url = `/api/v1/applications/${id}/revision`;

      const request = await api(budi, 'GET', url);
      expect(request.statusCode).toBe(200);
      const asked = request.json<{
        flaggedFields: { key: string; label: { id: string } }[];
        comment: string;
        rowVersion: number;
        resubmitAction: string;
      }>();
      expect(asked.flaggedFields).toEqual([
        { key: 'ibu_nama', label: { id: 'Nama lengkap ibu', en: "Mother's full name" } },
      ]);
      expect(asked.comment).toBe('Nama ibu tidak sesuai KTP.');
      expect(asked.resubmitAction).toBe('ajukan_ulang');

      const outside = await api(budi, 'PATCH', url, { answers: { anak_nama: 'Orang Lain' } });
      expect(outside.statusCode).toBe(400);
      const refusal = outside.json<{
        error: { code: string; details: { fields: { field: string; code: string }[] } };
      }>();
      expect(refusal.error.code).toBe('request.fields');
      expect(refusal.error.details.fields).toEqual([
        expect.objectContaining({ field: 'anak_nama', code: 'not_flagged' }),
      ]);

      const invalid = await api(budi, 'PATCH', url, { answers: { ibu_nama: '' } });
      expect(invalid.statusCode).toBe(422);
      const stale = await api(budi, 'PATCH', url, {
        answers: { ibu_nama: 'Ani Lestari Wulandari' },
        rowVersion: asked.rowVersion - 1,
      });
      expect(stale.statusCode).toBe(409);
      expect((await answersOf(ctx(), await row(id))).ibu_nama).toBe('Ani Lestari');

      const saved = await api(budi, 'PATCH', url, {
        answers: { ibu_nama: 'Ani Lestari Wulandari' },
        rowVersion: asked.rowVersion,
      });
      expect(saved.statusCode).toBe(200);
      const { rowVersion } = saved.json<{ rowVersion: number }>();
      expect((await answersOf(ctx(), await row(id))).ibu_nama).toBe('Ani Lestari Wulandari');

      // Another citizen learns nothing.
      expect((await api(ani, 'GET', url)).statusCode).toBe(404);
      expect((await api(ani, 'PATCH', url, { answers: { ibu_nama: 'X' } })).statusCode).toBe(404);

      const moved = await api(budi, 'POST', `/api/v1/applications/${id}/actions`, {
        action: asked.resubmitAction,
        rowVersion,
      });
      expect(moved.statusCode).toBe(200);
      expect(moved.json<{ state: string }>().state).toBe('diajukan');
      expect((await api(budi, 'GET', url)).statusCode).toBe(409);

      const detail = (await api(budi, 'GET', `/api/v1/applications/${id}`)).json<{
        history: { kind: string; action: string | null; toState: string | null }[];
      }>();
      expect(detail.history.map((e) => (e.action ? `${e.kind}:${e.action}` : e.kind))).toEqual([
        'created',
        'submitted',
        'action:kembalikan',
        'revised',
        'action:ajukan_ulang',
      ]);
    },
  );

  it(
    onEngine(engine, 'withdraw asks for confirmation, refuses a stale version, then closes it'),
    async () => {
      const id = await filed();
      const base = `/applications/${id}`;
      const status = await get(budi, base);
      expect(status.body).toContain(`href="${base}/withdraw"`);
      expect(textOf(status.body)).toContain('Batalkan permohonan');

      const confirm = await get(budi, `${base}/withdraw`);
      expect(confirm.statusCode).toBe(200);
      expect(textOf(confirm.body)).toContain('Batalkan permohonan ini?');
      expect(textOf(confirm.body)).toContain('tidak dapat diurungkan');
      const version = rowVersionOf(confirm.body);

      const stale = await post(budi, `${base}/withdraw`, {
        rowVersion: String(Number(version) - 1),
        comment: 'Sudah diurus di kantor.',
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('Sudah diurus di kantor.');
      expect((await row(id)).stage).toBe('active');

      const withdrawn = await post(budi, `${base}/withdraw`, {
        rowVersion: version,
        comment: 'Sudah diurus.',
      });
      expect(withdrawn.statusCode).toBe(303);
      expect(location(withdrawn)).toBe(`${base}?done=withdrawn`);
      const closed = await row(id);
      expect(closed.outcome).toBe('withdrawn');
      const after = await get(budi, `${base}?done=withdrawn`);
      expect(textOf(after.body)).toContain('Permohonan sudah dibatalkan.');
      expect(textOf(after.body)).toContain('Dibatalkan pemohon');
      expect(after.body).not.toContain(`href="${base}/withdraw"`);
      expect((await get(budi, `${base}/withdraw`)).statusCode).toBe(302);
      // Another citizen cannot withdraw someone's application.
      const other = await filed();
      const foreign = await post(ani, `/applications/${other}/withdraw`, {
        rowVersion: String((await row(other)).row_version),
      });
      expect(foreign.statusCode).toBe(404);
      expect((await row(other)).stage).toBe('active');
    },
  );

  it(
    onEngine(engine, 'the approved application shows its document; the PDF is the applicant’s only'),
    async () => {
      const id = await filed();
      await markIdentityVerified(ctx(), verifier, id);
      await act(verifier, id, 'verifikasi');
      await act(approver, id, 'setujui');
      const base = `/applications/${id}`;

      const status = await get(budi, base);
      const text = textOf(status.body);
      expect(text).toContain('Dokumen Anda');
      expect(text).toContain('Kutipan Akta Kelahiran');
      expect(text).toContain('Unduh dokumen (PDF)');
      const list = await api(budi, 'GET', `/api/v1/applications/${id}/documents`);
      expect(list.statusCode).toBe(200);
      const items = list.json<{
        items: { id: string; number: string; status: string; verificationUrl: string }[];
      }>().items;
      expect(items).toHaveLength(1);
      const document = items[0]!;
      expect(document.status).toBe('valid');
      expect(document.verificationUrl).toMatch(new RegExp(`/verify/${document.id}$`));
      expect(text).toContain(document.number);
      expect(status.body).toContain(`href="${base}/documents/${document.id}.pdf"`);
      expect(status.body).toContain(`href="/verify/${document.id}"`);
      expect(text).not.toContain('Batalkan permohonan');

      const pdf = await get(budi, `${base}/documents/${document.id}.pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(String(pdf.headers['content-disposition'])).toMatch(
        /^attachment; filename="dokumen-[A-Za-z0-9-]+\.pdf"$/,
      );
      expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect((await verifyUploadedPdf(ctx(), pdf.rawPayload)).status).toBe('valid');
      const viaApi = await api(budi, 'GET', `/api/v1/applications/${id}/documents/${document.id}`);
      expect(viaApi.statusCode).toBe(200);
      expect(viaApi.rawPayload.equals(pdf.rawPayload)).toBe(true);

      // Another citizen gets 404 everywhere; so does the document under another application's address.
      expect((await get(ani, `${base}/documents/${document.id}.pdf`)).statusCode).toBe(404);
      expect((await api(ani, 'GET', `/api/v1/applications/${id}/documents/${document.id}`)).statusCode).toBe(
        404,
      );
      expect((await api(ani, 'GET', `/api/v1/applications/${id}/documents`)).statusCode).toBe(404);
      const otherOwn = await filed();
      expect((await get(budi, `/applications/${otherOwn}/documents/${document.id}.pdf`)).statusCode).toBe(
        404,
      );
      expect((await get(budi, `${base}/documents/0190f5a2-3c4d-7e8f-9a0b-1c2d3e4f5a6b.pdf`)).statusCode).toBe(
        404,
      );
    },
  );

  it(onEngine(engine, 'a rejection shows its reason to the applicant'), async () => {
    const id = await filed();
    await act(verifier, id, 'tolak', { comment: 'Anak tidak berdomisili di Kota Sukamaju.' });
    const text = textOf((await get(budi, `/applications/${id}`)).body);
    expect(text).toContain('Alasan penolakan');
    expect(text).toContain('Anak tidak berdomisili di Kota Sukamaju.');
    expect(text).not.toContain('Batalkan permohonan');
  });
});
