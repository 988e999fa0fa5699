/**
 * `validateDefinition` checks a service definition read from YAML, JSON or the designer and reports
 * every problem at once: the structure (JSON Schema) and the rules between its parts (form, workflow,
 * output, data rules). It never throws, whatever the input.
 */
import { formProblems } from './form-checks.ts';
import { type Problem, problem, tidyProblems } from './problems.ts';
import type { ServiceDefinition } from './schemas.ts';
import { checkStructure } from './structure.ts';
import { workflowProblems } from './workflow-checks.ts';

export type DefinitionValidation =
  | { readonly ok: true; readonly definition: ServiceDefinition }
  | { readonly ok: false; readonly problems: Problem[] };

export function validateDefinition(input: unknown): DefinitionValidation {
  try {
    const structure = checkStructure(input);
    const problems = tidyProblems([
      ...(structure.ok ? [] : structure.problems),
      ...formProblems(input),
      ...workflowProblems(input),
    ]);
    if (problems.length > 0) return { ok: false, problems };
    if (structure.ok) return { ok: true, definition: structure.definition };
    return { ok: false, problems: [unreadable()] };
  } catch {
    // A value no definition can be (e.g. nested so deeply that validation overflows the stack).
    return { ok: false, problems: [unreadable()] };
  }
}

function unreadable(): Problem {
  return problem('', 'definition.unreadable', {
    id: 'Isi berkas ini tidak dapat dibaca sebagai definisi layanan.',
    en: 'This content cannot be read as a service definition.',
  });
}
