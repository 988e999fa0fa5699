import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditTrail } from '../audit/service.ts';
import {
  answerErrorMessages,
  answersFromForm,
  applyFormCommands,
  errorSummaryEntries,
} from '../catalog/pages/citizen-form.tsx';
import { ServiceNotFoundPage } from '../catalog/pages/service-page.tsx';
import { getPublished, type PublishedService } from '../catalog/service.ts';
import { documentPdf } from '../documents/service.ts';
import { CITIZEN, PUBLIC } from '../identity/policy.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError, FieldErrors } from '../web/domain-error.ts';
import { errorMessage, mapError } from '../web/errors.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { type Lang, t } from '../web/i18n/index.ts';
import { parseMultipart } from '../web/multipart.ts';
import type { RouteDeps } from '../web/server.ts';
import { applicantActionOf, applicantDocument, applicantDocuments, rejectionReason } from './applicant.ts';
import {
  filedReceipt,
  type ReviewView,
  receiptQrSvg,
  saveSection,
  sectionIndexOf,
  sendReceiptPdf,
  sendReviewRefusal,
  trackingCredentials,
  trackingRefusal,
  uploadSummary,
} from './form-flow.tsx';
import { storeFormUploads } from './form-uploads.ts';
import { MyApplicationsPage } from './pages/list-page.tsx';
import { ReceiptPage } from './pages/receipt-page.tsx';
import { ReviewPage } from './pages/review-page.tsx';
import {
  RevisionPage,
  type RevisionPageView,
  revisionDefinition,
  revisionSectionIndex,
} from './pages/revision-page.tsx';
import { SectionPage } from './pages/section-page.tsx';
import { StartPage } from './pages/start-page.tsx';
import { type StatusExtras, StatusPage } from './pages/status-page.tsx';
import { TrackPage } from './pages/track-page.tsx';
import { WithdrawPage } from './pages/withdraw-page.tsx';
import { getRevisionRequest, type RevisionRequest, saveRevision, takeAction } from './processing.ts';
import {
  AnswerProblems,
  type ApplicationDetail,
  getApplication,
  listMyApplications,
  startApplication,
  submitApplication,
  trackApplication,
} from './service.ts';
import { MAX_UPLOAD_BYTES } from './uploads.ts';

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const SectionParams = Type.Object({ id: Type.String({ maxLength: 40 }), n: Type.String({ maxLength: 3 }) });
/** A form body: the CSRF token and whatever the section's fields are called (checked by the validator). */
const FormBody = Type.Object({ _csrf: Type.String() }, { additionalProperties: true, maxProperties: 2000 });
const CsrfOnly = Type.Object({ _csrf: Type.String() });
const DocumentParams = Type.Object({
  id: Type.String({ maxLength: 40 }),
  documentId: Type.String({ maxLength: 40 }),
});
/** The applicant's action forms: the version they saw and an optional note. */
const ActionForm = Type.Object({
  _csrf: Type.String(),
  rowVersion: Type.String({ maxLength: 12 }),
  comment: Type.Optional(Type.String({ maxLength: 4000 })),
});
const DONE = ['resubmitted', 'withdrawn'] as const;

/** The version in a form: a whole number, or -1 (which no application has, so it is refused as changed). */
function versionOf(text: string): number {
  return /^\d{1,9}$/.test(text) ? Number(text) : -1;
}

/** Whether the applicant saved fixes since the agency asked for them. */
function revisedSince(detail: ApplicationDetail, request: RevisionRequest): boolean {
  const asked = Date.parse(request.requestedAt);
  return detail.history.some((e) => e.kind === 'revised' && Date.parse(e.at) >= asked);
}

/** A download name from a document number ("DKP/2026/000012" → "dokumen-DKP-2026-000012.pdf"). */
export function pdfFileName(number: string): string {
  return `dokumen-${number.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')}.pdf`;
}

/** The withdraw action the applicant may take now, if any (only while the application is active). */
function withdrawActionOf(detail: ApplicationDetail) {
  return detail.stage === 'active'
    ? applicantActionOf(detail.definition, detail.state?.key ?? null, 'withdraw')
    : undefined;
}

/** The refusal of an action's note (the `comment` field), to show on the note itself. */
function commentError(err: DomainError, lang: Lang): string | undefined {
  return err instanceof FieldErrors
    ? err.problems.find((p) => p.field === 'comment')?.message[lang]
    : undefined;
}

function citizenOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('auth.not_authenticated');
  return request.principal;
}

/** The citizen's application pages: apply section by section, review, receipt, my applications, public tracking. */
export const applicationPageRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo },
) => {
  // Section forms with file fields are sent as multipart; the parser runs before the CSRF check,
  // so the form's `_csrf` field is checked as in every other form.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES + 256 * 1024 },
    async (request: FastifyRequest, body: Buffer) => parseMultipart(request, body),
  );

  const pageOf = (request: FastifyRequest) => pageContext(request, csrfSecret, isDemo);
  const publicBase = ctx.config.publicUrl.replace(/\/+$/, '');
  const trackUrl = (tracking: string) => `${publicBase}/track?number=${encodeURIComponent(tracking)}`;

  /** The published service, or the catalogue's 404 page. */
  async function publishedOr404(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
  ): Promise<PublishedService | undefined> {
    try {
      return await getPublished(ctx, slug);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') {
        sendHtml(reply, <ServiceNotFoundPage page={pageOf(request)} />, 404);
        return undefined;
      }
      throw err;
    }
  }

  // Starting ------------------------------------------------------------------------------------

  // Public: a visitor sees what to have ready and the way to sign in; the page decides what to offer.
  app.get(
    '/services/:slug/apply',
    { config: { policy: PUBLIC }, schema: { hide: true, params: SlugParams } },
    async (request, reply) => {
      const service = await publishedOr404(request, reply, request.params.slug);
      if (!service) return reply;
      return sendHtml(reply, <StartPage page={pageOf(request)} service={service} />);
    },
  );

  app.post(
    '/services/:slug/apply',
    { config: { policy: CITIZEN }, schema: { hide: true, params: SlugParams, body: CsrfOnly } },
    async (request, reply) => {
      const service = await publishedOr404(request, reply, request.params.slug);
      if (!service) return reply;
      const { id } = await startApplication(ctx, citizenOf(request), service.entry.slug);
      return reply.redirect(`/applications/${id}/sections/0`, 303);
    },
  );

  // Filling in ----------------------------------------------------------------------------------

  app.get(
    '/applications/:id/sections/:n',
    { config: { policy: CITIZEN }, schema: { hide: true, params: SectionParams } },
    async (request, reply) => {
      const detail = await getApplication(ctx, citizenOf(request), request.params.id);
      const n = sectionIndexOf(detail.definition, request.params.n);
      if (detail.stage !== 'draft') return reply.redirect(`/applications/${detail.id}`);
      return sendHtml(
        reply,
        <SectionPage
          page={pageOf(request)}
          applicationId={detail.id}
          definition={detail.definition}
          sectionIndex={n}
          values={detail.answers}
          versionNotice={detail.versionNotice}
        />,
      );
    },
  );

  // Every submission saves what was typed; only a plain "continue" moves on (see `saveSection`).
  app.post(
    '/applications/:id/sections/:n',
    { config: { policy: CITIZEN }, schema: { hide: true, params: SectionParams, body: FormBody } },
    async (request, reply) => {
      const principal = citizenOf(request);
      const detail = await getApplication(ctx, principal, request.params.id);
      const base = `/applications/${detail.id}`;
      const n = sectionIndexOf(detail.definition, request.params.n);
      if (detail.stage !== 'draft') return reply.redirect(base, 303);
      return saveSection(reply, {
        ctx,
        page: pageOf(request),
        lang: request.lang,
        editor: principal,
        detail,
        sectionIndex: n,
        body: request.body as Record<string, unknown>,
        base,
        laterUrl: '/applications',
        pageProps: {},
      });
    },
  );

  // Reviewing and submitting ---------------------------------------------------------------------

  async function reviewView(request: FastifyRequest, id: string): Promise<ReviewView & { stage: string }> {
    const detail = await getApplication(ctx, citizenOf(request), id);
    const page = pageOf(request);
    return {
      page,
      applicationId: detail.id,
      definition: detail.definition,
      agencyName: detail.agency.name[page.lang],
      answers: detail.answers,
      stage: detail.stage,
      versionNotice: detail.versionNotice,
    };
  }

  app.get(
    '/applications/:id/review',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const view = await reviewView(request, request.params.id);
      if (view.stage !== 'draft') return reply.redirect(`/applications/${view.applicationId}`);
      return sendHtml(reply, <ReviewPage {...view} />);
    },
  );

  app.post(
    '/applications/:id/submit',
    {
      config: { policy: CITIZEN },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({ _csrf: Type.String(), consent: Type.Optional(Type.String({ maxLength: 10 })) }),
      },
    },
    async (request, reply) => {
      const principal = citizenOf(request);
      try {
        const receipt = await submitApplication(ctx, principal, request.params.id, {
          consent: request.body.consent === 'yes',
          lang: request.lang,
        });
        return reply.redirect(`/applications/${receipt.id}/receipt`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
        return sendReviewRefusal(reply, request.lang, err, await reviewView(request, request.params.id));
      }
    },
  );

  // After submitting -----------------------------------------------------------------------------

  /** The receipt and the names on it, or undefined (and a redirect to the review) for a draft. */
  async function receiptFacts(request: FastifyRequest, id: string) {
    return (await filedReceipt(ctx, citizenOf(request), id, request.lang, trackUrl))?.facts;
  }

  app.get(
    '/applications/:id/receipt',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const facts = await receiptFacts(request, request.params.id);
      if (!facts) return reply.redirect(`/applications/${request.params.id}/review`);
      const qrSvg = await receiptQrSvg(facts.trackUrl);
      return sendHtml(reply, <ReceiptPage page={pageOf(request)} receipt={facts} qrSvg={qrSvg} />);
    },
  );

  app.get(
    '/applications/:id/receipt.pdf',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const facts = await receiptFacts(request, request.params.id);
      if (!facts) return reply.redirect(`/applications/${request.params.id}/review`);
      const lang = request.lang;
      return sendReceiptPdf(reply, lang, facts, [
        t(lang, 'applications.secret_explain'),
        t(lang, 'applications.qr_caption'),
      ]);
    },
  );

  app.get(
    '/applications',
    { config: { policy: CITIZEN }, schema: { hide: true } },
    async (request, reply) => {
      const views = await listMyApplications(ctx, citizenOf(request));
      return sendHtml(reply, <MyApplicationsPage page={pageOf(request)} views={views} />);
    },
  );

  /** The revision request the application waits on, or undefined when the applicant cannot edit it. */
  async function revisionOf(principal: Principal, detail: ApplicationDetail) {
    if (detail.stage !== 'active' || !detail.state?.applicantCanEdit) return undefined;
    return getRevisionRequest(ctx, principal, detail.id);
  }

  async function statusExtras(principal: Principal, detail: ApplicationDetail): Promise<StatusExtras> {
    if (detail.stage === 'draft') return {};
    const state = detail.state?.key ?? null;
    const active = detail.stage === 'active';
    const request = await revisionOf(principal, detail);
    const documents = await applicantDocuments(ctx, principal, detail.id);
    return {
      revision: request
        ? {
            request,
            saved: revisedSince(detail, request),
            resubmit: applicantActionOf(detail.definition, state, 'normal'),
          }
        : undefined,
      withdraw: active ? applicantActionOf(detail.definition, state, 'withdraw') : undefined,
      documents,
      auditTrail: await auditTrail(ctx, [detail.id, ...documents.map((d) => d.id)]),
      rejectionReason:
        detail.outcome === 'rejected' ? await rejectionReason(ctx, principal, detail.id) : undefined,
    };
  }

  app.get(
    '/applications/:id',
    {
      config: { policy: CITIZEN },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const principal = citizenOf(request);
      const detail = await getApplication(ctx, principal, request.params.id);
      const done = DONE.find((d) => d === request.query.done);
      return sendHtml(
        reply,
        <StatusPage
          page={pageOf(request)}
          detail={detail}
          {...(await statusExtras(principal, detail))}
          done={done}
        />,
      );
    },
  );

  // Revision: the applicant fixes the fields the officer flagged, then resubmits ------------------

  async function revisionView(
    request: FastifyRequest,
    detail: ApplicationDetail,
    revision: RevisionRequest,
  ): Promise<RevisionPageView> {
    return {
      page: pageOf(request),
      applicationId: detail.id,
      definition: detail.definition,
      request: revision,
      values: detail.answers,
      rowVersion: detail.rowVersion,
      saved: revisedSince(detail, revision),
      resubmit: applicantActionOf(detail.definition, detail.state?.key ?? null, 'normal'),
    };
  }

  app.get(
    '/applications/:id/revision',
    {
      config: { policy: CITIZEN },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 2 })) }),
      },
    },
    async (request, reply) => {
      const principal = citizenOf(request);
      const detail = await getApplication(ctx, principal, request.params.id);
      const revision = await revisionOf(principal, detail);
      if (!revision) return reply.redirect(`/applications/${detail.id}`);
      const view = await revisionView(request, detail, revision);
      return sendHtml(
        reply,
        <RevisionPage {...view} justSaved={request.query.saved === '1' && view.saved} />,
      );
    },
  );

  // Only the flagged fields are read from the form; nothing is stored unless the whole application
  // still validates, and the page keeps what was typed.
  app.post(
    '/applications/:id/revision',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams, body: FormBody } },
    async (request, reply) => {
      const principal = citizenOf(request);
      const detail = await getApplication(ctx, principal, request.params.id);
      const base = `/applications/${detail.id}`;
      const revision = await revisionOf(principal, detail);
      if (!revision) return reply.redirect(base, 303);
      const page = pageOf(request);
      const view = await revisionView(request, detail, revision);
      const form = revisionDefinition(detail.definition, revision.flaggedFields, detail.definition.name);
      const index = revisionSectionIndex(detail.definition);
      const uploads = await storeFormUploads(
        { ctx },
        request.lang,
        principal,
        detail.id,
        request.body as Record<string, unknown>,
      );
      const sent = answersFromForm(form, index, uploads.body);
      const values = { ...detail.answers, ...sent };
      const command = applyFormCommands(form, index, values, uploads.body);
      if (command)
        return sendHtml(
          reply,
          <RevisionPage {...view} values={{ ...values, ...command.answers }} focus={command.focus} />,
        );
      if (uploads.errors.size > 0)
        return sendHtml(
          reply,
          <RevisionPage
            {...view}
            values={values}
            errors={uploads.errors}
            summary={uploadSummary(uploads.errors)}
          />,
          400,
        );
      try {
        await saveRevision(ctx, principal, detail.id, sent);
        return reply.redirect(`${base}/revision?saved=1`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
        const mapped = mapError(err);
        if (err instanceof AnswerProblems) {
          const flagged = new Set(revision.flaggedFields);
          const own = err.errors.filter((e) => flagged.has(e.path.split(/[[.]/)[0] ?? ''));
          const other = err.errors.filter((e) => !own.includes(e));
          return sendHtml(
            reply,
            <RevisionPage
              {...view}
              values={values}
              errors={answerErrorMessages(page, own)}
              summary={[
                ...errorSummaryEntries(page, own),
                ...other.map((e) => ({
                  message: t(request.lang, 'applications.revision_other', {
                    message: e.message[request.lang],
                  }),
                })),
              ]}
            />,
            mapped.status,
          );
        }
        return sendHtml(
          reply,
          <RevisionPage
            {...view}
            values={values}
            summary={[{ message: errorMessage(request.lang, mapped) }]}
          />,
          mapped.status,
        );
      }
    },
  );

  app.post(
    '/applications/:id/resubmit',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams, body: ActionForm } },
    async (request, reply) => {
      const principal = citizenOf(request);
      const detail = await getApplication(ctx, principal, request.params.id);
      const base = `/applications/${detail.id}`;
      const action = applicantActionOf(detail.definition, detail.state?.key ?? null, 'normal');
      const note = request.body.comment ?? '';
      try {
        if (!action || detail.stage !== 'active')
          throw new DomainError('application.action_unavailable', { state: detail.state?.key ?? '' });
        await takeApplicantAction(
          principal,
          detail.id,
          action.key,
          request.body.rowVersion,
          note,
          request.lang,
        );
        return reply.redirect(`${base}?done=resubmitted`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
        const revision = await revisionOf(principal, detail);
        // No longer waiting on the applicant (someone acted first): the status page says where it is.
        if (!revision) return reply.redirect(base, 303);
        const view = await revisionView(request, detail, revision);
        const mapped = mapError(err);
        const noteError = commentError(err, request.lang);
        return sendHtml(
          reply,
          <RevisionPage
            {...view}
            note={note}
            noteError={noteError}
            summary={[
              noteError
                ? { field: 'resubmit-note', message: noteError }
                : { message: errorMessage(request.lang, mapped) },
            ]}
          />,
          mapped.status,
        );
      }
    },
  );

  /** An applicant's action (resubmit, withdraw) at the version of the application they saw. */
  async function takeApplicantAction(
    principal: Principal,
    id: string,
    action: string,
    rowVersion: string,
    comment: string,
    lang: Lang,
  ) {
    await takeAction(ctx, principal, id, { action, rowVersion: versionOf(rowVersion), comment, lang });
  }

  // Withdrawing, with a confirmation step ----------------------------------------------------------

  app.get(
    '/applications/:id/withdraw',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const detail = await getApplication(ctx, citizenOf(request), request.params.id);
      const action = withdrawActionOf(detail);
      if (!action) return reply.redirect(`/applications/${detail.id}`);
      return sendHtml(reply, <WithdrawPage page={pageOf(request)} detail={detail} action={action} />);
    },
  );

  app.post(
    '/applications/:id/withdraw',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams, body: ActionForm } },
    async (request, reply) => {
      const principal = citizenOf(request);
      const detail = await getApplication(ctx, principal, request.params.id);
      const base = `/applications/${detail.id}`;
      const action = withdrawActionOf(detail);
      if (!action) return reply.redirect(base, 303);
      const reason = request.body.comment ?? '';
      try {
        await takeApplicantAction(
          principal,
          detail.id,
          action.key,
          request.body.rowVersion,
          reason,
          request.lang,
        );
        return reply.redirect(`${base}?done=withdrawn`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
        const mapped = mapError(err);
        const reasonError = commentError(err, request.lang);
        // The confirmation is shown again with the current version, so a second press decides.
        const current = await getApplication(ctx, principal, detail.id);
        return sendHtml(
          reply,
          <WithdrawPage
            page={pageOf(request)}
            detail={current}
            action={action}
            reason={reason}
            reasonError={reasonError}
            formError={reasonError ? undefined : errorMessage(request.lang, mapped)}
          />,
          mapped.status,
        );
      }
    },
  );

  // The issued document -----------------------------------------------------------------------------

  app.get(
    '/applications/:id/documents/:documentId.pdf',
    { config: { policy: CITIZEN }, schema: { hide: true, params: DocumentParams } },
    async (request, reply) => {
      const document = await applicantDocument(
        ctx,
        citizenOf(request),
        request.params.id,
        request.params.documentId,
      );
      const pdf = await documentPdf(ctx, document.id);
      if (!pdf) throw new DomainError('not_found');
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${pdfFileName(document.number)}"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  // Public tracking ------------------------------------------------------------------------------

  app.get(
    '/track',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        querystring: Type.Object({ number: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) =>
      sendHtml(reply, <TrackPage page={pageOf(request)} number={request.query.number?.trim() ?? ''} />),
  );

  app.post(
    '/track',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        body: Type.Object({
          _csrf: Type.String(),
          number: Type.Optional(Type.String({ maxLength: 100 })),
          secret: Type.Optional(Type.String({ maxLength: 100 })),
        }),
      },
    },
    async (request, reply) => {
      const page = pageOf(request);
      const { number, secret } = trackingCredentials(request.body);
      if (number === '' || secret === '')
        return sendHtml(
          reply,
          <TrackPage page={page} number={number} error={t(request.lang, 'applications.track_missing')} />,
          400,
        );
      try {
        const status = await trackApplication(ctx, { trackingNumber: number, secret, client: request.ip });
        return sendHtml(reply, <TrackPage page={page} number={status.trackingNumber} status={status} />);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const refused = trackingRefusal(reply, request.lang, err);
        return sendHtml(
          reply,
          <TrackPage page={page} number={number} error={refused.message} />,
          refused.status,
        );
      }
    },
  );
};
