/**
 * From the designer's forms back to the definition: each part's reader takes the posted inputs of
 * that part (already nested by `parseNamedInputs`) and the current draft, and returns the draft with
 * that part replaced. Texts are trimmed, numbers read as people write them (a malformed one is kept
 * as typed), unchecked checkboxes are false, empty optional texts are left out, and empty machine
 * names are suggested from the label.
 */
import { FILE_MIME_TYPES } from '../schemas.ts';
import {
  checked,
  integerOrText,
  list,
  localText,
  numberOrText,
  obj,
  optionalLocalText,
  strings,
  suggestKey,
  trimmed,
  uniqueKey,
} from './coerce.ts';
import type { Posted, PostedObject } from './names.ts';

export const PARTS = ['identity', 'standard', 'form', 'workflow', 'output'] as const;
export type Part = (typeof PARTS)[number];

export function isPart(value: string): value is Part {
  return (PARTS as readonly string[]).includes(value);
}

/** The part of the designer where the input at `path` lives. */
export function partOfPath(path: string): Part {
  const top = /^[A-Za-z]+/.exec(path)?.[0] ?? '';
  if (top === 'standard' || top === 'form' || top === 'workflow') return top;
  if (top === 'output' || top === 'dataRules') return 'output';
  return 'identity';
}

export type Doc = Record<string, unknown>;

function record(value: unknown): Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Doc) : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Sets `key` to `value`, or removes it when `value` is undefined. */
function put(target: Doc, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** The draft with one part replaced by what was posted. */
export function readPart(part: Part, draft: unknown, posted: PostedObject): Doc {
  const doc: Doc = structuredClone(record(draft));
  switch (part) {
    case 'identity':
      readIdentity(doc, posted);
      break;
    case 'standard':
      doc.standard = readStandard(obj(posted.standard));
      break;
    case 'form':
      readForm(doc, obj(posted.form));
      break;
    case 'workflow':
      doc.workflow = readWorkflow(obj(posted.workflow));
      break;
    case 'output':
      readOutput(doc, posted);
      break;
  }
  return doc;
}

// ---------------------------------------------------------------------------------------------

function readIdentity(doc: Doc, posted: PostedObject): void {
  doc.name = localText(posted.name);
  doc.description = localText(posted.description);
  doc.category = trimmed(posted.category);
  const tags = trimmed(posted.tags)
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  put(doc, 'tags', tags.length > 0 ? tags : undefined);
}

function regulationFilled(p: Record<string, Posted | undefined>): boolean {
  const title = obj(p.title);
  return [p.type, p.number, p.year, p.link, title.id, title.en].some((v) => trimmed(v) !== '');
}

function readRegulation(value: Posted | undefined): Doc {
  const p = obj(value);
  const regulation: Doc = { type: trimmed(p.type), number: trimmed(p.number) };
  put(regulation, 'year', integerOrText(p.year));
  regulation.title = localText(p.title);
  const link = trimmed(p.link);
  put(regulation, 'link', link === '' ? undefined : link);
  return regulation;
}

const OPTIONAL_STANDARD_TEXTS = [
  'facilities',
  'staffCompetence',
  'internalSupervision',
  'numberOfStaff',
  'serviceGuarantee',
  'safetyGuarantee',
  'performanceEvaluation',
] as const;

function readStandard(s: Record<string, Posted | undefined>): Doc {
  const standard: Doc = {};
  const regulations = list(s.legalBasis).map(readRegulation);
  put(standard, 'legalBasis', regulations.length > 0 ? regulations : undefined);
  standard.requirements = list(s.requirements).map(localText);
  standard.procedure = localText(s.procedure);
  put(standard, 'completionDays', integerOrText(s.completionDays));
  standard.fee = readFee(obj(s.fee));
  standard.product = localText(s.product);
  standard.complaintHandling = localText(s.complaintHandling);
  for (const key of OPTIONAL_STANDARD_TEXTS) put(standard, key, optionalLocalText(s[key]));
  return standard;
}

function readFee(p: Record<string, Posted | undefined>): Doc {
  const kind = trimmed(p.kind) || 'free';
  const fee: Doc = { kind };
  const basis = obj(p.legalBasis);
  if (kind === 'paid') {
    put(fee, 'amountRupiah', integerOrText(p.amountRupiah));
    fee.legalBasis = readRegulation(basis);
  } else if (regulationFilled(basis)) {
    fee.legalBasis = readRegulation(basis);
  }
  put(fee, 'note', optionalLocalText(p.note));
  return fee;
}

// ---------------------------------------------------------------------------------------------
// Form

const YES = new Set(['ya', 'yes', 'true', 'benar', 'y']);
const NO = new Set(['tidak', 'no', 'false', 'bukan', 't', 'n']);

/** A condition's value as typed, read for the field it compares. */
export function ruleValue(text: string, op: string, fieldType: string | undefined): unknown {
  const one = (item: string): unknown => {
    if (fieldType === 'number') return numberOrText(item) ?? '';
    if (fieldType === 'yesno') {
      const word = item.toLowerCase();
      if (YES.has(word)) return true;
      if (NO.has(word)) return false;
    }
    return item;
  };
  if (op === 'in')
    return text
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .map(one);
  return one(text.trim());
}

function readRule(value: Posted | undefined, types: ReadonlyMap<string, string>): unknown {
  const p = obj(value);
  const mode = trimmed(p.mode);
  if (mode === 'keep') {
    try {
      return JSON.parse(trimmed(p.raw)) as unknown;
    } catch {
      return undefined;
    }
  }
  const conditions = list(p.conditions)
    .map(obj)
    .filter((c) => trimmed(c.field) !== '' || trimmed(c.value) !== '')
    .map((c) => {
      const field = trimmed(c.field);
      const op = trimmed(c.op) || 'eq';
      return { field, op, value: ruleValue(trimmed(c.value), op, types.get(field)) };
    });
  // No condition means "always": a mode chosen without any condition keeps nothing worth saving.
  if (conditions.length === 0) return undefined;
  const rule: unknown =
    conditions.length === 1 ? conditions[0] : { [mode === 'any' ? 'any' : 'all']: conditions };
  return checked(p.not) ? { not: rule } : rule;
}

/** The options of a choice; an empty value is suggested from the label. */
function readOptions(value: Posted | undefined): Doc[] {
  const taken = new Set<string>();
  const options = list(value).map((o) => {
    const p = obj(o);
    return { value: trimmed(p.value), label: localText(p.label) };
  });
  for (const o of options) if (o.value !== '') taken.add(o.value);
  for (const o of options)
    if (o.value === '' && o.label.id !== '') o.value = uniqueKey(suggestKey(o.label.id, 'pilihan'), taken);
  return options;
}

export function blankField(type: string): Doc {
  const field: Doc = { type, key: '', label: { id: '', en: '' }, classification: 'personal' };
  return { ...field, ...typeDefaults(type) };
}

/** The settings a field of `type` cannot do without, as a new field of that type starts with them. */
function typeDefaults(type: string): Doc {
  switch (type) {
    case 'choice':
    case 'multichoice':
      return { options: [{ value: '', label: { id: '', en: '' } }] };
    case 'region':
      return { level: 'village' };
    case 'file':
      return { accept: [...FILE_MIME_TYPES], maxSizeKb: 2048, maxFiles: 1 };
    case 'group':
      return { fields: [blankField('text')], maxItems: 10 };
    default:
      return {};
  }
}

interface FieldContext {
  renamed: Map<string, string>;
  pending: Array<{ field: Doc; posted: Record<string, Posted | undefined> }>;
}

function readField(value: Posted | undefined, ctx: FieldContext, nested: boolean): Doc {
  const p = obj(value);
  const type = trimmed(p.type);
  const shown = trimmed(p.shownType) || type;
  const changedType = shown !== type;
  const field: Doc = { type, key: trimmed(p.key), label: localText(p.label) };
  const was = trimmed(p.keyWas);
  if (was !== '' && field.key !== '' && was !== field.key) ctx.renamed.set(was, String(field.key));
  put(field, 'help', optionalLocalText(p.help));
  if (checked(p.required)) field.required = true;
  field.classification = trimmed(p.classification);
  // Rules are read once every key is known (a key may be suggested from its label on this save).
  ctx.pending.push({ field, posted: p });
  const defaults = typeDefaults(type);
  switch (type) {
    case 'text':
    case 'textarea':
      put(field, 'maxLength', integerOrText(p.maxLength));
      break;
    case 'number':
      put(field, 'min', numberOrText(p.min));
      put(field, 'max', numberOrText(p.max));
      if (checked(p.integer)) field.integer = true;
      put(field, 'unit', optionalLocalText(p.unit));
      break;
    case 'date':
      put(field, 'min', trimmed(p.min) || undefined);
      put(field, 'max', trimmed(p.max) || undefined);
      if (checked(p.notInFuture)) field.notInFuture = true;
      break;
    case 'choice':
    case 'multichoice': {
      const options = readOptions(p.options);
      field.options = options.length === 0 && changedType ? defaults.options : options;
      if (type === 'multichoice') {
        put(field, 'minItems', integerOrText(p.minItems));
        put(field, 'maxItems', integerOrText(p.maxItems));
      }
      break;
    }
    case 'region':
      field.level = trimmed(p.level) || defaults.level;
      break;
    case 'file': {
      field.accept = changedType ? defaults.accept : strings(p.accept).map((a) => a.trim());
      field.maxSizeKb = integerOrText(p.maxSizeKb) ?? (changedType ? defaults.maxSizeKb : undefined);
      field.maxFiles = integerOrText(p.maxFiles) ?? (changedType ? defaults.maxFiles : undefined);
      if (field.maxSizeKb === undefined) delete field.maxSizeKb;
      if (field.maxFiles === undefined) delete field.maxFiles;
      break;
    }
    case 'group': {
      if (nested) break;
      const fields = list(p.fields).map((f) => readField(f, ctx, true));
      field.fields = fields.length === 0 && changedType ? defaults.fields : fields;
      put(field, 'minItems', integerOrText(p.minItems));
      put(field, 'maxItems', integerOrText(p.maxItems) ?? (changedType ? defaults.maxItems : undefined));
      put(field, 'itemLabel', optionalLocalText(p.itemLabel));
      break;
    }
  }
  return field;
}

/** Every field of a form, sub-fields of groups after their group, in document order. */
export function allFields(form: unknown): Doc[] {
  return array(record(form).sections).flatMap((s) =>
    array(record(s).fields).flatMap((f) => [record(f), ...array(record(f).fields).map(record)]),
  );
}

function renameInRule(rule: unknown, renamed: ReadonlyMap<string, string>): void {
  if (Array.isArray(rule)) {
    for (const r of rule) renameInRule(r, renamed);
    return;
  }
  const r = record(rule);
  if (typeof r.field === 'string') r.field = renamed.get(r.field) ?? r.field;
  for (const k of ['all', 'any', 'not']) if (k in r) renameInRule(r[k], renamed);
}

function readForm(doc: Doc, f: Record<string, Posted | undefined>): void {
  const ctx: FieldContext = { renamed: new Map(), pending: [] };
  const sections = list(f.sections).map((value) => {
    const s = obj(value);
    const section: Doc = { key: trimmed(s.key), title: localText(s.title) };
    if (checked(s.describesSubject)) section.describesSubject = true;
    section.fields = list(s.fields).map((x) => readField(x, ctx, false));
    return section;
  });
  const form: Doc = { sections };
  const fields = allFields(form);
  const taken = new Set(fields.map((x) => String(x.key)).filter((k) => k !== ''));
  for (const x of fields) {
    const label = record(x.label);
    if (x.key === '' && typeof label.id === 'string' && label.id !== '')
      x.key = uniqueKey(suggestKey(label.id, 'isian'), taken);
  }
  const sectionKeys = new Set(sections.map((s) => String(s.key)).filter((k) => k !== ''));
  for (const s of sections) {
    const title = record(s.title);
    if (s.key === '' && typeof title.id === 'string' && title.id !== '')
      s.key = uniqueKey(suggestKey(title.id, 'bagian'), sectionKeys);
  }
  const types = new Map(fields.map((x) => [String(x.key), String(x.type)]));
  for (const { field, posted } of ctx.pending) {
    put(field, 'visibleWhen', readRule(posted.visibleWhen, types));
    put(field, 'requiredWhen', readRule(posted.requiredWhen, types));
  }
  if (ctx.renamed.size > 0) {
    for (const x of fields) {
      renameInRule(x.visibleWhen, ctx.renamed);
      renameInRule(x.requiredWhen, ctx.renamed);
    }
    const output = record(doc.output);
    if (Array.isArray(output.printedFields))
      output.printedFields = output.printedFields.map((k) =>
        typeof k === 'string' ? (ctx.renamed.get(k) ?? k) : k,
      );
  }
  doc.form = form;
}

// ---------------------------------------------------------------------------------------------
// Workflow

function readWorkflow(w: Record<string, Posted | undefined>): Doc {
  const renamed = new Map<string, string>();
  const states = list(w.states).map((value) => {
    const p = obj(value);
    const state: Doc = { key: trimmed(p.key), label: localText(p.label) };
    const was = trimmed(p.keyWas);
    state.applicantCanEdit = checked(p.applicantCanEdit);
    state.slaRuns = checked(p.slaRuns);
    put(state, 'slaDays', integerOrText(p.slaDays));
    put(state, 'terminal', trimmed(p.terminal) || undefined);
    return { state, was };
  });
  const stateKeys = new Set(states.map((s) => String(s.state.key)).filter((k) => k !== ''));
  for (const { state, was } of states) {
    const label = record(state.label);
    if (state.key === '' && typeof label.id === 'string' && label.id !== '')
      state.key = uniqueKey(suggestKey(label.id, 'tahap'), stateKeys);
    if (was !== '' && state.key !== '' && was !== state.key) renamed.set(was, String(state.key));
  }
  const rename = (key: string) => renamed.get(key) ?? key;
  const actions = list(w.actions).map((value) => {
    const p = obj(value);
    const from = strings(p.from)
      .map((k) => rename(k.trim()))
      .filter((k) => k !== '');
    const action: Doc = {
      key: trimmed(p.key),
      label: localText(p.label),
      from: from.length === 1 ? from[0] : from,
      to: rename(trimmed(p.to)),
      roles: strings(p.roles).map((r) => r.trim()),
    };
    if (checked(p.requiresComment)) action.requiresComment = true;
    if (checked(p.requiresDocument)) action.requiresDocument = true;
    put(action, 'kind', trimmed(p.kind) || undefined);
    return action;
  });
  const actionKeys = new Set(actions.map((a) => String(a.key)).filter((k) => k !== ''));
  for (const action of actions) {
    const label = record(action.label);
    if (action.key === '' && typeof label.id === 'string' && label.id !== '')
      action.key = uniqueKey(suggestKey(label.id, 'tindakan'), actionKeys);
  }
  return { startState: rename(trimmed(w.startState)), states: states.map((s) => s.state), actions };
}

// ---------------------------------------------------------------------------------------------
// Output document and data rules

function readOutput(doc: Doc, posted: PostedObject): void {
  const o = obj(posted.output);
  doc.output = {
    documentName: localText(o.documentName),
    printedFields: strings(o.printedFields).map((k) => k.trim()),
  };
  const d = obj(posted.dataRules);
  const retention: Doc = {};
  put(retention, 'years', integerOrText(obj(d.retention).years));
  retention.basis = trimmed(obj(d.retention).basis);
  doc.dataRules = {
    specificFieldRoles: strings(d.specificFieldRoles).map((r) => r.trim()),
    retention,
    identityAssurance: trimmed(d.identityAssurance),
  };
  const subjects = new Set(strings(posted.subjectSections).map((s) => s.trim()));
  array(record(doc.form).sections).forEach((section, i) => {
    const s = record(section);
    if (subjects.has(String(i))) s.describesSubject = true;
    else delete s.describesSubject;
  });
}
