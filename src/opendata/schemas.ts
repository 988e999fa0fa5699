/**
 * The published open data as one TypeBox schema: the type the service builds, the shape of the
 * JSON API (and its OpenAPI entry), and what the CSV and the pages are written from.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PERIOD_PATTERN } from './periods.ts';
import { SMALL, WITHHELD } from './suppression.ts';

const Text = Type.Object({ id: Type.String(), en: Type.String() });

const Small = Type.Literal(SMALL, {
  description: 'primary suppression: computed from 1–4 records, not published',
});
const Withheld = Type.Literal(WITHHELD, {
  description:
    'complementary suppression: computed from 5 or more records, hidden only so that a "< 5" figure of the same total cannot be worked out by subtraction',
});

/**
 * A figure: its value, "< 5" (primary suppression), "suppressed" (complementary suppression), or
 * null when there is nothing to compute it from.
 */
function published<T extends TSchema>(value: T, description: string) {
  return Type.Union([value, Small, Withheld, Type.Null()], {
    description: `${description}; "< 5" when computed from 1–4 records, "suppressed" when hidden to protect another figure, null when there is nothing to compute it from`,
  });
}

const Count = (description: string) => published(Type.Integer({ minimum: 0 }), description);
const Amount = (description: string) => published(Type.Number(), description);

export const Grade = Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C'), Type.Literal('D')]);

export const ApplicationFigures = Type.Object({
  received: Count('applications filed in the period'),
  completed: Count('applications decided (approved or rejected) in the period'),
  pending: Count('applications filed and not yet closed at the end of the period (or now)'),
  processingDaysMedian: Amount('median working days from filing to decision'),
  processingDaysP90: Amount('90th percentile (nearest rank) of working days from filing to decision'),
  slaCompliance: Amount('percent of decided applications decided by their deadline'),
});
export type ApplicationFigures = Static<typeof ApplicationFigures>;

export const SatisfactionFigures = Type.Object({
  respondents: Count('survey responses in the period'),
  population: Count('people served, the population the sample is drawn from'),
  minimumSample: Count('minimum respondents (Krejcie–Morgan) for that population'),
  ikm: Amount('satisfaction index on the 1–4 scale'),
  score: Amount('satisfaction index converted to 25–100'),
  grade: published(Grade, 'A Sangat Baik, B Baik, C Kurang Baik, D Tidak Baik'),
  elements: Type.Array(
    Type.Object({
      key: Type.String(),
      name: Text,
      nrr: Amount('mean answer (NRR) on the 1–4 scale'),
    }),
  ),
});
export type SatisfactionFigures = Static<typeof SatisfactionFigures>;

export const ComplaintsFigures = Type.Object({
  received: Count('complaints received in the period'),
  resolved: Count('complaints resolved in the period'),
  medianResolutionDays: Amount('median working days to resolve'),
});
export type ComplaintsFigures = Static<typeof ComplaintsFigures>;

export const FigureSet = Type.Object({
  applications: ApplicationFigures,
  satisfaction: SatisfactionFigures,
  complaints: ComplaintsFigures,
});
export type FigureSet = Static<typeof FigureSet>;

export const Level = Type.Union([Type.Literal('platform'), Type.Literal('agency'), Type.Literal('service')]);
export type Level = Static<typeof Level>;

const Named = Type.Object({ slug: Type.String(), name: Text });

export const TrendPoint = Type.Object({
  month: Type.String({ description: 'YYYY-MM, local time' }),
  ...ApplicationFigures.properties,
});
export type TrendPoint = Static<typeof TrendPoint>;

export const Definition = Type.Object({
  key: Type.String({ description: 'the figure, as named in the CSV (e.g. applications.received)' }),
  unit: Type.String(),
  name: Text,
  definition: Text,
});
export type Definition = Static<typeof Definition>;

export const Dashboard = Type.Object({
  licence: Type.Object({
    id: Type.Literal('CC-BY-4.0'),
    name: Type.String(),
    url: Type.String(),
    attribution: Text,
  }),
  generatedAt: Type.String(),
  period: Type.Object({
    key: Type.String({ pattern: PERIOD_PATTERN }),
    kind: Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')]),
    months: Type.Array(Type.String()),
    label: Text,
    complete: Type.Boolean({ description: 'false while the period is still running' }),
  }),
  subject: Type.Object({
    level: Level,
    agency: Type.Union([Named, Type.Null()]),
    service: Type.Union([Named, Type.Null()]),
    timeZone: Type.String(),
  }),
  figures: FigureSet,
  breakdown: Type.Object({
    level: Type.Union([Type.Literal('agency'), Type.Literal('service'), Type.Null()]),
    rows: Type.Array(Type.Object({ slug: Type.String(), name: Text, figures: FigureSet })),
  }),
  trend: Type.Array(TrendPoint),
  definitions: Type.Array(Definition),
  suppression: Type.Object(
    { id: Type.String(), en: Type.String() },
    { description: 'the suppression rule and what "< 5" and "suppressed" mean, in both languages' },
  ),
});
export type Dashboard = Static<typeof Dashboard>;

export const PeriodQuery = Type.Object({
  period: Type.Optional(
    Type.String({
      pattern: PERIOD_PATTERN,
      description: '2026, 2026-Q1 or 2026-03; the current year if absent',
    }),
  ),
});
