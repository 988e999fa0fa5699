import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import {
  getApplication,
  saveAnswers,
  startApplication,
  startCounterDraft,
  submitApplication,
} from '../src/applications/service.ts';
import { DEMO_DEFINITIONS_DIR, readDefinitionFile } from '../src/catalog/files.ts';
import { importDefinition, retireService } from '../src/catalog/service.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { principalFromToken } from '../src/identity/service.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn, multipart } from './helpers/http.ts';
import { formFields, unescapeHtml } from './helpers/pages.ts';

/** The answers of the demo birth certificate outside the first and the documents sections. */
function middleAnswers(): Record<string, unknown> {
  const all: Record<string, unknown> = aktaKelahiranAnswers();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all))
    if (!key.startsWith('pelapor_') && !key.startsWith('dok_') && key !== 'ada_surat_lahir') out[key] = value;
  return out;
}

function demoDefinition(slug: string): Record<string, unknown> {
  const parsed = readDefinitionFile(path.join(DEMO_DEFINITIONS_DIR, `${slug}.yaml`));
  if (!parsed.ok) throw new Error(`demo ${slug} cannot be read`);
  return structuredClone(parsed.value) as Record<string, unknown>;
}

const PDF = Buffer.from('%PDF-1.4\nsurat keterangan lahir\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

describe.each(ENGINES)('counter (assisted) mode', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let accounts: DemoAccount[];
  let officer: ApiSession;
  let colleague: ApiSession;
  let otherOfficer: ApiSession;
  let citizen: ApiSession;
  let otherCitizen: ApiSession;
  let officerPrincipal: Principal;
  let citizenPrincipal: Principal;
  let applicationId = '';
  let trackingNumber = '';
  let trackingSecret = '';

  const account = (role: DemoAccount['role'], agency: string | null = null, index = 0) => {
    const found = accounts.filter((a) => a.role === role && (agency === null || a.agencySlug === agency))[
      index
    ];
    if (!found) throw new Error(`no demo ${role} ${agency}`);
    return found;
  };
  const get = (session: ApiSession | null, url: string, lang = 'id') =>
    app.inject({
      url,
      cookies: session ? { gapura_session: session.cookie } : {},
      headers: { 'accept-language': lang },
    });
  const post = (
    session: ApiSession,
    url: string,
    fields: Array<[string, string]> | Record<string, string>,
  ) => {
    const params = new URLSearchParams();
    for (const [k, v] of Array.isArray(fields) ? fields : Object.entries(fields))
      if (k !== '_csrf') params.append(k, v);
    params.append('_csrf', session.csrf);
    return app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: session.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'id' },
      payload: params.toString(),
    });
  };
  const location = (response: LightMyRequestResponse) => String(response.headers.location ?? '');
  const principalOf = async (session: ApiSession) => {
    const principal = await principalFromToken(opened.ctx, session.cookie);
    if (!principal) throw new Error('no principal for the session');
    return principal;
  };
  const startCounter = async (session: ApiSession, slug: string) => {
    const started = await post(session, `/counter/${slug}/start`, {});
    expect(started.statusCode).toBe(303);
    const match = /^\/counter\/applications\/([0-9a-f-]{36})\/sections\/0$/.exec(location(started));
    expect(match).not.toBeNull();
    return match?.[1] ?? '';
  };

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    const signIn = (a: DemoAccount) => apiSignIn(app, opened, a.email, a.password);
    officer = await signIn(account('counter_officer', 'disdukcapil'));
    expect(account('counter_officer', 'disdukcapil').email).toMatch(/^loket\.disdukcapil@/);
    colleague = await signIn(account('verifier', 'disdukcapil'));
    otherOfficer = await signIn(account('counter_officer', 'dpmptsp'));
    citizen = await signIn(account('citizen', null, 0));
    otherCitizen = await signIn(account('citizen', null, 1));
    officerPrincipal = await principalOf(officer);
    citizenPrincipal = await principalOf(citizen);
  });
  afterAll(async () => {
    await app?.close();
    await opened?.handle.close();
    await fresh?.cleanup();
  });

  it(
    onEngine(
      engine,
      "lists only the officer's agency's published services, with a search; others are refused",
    ),
    async () => {
      const home = await get(officer, '/counter');
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('Loket: permohonan dibantu petugas');
      expect(home.body).toContain('action="/counter/akta-kelahiran/start"');
      expect(home.body).toContain('action="/counter/pembaruan-kartu-keluarga/start"');
      expect(home.body).not.toContain('/counter/izin-usaha-mikro/start');
      expect(home.body).toContain('type="search"');
      const found = await get(officer, '/counter?q=pindah');
      expect(found.body).toContain('action="/counter/surat-keterangan-pindah/start"');
      expect(found.body).not.toContain('action="/counter/akta-kelahiran/start"');
      expect(found.body).toContain('value="pindah"');

      expect((await get(citizen, '/counter')).statusCode).toBe(403);
      expect((await get(colleague, '/counter')).statusCode).toBe(403);
      expect(location(await get(null, '/counter'))).toContain('/signin?next=');
      // Another agency's service: not found, and nothing is started.
      const before = await opened.ctx.db.selectFrom('applications').select('id').execute();
      expect((await post(otherOfficer, '/counter/akta-kelahiran/start', {})).statusCode).toBe(404);
      expect((await post(officer, '/counter/tidak-ada/start', {})).statusCode).toBe(404);
      expect((await post(citizen, '/counter/akta-kelahiran/start', {})).statusCode).toBe(403);
      expect(await opened.ctx.db.selectFrom('applications').select('id').execute()).toHaveLength(
        before.length,
      );
    },
  );

  it(
    onEngine(
      engine,
      'an officer fills an application in through the pages with uploads, checks the KTP-el and files it once',
    ),
    async () => {
      applicationId = await startCounter(officer, 'akta-kelahiran');
      const base = `/counter/applications/${applicationId}`;
      const first = await get(officer, `${base}/sections/0`);
      expect(first.statusCode).toBe(200);
      expect(first.body).toContain('Diisi petugas loket untuk warga');
      expect(first.body).toContain('Langkah 1 dari 6');
      expect(first.body).toContain(`action="${base}/sections/0"`);
      expect(first.body).toContain('href="/counter"');

      // A wrong NIK comes back with the summary and what was typed.
      const fields = formFields(first.body, { action: `${base}/sections/0` }).filter(
        ([n]) => !n.startsWith('pelapor_'),
      );
      const typed: Array<[string, string]> = [
        ['pelapor_nama', 'Budi Santoso'],
        ['pelapor_hubungan', 'ayah'],
        ['pelapor_hp', '0812-3456-7890'],
        ['pelapor_email', 'budi@contoh.id'],
      ];
      const wrong = await post(officer, `${base}/sections/0`, [...fields, ...typed, ['pelapor_nik', '123']]);
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('href="#f-pelapor_nik"');
      expect(wrong.body).toContain('value="Budi Santoso"');
      const right = await post(officer, `${base}/sections/0`, [
        ...fields,
        ...typed,
        ['pelapor_nik', '3373041201900001'],
      ]);
      expect(right.statusCode).toBe(303);
      expect(location(right)).toBe(`${base}/sections/1`);

      // The middle sections through the service, as the officer (the editor of a counter draft).
      const saved = await saveAnswers(opened.ctx, officerPrincipal, applicationId, middleAnswers());
      expect(saved.errors).toEqual([]);

      const documents = await get(officer, `${base}/sections/5`);
      expect(documents.body).toContain('enctype="multipart/form-data"');
      const body = await multipart({
        _csrf: officer.csrf,
        ada_surat_lahir: 'true',
        dok_surat_lahir: { name: 'surat-lahir.pdf', type: 'application/pdf', bytes: PDF },
        dok_buku_nikah: { name: 'buku-nikah.png', type: 'image/png', bytes: PNG },
        dok_kk: { name: 'kk.jpg', type: 'image/jpeg', bytes: JPEG },
        _action: 'next',
      });
      const uploaded = await app.inject({
        method: 'POST',
        url: `${base}/sections/5`,
        cookies: { gapura_session: officer.cookie },
        headers: { ...body.headers, 'accept-language': 'id' },
        payload: body.payload,
      });
      expect(uploaded.statusCode).toBe(303);
      expect(location(uploaded)).toBe(`${base}/review`);
      const stored = await opened.ctx.db
        .selectFrom('attachments')
        .select(['field_key', 'uploader_id', 'mime'])
        .where('application_id', '=', applicationId)
        .orderBy('field_key')
        .execute();
      expect(stored.map((a) => [a.field_key, a.mime])).toEqual([
        ['dok_buku_nikah', 'image/png'],
        ['dok_kk', 'image/jpeg'],
        ['dok_surat_lahir', 'application/pdf'],
      ]);
      expect(new Set(stored.map((a) => a.uploader_id))).toEqual(new Set([officerPrincipal.userId]));

      const review = await get(officer, `${base}/review`);
      expect(review.statusCode).toBe(200);
      expect(review.body).toContain('Periksa permohonan bersama warga');
      expect(review.body).toContain(
        'Warga telah menyetujui pernyataan di atas (dibacakan atau ditandatangani)',
      );
      expect(review.body).toContain('KTP-el asli sudah diperiksa');
      expect(review.body).toContain('mensyaratkan KTP-el asli diperiksa');
      expect(review.body).toContain(`action="${base}/submit"`);
      expect(review.body).toContain(`href="${base}/sections/2"`);
      expect(review.body.length).toBeLessThan(40_000);

      // No consent: refused, and the KTP-el tick is kept.
      const noConsent = await post(officer, `${base}/submit`, { identity: 'yes' });
      expect(noConsent.statusCode).toBe(400);
      expect(noConsent.body).toContain('href="#consent"');
      expect(noConsent.body).toMatch(/<input[^>]*id="identity"[^>]*checked/);

      const [one, two] = await Promise.all([
        post(officer, `${base}/submit`, { consent: 'yes', identity: 'yes' }),
        post(officer, `${base}/submit`, { consent: 'yes', identity: 'yes' }),
      ]);
      expect(one?.statusCode).toBe(303);
      expect(two?.statusCode).toBe(303);
      expect(location(one!)).toBe(`${base}/receipt`);
      expect(location(two!)).toBe(`${base}/receipt`);

      const row = await opened.ctx.db
        .selectFrom('applications')
        .selectAll()
        .where('id', '=', applicationId)
        .executeTakeFirstOrThrow();
      expect(row.stage).toBe('active');
      expect(row.applicant_id).toBeNull();
      expect(row.assisted_by).toBe(officerPrincipal.userId);
      expect(row.identity_verified_by).toBe(officerPrincipal.userId);
      expect(row.identity_verified_at).not.toBeNull();
      const events = await opened.ctx.db
        .selectFrom('application_events')
        .select(['kind', 'actor_id'])
        .where('application_id', '=', applicationId)
        .execute();
      expect(events.filter((e) => e.kind === 'submitted')).toHaveLength(1);
      expect(events.filter((e) => e.kind === 'identity_verified')).toHaveLength(1);
      expect(new Set(events.map((e) => e.actor_id))).toEqual(new Set([officerPrincipal.userId]));

      // Filed: the form pages lead to the receipt.
      expect(location(await get(officer, `${base}/sections/0`))).toBe(`${base}/receipt`);
      expect(location(await get(officer, `${base}/review`))).toBe(`${base}/receipt`);
    },
  );

  it(onEngine(engine, 'gives a printable receipt with the secret, a QR code and the PDF'), async () => {
    const base = `/counter/applications/${applicationId}`;
    const receipt = await get(officer, `${base}/receipt`);
    expect(receipt.statusCode).toBe(200);
    const numbers = /<span class="g-receipt__number">([\s\S]*?)<\/span><\/p>/.exec(receipt.body);
    trackingNumber = (numbers?.[1] ?? '').replace(/<[^>]+>/g, '');
    expect(trackingNumber).toMatch(/^DKP-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    trackingSecret = /g-receipt__secret">([0-9A-Z]{8})</.exec(receipt.body)?.[1] ?? '';
    expect(trackingSecret).toMatch(/^[0-9A-Z]{8}$/);
    expect(receipt.body).toContain('<svg');
    expect(receipt.body).toContain('data-print');
    expect(receipt.body).toContain('src="/static/print.js"');
    expect(receipt.body).toContain('Ctrl+P');
    expect(receipt.body).toContain('KTP-el asli sudah diperiksa petugas.');
    expect(receipt.body).toContain('Diajukan di loket dengan bantuan petugas.');
    expect(receipt.body).toContain('/applications/link');
    expect(receipt.body).toContain('/track');
    expect(receipt.body).toContain(`${base}/receipt.pdf`);
    expect(receipt.headers['cache-control']).toContain('no-store');
    expect(receipt.body.length).toBeLessThan(40_000);
    const script = await app.inject({ url: '/static/print.js' });
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain('window.print()');

    const english = await get(officer, `${base}/receipt`, 'en');
    expect(english.body).toContain('Print');
    expect(english.body).toContain('The original KTP-el was checked by the officer.');

    const pdf = await get(officer, `${base}/receipt.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(trackingNumber);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it(
    onEngine(engine, "keeps a counter filing to its officer: another agency's officer and citizens get 404"),
    async () => {
      const base = `/counter/applications/${applicationId}`;
      for (const url of [`${base}/sections/0`, `${base}/review`, `${base}/receipt`, `${base}/receipt.pdf`])
        expect((await get(otherOfficer, url)).statusCode).toBe(404);
      expect((await post(otherOfficer, `${base}/submit`, { consent: 'yes' })).statusCode).toBe(404);
      expect((await post(otherOfficer, `${base}/sections/0`, {})).statusCode).toBe(404);
      // An officer's counter draft is theirs alone, also within the agency's other officers' other roles.
      const draft = await startCounter(officer, 'pembaruan-kartu-keluarga');
      expect((await get(otherOfficer, `/counter/applications/${draft}/sections/0`)).statusCode).toBe(404);
      expect((await get(colleague, `/counter/applications/${draft}/sections/0`)).statusCode).toBe(403);
      expect((await get(citizen, `${base}/receipt`)).statusCode).toBe(403);
      expect((await get(citizen, `/applications/${applicationId}`)).statusCode).toBe(404);
      expect(location(await get(null, `${base}/receipt`))).toContain('/signin?next=');
      await expect(
        submitApplication(opened.ctx, citizenPrincipal, draft, { consent: true, lang: 'id' }),
      ).rejects.toMatchObject({ code: 'not_found' });
      // Unfinished counter drafts wait on the officer's start page.
      const home = await get(officer, '/counter');
      expect(home.body).toContain(`/counter/applications/${draft}/sections/0`);
      expect((await get(otherOfficer, '/counter')).body).not.toContain(draft);
    },
  );

  it(
    onEngine(engine, 'a citizen links the filing with the number and secret and sees it in My applications'),
    async () => {
      const form = await get(citizen, '/applications/link');
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('Hubungkan permohonan ke akun Anda');
      expect((await get(officer, '/applications/link')).statusCode).toBe(403);

      const wrong = await post(citizen, '/applications/link', { number: trackingNumber, secret: 'ZZZZZZZZ' });
      expect(wrong.statusCode).toBe(404);
      expect(wrong.body).toContain('g-error-summary');
      expect(wrong.body).toContain(`value="${trackingNumber}"`);
      expect((await post(citizen, '/applications/link', { number: '', secret: '' })).statusCode).toBe(400);

      const linked = await post(citizen, '/applications/link', {
        number: trackingNumber.toLowerCase(),
        secret: trackingSecret,
      });
      expect(linked.statusCode).toBe(303);
      expect(location(linked)).toBe(`/applications/${applicationId}`);
      const row = await opened.ctx.db
        .selectFrom('applications')
        .select(['applicant_id', 'assisted_by'])
        .where('id', '=', applicationId)
        .executeTakeFirstOrThrow();
      expect(row.applicant_id).toBe(citizenPrincipal.userId);
      expect(row.assisted_by).toBe(officerPrincipal.userId);
      const list = await get(citizen, '/applications');
      expect(list.body.replace(/<[^>]+>/g, '')).toContain(trackingNumber);
      expect((await get(citizen, `/applications/${applicationId}`)).statusCode).toBe(200);
      // Linked: it is the citizen's now, no longer the officer's to read as an editor.
      expect((await get(officer, `/counter/applications/${applicationId}/receipt`)).statusCode).toBe(404);
      const again = await post(otherCitizen, '/applications/link', {
        number: trackingNumber,
        secret: trackingSecret,
      });
      expect(again.statusCode).toBe(409);
    },
  );

  it(
    onEngine(engine, 'a draft whose version was retired moves to the published version and says so'),
    async () => {
      // A complete counter draft and a citizen's draft, both on version 1.
      const counterDraft = await startCounter(officer, 'akta-kelahiran');
      await saveAnswers(opened.ctx, officerPrincipal, counterDraft, aktaKelahiranAnswers());
      const citizenDraft = await startApplication(opened.ctx, citizenPrincipal, 'akta-kelahiran');
      const versionOf = async (id: string) =>
        (
          await opened.ctx.db
            .selectFrom('applications')
            .innerJoin('service_versions', 'service_versions.id', 'applications.service_version_id')
            .select(['service_versions.version', 'service_versions.status'])
            .where('applications.id', '=', id)
            .executeTakeFirstOrThrow()
        ).version;
      expect(await versionOf(counterDraft)).toBe(1);

      await importDefinition(opened.ctx, null, demoDefinition('akta-kelahiran'), { publish: true });
      const fresh2 = await startCounterDraft(opened.ctx, officerPrincipal, 'akta-kelahiran');
      const base = `/counter/applications/${counterDraft}`;
      const section = await get(officer, `${base}/sections/0`);
      expect(section.statusCode).toBe(200);
      expect(section.body).toContain('Formulir layanan ini sudah diperbarui');
      expect(section.body).toContain('versi 2');
      expect(await versionOf(counterDraft)).toBe(2);
      const review = await get(officer, `${base}/review`);
      expect(review.body).toContain('Formulir layanan ini sudah diperbarui');
      expect(review.body).not.toContain('g-error-summary');
      const filed = await post(officer, `${base}/submit`, { consent: 'yes' });
      expect(filed.statusCode).toBe(303);
      expect(await versionOf(counterDraft)).toBe(2);

      // The citizen's draft moves when it is opened, with the same notice in its detail.
      const detail = await getApplication(opened.ctx, citizenPrincipal, citizenDraft.id);
      expect(detail.service.version).toBe(2);
      expect(detail.versionNotice).toMatchObject({ kind: 'moved', version: 2 });
      // A draft started after the change has nothing to be told.
      expect((await getApplication(opened.ctx, officerPrincipal, fresh2.id)).versionNotice).toBeUndefined();

      // A new version with a new required question: the answers move all the same, and the review
      // page names what no longer fits.
      const kkDraft = await startCounter(officer, 'pembaruan-kartu-keluarga');
      const kkBase = `/counter/applications/${kkDraft}`;
      const kkFirst = await get(officer, `${kkBase}/sections/0`);
      const kkFields = formFields(kkFirst.body, { action: `${kkBase}/sections/0` }).filter(
        ([n]) => !n.startsWith('pemohon_'),
      );
      const kkSaved = await post(officer, `${kkBase}/sections/0`, [
        ...kkFields,
        ['pemohon_nik', '3373041201900001'],
        ['pemohon_nama', 'Siti Rahayu'],
        ['pemohon_hp', '0812-1111-2222'],
        ['nomor_kk', '3373040101200001'],
        ['_action', 'later'],
      ]);
      expect(kkSaved.statusCode).toBe(303);
      const kk = demoDefinition('pembaruan-kartu-keluarga') as {
        form: { sections: Array<{ fields: unknown[] }> };
      };
      kk.form.sections[0]?.fields.push({
        key: 'pemohon_email',
        type: 'email',
        label: { id: 'Alamat email', en: 'E-mail address' },
        required: true,
        classification: 'personal',
      });
      await importDefinition(opened.ctx, null, kk, { publish: true });
      const kkReview = await get(officer, `${kkBase}/review`);
      expect(kkReview.statusCode).toBe(200);
      expect(kkReview.body).toContain('Formulir layanan ini sudah diperbarui');
      expect(kkReview.body).toContain('Beberapa isian tidak cocok dengan formulir baru');
      expect(kkReview.body).toContain('g-error-summary');
      expect(kkReview.body).toContain('href="#review-f-pemohon_email"');
      expect(unescapeHtml(kkReview.body)).toContain('Siti Rahayu');

      // The service withdrawn altogether: the answers can be read, nothing can be filed.
      const pindah = await startCounter(officer, 'surat-keterangan-pindah');
      await retireService(opened.ctx, null, 'surat-keterangan-pindah');
      const pindahBase = `/counter/applications/${pindah}`;
      const readOnly = await get(officer, `${pindahBase}/sections/0`);
      expect(readOnly.statusCode).toBe(200);
      expect(readOnly.body).toContain('Layanan ini tidak lagi tersedia');
      expect(readOnly.body).not.toContain(`action="${pindahBase}/sections/0"`);
      const pindahReview = await get(officer, `${pindahBase}/review`);
      expect(pindahReview.body).toContain('Layanan ini tidak lagi tersedia');
      expect(pindahReview.body).not.toContain(`action="${pindahBase}/submit"`);
      const refused = await post(officer, `${pindahBase}/submit`, { consent: 'yes' });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('Layanan ini sedang tidak diterbitkan');
      expect(location(await post(officer, `${pindahBase}/sections/0`, {}))).toBe(`${pindahBase}/sections/0`);
      await expect(saveAnswers(opened.ctx, officerPrincipal, pindah, {})).rejects.toMatchObject({
        code: 'service.not_published',
      });
    },
  );
});
