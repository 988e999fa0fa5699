/**
 * The agency's own IKM report (agency admin and supervisor): figures per service and pooled for
 * the agency in a month, quarter or year, with the population each figure rests on and a warning
 * below the Krejcie–Morgan minimum sample; the latest comments; and the populations the agency
 * admin enters. Figures are unsuppressed here: they never leave the agency's staff.
 */
import { listAgencyRows } from '../agencies/store.ts';
import { appendAuditLeaf } from '../audit/log.ts';
import { type AgencyTimeZone, isAgencyTimeZone } from '../calendar/calendar.ts';
import type { LocalText } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import { nowIso } from '../db/ids.ts';
import type { AgencyRole, Principal } from '../identity/roles.ts';
import type { FigurePeriod } from '../opendata/scope.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import { t } from '../web/i18n/index.ts';
import {
  figuresByService,
  figuresOf,
  type IkmFigures,
  type PopulationSource,
  pooledFigures,
} from './figures.ts';
import { parsePeriod, periodContaining, periodRange, type SurveyPeriod } from './periods.ts';
import * as store from './store.ts';

/** Who reads the agency's IKM. */
export const IKM_ROLES: readonly AgencyRole[] = ['agency_admin', 'supervisor'];
/** Who enters the population served. */
export const POPULATION_ROLES: readonly AgencyRole[] = ['agency_admin'];
/** The largest population accepted (far above any service's yearly volume). */
export const MAX_POPULATION = 100_000_000;
const COMMENTS_SHOWN = 20;

export interface SurveyAgency {
  id: string;
  slug: string;
  name: LocalText;
  timezone: AgencyTimeZone;
}

/**
 * The agency named by `slug` where the principal holds one of `roles`, or the first such agency
 * when no slug is given. Another agency — or an unknown one — is "not found".
 */
export async function resolveSurveyAgency(
  ctx: AppContext,
  principal: Principal,
  roles: readonly AgencyRole[],
  slug: string | undefined,
): Promise<SurveyAgency> {
  const held = new Set(
    principal.grants.flatMap((g) => (roles.some((r) => r === g.role) && g.agencyId ? [g.agencyId] : [])),
  );
  if (held.size === 0) throw new DomainError('auth.forbidden');
  const agencies = await listAgencyRows(ctx.db);
  const wanted = slug?.trim() ?? '';
  const agency =
    wanted !== '' ? agencies.find((a) => a.slug === wanted) : agencies.find((a) => held.has(a.id));
  if (!agency || !held.has(agency.id)) throw new DomainError('not_found');
  return {
    id: agency.id,
    slug: agency.slug,
    name: { id: agency.name_id, en: agency.name_en },
    timezone: isAgencyTimeZone(agency.timezone) ? agency.timezone : 'Asia/Jakarta',
  };
}

function fieldProblem(
  field: string,
  key: 'survey.period_invalid' | 'survey.population_invalid',
): FieldProblem {
  const params = { max: MAX_POPULATION.toLocaleString('id-ID') };
  const paramsEn = { max: MAX_POPULATION.toLocaleString('en-GB') };
  return { field, code: 'invalid', message: { id: t('id', key, params), en: t('en', key, paramsEn) } };
}

/** The period a report asks for: the key given, or the current year in the agency's time zone. */
export function choosePeriod(key: string | undefined, tz: AgencyTimeZone, now = new Date()): SurveyPeriod {
  if (key === undefined || key.trim() === '') return periodContaining(now, 'year', tz);
  const period = parsePeriod(key);
  if (!period) throw new FieldErrors([fieldProblem('period', 'survey.period_invalid')]);
  return period;
}

export interface ServiceReport {
  serviceId: string;
  slug: string;
  name: LocalText;
  figures: IkmFigures;
  source: PopulationSource;
  closed: number;
  belowMinimum: boolean;
}

export interface IkmReport {
  agency: SurveyAgency;
  period: SurveyPeriod;
  range: FigurePeriod;
  overall: IkmFigures;
  /** Where the pooled population came from: every service's entry, none, or some. */
  overallSource: PopulationSource | 'mixed' | null;
  overallBelowMinimum: boolean;
  services: ServiceReport[];
}

export function isBelowMinimum(figures: IkmFigures): boolean {
  return figures.minimumSample !== null && figures.respondents < figures.minimumSample;
}

/** The agency's figures in the period: pooled, and per service (or for one service, by slug). */
export async function ikmReport(
  ctx: AppContext,
  agency: SurveyAgency,
  period: SurveyPeriod,
  serviceSlug?: string,
): Promise<IkmReport> {
  const range = periodRange(period, agency.timezone);
  let services = await figuresByService(ctx, { agencyId: agency.id, serviceId: null }, range);
  if (serviceSlug !== undefined && serviceSlug.trim() !== '') {
    services = services.filter((s) => s.slug === serviceSlug.trim());
    if (services.length === 0) throw new DomainError('not_found');
  }
  const names = await store.serviceNames(
    ctx.db,
    services.map((s) => s.serviceId),
  );
  const overall = pooledFigures(services);
  const sources = new Set(services.map((s) => s.source));
  return {
    agency,
    period,
    range,
    overall,
    overallSource:
      sources.size === 0 ? null : sources.size === 2 ? 'mixed' : (sources.values().next().value ?? null),
    overallBelowMinimum: isBelowMinimum(overall),
    services: services.map((s) => {
      const figures = figuresOf(s.sums, s.population);
      return {
        serviceId: s.serviceId,
        slug: s.slug,
        name: names.get(s.serviceId) ?? { id: s.slug, en: s.slug },
        figures,
        source: s.source,
        closed: s.closed,
        belowMinimum: isBelowMinimum(figures),
      };
    }),
  };
}

export interface SurveyComment {
  service: LocalText;
  answeredAt: string;
  text: string;
}

/** The newest comments of the agency in the period, without the application they came from. */
export async function recentComments(
  ctx: AppContext,
  report: Pick<IkmReport, 'agency' | 'range' | 'services'>,
): Promise<SurveyComment[]> {
  const rows = await store.latestComments(
    ctx.db,
    { agencyId: report.agency.id, serviceId: null, ...report.range },
    COMMENTS_SHOWN,
  );
  const names = new Map(report.services.map((s) => [s.serviceId, s.name]));
  return Promise.all(
    rows.flatMap((r) =>
      r.comment_enc === null
        ? []
        : [
            ctx.keyring.decrypt(r.comment_enc, `survey_responses.comment:${r.id}`).then((text) => ({
              service: names.get(r.service_id) ?? { id: '', en: '' },
              answeredAt: r.answered_at,
              text,
            })),
          ],
    ),
  );
}

/** A population as typed: digits, optionally grouped by thousands with dots, commas or spaces. */
function parsePopulation(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed) && !/^\d{1,3}([.,\s]\d{3})+$/.test(trimmed)) return undefined;
  const value = Number(trimmed.replace(/[.,\s]/g, ''));
  return Number.isSafeInteger(value) && value <= MAX_POPULATION ? value : undefined;
}

export interface PopulationRow {
  serviceId: string;
  name: LocalText;
  /** What the admin entered for the period, or null. */
  entered: number | null;
  /** Applications closed with a decision in the period: the population when none is entered. */
  closed: number;
}

/** The agency's services with the population entered for the period and the default beside it. */
export async function populationRows(
  ctx: AppContext,
  agency: SurveyAgency,
  period: SurveyPeriod,
): Promise<PopulationRow[]> {
  const report = await ikmReport(ctx, agency, period);
  return report.services.map((s) => ({
    serviceId: s.serviceId,
    name: s.name,
    entered: s.source === 'entered' ? s.figures.population : null,
    closed: s.closed,
  }));
}

/**
 * Saves the populations the admin typed for the period, one field per service (`p_<service id>`):
 * a number sets it, an empty field returns the service to the count of closed applications. All
 * or nothing: any bad value refuses the whole form. Each change is an audit leaf.
 */
export async function savePopulations(
  ctx: AppContext,
  admin: Principal,
  agency: SurveyAgency,
  period: SurveyPeriod,
  fields: Record<string, unknown>,
): Promise<void> {
  const rows = await populationRows(ctx, agency, period);
  const problems: FieldProblem[] = [];
  const changes: { serviceId: string; population: number | null }[] = [];
  for (const row of rows) {
    const field = `p_${row.serviceId}`;
    const raw = fields[field];
    if (raw === undefined) continue;
    const value = typeof raw === 'string' ? parsePopulation(raw) : undefined;
    if (value === undefined) problems.push(fieldProblem(field, 'survey.population_invalid'));
    else if (value !== row.entered) changes.push({ serviceId: row.serviceId, population: value });
  }
  if (problems.length > 0) throw new FieldErrors(problems);
  if (changes.length === 0) return;
  const at = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    for (const change of changes) {
      if (change.population === null) await store.deletePopulation(trx, change.serviceId, period.key);
      else
        await store.putPopulation(trx, {
          service_id: change.serviceId,
          period: period.key,
          population: change.population,
          entered_by: admin.userId,
          entered_at: at,
        });
      await appendAuditLeaf(trx, {
        type: 'survey.population_set',
        actorId: admin.userId,
        agencyId: agency.id,
        subjectId: change.serviceId,
        facts: { period: period.key, population: change.population },
      });
    }
  });
}
