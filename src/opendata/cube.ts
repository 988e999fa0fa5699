/**
 * Application counts as one table for whole calendar years: every series (the platform, each
 * agency, each service) × every time cell (months, quarters, the year) × received, completed and
 * pending. Suppression is decided once over that whole table, with every sum a page can show as a
 * group — services add up to their agency, agencies to the platform, months to their quarter,
 * quarters and months to the year — so a cell hidden on one page is hidden on every page that
 * shows it, and no combination of pages recovers it by subtraction.
 *
 * Pending is a stock: the applications open at the end of a month (the end of the period for a
 * quarter or year, which is the end of its last month). It adds up across services and agencies,
 * not across time.
 */
import { addMonths, monthKey } from './periods.ts';
import { type Group, type Published, publishCount, suppressCells } from './suppression.ts';

export type Measure = 'received' | 'completed' | 'pending';

export const PLATFORM = 'platform';
export function agencySeries(agencyId: string): string {
  return `agency:${agencyId}`;
}
export function serviceSeries(serviceId: string): string {
  return `service:${serviceId}`;
}

export interface AgencyCounts {
  agencyId: string;
  /** Every service of the agency (with or without applications), in a fixed order. */
  serviceIds: readonly string[];
  /** Every month of the table's years. */
  received: readonly { serviceId: string; month: string; n: number }[];
  closed: readonly { serviceId: string; month: string; closed: number; decided: number }[];
  /** Applications open at the end of the last year (what is open now, less what came and went since). */
  openAtEnd: ReadonlyMap<string, number>;
}

/** The time cells of a year: `2026-01`…`2026-12`, `2026-Q1`…`2026-Q4`, `2026`. */
function timeCellsOf(year: number): { months: string[]; quarters: string[][]; year: string } {
  const months = Array.from({ length: 12 }, (_, i) => monthKey(year, i + 1));
  const quarters = [0, 1, 2, 3].map((q) => months.slice(q * 3, q * 3 + 3));
  return { months, quarters, year: String(year) };
}

function quarterKey(year: number, q: number): string {
  return `${year}-Q${q}`;
}

function cellKey(measure: Measure, series: string, time: string): string {
  return `${measure}|${series}|${time}`;
}

export class CountCube {
  readonly #values = new Map<string, number>();
  readonly #hidden: Set<string>;

  constructor(years: readonly number[], given: readonly AgencyCounts[]) {
    const first = Math.min(...years);
    const last = Math.max(...years);
    const agencies = given.map(withEveryService);
    const wanted = new Set<string>();
    for (let y = first; y <= last; y++) for (const m of timeCellsOf(y).months) wanted.add(m);
    for (const agency of agencies) this.#addAgency(agency, wanted, first, last);
    const allSeries = seriesOf(agencies);
    // Quarters and years of the flows are sums of their months.
    for (let y = first; y <= last; y++) {
      const cells = timeCellsOf(y);
      for (const series of allSeries)
        for (const measure of ['received', 'completed'] as const) {
          const month = (m: string) => this.#values.get(cellKey(measure, series, m)) ?? 0;
          cells.quarters.forEach((q, i) => {
            this.#add(
              measure,
              series,
              quarterKey(y, i + 1),
              q.reduce((sum, m) => sum + month(m), 0),
            );
          });
          this.#add(
            measure,
            series,
            cells.year,
            cells.months.reduce((sum, m) => sum + month(m), 0),
          );
        }
    }
    this.#hidden = suppressCells(this.#values, groupsOf(first, last, agencies));
  }

  #add(measure: Measure, series: string, time: string, n: number): void {
    const key = cellKey(measure, series, time);
    this.#values.set(key, (this.#values.get(key) ?? 0) + n);
  }

  /** One agency's months: received and completed as counted, pending carried from the first month. */
  #addAgency(agency: AgencyCounts, wanted: ReadonlySet<string>, first: number, last: number): void {
    const seriesOfService = (serviceId: string) => [
      PLATFORM,
      agencySeries(agency.agencyId),
      serviceSeries(serviceId),
    ];
    const net = new Map<string, number>();
    const change = (serviceId: string, month: string, n: number) =>
      net.set(`${serviceId}|${month}`, (net.get(`${serviceId}|${month}`) ?? 0) + n);
    for (const r of agency.received) {
      if (!wanted.has(r.month)) continue;
      for (const series of seriesOfService(r.serviceId)) this.#add('received', series, r.month, r.n);
      change(r.serviceId, r.month, r.n);
    }
    for (const c of agency.closed) {
      if (!wanted.has(c.month)) continue;
      for (const series of seriesOfService(c.serviceId)) this.#add('completed', series, c.month, c.decided);
      change(c.serviceId, c.month, -c.closed);
    }
    // Carried backwards from the end: open at the end of a month is open at the end of the next,
    // less what was filed in the next, plus what was closed in it.
    for (const serviceId of agency.serviceIds) {
      let open = agency.openAtEnd.get(serviceId) ?? 0;
      for (let month = monthKey(last, 12); month >= monthKey(first, 1); month = addMonths(month, -1)) {
        for (const series of seriesOfService(serviceId)) this.#add('pending', series, month, open);
        open -= net.get(`${serviceId}|${month}`) ?? 0;
      }
    }
  }

  value(measure: Measure, series: string, time: string): number {
    return this.#values.get(cellKey(measure, series, pendingTime(measure, time))) ?? 0;
  }

  isHidden(measure: Measure, series: string, time: string): boolean {
    return this.#hidden.has(cellKey(measure, series, pendingTime(measure, time)));
  }

  published(measure: Measure, series: string, time: string): Published {
    return publishCount(this.value(measure, series, time), this.isHidden(measure, series, time));
  }
}

/** Pending for a quarter or a year is pending at the end of its last month. */
function pendingTime(measure: Measure, time: string): string {
  if (measure !== 'pending') return time;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(time);
  if (quarter) return monthKey(Number(quarter[1]), Number(quarter[2]) * 3);
  if (/^\d{4}$/.test(time)) return monthKey(Number(time), 12);
  return time;
}

/** The agency with every service its counts name, so each service is in its agency's groups. */
function withEveryService(agency: AgencyCounts): AgencyCounts {
  const ids = new Set(agency.serviceIds);
  for (const id of agency.openAtEnd.keys()) ids.add(id);
  for (const r of agency.received) ids.add(r.serviceId);
  for (const c of agency.closed) ids.add(c.serviceId);
  const extra = [...ids].filter((id) => !agency.serviceIds.includes(id)).sort();
  return { ...agency, serviceIds: [...agency.serviceIds, ...extra] };
}

function seriesOf(agencies: readonly AgencyCounts[]): string[] {
  return [
    PLATFORM,
    ...agencies.flatMap((a) => [agencySeries(a.agencyId), ...a.serviceIds.map(serviceSeries)]),
  ];
}

/** Every sum a page can show, in a fixed order (agencies and services in the order given). */
function groupsOf(first: number, last: number, agencies: readonly AgencyCounts[]): Group[] {
  const groups: Group[] = [];
  const seriesGroups = (measure: Measure, time: string) => {
    groups.push({
      total: cellKey(measure, PLATFORM, time),
      members: agencies.map((a) => cellKey(measure, agencySeries(a.agencyId), time)),
    });
    for (const a of agencies)
      groups.push({
        total: cellKey(measure, agencySeries(a.agencyId), time),
        members: a.serviceIds.map((s) => cellKey(measure, serviceSeries(s), time)),
      });
  };
  const allSeries = seriesOf(agencies);
  for (let y = first; y <= last; y++) {
    const cells = timeCellsOf(y);
    for (const measure of ['received', 'completed'] as const) {
      for (const time of [...cells.months, ...cells.quarters.map((_, i) => quarterKey(y, i + 1)), cells.year])
        seriesGroups(measure, time);
      for (const series of allSeries) {
        cells.quarters.forEach((q, i) => {
          groups.push({
            total: cellKey(measure, series, quarterKey(y, i + 1)),
            members: q.map((m) => cellKey(measure, series, m)),
          });
        });
        groups.push({
          total: cellKey(measure, series, cells.year),
          members: cells.quarters.map((_, i) => cellKey(measure, series, quarterKey(y, i + 1))),
        });
        groups.push({
          total: cellKey(measure, series, cells.year),
          members: cells.months.map((m) => cellKey(measure, series, m)),
        });
      }
    }
    for (const month of cells.months) seriesGroups('pending', month);
  }
  return groups;
}
