import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC } from '../identity/policy.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import type { RouteDeps } from '../web/server.ts';
import { dashboardCsv } from './csv.ts';
import { DashboardPage, NotFoundPage } from './pages.tsx';
import type { Period } from './periods.ts';
import { Dashboard, PeriodQuery } from './schemas.ts';
import {
  agencyDashboard,
  defaultPeriod,
  periodChoices,
  periodOrDefault,
  platformDashboard,
  serviceDashboard,
} from './service.ts';

const LICENCE_LINK = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"';
const TAGS = ['open-data'];

/** Pages read the period as text and fall back to the current year, with a note, when it is not one. */
const PageQuery = Type.Object({ period: Type.Optional(Type.String({ maxLength: 200 })) });
const AgencyParams = Type.Object({ agency: Type.String({ maxLength: 200 }) });
const ServiceParams = Type.Object({ service: Type.String({ maxLength: 200 }) });
const Csv = {
  content: {
    'text/csv': {
      schema: Type.String({
        description:
          'RFC 4180, one figure per line (level,agency,service,period,figure,value,unit). A value is a number; "< 5" when computed from 1–4 records (primary suppression); "suppressed" when hidden only so that a "< 5" figure of the same total cannot be worked out by subtraction (complementary suppression; it holds 5 or more records); empty when there is nothing to compute it from.',
      }),
    },
  },
};

type Target = { kind: 'platform' } | { kind: 'agency'; slug: string } | { kind: 'service'; slug: string };

function dashboardOf(deps: RouteDeps, target: Target, period: Period): Promise<Dashboard> {
  if (target.kind === 'agency') return agencyDashboard(deps.ctx, target.slug, period);
  if (target.kind === 'service') return serviceDashboard(deps.ctx, target.slug, period);
  return platformDashboard(deps.ctx, period);
}

function paths(target: Target): { page: string; api: string } {
  if (target.kind === 'platform') return { page: '/open-data', api: '/api/v1/open-data' };
  const part = `${target.kind === 'agency' ? 'agencies' : 'services'}/${encodeURIComponent(target.slug)}`;
  return { page: `/open-data/${part}`, api: `/api/v1/open-data/${part}` };
}

/** The period an API request names; the schema has already refused any other text. */
function apiPeriod(text: string | undefined): Period {
  const period = periodOrDefault(text, new Date());
  if (!period)
    throw new DomainError('request.invalid', { problems: [{ path: '/period', message: 'unknown' }] });
  return period;
}

async function sendJson(deps: RouteDeps, reply: FastifyReply, target: Target, period: string | undefined) {
  const dashboard = await dashboardOf(deps, target, apiPeriod(period));
  return reply.header('link', LICENCE_LINK).send(dashboard);
}

async function sendCsv(deps: RouteDeps, reply: FastifyReply, target: Target, period: string | undefined) {
  const dashboard = await dashboardOf(deps, target, apiPeriod(period));
  const name = [dashboard.subject.agency?.slug, dashboard.subject.service?.slug].filter(Boolean).join('-');
  return reply
    .header('link', LICENCE_LINK)
    .header(
      'content-disposition',
      `attachment; filename="gapura-${name || 'platform'}-${dashboard.period.key}.csv"`,
    )
    .type('text/csv; charset=utf-8')
    .send(dashboardCsv(dashboard));
}

/**
 * Open data: the public dashboards (pages) and the same figures as JSON and CSV. Everything is
 * public and read-only; nothing here needs or reads a session.
 */
export const openDataRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { ctx, csrfSecret, isDemo } = deps;

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    target: Target,
    periodText: string | undefined,
  ) => {
    const now = new Date();
    const view = pageContext(request, csrfSecret, isDemo);
    const asked = periodOrDefault(periodText?.trim(), now);
    const period = asked ?? defaultPeriod(now);
    let dashboard: Dashboard;
    try {
      dashboard = await dashboardOf(deps, target, period);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found')
        return sendHtml(reply, <NotFoundPage page={view} />, 404);
      throw err;
    }
    const where = paths(target);
    return sendHtml(
      reply,
      <DashboardPage
        page={view}
        dashboard={dashboard}
        choices={await periodChoices(ctx, now)}
        path={where.page}
        apiPath={where.api}
        csvPath={`${where.api}/figures.csv`}
        {...(asked === undefined && periodText !== undefined
          ? { invalidPeriod: periodText.slice(0, 40) }
          : {})}
      />,
    );
  };

  app.get(
    '/open-data',
    { config: { policy: PUBLIC }, schema: { hide: true, querystring: PageQuery } },
    (request, reply) => page(request, reply, { kind: 'platform' }, request.query.period),
  );
  app.get(
    '/open-data/agencies/:agency',
    { config: { policy: PUBLIC }, schema: { hide: true, params: AgencyParams, querystring: PageQuery } },
    (request, reply) =>
      page(request, reply, { kind: 'agency', slug: request.params.agency }, request.query.period),
  );
  app.get(
    '/open-data/services/:service',
    { config: { policy: PUBLIC }, schema: { hide: true, params: ServiceParams, querystring: PageQuery } },
    (request, reply) =>
      page(request, reply, { kind: 'service', slug: request.params.service }, request.query.period),
  );

  app.get(
    '/api/v1/open-data',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'Open data of the whole platform for a period, with a row per agency (CC BY 4.0)',
        querystring: PeriodQuery,
        response: { 200: Dashboard },
      },
    },
    (request, reply) => sendJson(deps, reply, { kind: 'platform' }, request.query.period),
  );
  app.get(
    '/api/v1/open-data/figures.csv',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'The platform’s open data as CSV, one figure per line (CC BY 4.0)',
        querystring: PeriodQuery,
        response: { 200: Csv },
      },
    },
    (request, reply) => sendCsv(deps, reply, { kind: 'platform' }, request.query.period),
  );
  app.get(
    '/api/v1/open-data/agencies/:agency',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'Open data of one agency for a period, with a row per service (CC BY 4.0)',
        params: AgencyParams,
        querystring: PeriodQuery,
        response: { 200: Dashboard },
      },
    },
    (request, reply) =>
      sendJson(deps, reply, { kind: 'agency', slug: request.params.agency }, request.query.period),
  );
  app.get(
    '/api/v1/open-data/agencies/:agency/figures.csv',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'One agency’s open data as CSV, one figure per line (CC BY 4.0)',
        params: AgencyParams,
        querystring: PeriodQuery,
        response: { 200: Csv },
      },
    },
    (request, reply) =>
      sendCsv(deps, reply, { kind: 'agency', slug: request.params.agency }, request.query.period),
  );
  app.get(
    '/api/v1/open-data/services/:service',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'Open data of one service for a period (CC BY 4.0)',
        params: ServiceParams,
        querystring: PeriodQuery,
        response: { 200: Dashboard },
      },
    },
    (request, reply) =>
      sendJson(deps, reply, { kind: 'service', slug: request.params.service }, request.query.period),
  );
  app.get(
    '/api/v1/open-data/services/:service/figures.csv',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'One service’s open data as CSV, one figure per line (CC BY 4.0)',
        params: ServiceParams,
        querystring: PeriodQuery,
        response: { 200: Csv },
      },
    },
    (request, reply) =>
      sendCsv(deps, reply, { kind: 'service', slug: request.params.service }, request.query.period),
  );
};
