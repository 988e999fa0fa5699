/**
 * Raw complaint figures for open data: how many reports a scope received in a period, how many
 * were resolved (closed after at least one follow-up) in it, and the median time from filing to
 * closing in working days on the calendar of the agency that handled each. Unsuppressed: the
 * open-data pages suppress small counts where they publish.
 */
import { type AgencyTimeZone, type Calendar, isAgencyTimeZone } from '../calendar/calendar.ts';
import { calendarFor } from '../calendar/service.ts';
import type { AppContext } from '../context.ts';
import type { FigurePeriod, FigureScope } from '../opendata/scope.ts';
import { TIME_ZONE } from './service.ts';
import * as store from './store.ts';

export interface ComplaintFigures {
  received: number;
  resolved: number;
  medianResolutionDays: number | null;
}

/** The median of numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

export async function complaintFigures(
  ctx: AppContext,
  scope: FigureScope,
  period: FigurePeriod,
): Promise<ComplaintFigures> {
  const filter = { agencyId: scope.agencyId, serviceId: scope.serviceId, from: period.from, to: period.to };
  const [received, resolved] = await Promise.all([
    store.countFiled(ctx.db, filter),
    store.listResolved(ctx.db, filter),
  ]);
  const calendars = new Map<string | null, { calendar: Calendar; tz: AgencyTimeZone }>();
  const agencies = new Map((await store.listAgencies(ctx.db)).map((a) => [a.id, a.timezone]));
  const calendarOf = async (agencyId: string | null) => {
    const known = calendars.get(agencyId);
    if (known) return known;
    const timezone = agencyId ? agencies.get(agencyId) : undefined;
    const entry = {
      calendar: await calendarFor(ctx, agencyId),
      tz: timezone && isAgencyTimeZone(timezone) ? timezone : TIME_ZONE,
    };
    calendars.set(agencyId, entry);
    return entry;
  };
  const days: number[] = [];
  for (const row of resolved) {
    if (row.closed_at === null) continue;
    const { calendar, tz } = await calendarOf(row.agency_id ?? row.target_agency_id);
    days.push(calendar.workingDaysBetween(row.created_at, row.closed_at, tz));
  }
  return { received, resolved: resolved.length, medianResolutionDays: median(days) };
}
