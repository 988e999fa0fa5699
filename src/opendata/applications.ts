/**
 * Application figures: counts per local month from SQL into the year table that decides their
 * suppression, and processing times as histograms of working days (on the agency's calendar)
 * per service and month, from which medians, percentiles and the on-time share are read.
 */
import type { AgencyTimeZone, Calendar } from '../calendar/calendar.ts';
import { calendarFor } from '../calendar/service.ts';
import type { AppContext } from '../context.ts';
import { type AgencyCounts, agencySeries, CountCube, PLATFORM, serviceSeries } from './cube.ts';
import { interval, monthKey, offsetSeconds } from './periods.ts';
import type { ApplicationFigures } from './schemas.ts';
import {
  addTo,
  emptyHistogram,
  type Histogram,
  median,
  mergeInto,
  onTimePercent,
  percentile,
} from './stats.ts';
import * as store from './store.ts';
import { publishDerived } from './suppression.ts';

/** An agency as far as counting goes: which rows, and which local days and months. */
export interface AgencyClock {
  id: string;
  timezone: AgencyTimeZone;
}

const DAY_MS = 86_400_000;

/** The local months of an agency as instant ranges. */
function monthRanges(agency: AgencyClock, months: readonly string[]): store.MonthRange[] {
  return months.map((key) => ({ key, ...interval([key], agency.timezone) }));
}

function monthsOfYears(first: number, last: number): string[] {
  const months: string[] = [];
  for (let y = first; y <= last; y++) for (let m = 1; m <= 12; m++) months.push(monthKey(y, m));
  return months;
}

/** What is open at an instant from what is open now: less what was filed since, plus what was closed. */
async function openAt(
  ctx: AppContext,
  agencyId: string,
  at: string,
  now: Date,
): Promise<Map<string, number>> {
  const open = new Map(await store.openNow(ctx.readDb, agencyId));
  if (at > now.toISOString()) return open;
  const since = await store.flowsSince(ctx.readDb, agencyId, at);
  for (const [serviceId, n] of since.received) open.set(serviceId, (open.get(serviceId) ?? 0) - n);
  for (const [serviceId, n] of since.closed) open.set(serviceId, (open.get(serviceId) ?? 0) + n);
  return open;
}

/** Counts of every agency (with every service it has) over whole years, suppressed as one table. */
export async function countCube(
  ctx: AppContext,
  agencies: readonly (AgencyClock & { serviceIds: readonly string[] })[],
  years: readonly number[],
  now: Date,
): Promise<CountCube> {
  const first = Math.min(...years);
  const last = Math.max(...years);
  const months = monthsOfYears(first, last);
  const counts: AgencyCounts[] = [];
  for (const agency of agencies) {
    const ranges = monthRanges(agency, months);
    counts.push({
      agencyId: agency.id,
      serviceIds: agency.serviceIds,
      received: await store.receivedByMonth(ctx.readDb, agency.id, ranges),
      closed: await store.closedByMonth(ctx.readDb, agency.id, ranges),
      openAtEnd: await openAt(ctx, agency.id, interval([monthKey(last, 12)], agency.timezone).to, now),
    });
  }
  return new CountCube(years, counts);
}

function utcDateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The agency's working days as a table of UTC dates, from the earliest filing to the end of the
 * span: for each date, the working days counted up to (and the month of) the local date of an
 * instant of it before and after the hour the local day turns. The count starts at the first date
 * (which itself never counts), so only the difference of two counts means anything.
 */
function calendarDays(calendar: Calendar, tz: AgencyTimeZone, firstInstant: string, endInstant: string) {
  const firstDate = Date.parse(utcDateOf(Date.parse(firstInstant)));
  const lastDate = Date.parse(utcDateOf(Date.parse(endInstant)));
  const counted = new Map<number, number>();
  let count = 0;
  // Local dates run from the first UTC date to the day after the last (an evening instant's).
  for (let day = firstDate; day <= lastDate + DAY_MS; day += DAY_MS) {
    if (day > firstDate && calendar.isWorkingDay(utcDateOf(day))) count++;
    counted.set(day, count);
  }
  const days: store.CalendarDay[] = [];
  for (let day = firstDate; day <= lastDate; day += DAY_MS)
    days.push({
      utcDate: utcDateOf(day),
      before: counted.get(day) ?? 0,
      after: counted.get(day + DAY_MS) ?? 0,
      beforeMonth: utcDateOf(day).slice(0, 7),
      afterMonth: utcDateOf(day + DAY_MS).slice(0, 7),
    });
  return { days, localDayStartsAt: 24 - offsetSeconds(tz) / 3600 };
}

/** How far before a span the calendar table starts at first: most applications are decided sooner. */
const USUAL_LOOKBACK_DAYS = 366;

/**
 * Adds one agency's decided applications of the given months to the histogram table. The calendar
 * table starts a year before the months; when that leaves out applications filed even earlier —
 * fewer rows than the decided count of those months — it is built again from the earliest filing.
 */
export async function addHistograms(
  ctx: AppContext,
  table: HistogramTable,
  agency: AgencyClock,
  months: readonly string[],
  decided: number,
): Promise<void> {
  if (decided === 0) return;
  const span = interval(months, agency.timezone);
  const calendar = await calendarFor(ctx, agency.id);
  const histogramFrom = (first: string) => {
    const { days, localDayStartsAt } = calendarDays(calendar, agency.timezone, first, span.to);
    return store.processingHistogram(ctx.readDb, agency.id, span, days, localDayStartsAt);
  };
  const usual = new Date(Date.parse(span.from) - USUAL_LOOKBACK_DAYS * DAY_MS).toISOString();
  let rows = await histogramFrom(usual);
  if (rows.reduce((sum, r) => sum + r.n, 0) < decided) {
    const earliest = await store.earliestFilingOfDecided(ctx.readDb, agency.id, span.from, span.to);
    if (earliest !== null && earliest < usual) rows = await histogramFrom(earliest);
  }
  for (const row of rows)
    for (const series of [PLATFORM, agencySeries(agency.id), serviceSeries(row.serviceId)])
      addTo(histogramCell(table, series, row.month), row.days, row.n, row.onTime);
}

/** Processing-time histograms by series (service, its agency, the platform) and month. */
export type HistogramTable = Map<string, Map<string, Histogram>>;

function histogramCell(table: HistogramTable, series: string, month: string): Histogram {
  let byMonth = table.get(series);
  if (!byMonth) {
    byMonth = new Map();
    table.set(series, byMonth);
  }
  let cell = byMonth.get(month);
  if (!cell) {
    cell = emptyHistogram();
    byMonth.set(month, cell);
  }
  return cell;
}

function histogramOver(table: HistogramTable, series: string, months: readonly string[]): Histogram {
  const total = emptyHistogram();
  const byMonth = table.get(series);
  for (const month of months) {
    const cell = byMonth?.get(month);
    if (cell) mergeInto(total, cell);
  }
  return total;
}

/** The published application figures of one series and time cell (`months` are the cell's). */
export function applicationFigures(
  cube: CountCube,
  table: HistogramTable,
  series: string,
  time: string,
  months: readonly string[],
): ApplicationFigures {
  const histogram = histogramOver(table, series, months);
  const hidden = cube.isHidden('completed', series, time);
  return {
    received: cube.published('received', series, time),
    completed: cube.published('completed', series, time),
    pending: cube.published('pending', series, time),
    processingDaysMedian: publishDerived(median(histogram), histogram.count, hidden),
    processingDaysP90: publishDerived(percentile(histogram, 90), histogram.count, hidden),
    slaCompliance: publishDerived(onTimePercent(histogram), histogram.count, hidden),
  };
}
