import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AgencyTimeZone,
  type Calendar,
  createCalendar,
  DEFAULT_CALENDAR_CONFIG,
  defaultCalendar,
  endOfLocalDay,
  type HolidayEntry,
  isAgencyTimeZone,
  localDate,
} from './calendar.ts';
import { HOLIDAYS_2026 } from './holidays-2026.ts';

const cal = defaultCalendar;
const WIB: AgencyTimeZone = 'Asia/Jakarta';
const WITA: AgencyTimeZone = 'Asia/Makassar';
const WIT: AgencyTimeZone = 'Asia/Jayapura';
const DAY_MS = 86_400_000;

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

describe('2026 configuration', () => {
  it('ships 17 national holidays and 8 cuti bersama days, all dated in 2026', () => {
    expect(HOLIDAYS_2026.filter((h) => h.kind === 'national')).toHaveLength(17);
    const cuti = HOLIDAYS_2026.filter((h) => h.kind === 'cuti_bersama');
    expect(cuti.map((h) => h.date).sort()).toEqual([
      '2026-02-16',
      '2026-03-18',
      '2026-03-20',
      '2026-03-23',
      '2026-03-24',
      '2026-05-15',
      '2026-05-28',
      '2026-12-24',
    ]);
    // Every cuti bersama falls on a weekday (a collective leave on a weekend would be a data error).
    for (const h of cuti) expect([1, 2, 3, 4, 5]).toContain(weekday(h.date));
    expect(cal.sourceOf(2026)).toBe('configured');
  });

  it('counts 240 working days in 2026', () => {
    // 2026 starts on a Thursday and has 365 days = 52 weeks + 1 Thursday -> 261 weekdays.
    // National holidays on weekends: 21 Mar (Sat), 22 Mar (Sun), 5 Apr (Sun), 31 May (Sun) -> 17 - 4 = 13
    // on weekdays. All 8 cuti bersama are weekdays. 261 - 13 - 8 = 240.
    expect(cal.countWorkingDays('2025-12-31', '2026-12-31')).toBe(240);
  });

  it('knows weekends, holidays and cuti bersama', () => {
    expect(cal.isWorkingDay('2026-03-17')).toBe(true); // Tue
    expect(cal.isWorkingDay('2026-03-18')).toBe(false); // Wed, cuti bersama Nyepi
    expect(cal.isWorkingDay('2026-03-19')).toBe(false); // Thu, Nyepi
    expect(cal.isWorkingDay('2026-03-21')).toBe(false); // Sat (and Idul Fitri)
    expect(cal.isWorkingDay('2026-03-25')).toBe(true); // Wed
    expect(cal.holidaysOn('2026-03-24').map((h) => h.kind)).toEqual(['cuti_bersama']);
    expect(cal.holidaysOn('2026-03-25')).toEqual([]);
    expect(cal.holidaysOn('2026-08-17')[0]?.name.en).toBe('Independence Day');
  });

  it('uses the configured list, not date-holidays, for a configured year', () => {
    // date-holidays puts Idul Fitri 2026 on 20–21 Mar; the SKB says 21–22 Mar (20 Mar is cuti bersama).
    expect(cal.holidaysOn('2026-03-20').map((h) => h.kind)).toEqual(['cuti_bersama']);
    const empty = createCalendar({ years: { 2026: [] } });
    expect(empty.sourceOf(2026)).toBe('configured');
    expect(empty.isWorkingDay('2026-01-01')).toBe(true); // Thu; empty list means "no holidays"
    expect(empty.isWorkingDay('2026-03-18')).toBe(true);
  });

  it('rejects malformed configuration', () => {
    const entry: HolidayEntry = { date: '2027-01-01', kind: 'national', name: { id: 'x', en: 'x' } };
    expect(() => createCalendar({ years: { 2026: [entry] } })).toThrow(/listed under year 2026/);
    expect(() => createCalendar({ years: { 2026: [{ ...entry, date: '2026-02-30' }] } })).toThrow(
      /invalid local date/,
    );
  });
});

describe('fallback year (date-holidays)', () => {
  it('uses date-holidays public holidays for 2027', () => {
    expect(cal.sourceOf(2027)).toBe('fallback');
    expect(cal.isWorkingDay('2027-01-01')).toBe(false); // Fri, New Year
    expect(cal.isWorkingDay('2027-08-17')).toBe(false); // Tue, Independence Day
    expect(cal.isWorkingDay('2027-08-16')).toBe(true); // Mon
    const newYear = cal.holidaysOn('2027-01-01')[0];
    expect(newYear?.kind).toBe('national');
    expect(newYear?.name.en).toBe("New Year's Day");
    expect(cal.holidaysIn(2027).every((h) => h.date.startsWith('2027-'))).toBe(true);
  });

  it('crosses from the configured year into the fallback year', () => {
    // Wed 30 Dec 2026: Thu 31 Dec is working (1); Fri 1 Jan 2027 New Year; Sat/Sun; Mon 4 Jan (2).
    expect(cal.addWorkingDays('2026-12-30', 2)).toBe('2027-01-04');
    expect(cal.countWorkingDays('2026-12-30', '2027-01-04')).toBe(2);
  });
});

describe('regional holidays and runtime changes', () => {
  const regional: HolidayEntry = {
    date: '2026-04-07',
    kind: 'regional',
    name: { id: 'Hari jadi daerah (contoh)', en: 'Regional anniversary (example)' },
  };

  it('applies regional holidays only to the agency calendar, in configured and fallback years', () => {
    const fallbackRegional: HolidayEntry = { ...regional, date: '2027-04-07' };
    const agency = createCalendar({ ...DEFAULT_CALENDAR_CONFIG, regional: [regional, fallbackRegional] });
    expect(agency.isWorkingDay('2026-04-07')).toBe(false); // Tue
    expect(cal.isWorkingDay('2026-04-07')).toBe(true);
    expect(agency.isWorkingDay('2027-04-07')).toBe(false); // Wed
    // Mon 6 Apr 2026 + 1 -> Wed 8 Apr (Tue 7 is the regional holiday).
    expect(agency.addWorkingDays('2026-04-06', 1)).toBe('2026-04-08');
    expect(agency.holidaysOn('2026-04-07')[0]?.kind).toBe('regional');
  });

  it('a holiday added by the admin takes effect in a calendar built from the new list', () => {
    const decreed: HolidayEntry = {
      date: '2026-07-01',
      kind: 'national',
      name: { id: 'Libur tambahan', en: 'Extra holiday' },
    };
    const updated = createCalendar({ years: { 2026: [...HOLIDAYS_2026, decreed] } });
    expect(updated.isWorkingDay('2026-07-01')).toBe(false);
    expect(cal.isWorkingDay('2026-07-01')).toBe(true);
  });
});

describe('addWorkingDays / nextWorkingDay', () => {
  it('complete Wed 18 Mar 2026 + 1 -> Wed 25 Mar 2026', () => {
    // 18 Mar (cuti bersama) is the completion day and never counts. Then:
    // Thu 19 Nyepi, Fri 20 cuti bersama, Sat 21 / Sun 22 weekend (and Idul Fitri),
    // Mon 23 cuti bersama, Tue 24 cuti bersama, Wed 25 working -> 1st working day.
    expect(cal.addWorkingDays('2026-03-18', 1)).toBe('2026-03-25');
    expect(cal.nextWorkingDay('2026-03-18')).toBe('2026-03-25');
    expect(cal.addWorkingDays('2026-03-18', 2)).toBe('2026-03-26');
  });

  it('complete Fri 13 Feb 2026: +1 -> Wed 18 Feb, +2 -> Thu 19 Feb', () => {
    // Sat 14 / Sun 15 weekend, Mon 16 cuti bersama Imlek, Tue 17 Imlek,
    // Wed 18 = 1st working day, Thu 19 = 2nd working day.
    // (So "+2 -> Wed 18 Feb" would be off by one: Wed 18 Feb is the +1 deadline.)
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-18');
    expect(cal.addWorkingDays('2026-02-13', 2)).toBe('2026-02-19');
  });

  it('the start day does not count even when it is a working day; n = 0 is the day itself', () => {
    expect(cal.addWorkingDays('2026-03-02', 1)).toBe('2026-03-03'); // Mon -> Tue
    expect(cal.addWorkingDays('2026-03-07', 0)).toBe('2026-03-07'); // Sat stays Sat
    expect(cal.nextWorkingDay('2026-03-06')).toBe('2026-03-09'); // Fri -> Mon
  });

  it('rejects bad input', () => {
    expect(() => cal.addWorkingDays('2026-3-1', 1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-03-01', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-03-01', 1.5)).toThrow(RangeError);
    expect(() => cal.isWorkingDay('1969-12-31')).toThrow(RangeError);
  });

  it('is fast: 10 000 calls of n = 300 well under a second', () => {
    cal.addWorkingDays('2026-01-01', 300); // warm the year tables (2026, 2027 fallback)
    const started = performance.now();
    for (let i = 0; i < 10_000; i += 1) cal.addWorkingDays('2026-01-01', 300);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('time zones', () => {
  it('maps instants to local dates and ends of local days with fixed offsets', () => {
    expect(isAgencyTimeZone('Asia/Makassar')).toBe(true);
    expect(isAgencyTimeZone('Asia/Singapore')).toBe(false);
    expect(localDate('2026-03-24T16:30:00Z', WIB)).toBe('2026-03-24'); // 23:30 WIB
    expect(localDate('2026-03-24T16:30:00Z', WITA)).toBe('2026-03-25'); // 00:30 WITA
    expect(localDate('2026-03-24T14:59:59.999Z', WIT)).toBe('2026-03-24');
    expect(localDate('2026-03-24T15:00:00Z', WIT)).toBe('2026-03-25');
    expect(endOfLocalDay('2026-03-25', WIB).toISOString()).toBe('2026-03-25T16:59:59.999Z');
    expect(endOfLocalDay('2026-03-25', WIT).toISOString()).toBe('2026-03-25T14:59:59.999Z');
  });

  it('a deadline in WITA is one hour earlier in UTC than in WIB', () => {
    const start = '2026-03-18T03:00:00Z'; // Wed 18 Mar, 10:00 WIB / 11:00 WITA
    const wib = cal.deadline(start, 1, WIB);
    const wita = cal.deadline(start, 1, WITA);
    expect(wib.toISOString()).toBe('2026-03-25T16:59:59.999Z'); // Wed 25 Mar 23:59:59.999 WIB
    expect(wita.toISOString()).toBe('2026-03-25T15:59:59.999Z'); // Wed 25 Mar 23:59:59.999 WITA
    expect(wib.getTime() - wita.getTime()).toBe(3_600_000);
  });

  it('the completion day is the local day in the agency time zone', () => {
    // 16:30Z on Tue 24 Mar is 23:30 WIB (still Tue 24, cuti) but 00:30 WITA on Wed 25.
    const start = '2026-03-24T16:30:00Z';
    expect(cal.deadline(start, 1, WIB).toISOString()).toBe('2026-03-25T16:59:59.999Z');
    expect(cal.deadline(start, 1, WITA).toISOString()).toBe('2026-03-26T15:59:59.999Z');
  });

  it('n = 0 ends the same local day; instants need an explicit offset', () => {
    expect(cal.deadline('2026-03-21T02:00:00+07:00', 0, WIB).toISOString()).toBe('2026-03-21T16:59:59.999Z');
    expect(() => cal.deadline('2026-03-21T02:00:00', 0, WIB)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts working days d with localDate(from) < d <= localDate(to)', () => {
    const fri13 = '2026-02-13T02:00:00Z';
    expect(cal.workingDaysBetween(fri13, '2026-02-13T09:00:00Z', WIB)).toBe(0); // same day
    expect(cal.workingDaysBetween(fri13, '2026-02-17T09:00:00Z', WIB)).toBe(0); // 14–17 none working
    expect(cal.workingDaysBetween(fri13, '2026-02-18T01:00:00Z', WIB)).toBe(1); // Wed 18
    expect(cal.workingDaysBetween('2026-02-18T01:00:00Z', fri13, WIB)).toBe(0); // reversed
    // 16:59:59.999Z is still Wed 18 in WIB but already Thu 19 in WITA.
    expect(cal.workingDaysBetween(fri13, '2026-02-18T16:59:59.999Z', WITA)).toBe(2);
  });
});

describe('deadlineWithPauses', () => {
  const start = '2026-03-02T03:00:00Z'; // Mon 2 Mar 2026, 10:00 WIB
  // Without pauses, +5: Tue 3, Wed 4, Thu 5, Fri 6, Mon 9 -> Mon 9 Mar.
  const plain = '2026-03-09T16:59:59.999Z';

  it('without pauses equals deadline()', () => {
    expect(cal.deadlineWithPauses(start, 5, [], WIB).toISOString()).toBe(plain);
    expect(cal.deadline(start, 5, WIB).toISOString()).toBe(plain);
  });

  it('extends by the working days after the pause began, up to and including the resume day', () => {
    // Paused Tue 3 Mar 09:00 -> Thu 5 Mar 15:00 WIB: days in (3, 5] = Wed 4, Thu 5 -> +2.
    // 7 working days after Mon 2: 3, 4, 5, 6, 9, 10, 11 -> Wed 11 Mar.
    const pause = { from: '2026-03-03T09:00:00+07:00', to: '2026-03-05T15:00:00+07:00' };
    expect(cal.deadlineWithPauses(start, 5, [pause], WIB).toISOString()).toBe('2026-03-11T16:59:59.999Z');
  });

  it('ignores pauses within one day or over a weekend only', () => {
    const sameDay = { from: '2026-03-03T09:00:00+07:00', to: '2026-03-03T15:00:00+07:00' };
    const weekend = { from: '2026-03-06T17:00:00+07:00', to: '2026-03-08T20:00:00+07:00' }; // Fri -> Sun
    expect(cal.deadlineWithPauses(start, 5, [sameDay, weekend], WIB).toISOString()).toBe(plain);
  });

  it('merges overlapping pauses', () => {
    // Tue 3 09:00 -> Thu 5 15:00 and Wed 4 10:00 -> Fri 6 10:00 merge to Tue 3 -> Fri 6: +3 (4, 5, 6).
    // 8 working days after Mon 2: 3, 4, 5, 6, 9, 10, 11, 12 -> Thu 12 Mar.
    const pauses = [
      { from: '2026-03-04T10:00:00+07:00', to: '2026-03-06T10:00:00+07:00' },
      { from: '2026-03-03T09:00:00+07:00', to: '2026-03-05T15:00:00+07:00' },
    ];
    expect(cal.deadlineWithPauses(start, 5, pauses, WIB).toISOString()).toBe('2026-03-12T16:59:59.999Z');
  });

  it('ignores a pause that begins after the deadline and clips one that begins before the start', () => {
    const late = { from: '2026-03-10T09:00:00+07:00', to: '2026-03-20T09:00:00+07:00' };
    expect(cal.deadlineWithPauses(start, 5, [late], WIB).toISOString()).toBe(plain);
    // Fri 27 Feb -> Tue 3 Mar, clipped to Mon 2 10:00 -> Tue 3: +1 -> Tue 10 Mar.
    const early = { from: '2026-02-27T09:00:00+07:00', to: '2026-03-03T09:00:00+07:00' };
    expect(cal.deadlineWithPauses(start, 5, [early], WIB).toISOString()).toBe('2026-03-10T16:59:59.999Z');
    expect(() => cal.deadlineWithPauses(start, 5, [{ from: early.to, to: early.from }], WIB)).toThrow(
      RangeError,
    );
  });

  it('a pause over the Lebaran collective leave extends only by working days', () => {
    // Start Mon 16 Mar 09:00 WIB, +3: Tue 17, (18–24 all non-working), Wed 25, Thu 26 -> Thu 26 Mar.
    const lebaran = '2026-03-16T09:00:00+07:00';
    expect(cal.deadline(lebaran, 3, WIB).toISOString()).toBe('2026-03-26T16:59:59.999Z');
    // Paused Tue 17 10:00 -> Wed 25 10:00: working days in (17, 25] = Wed 25 only -> +1 -> Fri 27 Mar.
    const pause = { from: '2026-03-17T10:00:00+07:00', to: '2026-03-25T10:00:00+07:00' };
    expect(cal.deadlineWithPauses(lebaran, 3, [pause], WIB).toISOString()).toBe('2026-03-27T16:59:59.999Z');
  });
});

describe('slaStatus', () => {
  const deadline = '2026-03-25T16:59:59.999Z'; // end of Wed 25 Mar 2026, WIB

  it('classifies by remaining working days', () => {
    expect(cal.slaStatus('2026-03-16T12:00:00+07:00', deadline, WIB)).toBe('on_track'); // 17, 25 left
    expect(cal.slaStatus('2026-03-17T12:00:00+07:00', deadline, WIB)).toBe('due_soon'); // only 25 left
    expect(cal.slaStatus('2026-03-17T12:00:00+07:00', deadline, WIB, 0)).toBe('on_track');
    expect(cal.slaStatus('2026-03-25T12:00:00+07:00', deadline, WIB, 0)).toBe('due_soon'); // deadline day
    expect(cal.slaStatus(deadline, deadline, WIB)).toBe('due_soon');
    expect(cal.slaStatus('2026-03-26T00:00:00+07:00', deadline, WIB)).toBe('overdue');
  });
});

describe('properties', () => {
  const tzArb = fc.constantFrom<AgencyTimeZone>(WIB, WITA, WIT);
  // 2025-07-01 .. 2027-06-30: fallback 2025, configured 2026, fallback 2027.
  const fromMs = Date.UTC(2025, 6, 1);
  const toMs = Date.UTC(2027, 5, 30);
  const dateArb = fc
    .integer({ min: fromMs / DAY_MS, max: toMs / DAY_MS })
    .map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
  const instantArb = fc.integer({ min: fromMs, max: toMs }).map((ms) => new Date(ms));
  const nArb = fc.integer({ min: 0, max: 300 });

  function isOrdinaryWorkingDay(calendar: Calendar, date: string): boolean {
    const wd = weekday(date);
    return wd !== 0 && wd !== 6 && calendar.holidaysOn(date).length === 0;
  }

  it('a deadline (n >= 1) is the end of a local working day', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 1, max: 300 }), tzArb, (start, n, tz) => {
        const due = cal.deadline(start, n, tz);
        expect(cal.isWorkingDay(localDate(due, tz))).toBe(true);
        expect(due.getTime()).toBe(endOfLocalDay(localDate(due, tz), tz).getTime());
      }),
    );
  });

  it('addWorkingDays is strictly monotonic in n', () => {
    fc.assert(
      fc.property(dateArb, nArb, nArb, (date, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = cal.addWorkingDays(date, lo);
        const y = cal.addWorkingDays(date, hi);
        expect(lo === hi ? x === y : x < y).toBe(true);
      }),
    );
  });

  it('addWorkingDays(d, a + b) == addWorkingDays(addWorkingDays(d, a), b)', () => {
    fc.assert(
      fc.property(dateArb, nArb, nArb, (date, a, b) => {
        expect(cal.addWorkingDays(date, a + b)).toBe(cal.addWorkingDays(cal.addWorkingDays(date, a), b));
      }),
    );
  });

  it('workingDaysBetween(start, deadline(start, n)) == n', () => {
    fc.assert(
      fc.property(instantArb, nArb, tzArb, (start, n, tz) => {
        expect(cal.workingDaysBetween(start, cal.deadline(start, n, tz), tz)).toBe(n);
      }),
    );
  });

  it('addWorkingDays and countWorkingDays agree with a day-by-day scan', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), (date, n) => {
        let day = Date.parse(`${date}T00:00:00Z`) / DAY_MS;
        let left = n;
        while (left > 0) {
          day += 1;
          if (isOrdinaryWorkingDay(cal, new Date(day * DAY_MS).toISOString().slice(0, 10))) left -= 1;
        }
        const expected = new Date(day * DAY_MS).toISOString().slice(0, 10);
        expect(cal.addWorkingDays(date, n)).toBe(expected);
        expect(cal.countWorkingDays(date, expected)).toBe(n);
      }),
    );
  });

  it('a single pause extends the deadline by exactly its working days', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 20 * DAY_MS }),
        fc.integer({ min: 0, max: 20 * DAY_MS }),
        tzArb,
        (start, n, delay, length, tz) => {
          const plain = cal.deadline(start, n, tz);
          const from = new Date(Math.min(start.getTime() + delay, plain.getTime()));
          const to = new Date(from.getTime() + length);
          const paused = cal.workingDaysBetween(from, to, tz);
          const due = cal.deadlineWithPauses(start, n, [{ from, to }], tz);
          expect(cal.workingDaysBetween(start, due, tz)).toBe(n + paused);
          expect(cal.isWorkingDay(localDate(due, tz))).toBe(true);
          expect(due.getTime()).toBeGreaterThanOrEqual(plain.getTime());
        },
      ),
    );
  });
});
