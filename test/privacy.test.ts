import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInboxDetail } from '../src/applications/inbox.ts';
import {
  answersOf,
  CONSENT_VERSION,
  findRow,
  startApplication,
  submitApplication,
} from '../src/applications/service.ts';
import { uploadAttachment } from '../src/applications/uploads.ts';
import { appendAuditLeaf } from '../src/audit/log.ts';
import { signHeadNow } from '../src/audit/sequencer.ts';
import { verifyLog } from '../src/audit/verify.ts';
import { localSource } from '../src/audit/verify-local.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { createUser, findUserIdByEmail } from '../src/identity/service.ts';
import { activeGrants } from '../src/identity/store.ts';
import { SUBMISSION_PURPOSE } from '../src/privacy/consent.ts';
import { retentionEnd } from '../src/privacy/requests.ts';
import { dateOnlyText } from '../src/privacy/text.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers, VALID } from './fixtures/catalog-definitions.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn } from './helpers/http.ts';

const DOMAIN = 'sukamaju.example';
const SUBJECT_EMAIL = `ani.lestari@warga.${DOMAIN}`;
const SUBJECT_PASSWORD = 'kata-sandi-ani-lestari-2026';
const PDF = Buffer.from('%PDF-1.4\n% test attachment\n%%EOF\n', 'latin1');

interface AccessJson {
  entries: {
    applicationId: string;
    trackingNumber: string;
    relation: 'applicant' | 'subject';
    viewer: { name: string; roles: string[] };
    agency: { id: string };
    classes: string[];
    text: string;
  }[];
}

describe.each(ENGINES)('the citizen’s privacy rights', (engine) => {
  const test = useTestContext(engine);
  const ctx = () => test.opened.ctx;
  let app: App;
  let accounts: DemoAccount[];
  const sessions: Record<string, ApiSession> = {};
  let applicant: Principal;
  let verifier: Principal;
  /** recent: closed yesterday (under retention); old: closed 11 years ago (past it); open: still active. */
  const ids = { recent: '', old: '', open: '', draft: '' };
  const numbers: Record<string, string> = {};

  const signIn = async (key: string, email: string, password?: string) => {
    const pass = password ?? accounts.find((a) => a.email === email)?.password;
    if (!pass) throw new Error(`no demo account ${email}`);
    sessions[key] = await apiSignIn(app, test.opened, email, pass);
  };
  const get = (who: string, url: string) =>
    app.inject({ method: 'GET', url, cookies: { gapura_session: sessions[who]!.cookie } });
  const postForm = (who: string, url: string, fields: [string, string][]) =>
    app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: sessions[who]!.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', sessions[who]!.csrf], ...fields]).toString(),
    });
  const principalOf = async (email: string, kind: 'citizen' | 'staff'): Promise<Principal> => {
    const userId = await findUserIdByEmail(ctx(), email);
    if (!userId) throw new Error(`no account ${email}`);
    return {
      userId,
      kind,
      sessionId: null,
      grants: kind === 'staff' ? await activeGrants(ctx().db, userId) : [],
    };
  };

  /**
   * Files an application as the applicant. The filing transaction records the subjects and the
   * consent; where it does not (yet), the same functions are called here so the rights can be tested.
   */
  const file = async (withUpload = false) => {
    const { id } = await startApplication(ctx(), applicant, 'akta-kelahiran', aktaKelahiranAnswers());
    if (withUpload) await uploadAttachment(ctx(), applicant, id, 'dok_surat_lahir', PDF);
    const receipt = await submitApplication(ctx(), applicant, id, { consent: true, lang: 'id' });
    const subjects = await ctx()
      .db.selectFrom('application_subjects')
      .select('nik_bidx')
      .where('application_id', '=', id)
      .execute();
    const consents = await ctx()
      .db.selectFrom('consents')
      .select('id')
      .where('application_id', '=', id)
      .execute();
    // Filing records every NIK holder as a subject and the consent given, in its own transaction.
    expect(subjects.length).toBeGreaterThan(0);
    expect(consents).toHaveLength(1);
    numbers[id] = receipt.trackingNumber;
    return id;
  };

  beforeAll(async () => {
    accounts = await seedDemo(ctx());
    app = await buildServer(ctx());
    // The mother in the birth-certificate fixture has an account of her own, registered with her NIK.
    await createUser(ctx(), {
      kind: 'citizen',
      email: SUBJECT_EMAIL,
      name: 'Ani Lestari',
      nik: VALID.nikFemale,
      password: SUBJECT_PASSWORD,
      status: 'active',
    });
    await signIn('applicant', `budi.santoso@warga.${DOMAIN}`);
    await signIn('subject', SUBJECT_EMAIL, SUBJECT_PASSWORD);
    await signIn('other', `ani.suryani@warga.${DOMAIN}`);
    await signIn('admin', `admin.disdukcapil@${DOMAIN}`);
    await signIn('otherAdmin', `admin.dinsos@${DOMAIN}`);
    await signIn('verifier', `verifikator.disdukcapil@${DOMAIN}`);
    applicant = await principalOf(`budi.santoso@warga.${DOMAIN}`, 'citizen');
    verifier = await principalOf(`verifikator.disdukcapil@${DOMAIN}`, 'staff');
    ids.recent = await file();
    ids.old = await file(true);
    ids.open = await file();
    ids.draft = (
      await startApplication(ctx(), applicant, 'akta-kelahiran', { pelapor_nama: 'Budi Santoso' })
    ).id;
    // Staff open two of them: each view writes an access-log row.
    await getInboxDetail(ctx(), verifier, ids.recent);
    await getInboxDetail(ctx(), verifier, ids.old);
  });
  afterAll(async () => {
    await app?.close();
  });

  it(
    onEngine(engine, 'shows the applicant who opened their applications: name, role, agency, data, when'),
    async () => {
      const res = await get('applicant', '/api/v1/me/access-log');
      expect(res.statusCode).toBe(200);
      const { entries } = res.json<AccessJson>();
      expect(entries.map((e) => e.applicationId).sort()).toEqual([ids.recent, ids.old].sort());
      for (const e of entries) {
        expect(e.relation).toBe('applicant');
        expect(e.viewer).toEqual({ name: 'Agus Prasetyo', roles: ['verifier'] });
        expect(e.agency.id).toBe('Dinas Kependudukan dan Pencatatan Sipil Kota Sukamaju');
        expect(e.classes).toEqual(['personal', 'specific']);
        expect(e.text).toContain(
          `Agus Prasetyo, Verifikator di Dinas Kependudukan dan Pencatatan Sipil Kota Sukamaju, membuka permohonan Akta Kelahiran ${e.trackingNumber} (data pribadi dan data pribadi spesifik) pada `,
        );
        expect(e.text).toMatch(/ WIB\.$/);
      }
      const page = await get('applicant', '/account/privacy');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`membuka permohonan Akta Kelahiran ${numbers[ids.recent]}`);
      expect(Buffer.byteLength(page.body)).toBeLessThan(40_000);
    },
  );

  it(
    onEngine(engine, 'shows a subject identified by NIK the views of applications someone else filed'),
    async () => {
      const { entries } = (await get('subject', '/api/v1/me/access-log')).json<AccessJson>();
      expect(entries.map((e) => e.applicationId).sort()).toEqual([ids.recent, ids.old].sort());
      expect(entries.every((e) => e.relation === 'subject' && e.viewer.name === 'Agus Prasetyo')).toBe(true);
      const page = await get('subject', '/account/privacy');
      expect(page.body).toContain('Permohonan ini diajukan orang lain dan memuat NIK Anda.');
      // Someone the applications are not about sees nothing.
      expect((await get('other', '/api/v1/me/access-log')).json<AccessJson>().entries).toEqual([]);
      // Staff have no citizen privacy page.
      expect((await get('verifier', '/api/v1/me/access-log')).statusCode).toBe(403);
    },
  );

  it(onEngine(engine, 'exports the citizen’s own data and nobody else’s'), async () => {
    const res = await get('applicant', '/api/v1/me/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="gapura-data-/);
    const data = res.json<{
      account: { name: string; email: string; nik: string | null };
      applications: {
        id: string;
        answers: Record<string, unknown>;
        attachments: object[];
        history: object[];
      }[];
      consents: { purpose: string; version: string; applicationId: string }[];
      accessLog: object[];
    }>();
    expect(data.account).toMatchObject({
      name: 'Budi Santoso',
      email: `budi.santoso@warga.${DOMAIN}`,
      nik: null,
    });
    const recent = data.applications.find((a) => a.id === ids.recent);
    expect(recent?.answers).toMatchObject({ anak_nama: 'Siti Aminah', ibu_nama: 'Ani Lestari' });
    expect(recent?.history.length).toBeGreaterThanOrEqual(2);
    const old = data.applications.find((a) => a.id === ids.old);
    expect(old?.attachments).toEqual([
      { field: 'dok_surat_lahir', mime: 'application/pdf', size: PDF.length, createdAt: expect.any(String) },
    ]);
    expect(data.applications.map((a) => a.id).sort()).toEqual(Object.values(ids).sort());
    expect(data.consents.filter((c) => c.purpose === SUBMISSION_PURPOSE)).toHaveLength(3);
    expect(
      data.consents.every((c) => c.purpose !== SUBMISSION_PURPOSE || c.version === CONSENT_VERSION),
    ).toBe(true);
    expect(data.accessLog).toHaveLength(2);
    expect(res.body).not.toContain(PDF.toString('base64'));

    const subject = (await get('subject', '/api/v1/me/export')).json<{
      account: { nik: string };
      applications: object[];
      subjectOf: { trackingNumber: string }[];
    }>();
    expect(subject.account.nik).toBe('••••••••••••0002');
    expect(subject.applications).toEqual([]);
    expect(subject.subjectOf.map((s) => s.trackingNumber).sort()).toEqual(
      [numbers[ids.recent], numbers[ids.old], numbers[ids.open]].sort(),
    );
    const subjectText = JSON.stringify(subject);
    for (const secret of ['Siti Aminah', 'Budi Santoso', VALID.nik, VALID.nikFemale])
      expect(subjectText).not.toContain(secret);

    const other = (await get('other', '/api/v1/me/export')).body;
    for (const leak of ['Siti Aminah', 'Budi Santoso', numbers[ids.recent]!])
      expect(other).not.toContain(leak);

    const page = await get('applicant', '/account/privacy/export');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Siti Aminah');
    expect(page.body).toContain('dok_surat_lahir: application/pdf');
  });

  it(
    onEngine(engine, 'sends a correction request to the agency admin only, who marks it handled'),
    async () => {
      const refused = await postForm('applicant', '/account/privacy/correction', [
        ['applicationId', ids.recent],
        ['details', 'salah'],
      ]);
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('g-error-summary');
      expect(refused.body).toContain('salah</textarea>');
      expect(refused.body).toContain(`<option value="${ids.recent}" selected`);

      const details = 'Nama ibu tertulis Ani Lestari, seharusnya Ani Lestari Putri.';
      const sent = await postForm('applicant', '/account/privacy/correction', [
        ['applicationId', ids.recent],
        ['details', details],
      ]);
      expect(sent.statusCode).toBe(303);
      expect(sent.headers.location).toBe('/account/privacy?done=correction#requests');
      // Nobody can ask about an application that is not about them.
      const foreign = await postForm('other', '/account/privacy/correction', [
        ['applicationId', ids.recent],
        ['details', details],
      ]);
      expect(foreign.statusCode).toBe(400);

      const list = await get('admin', '/admin/privacy-requests');
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(details);
      expect(list.body).toContain('Budi Santoso');
      expect((await get('otherAdmin', '/admin/privacy-requests')).body).not.toContain(details);
      expect((await get('verifier', '/admin/privacy-requests')).statusCode).toBe(403);
      expect((await get('applicant', '/admin/privacy-requests')).statusCode).toBe(403);

      const request = await ctx()
        .db.selectFrom('privacy_requests')
        .selectAll()
        .where('kind', '=', 'correction')
        .executeTakeFirstOrThrow();
      expect(request.details_enc).not.toContain('Lestari');
      expect(
        (await postForm('otherAdmin', `/admin/privacy-requests/${request.id}`, [['note', 'x']])).statusCode,
      ).toBe(404);
      const handled = await postForm('admin', `/admin/privacy-requests/${request.id}`, [
        ['note', 'Sudah diperbaiki di SIAK.'],
      ]);
      expect(handled.statusCode).toBe(303);
      const mine = await get('applicant', '/account/privacy');
      expect(mine.body).toContain('Catatan instansi: Sudah diperbaiki di SIAK.');
      expect(mine.body).toContain('Selesai');
    },
  );

  it(
    onEngine(
      engine,
      'restricts data under retention with its end date, erases data past it, and the log still verifies',
    ),
    async () => {
      const closedRecent = new Date(Date.now() - 86_400_000).toISOString();
      const closedOld = new Date(Date.now() - 11 * 365 * 86_400_000).toISOString();
      for (const [id, closedAt] of [
        [ids.recent, closedRecent],
        [ids.old, closedOld],
      ] as const)
        await ctx()
          .db.updateTable('applications')
          .set({ stage: 'closed', state: 'disetujui', outcome: 'approved', closed_at: closedAt })
          .where('id', '=', id)
          .execute();
      // Leaves committing to personal payloads of both applications.
      const leaves: Record<string, string> = {};
      await ctx()
        .db.transaction()
        .execute(async (trx) => {
          for (const id of [ids.recent, ids.old]) {
            const leaf = await appendAuditLeaf(trx, {
              type: 'test.personal',
              actorId: null,
              agencyId: null,
              subjectId: id,
              personal: { nik: VALID.nikFemale },
            });
            leaves[id] = leaf.id;
          }
        });
      await signHeadNow(ctx());

      const unconfirmed = await postForm('applicant', '/account/privacy/deletion', []);
      expect(unconfirmed.statusCode).toBe(400);
      expect(unconfirmed.body).toContain('Centang pernyataan ini untuk melanjutkan');

      const res = await postForm('applicant', '/account/privacy/deletion', [['confirm', '1']]);
      expect(res.statusCode).toBe(200);
      const until = retentionEnd(closedRecent, 10);
      expect(res.body).toContain(`dibatasi sampai ${dateOnlyText('id', until)}`);
      expect(res.body).toContain('Data pribadinya dihapus.');
      expect(res.body).toContain('Draf yang belum diajukan ini dihapus.');
      expect(res.body).toContain('Permohonan masih diproses.');

      const state = async (id: string) =>
        ctx()
          .db.selectFrom('application_privacy')
          .selectAll()
          .where('application_id', '=', id)
          .executeTakeFirst();
      expect(await state(ids.recent)).toMatchObject({ restricted_until: until, erased_at: null });
      expect(await state(ids.open)).toMatchObject({ restricted_until: null, erased_at: null });
      expect((await state(ids.old))?.erased_at).toEqual(expect.any(String));

      const old = await findRow(ctx().db, ids.old);
      expect(await answersOf(ctx(), old!)).toEqual({});
      expect(old).toMatchObject({ stage: 'closed', outcome: 'approved', tracking_number: numbers[ids.old] });
      const files = await ctx()
        .db.selectFrom('attachments')
        .select('id')
        .where('application_id', '=', ids.old)
        .execute();
      expect(files).toEqual([]);
      const salts = await ctx()
        .db.selectFrom('audit_salts')
        .select('leaf_id')
        .where('leaf_id', 'in', Object.values(leaves))
        .execute();
      expect(salts.map((s) => s.leaf_id)).toEqual([leaves[ids.recent]]);
      const recent = await findRow(ctx().db, ids.recent);
      expect(await answersOf(ctx(), recent!)).toMatchObject({ anak_nama: 'Siti Aminah' });
      expect(await findRow(ctx().db, ids.draft)).toBeUndefined();
      // The subject no longer finds the erased application through her NIK.
      const subjectOf = (await get('subject', '/api/v1/me/export')).json<{
        subjectOf: { trackingNumber: string }[];
      }>();
      expect(subjectOf.subjectOf.map((s) => s.trackingNumber)).not.toContain(numbers[ids.old]);

      await signHeadNow(ctx());
      const outcome = await verifyLog(localSource(ctx().db));
      expect(outcome.ok).toBe(true);

      const exported = (await get('applicant', '/api/v1/me/export')).json<{
        applications: {
          id: string;
          erasedAt: string | null;
          restrictedUntil: string | null;
          answers: object;
        }[];
      }>();
      expect(exported.applications.find((a) => a.id === ids.old)).toMatchObject({
        answers: {},
        erasedAt: expect.any(String),
      });
      expect(exported.applications.find((a) => a.id === ids.recent)).toMatchObject({
        restrictedUntil: until,
      });
    },
  );

  it(onEngine(engine, 'records giving and withdrawing consent for an optional use'), async () => {
    const give = await postForm('applicant', '/account/privacy/consent', [
      ['purpose', 'satisfaction_survey'],
      ['give', '1'],
    ]);
    expect(give.statusCode).toBe(303);
    const rows = () =>
      ctx()
        .db.selectFrom('consents')
        .selectAll()
        .where('user_id', '=', applicant.userId)
        .where('purpose', '=', 'satisfaction_survey')
        .execute();
    expect(await rows()).toEqual([expect.objectContaining({ version: '2026-1', withdrawn_at: null })]);
    expect((await get('applicant', '/account/privacy')).body).toContain('Tarik persetujuan');
    await postForm('applicant', '/account/privacy/consent', [
      ['purpose', 'satisfaction_survey'],
      ['give', '0'],
    ]);
    expect(await rows()).toEqual([expect.objectContaining({ withdrawn_at: expect.any(String) })]);
    expect((await get('applicant', '/account/privacy')).body).toContain('Ditarik pada');
    const unknown = await postForm('applicant', '/account/privacy/consent', [
      ['purpose', 'marketing'],
      ['give', '1'],
    ]);
    expect(unknown.statusCode).toBe(400);
  });
});
