import Holidays from 'date-holidays';
import { HOLIDAYS_2026 } from './holidays-2026.ts';

/**
 * Working-day calendar for public-service SLAs.
 *
 * - A working day is Monday–Friday and not a holiday. The holidays of a year are the configured
 *   list for that year (national holidays + cuti bersama, authoritative), or — only for a year
 *   WITHOUT a configured list — the `public` holidays of `date-holidays` for 'ID' (which knows no
 *   cuti bersama). Regional holidays of the agency are added in every year.
 * - Local dates are 'YYYY-MM-DD' strings; instants are `Date`s or ISO strings with an explicit
 *   offset. Agency time zones have fixed offsets (WIB +07, WITA +08, WIT +09, no DST).
 * - A deadline of N working days is the end (23:59:59.999 local) of the N-th working day AFTER the
 *   local day the application was complete; N = 0 is the end of that same day.
 */

export type HolidayKind = 'national' | 'cuti_bersama' | 'regional';

export interface HolidayEntry {
  /** Local date, 'YYYY-MM-DD'. */
  readonly date: string;
  readonly kind: HolidayKind;
  readonly name: { readonly id: string; readonly en: string };
}

export interface CalendarConfig {
  /** The government's list per year. A year present here (even with an empty list) never falls back. */
  readonly years: Readonly<Record<number, readonly HolidayEntry[]>>;
  /** Holidays of the agency's region, any year; added on top of the national list. */
  readonly regional?: readonly HolidayEntry[];
}

export type HolidaySource = 'configured' | 'fallback';

export type SlaStatus = 'on_track' | 'due_soon' | 'overdue';

/** An instant: a `Date`, or an ISO 8601 date-time string with `Z` or an explicit offset. */
export type Instant = Date | string;

export interface Pause {
  readonly from: Instant;
  readonly to: Instant;
}

export const TIME_ZONE_OFFSET_HOURS = {
  'Asia/Jakarta': 7,
  'Asia/Makassar': 8,
  'Asia/Jayapura': 9,
} as const;

export type AgencyTimeZone = keyof typeof TIME_ZONE_OFFSET_HOURS;

export function isAgencyTimeZone(value: string): value is AgencyTimeZone {
  return Object.hasOwn(TIME_ZONE_OFFSET_HOURS, value);
}

export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const HOLIDAY_KINDS: readonly string[] = ['national', 'cuti_bersama', 'regional'];

// ---------------------------------------------------------------------------------------------
// Local dates and time zones (no holidays involved)

function offsetMs(tz: AgencyTimeZone): number {
  if (!isAgencyTimeZone(tz)) throw new RangeError(`unsupported time zone ${JSON.stringify(tz)}`);
  return TIME_ZONE_OFFSET_HOURS[tz] * HOUR_MS;
}

function toMillis(instant: Instant): number {
  let ms: number;
  if (typeof instant === 'string') {
    if (!ISO_INSTANT.test(instant)) {
      throw new RangeError(`invalid instant ${JSON.stringify(instant)}; expected ISO 8601 with Z or offset`);
    }
    ms = Date.parse(instant);
  } else {
    ms = instant.getTime();
  }
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant ${String(instant)}`);
  return ms;
}

/** Days since 1970-01-01 of a local date; throws on malformed or impossible dates. */
function toDayNumber(date: string): number {
  const ms = LOCAL_DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  const day = ms / DAY_MS;
  if (Number.isNaN(ms) || fromDayNumber(day) !== date) {
    throw new RangeError(`invalid local date ${JSON.stringify(date)}; expected YYYY-MM-DD`);
  }
  return day;
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function localDayNumber(instant: Instant, tz: AgencyTimeZone): number {
  return Math.floor((toMillis(instant) + offsetMs(tz)) / DAY_MS);
}

function endOfDay(day: number, tz: AgencyTimeZone): Date {
  return new Date((day + 1) * DAY_MS - 1 - offsetMs(tz));
}

/** The local date ('YYYY-MM-DD') of an instant in the agency's time zone. */
export function localDate(instant: Instant, tz: AgencyTimeZone): string {
  return fromDayNumber(localDayNumber(instant, tz));
}

/** 23:59:59.999 local time of `date` in the agency's time zone, as a (UTC) `Date`. */
export function endOfLocalDay(date: string, tz: AgencyTimeZone): Date {
  return endOfDay(toDayNumber(date), tz);
}

// ---------------------------------------------------------------------------------------------
// Calendar

interface YearData {
  readonly year: number;
  readonly source: HolidaySource;
  readonly entries: readonly HolidayEntry[];
  /** Day number of 1 January. */
  readonly firstDay: number;
  /** 1 for a working day, by day of year (0-based). */
  readonly working: Uint8Array;
  /** cumulative[i] = number of working days among the first i days of the year. */
  readonly cumulative: Uint16Array;
  readonly total: number;
}

function cell(array: Uint8Array | Uint16Array, index: number): number {
  const value = array[index];
  if (value === undefined) throw new RangeError(`calendar index ${index} out of range`);
  return value;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year ${year} outside the supported range ${MIN_YEAR}–${MAX_YEAR}`);
  }
}

function checkCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`working-day count must be an integer >= 0`);
}

function checkEntry(entry: HolidayEntry, year?: number): void {
  const day = toDayNumber(entry.date);
  if (year !== undefined && yearOfDay(day) !== year) {
    throw new RangeError(`holiday ${entry.date} is listed under year ${year}`);
  }
  if (!HOLIDAY_KINDS.includes(entry.kind)) throw new RangeError(`holiday ${entry.date}: unknown kind`);
  if (typeof entry.name?.id !== 'string' || typeof entry.name.en !== 'string') {
    throw new RangeError(`holiday ${entry.date}: name.id and name.en are required`);
  }
}

function byDate(a: HolidayEntry, b: HolidayEntry): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

let fallbackSource: Holidays | undefined;

/** The 'public' holidays of `date-holidays` for Indonesia, used only for unconfigured years. */
function fallbackHolidays(year: number): HolidayEntry[] {
  fallbackSource ??= new Holidays('ID', { types: ['public'] });
  const english = new Map<string, string>();
  for (const h of fallbackSource.getHolidays(year, 'en')) english.set(`${h.date}|${h.rule}`, h.name);
  return fallbackSource
    .getHolidays(year, 'id')
    .filter((h) => h.type === 'public')
    .map(
      (h): HolidayEntry => ({
        date: h.date.slice(0, 10),
        kind: 'national',
        name: { id: h.name, en: english.get(`${h.date}|${h.rule}`) ?? h.name },
      }),
    );
}

/**
 * A working-day calendar. Immutable; year tables are built lazily and cached. To add holidays at
 * runtime (platform admin), build a new calendar from the updated configuration.
 */
export class Calendar {
  readonly #configured = new Map<number, readonly HolidayEntry[]>();
  readonly #regional = new Map<number, HolidayEntry[]>();
  readonly #years = new Map<number, YearData>();

  constructor(config: CalendarConfig) {
    for (const [key, entries] of Object.entries(config.years)) {
      const year = Number(key);
      checkYear(year);
      for (const entry of entries) checkEntry(entry, year);
      this.#configured.set(year, [...entries]);
    }
    for (const entry of config.regional ?? []) {
      checkEntry(entry);
      const year = yearOfDay(toDayNumber(entry.date));
      const list = this.#regional.get(year) ?? [];
      list.push(entry);
      this.#regional.set(year, list);
    }
  }

  /** Whether the holidays of `year` come from the configuration or the `date-holidays` fallback. */
  sourceOf(year: number): HolidaySource {
    checkYear(year);
    return this.#configured.has(year) ? 'configured' : 'fallback';
  }

  /** All holidays in effect in `year` (national/cuti bersama or fallback, plus regional), by date. */
  holidaysIn(year: number): readonly HolidayEntry[] {
    return this.#yearData(year).entries;
  }

  /** The holidays on a local date (empty for an ordinary day, including weekends). */
  holidaysOn(date: string): HolidayEntry[] {
    const day = toDayNumber(date);
    return this.#yearData(yearOfDay(day)).entries.filter((entry) => entry.date === date);
  }

  isWorkingDay(date: string): boolean {
    return this.#isWorking(toDayNumber(date));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.addWorkingDays(date, 1);
  }

  /** The n-th working day strictly after `date` (`date` itself never counts); n = 0 gives `date`. */
  addWorkingDays(date: string, n: number): string {
    checkCount(n);
    return fromDayNumber(this.#addDays(toDayNumber(date), n));
  }

  /** Number of working days d with from < d <= to (local dates); 0 when `to` is not after `from`. */
  countWorkingDays(from: string, to: string): number {
    return this.#count(toDayNumber(from), toDayNumber(to));
  }

  /**
   * Working days elapsed between two instants: the number of working days d with
   * localDate(from) < d <= localDate(to) in `tz`; 0 when to's local date is not after from's.
   */
  workingDaysBetween(from: Instant, to: Instant, tz: AgencyTimeZone): number {
    return this.#count(localDayNumber(from, tz), localDayNumber(to, tz));
  }

  /** End of the n-th working day after the local day of `start`, in `tz`. */
  deadline(start: Instant, n: number, tz: AgencyTimeZone): Date {
    checkCount(n);
    return endOfDay(this.#addDays(localDayNumber(start, tz), n), tz);
  }

  /**
   * Deadline when the clock pauses while waiting for the applicant. Rule:
   * - pauses are clipped to begin no earlier than `start`, then overlapping ones are merged;
   * - each pause extends the deadline by workingDaysBetween(pause.from, pause.to): the day the
   *   pause begins counts as elapsed, the working days after it up to and including the day the
   *   clock resumes do not (the resume day is treated like a new completion day);
   * - a pause that begins after the deadline as extended so far is ignored (a breached SLA is not
   *   un-breached by a later request to the applicant).
   * For a pause still open, pass `to` = now.
   */
  deadlineWithPauses(start: Instant, n: number, pauses: readonly Pause[], tz: AgencyTimeZone): Date {
    checkCount(n);
    const startMs = toMillis(start);
    const startDay = localDayNumber(start, tz);
    const intervals: { from: number; to: number }[] = [];
    for (const pause of pauses) {
      const from = toMillis(pause.from);
      const to = toMillis(pause.to);
      if (to < from) throw new RangeError('a pause must not end before it begins');
      if (to > startMs) intervals.push({ from: Math.max(from, startMs), to });
    }
    intervals.sort((a, b) => a.from - b.from);

    const merged: { from: number; to: number }[] = [];
    for (const interval of intervals) {
      const last = merged.at(-1);
      if (last && interval.from <= last.to) last.to = Math.max(last.to, interval.to);
      else merged.push({ ...interval });
    }

    const offset = offsetMs(tz);
    let extra = 0;
    let due = endOfDay(this.#addDays(startDay, n), tz);
    for (const pause of merged) {
      if (pause.from > due.getTime()) break;
      const paused = this.#count(
        Math.floor((pause.from + offset) / DAY_MS),
        Math.floor((pause.to + offset) / DAY_MS),
      );
      if (paused === 0) continue;
      extra += paused;
      due = endOfDay(this.#addDays(startDay, n + extra), tz);
    }
    return due;
  }

  /**
   * 'overdue' once `now` is past `deadline`; 'due_soon' when at most `dueSoonWorkingDays` working
   * days remain (workingDaysBetween(now, deadline); 0 on the deadline's own day); else 'on_track'.
   */
  slaStatus(now: Instant, deadline: Instant, tz: AgencyTimeZone, dueSoonWorkingDays = 1): SlaStatus {
    if (toMillis(now) > toMillis(deadline)) return 'overdue';
    return this.workingDaysBetween(now, deadline, tz) <= dueSoonWorkingDays ? 'due_soon' : 'on_track';
  }

  #isWorking(day: number): boolean {
    const data = this.#yearData(yearOfDay(day));
    return cell(data.working, day - data.firstDay) === 1;
  }

  #addDays(day: number, n: number): number {
    let data = this.#yearData(yearOfDay(day));
    let index = day - data.firstDay; // -1 means "31 December of the previous year"
    let remaining = n;
    for (;;) {
      const after = data.total - cell(data.cumulative, index + 1);
      if (remaining <= after) break;
      remaining -= after;
      data = this.#yearData(data.year + 1);
      index = -1;
    }
    while (remaining > 0) {
      index += 1;
      if (cell(data.working, index) === 1) remaining -= 1;
    }
    return data.firstDay + index;
  }

  /** Working days d with from < d <= to. */
  #count(from: number, to: number): number {
    if (to <= from) return 0;
    const first = this.#yearData(yearOfDay(from));
    const last = this.#yearData(yearOfDay(to));
    const upTo = (data: YearData, day: number): number => cell(data.cumulative, day - data.firstDay + 1);
    if (first.year === last.year) return upTo(last, to) - upTo(first, from);
    let count = first.total - upTo(first, from) + upTo(last, to);
    for (let year = first.year + 1; year < last.year; year += 1) count += this.#yearData(year).total;
    return count;
  }

  #yearData(year: number): YearData {
    const cached = this.#years.get(year);
    if (cached) return cached;
    checkYear(year);
    const configured = this.#configured.get(year);
    const source: HolidaySource = configured ? 'configured' : 'fallback';
    const entries = [...(configured ?? fallbackHolidays(year)), ...(this.#regional.get(year) ?? [])].sort(
      byDate,
    );
    const holidays = new Set(entries.map((entry) => toDayNumber(entry.date)));
    const firstDay = Date.UTC(year, 0, 1) / DAY_MS;
    const length = Date.UTC(year + 1, 0, 1) / DAY_MS - firstDay;
    const working = new Uint8Array(length);
    const cumulative = new Uint16Array(length + 1);
    let total = 0;
    for (let index = 0; index < length; index += 1) {
      const day = firstDay + index;
      const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday, 6 = Saturday
      if (weekday !== 0 && weekday !== 6 && !holidays.has(day)) {
        working[index] = 1;
        total += 1;
      }
      cumulative[index + 1] = total;
    }
    const data: YearData = { year, source, entries, firstDay, working, cumulative, total };
    this.#years.set(year, data);
    return data;
  }
}

export function createCalendar(config: CalendarConfig): Calendar {
  return new Calendar(config);
}

/** The shipped configuration: the government's lists per year (national holidays + cuti bersama). */
export const DEFAULT_CALENDAR_CONFIG: CalendarConfig = { years: { 2026: HOLIDAYS_2026 } };

/** Calendar with the shipped configuration and no regional holidays. */
export const defaultCalendar: Calendar = createCalendar(DEFAULT_CALENDAR_CONFIG);
