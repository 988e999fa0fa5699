/**
 * Checks on the form that JSON Schema cannot express: unique keys, rules that refer to earlier
 * fields with values that fit them, sensible ranges, classifications, and the output and data rules
 * that name fields. They read the definition carefully (see `reader.ts`) so they also run, and
 * report, when other parts of the definition are malformed.
 */
import { isCalendarDate } from './dates.ts';
import { childPath, duplicateKeyProblems, type Message, type Problem, problem, quote } from './problems.ts';
import { arrayAt, booleanAt, isRecord, numberAt, prop, stringAt, type UnknownRecord } from './reader.ts';
import { type ConditionAt, MAX_RULE_DEPTH, walkRule } from './rules.ts';

export interface FieldEntry {
  readonly raw: UnknownRecord;
  readonly path: string;
  readonly key: string | undefined;
  readonly type: string | undefined;
  /** Order of the top-level field (for a field in a group: of its group) in the whole form. */
  readonly position: number;
  /** The group this field repeats in, if any. */
  readonly group: FieldEntry | undefined;
  /** Order inside the group; -1 for top-level fields. */
  readonly innerPosition: number;
}

/** Every field of the form in document order; a group is followed by its own fields. */
export function collectFields(definition: unknown): FieldEntry[] {
  const entries: FieldEntry[] = [];
  let position = 0;
  arrayAt(prop(definition, 'form'), 'sections').forEach((section, s) => {
    arrayAt(section, 'fields').forEach((raw, f) => {
      if (!isRecord(raw)) return;
      const path = `form.sections[${s}].fields[${f}]`;
      const entry = fieldEntry(raw, path, position++, undefined, -1);
      entries.push(entry);
      if (entry.type !== 'group') return;
      arrayAt(raw, 'fields').forEach((inner, i) => {
        if (isRecord(inner))
          entries.push(fieldEntry(inner, `${path}.fields[${i}]`, entry.position, entry, i));
      });
    });
  });
  return entries;
}

function fieldEntry(
  raw: UnknownRecord,
  path: string,
  position: number,
  group: FieldEntry | undefined,
  innerPosition: number,
): FieldEntry {
  return {
    raw,
    path,
    key: stringAt(raw, 'key'),
    type: stringAt(raw, 'type'),
    position,
    group,
    innerPosition,
  };
}

export function formProblems(definition: unknown): Problem[] {
  const fields = collectFields(definition);
  const byKey = new Map<string, FieldEntry>();
  for (const field of fields)
    if (field.key !== undefined && !byKey.has(field.key)) byKey.set(field.key, field);
  const sections = arrayAt(prop(definition, 'form'), 'sections').map((section, s) => ({
    key: stringAt(section, 'key'),
    path: `form.sections[${s}]`,
  }));
  return [
    ...duplicateKeyProblems(sections, 'form.duplicate_key', { id: 'bagian', en: 'section' }),
    ...duplicateKeyProblems(fields, 'form.duplicate_key', { id: 'isian', en: 'field' }),
    ...fields.flatMap((field) => [
      ...ruleProblems(field, byKey),
      ...requiredConflict(field),
      ...optionProblems(field),
      ...rangeProblems(field),
      ...classificationProblems(field),
    ]),
    ...outputProblems(definition, byKey),
    ...dataRuleProblems(definition, fields),
  ];
}

// ---------------------------------------------------------------------------------------------
// Rules

const RULE_KEYS = ['visibleWhen', 'requiredWhen'] as const;

function ruleProblems(field: FieldEntry, byKey: ReadonlyMap<string, FieldEntry>): Problem[] {
  return RULE_KEYS.flatMap((ruleKey) => {
    const walk = walkRule(prop(field.raw, ruleKey), childPath(field.path, ruleKey));
    const deep = walk.tooDeep.map((path) =>
      problem(path, 'form.rule_too_deep', {
        id: `Aturan bersarang lebih dari ${MAX_RULE_DEPTH} tingkat; sederhanakan.`,
        en: `The rule nests more than ${MAX_RULE_DEPTH} levels; simplify it.`,
      }),
    );
    return [...deep, ...walk.conditions.flatMap((c) => conditionProblems(field, c, byKey))];
  });
}

/** True when `target` is answered before `field` and is in its scope (see the module comment). */
function isEarlierInScope(target: FieldEntry, field: FieldEntry): boolean {
  if (target.group === undefined) return target.position < field.position;
  return field.group === target.group && target.innerPosition < field.innerPosition;
}

function conditionProblems(
  field: FieldEntry,
  c: ConditionAt,
  byKey: ReadonlyMap<string, FieldEntry>,
): Problem[] {
  const at = childPath(c.path, 'field');
  const target = byKey.get(c.field);
  if (target === undefined) {
    return [
      problem(at, 'form.rule_unknown_field', {
        id: `Aturan merujuk isian "${c.field}" yang tidak ada.`,
        en: `The rule refers to a field "${c.field}" that does not exist.`,
      }),
    ];
  }
  if (!isEarlierInScope(target, field)) {
    const scope =
      target.group === undefined
        ? { id: '', en: '' }
        : {
            id: ' Isian di dalam grup hanya dapat dirujuk isian sesudahnya di grup yang sama.',
            en: ' A field inside a group can only be referred to by later fields of the same group.',
          };
    return [
      problem(at, 'form.rule_not_earlier', {
        id: `Aturan hanya boleh merujuk isian sebelumnya, tetapi "${c.field}" ada di ${target.path}.${scope.id}`,
        en: `A rule may only refer to earlier fields, but "${c.field}" is at ${target.path}.${scope.en}`,
      }),
    ];
  }
  const mismatch = conditionMismatch(target, c);
  return mismatch === undefined ? [] : [problem(c.path, mismatch.code, mismatch.message)];
}

const COMPARISONS = new Set(['gt', 'lt', 'gte', 'lte']);
const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

function optionValues(field: FieldEntry): Set<string> {
  return new Set(arrayAt(field.raw, 'options').flatMap((o) => stringAt(o, 'value') ?? []));
}

/** Whether one rule value suits the target field's answers. */
function fitsField(target: FieldEntry, value: unknown): boolean {
  switch (target.type) {
    case 'yesno':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value);
    case 'choice':
    case 'multichoice':
      return typeof value === 'string' && optionValues(target).has(value);
    default:
      return typeof value === 'string';
  }
}

function mismatch(code: string, message: Message): { code: string; message: Message } {
  return { code, message };
}

function conditionMismatch(
  target: FieldEntry,
  c: ConditionAt,
): { code: string; message: Message } | undefined {
  if (target.type === 'group' || target.type === 'file') {
    return mismatch('form.rule_unsupported_target', {
      id: `Aturan tidak dapat memeriksa isian "${c.field}" berjenis ${target.type}.`,
      en: `A rule cannot look at "${c.field}", a ${target.type} field.`,
    });
  }
  if (c.op === undefined) return undefined;
  if (COMPARISONS.has(c.op) && target.type !== 'number' && target.type !== 'date') {
    return mismatch('form.rule_value_mismatch', {
      id: `Operator ${c.op} hanya untuk isian angka atau tanggal; "${c.field}" berjenis ${target.type}.`,
      en: `The operator ${c.op} is only for number or date fields; "${c.field}" is a ${target.type} field.`,
    });
  }
  const values = c.op === 'in' ? c.value : [c.value];
  if (!Array.isArray(values)) {
    return mismatch('form.rule_value_mismatch', {
      id: 'Operator in memerlukan daftar nilai.',
      en: 'The operator in needs a list of values.',
    });
  }
  const misfitIndex = values.findIndex((v) => !fitsField(target, v));
  if (misfitIndex === -1) return undefined;
  const misfit: unknown = values[misfitIndex];
  return mismatch('form.rule_value_mismatch', {
    id: `Nilai ${quote(misfit)} tidak mungkin menjadi jawaban isian "${c.field}" (${target.type}).`,
    en: `${quote(misfit)} cannot be an answer of the field "${c.field}" (${target.type}).`,
  });
}

// ---------------------------------------------------------------------------------------------
// Field properties

function requiredConflict(field: FieldEntry): Problem[] {
  if (booleanAt(field.raw, 'required') !== true || prop(field.raw, 'requiredWhen') === undefined) return [];
  return [
    problem(childPath(field.path, 'requiredWhen'), 'form.required_conflict', {
      id: 'Isian ini sudah selalu wajib (required: true); hapus salah satu dari required atau requiredWhen.',
      en: 'This field is always required (required: true); remove either required or requiredWhen.',
    }),
  ];
}

function optionProblems(field: FieldEntry): Problem[] {
  if (field.type !== 'choice' && field.type !== 'multichoice') return [];
  const seen = new Set<string>();
  return arrayAt(field.raw, 'options').flatMap((option, i) => {
    const value = stringAt(option, 'value');
    if (value === undefined) return [];
    if (!seen.has(value)) {
      seen.add(value);
      return [];
    }
    return [
      problem(`${field.path}.options[${i}].value`, 'form.duplicate_option', {
        id: `Nilai opsi "${value}" muncul lebih dari sekali.`,
        en: `The option value "${value}" appears more than once.`,
      }),
    ];
  });
}

function inverted(path: string, low: string, high: string, lowValue: unknown, highValue: unknown): Problem {
  return problem(path, 'form.range_inverted', {
    id: `${low} (${String(lowValue)}) lebih besar dari ${high} (${String(highValue)}).`,
    en: `${low} (${String(lowValue)}) is greater than ${high} (${String(highValue)}).`,
  });
}

function dateBoundProblems(field: FieldEntry): Problem[] {
  if (field.type !== 'date') return [];
  return (['min', 'max'] as const).flatMap((name) => {
    const value = stringAt(field.raw, name);
    if (value === undefined || !ISO_DATE.test(value) || isCalendarDate(value)) return [];
    return [
      problem(childPath(field.path, name), 'form.invalid_date', {
        id: `${value} bukan tanggal yang ada.`,
        en: `${value} is not a real date.`,
      }),
    ];
  });
}

function minMaxProblems(field: FieldEntry): Problem[] {
  const min = prop(field.raw, 'min');
  const max = prop(field.raw, 'max');
  const numbersInverted = typeof min === 'number' && typeof max === 'number' && min > max;
  const datesInverted =
    field.type === 'date' && typeof min === 'string' && typeof max === 'string' && min > max;
  return numbersInverted || datesInverted
    ? [inverted(childPath(field.path, 'min'), 'min', 'max', min, max)]
    : [];
}

function itemCountProblems(field: FieldEntry): Problem[] {
  const minItems = numberAt(field.raw, 'minItems');
  const maxItems = numberAt(field.raw, 'maxItems');
  if (minItems === undefined) return [];
  if (maxItems !== undefined && minItems > maxItems) {
    return [inverted(childPath(field.path, 'minItems'), 'minItems', 'maxItems', minItems, maxItems)];
  }
  const optionCount = arrayAt(field.raw, 'options').length;
  if (field.type !== 'multichoice' || optionCount === 0 || minItems <= optionCount) return [];
  return [
    problem(childPath(field.path, 'minItems'), 'form.range_impossible', {
      id: `minItems (${minItems}) lebih besar dari jumlah opsi (${optionCount}).`,
      en: `minItems (${minItems}) is more than the number of options (${optionCount}).`,
    }),
  ];
}

function rangeProblems(field: FieldEntry): Problem[] {
  return [...dateBoundProblems(field), ...minMaxProblems(field), ...itemCountProblems(field)];
}

/** Identifiers of a person are never public data (UU 27/2022). */
const NEVER_PUBLIC = new Set(['nik', 'phone', 'email']);

function classificationProblems(field: FieldEntry): Problem[] {
  if (field.type === undefined || !NEVER_PUBLIC.has(field.type)) return [];
  if (stringAt(field.raw, 'classification') !== 'public') return [];
  return [
    problem(childPath(field.path, 'classification'), 'form.classification_too_low', {
      id: `Isian ${field.type} berisi data pribadi: klasifikasinya harus personal atau specific.`,
      en: `A ${field.type} field holds personal data: classify it as personal or specific.`,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Output and data rules

function outputProblems(definition: unknown, byKey: ReadonlyMap<string, FieldEntry>): Problem[] {
  return arrayAt(prop(definition, 'output'), 'printedFields').flatMap((key, i) => {
    if (typeof key !== 'string' || byKey.has(key)) return [];
    return [
      problem(`output.printedFields[${i}]`, 'output.unknown_field', {
        id: `Dokumen hasil mencetak isian "${key}" yang tidak ada di formulir.`,
        en: `The output document prints a field "${key}" that is not in the form.`,
      }),
    ];
  });
}

function dataRuleProblems(definition: unknown, fields: readonly FieldEntry[]): Problem[] {
  const roles = prop(prop(definition, 'dataRules'), 'specificFieldRoles');
  const hasSpecific = fields.some((f) => stringAt(f.raw, 'classification') === 'specific');
  if (!hasSpecific || !Array.isArray(roles) || roles.length > 0) return [];
  return [
    problem('dataRules.specificFieldRoles', 'data.specific_without_roles', {
      id: 'Formulir memuat data spesifik, tetapi tidak ada peran yang boleh melihatnya.',
      en: 'The form holds specific data, but no role is allowed to see it.',
    }),
  ];
}
