/**
 * Raw IKM figures of a scope (a service, an agency pooling its services, or the platform) and a
 * period: respondents, NRR per element, IKM, score, grade, the population served and the
 * Krejcie–Morgan minimum sample. Unsuppressed: whoever publishes them suppresses small counts.
 *
 * The population of a service and period is what the agency admin entered for exactly that month,
 * quarter or year; without an entry it is the number of applications closed with a decision in
 * the period. A pooled scope adds its services' populations.
 */
import { isAgencyTimeZone } from '../calendar/calendar.ts';
import type { AppContext } from '../context.ts';
import type { FigurePeriod, FigureScope } from '../opendata/scope.ts';
import { type AnswerSums, addSums, computeIkm, krejcieMorgan, NO_ANSWERS } from './ikm.ts';
import { normaliseInstant, periodKeyOf } from './periods.ts';
import * as store from './store.ts';

export interface IkmFigures {
  respondents: number;
  elements: { key: string; nrr: number | null }[];
  ikm: number | null;
  score: number | null;
  grade: 'A' | 'B' | 'C' | 'D' | null;
  population: number | null;
  minimumSample: number | null;
}

/** Where a population came from: entered by the agency admin, or counted from closed applications. */
export type PopulationSource = 'entered' | 'closed';

export interface ServiceFigures {
  serviceId: string;
  slug: string;
  agencyId: string;
  sums: AnswerSums;
  population: number;
  source: PopulationSource;
  /** Applications closed with a decision in the period (the default population). */
  closed: number;
  /** The period key an entry would be stored under, when the range is one calendar period. */
  periodKey: string | undefined;
}

/** Every service of the scope with its sums and population in the range, services without answers included. */
export async function figuresByService(
  ctx: AppContext,
  scope: FigureScope,
  period: FigurePeriod,
): Promise<ServiceFigures[]> {
  const filter = { ...scope, from: normaliseInstant(period.from), to: normaliseInstant(period.to) };
  const services = await store.servicesInScope(ctx.db, scope);
  const keyOf = (timezone: string) =>
    periodKeyOf(filter, isAgencyTimeZone(timezone) ? timezone : 'Asia/Jakarta');
  const keys = [...new Set(services.map((s) => keyOf(s.timezone)))].filter((k) => k !== undefined);
  const [sums, closed, entered] = await Promise.all([
    store.sumsByService(ctx.db, filter),
    store.closedByService(ctx.db, filter),
    store.populationsOf(ctx.db, keys),
  ]);
  return services.map((service) => {
    const periodKey = keyOf(service.timezone);
    const entry = entered.find((e) => e.service_id === service.id && e.period === periodKey);
    const closedCount = closed.get(service.id) ?? 0;
    return {
      serviceId: service.id,
      slug: service.slug,
      agencyId: service.agency_id,
      sums: sums.get(service.id) ?? NO_ANSWERS,
      population: entry ? Number(entry.population) : closedCount,
      source: entry ? 'entered' : 'closed',
      closed: closedCount,
      periodKey,
    };
  });
}

/** The figures of a set of services pooled: their answers and populations added. */
export function pooledFigures(services: readonly ServiceFigures[]): IkmFigures {
  const sums = services.reduce((acc, s) => addSums(acc, s.sums), NO_ANSWERS);
  const population = services.length === 0 ? null : services.reduce((acc, s) => acc + s.population, 0);
  return figuresOf(sums, population);
}

export function figuresOf(sums: AnswerSums, population: number | null): IkmFigures {
  const result = computeIkm(sums);
  return {
    respondents: result.respondents,
    elements: result.elements,
    ikm: result.ikm,
    score: result.score,
    grade: result.grade,
    population,
    minimumSample: population === null ? null : krejcieMorgan(population),
  };
}

/**
 * The IKM figures of a scope and period. A scope without any service (an unknown agency) has
 * null population and minimum sample.
 */
export async function ikmFigures(
  ctx: AppContext,
  scope: FigureScope,
  period: FigurePeriod,
): Promise<IkmFigures> {
  return pooledFigures(await figuresByService(ctx, scope, period));
}
