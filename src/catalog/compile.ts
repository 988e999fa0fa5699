/**
 * Compiles a (validated) service definition into the validator of its application form:
 *
 *   1. Ajv, compiled once per definition from `answersJsonSchema`, checks the structure of the
 *      answers (types, lengths, options, ranges, counts, unknown keys).
 *   2. A pass over the fields in form order then decides which fields are shown (`visibleWhen`)
 *      and required (`required`, `requiredWhen`) from the accepted answers before them, checks what
 *      needs code (NIK, NPWP, NIB, phone, region codes, dates relative to today) and normalises the
 *      values. Hidden fields are never required, their answers are dropped, and errors about them
 *      (even structural ones) are not reported: a browser may keep stale values in hidden inputs.
 *
 * Compiled validators are cached by a key the caller chooses (e.g. `serviceId@version`): published
 * versions are immutable, so a key always means the same definition.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { AgencyTimeZone } from '../calendar/calendar.ts';
import type { Message } from '../identity/identifiers/result.ts';
import {
  type AnswerError,
  type Flagged,
  flagErrors,
  NOTHING_FLAGGED,
  requiredError,
} from './answer-errors.ts';
import { answersJsonSchema } from './answers-schema.ts';
import { isCalendarDate, localDateOf, noonOf } from './dates.ts';
import {
  type Acceptor,
  acceptorFor,
  isUnanswered,
  type LeafValue,
  type ValueContext,
} from './field-values.ts';
import { isRecord, prop, type UnknownRecord } from './reader.ts';
import { compileRule, type Predicate, type Scope } from './rules.ts';
import type { FormField, GroupField, LeafField, ServiceDefinition } from './schemas.ts';

export { clientHints } from './hints.ts';
export type { AnswerError, LeafValue };
export type GroupItem = Readonly<Record<string, LeafValue>>;
export type AnswerValue = LeafValue | readonly GroupItem[];
export type AcceptedAnswers = Readonly<Record<string, AnswerValue>>;

export type SubmissionValidation =
  | { readonly ok: true; readonly values: AcceptedAnswers }
  | { readonly ok: false; readonly errors: AnswerError[] };

export interface ValidateOptions {
  /** "Today" for `notInFuture` and NIK birth years: a `YYYY-MM-DD` date or an instant. Defaults to now. */
  readonly today?: string | Date;
}

export interface CompiledForm {
  validate(answers: unknown, options?: ValidateOptions): SubmissionValidation;
  /** The JSON Schema used for the structural part (unanswered = absent, null or ''). */
  readonly answersSchema: Readonly<Record<string, unknown>>;
}

export interface CompileOptions {
  /** Cache the compiled form under this key (e.g. `serviceId@version`) and reuse it. */
  readonly cacheKey?: string;
  /** The agency's time zone, which decides what "today" is. Default Asia/Jakarta (WIB). */
  readonly timeZone?: AgencyTimeZone;
}

// ---------------------------------------------------------------------------------------------
// Compiled fields

interface CompiledCommon {
  readonly key: string;
  readonly label: Message;
  readonly visibleWhen: Predicate | undefined;
  readonly requiredWhen: Predicate | undefined;
  readonly alwaysRequired: boolean;
}

interface CompiledLeaf extends CompiledCommon {
  readonly kind: 'leaf';
  readonly accept: Acceptor;
}

interface CompiledGroup extends CompiledCommon {
  readonly kind: 'group';
  readonly minItems: number;
  readonly fields: readonly CompiledLeaf[];
  readonly innerKeys: ReadonlySet<string>;
}

type CompiledField = CompiledLeaf | CompiledGroup;

function commonOf(field: FormField): CompiledCommon {
  return {
    key: field.key,
    label: field.label,
    visibleWhen: field.visibleWhen === undefined ? undefined : compileRule(field.visibleWhen),
    requiredWhen: field.requiredWhen === undefined ? undefined : compileRule(field.requiredWhen),
    alwaysRequired: field.required === true,
  };
}

function compileLeaf(field: LeafField): CompiledLeaf {
  return { ...commonOf(field), kind: 'leaf', accept: acceptorFor(field) };
}

function compileGroup(field: GroupField): CompiledGroup {
  return {
    ...commonOf(field),
    kind: 'group',
    minItems: field.minItems ?? 0,
    fields: field.fields.map(compileLeaf),
    innerKeys: new Set(field.fields.map((f) => f.key)),
  };
}

function compileField(field: FormField): CompiledField {
  return field.type === 'group' ? compileGroup(field) : compileLeaf(field);
}

// ---------------------------------------------------------------------------------------------
// Where structural errors belong

interface FieldIndex {
  readonly top: ReadonlyMap<string, CompiledField>;
}

/** Where an Ajv error belongs: the field path and the field's label. */
function locate(
  index: FieldIndex,
  segments: readonly string[],
): { path: string; label: Message } | undefined {
  const [key, item, innerKey] = segments;
  const field = key === undefined ? undefined : index.top.get(key);
  if (key === undefined || field === undefined) return undefined;
  if (field.kind === 'leaf' || item === undefined) return { path: key, label: field.label };
  const inner = field.fields.find((f) => f.key === innerKey);
  if (innerKey === undefined || inner === undefined) return { path: `${key}[${item}]`, label: field.label };
  return { path: `${key}[${item}].${innerKey}`, label: inner.label };
}

// ---------------------------------------------------------------------------------------------
// The pass over the fields

interface Run {
  readonly context: ValueContext;
  readonly flagged: Flagged;
  readonly errors: AnswerError[];
}

function isRequired(field: CompiledCommon, scope: Scope): boolean {
  return field.alwaysRequired || field.requiredWhen?.(scope) === true;
}

function isHidden(field: CompiledCommon, scope: Scope): boolean {
  return field.visibleWhen !== undefined && !field.visibleWhen(scope);
}

function leafPath(field: CompiledLeaf, itemPath: string | undefined): string {
  return itemPath === undefined ? field.key : `${itemPath}.${field.key}`;
}

/**
 * The accepted value of one shown leaf field, or undefined (unanswered, or rejected with the error
 * recorded). `itemPath` is the group item's path for fields inside a group; paths are only built
 * when needed, which keeps the common valid case free of string building.
 */
function acceptLeaf(
  field: CompiledLeaf,
  raw: unknown,
  itemPath: string | undefined,
  scope: Scope,
  run: Run,
): LeafValue | undefined {
  const structural =
    run.flagged.byPath.size === 0 ? undefined : run.flagged.byPath.get(leafPath(field, itemPath));
  if (structural !== undefined) {
    run.errors.push(structural);
    return undefined;
  }
  if (isUnanswered(raw)) {
    if (isRequired(field, scope)) run.errors.push(requiredError(leafPath(field, itemPath), field.label));
    return undefined;
  }
  const result = field.accept(raw, run.context);
  if (result.ok) return result.value;
  run.errors.push({ path: leafPath(field, itemPath), code: result.code, message: result.message });
  return undefined;
}

function acceptItem(
  group: CompiledGroup,
  item: UnknownRecord,
  path: string,
  outer: Scope,
  run: Run,
): GroupItem {
  const values: Record<string, LeafValue> = {};
  const scope: Scope = { values, ownKeys: group.innerKeys, outer };
  for (const field of group.fields) {
    if (isHidden(field, scope)) continue;
    const value = acceptLeaf(field, prop(item, field.key), path, scope, run);
    if (value !== undefined) values[field.key] = value;
  }
  return values;
}

function acceptGroup(group: CompiledGroup, raw: unknown, scope: Scope, run: Run): GroupItem[] | undefined {
  const structural = run.flagged.byPath.get(group.key);
  if (structural !== undefined) {
    run.errors.push(structural);
    return undefined;
  }
  run.errors.push(...(run.flagged.unknownInGroup.get(group.key) ?? []));
  const items: readonly unknown[] = Array.isArray(raw) ? raw : [];
  const minimum = Math.max(group.minItems, isRequired(group, scope) ? 1 : 0);
  if (items.length === 0) {
    if (minimum > 0) run.errors.push(requiredError(group.key, group.label, minimum));
    return undefined;
  }
  if (items.length < minimum) {
    run.errors.push({
      path: group.key,
      code: 'answer.too_few',
      message: {
        id: `${group.label.id}: isi minimal ${minimum}.`,
        en: `${group.label.en}: add at least ${minimum}.`,
      },
    });
  }
  const accepted: GroupItem[] = [];
  items.forEach((item, i) => {
    const path = `${group.key}[${i}]`;
    const structuralItem = run.flagged.byPath.get(path);
    if (structuralItem !== undefined) run.errors.push(structuralItem);
    else if (isRecord(item)) accepted.push(acceptItem(group, item, path, scope, run));
  });
  return accepted;
}

function acceptAll(
  fields: readonly CompiledField[],
  answers: UnknownRecord,
  run: Run,
): Record<string, AnswerValue> {
  const values: Record<string, AnswerValue> = {};
  const scope: Scope = { values };
  for (const field of fields) {
    if (isHidden(field, scope)) continue;
    const raw = prop(answers, field.key);
    const value =
      field.kind === 'group'
        ? acceptGroup(field, raw, scope, run)
        : acceptLeaf(field, raw, undefined, scope, run);
    if (value !== undefined) values[field.key] = value;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Compiling, with a cache

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });

function contextFor(options: ValidateOptions, timeZone: AgencyTimeZone): ValueContext {
  const today = options.today;
  if (typeof today === 'string') {
    if (!isCalendarDate(today))
      throw new RangeError(`today must be a YYYY-MM-DD date, got ${JSON.stringify(today)}`);
    return { today, todayInstant: noonOf(today, timeZone) };
  }
  const instant = today ?? new Date();
  return { today: localDateOf(instant, timeZone), todayInstant: instant };
}

function build(definition: ServiceDefinition, timeZone: AgencyTimeZone): CompiledForm {
  const answersSchema = answersJsonSchema(definition);
  const structure: ValidateFunction = ajv.compile(answersSchema);
  // The compiled function stands alone; removing the schema keeps Ajv's own cache from growing.
  ajv.removeSchema(answersSchema);
  const fields = definition.form.sections.flatMap((section) => section.fields.map(compileField));
  const index: FieldIndex = { top: new Map(fields.map((f) => [f.key, f])) };
  return {
    answersSchema,
    validate(answers, options = {}) {
      const valid = structure(answers);
      const flagged = valid
        ? NOTHING_FLAGGED
        : flagErrors((segments) => locate(index, segments), structure.errors ?? []);
      if (!isRecord(answers)) return { ok: false, errors: flagged.general };
      const run: Run = { context: contextFor(options, timeZone), flagged, errors: [...flagged.general] };
      const values = acceptAll(fields, answers, run);
      return run.errors.length === 0 ? { ok: true, values } : { ok: false, errors: run.errors };
    },
  };
}

const CACHE_SIZE = 200;
const cache = new Map<string, CompiledForm>();

/** The compiled form of a definition that passed `validateDefinition`. */
export function compileDefinition(definition: ServiceDefinition, options: CompileOptions = {}): CompiledForm {
  const timeZone = options.timeZone ?? 'Asia/Jakarta';
  const key = options.cacheKey === undefined ? undefined : `${timeZone} ${options.cacheKey}`;
  const cached = key === undefined ? undefined : cache.get(key);
  if (key !== undefined && cached !== undefined) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const compiled = build(definition, timeZone);
  if (key !== undefined) {
    cache.set(key, compiled);
    const oldest = cache.keys().next();
    if (cache.size > CACHE_SIZE && !oldest.done) cache.delete(oldest.value);
  }
  return compiled;
}
