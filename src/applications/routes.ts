import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { Slug } from '../catalog/schemas.ts';
import { documentPdf, verificationPath } from '../documents/service.ts';
import { CITIZEN, PUBLIC, staff } from '../identity/policy.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { isUploadedFile, parseMultipart } from '../web/multipart.ts';
import { NoContent } from '../web/schemas.ts';
import type { RouteDeps } from '../web/server.ts';
import { applicantActionOf, applicantDocument, applicantDocuments } from './applicant.ts';
import { getRevisionRequest, saveRevision } from './processing.ts';
import {
  claimApplication,
  editorRow,
  fileApplication,
  fileAtCounter,
  getApplication,
  getReceipt,
  listMyApplications,
  saveAnswers,
  startApplication,
  submitApplication,
  trackApplication,
} from './service.ts';
import {
  deleteAttachment,
  listAttachments,
  MAX_UPLOAD_BYTES,
  readAttachment,
  uploadAttachment,
} from './uploads.ts';

const Text = Type.Object({ id: Type.String(), en: Type.String() });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Answers = Type.Record(Type.String({ maxLength: 60 }), Type.Unknown(), {
  description: 'Answers keyed by field key; a group is an array of objects; files are upload ids',
});
const Receipt = Type.Object({
  id: Type.String(),
  trackingNumber: Type.String(),
  trackingSecret: Type.String({ description: 'printed on the receipt; needed to track without an account' }),
  state: Type.String(),
  submittedAt: Type.String(),
  dueAt: Type.String(),
});
const Stage = Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('closed')]);
const Outcome = Type.Union([
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('withdrawn'),
  Type.Null(),
]);
const View = Type.Object({
  id: Type.String(),
  stage: Stage,
  service: Type.Object({ slug: Type.String(), name: Text, version: Type.Integer() }),
  agency: Type.Object({ slug: Type.String(), name: Text }),
  state: Type.Union([
    Type.Object({ key: Type.String(), label: Text, applicantCanEdit: Type.Boolean() }),
    Type.Null(),
  ]),
  outcome: Outcome,
  trackingNumber: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  submittedAt: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
  rowVersion: Type.Integer(),
  assisted: Type.Boolean(),
});
const AnswerErrorItem = Type.Object({ path: Type.String(), code: Type.String(), message: Text });
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const IdempotencyKey = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' });
const session = [{ session: [] }];

/** The signed-in caller (the route's policy has already said who may call). */
function caller(principal: Principal | null): Principal {
  if (!principal) throw new DomainError('auth.not_authenticated');
  return principal;
}

/** The citizen's applications over JSON (for mobile apps and agency systems), and public tracking. */
export const applicationApiRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx }) => {
  // Uploads arrive as multipart forms; the body limit is the largest any field may allow, and
  // each field's own limit is checked by the service.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES + 64 * 1024 },
    async (request: FastifyRequest, body: Buffer) => parseMultipart(request, body),
  );

  app.post(
    '/api/v1/applications',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary:
          'Start an application (a draft), or with submit=true file it at once; then Idempotency-Key is required and a retry returns the first receipt',
        security: session,
        headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) }),
        body: Type.Object({
          service: Slug,
          answers: Type.Optional(Answers),
          submit: Type.Optional(Type.Boolean()),
          consent: Type.Optional(Type.Boolean()),
        }),
        response: { 201: Type.Object({ id: Type.String(), receipt: Type.Optional(Receipt) }) },
      },
    },
    async (request, reply) => {
      const applicant = caller(request.principal);
      const { service, answers = {}, submit, consent } = request.body;
      if (!submit) return reply.status(201).send(await startApplication(ctx, applicant, service, answers));
      const key = request.headers['idempotency-key'];
      if (!key) throw new DomainError('application.idempotency_key_required');
      const receipt = await fileApplication(ctx, applicant, service, answers, {
        consent: consent === true,
        lang: request.lang,
        idempotencyKey: key,
      });
      return reply.status(201).send({ id: receipt.id, receipt });
    },
  );

  app.get(
    '/api/v1/applications',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary: 'The caller’s applications, drafts included, newest change first',
        security: session,
        response: { 200: Type.Object({ items: Type.Array(View) }) },
      },
    },
    async (request) => ({ items: await listMyApplications(ctx, caller(request.principal)) }),
  );

  app.get(
    '/api/v1/applications/:id',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary: 'One of the caller’s applications with its answers and history',
        security: session,
        params: IdParams,
        response: {
          200: Type.Intersect([
            View,
            Type.Object({
              answers: Answers,
              history: Type.Array(
                Type.Object({
                  kind: Type.String(),
                  action: Nullable(Type.String()),
                  fromState: Nullable(Type.String()),
                  toState: Nullable(Type.String()),
                  at: Type.String(),
                }),
              ),
            }),
          ]),
        },
      },
    },
    async (request) => {
      const { definition: _definition, ...detail } = await getApplication(
        ctx,
        caller(request.principal),
        request.params.id,
      );
      return detail;
    },
  );

  app.patch(
    '/api/v1/applications/:id/answers',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary:
          'Save answers into a draft (merged; stored even when invalid) and get the problems of the answers sent',
        security: session,
        params: IdParams,
        body: Type.Object({ answers: Answers }),
        response: {
          200: Type.Object({ rowVersion: Type.Integer(), errors: Type.Array(AnswerErrorItem) }),
        },
      },
    },
    async (request) => saveAnswers(ctx, caller(request.principal), request.params.id, request.body.answers),
  );

  app.post(
    '/api/v1/applications/:id/submit',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary:
          'File a draft (every answer valid, consent given); sending it again returns the same receipt. 422 lists every problem',
        security: session,
        params: IdParams,
        body: Type.Object({ consent: Type.Boolean() }),
        response: { 200: Receipt },
      },
    },
    async (request) =>
      submitApplication(ctx, caller(request.principal), request.params.id, {
        consent: request.body.consent,
        lang: request.lang,
      }),
  );

  app.get(
    '/api/v1/applications/:id/receipt',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary: 'The receipt of a filed application: tracking number and secret',
        security: session,
        params: IdParams,
        response: { 200: Receipt },
      },
    },
    async (request) => getReceipt(ctx, caller(request.principal), request.params.id),
  );

  const UploadParams = Type.Object({
    id: Type.String({ maxLength: 40 }),
    uploadId: Type.String({ maxLength: 40 }),
  });
  const Upload = Type.Object({
    id: Type.String(),
    field: Type.String(),
    mime: Type.String(),
    size: Type.Integer(),
  });

  app.post(
    '/api/v1/applications/:id/uploads',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary:
          'Upload one file for a file field (multipart, part "file"): type checked by content, size and count limits from the form; refused uploads store nothing',
        security: session,
        params: IdParams,
        querystring: Type.Object({ field: Type.String({ minLength: 1, maxLength: 60 }) }),
        response: { 201: Upload },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      const file = typeof body === 'object' && body !== null && 'file' in body ? body.file : undefined;
      if (!isUploadedFile(file)) throw new DomainError('upload.empty');
      const stored = await uploadAttachment(
        ctx,
        caller(request.principal),
        request.params.id,
        request.query.field,
        file.bytes,
      );
      return reply.status(201).send(stored);
    },
  );

  app.get(
    '/api/v1/applications/:id/uploads',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary: 'The files uploaded to one of the caller’s applications',
        security: session,
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Intersect([Upload, Type.Object({ createdAt: Type.String() })])),
          }),
        },
      },
    },
    async (request) => ({ items: await listAttachments(ctx, caller(request.principal), request.params.id) }),
  );

  app.get(
    '/api/v1/applications/:id/uploads/:uploadId',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary: 'Download a file of one of the caller’s applications (integrity checked)',
        security: session,
        params: UploadParams,
        response: {
          200: {
            content: {
              'application/octet-stream': {
                schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      // Only the application's editor may download (the row check alone; no listing needed).
      await editorRow(ctx, caller(request.principal), request.params.id);
      const file = await readAttachment(ctx, request.params.id, request.params.uploadId);
      return reply
        .type(file.mime)
        .header('content-disposition', 'attachment')
        .header('cache-control', 'no-store')
        .send(file.bytes);
    },
  );

  app.delete(
    '/api/v1/applications/:id/uploads/:uploadId',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary: 'Remove a file from a draft',
        security: session,
        params: UploadParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await deleteAttachment(ctx, caller(request.principal), request.params.id, request.params.uploadId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/applications/:id/revision',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary:
          'What the agency asked to fix while the application waits for the applicant (409 application.not_editable otherwise): the flagged fields, the officer’s note, and the action that resubmits',
        security: session,
        params: IdParams,
        response: {
          200: Type.Object({
            flaggedFields: Type.Array(Type.Object({ key: Type.String(), label: Text })),
            comment: Nullable(Type.String()),
            requestedAt: Type.String(),
            rowVersion: Type.Integer(),
            resubmitAction: Nullable(
              Type.String({ description: 'POST it to /api/v1/applications/:id/actions' }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const applicant = caller(request.principal);
      const detail = await getApplication(ctx, applicant, request.params.id);
      const revision =
        detail.stage === 'active' && detail.state?.applicantCanEdit
          ? await getRevisionRequest(ctx, applicant, detail.id)
          : undefined;
      if (!revision) throw new DomainError('application.not_editable');
      const fields = detail.definition.form.sections.flatMap((s) => s.fields);
      return {
        flaggedFields: revision.flaggedFields.map((key) => ({
          key,
          label: fields.find((f) => f.key === key)?.label ?? { id: key, en: key },
        })),
        comment: revision.comment,
        requestedAt: revision.requestedAt,
        rowVersion: detail.rowVersion,
        resubmitAction:
          applicantActionOf(detail.definition, detail.state?.key ?? null, 'normal')?.key ?? null,
      };
    },
  );

  app.patch(
    '/api/v1/applications/:id/revision',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary:
          'Correct the flagged fields (only those: any other field is refused with 400 request.fields, code not_flagged). The whole application must still validate (422 lists the problems) or nothing is stored',
        security: session,
        params: IdParams,
        body: Type.Object({
          answers: Answers,
          rowVersion: Type.Optional(
            Type.Integer({ description: '409 application.changed when not the current one' }),
          ),
        }),
        response: { 200: Type.Object({ rowVersion: Type.Integer() }) },
      },
    },
    async (request) =>
      saveRevision(
        ctx,
        caller(request.principal),
        request.params.id,
        request.body.answers,
        request.body.rowVersion,
      ),
  );

  const DocumentParams = Type.Object({
    id: Type.String({ maxLength: 40 }),
    documentId: Type.String({ maxLength: 40 }),
  });

  app.get(
    '/api/v1/applications/:id/documents',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary: 'The documents issued for one of the caller’s applications (on approval)',
        security: session,
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                number: Type.String(),
                name: Text,
                status: Type.Union([Type.Literal('valid'), Type.Literal('revoked')]),
                issuedAt: Type.String(),
                revokedAt: Nullable(Type.String()),
                verificationUrl: Type.String({ description: 'the public verification page' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const applicant = caller(request.principal);
      const detail = await getApplication(ctx, applicant, request.params.id);
      const documents = await applicantDocuments(ctx, applicant, detail.id);
      const base = ctx.config.publicUrl.replace(/\/+$/, '');
      return {
        items: documents.map((d) => ({
          id: d.id,
          number: d.number,
          name: detail.definition.output.documentName,
          status: d.status,
          issuedAt: d.issuedAt,
          revokedAt: d.revokedAt,
          verificationUrl: `${base}${verificationPath(d.id)}`,
        })),
      };
    },
  );

  app.get(
    '/api/v1/applications/:id/documents/:documentId',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary: 'Download an issued document of one of the caller’s applications: the signed PDF',
        security: session,
        params: DocumentParams,
        response: {
          200: {
            content: {
              'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const document = await applicantDocument(
        ctx,
        caller(request.principal),
        request.params.id,
        request.params.documentId,
      );
      const pdf = await documentPdf(ctx, document.id);
      if (!pdf) throw new DomainError('not_found');
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment')
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.post(
    '/api/v1/counter/applications',
    {
      config: { policy: staff('counter_officer') },
      schema: {
        tags: ['applications'],
        summary:
          'Counter (assisted) mode: file an application for a walk-in citizen of the officer’s agency; the receipt with the tracking secret is printed for them',
        security: session,
        headers: Type.Object({ 'idempotency-key': IdempotencyKey }),
        body: Type.Object({ service: Slug, answers: Answers, consent: Type.Boolean() }),
        response: { 201: Receipt },
      },
    },
    async (request, reply) => {
      const officer = caller(request.principal);
      const receipt = await fileAtCounter(ctx, officer, request.body.service, request.body.answers, {
        consent: request.body.consent,
        lang: request.lang,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return reply.status(201).send(receipt);
    },
  );

  app.post(
    '/api/v1/applications/link',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['applications'],
        summary:
          'Link an application filed at a counter to the caller’s account with its tracking number and secret',
        security: session,
        body: Type.Object({
          trackingNumber: Type.String({ minLength: 1, maxLength: 40 }),
          secret: Type.String({ minLength: 1, maxLength: 40 }),
        }),
        response: { 200: Type.Object({ id: Type.String() }) },
      },
    },
    async (request) =>
      claimApplication(ctx, caller(request.principal), {
        trackingNumber: request.body.trackingNumber,
        secret: request.body.secret,
        client: request.ip,
      }),
  );

  app.post(
    '/api/v1/track',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['applications'],
        summary:
          'Where an application stands, without an account: tracking number and the secret on the receipt (rate limited; unknown numbers and wrong secrets get the same answer)',
        body: Type.Object({
          trackingNumber: Type.String({ minLength: 1, maxLength: 40 }),
          secret: Type.String({ minLength: 1, maxLength: 40 }),
        }),
        response: {
          200: Type.Object({
            trackingNumber: Type.String(),
            service: Text,
            agency: Text,
            state: Type.Union([Text, Type.Null()]),
            outcome: Outcome,
            submittedAt: Nullable(Type.String()),
            dueAt: Nullable(Type.String()),
          }),
        },
      },
    },
    async (request) =>
      trackApplication(ctx, {
        trackingNumber: request.body.trackingNumber,
        secret: request.body.secret,
        client: request.ip,
      }),
  );
};
