import { describe, expect, it } from 'vitest';
import { COMPLAINT_WORKFLOW, COMPLETION_DAYS, complaintWorkflowProblems } from './workflow.ts';

describe('the complaint workflow', () => {
  it('passes the service definitions’ workflow checks and structure', () => {
    expect(complaintWorkflowProblems()).toEqual([]);
  });

  it('is held to the same checks: a broken copy is refused with their codes', () => {
    const unreachable = {
      ...COMPLAINT_WORKFLOW,
      states: [...COMPLAINT_WORKFLOW.states, { ...COMPLAINT_WORKFLOW.states[0], key: 'orphan' }],
    };
    expect(complaintWorkflowProblems(unreachable).map((p) => p.code)).toContain('workflow.unreachable_state');
    const slow = {
      ...COMPLAINT_WORKFLOW,
      states: COMPLAINT_WORKFLOW.states.map((s) =>
        s.key === 'disposed' ? { ...s, slaDays: COMPLETION_DAYS } : s,
      ),
    };
    expect(complaintWorkflowProblems(slow).map((p) => p.code)).toContain(
      'workflow.sla_exceeds_completion_time',
    );
    const foreignRole = {
      ...COMPLAINT_WORKFLOW,
      actions: COMPLAINT_WORKFLOW.actions.map((a) =>
        a.key === 'verify' ? { ...a, roles: ['verifier'] } : a,
      ),
    };
    expect(complaintWorkflowProblems(foreignRole).length).toBeGreaterThan(0);
  });
});
