import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AgencyTimeZone, defaultCalendar, localDate } from '../calendar/calendar.ts';
import { readDefinitionFile } from '../catalog/files.ts';
import type { ServiceDefinition } from '../catalog/schemas.ts';
import { dueSoonLimit, overallDeadline, pausesOf, slaView, stateDeadline, type Transition } from './sla.ts';

const cal = defaultCalendar;
const WIB: AgencyTimeZone = 'Asia/Jakarta';
const WIT: AgencyTimeZone = 'Asia/Jayapura';

function akta(completionDays: number): ServiceDefinition {
  const parsed = readDefinitionFile(new URL('../catalog/demo/akta-kelahiran.yaml', import.meta.url).pathname);
  if (!parsed.ok) throw new Error('demo definition unreadable');
  const definition = parsed.value as ServiceDefinition;
  return { ...definition, standard: { ...definition.standard, completionDays } };
}

const state = (definition: ServiceDefinition, key: string) =>
  definition.workflow.states.find((s) => s.key === key);

describe('working-day SLAs in 2026', () => {
  it('a deadline from the Tuesday before Idul Fitri skips Nyepi, Idul Fitri and every cuti bersama day', () => {
    // 18 Mar (cuti bersama) to 24 Mar 2026 (cuti bersama) are all days off; the 25th is the first working day.
    const definition = akta(3);
    const due = overallDeadline(cal, definition, '2026-03-17T03:00:00Z', [], WIB, '2026-03-17T03:00:00Z');
    expect(due.toISOString()).toBe('2026-03-27T16:59:59.999Z');
    expect(localDate(due, WIB)).toBe('2026-03-27');
  });

  it('the state deadline of one working day after submission on the Tuesday is the Wednesday after Lebaran', () => {
    const definition = akta(3);
    const due = stateDeadline(cal, state(definition, 'diajukan'), '2026-03-17T09:30:00+07:00', WIB);
    expect(due?.toISOString()).toBe('2026-03-25T16:59:59.999Z');
  });

  it('the end of the day is local: WIT ends two hours before WIB', () => {
    const definition = akta(3);
    const due = stateDeadline(cal, state(definition, 'diajukan'), '2026-03-17T09:30:00+09:00', WIT);
    expect(due?.toISOString()).toBe('2026-03-25T14:59:59.999Z');
  });

  it('waiting for the applicant stops the overall clock for the working days it lasted', () => {
    const definition = akta(5);
    // Submitted Thu 12 Mar; without a pause: 13, 16, 17, 25, 26 Mar.
    expect(
      overallDeadline(cal, definition, '2026-03-12T02:00:00Z', [], WIB, '2026-03-12T02:00:00Z').toISOString(),
    ).toBe('2026-03-26T16:59:59.999Z');
    // Returned on Fri 13 Mar, resubmitted Tue 17 Mar: 16 and 17 Mar do not count, so 27 and 30 Mar.
    const path: Transition[] = [
      { toState: 'diajukan', at: '2026-03-12T02:00:00Z' },
      { toState: 'perlu_perbaikan', at: '2026-03-13T03:00:00Z' },
      { toState: 'diajukan', at: '2026-03-17T04:00:00Z' },
    ];
    expect(pausesOf(definition, path, '2026-03-17T05:00:00Z')).toEqual([
      { from: '2026-03-13T03:00:00Z', to: '2026-03-17T04:00:00Z' },
    ]);
    expect(
      overallDeadline(
        cal,
        definition,
        '2026-03-12T02:00:00Z',
        path,
        WIB,
        '2026-03-17T05:00:00Z',
      ).toISOString(),
    ).toBe('2026-03-30T16:59:59.999Z');
  });

  it('a pause still open runs until now; a terminal state ends the clock without pausing it', () => {
    const definition = akta(5);
    const open: Transition[] = [
      { toState: 'diajukan', at: '2026-03-12T02:00:00Z' },
      { toState: 'perlu_perbaikan', at: '2026-03-13T03:00:00Z' },
    ];
    expect(pausesOf(definition, open, '2026-03-16T03:00:00Z')).toEqual([
      { from: '2026-03-13T03:00:00Z', to: '2026-03-16T03:00:00Z' },
    ]);
    const closed: Transition[] = [...open, { toState: 'dibatalkan', at: '2026-03-16T03:00:00Z' }];
    expect(pausesOf(definition, closed, '2026-04-01T00:00:00Z')).toEqual([
      { from: '2026-03-13T03:00:00Z', to: '2026-03-16T03:00:00Z' },
    ]);
  });

  it('states whose clock does not run, and terminal states, have no deadline', () => {
    const definition = akta(3);
    expect(stateDeadline(cal, state(definition, 'perlu_perbaikan'), '2026-03-17T03:00:00Z', WIB)).toBeNull();
    expect(stateDeadline(cal, state(definition, 'disetujui'), '2026-03-17T03:00:00Z', WIB)).toBeNull();
  });

  it('due soon means the deadline is today or on the next working day', () => {
    // On Tue 17 Mar the next working day is Wed 25 Mar.
    expect(dueSoonLimit(cal, '2026-03-17T03:00:00Z', WIB).toISOString()).toBe('2026-03-25T16:59:59.999Z');
    const view = (dueAt: string, now: string) =>
      slaView(cal, { stage: 'active', slaPaused: false, stateDueAt: null, dueAt }, WIB, now).worst;
    expect(view('2026-03-25T16:59:59.999Z', '2026-03-17T03:00:00Z')).toBe('due_soon');
    expect(view('2026-03-26T16:59:59.999Z', '2026-03-17T03:00:00Z')).toBe('on_track');
    expect(view('2026-03-17T16:59:59.999Z', '2026-03-18T01:00:00Z')).toBe('overdue');
    // A paused application is neither due soon nor overdue.
    expect(
      slaView(
        cal,
        { stage: 'active', slaPaused: true, stateDueAt: null, dueAt: '2026-03-01T00:00:00Z' },
        WIB,
        '2026-03-17T03:00:00Z',
      ).worst,
    ).toBeNull();
  });

  it('property: a deadline of at least one working day, with or without pauses, is never on a day off', () => {
    const definition = akta(5);
    const start = Date.parse('2025-12-01T00:00:00Z');
    const span = Date.parse('2027-01-31T00:00:00Z') - start;
    const instant = fc.integer({ min: 0, max: span }).map((ms) => new Date(start + ms).toISOString());
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 60 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 40 * 86_400_000 }),
            fc.integer({ min: 0, max: 15 * 86_400_000 }),
          ),
          {
            maxLength: 3,
          },
        ),
        fc.constantFrom<AgencyTimeZone>('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'),
        (submitted, days, gaps, tz) => {
          const d = { ...definition, standard: { ...definition.standard, completionDays: days } };
          let t = Date.parse(submitted);
          const path: Transition[] = [{ toState: 'diajukan', at: submitted }];
          for (const [wait, paused] of gaps) {
            t += wait;
            path.push({ toState: 'perlu_perbaikan', at: new Date(t).toISOString() });
            t += paused;
            path.push({ toState: 'diajukan', at: new Date(t).toISOString() });
          }
          const due = overallDeadline(cal, d, submitted, path, tz, new Date(t).toISOString());
          expect(cal.isWorkingDay(localDate(due, tz))).toBe(true);
          const stateDue = stateDeadline(cal, { ...state(d, 'diajukan')!, slaDays: days }, submitted, tz);
          expect(stateDue && cal.isWorkingDay(localDate(stateDue, tz))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
