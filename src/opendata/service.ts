/**
 * The open-data dashboards: for the platform, an agency or a service, and a month, quarter or year,
 * the application figures (counted in SQL from the same rows the inbox works from), the survey's
 * IKM and the complaint figures, with small counts suppressed the same way on every page, in the
 * CSV and in the JSON.
 */
import { listAgencies } from '../agencies/service.ts';
import type { AgencyTimeZone } from '../calendar/calendar.ts';
import { complaintFigures } from '../complaints/figures.ts';
import type { AppContext } from '../context.ts';
import { figuresByService, pooledFigures, type ServiceFigures } from '../survey/figures.ts';
import { DomainError } from '../web/domain-error.ts';
import { addHistograms, applicationFigures, countCube, type HistogramTable } from './applications.ts';
import { agencySeries, PLATFORM, serviceSeries } from './cube.ts';
import { bothLanguages, definitions } from './definitions.ts';
import {
  addMonths,
  interval,
  isComplete,
  monthOfInstant,
  type Period,
  PLATFORM_TIME_ZONE,
  parsePeriod,
  periodsOfYear,
  trendMonths,
  yearOf,
  yearPeriod,
} from './periods.ts';
import type { Dashboard, FigureSet, Level } from './schemas.ts';
import * as store from './store.ts';
import { publishVoices, type Voice } from './voice.ts';

type Text = { id: string; en: string };

interface AgencyInfo {
  id: string;
  slug: string;
  name: Text;
  timezone: AgencyTimeZone;
}

interface ServiceInfo {
  id: string;
  agencyId: string;
  slug: string;
  name: Text;
}

interface Directory {
  agencies: AgencyInfo[];
  services: ServiceInfo[];
}

type Focus =
  | { level: 'platform' }
  | { level: 'agency'; agency: AgencyInfo }
  | { level: 'service'; agency: AgencyInfo; service: ServiceInfo };

const LICENCE = {
  id: 'CC-BY-4.0' as const,
  name: 'Creative Commons Attribution 4.0 International',
  url: 'https://creativecommons.org/licenses/by/4.0/',
};

async function directoryOf(ctx: AppContext): Promise<Directory> {
  const agencies = (await listAgencies(ctx))
    .map((a) => ({ id: a.id, slug: a.slug, name: a.name, timezone: a.timezone }))
    .sort((a, b) => a.slug.localeCompare(b.slug));
  const services = (await store.listPublicServices(ctx.readDb)).map((s) => ({
    id: s.id,
    agencyId: s.agencyId,
    slug: s.slug,
    name: { id: s.nameId, en: s.nameEn },
  }));
  return { agencies, services };
}

function servicesOf(directory: Directory, agencyId: string): ServiceInfo[] {
  return directory.services.filter((s) => s.agencyId === agencyId);
}

/** The current local month (WIB): the last month the trend charts may show. */
export function currentMonthOf(now: Date): string {
  return monthOfInstant(now, PLATFORM_TIME_ZONE);
}

/** The period shown when none is named: the current year (so far). */
export function defaultPeriod(now: Date): Period {
  return yearPeriod(yearOf(currentMonthOf(now)));
}

/** The period a request names, the current year when it names none, undefined when it is no period. */
export function periodOrDefault(text: string | undefined, now: Date): Period | undefined {
  return text === undefined || text === '' ? defaultPeriod(now) : parsePeriod(text);
}

/** The periods the pages offer: every year from the first filing to now, newest year first. */
export async function periodChoices(
  ctx: AppContext,
  now: Date,
): Promise<{ year: number; periods: Period[] }[]> {
  const current = currentMonthOf(now);
  const first = await store.firstFiling(ctx.readDb);
  const lastYear = yearOf(current);
  const firstYear = first ? Math.max(lastYear - 9, Math.min(lastYear, Number(first.slice(0, 4)))) : lastYear;
  const years: { year: number; periods: Period[] }[] = [];
  for (let year = lastYear; year >= firstYear; year--)
    years.push({ year, periods: periodsOfYear(year, current) });
  return years;
}

// ---------------------------------------------------------------------------------------------
// The public's voice: the satisfaction survey and complaints (computed by their modules)

/**
 * Survey and complaint figures of the period for the platform, every agency and the given services.
 * The survey is asked once per agency for all its services (`figuresByService`, each agency in its
 * own local period) and pooled here the way `ikmFigures` pools a scope, instead of once per scope;
 * the platform pools every agency's services.
 */
async function voicesOf(
  ctx: AppContext,
  directory: Directory,
  services: readonly ServiceInfo[],
  period: Period,
): Promise<Map<string, Voice>> {
  const voices = new Map<string, Voice>();
  const everyService: ServiceFigures[] = [];
  for (const agency of directory.agencies) {
    const window = interval(period.months, agency.timezone);
    const scope = { agencyId: agency.id, serviceId: null };
    const byService = await figuresByService(ctx, scope, window);
    everyService.push(...byService);
    voices.set(agencySeries(agency.id), {
      ikm: pooledFigures(byService),
      complaints: await complaintFigures(ctx, scope, window),
    });
    for (const service of services.filter((s) => s.agencyId === agency.id))
      voices.set(serviceSeries(service.id), {
        ikm: pooledFigures(byService.filter((f) => f.serviceId === service.id)),
        complaints: await complaintFigures(ctx, { agencyId: agency.id, serviceId: service.id }, window),
      });
  }
  voices.set(PLATFORM, {
    ikm: pooledFigures(everyService),
    complaints: await complaintFigures(
      ctx,
      { agencyId: null, serviceId: null },
      interval(period.months, PLATFORM_TIME_ZONE),
    ),
  });
  return voices;
}

// ---------------------------------------------------------------------------------------------
// Dashboards

function periodLabel(period: Period): Text {
  if (period.kind === 'year') return bothLanguages('opendata.year_label', { year: period.year });
  if (period.kind === 'quarter') {
    const number = Number(period.key.slice(-1));
    return bothLanguages('opendata.quarter_label', {
      year: period.year,
      number,
      roman: ['I', 'II', 'III', 'IV'][number - 1],
    });
  }
  const date = new Date(`${period.key}-15T00:00:00Z`);
  const name = (locale: string) =>
    new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
  return { id: name('id-ID'), en: name('en-GB') };
}

function seriesOfFocus(focus: Focus): string {
  if (focus.level === 'platform') return PLATFORM;
  if (focus.level === 'agency') return agencySeries(focus.agency.id);
  return serviceSeries(focus.service.id);
}

async function buildDashboard(
  ctx: AppContext,
  directory: Directory,
  focus: Focus,
  period: Period,
  now: Date,
): Promise<Dashboard> {
  const current = currentMonthOf(now);
  const trend = trendMonths(period, current);
  const years = [...new Set([...trend.map(yearOf), period.year])];
  const span = [Math.min(...years), Math.max(...years)];
  const cube = await countCube(
    ctx,
    directory.agencies.map((a) => ({ ...a, serviceIds: servicesOf(directory, a.id).map((s) => s.id) })),
    span,
    now,
  );

  const owner = focus.level === 'platform' ? undefined : focus.agency;
  // The trend's months and the period's, as one unbroken run (a period to come may leave a gap).
  const wanted = [...trend, ...period.months].sort();
  const histogramMonths: string[] = [];
  for (let m = wanted[0] ?? current; m <= (wanted.at(-1) ?? current); m = addMonths(m, 1))
    histogramMonths.push(m);
  const table: HistogramTable = new Map();
  for (const agency of owner ? [owner] : directory.agencies)
    await addHistograms(
      ctx,
      table,
      agency,
      histogramMonths,
      histogramMonths.reduce((sum, m) => sum + cube.value('completed', agencySeries(agency.id), m), 0),
    );

  const services = owner ? servicesOf(directory, owner.id) : [];
  const voices = await voicesOf(ctx, directory, services, period);
  const published = publishVoices(voices, directory.agencies, services);

  const figuresOf = (series: string): FigureSet => {
    const voice = published.get(series);
    if (!voice) throw new Error(`no survey and complaint figures for ${series}`);
    return { applications: applicationFigures(cube, table, series, period.key, period.months), ...voice };
  };
  const focusSeries = seriesOfFocus(focus);
  const breakdown: Dashboard['breakdown'] =
    focus.level === 'platform'
      ? {
          level: 'agency',
          rows: directory.agencies.map((a) => ({
            slug: a.slug,
            name: a.name,
            figures: figuresOf(agencySeries(a.id)),
          })),
        }
      : focus.level === 'agency'
        ? {
            level: 'service',
            rows: services.map((s) => ({
              slug: s.slug,
              name: s.name,
              figures: figuresOf(serviceSeries(s.id)),
            })),
          }
        : { level: null, rows: [] };
  const level: Level = focus.level;
  return {
    licence: { ...LICENCE, attribution: bothLanguages('opendata.attribution') },
    generatedAt: now.toISOString(),
    period: {
      key: period.key,
      kind: period.kind,
      months: period.months,
      label: periodLabel(period),
      complete: isComplete(period, current),
    },
    subject: {
      level,
      agency: owner ? { slug: owner.slug, name: owner.name } : null,
      service: focus.level === 'service' ? { slug: focus.service.slug, name: focus.service.name } : null,
      timeZone: owner?.timezone ?? PLATFORM_TIME_ZONE,
    },
    figures: figuresOf(focusSeries),
    breakdown,
    trend: trend.map((month) => ({ month, ...applicationFigures(cube, table, focusSeries, month, [month]) })),
    definitions: definitions(),
    suppression: bothLanguages('opendata.suppression_data'),
  };
}

/** The whole platform, with a row per agency. */
export async function platformDashboard(
  ctx: AppContext,
  period: Period,
  now = new Date(),
): Promise<Dashboard> {
  return buildDashboard(ctx, await directoryOf(ctx), { level: 'platform' }, period, now);
}

/** One agency, with a row per service. Unknown agencies are not found. */
export async function agencyDashboard(
  ctx: AppContext,
  agencySlug: string,
  period: Period,
  now = new Date(),
): Promise<Dashboard> {
  const directory = await directoryOf(ctx);
  const agency = directory.agencies.find((a) => a.slug === agencySlug);
  if (!agency) throw new DomainError('not_found');
  return buildDashboard(ctx, directory, { level: 'agency', agency }, period, now);
}

/** One service. Services never published are not found. */
export async function serviceDashboard(
  ctx: AppContext,
  serviceSlug: string,
  period: Period,
  now = new Date(),
): Promise<Dashboard> {
  const directory = await directoryOf(ctx);
  const service = directory.services.find((s) => s.slug === serviceSlug);
  const agency = service ? directory.agencies.find((a) => a.id === service.agencyId) : undefined;
  if (!service || !agency) throw new DomainError('not_found');
  return buildDashboard(ctx, directory, { level: 'service', agency, service }, period, now);
}
