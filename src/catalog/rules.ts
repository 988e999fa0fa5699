/**
 * Rules decide whether a field is shown (`visibleWhen`) or required (`requiredWhen`) from the answers
 * to earlier fields. A rule is a condition `{field, op, value}` or a combination `{all}`, `{any}`,
 * `{not}`. The meaning, shared by the server and (as hints) the browser:
 *
 *  - The answer looked at is the *accepted* value of an earlier field: absent when the field was not
 *    answered, is hidden, or was invalid.
 *  - `eq` is true when the answer equals the value; for a multiple-choice answer, when it contains
 *    the value. `neq` is `not eq` (so it is true for an absent answer). `in` is true when the answer
 *    (or, for multiple choice, any chosen option) is one of the listed values.
 *  - `gt`, `lt`, `gte`, `lte` compare numbers with numbers and dates (`YYYY-MM-DD`) with dates; they
 *    are false for an absent answer or values of different kinds.
 *  - `{all: []}` would be true and `{any: []}` false, but the schema requires at least one rule.
 *
 * This module imports nothing at run time except `reader.ts`, so the same code can run in the browser.
 */
import { arrayAt, isRecord, prop, stringAt } from './reader.ts';
import type { Rule, RuleOp, RuleValue } from './schemas.ts';

/** Deeper rules are refused by the semantic checks; walking stops there too. */
export const MAX_RULE_DEPTH = 8;

/**
 * The accepted answers a rule can see: the values so far, and for a field inside a group item, the
 * item's own values first (keys in `ownKeys`) and the form's values (`outer`) for the rest.
 */
export interface Scope {
  readonly values: Readonly<Record<string, unknown>>;
  readonly ownKeys?: ReadonlySet<string>;
  readonly outer?: Scope;
}

/** The accepted value of the field with that key, or undefined. */
export function readAnswer(scope: Scope, key: string): unknown {
  if (scope.outer !== undefined && scope.ownKeys !== undefined && !scope.ownKeys.has(key)) {
    return readAnswer(scope.outer, key);
  }
  return Object.hasOwn(scope.values, key) ? scope.values[key] : undefined;
}

export type Predicate = (scope: Scope) => boolean;

function isAnswerList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

function equals(answer: unknown, value: RuleValue): boolean {
  if (isAnswerList(answer)) return answer.includes(value);
  return answer === value;
}

function isOneOf(answer: unknown, value: RuleValue): boolean {
  if (!Array.isArray(value)) return false;
  const values: readonly unknown[] = value;
  if (isAnswerList(answer)) return answer.some((a) => values.includes(a));
  return answer !== undefined && values.includes(answer);
}

/** -1, 0, 1, or undefined when the two are not both numbers or both strings. */
function order(answer: unknown, value: RuleValue): number | undefined {
  if (typeof answer === 'number' && typeof value === 'number') return Math.sign(answer - value);
  if (typeof answer === 'string' && typeof value === 'string')
    return answer < value ? -1 : answer > value ? 1 : 0;
  return undefined;
}

export function testCondition(op: RuleOp, answer: unknown, value: RuleValue): boolean {
  switch (op) {
    case 'eq':
      return equals(answer, value);
    case 'neq':
      return !equals(answer, value);
    case 'in':
      return isOneOf(answer, value);
    default: {
      const sign = order(answer, value);
      if (sign === undefined) return false;
      if (op === 'gt') return sign > 0;
      if (op === 'lt') return sign < 0;
      if (op === 'gte') return sign >= 0;
      return sign <= 0;
    }
  }
}

/** Turns a (validated) rule into a function of the answers, once, so evaluation allocates nothing. */
export function compileRule(rule: Rule): Predicate {
  if ('all' in rule) {
    const parts = rule.all.map(compileRule);
    return (scope) => parts.every((p) => p(scope));
  }
  if ('any' in rule) {
    const parts = rule.any.map(compileRule);
    return (scope) => parts.some((p) => p(scope));
  }
  if ('not' in rule) {
    const inner = compileRule(rule.not);
    return (scope) => !inner(scope);
  }
  const { field, op, value } = rule;
  return (scope) => testCondition(op, readAnswer(scope, field), value);
}

// ---------------------------------------------------------------------------------------------
// Walking rules that have not been validated (for the definition checks)

export interface ConditionAt {
  readonly field: string;
  readonly op: string | undefined;
  readonly value: unknown;
  /** Path of the condition object, e.g. `form.sections[0].fields[2].visibleWhen.all[1]`. */
  readonly path: string;
}

export interface RuleWalk {
  readonly conditions: ConditionAt[];
  /** Paths where the rule nests deeper than {@link MAX_RULE_DEPTH}. */
  readonly tooDeep: string[];
}

/** Collects the conditions of any value shaped like a rule, dispatching on keys as the schema does. */
export function walkRule(
  rule: unknown,
  path: string,
  walk: RuleWalk = { conditions: [], tooDeep: [] },
  depth = 1,
) {
  if (!isRecord(rule)) return walk;
  if (depth > MAX_RULE_DEPTH) {
    walk.tooDeep.push(path);
    return walk;
  }
  const combinator = ['all', 'any'].find((k) => prop(rule, k) !== undefined);
  if (combinator !== undefined) {
    arrayAt(rule, combinator).forEach((part, i) => {
      walkRule(part, `${path}.${combinator}[${i}]`, walk, depth + 1);
    });
  } else if (prop(rule, 'not') !== undefined) {
    walkRule(prop(rule, 'not'), `${path}.not`, walk, depth + 1);
  } else {
    const field = stringAt(rule, 'field');
    if (field !== undefined)
      walk.conditions.push({ field, op: stringAt(rule, 'op'), value: prop(rule, 'value'), path });
  }
  return walk;
}
