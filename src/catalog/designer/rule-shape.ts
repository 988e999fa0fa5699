/**
 * The shape of a visibility or "required when" rule that the designer edits with selects: one list
 * of conditions combined with all or any, optionally negated. Other shapes (rules nested deeper,
 * imported from a file) are kept as they are and shown in words.
 */
import { isRecord } from '../reader.ts';

export interface EditableCondition {
  field: string;
  op: string;
  value: unknown;
}

export interface RuleShape {
  not: boolean;
  mode: 'all' | 'any';
  conditions: EditableCondition[];
}

function conditionOf(value: unknown): EditableCondition | undefined {
  if (!isRecord(value) || 'all' in value || 'any' in value || 'not' in value) return undefined;
  return {
    field: typeof value.field === 'string' ? value.field : '',
    op: typeof value.op === 'string' ? value.op : 'eq',
    value: value.value,
  };
}

/** The editable shape of `rule`: empty for no rule, undefined when the designer cannot edit it. */
export function ruleShape(rule: unknown): RuleShape | undefined {
  if (rule === undefined) return { not: false, mode: 'all', conditions: [] };
  let not = false;
  let inner: unknown = rule;
  if (isRecord(inner) && 'not' in inner && Object.keys(inner).length === 1) {
    not = true;
    inner = inner.not;
  }
  const single = conditionOf(inner);
  if (single) return { not, mode: 'all', conditions: [single] };
  if (!isRecord(inner)) return undefined;
  const mode = 'all' in inner ? 'all' : 'any' in inner ? 'any' : undefined;
  if (mode === undefined || Object.keys(inner).length !== 1) return undefined;
  const items = inner[mode];
  if (!Array.isArray(items)) return undefined;
  const conditions = items.map(conditionOf);
  if (conditions.some((c) => c === undefined)) return undefined;
  return { not, mode, conditions: conditions as EditableCondition[] };
}

/** The rule for a shape (undefined when it has no condition), as the form reader builds it. */
export function ruleOf(shape: RuleShape): unknown {
  if (shape.conditions.length === 0) return undefined;
  const rule: unknown =
    shape.conditions.length === 1 ? shape.conditions[0] : { [shape.mode]: shape.conditions };
  return shape.not ? { not: rule } : rule;
}

/** The path of condition `index` in the rule a shape becomes (for problems and input ids). */
export function conditionPath(base: string, shape: RuleShape, index: number): string {
  const inner = shape.not ? `${base}.not` : base;
  return shape.conditions.length === 1 ? inner : `${inner}.${shape.mode}[${index}]`;
}
