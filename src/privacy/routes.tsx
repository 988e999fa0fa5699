import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { CITIZEN, staff } from '../identity/policy.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError, FieldErrors } from '../web/domain-error.ts';
import { pageContext, SESSION_COOKIE, sendHtml } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { renderRefusal } from '../web/refusal.ts';
import type { RouteDeps } from '../web/server.ts';
import { dataOfficersOf, listAccessLog } from './access.ts';
import { optionalConsents, setOptionalConsent } from './consent.ts';
import { exportMyData } from './export.ts';
import {
  AdminRequestsPage,
  DeletionResultPage,
  ExportPage,
  PrivacyPage,
  type PrivacyPageView,
} from './pages.tsx';
import {
  closeAccount,
  correctableApplications,
  listAgencyRequests,
  listMyRequests,
  markRequestHandled,
  requestCorrection,
  requestDeletion,
} from './requests.ts';
import { AccessLogAnswer, MyDataExportSchema } from './schemas.ts';
import { accessSentence } from './text.ts';

const DONE = ['correction', 'consent'] as const;
const DoneQuery = Type.Object({
  done: Type.Optional(Type.Union(DONE.map((d) => Type.Literal(d)))),
});
const CorrectionForm = Type.Object({
  _csrf: Type.String(),
  applicationId: Type.String({ maxLength: 40 }),
  details: Type.String({ maxLength: 4000 }),
});
const DeletionForm = Type.Object({
  _csrf: Type.String(),
  confirm: Type.Optional(Type.String({ maxLength: 5 })),
});
const CloseForm = Type.Object({
  _csrf: Type.String(),
  password: Type.String({ maxLength: 200 }),
  confirm: Type.Optional(Type.String({ maxLength: 5 })),
});
const ConsentForm = Type.Object({
  _csrf: Type.String(),
  purpose: Type.String({ maxLength: 60 }),
  give: Type.Union([Type.Literal('0'), Type.Literal('1')]),
});
const RequestParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const HandledForm = Type.Object({
  _csrf: Type.String(),
  note: Type.Optional(Type.String({ maxLength: 4000 })),
});

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('auth.not_authenticated');
  return request.principal;
}

/** The citizen's privacy rights: who looked at my data, export, correction, deletion or restriction, consent. */
export const privacyRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo },
) => {
  /** Everything the privacy page shows, for a first view or a form shown again with its problems. */
  async function privacyView(
    request: FastifyRequest,
    extra: Partial<PrivacyPageView> = {},
  ): Promise<PrivacyPageView> {
    const citizen = principalOf(request);
    return {
      page: pageContext(request, csrfSecret, isDemo),
      access: await listAccessLog(ctx, citizen),
      consents: await optionalConsents(ctx, citizen.userId),
      correctable: await correctableApplications(ctx, citizen),
      requests: await listMyRequests(ctx, citizen),
      officers: await dataOfficersOf(ctx, citizen),
      ...extra,
    };
  }

  // JSON API ------------------------------------------------------------------------------------

  app.get(
    '/api/v1/me/access-log',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['privacy'],
        summary:
          'Every time staff opened the citizen’s applications, or applications carrying their NIK: who, role, agency, which data, when',
        security: [{ session: [] }],
        response: { 200: AccessLogAnswer },
      },
    },
    async (request) => {
      const entries = await listAccessLog(ctx, principalOf(request));
      return { entries: entries.map((e) => ({ ...e, text: accessSentence(request.lang, e) })) };
    },
  );

  app.get(
    '/api/v1/me/export',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['privacy'],
        summary:
          'Everything kept about the citizen: account (NIK masked), applications with answers, history, attachments (described), notifications, consents, requests, access log',
        security: [{ session: [] }],
        response: { 200: MyDataExportSchema },
      },
    },
    async (request, reply) => {
      const data = await exportMyData(ctx, principalOf(request));
      reply.header(
        'content-disposition',
        `attachment; filename="gapura-data-${data.generatedAt.slice(0, 10)}.json"`,
      );
      reply.header('cache-control', 'no-store');
      return data;
    },
  );

  // Citizen pages -------------------------------------------------------------------------------

  app.get(
    '/account/privacy',
    { config: { policy: CITIZEN }, schema: { hide: true, querystring: DoneQuery } },
    async (request, reply) => {
      const done = request.query.done;
      const notice =
        done === 'correction'
          ? t(request.lang, 'privacy.correction_sent')
          : done === 'consent'
            ? t(request.lang, 'privacy.consent_saved')
            : undefined;
      reply.header('cache-control', 'no-store');
      return sendHtml(reply, <PrivacyPage {...(await privacyView(request, { notice }))} />);
    },
  );

  app.get(
    '/account/privacy/export',
    { config: { policy: CITIZEN }, schema: { hide: true } },
    async (request, reply) => {
      const data = await exportMyData(ctx, principalOf(request), { withDefinitions: true });
      reply.header('cache-control', 'no-store');
      return sendHtml(reply, <ExportPage page={pageContext(request, csrfSecret, isDemo)} data={data} />);
    },
  );

  app.post(
    '/account/privacy/correction',
    { config: { policy: CITIZEN }, schema: { hide: true, body: CorrectionForm } },
    async (request, reply) => {
      const { applicationId, details } = request.body;
      try {
        await requestCorrection(ctx, principalOf(request), { applicationId, details });
        return reply.redirect('/account/privacy?done=correction#requests', 303);
      } catch (err) {
        // renderRefusal sends what the callback returns as it is: the page is built before it.
        const view = await privacyView(request, { correction: { applicationId, details } });
        return renderRefusal(request, reply, err, (fieldErrors, formError) => (
          <PrivacyPage {...view} fieldErrors={fieldErrors} formError={formError} />
        ));
      }
    },
  );

  app.post(
    '/account/privacy/deletion',
    { config: { policy: CITIZEN }, schema: { hide: true, body: DeletionForm } },
    async (request, reply) => {
      try {
        if (request.body.confirm !== '1')
          throw new FieldErrors([
            {
              field: 'confirm',
              code: 'required',
              message: {
                id: t('id', 'privacy.deletion_confirm_missing'),
                en: t('en', 'privacy.deletion_confirm_missing'),
              },
            },
          ]);
        const results = await requestDeletion(ctx, principalOf(request));
        return sendHtml(
          reply,
          <DeletionResultPage page={pageContext(request, csrfSecret, isDemo)} results={results} />,
        );
      } catch (err) {
        const view = await privacyView(request);
        return renderRefusal(request, reply, err, (fieldErrors, formError) => (
          <PrivacyPage {...view} fieldErrors={fieldErrors} formError={formError} />
        ));
      }
    },
  );

  app.post(
    '/account/privacy/close',
    { config: { policy: CITIZEN }, schema: { hide: true, body: CloseForm } },
    async (request, reply) => {
      try {
        if (request.body.confirm !== '1')
          throw new FieldErrors([
            {
              field: 'close-confirm',
              code: 'required',
              message: {
                id: t('id', 'privacy.deletion_confirm_missing'),
                en: t('en', 'privacy.deletion_confirm_missing'),
              },
            },
          ]);
        const results = await closeAccount(ctx, principalOf(request), request.body.password);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        // The rest of this response is for someone no longer signed in.
        request.principal = null;
        return sendHtml(
          reply,
          <DeletionResultPage page={pageContext(request, csrfSecret, isDemo)} results={results} closed />,
        );
      } catch (err) {
        const view = await privacyView(request);
        return renderRefusal(request, reply, err, (fieldErrors, formError) => (
          <PrivacyPage {...view} fieldErrors={fieldErrors} formError={formError} />
        ));
      }
    },
  );

  app.post(
    '/account/privacy/consent',
    { config: { policy: CITIZEN }, schema: { hide: true, body: ConsentForm } },
    async (request, reply) => {
      await setOptionalConsent(ctx, principalOf(request), request.body.purpose, request.body.give === '1');
      return reply.redirect('/account/privacy?done=consent#consent', 303);
    },
  );

  // Agency admin --------------------------------------------------------------------------------

  app.get(
    '/admin/privacy-requests',
    {
      config: { policy: staff('agency_admin') },
      schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.Literal('1')) }) },
    },
    async (request, reply) => {
      const requests = await listAgencyRequests(ctx, principalOf(request));
      const notice = request.query.done ? t(request.lang, 'privacy.admin_saved') : undefined;
      return sendHtml(
        reply,
        <AdminRequestsPage
          page={pageContext(request, csrfSecret, isDemo)}
          requests={requests}
          notice={notice}
        />,
      );
    },
  );

  app.post(
    '/admin/privacy-requests/:id',
    {
      config: { policy: staff('agency_admin') },
      schema: { hide: true, params: RequestParams, body: HandledForm },
    },
    async (request, reply) => {
      const admin = principalOf(request);
      const note = request.body.note ?? '';
      try {
        await markRequestHandled(ctx, admin, request.params.id, note);
        return reply.redirect('/admin/privacy-requests?done=1', 303);
      } catch (err) {
        // Another agency's request, or none: the error page, not a form with nothing to fix.
        if (!(err instanceof FieldErrors)) throw err;
        const requests = await listAgencyRequests(ctx, admin);
        return renderRefusal(request, reply, err, (fieldErrors, formError) => (
          <AdminRequestsPage
            page={pageContext(request, csrfSecret, isDemo)}
            requests={requests}
            failed={{ id: request.params.id, note, error: fieldErrors.note ?? formError ?? '' }}
          />
        ));
      }
    },
  );
};
