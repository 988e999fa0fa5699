/**
 * Checks on the workflow as a graph: keys, references between states and actions, reachability,
 * a way to finish from every state, action kinds that fit their target states, and the rule that
 * the per-state SLAs along any path from the start to a terminal state add up to at most the
 * completion time of the service standard (one number, entered once).
 */
import { duplicateKeyProblems, type Message, type Problem, problem } from './problems.ts';
import { arrayAt, booleanAt, numberAt, prop, stringAt, stringOrStrings } from './reader.ts';
import { APPLICANT_ROLE } from './schemas.ts';

interface StateEntry {
  readonly key: string | undefined;
  readonly path: string;
  readonly terminal: string | undefined;
  readonly slaRuns: boolean | undefined;
  readonly slaDays: number | undefined;
  readonly applicantCanEdit: boolean | undefined;
}

interface Reference {
  readonly value: string;
  readonly path: string;
}

interface ActionEntry {
  readonly key: string | undefined;
  readonly path: string;
  readonly from: Reference[];
  readonly to: Reference | undefined;
  readonly roles: readonly unknown[];
  readonly kind: string | undefined;
}

interface WorkflowOutline {
  readonly states: StateEntry[];
  readonly actions: ActionEntry[];
  readonly byKey: Map<string, StateEntry>;
  readonly start: string | undefined;
  /** State key → keys of the states its actions lead to (known states only). */
  readonly next: Map<string, Set<string>>;
}

function readStates(workflow: unknown): StateEntry[] {
  return arrayAt(workflow, 'states').map((raw, i) => ({
    key: stringAt(raw, 'key'),
    path: `workflow.states[${i}]`,
    terminal: stringAt(raw, 'terminal'),
    slaRuns: booleanAt(raw, 'slaRuns'),
    slaDays: numberAt(raw, 'slaDays'),
    applicantCanEdit: booleanAt(raw, 'applicantCanEdit'),
  }));
}

function readActions(workflow: unknown): ActionEntry[] {
  return arrayAt(workflow, 'actions').map((raw, i) => {
    const path = `workflow.actions[${i}]`;
    const fromValue = prop(raw, 'from');
    const to = stringAt(raw, 'to');
    return {
      key: stringAt(raw, 'key'),
      path,
      from: stringOrStrings(fromValue).map((f) => ({
        value: f.value,
        path: f.index === undefined ? `${path}.from` : `${path}.from[${f.index}]`,
      })),
      to: to === undefined ? undefined : { value: to, path: `${path}.to` },
      roles: arrayAt(raw, 'roles'),
      kind: stringAt(raw, 'kind'),
    };
  });
}

function outline(workflow: unknown): WorkflowOutline {
  const states = readStates(workflow);
  const actions = readActions(workflow);
  const byKey = new Map<string, StateEntry>();
  for (const state of states)
    if (state.key !== undefined && !byKey.has(state.key)) byKey.set(state.key, state);
  const next = new Map<string, Set<string>>();
  for (const action of actions) {
    if (action.to === undefined || !byKey.has(action.to.value)) continue;
    for (const from of action.from) {
      if (!byKey.has(from.value)) continue;
      const targets = next.get(from.value) ?? new Set<string>();
      targets.add(action.to.value);
      next.set(from.value, targets);
    }
  }
  return { states, actions, byKey, start: stringAt(workflow, 'startState'), next };
}

export function workflowProblems(definition: unknown): Problem[] {
  const workflow = prop(definition, 'workflow');
  if (workflow === undefined) return [];
  const flow = outline(workflow);
  const completionDays = numberAt(prop(definition, 'standard'), 'completionDays');
  return [
    ...duplicateKeyProblems(flow.states, 'workflow.duplicate_key', { id: 'status', en: 'state' }),
    ...duplicateKeyProblems(flow.actions, 'workflow.duplicate_key', { id: 'aksi', en: 'action' }),
    ...startProblems(flow),
    ...referenceProblems(flow),
    ...terminalProblems(flow),
    ...reachabilityProblems(flow),
    ...clockProblems(flow),
    ...flow.actions.flatMap((action) => actionKindProblems(flow, action)),
    ...(completionDays === undefined ? [] : slaPathProblems(flow, completionDays)),
  ];
}

// ---------------------------------------------------------------------------------------------
// References

function unknownState(ref: Reference): Problem {
  return problem(ref.path, 'workflow.unknown_state', {
    id: `Status "${ref.value}" tidak ada di workflow.states.`,
    en: `There is no state "${ref.value}" in workflow.states.`,
  });
}

function startProblems(flow: WorkflowOutline): Problem[] {
  if (flow.start === undefined) return [];
  const start = flow.byKey.get(flow.start);
  if (start === undefined) return [unknownState({ value: flow.start, path: 'workflow.startState' })];
  if (start.terminal === undefined) return [];
  return [
    problem('workflow.startState', 'workflow.start_is_terminal', {
      id: `Status awal "${flow.start}" tidak boleh status akhir.`,
      en: `The start state "${flow.start}" cannot be a terminal state.`,
    }),
  ];
}

function referenceProblems(flow: WorkflowOutline): Problem[] {
  return flow.actions.flatMap((action) => {
    const refs = action.to === undefined ? action.from : [...action.from, action.to];
    const unknown = refs.filter((ref) => !flow.byKey.has(ref.value)).map(unknownState);
    const fromTerminal = action.from
      .filter((ref) => flow.byKey.get(ref.value)?.terminal !== undefined)
      .map((ref) =>
        problem(ref.path, 'workflow.action_from_terminal', {
          id: `Status "${ref.value}" adalah status akhir; tidak ada aksi dari status akhir.`,
          en: `"${ref.value}" is a terminal state; no action can start from it.`,
        }),
      );
    return [...unknown, ...fromTerminal];
  });
}

function terminalProblems(flow: WorkflowOutline): Problem[] {
  if (flow.states.length === 0) return [];
  const outcomes = new Set(flow.states.map((s) => s.terminal));
  if (!outcomes.has('approved')) {
    return [
      problem('workflow.states', 'workflow.no_approved_state', {
        id: 'Tidak ada status akhir "approved": permohonan tidak pernah dapat selesai dengan hasil.',
        en: 'There is no "approved" terminal state: no application could ever end with the product.',
      }),
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Reachability

/** Every state reachable from `from` along `edges` (including `from`). */
function reachable(from: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const seen = new Set(from);
  const queue = [...from];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
    for (const next of edges.get(key) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

function reversed(edges: ReadonlyMap<string, ReadonlySet<string>>): Map<string, Set<string>> {
  const back = new Map<string, Set<string>>();
  for (const [from, targets] of edges) {
    for (const to of targets) {
      const sources = back.get(to) ?? new Set<string>();
      sources.add(from);
      back.set(to, sources);
    }
  }
  return back;
}

function reachabilityProblems(flow: WorkflowOutline): Problem[] {
  const problems: Problem[] = [];
  if (flow.start !== undefined && flow.byKey.has(flow.start)) {
    const fromStart = reachable([flow.start], flow.next);
    for (const state of flow.byKey.values()) {
      if (state.key === undefined || fromStart.has(state.key)) continue;
      problems.push(
        problem(state.path, 'workflow.unreachable_state', {
          id: `Status "${state.key}" tidak dapat dicapai dari status awal "${flow.start}".`,
          en: `The state "${state.key}" cannot be reached from the start state "${flow.start}".`,
        }),
      );
    }
  }
  const terminals = [...flow.byKey.values()]
    .filter((s) => s.terminal !== undefined)
    .flatMap((s) => s.key ?? []);
  const canFinish = reachable(terminals, reversed(flow.next));
  for (const state of flow.byKey.values()) {
    if (state.key === undefined || canFinish.has(state.key)) continue;
    problems.push(
      problem(state.path, 'workflow.cannot_finish', {
        id: `Dari status "${state.key}" tidak ada jalan ke status akhir (disetujui, ditolak, atau dibatalkan).`,
        en: `From the state "${state.key}" there is no way to a terminal state (approved, rejected or withdrawn).`,
      }),
    );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Clock and action kinds

function clockProblems(flow: WorkflowOutline): Problem[] {
  return flow.states.flatMap((state) => {
    if (state.terminal !== undefined && state.slaRuns === true) {
      return [
        problem(`${state.path}.slaRuns`, 'workflow.terminal_clock_runs', {
          id: 'Jam SLA berhenti di status akhir: slaRuns harus false.',
          en: 'The SLA clock stops in a terminal state: slaRuns must be false.',
        }),
      ];
    }
    if (state.slaRuns === false && state.slaDays !== undefined && state.slaDays > 0) {
      return [
        problem(`${state.path}.slaDays`, 'workflow.sla_without_clock', {
          id: 'slaDays hanya berlaku bila jam SLA berjalan di status ini (slaRuns: true).',
          en: 'slaDays only applies when the SLA clock runs in this state (slaRuns: true).',
        }),
      ];
    }
    return [];
  });
}

/** For each action kind, the outcome its target state must have (or that it must let the applicant edit). */
const KIND_TARGETS: ReadonlyArray<{ kind: string; outcome?: string; message: Message }> = [
  {
    kind: 'approve',
    outcome: 'approved',
    message: { id: 'menuju status akhir "approved"', en: 'lead to an "approved" terminal state' },
  },
  {
    kind: 'reject',
    outcome: 'rejected',
    message: { id: 'menuju status akhir "rejected"', en: 'lead to a "rejected" terminal state' },
  },
  {
    kind: 'withdraw',
    outcome: 'withdrawn',
    message: { id: 'menuju status akhir "withdrawn"', en: 'lead to a "withdrawn" terminal state' },
  },
  {
    kind: 'return_for_revision',
    message: {
      id: 'menuju status yang dapat diubah pemohon (applicantCanEdit: true)',
      en: 'lead to a state the applicant can edit (applicantCanEdit: true)',
    },
  },
];

function kindMismatch(path: string, message: Message): Problem {
  return problem(path, 'workflow.action_kind_mismatch', message);
}

function actionKindProblems(flow: WorkflowOutline, action: ActionEntry): Problem[] {
  const target = action.to === undefined ? undefined : flow.byKey.get(action.to.value);
  if (target === undefined) return [];
  const kind = action.kind ?? 'normal';
  const expected = KIND_TARGETS.find((k) => k.kind === kind);
  if (expected !== undefined) {
    const fits =
      expected.outcome === undefined
        ? target.applicantCanEdit === true
        : target.terminal === expected.outcome;
    if (!fits) {
      return [
        kindMismatch(`${action.path}.to`, {
          id: `Aksi berjenis ${kind} harus ${expected.message.id}.`,
          en: `An action of kind ${kind} must ${expected.message.en}.`,
        }),
      ];
    }
  }
  const needed = KIND_TARGETS.find((k) => k.outcome !== undefined && k.outcome === target.terminal);
  if (needed !== undefined && needed.kind !== kind) {
    return [
      kindMismatch(`${action.path}.kind`, {
        id: `Aksi menuju status akhir "${target.terminal}" harus berjenis ${needed.kind}.`,
        en: `An action into a "${target.terminal}" terminal state must be of kind ${needed.kind}.`,
      }),
    ];
  }
  if (kind === 'withdraw' && !action.roles.includes(APPLICANT_ROLE)) {
    return [
      kindMismatch(`${action.path}.roles`, {
        id: 'Hanya pemohon yang dapat membatalkan permohonannya: tambahkan peran applicant.',
        en: 'Only the applicant withdraws an application: add the applicant role.',
      }),
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// SLA along paths

/** Paths explored before giving up on a pathological graph (real workflows need a few dozen). */
const PATH_BUDGET = 20_000;
const MAX_REPORTED_PATHS = 10;

function daysIn(state: StateEntry | undefined): number {
  return state?.slaRuns === true ? (state.slaDays ?? 0) : 0;
}

interface SlaSearch {
  readonly flow: WorkflowOutline;
  readonly limit: number;
  readonly over: Array<{ path: string[]; total: number }>;
  steps: number;
}

/** Depth-first over simple paths (no state twice: a revision loop pauses the clock, it does not restart it). */
function explore(search: SlaSearch, path: string[], onPath: Set<string>, total: number): void {
  search.steps += 1;
  const key = path[path.length - 1];
  const state = key === undefined ? undefined : search.flow.byKey.get(key);
  if (key === undefined || state === undefined || search.steps > PATH_BUDGET) return;
  const sum = total + daysIn(state);
  if (state.terminal !== undefined) {
    if (sum > search.limit) search.over.push({ path: [...path], total: sum });
    return;
  }
  for (const next of search.flow.next.get(key) ?? []) {
    if (onPath.has(next)) continue;
    onPath.add(next);
    path.push(next);
    explore(search, path, onPath, sum);
    path.pop();
    onPath.delete(next);
  }
}

function slaPathProblems(flow: WorkflowOutline, limit: number): Problem[] {
  if (flow.start === undefined || !flow.byKey.has(flow.start)) return [];
  const search: SlaSearch = { flow, limit, over: [], steps: 0 };
  explore(search, [flow.start], new Set([flow.start]), 0);
  const worstFirst = search.over.sort((a, b) => b.total - a.total || a.path.length - b.path.length);
  const problems = worstFirst.slice(0, MAX_REPORTED_PATHS).map(({ path, total }) =>
    problem('workflow.states', 'workflow.sla_exceeds_completion_time', {
      id: `SLA per status melebihi jangka waktu penyelesaian: ${path.join(' → ')}: ${total} > ${limit} hari kerja.`,
      en: `Per-state SLAs exceed the completion time: ${path.join(' → ')}: ${total} > ${limit} working days.`,
    }),
  );
  if (search.steps > PATH_BUDGET) {
    problems.push(
      problem('workflow.actions', 'workflow.too_complex', {
        id: 'Workflow memiliki terlalu banyak jalur untuk memeriksa SLA; sederhanakan.',
        en: 'The workflow has too many paths to check the SLAs; simplify it.',
      }),
    );
  }
  return problems;
}
