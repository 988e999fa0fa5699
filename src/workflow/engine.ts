/**
 * The transition rules every workflow follows, whatever it moves (an application, a complaint): an
 * action is available from the states it names, only to the roles it names, and leads to one known
 * state. Pure functions over the workflow's shape; who holds a role, and what a move writes, is the
 * caller's business (`mayAct` and the caller's transaction).
 */

/** A state as the engine needs it (a service definition's `WorkflowState` fits). */
export interface EngineState {
  readonly key: string;
  readonly terminal?: string | undefined;
}

/** An action as the engine needs it (a service definition's `WorkflowAction` fits). */
export interface EngineAction {
  readonly key: string;
  readonly from: string | readonly string[];
  readonly to: string;
  readonly roles: readonly string[];
}

export interface EngineWorkflow<S extends EngineState, A extends EngineAction> {
  readonly startState: string;
  readonly states: readonly S[];
  readonly actions: readonly A[];
}

/** The states an action may start from. */
export function fromStates(action: Pick<EngineAction, 'from'>): readonly string[] {
  return typeof action.from === 'string' ? [action.from] : action.from;
}

export function findState<S extends EngineState>(
  workflow: EngineWorkflow<S, EngineAction>,
  key: string | null,
): S | undefined {
  return key === null ? undefined : workflow.states.find((s) => s.key === key);
}

/** The actions from `state` that the actor may take (`mayAct` decides the roles); none without a state. */
export function actionsFrom<S extends EngineState, A extends EngineAction>(
  workflow: EngineWorkflow<S, A>,
  state: string | null,
  mayAct: (action: A) => boolean,
): A[] {
  if (state === null) return [];
  return workflow.actions.filter((a) => fromStates(a).includes(state) && mayAct(a));
}

/**
 * The move an action makes from `state`, or why it cannot: `unavailable` when there is no such
 * action from this state (or it leads nowhere known), `forbidden` when it exists but the actor may
 * not take it. Availability is decided first, so an actor learns nothing about roles of actions
 * that do not apply.
 */
export type Move<S extends EngineState, A extends EngineAction> =
  | { readonly ok: true; readonly action: A; readonly from: string; readonly to: S }
  | { readonly ok: false; readonly refusal: 'unavailable' | 'forbidden' };

export function planMove<S extends EngineState, A extends EngineAction>(
  workflow: EngineWorkflow<S, A>,
  state: string | null,
  actionKey: string,
  mayAct: (action: A) => boolean,
): Move<S, A> {
  const action = workflow.actions.find((a) => a.key === actionKey);
  const target = action ? findState(workflow, action.to) : undefined;
  if (state === null || !action || !target || !fromStates(action).includes(state))
    return { ok: false, refusal: 'unavailable' };
  if (!mayAct(action)) return { ok: false, refusal: 'forbidden' };
  return { ok: true, action, from: state, to: target };
}

/** Whether a state ends the workflow. */
export function isTerminal(state: EngineState | undefined): boolean {
  return state?.terminal !== undefined;
}
