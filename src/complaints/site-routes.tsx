/**
 * The public's and the complainant's complaint pages: filing (named, confidential or anonymous),
 * the receipt, following a report by number and secret, the citizen's own reports, and the public
 * list and page of published reports.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CITIZEN, PUBLIC } from '../identity/policy.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError, FieldErrors } from '../web/domain-error.ts';
import { errorMessage, mapError } from '../web/errors.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { parseMultipart } from '../web/multipart.ts';
import type { RouteDeps } from '../web/server.ts';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './attachments.ts';
import { fileComplaint } from './filing.ts';
import {
  consistentLocation,
  filesOf,
  filingOf,
  formOptions,
  initialValues,
  textOf,
  valuesOf,
} from './form-input.ts';
import { actAsOwner, actWithSecret } from './handling.ts';
import { ComplaintStatusPage, MyComplaintsPage, TrackFormPage } from './pages/complainant-pages.tsx';
import { type FileFormValues, FilePage, ReceiptPage } from './pages/file-page.tsx';
import type { HeldForm } from './pages/parts.tsx';
import { PublicComplaintPage, PublicListPage } from './pages/public-pages.tsx';
import { listOwnRows, ownRow, publishedRow, trackedRow } from './service.ts';
import * as store from './store.ts';
import { complainantView, publicView, summariesOf } from './views.ts';

const PER_PAGE = 20;
/** A form body: the CSRF token and the form's own fields (read one by one). */
const FormBody = Type.Object({ _csrf: Type.String() }, { additionalProperties: true, maxProperties: 100 });
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const ReplyForm = Type.Object({
  _csrf: Type.String(),
  action: Type.String({ maxLength: 40 }),
  rowVersion: Type.String({ maxLength: 12 }),
  comment: Type.Optional(Type.String({ maxLength: 10_000 })),
});
const TrackForm = Type.Object({
  _csrf: Type.String(),
  number: Type.Optional(Type.String({ maxLength: 100 })),
  secret: Type.Optional(Type.String({ maxLength: 100 })),
});

/** The version in a form: a whole number, or -1 (which no complaint has, so it is refused as changed). */
export function versionOf(text: string): number {
  return /^\d{1,9}$/.test(text) ? Number(text) : -1;
}

function citizenOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('auth.not_authenticated');
  return request.principal;
}

/** A refused action form, held for showing again: field problems by field, anything else on top. */
export function heldOf(
  err: DomainError,
  lang: 'id' | 'en',
  form: { action: string; comment?: string; agency?: string; publicText?: string },
): HeldForm {
  const fieldErrors: Record<string, string> = {};
  if (err instanceof FieldErrors) for (const p of err.problems) fieldErrors[p.field] ??= p.message[lang];
  return {
    action: form.action,
    comment: form.comment ?? '',
    agency: form.agency ?? '',
    publicText: form.publicText ?? '',
    fieldErrors,
    formError: err instanceof FieldErrors ? undefined : errorMessage(lang, mapError(err)),
  };
}

export const complaintPageRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo },
) => {
  // The filing form carries files; the parser runs before the CSRF check, so `_csrf` is checked as usual.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 256 * 1024 },
    async (request: FastifyRequest, body: Buffer) => parseMultipart(request, body),
  );
  const pageOf = (request: FastifyRequest) => pageContext(request, csrfSecret, isDemo);

  async function sendForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values: FileFormValues,
    status: number,
    errors: Record<string, string> = {},
    formError?: string,
  ) {
    const location = consistentLocation(values);
    const options = await formOptions(ctx, request.lang, request.principal, location);
    return sendHtml(
      reply,
      <FilePage
        page={pageOf(request)}
        values={location}
        options={options}
        errors={errors}
        formError={formError}
      />,
      status,
    );
  }

  // Filing ----------------------------------------------------------------------------------------

  app.get(
    '/complaints/new',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        querystring: Type.Object({
          service: Type.Optional(Type.String({ maxLength: 100 })),
          agency: Type.Optional(Type.String({ maxLength: 100 })),
          application: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => sendForm(request, reply, initialValues(request.query), 200),
  );

  app.post(
    '/complaints/new',
    { config: { policy: PUBLIC }, schema: { hide: true, body: FormBody } },
    async (request, reply) => {
      const body: Record<string, unknown> = request.body;
      const values = valuesOf(body);
      // Choosing a province or regency without JavaScript: show the next level, file nothing.
      if (textOf(body, '_region_refresh') !== '') return sendForm(request, reply, values, 200);
      try {
        const receipt = await fileComplaint(
          ctx,
          request.principal,
          filingOf(values, filesOf(body, 'attachments'), request.lang, request.ip),
        );
        return sendHtml(reply, <ReceiptPage page={pageOf(request)} receipt={receipt} />, 201);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const mapped = mapError(err);
        if (mapped.retryAfterSeconds !== undefined)
          reply.header('retry-after', String(mapped.retryAfterSeconds));
        if (err instanceof FieldErrors) {
          const errors: Record<string, string> = {};
          for (const p of err.problems) errors[p.field] ??= p.message[request.lang];
          return sendForm(request, reply, values, mapped.status, errors);
        }
        if (err.code.startsWith('upload.'))
          return sendForm(request, reply, values, mapped.status, {
            attachments: errorMessage(request.lang, mapped),
          });
        return sendForm(request, reply, values, mapped.status, {}, errorMessage(request.lang, mapped));
      }
    },
  );

  // Following a report with its number and secret ----------------------------------------------------

  app.get(
    '/complaints/track',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        querystring: Type.Object({ number: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) =>
      sendHtml(reply, <TrackFormPage page={pageOf(request)} number={request.query.number?.trim() ?? ''} />),
  );

  async function trackRefusal(request: FastifyRequest, reply: FastifyReply, number: string, err: unknown) {
    if (!(err instanceof DomainError)) throw err;
    const mapped = mapError(err);
    if (mapped.retryAfterSeconds !== undefined) reply.header('retry-after', String(mapped.retryAfterSeconds));
    return sendHtml(
      reply,
      <TrackFormPage page={pageOf(request)} number={number} error={errorMessage(request.lang, mapped)} />,
      mapped.status,
    );
  }

  app.post(
    '/complaints/track',
    { config: { policy: PUBLIC }, schema: { hide: true, body: TrackForm } },
    async (request, reply) => {
      const number = request.body.number?.trim() ?? '';
      const secret = request.body.secret?.trim() ?? '';
      if (number === '' || secret === '')
        return sendHtml(
          reply,
          <TrackFormPage
            page={pageOf(request)}
            number={number}
            error={t(request.lang, 'complaints.track_missing')}
          />,
          400,
        );
      try {
        const row = await trackedRow(ctx, { number, secret, client: request.ip });
        const view = await complainantView(ctx, row);
        return sendHtml(
          reply,
          <ComplaintStatusPage
            page={pageOf(request)}
            view={view}
            target="/complaints/track/actions"
            hidden={{ number: row.number, secret }}
          />,
        );
      } catch (err) {
        return trackRefusal(request, reply, number, err);
      }
    },
  );

  app.post(
    '/complaints/track/actions',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        body: Type.Intersect([
          ReplyForm,
          Type.Object({ number: Type.String({ maxLength: 100 }), secret: Type.String({ maxLength: 100 }) }),
        ]),
      },
    },
    async (request, reply) => {
      const { number, secret, action, comment } = request.body;
      const credentials = { number, secret, client: request.ip };
      let held: HeldForm | undefined;
      let notice: string | undefined;
      let status = 200;
      try {
        await actWithSecret(ctx, credentials, {
          action,
          rowVersion: versionOf(request.body.rowVersion),
          comment,
        });
        notice = t(request.lang, 'complaints.done_reply');
      } catch (err) {
        if (
          !(err instanceof DomainError) ||
          err.code === 'complaint.track_failed' ||
          err.code === 'auth.too_many_attempts'
        )
          return trackRefusal(request, reply, number, err);
        held = heldOf(err, request.lang, { action, comment: comment ?? '' });
        status = mapError(err).status;
      }
      const row = await trackedRow(ctx, credentials).catch(() => undefined);
      if (!row) return reply.redirect('/complaints/track', 303);
      return sendHtml(
        reply,
        <ComplaintStatusPage
          page={pageOf(request)}
          view={await complainantView(ctx, row)}
          target="/complaints/track/actions"
          hidden={{ number: row.number, secret }}
          held={held}
          notice={notice}
        />,
        status,
      );
    },
  );

  // The citizen's own reports -------------------------------------------------------------------------

  app.get(
    '/complaints/mine',
    { config: { policy: CITIZEN }, schema: { hide: true } },
    async (request, reply) => {
      const rows = await listOwnRows(ctx, citizenOf(request));
      return sendHtml(
        reply,
        <MyComplaintsPage page={pageOf(request)} items={await summariesOf(ctx, rows)} />,
      );
    },
  );

  app.get(
    '/complaints/mine/:id',
    {
      config: { policy: CITIZEN },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) }),
      },
    },
    async (request, reply) => {
      const row = await ownRow(ctx, citizenOf(request), request.params.id);
      return sendHtml(
        reply,
        <ComplaintStatusPage
          page={pageOf(request)}
          view={await complainantView(ctx, row)}
          target={`/complaints/mine/${row.id}/actions`}
          notice={request.query.done === '1' ? t(request.lang, 'complaints.done_reply') : undefined}
        />,
      );
    },
  );

  app.post(
    '/complaints/mine/:id/actions',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams, body: ReplyForm } },
    async (request, reply) => {
      const citizen = citizenOf(request);
      const { action, comment } = request.body;
      try {
        await actAsOwner(ctx, citizen, request.params.id, {
          action,
          rowVersion: versionOf(request.body.rowVersion),
          comment,
        });
        return reply.redirect(`/complaints/mine/${request.params.id}?done=1`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
        const row = await ownRow(ctx, citizen, request.params.id);
        return sendHtml(
          reply,
          <ComplaintStatusPage
            page={pageOf(request)}
            view={await complainantView(ctx, row)}
            target={`/complaints/mine/${row.id}/actions`}
            held={heldOf(err, request.lang, { action, comment: comment ?? '' })}
          />,
          mapError(err).status,
        );
      }
    },
  );

  // Published reports ----------------------------------------------------------------------------------

  app.get(
    '/complaints',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        querystring: Type.Object({
          agency: Type.Optional(Type.String({ maxLength: 100 })),
          page: Type.Optional(Type.String({ maxLength: 6 })),
        }),
      },
    },
    async (request, reply) => {
      const agencies = await store.listAgencies(ctx.db);
      const agency = agencies.find((a) => a.slug === request.query.agency);
      const pageNumber = Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1);
      const { rows, total } = await store.listPublished(
        ctx.db,
        agency?.id,
        (pageNumber - 1) * PER_PAGE,
        PER_PAGE,
      );
      return sendHtml(
        reply,
        <PublicListPage
          page={pageOf(request)}
          items={await summariesOf(ctx, rows)}
          total={total}
          pageNumber={pageNumber}
          perPage={PER_PAGE}
          agencies={agencies.map((a) => ({
            slug: a.slug,
            label: request.lang === 'id' ? a.name_id : a.name_en,
          }))}
          agency={agency?.slug ?? ''}
        />,
      );
    },
  );

  app.get(
    '/complaints/:number',
    {
      config: { policy: PUBLIC },
      schema: { hide: true, params: Type.Object({ number: Type.String({ maxLength: 40 }) }) },
    },
    async (request, reply) => {
      const view = await publicView(ctx, await publishedRow(ctx, request.params.number));
      return sendHtml(reply, <PublicComplaintPage page={pageOf(request)} view={view} />);
    },
  );
};
