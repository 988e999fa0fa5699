import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, onEngine, useTestContext } from '../../test/helpers/engines.ts';
import { findAgencyIdBySlug } from '../agencies/service.ts';
import type { AppContext } from '../context.ts';
import { newId } from '../db/ids.ts';
import { seedDemo } from '../demo/seed.ts';
import type { Principal, StaffRole } from '../identity/roles.ts';
import { canonicalContent, contentMessage } from './content.ts';
import { pdfSigningMessage, readPdfSignature, renderDocumentPdf, signPdf } from './pdf.ts';
import type { DocumentContent, PrintedField, VerifiedDocument } from './schemas.ts';
import {
  documentPdf,
  documentsOfApplication,
  type IssuedDocument,
  issueDocument,
  revokeDocument,
  verifyDocumentId,
  verifyUploadedPdf,
} from './service.ts';
import { ed25519Signer, rotateDocumentKey } from './signer.ts';

/** A value that appears nowhere else, so finding it in storage means it was stored in clear. */
const DISTINCTIVE = 'Zulkarnaen Wibisonoputra';

const FIELDS: PrintedField[] = [
  { label: { id: 'Nama anak', en: "Child's name" }, value: DISTINCTIVE },
  { label: { id: 'Tanggal lahir', en: 'Date of birth' }, value: '14 Februari 2026' },
];

function staffOf(role: StaffRole, agencyId: string): Principal {
  return { userId: newId(), kind: 'staff', sessionId: null, grants: [{ role, agencyId, unitId: null }] };
}

function issue(
  ctx: AppContext,
  agencyId: string,
  fields = FIELDS,
  applicationId = newId(),
): Promise<IssuedDocument> {
  return ctx.db.transaction().execute((trx) =>
    issueDocument(trx, ctx, {
      agencyId,
      applicationId,
      serviceSlug: 'akta-kelahiran',
      serviceName: { id: 'Akta Kelahiran', en: 'Birth Certificate' },
      documentName: { id: 'Kutipan Akta Kelahiran', en: 'Birth Certificate (extract)' },
      fields,
      issuedBy: null,
    }),
  );
}

function contentOf(doc: VerifiedDocument): DocumentContent {
  return {
    v: 1,
    id: doc.id,
    number: doc.number,
    agency: doc.agency,
    service: doc.service,
    documentName: doc.documentName,
    fields: doc.fields,
    issuedAt: doc.issuedAt,
  };
}

function flipped(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

describe.each(ENGINES)('issued documents', (engine) => {
  const db = useTestContext(engine);
  let ctx: AppContext;
  let dkp: string;
  let pts: string;
  let first: IssuedDocument;
  const year = new Date().getUTCFullYear();

  beforeAll(async () => {
    ctx = db.opened.ctx;
    await seedDemo(ctx);
    dkp = (await findAgencyIdBySlug(ctx, 'disdukcapil')) ?? '';
    pts = (await findAgencyIdBySlug(ctx, 'dpmptsp')) ?? '';
    first = await issue(ctx, dkp);
  });

  it(onEngine(engine, 'numbers documents per agency and year, one after the other'), async () => {
    expect(first.number).toMatch(new RegExp(`^DKP/(${year}|${year + 1})/000001$`));
    const second = await issue(ctx, dkp);
    const other = await issue(ctx, pts);
    expect(second.number).toBe(first.number.replace('000001', '000002'));
    expect(other.number).toMatch(/^PTS\/\d{4}\/000001$/);
  });

  it(
    onEngine(engine, 'issues inside the caller transaction: a rolled-back approval leaves nothing'),
    async () => {
      const applicationId = newId();
      await expect(
        ctx.db.transaction().execute(async (trx) => {
          await issueDocument(trx, ctx, {
            agencyId: dkp,
            applicationId,
            serviceSlug: 'akta-kelahiran',
            serviceName: { id: 'Akta', en: 'Certificate' },
            documentName: { id: 'Akta', en: 'Certificate' },
            fields: FIELDS,
            issuedBy: null,
          });
          throw new Error('approval failed');
        }),
      ).rejects.toThrow('approval failed');
      expect(await documentsOfApplication(ctx, applicationId)).toEqual([]);
      const next = await issue(ctx, dkp);
      expect(next.number.endsWith('000003')).toBe(true);
    },
  );

  it(
    onEngine(engine, 'verifies by id, with or without the QR signature, showing only the printed fields'),
    async () => {
      const plain = await verifyDocumentId(ctx, first.id);
      expect(plain.status).toBe('valid');
      expect(plain.document?.fields).toEqual(FIELDS);
      expect(plain.document?.agency.slug).toBe('disdukcapil');
      expect(Object.keys(plain.document ?? {}).sort()).toEqual(
        [
          'agency',
          'documentName',
          'fields',
          'id',
          'issuedAt',
          'keyId',
          'number',
          'revokedAt',
          'revokedReason',
          'service',
          'timeZone',
        ].sort(),
      );
      const qr = readPdfSignature(first.pdf);
      expect(qr).toBeDefined();
      const row = await ctx.db
        .selectFrom('documents')
        .select('signature')
        .where('id', '=', first.id)
        .executeTakeFirst();
      const withQr = await verifyDocumentId(ctx, first.id, Buffer.from(row?.signature ?? []));
      expect(withQr.status).toBe('valid');
    },
  );

  it(
    onEngine(engine, 'says "invalid" for a forged id or a signature that does not match, alike'),
    async () => {
      expect(await verifyDocumentId(ctx, newId())).toEqual({ status: 'invalid' });
      expect(await verifyDocumentId(ctx, 'not-an-id')).toEqual({ status: 'invalid' });
      const row = await ctx.db
        .selectFrom('documents')
        .select('signature')
        .where('id', '=', first.id)
        .executeTakeFirst();
      const wrong = flipped(Buffer.from(row?.signature ?? []), 5);
      expect(await verifyDocumentId(ctx, first.id, wrong)).toEqual({ status: 'invalid' });
      expect(await verifyDocumentId(ctx, newId(), Buffer.from(row?.signature ?? []))).toEqual({
        status: 'invalid',
      });
    },
  );

  it(onEngine(engine, "refuses a signature made with another agency's key"), async () => {
    const shown = (await verifyDocumentId(ctx, first.id)).document;
    if (!shown) throw new Error('no document');
    const content = contentOf(shown);
    const otherSigner = ed25519Signer(ctx.db, ctx.keyring);
    const bySomeoneElse = await otherSigner.sign(pts, contentMessage(canonicalContent(content)));
    expect(await verifyDocumentId(ctx, first.id, bySomeoneElse.signature)).toEqual({ status: 'invalid' });
    // A PDF of the same document, validly signed, but with the other agency's key.
    const unsigned = await renderDocumentPdf({
      content,
      keyId: bySomeoneElse.keyId,
      qrUrl: `x?s=${bySomeoneElse.signature.toString('base64url')}`,
      printedUrl: 'x',
      timeZone: 'Asia/Jakarta',
    });
    const pdfSig = await otherSigner.sign(pts, pdfSigningMessage(unsigned));
    expect(await verifyUploadedPdf(ctx, signPdf(unsigned, pdfSig.signature))).toEqual({ status: 'invalid' });
  });

  it(onEngine(engine, 'verifies the uploaded PDF, and any changed byte makes it invalid'), async () => {
    expect((await verifyUploadedPdf(ctx, first.pdf)).status).toBe('valid');
    expect((await documentPdf(ctx, first.id))?.equals(first.pdf)).toBe(true);
    const start = readPdfSignature(first.pdf)?.start ?? 0;
    for (const at of [9, Math.floor(first.pdf.length / 2), start - 3, first.pdf.length - 5]) {
      expect(await verifyUploadedPdf(ctx, flipped(first.pdf, at))).toEqual({ status: 'invalid' });
    }
    expect(await verifyUploadedPdf(ctx, first.pdf.subarray(0, first.pdf.length - 1))).toEqual({
      status: 'invalid',
    });
    expect(await verifyUploadedPdf(ctx, Buffer.concat([first.pdf, Buffer.from(' ')]))).toEqual({
      status: 'invalid',
    });
    expect(await verifyUploadedPdf(ctx, Buffer.from('%PDF-1.7\n%%EOF'))).toEqual({ status: 'invalid' });
  });

  it(onEngine(engine, 'keeps documents signed before a key rotation verifiable'), async () => {
    const before = await issue(ctx, pts);
    const oldKey = readPdfSignature(before.pdf)?.keyId;
    const rotated = await rotateDocumentKey(ctx, pts, Date.now() + 5);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const after = await issue(ctx, pts);
    expect(readPdfSignature(after.pdf)?.keyId).toBe(rotated.keyId);
    expect(rotated.keyId).not.toBe(oldKey);
    expect((await verifyDocumentId(ctx, before.id)).status).toBe('valid');
    expect((await verifyUploadedPdf(ctx, before.pdf)).status).toBe('valid');
    expect((await verifyUploadedPdf(ctx, after.pdf)).status).toBe('valid');
    const keys = await ed25519Signer(ctx.db, ctx.keyring).publicKeys(pts);
    expect(keys.map((k) => k.keyId)).toContain(oldKey);
    expect(keys.find((k) => k.keyId === oldKey)?.retiredAt).not.toBeNull();
  });

  it(onEngine(engine, 'is revoked by its agency with a reason, which verification then shows'), async () => {
    const doc = await issue(ctx, dkp);
    await expect(revokeDocument(ctx, staffOf('counter_officer', dkp), doc.id, 'salah')).rejects.toMatchObject(
      {
        code: 'auth.forbidden',
      },
    );
    await expect(revokeDocument(ctx, staffOf('approver', pts), doc.id, 'salah')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(revokeDocument(ctx, staffOf('approver', dkp), doc.id, '   ')).rejects.toMatchObject({
      code: 'request.invalid',
    });
    const reason = 'Data ayah salah ketik; diganti dokumen baru.';
    const revoked = await revokeDocument(ctx, staffOf('supervisor', dkp), doc.id, reason);
    expect(revoked.status).toBe('revoked');
    const shown = await verifyDocumentId(ctx, doc.id);
    expect(shown.status).toBe('revoked');
    expect(shown.document?.revokedReason).toBe(reason);
    expect((await verifyUploadedPdf(ctx, doc.pdf)).status).toBe('revoked');
    await expect(revokeDocument(ctx, staffOf('agency_admin', dkp), doc.id, 'lagi')).rejects.toMatchObject({
      code: 'document.already_revoked',
    });
    const leaves = await ctx.db.selectFrom('audit_leaves').select('content').execute();
    const types = leaves.map(
      (l) => JSON.parse(l.content.toString('utf8')) as { type: string; subject: string },
    );
    expect(types.some((l) => l.type === 'document.revoked' && l.subject === doc.id)).toBe(true);
    expect(types.some((l) => l.type === 'document.issued' && l.subject === doc.id)).toBe(true);
  });

  it(
    onEngine(engine, 'draws a printed value in a non-Latin script without failing, and shows it as given'),
    async () => {
      const fields = [{ label: { id: 'Nama', en: 'Name' }, value: '王小明 · محمد · ꦧꦸꦢꦶ · Ωμέγα' }];
      const doc = await issue(ctx, dkp, fields);
      expect(doc.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect((await verifyDocumentId(ctx, doc.id)).document?.fields).toEqual(fields);
      expect((await verifyUploadedPdf(ctx, doc.pdf)).status).toBe('valid');
    },
  );

  it(
    onEngine(engine, 'stores no printed value in clear: not in documents, nor in the audit log'),
    async () => {
      const rows = await ctx.db.selectFrom('documents').selectAll().execute();
      expect(rows.length).toBeGreaterThan(0);
      const leaves = await ctx.db.selectFrom('audit_leaves').select('content').execute();
      const dump = [
        ...rows.map((r) =>
          Object.values(r).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v))),
        ),
        ...leaves.map((l) => l.content.toString('utf8')),
      ]
        .flat()
        .join('\n');
      expect(dump).toContain(first.number);
      expect(dump).not.toContain(DISTINCTIVE);
      expect(dump).not.toContain('Zulkarnaen');
      // The revocation reason is public (the verification page shows it), but the audit log keeps only its salted hash.
      expect(leaves.map((l) => l.content.toString('utf8')).join('\n')).not.toContain('Data ayah salah');
    },
  );
});
