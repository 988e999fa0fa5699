import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAnswers, startApplication, submitApplication } from '../src/applications/service.ts';
import { uploadAttachment } from '../src/applications/uploads.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn, multipart } from './helpers/http.ts';

const DOMAIN = 'sukamaju.example';
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`, 'latin1');
const png = (text: string) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(text)]);

/** A complete application for the demo SKTM (Dinas Sosial), whose home-visit step needs a document. */
function sktmAnswers(files: { pengantar: string; kk: string; foto: string }) {
  return {
    pemohon_nik: '3373041201900001',
    pemohon_nama: 'Budi Santoso',
    pemohon_hp: '0812-3456-7890',
    nomor_kk: '3373041201900009',
    desa: '33.73.04.1001',
    alamat: 'Jl. Melati No. 7, RT 02/RW 05',
    pekerjaan: 'buruh_harian',
    penghasilan_bulanan: 1_500_000,
    jumlah_tanggungan: 3,
    status_rumah: 'sewa',
    terdaftar_dtks: true,
    punya_kis: false,
    keperluan: 'pendidikan',
    instansi_tujuan: 'SMP Negeri 1 Sukamaju',
    dok_pengantar: [files.pengantar],
    dok_kk: [files.kk],
    foto_rumah: [files.foto],
  };
}

interface DetailJson {
  rowVersion: number;
  state: { key: string } | null;
  attachments: {
    id: string;
    field: string;
    classification: string;
    actionDocument: boolean;
    mime: string;
    size: number;
    current: boolean;
    downloadUrl: string;
  }[];
  history: { kind: string; action: string | null; attachmentId: string | null }[];
}

describe.each(ENGINES)('attachments and action documents in the officer inbox', (engine) => {
  const test = useTestContext(engine);
  const ctx = () => test.opened.ctx;
  let app: App;
  let accounts: DemoAccount[];
  const sessions: Record<string, ApiSession> = {};
  let citizen: Principal;
  let akta: { id: string; specific: string; personal: string };
  const sktm: string[] = [];

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
    app.inject({ method: 'GET', url, cookies: { gapura_session: session(who).cookie } });
  const postJson = (who: string, url: string, payload: object) =>
    app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: session(who).cookie },
      headers: { 'x-csrf-token': session(who).csrf },
      payload,
    });
  const postFile = async (
    who: string,
    url: string,
    fields: Record<string, string | { name: string; type: string; bytes: Buffer }>,
    csrf: 'header' | 'field',
  ) => {
    const body = await multipart(csrf === 'field' ? { _csrf: session(who).csrf, ...fields } : fields);
    return app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: session(who).cookie },
      headers: {
        ...body.headers,
        'accept-language': 'id',
        ...(csrf === 'header' ? { 'x-csrf-token': session(who).csrf } : {}),
      },
      payload: body.payload,
    });
  };
  const detail = async (who: string, id: string) => {
    const res = await get(who, `/api/v1/inbox/${id}`);
    expect(res.statusCode).toBe(200);
    return res.json<DetailJson>();
  };
  const accessRows = (applicationId: string) =>
    ctx()
      .db.selectFrom('access_log')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('viewed_at')
      .execute();
  const userIdOf = async (email: string) => {
    const id = await findUserIdByEmail(ctx(), email);
    if (!id) throw new Error(`no user ${email}`);
    return id;
  };

  beforeAll(async () => {
    accounts = await seedDemo(ctx());
    app = await buildServer(ctx());
    await signIn('verifier', `verifikator.disdukcapil@${DOMAIN}`);
    await signIn('supervisor', `atasan.disdukcapil@${DOMAIN}`);
    await signIn('dinsos', `verifikator.dinsos@${DOMAIN}`);
    await signIn('dinsosSupervisor', `atasan.dinsos@${DOMAIN}`);
    await signIn('citizen', `budi.santoso@warga.${DOMAIN}`);
    citizen = {
      userId: await userIdOf(`budi.santoso@warga.${DOMAIN}`),
      kind: 'citizen',
      sessionId: null,
      grants: [],
    };

    // A birth certificate with a file of a specific-data field and one of a personal-data field.
    const { id } = await startApplication(ctx(), citizen, 'akta-kelahiran', aktaKelahiranAnswers());
    const specific = await uploadAttachment(ctx(), citizen, id, 'dok_surat_lahir', pdf('surat lahir RS'));
    const personal = await uploadAttachment(ctx(), citizen, id, 'dok_kk', png('kartu keluarga'));
    await saveAnswers(ctx(), citizen, id, { dok_surat_lahir: [specific.id], dok_kk: [personal.id] });
    await submitApplication(ctx(), citizen, id, { consent: true, lang: 'id' });
    akta = { id, specific: specific.id, personal: personal.id };

    // Two SKTM applications, moved on to the home visit, whose next step requires a document.
    for (let i = 0; i < 2; i++) {
      const draft = await startApplication(ctx(), citizen, 'sktm', {});
      const files = {
        pengantar: (await uploadAttachment(ctx(), citizen, draft.id, 'dok_pengantar', pdf(`pengantar ${i}`)))
          .id,
        kk: (await uploadAttachment(ctx(), citizen, draft.id, 'dok_kk', pdf(`kk ${i}`))).id,
        foto: (await uploadAttachment(ctx(), citizen, draft.id, 'foto_rumah', png(`rumah ${i}`))).id,
      };
      const saved = await saveAnswers(ctx(), citizen, draft.id, sktmAnswers(files));
      expect(saved.errors).toEqual([]);
      await submitApplication(ctx(), citizen, draft.id, { consent: true, lang: 'id' });
      const { rowVersion } = await detail('dinsos', draft.id);
      const moved = await postJson('dinsos', `/api/v1/applications/${draft.id}/actions`, {
        action: 'berkas_lengkap',
        rowVersion,
      });
      expect(moved.statusCode).toBe(200);
      sktm.push(draft.id);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it(
    onEngine(
      engine,
      "lists the citizen's files under their fields and lets the verifier download them, logging each download",
    ),
    async () => {
      const shown = await detail('verifier', akta.id);
      const byId = new Map(shown.attachments.map((a) => [a.id, a]));
      expect(byId.get(akta.specific)).toMatchObject({
        field: 'dok_surat_lahir',
        classification: 'specific',
        actionDocument: false,
        mime: 'application/pdf',
        size: pdf('surat lahir RS').length,
        current: true,
        downloadUrl: `/api/v1/inbox/${akta.id}/attachments/${akta.specific}`,
      });
      expect(byId.get(akta.personal)).toMatchObject({ field: 'dok_kk', mime: 'image/png', current: true });

      const before = (await accessRows(akta.id)).length;
      const file = await get('verifier', `/api/v1/inbox/${akta.id}/attachments/${akta.specific}`);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(pdf('surat lahir RS'))).toBe(true);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(String(file.headers['content-disposition'])).toMatch(
        /^attachment; filename="dok_surat_lahir\.pdf"$/,
      );
      expect(file.headers['cache-control']).toBe('no-store');
      const rows = await accessRows(akta.id);
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toMatchObject({
        viewer_id: await userIdOf(`verifikator.disdukcapil@${DOMAIN}`),
        classes: 'specific',
        fields: JSON.stringify(['dok_surat_lahir']),
      });

      // The page lists each file under its field with a download link that works the same way.
      const page = await get('verifier', `/inbox/${akta.id}`);
      expect(page.statusCode).toBe(200);
      const href = `/inbox/${akta.id}/attachments/${akta.personal}`;
      expect(page.body).toContain(`href="${href}"`);
      expect(page.body).toContain('Unduh PNG');
      const viaPage = await get('verifier', href);
      expect(viaPage.statusCode).toBe(200);
      expect(viaPage.rawPayload.equals(png('kartu keluarga'))).toBe(true);
      expect(viaPage.headers['content-type']).toBe('image/png');
      expect(String(viaPage.headers['content-disposition'])).toMatch(/^attachment/);
      expect((await accessRows(akta.id)).at(-1)).toMatchObject({
        classes: 'personal',
        fields: JSON.stringify(['dok_kk']),
      });
    },
  );

  it(
    onEngine(
      engine,
      "refuses another agency's staff, roles not named for specific data, and the applicant on the staff route",
    ),
    async () => {
      const before = (await accessRows(akta.id)).length;
      for (const attachment of [akta.specific, akta.personal]) {
        expect((await get('dinsos', `/api/v1/inbox/${akta.id}/attachments/${attachment}`)).statusCode).toBe(
          404,
        );
        expect((await get('dinsos', `/inbox/${akta.id}/attachments/${attachment}`)).statusCode).toBe(404);
      }
      // A supervisor sees the application but not the specific-data fields: nor their files.
      const supervised = await detail('supervisor', akta.id);
      expect(supervised.attachments.map((a) => a.id)).toEqual([akta.personal]);
      expect(
        (await get('supervisor', `/api/v1/inbox/${akta.id}/attachments/${akta.specific}`)).statusCode,
      ).toBe(404);
      const page = await get('supervisor', `/inbox/${akta.id}`);
      expect(page.body).not.toContain(akta.specific);
      expect(
        (await get('supervisor', `/api/v1/inbox/${akta.id}/attachments/${akta.personal}`)).statusCode,
      ).toBe(200);
      // An attachment id of another application is not found through this one.
      expect(
        (await get('verifier', `/api/v1/inbox/${sktm[0]}/attachments/${akta.specific}`)).statusCode,
      ).toBe(404);
      expect((await get('citizen', `/api/v1/inbox/${akta.id}/attachments/${akta.personal}`)).statusCode).toBe(
        403,
      );
      // Only the supervisor's one permitted download (and the detail views) were logged.
      const rows = (await accessRows(akta.id)).slice(before);
      expect(rows.filter((r) => r.fields === JSON.stringify(['dok_surat_lahir']))).toEqual([]);
      expect(rows.filter((r) => r.fields === JSON.stringify(['dok_kk']))).toHaveLength(1);
    },
  );

  it(
    onEngine(
      engine,
      'refuses an action that requires a document without one, or with a forged one, and accepts an officer upload',
    ),
    async () => {
      const id = sktm[0] as string;
      const url = `/api/v1/applications/${id}/actions`;
      const { rowVersion } = await detail('dinsos', id);
      const missing = await postJson('dinsos', url, { action: 'kunjungan_selesai', rowVersion });
      expect(missing.statusCode).toBe(400);
      expect(JSON.stringify(missing.json())).toContain('attachmentId');

      // Forged: a file of another application, and the applicant's own file of this one.
      const citizenFile = (await detail('dinsos', id)).attachments.find((a) => a.field === 'dok_kk');
      for (const forged of [akta.specific, citizenFile?.id ?? '', 'not-an-id']) {
        const res = await postJson('dinsos', url, {
          action: 'kunjungan_selesai',
          rowVersion,
          attachmentId: forged,
        });
        expect(res.statusCode).toBe(400);
        expect(JSON.stringify(res.json())).toContain('attachmentId');
      }

      const documents = `/api/v1/applications/${id}/action-documents?action=kunjungan_selesai`;
      const gif = { name: 'laporan.pdf', type: 'application/pdf', bytes: Buffer.from('GIF89a laporan') };
      expect((await postFile('dinsos', documents, { file: gif }, 'header')).statusCode).toBe(415);
      const tooBig = {
        name: 'laporan.pdf',
        type: 'application/pdf',
        bytes: pdf('x'.repeat(10 * 1024 * 1024)),
      };
      expect((await postFile('dinsos', documents, { file: tooBig }, 'header')).statusCode).toBe(413);
      // Only roles that may take the action may file its document.
      const report = { name: 'laporan.pdf', type: 'application/pdf', bytes: pdf('laporan kunjungan rumah') };
      expect((await postFile('dinsosSupervisor', documents, { file: report }, 'header')).statusCode).toBe(
        403,
      );
      expect(
        (
          await postFile(
            'dinsos',
            `/api/v1/applications/${id}/action-documents?action=berkas_lengkap`,
            { file: report },
            'header',
          )
        ).statusCode,
      ).toBe(409);
      const stored = await postFile('dinsos', documents, { file: report }, 'header');
      expect(stored.statusCode).toBe(201);
      const documentId = stored.json<{ id: string }>().id;
      const row = await ctx()
        .db.selectFrom('attachments')
        .select(['uploader_id', 'field_key', 'application_id'])
        .where('id', '=', documentId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        uploader_id: await userIdOf(`verifikator.dinsos@${DOMAIN}`),
        field_key: '_action:kunjungan_selesai',
        application_id: id,
      });

      // The document of this application cannot serve the same step of another one.
      const other = sktm[1] as string;
      const { rowVersion: otherVersion } = await detail('dinsos', other);
      const borrowed = await postJson('dinsos', `/api/v1/applications/${other}/actions`, {
        action: 'kunjungan_selesai',
        rowVersion: otherVersion,
        attachmentId: documentId,
      });
      expect(borrowed.statusCode).toBe(400);

      const taken = await postJson('dinsos', url, {
        action: 'kunjungan_selesai',
        rowVersion,
        attachmentId: documentId,
      });
      expect(taken.statusCode).toBe(200);
      expect(taken.json()).toMatchObject({ state: 'persetujuan' });
      const after = await detail('dinsos', id);
      expect(after.history.at(-1)).toMatchObject({ action: 'kunjungan_selesai', attachmentId: documentId });
      expect(after.attachments.find((a) => a.id === documentId)).toMatchObject({
        actionDocument: true,
        current: true,
      });
      const download = await get('dinsos', `/api/v1/inbox/${id}/attachments/${documentId}`);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(report.bytes)).toBe(true);
    },
  );

  it(
    onEngine(
      engine,
      'takes the document from the action form on the page and keeps it when the action is refused',
    ),
    async () => {
      const id = sktm[1] as string;
      const page = await get('dinsos', `/inbox/${id}`);
      expect(page.body).toContain('enctype="multipart/form-data"');
      expect(page.body).toContain('id="a-kunjungan_selesai-attachmentId"');
      const { rowVersion } = await detail('dinsos', id);
      const form = { action: 'kunjungan_selesai', rowVersion: String(rowVersion) };

      const without = await postFile(
        'dinsos',
        `/inbox/${id}/actions`,
        { ...form, comment: 'Sudah dikunjungi' },
        'field',
      );
      expect(without.statusCode).toBe(400);
      expect(without.body).toContain('href="#a-kunjungan_selesai-attachmentId"');
      expect(without.body).toContain('Sudah dikunjungi');

      // Without the form's CSRF token nothing is stored.
      const count = async () =>
        Number(
          (
            await ctx()
              .db.selectFrom('attachments')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('application_id', '=', id)
              .executeTakeFirst()
          )?.n ?? 0,
        );
      const filesBefore = await count();
      const photo = { name: 'kunjungan.png', type: 'image/png', bytes: png('foto kunjungan') };
      const noCsrf = await postFile('dinsos', `/inbox/${id}/actions`, { ...form, document: photo }, 'header');
      expect(noCsrf.statusCode).toBe(403);
      expect(await count()).toBe(filesBefore);

      // A stale version is refused, but the uploaded document stays with the form.
      const stale = await postFile(
        'dinsos',
        `/inbox/${id}/actions`,
        { ...form, rowVersion: String(rowVersion - 1), document: photo },
        'field',
      );
      expect(stale.statusCode).toBe(409);
      const kept = /name="attachmentId" value="([^"]+)"/.exec(stale.body)?.[1];
      expect(kept).toBeDefined();
      expect(await count()).toBe(filesBefore + 1);

      const done = await postFile(
        'dinsos',
        `/inbox/${id}/actions`,
        { ...form, attachmentId: kept ?? '' },
        'field',
      );
      expect(done.statusCode).toBe(303);
      const after = await detail('dinsos', id);
      expect(after.state?.key).toBe('persetujuan');
      expect(after.history.at(-1)).toMatchObject({ action: 'kunjungan_selesai', attachmentId: kept });
      const shown = await get('dinsos', `/inbox/${id}`);
      expect(shown.body).toContain(`href="/inbox/${id}/attachments/${kept}"`);
    },
  );
});
