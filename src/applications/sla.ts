/**
 * Working-day SLAs of one application: the current state's deadline and the overall deadline, from
 * the agency calendar (Monday–Friday minus holidays and cuti bersama, in the agency's time zone).
 *
 * The overall clock starts when the application is submitted and pauses while it sits in a state
 * whose `slaRuns` is false (waiting for the applicant after a return for revision); the pauses are
 * read from the history, so the deadline can always be recomputed from the events alone.
 */
import {
  type AgencyTimeZone,
  type Calendar,
  endOfLocalDay,
  type Instant,
  localDate,
  type Pause,
  type SlaStatus,
} from '../calendar/calendar.ts';
import type { ServiceDefinition, WorkflowState } from '../catalog/schemas.ts';

/** A move into a state, as the history records it (submission or workflow action). */
export interface Transition {
  toState: string;
  at: string;
}

export interface Deadline {
  dueAt: string;
  status: SlaStatus;
}

export interface SlaView {
  /** The current state's own deadline; null when its clock does not run or it has no SLA. */
  state: Deadline | null;
  /** The overall deadline (completion time); null before submission. */
  overall: Deadline | null;
  /** True while the clock is stopped (waiting for the applicant) or the application is closed. */
  paused: boolean;
  /** The more urgent of the two, for badges and sorting. */
  worst: SlaStatus | null;
}

export function stateOf(definition: ServiceDefinition, key: string | null): WorkflowState | undefined {
  return key === null ? undefined : definition.workflow.states.find((s) => s.key === key);
}

/** Whether the overall clock runs in a state (it stops in paused and terminal states). */
export function clockRuns(state: WorkflowState | undefined): boolean {
  return state?.slaRuns === true && state.terminal === undefined;
}

/**
 * The intervals during which the overall clock stood still: from entering a state whose clock does
 * not run until leaving it (or `now` while still in it). Terminal states end the clock, not pause it.
 */
export function pausesOf(
  definition: ServiceDefinition,
  transitions: readonly Transition[],
  now: Instant,
): Pause[] {
  const pauses: Pause[] = [];
  let open: string | undefined;
  for (const t of transitions) {
    if (open !== undefined) {
      pauses.push({ from: open, to: t.at });
      open = undefined;
    }
    const state = stateOf(definition, t.toState);
    if (state && !state.slaRuns && state.terminal === undefined) open = t.at;
  }
  if (open !== undefined) pauses.push({ from: open, to: now });
  return pauses;
}

/** The overall deadline: completion days from submission, extended by the working days paused. */
export function overallDeadline(
  calendar: Calendar,
  definition: ServiceDefinition,
  submittedAt: Instant,
  transitions: readonly Transition[],
  tz: AgencyTimeZone,
  now: Instant,
): Date {
  return calendar.deadlineWithPauses(
    submittedAt,
    definition.standard.completionDays,
    pausesOf(definition, transitions, now),
    tz,
  );
}

/** The deadline of a state entered at `enteredAt`; null when its clock does not run or has no SLA. */
export function stateDeadline(
  calendar: Calendar,
  state: WorkflowState | undefined,
  enteredAt: Instant,
  tz: AgencyTimeZone,
): Date | null {
  if (!state || !clockRuns(state) || state.slaDays === undefined) return null;
  return calendar.deadline(enteredAt, state.slaDays, tz);
}

/**
 * The end of the last day that still counts as "due soon": the next working day after today
 * (local), so a deadline today or on the next working day is due soon.
 */
export function dueSoonLimit(calendar: Calendar, now: Instant, tz: AgencyTimeZone): Date {
  return endOfLocalDay(calendar.nextWorkingDay(localDate(now, tz)), tz);
}

const RANK: Record<SlaStatus, number> = { on_track: 0, due_soon: 1, overdue: 2 };

export function worse(a: SlaStatus | null, b: SlaStatus | null): SlaStatus | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** The SLA of an application as stored (`state_due_at`, `due_at`), judged at `now`. */
export function slaView(
  calendar: Calendar,
  input: {
    stage: 'draft' | 'active' | 'closed';
    slaPaused: boolean;
    stateDueAt: string | null;
    dueAt: string | null;
  },
  tz: AgencyTimeZone,
  now: Instant,
): SlaView {
  if (input.stage !== 'active') {
    return { state: null, overall: null, paused: input.stage === 'closed', worst: null };
  }
  const judge = (dueAt: string | null): Deadline | null =>
    dueAt === null ? null : { dueAt, status: calendar.slaStatus(now, dueAt, tz) };
  const state = judge(input.stateDueAt);
  const overall = input.slaPaused
    ? input.dueAt
      ? { dueAt: input.dueAt, status: 'on_track' as const }
      : null
    : judge(input.dueAt);
  return {
    state,
    overall,
    paused: input.slaPaused,
    worst: input.slaPaused ? null : worse(state?.status ?? null, overall?.status ?? null),
  };
}
