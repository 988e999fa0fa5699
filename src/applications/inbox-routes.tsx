import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SIGNED_IN, staff } from '../identity/policy.ts';
import { INBOX_ROLES, type Principal } from '../identity/roles.ts';
import { DomainError, FieldErrors } from '../web/domain-error.ts';
import { errorMessage, isApiRequest, mapError } from '../web/errors.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { type Lang, type MessageKey, t } from '../web/i18n/index.ts';
import { isUploadedFile, parseMultipart } from '../web/multipart.ts';
import type { RouteDeps } from '../web/server.ts';
import {
  type DueFilter,
  getInboxAttachment,
  getInboxDetail,
  INBOX_MAX_PER_PAGE,
  type InboxDetail,
  type InboxQuery,
  listInbox,
} from './inbox.ts';
import { uploadOfficerDocument } from './officer-uploads.ts';
import { type ActionFormState, InboxDetailPage } from './pages/inbox-detail.tsx';
import { type InboxFilterValues, InboxListPage } from './pages/inbox-list.tsx';
import {
  assignApplication,
  claimApplication,
  MAX_COMMENT_CHARS,
  markIdentityVerified,
  takeAction,
} from './processing.ts';
import { MAX_UPLOAD_BYTES } from './uploads.ts';

interface Refusal {
  status: number;
  code: string;
  message: string;
}

function refusalOf(lang: Lang, err: unknown): Refusal | undefined {
  if (!(err instanceof DomainError)) return undefined;
  const mapped = mapError(err);
  return { status: mapped.status, code: mapped.code, message: errorMessage(lang, mapped) };
}

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('auth.not_authenticated');
  return request.principal;
}

const inboxStaff = staff(...INBOX_ROLES);
const session = [{ session: [] }];
const Text = Type.Object({ id: Type.String(), en: Type.String() });
const AnyObject = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true });
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const AttachmentParams = Type.Object({
  id: Type.String({ maxLength: 100 }),
  attachmentId: Type.String({ maxLength: 100 }),
});
const Binary = {
  content: {
    'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
    'image/jpeg': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
    'image/png': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
  },
};
const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};
const ActionBody = Type.Object({
  action: Type.String({ minLength: 1, maxLength: 60 }),
  rowVersion: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
  comment: Type.Optional(Type.String({ maxLength: MAX_COMMENT_CHARS })),
  flaggedFields: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 200 })),
  attachmentId: Type.Optional(Type.String({ maxLength: 200 })),
});
const ActionResult = Type.Object({
  id: Type.String(),
  state: Type.String(),
  stage: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  rowVersion: Type.Integer(),
});
const DUE = ['due_soon', 'overdue'] as const;

/** The detail as JSON: everything but the whole definition, actions and fields described briefly. */
function detailJson(detail: InboxDetail) {
  const { definition: _definition, sections, actions, attachments, ...rest } = detail;
  return {
    ...rest,
    attachments: attachments.map((a) => ({
      ...a,
      downloadUrl: `/api/v1/inbox/${encodeURIComponent(detail.id)}/attachments/${encodeURIComponent(a.id)}`,
    })),
    sections: sections.map((s) => ({
      key: s.key,
      title: s.title,
      fields: s.fields.map((f) => ({
        key: f.key,
        label: f.label,
        classification: f.classification,
        shown: f.shown,
      })),
    })),
    actions: actions.map((a) => ({
      key: a.key,
      label: a.label,
      to: a.to,
      kind: a.kind ?? 'normal',
      requiresComment: a.requiresComment ?? false,
      requiresDocument: a.requiresDocument ?? false,
    })),
  };
}

/** Notifications go out in Indonesian unless the applicant acts (then in the applicant's language). */
function notificationLang(request: FastifyRequest): Lang {
  return request.principal?.kind === 'citizen' ? request.lang : 'id';
}

function text(value: string | undefined, max: number): string {
  return (value ?? '').trim().slice(0, max);
}

function filterValues(query: Record<string, string | undefined>): {
  values: InboxFilterValues;
  parsed: InboxQuery;
  page: number;
} {
  const due = text(query.due, 20);
  const assigned = text(query.assigned, 20);
  const sort = text(query.sort, 20);
  const values: InboxFilterValues = {
    service: text(query.service, 100),
    state: text(query.state, 60),
    due: (DUE as readonly string[]).includes(due) ? due : '',
    assigned: assigned === 'me' || assigned === 'unassigned' ? assigned : '',
    sort: sort === 'submitted' ? 'submitted' : 'deadline',
  };
  const pageText = text(query.page, 6);
  const page = /^\d{1,6}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  return {
    values,
    page,
    parsed: {
      service: values.service || undefined,
      state: values.state || undefined,
      due: (values.due || undefined) as DueFilter | undefined,
      assigned: (values.assigned || undefined) as 'me' | 'unassigned' | undefined,
      sort: values.sort as 'deadline' | 'submitted',
      page,
    },
  };
}

const DONE_KEYS: Record<string, MessageKey> = {
  claimed: 'inbox.claim_done',
  assigned: 'inbox.assign_done',
  identity: 'inbox.identity_done',
};

/** Sends an attachment as a download: never shown inline, never cached, named by its field. */
function sendFile(reply: FastifyReply, file: { mime: string; bytes: Buffer; field: string }) {
  const name = `${file.field.replace(/[^A-Za-z0-9_-]/g, '-')}.${EXTENSIONS[file.mime] ?? 'bin'}`;
  return reply
    .type(file.mime)
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(file.bytes);
}

/** The officer inbox and workflow actions, as pages and JSON. */
export const inboxRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx, csrfSecret, isDemo }) => {
  // Documents for actions arrive as multipart forms. The parser runs before the CSRF hook, so the
  // page form's `_csrf` is checked as in every other form; the body may exceed the documents' own
  // limit so that a too-large file gets a clear message instead of a broken connection.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES + 256 * 1024 },
    async (request: FastifyRequest, body: Buffer) => parseMultipart(request, body),
  );

  // -------------------------------------------------------------------------------------------
  // JSON API

  app.get(
    '/api/v1/inbox',
    {
      config: { policy: inboxStaff },
      schema: {
        tags: ['inbox'],
        summary:
          "Active applications of the caller's agencies the caller can act on, with filters and counts",
        security: session,
        querystring: Type.Object({
          service: Type.Optional(Type.String({ maxLength: 100 })),
          state: Type.Optional(Type.String({ maxLength: 60 })),
          due: Type.Optional(Type.Union(DUE.map((d) => Type.Literal(d)))),
          assigned: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('unassigned')])),
          sort: Type.Optional(Type.Union([Type.Literal('deadline'), Type.Literal('submitted')])),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: INBOX_MAX_PER_PAGE })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Unsafe<unknown>({ type: 'object', additionalProperties: true })),
            total: Type.Integer(),
            page: Type.Integer(),
            perPage: Type.Integer(),
            counts: Type.Object({
              all: Type.Integer(),
              dueSoon: Type.Integer(),
              overdue: Type.Integer(),
              mine: Type.Integer(),
              unassigned: Type.Integer(),
              byState: Type.Array(Type.Object({ key: Type.String(), label: Text, count: Type.Integer() })),
              byService: Type.Array(Type.Object({ slug: Type.String(), name: Text, count: Type.Integer() })),
            }),
          }),
        },
      },
    },
    async (request) => listInbox(ctx, principalOf(request), request.query),
  );

  app.get(
    '/api/v1/inbox/:id',
    {
      config: { policy: inboxStaff },
      schema: {
        tags: ['inbox'],
        summary:
          'One application for agency staff: answers (specific data only for the roles named), history, SLA, actions. Every call is written to the access log.',
        security: session,
        params: IdParams,
        response: { 200: AnyObject },
      },
    },
    async (request) => detailJson(await getInboxDetail(ctx, principalOf(request), request.params.id)),
  );

  app.get(
    '/api/v1/inbox/:id/attachments/:attachmentId',
    {
      config: { policy: inboxStaff },
      schema: {
        tags: ['inbox'],
        summary:
          'Download a file of an application (staff who may see it; files of specific-data fields only for the roles named). Integrity checked; every download is written to the access log.',
        security: session,
        params: AttachmentParams,
        response: { 200: Binary },
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await getInboxAttachment(ctx, principalOf(request), request.params.id, request.params.attachmentId),
      ),
  );

  app.post(
    '/api/v1/applications/:id/action-documents',
    {
      config: { policy: inboxStaff },
      schema: {
        tags: ['inbox'],
        summary:
          'Upload the document an action requires (multipart, part "file"; PDF, JPEG or PNG checked by content, at most 10 MB). Pass the returned id as attachmentId when taking the action.',
        security: session,
        params: IdParams,
        querystring: Type.Object({ action: Type.String({ minLength: 1, maxLength: 60 }) }),
        response: {
          201: Type.Object({
            id: Type.String(),
            field: Type.String(),
            mime: Type.String(),
            size: Type.Integer(),
          }),
        },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      const file = typeof body === 'object' && body !== null && 'file' in body ? body.file : undefined;
      if (!isUploadedFile(file)) throw new DomainError('upload.empty');
      const stored = await uploadOfficerDocument(
        ctx,
        principalOf(request),
        request.params.id,
        request.query.action,
        file.bytes,
      );
      return reply.status(201).send(stored);
    },
  );

  app.post(
    '/api/v1/applications/:id/actions',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags: ['inbox'],
        summary:
          'Take a workflow action (staff of the agency with the role, or the applicant for applicant actions). 409 application.changed when rowVersion is not the current one.',
        security: session,
        params: IdParams,
        body: ActionBody,
        response: { 200: ActionResult },
      },
    },
    async (request) =>
      takeAction(ctx, principalOf(request), request.params.id, {
        ...request.body,
        lang: notificationLang(request),
      }),
  );

  app.post(
    '/api/v1/applications/:id/claim',
    {
      config: { policy: inboxStaff },
      schema: {
        tags: ['inbox'],
        summary: 'Take an application (409 application.claimed when another officer holds it)',
        security: session,
        params: IdParams,
        response: { 200: Type.Object({ assignedTo: Type.String() }) },
      },
    },
    async (request) => claimApplication(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/api/v1/applications/:id/assign',
    {
      config: { policy: staff('supervisor') },
      schema: {
        tags: ['inbox'],
        summary:
          "A supervisor hands an application to a member of the agency's inbox staff (null releases it)",
        security: session,
        params: IdParams,
        body: Type.Object({ userId: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]) }),
        response: { 200: Type.Object({ assignedTo: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (request) => assignApplication(ctx, principalOf(request), request.params.id, request.body.userId),
  );

  app.post(
    '/api/v1/applications/:id/identity-verified',
    {
      config: { policy: staff('counter_officer', 'verifier') },
      schema: {
        tags: ['inbox'],
        summary:
          "Mark that an officer checked the applicant's KTP-el (needed before approval where the service requires it)",
        security: session,
        params: IdParams,
        response: { 200: Type.Object({ rowVersion: Type.Integer(), verifiedAt: Type.String() }) },
      },
    },
    async (request) => markIdentityVerified(ctx, principalOf(request), request.params.id),
  );

  // -------------------------------------------------------------------------------------------
  // Pages

  const PageQuery = Type.Object({
    service: Type.Optional(Type.String({ maxLength: 500 })),
    state: Type.Optional(Type.String({ maxLength: 500 })),
    due: Type.Optional(Type.String({ maxLength: 500 })),
    assigned: Type.Optional(Type.String({ maxLength: 500 })),
    sort: Type.Optional(Type.String({ maxLength: 500 })),
    page: Type.Optional(Type.String({ maxLength: 50 })),
  });

  app.get(
    '/inbox',
    { config: { policy: inboxStaff }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const { values, parsed } = filterValues(request.query);
      const result = await listInbox(ctx, principalOf(request), parsed);
      return sendHtml(
        reply,
        <InboxListPage
          page={pageContext(request, csrfSecret, isDemo)}
          result={result}
          values={values}
          notices={[]}
        />,
      );
    },
  );

  const renderDetail = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: {
      status?: number;
      flash?: (detail: InboxDetail) => string | undefined;
      error?: string;
      conflict?: boolean;
      form?: ActionFormState;
    } = {},
  ) => {
    // One read per page view: each one writes an access-log row.
    const detail = await getInboxDetail(ctx, principalOf(request), id);
    return sendHtml(
      reply,
      <InboxDetailPage
        page={pageContext(request, csrfSecret, isDemo)}
        detail={detail}
        flash={extra.flash?.(detail)}
        error={extra.error}
        conflict={extra.conflict ?? false}
        form={extra.form}
      />,
      extra.status ?? 200,
    );
  };

  app.get(
    '/inbox/:id',
    {
      config: { policy: inboxStaff },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 60 })) }),
      },
    },
    async (request, reply) => {
      const done = request.query.done;
      const key = done ? DONE_KEYS[done] : undefined;
      const flash = (detail: InboxDetail) => {
        if (key) return t(request.lang, key);
        if (done !== 'action') return undefined;
        const last = [...detail.history].reverse().find((e) => e.kind === 'action');
        return t(request.lang, 'inbox.action_done', {
          action: last?.actionLabel?.[request.lang] ?? '',
          state: detail.state?.label[request.lang] ?? '',
        });
      };
      return renderDetail(request, reply, request.params.id, { flash });
    },
  );

  app.get(
    '/inbox/:id/attachments/:attachmentId',
    { config: { policy: inboxStaff }, schema: { hide: true, params: AttachmentParams } },
    async (request, reply) =>
      sendFile(
        reply,
        await getInboxAttachment(ctx, principalOf(request), request.params.id, request.params.attachmentId),
      ),
  );

  const PageActionBody = Type.Object({
    _csrf: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.String({ maxLength: 60 }),
    rowVersion: Type.String({ maxLength: 20 }),
    comment: Type.Optional(Type.String({ maxLength: 20_000 })),
    flaggedFields: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 200 })),
    /** A document uploaded by an earlier, refused attempt: kept so it need not be chosen again. */
    attachmentId: Type.Optional(Type.String({ maxLength: 2000 })),
    /** The action's document (multipart forms only); an empty file input sends an empty file. */
    document: Type.Optional(Type.Unknown()),
  });

  app.post(
    '/inbox/:id/actions',
    { config: { policy: inboxStaff }, schema: { hide: true, params: IdParams, body: PageActionBody } },
    async (request, reply) => {
      const body = request.body;
      const form: ActionFormState = {
        action: body.action,
        comment: body.comment ?? '',
        flaggedFields: body.flaggedFields ?? [],
        attachmentId: body.attachmentId ?? '',
        fieldErrors: {},
        formError: undefined,
      };
      const document =
        isUploadedFile(body.document) && body.document.bytes.length > 0 ? body.document : undefined;
      try {
        if (document)
          form.attachmentId = (
            await uploadOfficerDocument(
              ctx,
              principalOf(request),
              request.params.id,
              body.action,
              document.bytes,
            )
          ).id;
        await takeAction(ctx, principalOf(request), request.params.id, {
          action: body.action,
          rowVersion: /^\d{1,10}$/.test(body.rowVersion) ? Number(body.rowVersion) : -1,
          comment: body.comment,
          flaggedFields: body.flaggedFields,
          attachmentId: form.attachmentId || undefined,
          lang: notificationLang(request),
        });
      } catch (err) {
        const refusal = refusalOf(request.lang, err);
        if (!refusal || refusal.code === 'not_found' || refusal.code === 'auth.forbidden') throw err;
        if (err instanceof FieldErrors) {
          for (const p of err.problems) form.fieldErrors[p.field] ??= p.message[request.lang];
          // An unknown document is not offered again: the officer chooses a file instead.
          if (form.fieldErrors.attachmentId) form.attachmentId = '';
        } else if (refusal.code.startsWith('upload.')) form.fieldErrors.attachmentId = refusal.message;
        else form.formError = refusal.message;
        const conflict =
          refusal.code === 'application.changed' || refusal.code === 'application.action_unavailable';
        // After a conflict the form the officer used may be gone (the state moved on): the message
        // and the typed note then show at the top, so nothing is lost.
        const top = conflict ? refusal.message : undefined;
        return renderDetail(request, reply, request.params.id, {
          status: refusal.status,
          conflict,
          error: top,
          form: conflict ? { ...form, formError: undefined } : form,
        });
      }
      return reply.redirect(`/inbox/${encodeURIComponent(request.params.id)}?done=action`, 303);
    },
  );

  const FormOnly = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });

  const pagePost = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    done: string,
    run: () => Promise<unknown>,
  ) => {
    try {
      await run();
    } catch (err) {
      const refusal = refusalOf(request.lang, err);
      if (
        !refusal ||
        refusal.code === 'not_found' ||
        refusal.code === 'auth.forbidden' ||
        isApiRequest(request)
      )
        throw err;
      const message =
        err instanceof FieldErrors
          ? err.problems.map((p) => p.message[request.lang]).join(' ')
          : refusal.message;
      return renderDetail(request, reply, id, { status: refusal.status, error: message });
    }
    return reply.redirect(`/inbox/${encodeURIComponent(id)}?done=${done}`, 303);
  };

  app.post(
    '/inbox/:id/claim',
    { config: { policy: inboxStaff }, schema: { hide: true, params: IdParams, body: FormOnly } },
    async (request, reply) =>
      pagePost(request, reply, request.params.id, 'claimed', () =>
        claimApplication(ctx, principalOf(request), request.params.id),
      ),
  );

  app.post(
    '/inbox/:id/assign',
    {
      config: { policy: staff('supervisor') },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({
          _csrf: Type.Optional(Type.String({ maxLength: 200 })),
          userId: Type.Optional(Type.String({ maxLength: 100 })),
        }),
      },
    },
    async (request, reply) =>
      pagePost(request, reply, request.params.id, 'assigned', () =>
        assignApplication(ctx, principalOf(request), request.params.id, request.body.userId || null),
      ),
  );

  app.post(
    '/inbox/:id/identity',
    {
      config: { policy: staff('counter_officer', 'verifier') },
      schema: { hide: true, params: IdParams, body: FormOnly },
    },
    async (request, reply) =>
      pagePost(request, reply, request.params.id, 'identity', () =>
        markIdentityVerified(ctx, principalOf(request), request.params.id),
      ),
  );
};
