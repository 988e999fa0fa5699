import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAgencyIdBySlug } from '../src/agencies/service.ts';
import type { AppContext } from '../src/context.ts';
import { newId } from '../src/db/ids.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import { type IssuedDocument, issueDocument } from '../src/documents/service.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn, multipart, setCookies } from './helpers/http.ts';

const DISTINCTIVE = 'Ratna Kusumawardhani';
const PAGE_BUDGET_BYTES = 40 * 1024;

describe.each(ENGINES)('document verification over HTTP', (engine) => {
  const db = useTestContext(engine);
  let ctx: AppContext;
  let app: App;
  let accounts: DemoAccount[];
  let doc: IssuedDocument;
  let signature: string;
  const applicationId = newId();

  const signInAs = (email: string): Promise<ApiSession> => {
    const account = accounts.find((a) => a.email === email);
    if (!account) throw new Error(`no demo account ${email}`);
    return apiSignIn(app, db.opened, email, account.password);
  };

  /** A fresh visitor's cookie and CSRF token, from the page with the upload form. */
  const visitor = async () => {
    const page = await app.inject({ method: 'GET', url: '/verify' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return { cookies: setCookies(page), csrf };
  };

  const upload = async (file: { name: string; type: string; bytes: Buffer } | undefined, withCsrf = true) => {
    const { cookies, csrf } = await visitor();
    const body = await multipart({
      ...(withCsrf ? { _csrf: csrf } : {}),
      ...(file ? { document: file } : {}),
    });
    return app.inject({ method: 'POST', url: '/verify', cookies, ...body });
  };

  const pdfFile = (bytes: Buffer) => ({ name: 'dokumen.pdf', type: 'application/pdf', bytes });

  beforeAll(async () => {
    ctx = db.opened.ctx;
    accounts = await seedDemo(ctx);
    app = await buildServer(ctx);
    await app.ready();
    const agencyId = (await findAgencyIdBySlug(ctx, 'disdukcapil')) ?? '';
    doc = await ctx.db.transaction().execute((trx) =>
      issueDocument(trx, ctx, {
        agencyId,
        applicationId,
        serviceSlug: 'akta-kelahiran',
        serviceName: { id: 'Akta Kelahiran', en: 'Birth Certificate' },
        documentName: { id: 'Kutipan Akta Kelahiran', en: 'Birth Certificate (extract)' },
        fields: [
          { label: { id: 'Nama anak', en: "Child's name" }, value: DISTINCTIVE },
          { label: { id: 'Tempat lahir', en: 'Place of birth' }, value: 'Kota Sukamaju' },
        ],
        issuedBy: null,
      }),
    );
    const row = await ctx.db
      .selectFrom('documents')
      .select('signature')
      .where('id', '=', doc.id)
      .executeTakeFirst();
    // What the QR code carries: the stored signature over the content.
    signature = Buffer.from(row?.signature ?? []).toString('base64url');
  });

  afterAll(async () => {
    await app?.close();
  });

  it(
    onEngine(engine, 'shows the page of a QR code: authentic, with the number and only the printed fields'),
    async () => {
      const res = await app.inject({ method: 'GET', url: `/verify/${doc.id}?s=${signature}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('Dokumen asli dan berlaku');
      expect(res.body).toContain(doc.number);
      expect(res.body).toContain(DISTINCTIVE);
      expect(res.body).toContain('Nama anak');
      expect(res.body).toContain('Dinas Kependudukan dan Pencatatan Sipil Kota Sukamaju');
      expect(res.body).not.toContain(applicationId);
      expect(Buffer.byteLength(res.body)).toBeLessThan(PAGE_BUDGET_BYTES);
      const en = await app.inject({
        method: 'GET',
        url: `/verify/${doc.id}?s=${signature}`,
        cookies: { gapura_lang: 'en' },
      });
      expect(en.body).toContain('Authentic and valid');
      expect(en.body).toContain('Child&#39;s name');
    },
  );

  it(
    onEngine(engine, 'answers the same "not valid" page for an unknown id and for a wrong signature'),
    async () => {
      const wrong = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
      for (const url of [
        `/verify/${newId()}`,
        `/verify/${doc.id}?s=${wrong}`,
        `/verify/${doc.id}?s=short`,
        '/verify/x',
      ]) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.body, url).toContain('Dokumen tidak sah');
        expect(res.body, url).not.toContain(doc.number);
        expect(res.body, url).not.toContain(DISTINCTIVE);
      }
    },
  );

  it(onEngine(engine, 'offers the upload form without JavaScript'), async () => {
    const res = await app.inject({ method: 'GET', url: '/verify' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('enctype="multipart/form-data"');
    expect(res.body).toContain('<label class="g-field__label" for="document">');
    expect(res.body).not.toContain('<script');
  });

  it(
    onEngine(engine, 'checks an uploaded PDF: the issued file is authentic, a tampered copy is not'),
    async () => {
      const valid = await upload(pdfFile(doc.pdf));
      expect(valid.statusCode).toBe(200);
      expect(valid.body).toContain('Dokumen asli dan berlaku');
      expect(valid.body).toContain(DISTINCTIVE);
      const tampered = Buffer.from(doc.pdf);
      const at = tampered.indexOf('/Producer');
      tampered[at + 12] = (tampered[at + 12] ?? 0) ^ 0x20;
      const invalid = await upload(pdfFile(tampered));
      expect(invalid.statusCode).toBe(200);
      expect(invalid.body).toContain('Dokumen tidak sah');
      expect(invalid.body).toContain('telah diubah setelah diterbitkan');
      expect(invalid.body).not.toContain(DISTINCTIVE);
    },
  );

  it(
    onEngine(
      engine,
      'refuses an upload that is missing, not a PDF or too large, with the reason by the field',
    ),
    async () => {
      const missing = await upload(undefined);
      expect(missing.statusCode).toBe(400);
      expect(missing.body).toContain('g-error-summary');
      expect(missing.body).toContain('href="#document"');
      const notPdf = await upload({
        name: 'dokumen.pdf',
        type: 'application/pdf',
        bytes: Buffer.from('GIF89a'),
      });
      expect(notPdf.statusCode).toBe(400);
      expect(notPdf.body).toContain('bukan PDF');
      const large = await upload(
        pdfFile(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(6 * 1024 * 1024)])),
      );
      expect(large.statusCode).toBe(413);
      expect(large.body).toContain('lebih besar dari 5 MB');
      const noCsrf = await upload(pdfFile(doc.pdf), false);
      expect(noCsrf.statusCode).toBe(403);
    },
  );

  it(onEngine(engine, 'answers the same over the JSON API'), async () => {
    const byId = await app.inject({
      method: 'GET',
      url: `/api/v1/documents/${doc.id}/verification?s=${signature}`,
    });
    expect(byId.statusCode).toBe(200);
    const body = byId.json<{ status: string; document: { number: string; fields: unknown[] } }>();
    expect(body.status).toBe('valid');
    expect(body.document.number).toBe(doc.number);
    expect(body.document.fields).toHaveLength(2);
    const forged = await app.inject({ method: 'GET', url: `/api/v1/documents/${newId()}/verification` });
    expect(forged.json()).toEqual({ status: 'invalid' });

    const valid = await app.inject({
      method: 'POST',
      url: '/api/v1/documents/verify',
      ...(await multipart({ document: pdfFile(doc.pdf) })),
    });
    expect(valid.statusCode).toBe(200);
    expect(valid.json<{ status: string }>().status).toBe('valid');
    const truncated = await app.inject({
      method: 'POST',
      url: '/api/v1/documents/verify',
      ...(await multipart({ document: pdfFile(doc.pdf.subarray(0, doc.pdf.length - 20)) })),
    });
    expect(truncated.json()).toEqual({ status: 'invalid' });
    const notPdf = await app.inject({
      method: 'POST',
      url: '/api/v1/documents/verify',
      ...(await multipart({ document: { name: 'x.png', type: 'image/png', bytes: Buffer.from('\x89PNG') } })),
    });
    expect(notPdf.statusCode).toBe(415);
    expect(notPdf.json<{ error: { code: string } }>().error.code).toBe('request.unsupported_type');
  });

  it(onEngine(engine, "publishes each agency's document keys"), async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/agencies/disdukcapil/document-keys' });
    expect(res.statusCode).toBe(200);
    const { keys } = res.json<{
      keys: { keyId: string; algorithm: string; publicKey: string; notAfter: string }[];
    }>();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]?.algorithm).toBe('Ed25519');
    expect(Buffer.from(keys[0]?.publicKey ?? '', 'base64')).toHaveLength(44);
    expect((await app.inject({ method: 'GET', url: '/api/v1/agencies/nope/document-keys' })).statusCode).toBe(
      404,
    );
  });

  it(
    onEngine(engine, 'is revoked by an approver of its agency only, and then shows revoked with the reason'),
    async () => {
      const url = `/api/v1/documents/${doc.id}/revoke`;
      const reason = 'Nama ayah tertulis salah; diganti dokumen nomor baru.';
      expect((await app.inject({ method: 'POST', url, payload: { reason } })).statusCode).toBe(401);
      const citizen = await signInAs('budi.santoso@warga.sukamaju.example');
      const asCitizen = await app.inject({
        method: 'POST',
        url,
        cookies: { gapura_session: citizen.cookie },
        headers: { 'x-csrf-token': citizen.csrf },
        payload: { reason },
      });
      expect(asCitizen.statusCode).toBe(403);
      const otherAgency = await signInAs('penandatangan.dpmptsp@sukamaju.example');
      const asOther = await app.inject({
        method: 'POST',
        url,
        cookies: { gapura_session: otherAgency.cookie },
        headers: { 'x-csrf-token': otherAgency.csrf },
        payload: { reason },
      });
      expect(asOther.statusCode).toBe(404);
      const approver = await signInAs('penandatangan.disdukcapil@sukamaju.example');
      const as = { cookies: { gapura_session: approver.cookie }, headers: { 'x-csrf-token': approver.csrf } };
      expect((await app.inject({ method: 'POST', url, ...as, payload: { reason: '  ' } })).statusCode).toBe(
        400,
      );
      const revoked = await app.inject({ method: 'POST', url, ...as, payload: { reason } });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json<{ status: string }>().status).toBe('revoked');
      const again = await app.inject({ method: 'POST', url, ...as, payload: { reason } });
      expect(again.statusCode).toBeGreaterThanOrEqual(400);
      expect(again.json<{ error: { code: string } }>().error.code).toBe('document.already_revoked');

      const page = await app.inject({ method: 'GET', url: `/verify/${doc.id}?s=${signature}` });
      expect(page.body).toContain('Dokumen sudah dicabut');
      expect(page.body).toContain('Nama ayah tertulis salah; diganti dokumen nomor baru.');
      const uploaded = await upload(pdfFile(doc.pdf));
      expect(uploaded.body).toContain('Dokumen sudah dicabut');
      const json = await app.inject({ method: 'GET', url: `/api/v1/documents/${doc.id}/verification` });
      expect(json.json<{ status: string; document: { revokedReason: string } }>()).toMatchObject({
        status: 'revoked',
        document: { revokedReason: reason },
      });
    },
  );
});
