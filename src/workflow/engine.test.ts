import { describe, expect, it } from 'vitest';
import { actionsFrom, fromStates, planMove } from './engine.ts';

const workflow = {
  startState: 'a',
  states: [{ key: 'a' }, { key: 'b' }, { key: 'done', terminal: 'approved' }],
  actions: [
    { key: 'go', from: 'a', to: 'b', roles: ['x'] },
    { key: 'finish', from: ['a', 'b'], to: 'done', roles: ['y'] },
    { key: 'lost', from: 'b', to: 'nowhere', roles: ['x'] },
  ],
};
const holds = (role: string) => (action: { roles: readonly string[] }) => action.roles.includes(role);

describe('the workflow engine', () => {
  it('offers the actions from a state that the actor’s roles allow', () => {
    expect(fromStates(workflow.actions[1]!)).toEqual(['a', 'b']);
    expect(actionsFrom(workflow, 'a', holds('x')).map((a) => a.key)).toEqual(['go']);
    expect(actionsFrom(workflow, 'b', holds('y')).map((a) => a.key)).toEqual(['finish']);
    expect(actionsFrom(workflow, null, holds('x'))).toEqual([]);
  });

  it('plans a move, or says why not: unknown or unavailable first, then the role', () => {
    const move = planMove(workflow, 'a', 'go', holds('x'));
    expect(move.ok && move.to.key).toBe('b');
    expect(planMove(workflow, 'a', 'go', holds('y'))).toEqual({ ok: false, refusal: 'forbidden' });
    expect(planMove(workflow, 'b', 'go', holds('x'))).toEqual({ ok: false, refusal: 'unavailable' });
    expect(planMove(workflow, 'a', 'nope', holds('x'))).toEqual({ ok: false, refusal: 'unavailable' });
    expect(planMove(workflow, 'b', 'lost', holds('x'))).toEqual({ ok: false, refusal: 'unavailable' });
    expect(planMove(workflow, null, 'go', holds('x'))).toEqual({ ok: false, refusal: 'unavailable' });
  });
});
