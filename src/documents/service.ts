import { timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import {
  canonicalContent,
  contentMessage,
  formatDocumentNumber,
  sha256Hex,
  toBase64Url,
  yearIn,
} from './content.ts';
import { pdfSigningMessage, readPdfSignature, renderDocumentPdf, signPdf, verifyPdf } from './pdf.ts';
import {
  type DocumentContent,
  LocalText,
  MAX_PRINTED_FIELDS,
  PrintedField,
  type Verification,
  type VerifiedDocument,
} from './schemas.ts';
import {
  agencyOfPurpose,
  type DocumentSigner,
  ed25519Signer,
  findDocumentKey,
  type PublicKeyInfo,
  verifiesUnder,
} from './signer.ts';
import * as store from './store.ts';

/** What the approval hands over: the printed fields already formatted as they should read. */
export const IssueInput = Type.Object({
  agencyId: Type.String({ minLength: 1 }),
  applicationId: Type.String({ minLength: 1, maxLength: 200 }),
  serviceSlug: Type.String({ minLength: 1, maxLength: 60 }),
  serviceName: LocalText,
  documentName: LocalText,
  fields: Type.Array(PrintedField, { maxItems: MAX_PRINTED_FIELDS }),
  /** The approving officer; null when the platform issues on its own. */
  issuedBy: Type.Union([Type.String(), Type.Null()]),
});
export type IssueInput = typeof IssueInput.static;

export interface IssuedDocument {
  id: string;
  number: string;
  issuedAt: string;
  /** The signed PDF, as stored. */
  pdf: Buffer;
}

/** Roles of the issuing agency that may revoke its documents. */
const REVOKING_ROLES = ['approver', 'supervisor', 'agency_admin'] as const;
/** A rotation between signing the content and signing the PDF is retried this often. */
const SIGNING_ATTEMPTS = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INVALID: Verification = { status: 'invalid' };

/** Ciphertexts are bound to their column and row, so one cannot be moved onto another document. */
const contentContext = (id: string) => `documents.content:${id}`;
const pdfContext = (id: string) => `documents.pdf:${id}`;

export function verificationPath(id: string): string {
  return `/verify/${id}`;
}

/**
 * Issues a signed document inside the caller's transaction (the approval), so the document, its
 * number and its audit leaf exist exactly when the approval does. The agency's data key must be
 * loaded (it is at start and when an agency is created).
 */
export async function issueDocument(
  trx: Db,
  ctx: AppContext,
  input: IssueInput,
  options: { signer?: DocumentSigner; now?: number } = {},
): Promise<IssuedDocument> {
  if (!Value.Check(IssueInput, input)) throw new DomainError('request.invalid', { reason: 'document input' });
  const now = options.now ?? Date.now();
  const agency = await store.findAgencyById(trx, input.agencyId);
  if (!agency) throw new Error(`unknown agency ${input.agencyId}`);
  const signer = options.signer ?? ed25519Signer(trx, ctx.keyring, () => now);
  const id = newId(now);
  const issuedAt = nowIso(now);
  const year = yearIn(agency.timezone, now);
  const seq = await store.nextSequence(trx, agency.id, year);
  const content: DocumentContent = {
    v: 1,
    id,
    number: formatDocumentNumber(agency.code, year, seq),
    agency: { slug: agency.slug, name: { id: agency.name_id, en: agency.name_en } },
    service: { slug: input.serviceSlug, name: input.serviceName },
    documentName: input.documentName,
    fields: input.fields.map((f) => ({ label: { id: f.label.id, en: f.label.en }, value: f.value })),
    issuedAt,
  };
  const canonical = canonicalContent(content);
  const printedUrl = `${ctx.config.publicUrl}${verificationPath(id)}`;

  let signed: { keyId: string; signature: Buffer; pdf: Buffer } | undefined;
  for (let attempt = 0; attempt < SIGNING_ATTEMPTS && !signed; attempt++) {
    const { keyId, signature } = await signer.sign(agency.id, contentMessage(canonical));
    const unsigned = await renderDocumentPdf({
      content,
      keyId,
      qrUrl: `${printedUrl}?s=${toBase64Url(signature)}`,
      printedUrl,
      timeZone: agency.timezone,
    });
    const pdfSignature = await signer.sign(agency.id, pdfSigningMessage(unsigned));
    // The PDF names its key before it is signed; a key rotated in between means drawing it again.
    if (pdfSignature.keyId === keyId)
      signed = { keyId, signature, pdf: signPdf(unsigned, pdfSignature.signature) };
  }
  if (!signed) throw new Error('the agency document key kept changing while signing');

  await store.insertDocument(trx, {
    id,
    agency_id: agency.id,
    application_id: input.applicationId,
    number: content.number,
    content_enc: ctx.keyring.encrypt(agency.id, canonical, contentContext(id)),
    content_sha256: sha256Hex(canonical),
    key_id: signed.keyId,
    signature: signed.signature,
    pdf_enc: ctx.keyring.encrypt(agency.id, signed.pdf.toString('base64'), pdfContext(id)),
    pdf_sha256: sha256Hex(signed.pdf),
    status: 'valid',
    revoked_reason: null,
    revoked_by: null,
    revoked_at: null,
    issued_by: input.issuedBy,
    issued_at: issuedAt,
  });
  await appendAuditLeaf(
    trx,
    {
      type: 'document.issued',
      actorId: input.issuedBy,
      agencyId: agency.id,
      subjectId: id,
      facts: { number: content.number, application: input.applicationId, key: signed.keyId },
      personal: content,
    },
    now,
  );
  return { id, number: content.number, issuedAt, pdf: signed.pdf };
}

/** Summary of an issued document, for the applications module and downloads. */
export interface DocumentSummary {
  id: string;
  number: string;
  agencyId: string;
  applicationId: string;
  status: 'valid' | 'revoked';
  issuedAt: string;
  revokedAt: string | null;
}

function summary(row: store.DocumentRow): DocumentSummary {
  return {
    id: row.id,
    number: row.number,
    agencyId: row.agency_id,
    applicationId: row.application_id,
    status: row.status,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
  };
}

export async function findDocument(ctx: AppContext, id: string): Promise<DocumentSummary | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await store.findDocument(ctx.db, id);
  return row ? summary(row) : undefined;
}

export async function documentsOfApplication(
  ctx: AppContext,
  applicationId: string,
): Promise<DocumentSummary[]> {
  return (await store.documentsOfApplication(ctx.db, applicationId)).map(summary);
}

/** The signed PDF for a download. Whether the caller may have it is the caller's decision. */
export async function documentPdf(ctx: AppContext, id: string): Promise<Buffer | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await store.findDocument(ctx.db, id);
  if (!row) return undefined;
  return Buffer.from(await ctx.keyring.decrypt(row.pdf_enc, pdfContext(row.id)), 'base64');
}

/**
 * The stored document as the verification page shows it, after checking the record itself: its
 * content must still hash to what was signed and the stored signature must verify under the
 * agency's published key, so a row edited in the database is shown invalid too.
 */
async function verifiedRecord(
  ctx: AppContext,
  row: store.DocumentRow,
): Promise<{ document: VerifiedDocument; message: Buffer; keys: PublicKeyInfo[] } | undefined> {
  const canonical = await ctx.keyring.decrypt(row.content_enc, contentContext(row.id));
  if (sha256Hex(canonical) !== row.content_sha256) return undefined;
  const content = JSON.parse(canonical) as DocumentContent;
  if (content.id !== row.id || content.number !== row.number || content.issuedAt !== row.issued_at)
    return undefined;
  const keys = await ed25519Signer(ctx.db, ctx.keyring).publicKeys(row.agency_id);
  const agency = await store.findAgencyById(ctx.db, row.agency_id);
  const message = contentMessage(canonical);
  if (!verifiesUnder(keys, row.key_id, message, Buffer.from(row.signature), row.issued_at)) return undefined;
  return {
    document: {
      id: content.id,
      number: content.number,
      agency: content.agency,
      service: content.service,
      documentName: content.documentName,
      fields: content.fields,
      issuedAt: content.issuedAt,
      timeZone: agency?.timezone ?? 'Asia/Jakarta',
      keyId: row.key_id,
      revokedAt: row.revoked_at,
      revokedReason: row.revoked_reason,
    },
    message,
    keys,
  };
}

function statusOf(row: store.DocumentRow, document: VerifiedDocument): Verification {
  return { status: row.status === 'revoked' ? 'revoked' : 'valid', document };
}

/**
 * The verification of `/verify/<id>`. With the signature from the QR code, it must verify over
 * the document's content; an unknown id and a wrong signature answer the same "invalid".
 */
export async function verifyDocumentId(
  ctx: AppContext,
  id: string,
  signatureFromQr?: Buffer,
): Promise<Verification> {
  if (!UUID.test(id)) return INVALID;
  const row = await store.findDocument(ctx.db, id);
  if (!row) return INVALID;
  const record = await verifiedRecord(ctx, row);
  if (!record) return INVALID;
  if (
    signatureFromQr !== undefined &&
    !verifiesUnder(record.keys, row.key_id, record.message, signatureFromQr, row.issued_at)
  )
    return INVALID;
  return statusOf(row, record.document);
}

/**
 * The verification of an uploaded PDF: its embedded signature must verify under the published
 * key it names (of the agency that issued the document it names), and the file must be the one
 * issued, byte for byte.
 */
export async function verifyUploadedPdf(ctx: AppContext, bytes: Buffer): Promise<Verification> {
  const claimed = readPdfSignature(bytes);
  if (!claimed) return INVALID;
  const key = await findDocumentKey(ctx.db, claimed.keyId);
  if (!key) return INVALID;
  if (!verifyPdf(bytes, [key])) return INVALID;
  const row = await store.findDocument(ctx.db, claimed.documentId);
  if (
    !row ||
    agencyOfPurpose(key.purpose) !== row.agency_id ||
    row.key_id !== claimed.keyId ||
    row.number !== claimed.number ||
    row.issued_at !== claimed.issuedAt
  )
    return INVALID;
  const stored = Buffer.from(row.pdf_sha256, 'hex');
  const given = Buffer.from(sha256Hex(bytes), 'hex');
  if (stored.length !== given.length || !timingSafeEqual(stored, given)) return INVALID;
  const record = await verifiedRecord(ctx, row);
  return record ? statusOf(row, record.document) : INVALID;
}

/** Revokes a document; only the issuing agency's approvers, supervisors and admins may. */
export async function revokeDocument(
  ctx: AppContext,
  actor: Principal | null,
  id: string,
  reason: string,
  now = Date.now(),
): Promise<DocumentSummary> {
  if (!actor) throw new DomainError('auth.not_authenticated');
  const text = reason.trim();
  if (text === '' || text.length > 500)
    throw new DomainError('request.invalid', { reason: 'revocation reason' });
  if (!UUID.test(id)) throw new DomainError('not_found');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await store.findDocument(trx, id);
    // Staff of other agencies learn nothing about the document, not even that it exists; staff
    // of the issuing agency without a revoking role are told they may not.
    if (!row || !isOwnAgency(actor, row.agency_id)) throw new DomainError('not_found');
    if (!REVOKING_ROLES.some((role) => hasRole(actor, role, row.agency_id)))
      throw new DomainError('auth.forbidden');
    const at = nowIso(now);
    if (!(await store.markRevoked(trx, id, { reason: text, by: actor.userId, at })))
      throw new DomainError('document.already_revoked');
    await appendAuditLeaf(
      trx,
      {
        type: 'document.revoked',
        actorId: actor.userId,
        agencyId: row.agency_id,
        subjectId: id,
        facts: { number: row.number },
        personal: { reason: text },
      },
      now,
    );
    return { ...summary(row), status: 'revoked' as const, revokedAt: at };
  });
}

function isOwnAgency(actor: Principal, agencyId: string): boolean {
  return actor.grants.some((g) => g.agencyId === agencyId);
}

/** The published document keys of an agency, or undefined for an unknown agency. */
export async function agencyDocumentKeys(
  ctx: AppContext,
  slug: string,
): Promise<PublicKeyInfo[] | undefined> {
  const agency = await store.findAgencyBySlug(ctx.db, slug);
  if (!agency) return undefined;
  return ed25519Signer(ctx.db, ctx.keyring).publicKeys(agency.id);
}
