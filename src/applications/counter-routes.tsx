/**
 * Counter (assisted) mode in the browser: a counter officer fills an application in for a walk-in
 * citizen, section by section with the citizen's pages, ticks that the citizen agreed to the
 * statement and that the original KTP-el was seen, files it, and prints the receipt with the
 * tracking secret. The citizen can link it to an account later at /applications/link.
 *
 * A counter draft has no applicant and is assisted by the officer who started it; only that
 * officer, while holding the counter role in the service's agency, sees or edits it (the service's
 * `isEditor` rule), so another agency's officer gets "not found".
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { searchCatalogue } from '../catalog/service.ts';
import { CITIZEN, staff } from '../identity/policy.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { parseMultipart } from '../web/multipart.ts';
import type { RouteDeps } from '../web/server.ts';
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
} from './form-flow.tsx';
import { type CounterAgencyServices, CounterHomePage } from './pages/counter-home-page.tsx';
import { type CounterReceiptFacts, CounterReceiptPage } from './pages/counter-receipt-page.tsx';
import { LinkPage } from './pages/link-page.tsx';
import { ReviewPage } from './pages/review-page.tsx';
import { SectionPage } from './pages/section-page.tsx';
import { markIdentityVerified } from './processing.ts';
import {
  agencyOf,
  claimApplication,
  getApplication,
  listCounterDrafts,
  startCounterDraft,
  submitApplication,
} from './service.ts';
import { MAX_UPLOAD_BYTES } from './uploads.ts';

const COUNTER = staff('counter_officer');
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const SectionParams = Type.Object({ id: Type.String({ maxLength: 40 }), n: Type.String({ maxLength: 3 }) });
const FormBody = Type.Object({ _csrf: Type.String() }, { additionalProperties: true, maxProperties: 2000 });
const CsrfOnly = Type.Object({ _csrf: Type.String() });
const SubmitBody = Type.Object({
  _csrf: Type.String(),
  consent: Type.Optional(Type.String({ maxLength: 10 })),
  identity: Type.Optional(Type.String({ maxLength: 10 })),
});
const LinkBody = Type.Object({
  _csrf: Type.String(),
  number: Type.Optional(Type.String({ maxLength: 100 })),
  secret: Type.Optional(Type.String({ maxLength: 100 })),
});

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('auth.not_authenticated');
  return request.principal;
}

export const counterRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { ctx, csrfSecret, isDemo } = deps;
  // Section forms with file fields come as multipart; parsed before the CSRF check like any form.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES + 256 * 1024 },
    async (request: FastifyRequest, body: Buffer) => parseMultipart(request, body),
  );

  const pageOf = (request: FastifyRequest) => pageContext(request, csrfSecret, isDemo);
  const publicBase = ctx.config.publicUrl.replace(/\/+$/, '');
  const baseOf = (id: string) => `/counter/applications/${id}`;

  // Choosing a service ----------------------------------------------------------------------------

  app.get(
    '/counter',
    {
      config: { policy: COUNTER },
      schema: {
        hide: true,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    async (request, reply) => {
      const officer = principalOf(request);
      const q = request.query.q?.trim() ?? '';
      const agencyIds = [
        ...new Set(
          officer.grants.flatMap((g) => (g.role === 'counter_officer' && g.agencyId ? [g.agencyId] : [])),
        ),
      ];
      const agencies: CounterAgencyServices[] = [];
      for (const agencyId of agencyIds) {
        const agency = await agencyOf(ctx.db, agencyId);
        const found = await searchCatalogue(ctx, { q, agency: agency.slug, perPage: 100 });
        agencies.push({ agency: { id: agency.name_id, en: agency.name_en }, services: found.items });
      }
      const drafts = await listCounterDrafts(ctx, officer);
      return sendHtml(
        reply,
        <CounterHomePage page={pageOf(request)} q={q} agencies={agencies} drafts={drafts} />,
      );
    },
  );

  app.post(
    '/counter/:slug/start',
    { config: { policy: COUNTER }, schema: { hide: true, params: SlugParams, body: CsrfOnly } },
    async (request, reply) => {
      const { id } = await startCounterDraft(ctx, principalOf(request), request.params.slug);
      return reply.redirect(`${baseOf(id)}/sections/0`, 303);
    },
  );

  // Filling in ------------------------------------------------------------------------------------

  app.get(
    '/counter/applications/:id/sections/:n',
    { config: { policy: COUNTER }, schema: { hide: true, params: SectionParams } },
    async (request, reply) => {
      const detail = await getApplication(ctx, principalOf(request), request.params.id);
      if (detail.stage !== 'draft') return reply.redirect(`${baseOf(detail.id)}/receipt`);
      const n = sectionIndexOf(detail.definition, request.params.n);
      return sendHtml(
        reply,
        <SectionPage
          page={pageOf(request)}
          applicationId={detail.id}
          definition={detail.definition}
          sectionIndex={n}
          values={detail.answers}
          base={baseOf(detail.id)}
          firstBack="/counter"
          counter
          versionNotice={detail.versionNotice}
        />,
      );
    },
  );

  // As for the citizen: every post saves what was typed, and only a plain "continue" moves on.
  app.post(
    '/counter/applications/:id/sections/:n',
    { config: { policy: COUNTER }, schema: { hide: true, params: SectionParams, body: FormBody } },
    async (request, reply) => {
      const officer = principalOf(request);
      const detail = await getApplication(ctx, officer, request.params.id);
      const base = baseOf(detail.id);
      if (detail.stage !== 'draft') return reply.redirect(`${base}/receipt`, 303);
      const n = sectionIndexOf(detail.definition, request.params.n);
      // A withdrawn service's draft is read-only: show it again with the notice.
      if (detail.versionNotice?.kind === 'withdrawn') return reply.redirect(`${base}/sections/${n}`, 303);
      return saveSection(reply, {
        ctx,
        page: pageOf(request),
        lang: request.lang,
        editor: officer,
        detail,
        sectionIndex: n,
        body: request.body as Record<string, unknown>,
        base,
        laterUrl: '/counter',
        pageProps: { base, firstBack: '/counter', counter: true },
      });
    },
  );

  // Reviewing with the citizen and filing ---------------------------------------------------------

  async function reviewView(
    request: FastifyRequest,
    id: string,
    identityChecked: boolean,
  ): Promise<ReviewView & { stage: string }> {
    const detail = await getApplication(ctx, principalOf(request), id);
    const page = pageOf(request);
    return {
      page,
      applicationId: detail.id,
      definition: detail.definition,
      agencyName: detail.agency.name[page.lang],
      answers: detail.answers,
      stage: detail.stage,
      base: baseOf(detail.id),
      counter: {
        identityRequired: detail.definition.dataRules.identityAssurance === 'counter_verified',
        identityChecked,
      },
      versionNotice: detail.versionNotice,
    };
  }

  app.get(
    '/counter/applications/:id/review',
    { config: { policy: COUNTER }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const view = await reviewView(request, request.params.id, false);
      if (view.stage !== 'draft') return reply.redirect(`${baseOf(view.applicationId)}/receipt`);
      return sendHtml(reply, <ReviewPage {...view} />);
    },
  );

  // Filing is idempotent by the draft (a double click files once and shows the same receipt); the
  // KTP-el mark follows at once, and is itself idempotent.
  app.post(
    '/counter/applications/:id/submit',
    { config: { policy: COUNTER }, schema: { hide: true, params: IdParams, body: SubmitBody } },
    async (request, reply) => {
      const officer = principalOf(request);
      const identityChecked = request.body.identity === 'yes';
      let filedId: string;
      try {
        const receipt = await submitApplication(ctx, officer, request.params.id, {
          consent: request.body.consent === 'yes',
          lang: request.lang,
        });
        filedId = receipt.id;
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
        return sendReviewRefusal(
          reply,
          request.lang,
          err,
          await reviewView(request, request.params.id, identityChecked),
        );
      }
      const receiptUrl = `${baseOf(filedId)}/receipt`;
      if (!identityChecked) return reply.redirect(receiptUrl, 303);
      // A double click marks twice at once: the loser sees the row changed, and on reading it again
      // finds the mark already set.
      for (let attempt = 0; ; attempt++) {
        try {
          await markIdentityVerified(ctx, officer, filedId);
          return reply.redirect(receiptUrl, 303);
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          if (err.code === 'application.changed' && attempt < 3) continue;
          // Filed all the same; the receipt says the mark is missing and where to set it.
          return reply.redirect(`${receiptUrl}?identity=failed`, 303);
        }
      }
    },
  );

  // The receipt to print --------------------------------------------------------------------------

  /** The receipt and the names on it, or undefined for a draft (not filed yet). */
  async function receiptFacts(request: FastifyRequest, id: string): Promise<CounterReceiptFacts | undefined> {
    const filed = await filedReceipt(
      ctx,
      principalOf(request),
      id,
      request.lang,
      (number) => `${publicBase}/track?number=${encodeURIComponent(number)}`,
    );
    if (!filed) return undefined;
    const { facts, detail } = filed;
    return {
      ...facts,
      identityVerified: detail.history.some((e) => e.kind === 'identity_verified'),
      trackPage: `${publicBase}/track`,
      linkPage: `${publicBase}/applications/link`,
    };
  }

  app.get(
    '/counter/applications/:id/receipt',
    {
      config: { policy: COUNTER },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ identity: Type.Optional(Type.String({ maxLength: 10 })) }),
      },
    },
    async (request, reply) => {
      const facts = await receiptFacts(request, request.params.id);
      if (!facts) return reply.redirect(`${baseOf(request.params.id)}/review`);
      const qrSvg = await receiptQrSvg(facts.trackUrl);
      reply.header('cache-control', 'private, no-store');
      return sendHtml(
        reply,
        <CounterReceiptPage
          page={pageOf(request)}
          receipt={facts}
          qrSvg={qrSvg}
          identityFailed={request.query.identity === 'failed' && !facts.identityVerified}
        />,
      );
    },
  );

  app.get(
    '/counter/applications/:id/receipt.pdf',
    { config: { policy: COUNTER }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const facts = await receiptFacts(request, request.params.id);
      if (!facts) return reply.redirect(`${baseOf(request.params.id)}/review`);
      const lang = request.lang;
      return sendReceiptPdf(reply, lang, facts, [
        t(lang, 'applications.counter_assisted') +
          (facts.identityVerified ? ` ${t(lang, 'applications.counter_identity_done')}` : ''),
        t(lang, 'applications.counter_secret_keep'),
        t(lang, 'applications.counter_status', { url: facts.trackPage }),
        t(lang, 'applications.counter_link', { url: facts.linkPage }),
      ]);
    },
  );

  // Linking a counter filing to the citizen's account ---------------------------------------------

  app.get(
    '/applications/link',
    {
      config: { policy: CITIZEN },
      schema: {
        hide: true,
        querystring: Type.Object({ number: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) =>
      sendHtml(reply, <LinkPage page={pageOf(request)} number={request.query.number?.trim() ?? ''} />),
  );

  app.post(
    '/applications/link',
    { config: { policy: CITIZEN }, schema: { hide: true, body: LinkBody } },
    async (request, reply) => {
      const page = pageOf(request);
      const { number, secret } = trackingCredentials(request.body);
      if (number === '' || secret === '')
        return sendHtml(
          reply,
          <LinkPage page={page} number={number} error={t(request.lang, 'applications.track_missing')} />,
          400,
        );
      try {
        const { id } = await claimApplication(ctx, principalOf(request), {
          trackingNumber: number,
          secret,
          client: request.ip,
        });
        return reply.redirect(`/applications/${id}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const refused = trackingRefusal(reply, request.lang, err);
        return sendHtml(
          reply,
          <LinkPage page={page} number={number} error={refused.message} />,
          refused.status,
        );
      }
    },
  );
};
