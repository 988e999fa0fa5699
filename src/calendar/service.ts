import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../db/ids.ts';
import { DomainError } from '../web/domain-error.ts';
import {
  type Calendar,
  createCalendar,
  DEFAULT_CALENDAR_CONFIG,
  defaultCalendar,
  type HolidayEntry,
} from './calendar.ts';
import * as store from './store.ts';

export interface Holiday extends HolidayEntry {
  id: string | null;
  /** Shipped with the platform (the SKB list) or added by an administrator. */
  source: 'shipped' | 'added';
  agencyId: string | null;
}

function entryOf(row: store.HolidayRow): HolidayEntry {
  return { date: row.date, kind: row.kind, name: { id: row.name_id, en: row.name_en } };
}

/**
 * The working-day calendar in force for an agency: the shipped yearly list (or, for a year without
 * one, the date-holidays fallback), plus national days and *cuti bersama* the platform admin added,
 * plus the agency's regional holidays.
 */
export async function calendarFor(ctx: AppContext, agencyId: string | null): Promise<Calendar> {
  // Built once per agency and kept until a holiday is added or removed (on any node: the
  // fingerprint is read from the database each time, one indexed aggregate).
  const fingerprint = await store.holidaysFingerprint(ctx.db);
  const key = agencyId ?? '';
  const cached = calendars.get(key);
  if (cached?.fingerprint === fingerprint) return cached.calendar;
  const calendar = calendarFromRows(await store.listHolidayRows(ctx.db, agencyId));
  if (calendars.size >= MAX_CACHED_CALENDARS) calendars.delete(calendars.keys().next().value ?? '');
  calendars.set(key, { fingerprint, calendar });
  return calendar;
}

const MAX_CACHED_CALENDARS = 1000;
const calendars = new Map<string, { fingerprint: string; calendar: Calendar }>();

function calendarFromRows(rows: readonly store.HolidayRow[]): Calendar {
  const years: Record<number, HolidayEntry[]> = {};
  for (const [year, list] of Object.entries(DEFAULT_CALENDAR_CONFIG.years)) years[Number(year)] = [...list];
  for (const row of rows.filter((r) => r.agency_id === null)) {
    const year = Number(row.date.slice(0, 4));
    years[year] ??= defaultCalendar.holidaysIn(year).filter((h) => h.kind !== 'regional');
    years[year].push(entryOf(row));
  }
  const regional = rows.filter((r) => r.agency_id !== null).map(entryOf);
  return createCalendar({ years, regional });
}

/** Every holiday in force in a year for an agency (or nationally), each marked shipped or added. */
export async function listHolidays(
  ctx: AppContext,
  year: number,
  agencyId: string | null,
): Promise<Holiday[]> {
  const rows = await store.listHolidayRows(ctx.db, agencyId);
  const calendar = calendarFromRows(rows);
  const added = new Map(
    rows.filter((r) => r.date.startsWith(`${year}-`)).map((r) => [`${r.date}/${r.kind}/${r.name_id}`, r]),
  );
  return calendar.holidaysIn(year).map((h) => {
    const row = added.get(`${h.date}/${h.kind}/${h.name.id}`);
    return { ...h, id: row?.id ?? null, source: row ? 'added' : 'shipped', agencyId: row?.agency_id ?? null };
  });
}

export interface NewHoliday {
  date: string;
  kind: 'national' | 'cuti_bersama' | 'regional';
  nameId: string;
  nameEn: string;
  agencyId: string | null;
}

/** Adds a holiday (a regional one belongs to one agency); recorded in the audit log. */
export async function addHoliday(ctx: AppContext, input: NewHoliday, actorId: string): Promise<string> {
  if ((input.kind === 'regional') !== (input.agencyId !== null))
    throw new DomainError('holiday.regional_needs_agency');
  if (
    Number.isNaN(Date.parse(`${input.date}T00:00:00Z`)) ||
    new Date(`${input.date}T00:00:00Z`).toISOString().slice(0, 10) !== input.date
  ) {
    throw new DomainError('holiday.invalid_date');
  }
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    await store.insertHoliday(trx, {
      id,
      date: input.date,
      kind: input.kind,
      name_id: input.nameId,
      name_en: input.nameEn,
      agency_id: input.agencyId,
      created_by: actorId,
      created_at: nowIso(),
    });
    await appendAuditLeaf(trx, {
      type: 'holiday.added',
      actorId,
      agencyId: input.agencyId,
      subjectId: id,
      facts: { date: input.date, kind: input.kind },
    });
  });
  return id;
}

export async function removeHoliday(ctx: AppContext, id: string, actorId: string): Promise<void> {
  const row = await store.findHoliday(ctx.db, id);
  if (!row) throw new DomainError('not_found');
  await ctx.db.transaction().execute(async (trx) => {
    await store.deleteHoliday(trx, id);
    await appendAuditLeaf(trx, {
      type: 'holiday.removed',
      actorId,
      agencyId: row.agency_id,
      subjectId: id,
      facts: { date: row.date },
    });
  });
}
