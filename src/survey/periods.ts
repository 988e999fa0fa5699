/**
 * Survey periods — a month (`2026-03`), a quarter (`2026-Q1`) or a year (`2026`) — and the
 * instants they cover in an agency's time zone. Indonesia has no daylight saving time, so a
 * period starts at local midnight, a fixed offset from UTC.
 */
import { type AgencyTimeZone, TIME_ZONE_OFFSET_HOURS } from '../calendar/calendar.ts';
import type { FigurePeriod } from '../opendata/scope.ts';

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface SurveyPeriod {
  key: string;
  kind: PeriodKind;
  year: number;
  /** The month (1–12) or quarter (1–4); 0 for a year. */
  part: number;
}

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const HOUR_MS = 3_600_000;
const KEY = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

function periodOf(kind: PeriodKind, year: number, part: number): SurveyPeriod {
  const key =
    kind === 'year'
      ? String(year)
      : kind === 'quarter'
        ? `${year}-Q${part}`
        : `${year}-${String(part).padStart(2, '0')}`;
  return { key, kind, year, part };
}

/** The period a key names, or undefined for anything else (years 2000–2100). */
export function parsePeriod(key: string): SurveyPeriod | undefined {
  const match = KEY.exec(key.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
  if (match[2] !== undefined) return periodOf('month', year, Number(match[2]));
  if (match[3] !== undefined) return periodOf('quarter', year, Number(match[3]));
  return periodOf('year', year, 0);
}

/** The first month (1–12) of the period and how many months it has. */
function months(period: SurveyPeriod): { first: number; count: number } {
  if (period.kind === 'year') return { first: 1, count: 12 };
  if (period.kind === 'quarter') return { first: (period.part - 1) * 3 + 1, count: 3 };
  return { first: period.part, count: 1 };
}

/** The instants the period covers in the time zone: local midnight of its first day to that of the next period. */
export function periodRange(period: SurveyPeriod, tz: AgencyTimeZone): FigurePeriod {
  const { first, count } = months(period);
  const offset = TIME_ZONE_OFFSET_HOURS[tz] * HOUR_MS;
  // Date.UTC carries month 13 into January of the next year.
  const from = Date.UTC(period.year, first - 1, 1) - offset;
  const to = Date.UTC(period.year, first - 1 + count, 1) - offset;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The period of a kind that contains the instant, in the time zone. */
export function periodContaining(instant: Date, kind: PeriodKind, tz: AgencyTimeZone): SurveyPeriod {
  const local = new Date(instant.getTime() + TIME_ZONE_OFFSET_HOURS[tz] * HOUR_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  if (kind === 'year') return periodOf('year', year, 0);
  if (kind === 'quarter') return periodOf('quarter', year, Math.ceil(month / 3));
  return periodOf('month', year, month);
}

/** An instant as the fixed-width ISO text the tables store (so text comparison orders it). */
export function normaliseInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant ${JSON.stringify(iso)}`);
  return new Date(ms).toISOString();
}

/**
 * The key of the month, quarter or year whose range in the time zone is exactly `range`, or
 * undefined when the range is not one calendar period there (then no entered population applies).
 */
export function periodKeyOf(range: FigurePeriod, tz: AgencyTimeZone): string | undefined {
  const from = normaliseInstant(range.from);
  const to = normaliseInstant(range.to);
  for (const kind of ['month', 'quarter', 'year'] as const) {
    const candidate = periodContaining(new Date(from), kind, tz);
    const candidateRange = periodRange(candidate, tz);
    if (candidateRange.from === from && candidateRange.to === to) return candidate.key;
  }
  return undefined;
}

/** The periods worth offering for a report: this and the two previous years, their quarters and 24 months, newest first. */
export function recentPeriods(now: Date, tz: AgencyTimeZone): SurveyPeriod[] {
  const current = periodContaining(now, 'month', tz);
  const out: SurveyPeriod[] = [];
  for (let year = current.year; year > current.year - 3; year--) out.push(periodOf('year', year, 0));
  for (let year = current.year; year > current.year - 3; year--)
    for (let quarter = 4; quarter >= 1; quarter--)
      if (year < current.year || quarter <= Math.ceil(current.part / 3))
        out.push(periodOf('quarter', year, quarter));
  for (let i = 0; i < 24; i++) {
    const index = current.year * 12 + (current.part - 1) - i;
    out.push(periodOf('month', Math.floor(index / 12), (index % 12) + 1));
  }
  return out.filter((p) => p.year >= MIN_YEAR);
}
