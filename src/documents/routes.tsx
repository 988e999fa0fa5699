import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC, staff } from '../identity/policy.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { isUploadedFile, parseMultipart } from '../web/multipart.ts';
import type { RouteDeps } from '../web/server.ts';
import { fromBase64Url } from './content.ts';
import { VerifyPage } from './pages.tsx';
import { PublicKeyItem, RevokeBody, Verification } from './schemas.ts';
import { agencyDocumentKeys, revokeDocument, verifyDocumentId, verifyUploadedPdf } from './service.ts';

/** Largest PDF accepted for verification: issued documents are a few dozen kilobytes. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Room for the multipart framing and the CSRF field around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/** The PDF in a request body: a raw application/pdf body or the `document` field of a form. */
function uploadedBytes(body: unknown): Buffer | undefined {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body !== 'object' || body === null || !('document' in body)) return undefined;
  return isUploadedFile(body.document) ? body.document.bytes : undefined;
}

type UploadProblem = 'missing' | 'not_pdf' | 'too_large';

function uploadProblem(bytes: Buffer | undefined): UploadProblem | undefined {
  if (!bytes || bytes.length === 0) return 'missing';
  if (bytes.length > MAX_UPLOAD_BYTES) return 'too_large';
  return bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC) ? undefined : 'not_pdf';
}

const UPLOAD_MESSAGE = {
  missing: 'documents.upload_missing',
  not_pdf: 'documents.upload_not_pdf',
  too_large: 'documents.upload_too_large',
} as const;

/** Verification answers change (revocation) and carry personal data: never cached, never indexed. */
function privateAnswer(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
}

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const QrQuery = Type.Object({ s: Type.Optional(Type.String({ maxLength: 200 })) });

/**
 * Issued documents over HTTP: the public verification page (by id from the QR code, or by
 * uploading the PDF), its JSON twin, the agencies' public document keys, and revocation.
 */
export const documentRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo },
) => {
  if (app.hasContentTypeParser('multipart/form-data')) app.removeContentTypeParser('multipart/form-data');
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD },
    async (request: FastifyRequest, body: Buffer) => parseMultipart(request, body),
  );
  app.addContentTypeParser(
    'application/pdf',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
    async (_request: FastifyRequest, body: Buffer) => body,
  );

  // A file over the limit is refused while the body is read; the page says so beside the field.
  app.setErrorHandler(async (err, request, reply) => {
    const code = (err as { code?: unknown }).code;
    if (request.url === '/verify' && request.method === 'POST' && code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const page = pageContext(request, csrfSecret, isDemo);
      return sendHtml(
        reply,
        <VerifyPage page={page} uploadError={t(request.lang, UPLOAD_MESSAGE.too_large)} />,
        413,
      );
    }
    throw err;
  });

  /** Page answer for a verification, or for an upload that could not be checked. */
  const verifyPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    view: { verification?: Verification; uploaded?: boolean; problem?: UploadProblem },
  ) => {
    privateAnswer(reply);
    const page = pageContext(request, csrfSecret, isDemo);
    const status = view.problem === 'too_large' ? 413 : view.problem ? 400 : 200;
    return sendHtml(
      reply,
      <VerifyPage
        page={page}
        verification={view.verification}
        uploaded={view.uploaded ?? false}
        uploadError={view.problem ? t(request.lang, UPLOAD_MESSAGE[view.problem]) : undefined}
      />,
      status,
    );
  };

  const verifyById = (id: string, s: string | undefined) => {
    if (s === undefined) return verifyDocumentId(ctx, id);
    const signature = fromBase64Url(s);
    return signature
      ? verifyDocumentId(ctx, id, signature)
      : Promise.resolve<Verification>({ status: 'invalid' });
  };

  app.get('/verify', { config: { policy: PUBLIC }, schema: { hide: true } }, async (request, reply) =>
    verifyPage(request, reply, {}),
  );

  app.get(
    '/verify/:id',
    { config: { policy: PUBLIC }, schema: { hide: true, params: IdParams, querystring: QrQuery } },
    async (request, reply) =>
      verifyPage(request, reply, { verification: await verifyById(request.params.id, request.query.s) }),
  );

  app.post('/verify', { config: { policy: PUBLIC }, schema: { hide: true } }, async (request, reply) => {
    const bytes = uploadedBytes(request.body);
    const problem = uploadProblem(bytes);
    if (problem || !bytes) return verifyPage(request, reply, { problem: problem ?? 'missing' });
    return verifyPage(request, reply, { verification: await verifyUploadedPdf(ctx, bytes), uploaded: true });
  });

  app.get(
    '/api/v1/documents/:id/verification',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['documents'],
        summary: 'Whether an issued document is authentic and still valid, with what it prints',
        description:
          'An unknown id and a signature (`s`, from the QR code) that does not match answer the same status "invalid".',
        params: IdParams,
        querystring: QrQuery,
        response: { 200: Verification },
      },
    },
    async (request, reply) => {
      privateAnswer(reply);
      return verifyById(request.params.id, request.query.s);
    },
  );

  app.post(
    '/api/v1/documents/verify',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['documents'],
        summary:
          'Verify an issued document from its PDF file (multipart field "document", or application/pdf)',
        response: { 200: Verification },
      },
    },
    async (request, reply) => {
      const bytes = uploadedBytes(request.body);
      const problem = uploadProblem(bytes);
      if (problem === 'too_large') throw new DomainError('request.too_large');
      if (problem === 'not_pdf') throw new DomainError('request.unsupported_type');
      if (problem || !bytes)
        throw new DomainError('request.invalid', { reason: 'no PDF file in "document"' });
      privateAnswer(reply);
      return verifyUploadedPdf(ctx, bytes);
    },
  );

  app.post(
    '/api/v1/documents/:id/revoke',
    {
      config: { policy: staff('approver', 'supervisor', 'agency_admin') },
      schema: {
        tags: ['documents'],
        summary: "Revoke an issued document (the issuing agency's approver, supervisor or admin)",
        security: [{ session: [] }],
        params: IdParams,
        body: RevokeBody,
        response: {
          200: Type.Object({
            id: Type.String(),
            number: Type.String(),
            status: Type.Literal('revoked'),
            revokedAt: Type.String(),
          }),
        },
      },
    },
    async (request) => {
      const revoked = await revokeDocument(ctx, request.principal, request.params.id, request.body.reason);
      return {
        id: revoked.id,
        number: revoked.number,
        status: 'revoked' as const,
        revokedAt: revoked.revokedAt ?? '',
      };
    },
  );

  app.get(
    '/api/v1/agencies/:slug/document-keys',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['documents'],
        summary: "The agency's public document keys (Ed25519), old ones included, with their validity",
        params: Type.Object({ slug: Type.String({ maxLength: 60 }) }),
        response: { 200: Type.Object({ agency: Type.String(), keys: Type.Array(PublicKeyItem) }) },
      },
    },
    async (request) => {
      const keys = await agencyDocumentKeys(ctx, request.params.slug);
      if (!keys) throw new DomainError('not_found');
      return {
        agency: request.params.slug,
        keys: keys.map((k) => ({
          keyId: k.keyId,
          algorithm: 'Ed25519' as const,
          publicKey: k.publicKey.toString('base64'),
          createdAt: k.createdAt,
          notAfter: k.notAfter,
          retiredAt: k.retiredAt,
        })),
      };
    },
  );
};
