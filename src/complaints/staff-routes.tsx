/**
 * Complaint staff's pages: the platform's complaint admin works the queue (verify, postpone,
 * archive, not our authority, dispose) and sets each agency's follow-up time; the agency's
 * complaint handler and supervisor work their inbox (follow-up, answer to an appeal, return to the
 * admin); both can redact the text the public reads.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { staff } from '../identity/policy.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError, FieldErrors } from '../web/domain-error.ts';
import { errorMessage, mapError } from '../web/errors.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { type Lang, t } from '../web/i18n/index.ts';
import type { RouteDeps } from '../web/server.ts';
import { readAttachment } from './attachments.ts';
import { actAsStaff } from './handling.ts';
import { QueuePage, SettingsPage, StaffDetailPage } from './pages/staff-pages.tsx';
import { redactComplaint } from './publication.ts';
import { inboxAgencies, staffRow } from './service.ts';
import { followUpSettings, setFollowUpDays } from './settings.ts';
import { heldOf, versionOf } from './site-routes.tsx';
import * as store from './store.ts';
import { staffView, summariesOf } from './views.ts';
import { COMPLAINT_WORKFLOW } from './workflow.ts';

export const STAFF_ROLES = ['complaint_admin', 'complaint_handler', 'supervisor'] as const;
const PER_PAGE = 50;
const ADMIN_OPEN = ['received', 'postponed', 'verified'];
const AGENCY_OPEN = ['disposed', 'appealed'];
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const QueueQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.String({ maxLength: 6 })),
});

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('auth.not_authenticated');
  return request.principal;
}

/** The states a queue filter names: open ones of that queue, all, or one state. */
export function statesOf(
  kind: 'admin' | 'agency',
  filter: string | undefined,
): { filter: string; states: string[] } {
  const all = COMPLAINT_WORKFLOW.states.map((s) => s.key);
  if (filter === 'all') return { filter, states: all };
  if (filter && all.includes(filter)) return { filter, states: [filter] };
  return { filter: 'open', states: kind === 'admin' ? ADMIN_OPEN : AGENCY_OPEN };
}

function filtersOf(lang: Lang) {
  return [
    { value: 'open', label: t(lang, 'complaints.filter_open') },
    ...COMPLAINT_WORKFLOW.states.map((s) => ({ value: s.key, label: s.label[lang] })),
    { value: 'all', label: t(lang, 'complaints.filter_all') },
  ];
}

export const complaintStaffRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo },
) => {
  const pageOf = (request: FastifyRequest) => pageContext(request, csrfSecret, isDemo);

  async function queue(
    request: FastifyRequest,
    kind: 'admin' | 'agency',
    query: { state?: string; page?: string },
  ) {
    const principal = principalOf(request);
    const { filter, states } = statesOf(kind, query.state);
    const pageNumber = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
    const { rows, total } = await store.listQueue(
      ctx.db,
      kind === 'admin' ? { states } : { states, agencyIds: inboxAgencies(principal) },
      (pageNumber - 1) * PER_PAGE,
      PER_PAGE,
    );
    return (
      <QueuePage
        page={pageOf(request)}
        kind={kind}
        items={await summariesOf(ctx, rows)}
        total={total}
        filter={filter}
        filters={filtersOf(request.lang)}
      />
    );
  }

  app.get(
    '/complaints/admin',
    { config: { policy: staff('complaint_admin') }, schema: { hide: true, querystring: QueueQuery } },
    async (request, reply) => sendHtml(reply, await queue(request, 'admin', request.query)),
  );

  app.get(
    '/complaints/inbox',
    {
      config: { policy: staff('complaint_handler', 'supervisor') },
      schema: { hide: true, querystring: QueueQuery },
    },
    async (request, reply) => sendHtml(reply, await queue(request, 'agency', request.query)),
  );

  // One complaint ------------------------------------------------------------------------------------

  const DONE: Record<string, 'complaints.done_action' | 'complaints.done_redacted'> = {
    action: 'complaints.done_action',
    redacted: 'complaints.done_redacted',
  };

  app.get(
    '/complaints/staff/:id',
    {
      config: { policy: staff(...STAFF_ROLES) },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const row = await staffRow(ctx, principal, request.params.id);
      const done = request.query.done ? DONE[request.query.done] : undefined;
      return sendHtml(
        reply,
        <StaffDetailPage
          page={pageOf(request)}
          view={await staffView(ctx, principal, row)}
          flash={done ? t(request.lang, done) : undefined}
        />,
      );
    },
  );

  app.post(
    '/complaints/staff/:id/actions',
    {
      config: { policy: staff(...STAFF_ROLES) },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({
          _csrf: Type.String(),
          action: Type.String({ maxLength: 40 }),
          rowVersion: Type.String({ maxLength: 12 }),
          comment: Type.Optional(Type.String({ maxLength: 10_000 })),
          agency: Type.Optional(Type.String({ maxLength: 100 })),
          publicText: Type.Optional(Type.String({ maxLength: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { action, comment, agency, publicText } = request.body;
      try {
        await actAsStaff(ctx, principal, request.params.id, {
          action,
          rowVersion: versionOf(request.body.rowVersion),
          comment,
          agency,
          publicText,
        });
        // Agency staff who returned a report to the admin no longer see it: back to their inbox.
        const stillVisible = await staffRow(ctx, principal, request.params.id).then(
          () => true,
          () => false,
        );
        return reply.redirect(
          stillVisible ? `/complaints/staff/${request.params.id}?done=action` : '/complaints/inbox',
          303,
        );
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
        const row = await staffRow(ctx, principal, request.params.id);
        return sendHtml(
          reply,
          <StaffDetailPage
            page={pageOf(request)}
            view={await staffView(ctx, principal, row)}
            held={heldOf(err, request.lang, {
              action,
              comment: comment ?? '',
              agency: agency ?? '',
              publicText: publicText ?? '',
            })}
          />,
          mapError(err).status,
        );
      }
    },
  );

  app.post(
    '/complaints/staff/:id/redaction',
    {
      config: { policy: staff(...STAFF_ROLES) },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({
          _csrf: Type.String(),
          rowVersion: Type.String({ maxLength: 12 }),
          publicText: Type.Optional(Type.String({ maxLength: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const text = request.body.publicText ?? '';
      try {
        await redactComplaint(ctx, principal, request.params.id, {
          publicText: text,
          rowVersion: versionOf(request.body.rowVersion),
        });
        return reply.redirect(`/complaints/staff/${request.params.id}?done=redacted`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
        const row = await staffRow(ctx, principal, request.params.id);
        const message =
          err instanceof FieldErrors
            ? (err.problems[0]?.message[request.lang] ?? '')
            : errorMessage(request.lang, mapError(err));
        return sendHtml(
          reply,
          <StaffDetailPage
            page={pageOf(request)}
            view={await staffView(ctx, principal, row)}
            redaction={{ text, error: message }}
            error={message}
          />,
          mapError(err).status,
        );
      }
    },
  );

  app.get(
    '/complaints/staff/:id/attachments/:attachmentId',
    {
      config: { policy: staff(...STAFF_ROLES) },
      schema: {
        hide: true,
        params: Type.Object({
          id: Type.String({ maxLength: 40 }),
          attachmentId: Type.String({ maxLength: 40 }),
        }),
      },
    },
    async (request, reply) => {
      const row = await staffRow(ctx, principalOf(request), request.params.id);
      const file = await readAttachment(ctx, row.id, request.params.attachmentId);
      return reply
        .type(file.mime)
        .header('content-disposition', 'attachment')
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );

  // Follow-up times ------------------------------------------------------------------------------------

  app.get(
    '/complaints/admin/settings',
    {
      config: { policy: staff('complaint_admin') },
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 4 })) }),
      },
    },
    async (request, reply) =>
      sendHtml(
        reply,
        <SettingsPage
          page={pageOf(request)}
          settings={await followUpSettings(ctx)}
          flash={request.query.done === '1' ? t(request.lang, 'complaints.settings_saved') : undefined}
        />,
      ),
  );

  app.post(
    '/complaints/admin/settings',
    {
      config: { policy: staff('complaint_admin') },
      schema: {
        hide: true,
        body: Type.Object({
          _csrf: Type.String(),
          agency: Type.Optional(Type.String({ maxLength: 100 })),
          days: Type.Optional(Type.String({ maxLength: 6 })),
        }),
      },
    },
    async (request, reply) => {
      const agency = request.body.agency ?? '';
      const daysText = request.body.days?.trim() ?? '';
      try {
        await setFollowUpDays(
          ctx,
          principalOf(request),
          agency,
          /^\d{1,3}$/.test(daysText) ? Number(daysText) : Number.NaN,
        );
        return reply.redirect('/complaints/admin/settings?done=1', 303);
      } catch (err) {
        if (!(err instanceof FieldErrors)) throw err;
        return sendHtml(
          reply,
          <SettingsPage
            page={pageOf(request)}
            settings={await followUpSettings(ctx)}
            errors={{ agency, message: err.problems.map((p) => p.message[request.lang]).join(' ') }}
          />,
          400,
        );
      }
    },
  );
};
