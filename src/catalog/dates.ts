/** Calendar dates as `YYYY-MM-DD` text (which sorts as dates do). */
import { type AgencyTimeZone, TIME_ZONE_OFFSET_HOURS } from '../calendar/calendar.ts';

const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True for `YYYY-MM-DD` text naming a day that exists (not `2025-02-29`). */
export function isCalendarDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The calendar date of an instant in an Indonesian time zone; an invalid date counts as now. */
export function localDateOf(instant: Date, timeZone: AgencyTimeZone): string {
  const ms = Number.isFinite(instant.getTime()) ? instant.getTime() : Date.now();
  const local = ms + TIME_ZONE_OFFSET_HOURS[timeZone] * 3_600_000;
  return new Date(Math.floor(local / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Noon of a calendar date in that time zone, as an instant. */
export function noonOf(date: string, timeZone: AgencyTimeZone): Date {
  return new Date(Date.parse(`${date}T12:00:00Z`) - TIME_ZONE_OFFSET_HOURS[timeZone] * 3_600_000);
}
