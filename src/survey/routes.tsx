/**
 * The satisfaction survey over HTTP: the applicant's page and JSON API, the counter's kiosk pages
 * for walk-in citizens, and the agency's IKM report, population form and figures API.
 *
 * The figures API is for the agency's own staff (agency admin, supervisor) and unsuppressed; the
 * public reads IKM through the open-data pages, which suppress small counts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CITIZEN, staff } from '../identity/policy.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { renderRefusal } from '../web/refusal.ts';
import type { RouteDeps } from '../web/server.ts';
import { ELEMENT_KEYS, perElement } from './elements.ts';
import { CounterSurveysPage, IkmPage, PopulationPage, type SurveyFormState, SurveyPage } from './pages.tsx';
import { recentPeriods } from './periods.ts';
import {
  choosePeriod,
  IKM_ROLES,
  type IkmReport,
  ikmReport,
  POPULATION_ROLES,
  populationRows,
  recentComments,
  resolveSurveyAgency,
  savePopulations,
} from './report.ts';
import { IkmAnswer, IkmQuery, SurveyAnswerBody, SurveyAnswered } from './schemas.ts';
import {
  answerAsApplicant,
  answerAtCounter,
  applicantSurvey,
  counterSurvey,
  listCounterSurveys,
  type SurveyTarget,
} from './service.ts';

const COUNTER = staff('counter_officer');
const IKM_READERS = staff('agency_admin', 'supervisor');
const POPULATION_EDITORS = staff('agency_admin');
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const SurveyFormBody = Type.Object({
  _csrf: Type.String(),
  comment: Type.Optional(Type.String({ maxLength: 4000 })),
  ...perElement(() => Type.Optional(Type.String({ maxLength: 10 }))),
});
const PageQuery = Type.Object({
  agency: Type.Optional(Type.String({ maxLength: 60 })),
  period: Type.Optional(Type.String({ maxLength: 10 })),
  done: Type.Optional(Type.Literal('population')),
});
const PopulationBody = Type.Object(
  { _csrf: Type.String(), period: Type.Optional(Type.String({ maxLength: 10 })) },
  { additionalProperties: Type.String({ maxLength: 30 }), maxProperties: 2000 },
);
/** A tracking number as printed (check character included), shown back after a kiosk answer. */
const TRACKING_TEXT = Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9-]+$' });

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('auth.not_authenticated');
  return request.principal;
}

/** What the form posted, as text per field, to show back after a refusal. */
function postedValues(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...ELEMENT_KEYS, 'comment'])
    if (typeof body[key] === 'string') out[key] = String(body[key]);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function answersOf(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(ELEMENT_KEYS.map((key) => [key, body[key]]));
}

function figuresAnswer(report: IkmReport, serviceSlug: string | undefined) {
  return {
    agency: report.agency.slug,
    service: serviceSlug?.trim() ? serviceSlug.trim() : null,
    period: { key: report.period.key, from: report.range.from, to: report.range.to },
    figures: report.overall,
    populationSource: report.overallSource,
    belowMinimumSample: report.overallBelowMinimum,
    services: report.services.map((s) => ({
      slug: s.slug,
      figures: s.figures,
      populationSource: s.source,
      belowMinimumSample: s.belowMinimum,
    })),
  };
}

export const surveyRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { ctx, csrfSecret, isDemo } = deps;
  const pageOf = (request: FastifyRequest) => pageContext(request, csrfSecret, isDemo);

  /** The survey page of an application, as the applicant or as the counter's kiosk. */
  const surveyHtml = (
    request: FastifyRequest,
    target: SurveyTarget,
    counter: boolean,
    form: SurveyFormState,
  ) => {
    const lang = request.lang;
    return (
      <SurveyPage
        page={pageOf(request)}
        target={target}
        counter={counter}
        action={
          counter ? `/counter/survey/${target.applicationId}` : `/applications/${target.applicationId}/survey`
        }
        back={
          counter
            ? { href: '/counter/survey', text: t(lang, 'survey.counter_back') }
            : { href: `/applications/${target.applicationId}`, text: t(lang, 'survey.back_to_application') }
        }
        {...form}
      />
    );
  };

  /**
   * Answers a survey form and redirects, or shows the form again with what was wrong. Every survey
   * page is `no-store`, so going back after answering never shows the answers again.
   */
  const handleAnswer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    counter: boolean,
    submit: () => Promise<string>,
    reload: () => Promise<SurveyTarget>,
  ) => {
    const body: Record<string, unknown> = isRecord(request.body) ? request.body : {};
    reply.header('cache-control', 'no-store');
    try {
      return reply.redirect(await submit(), 303);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') throw err;
      const target = await reload();
      return renderRefusal(request, reply, err, (errors, formError) =>
        surveyHtml(request, target, counter, { values: postedValues(body), errors, formError }),
      );
    }
  };

  // The applicant ---------------------------------------------------------------------------------

  app.get(
    '/applications/:id/survey',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const target = await applicantSurvey(ctx, principalOf(request), request.params.id);
      reply.header('cache-control', 'no-store');
      return sendHtml(reply, surveyHtml(request, target, false, { values: {}, errors: {} }));
    },
  );

  app.post(
    '/applications/:id/survey',
    { config: { policy: CITIZEN }, schema: { hide: true, params: IdParams, body: SurveyFormBody } },
    async (request, reply) => {
      const applicant = principalOf(request);
      const { id } = request.params;
      const body = request.body;
      return handleAnswer(
        request,
        reply,
        false,
        async () => {
          await answerAsApplicant(ctx, applicant, id, { answers: answersOf(body), comment: body.comment });
          return `/applications/${id}/survey`;
        },
        () => applicantSurvey(ctx, applicant, id),
      );
    },
  );

  app.post(
    '/api/v1/applications/:id/survey',
    {
      config: { policy: CITIZEN },
      schema: {
        tags: ['survey'],
        summary:
          "Answer the satisfaction survey (SKM) of one's own finished application: nine elements on 1–4 and an optional comment; once per application (a second answer is refused with survey.already_answered)",
        security: [{ session: [] }],
        params: IdParams,
        body: SurveyAnswerBody,
        response: { 201: SurveyAnswered },
      },
    },
    async (request, reply) => {
      const answered = await answerAsApplicant(ctx, principalOf(request), request.params.id, {
        answers: request.body.answers,
        comment: request.body.comment,
      });
      return reply.status(201).send(answered);
    },
  );

  // The counter's kiosk ---------------------------------------------------------------------------

  app.get(
    '/counter/survey',
    {
      config: { policy: COUNTER },
      schema: {
        hide: true,
        querystring: Type.Object({
          number: Type.Optional(Type.String({ maxLength: 40 })),
          done: Type.Optional(TRACKING_TEXT),
        }),
      },
    },
    async (request, reply) => {
      const number = request.query.number?.trim() ?? '';
      const items = await listCounterSurveys(ctx, principalOf(request), number || undefined);
      return sendHtml(
        reply,
        <CounterSurveysPage page={pageOf(request)} items={items} number={number} done={request.query.done} />,
      );
    },
  );

  app.get(
    '/counter/survey/:id',
    { config: { policy: COUNTER }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const target = await counterSurvey(ctx, principalOf(request), request.params.id);
      reply.header('cache-control', 'no-store');
      return sendHtml(reply, surveyHtml(request, target, true, { values: {}, errors: {} }));
    },
  );

  app.post(
    '/counter/survey/:id',
    { config: { policy: COUNTER }, schema: { hide: true, params: IdParams, body: SurveyFormBody } },
    async (request, reply) => {
      const officer = principalOf(request);
      const { id } = request.params;
      const body = request.body;
      return handleAnswer(
        request,
        reply,
        true,
        async () => {
          const target = await answerAtCounter(ctx, officer, id, {
            answers: answersOf(body),
            comment: body.comment,
          });
          // Back to the list, which shows no answers: the officer takes the device back to that.
          return target.trackingNumber
            ? `/counter/survey?done=${encodeURIComponent(target.trackingNumber)}`
            : '/counter/survey';
        },
        () => counterSurvey(ctx, officer, id),
      );
    },
  );

  // The agency's IKM ------------------------------------------------------------------------------

  app.get(
    '/admin/survey',
    { config: { policy: IKM_READERS }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const reader = principalOf(request);
      const agency = await resolveSurveyAgency(ctx, reader, IKM_ROLES, request.query.agency);
      const period = choosePeriod(request.query.period, agency.timezone);
      const report = await ikmReport(ctx, agency, period);
      const comments = await recentComments(ctx, report);
      reply.header('cache-control', 'private, no-store');
      return sendHtml(
        reply,
        <IkmPage
          page={pageOf(request)}
          report={report}
          periods={recentPeriods(new Date(), agency.timezone)}
          comments={comments}
          canEnterPopulation={hasRole(reader, 'agency_admin', agency.id)}
          done={request.query.done === 'population'}
        />,
      );
    },
  );

  app.get(
    '/admin/survey/population',
    { config: { policy: POPULATION_EDITORS }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const agency = await resolveSurveyAgency(
        ctx,
        principalOf(request),
        POPULATION_ROLES,
        request.query.agency,
      );
      const period = choosePeriod(request.query.period, agency.timezone);
      return sendHtml(
        reply,
        <PopulationPage
          page={pageOf(request)}
          agency={agency}
          period={period}
          periods={recentPeriods(new Date(), agency.timezone)}
          rows={await populationRows(ctx, agency, period)}
          values={{}}
          errors={{}}
        />,
      );
    },
  );

  app.post(
    '/admin/survey/population',
    {
      config: { policy: POPULATION_EDITORS },
      schema: { hide: true, querystring: PageQuery, body: PopulationBody },
    },
    async (request, reply) => {
      const admin = principalOf(request);
      const agency = await resolveSurveyAgency(ctx, admin, POPULATION_ROLES, request.query.agency);
      const body: Record<string, unknown> = request.body;
      const periods = recentPeriods(new Date(), agency.timezone);
      let period = choosePeriod(undefined, agency.timezone);
      try {
        period = choosePeriod(request.body.period, agency.timezone);
        await savePopulations(ctx, admin, agency, period, body);
      } catch (err) {
        const values: Record<string, string> = {};
        for (const [key, value] of Object.entries(body))
          if (key.startsWith('p_') && typeof value === 'string') values[key] = value;
        const rows = await populationRows(ctx, agency, period);
        return renderRefusal(request, reply, err, (errors, formError) => (
          <PopulationPage
            page={pageOf(request)}
            agency={agency}
            period={period}
            periods={periods}
            rows={rows}
            values={values}
            errors={errors}
            formError={formError}
          />
        ));
      }
      const query = `agency=${encodeURIComponent(agency.slug)}&period=${encodeURIComponent(period.key)}`;
      return reply.redirect(`/admin/survey?${query}&done=population`, 303);
    },
  );

  app.get(
    '/api/v1/survey/ikm',
    {
      config: { policy: IKM_READERS },
      schema: {
        tags: ['survey'],
        summary:
          "The agency's own IKM (Permenpan RB 14/2017) for a month, quarter or year, pooled and per service, with the population and Krejcie–Morgan minimum sample (agency admin, supervisor; unsuppressed — public figures are on the open-data pages)",
        security: [{ session: [] }],
        querystring: IkmQuery,
        response: { 200: IkmAnswer },
      },
    },
    async (request, reply) => {
      const agency = await resolveSurveyAgency(ctx, principalOf(request), IKM_ROLES, request.query.agency);
      const period = choosePeriod(request.query.period, agency.timezone);
      const report = await ikmReport(ctx, agency, period, request.query.service);
      reply.header('cache-control', 'private, no-store');
      return figuresAnswer(report, request.query.service);
    },
  );
};
