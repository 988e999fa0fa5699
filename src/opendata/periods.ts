/**
 * The periods open data is published for: a calendar month, quarter or year, written as
 * `2026-03`, `2026-Q1` or `2026`. Months are the agency's local months (WIB, WITA or WIT, fixed
 * offsets); the platform as a whole uses WIB for the figures other modules compute for one interval.
 */
import { type AgencyTimeZone, TIME_ZONE_OFFSET_HOURS } from '../calendar/calendar.ts';
import type { FigurePeriod } from './scope.ts';

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  /** `2026`, `2026-Q1` or `2026-03`. */
  key: string;
  kind: PeriodKind;
  year: number;
  /** The months it covers, `YYYY-MM`, in order. */
  months: string[];
}

/** Years a period may name; the pages offer only the years that have data. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;
/** The text form of a period, for schemas and validation. */
export const PERIOD_PATTERN = '^20[0-9]{2}(-(Q[1-4]|0[1-9]|1[0-2]))?$';
/** How many months the trend charts show. */
export const TREND_MONTHS = 12;

/** The time zone the platform's own interval figures (survey, complaints) are computed in. */
export const PLATFORM_TIME_ZONE: AgencyTimeZone = 'Asia/Jakarta';

export function monthKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

function splitMonth(key: string): { year: number; month: number } {
  return { year: Number(key.slice(0, 4)), month: Number(key.slice(5, 7)) };
}

/** The month `n` months after `key` (before it when `n` is negative). */
export function addMonths(key: string, n: number): string {
  const { year, month } = splitMonth(key);
  const index = year * 12 + (month - 1) + n;
  return monthKey(Math.floor(index / 12), (index % 12) + 1);
}

export function yearOf(monthKeyText: string): number {
  return splitMonth(monthKeyText).year;
}

export function quarterOf(monthKeyText: string): number {
  return Math.ceil(splitMonth(monthKeyText).month / 3);
}

function range(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(first, i));
}

/** Reads `2026`, `2026-Q1` or `2026-03`; anything else (or a year out of range) is undefined. */
export function parsePeriod(text: string): Period | undefined {
  const match = /^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$/.exec(text.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < FIRST_YEAR || year > LAST_YEAR) return undefined;
  if (match[2] !== undefined) {
    const quarter = Number(match[2]);
    return {
      key: `${year}-Q${quarter}`,
      kind: 'quarter',
      year,
      months: range(monthKey(year, quarter * 3 - 2), 3),
    };
  }
  if (match[3] !== undefined) {
    const month = Number(match[3]);
    return { key: monthKey(year, month), kind: 'month', year, months: [monthKey(year, month)] };
  }
  return { key: String(year), kind: 'year', year, months: range(monthKey(year, 1), 12) };
}

export function yearPeriod(year: number): Period {
  return { key: String(year), kind: 'year', year, months: range(monthKey(year, 1), 12) };
}

function offsetMs(tz: AgencyTimeZone): number {
  return TIME_ZONE_OFFSET_HOURS[tz] * 3_600_000;
}

export function offsetSeconds(tz: AgencyTimeZone): number {
  return TIME_ZONE_OFFSET_HOURS[tz] * 3600;
}

/** The first instant of a local month. */
export function monthStart(key: string, tz: AgencyTimeZone): Date {
  const { year, month } = splitMonth(key);
  return new Date(Date.UTC(year, month - 1, 1) - offsetMs(tz));
}

/** The local month an instant falls in. */
export function monthOfInstant(instant: Date, tz: AgencyTimeZone): string {
  const local = new Date(instant.getTime() + offsetMs(tz));
  return monthKey(local.getUTCFullYear(), local.getUTCMonth() + 1);
}

/** The half-open interval of instants a run of local months covers. */
export function interval(months: readonly string[], tz: AgencyTimeZone): FigurePeriod {
  const first = months[0];
  const last = months.at(-1);
  if (first === undefined || last === undefined) throw new RangeError('a period has at least one month');
  return {
    from: monthStart(first, tz).toISOString(),
    to: monthStart(addMonths(last, 1), tz).toISOString(),
  };
}

/**
 * The months of the trend charts: the twelve months ending with the period's last month, or with
 * the current month when the period is not over yet (nothing is drawn for months to come).
 */
export function trendMonths(period: Period, currentMonth: string): string[] {
  const last = period.months.at(-1) ?? currentMonth;
  const end = last > currentMonth ? currentMonth : last;
  return range(addMonths(end, 1 - TREND_MONTHS), TREND_MONTHS);
}

/** Whether the period has ended (false for the current and future periods). */
export function isComplete(period: Period, currentMonth: string): boolean {
  return (period.months.at(-1) ?? '') < currentMonth;
}

/** Every period of a year, newest first within the year as a select lists them: year, quarters, months. */
export function periodsOfYear(year: number, currentMonth: string): Period[] {
  const periods: Period[] = [yearPeriod(year)];
  for (let q = 1; q <= 4; q++) {
    const period = parsePeriod(`${year}-Q${q}`);
    if (period && (period.months[0] ?? '') <= currentMonth) periods.push(period);
  }
  for (let m = 1; m <= 12; m++) {
    const period = parsePeriod(monthKey(year, m));
    if (period && (period.months[0] ?? '') <= currentMonth) periods.push(period);
  }
  return periods;
}
