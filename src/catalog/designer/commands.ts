/**
 * The buttons of the designer's forms besides "save": add, move and remove sections, fields,
 * options, conditions, requirements, regulations, states and actions. A command arrives as the
 * value of the `_do` button (`addField:0:text`, `moveField:0.2:up`, `removeState:3`), runs on the
 * draft after the posted inputs were read into it, and names the item to scroll to afterwards.
 */
import { FIELD_TYPES } from '../schemas.ts';
import { blankField, type Doc } from './mapping.ts';
import { ruleOf, ruleShape } from './rule-shape.ts';

export interface CommandResult {
  doc: Doc;
  /** The path of the item to show after the redirect (its block's id is the anchor). */
  focus?: string;
}

/** Values chosen next to a command's button, e.g. the type of a new field. */
export type CommandInputs = Readonly<Record<string, string>>;

function record(value: unknown): Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Doc) : {};
}

/** The array at `key` of `parent`, created when missing. */
function arrayIn(parent: Doc, key: string): unknown[] {
  const found = parent[key];
  if (Array.isArray(found)) return found;
  const created: unknown[] = [];
  parent[key] = created;
  return created;
}

function index(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,3}$/.test(text) ? Number(text) : undefined;
}

/** Moves item `i` one place up or down; returns its new index (unchanged at either end). */
function move(items: unknown[], i: number, direction: string | undefined): number {
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || i >= items.length || j < 0 || j >= items.length) return i;
  const [item] = items.splice(i, 1);
  items.splice(j, 0, item);
  return j;
}

function remove(items: unknown[], i: number): boolean {
  if (i < 0 || i >= items.length) return false;
  items.splice(i, 1);
  return true;
}

/** A field address `s.f` (a field of section s) or `s.f.g` (sub-field g of group f). */
interface FieldAddress {
  /** The list holding the field, and the path of that list. */
  list: unknown[];
  listPath: string;
  at: number;
}

function sectionsOf(doc: Doc): unknown[] {
  if (doc.form === undefined) doc.form = { sections: [] };
  return arrayIn(record(doc.form), 'sections');
}

/** The fields list addressed by `s` (a section's) or `s.f` (a group's sub-fields). */
function fieldList(doc: Doc, address: string): { list: unknown[]; path: string } | undefined {
  const parts = address.split('.').map(index);
  const [s, f] = parts;
  if (s === undefined || parts.length > 2 || parts.some((p) => p === undefined)) return undefined;
  const section = sectionsOf(doc)[s];
  if (section === undefined) return undefined;
  const sectionFields = arrayIn(record(section), 'fields');
  if (parts.length === 1) return { list: sectionFields, path: `form.sections[${s}].fields` };
  const group = sectionFields[f as number];
  if (group === undefined || record(group).type !== 'group') return undefined;
  return { list: arrayIn(record(group), 'fields'), path: `form.sections[${s}].fields[${f}].fields` };
}

function fieldAt(doc: Doc, address: string): FieldAddress | undefined {
  const cut = address.lastIndexOf('.');
  if (cut < 0) return undefined;
  const container = fieldList(doc, address.slice(0, cut));
  const at = index(address.slice(cut + 1));
  if (!container || at === undefined || at >= container.list.length) return undefined;
  return { list: container.list, listPath: container.path, at };
}

function newFieldType(args: string[], inputs: CommandInputs, address: string, nested: boolean): string {
  const chosen = args[0] ?? inputs[`_newType.${address}`] ?? 'text';
  const allowed = (FIELD_TYPES as readonly string[]).filter((t) => !nested || t !== 'group');
  return allowed.includes(chosen) ? chosen : 'text';
}

function blankText(): Doc {
  return { id: '', en: '' };
}

function ruleCommand(doc: Doc, address: string, which: string | undefined, at: number | undefined) {
  const field = fieldAt(doc, address);
  if (!field || (which !== 'visibleWhen' && which !== 'requiredWhen') || at === undefined) return undefined;
  const target = record(field.list[field.at]);
  const shape = ruleShape(target[which]);
  if (!shape) {
    // A rule the designer cannot edit is removed whole, so it can be rebuilt with the selects.
    delete target[which];
  } else {
    shape.conditions.splice(at, 1);
    const rule = ruleOf(shape);
    if (rule === undefined) delete target[which];
    else target[which] = rule;
  }
  return `${field.listPath}[${field.at}].${which}`;
}

/** Runs the command named by the `_do` button on the draft; unknown commands change nothing. */
export function applyCommand(input: Doc, command: string, inputs: CommandInputs = {}): CommandResult {
  const doc = input;
  const [name, ...args] = command.split(':');
  const [a, b, c] = args;
  const n = index(a);
  const standard = () => {
    if (doc.standard === undefined) doc.standard = {};
    return record(doc.standard);
  };
  const workflow = () => {
    if (doc.workflow === undefined) doc.workflow = { startState: '', states: [], actions: [] };
    return record(doc.workflow);
  };
  switch (name) {
    case 'addSection': {
      const sections = sectionsOf(doc);
      sections.push({ key: '', title: blankText(), fields: [blankField('text')] });
      return { doc, focus: `form.sections[${sections.length - 1}]` };
    }
    case 'removeSection':
      if (n !== undefined && remove(sectionsOf(doc), n)) return { doc, focus: 'form' };
      return { doc };
    case 'moveSection':
      if (n === undefined) return { doc };
      return { doc, focus: `form.sections[${move(sectionsOf(doc), n, b)}]` };
    case 'addField': {
      if (a === undefined) return { doc };
      const container = fieldList(doc, a);
      if (!container) return { doc };
      container.list.push(blankField(newFieldType(args.slice(1), inputs, a, a.includes('.'))));
      return { doc, focus: `${container.path}[${container.list.length - 1}]` };
    }
    case 'removeField': {
      const field = a === undefined ? undefined : fieldAt(doc, a);
      if (!field) return { doc };
      remove(field.list, field.at);
      return { doc, focus: field.listPath.replace(/\.fields$/, '') };
    }
    case 'moveField': {
      const field = a === undefined ? undefined : fieldAt(doc, a);
      if (!field) return { doc };
      return { doc, focus: `${field.listPath}[${move(field.list, field.at, b)}]` };
    }
    case 'addOption': {
      const field = a === undefined ? undefined : fieldAt(doc, a);
      if (!field) return { doc };
      const options = arrayIn(record(field.list[field.at]), 'options');
      options.push({ value: '', label: blankText() });
      return { doc, focus: `${field.listPath}[${field.at}].options[${options.length - 1}]` };
    }
    case 'removeOption': {
      const field = a === undefined ? undefined : fieldAt(doc, a);
      const o = index(b);
      if (!field || o === undefined) return { doc };
      remove(arrayIn(record(field.list[field.at]), 'options'), o);
      return { doc, focus: `${field.listPath}[${field.at}].options` };
    }
    case 'removeCondition': {
      const focus = a === undefined ? undefined : ruleCommand(doc, a, b, index(c));
      return focus === undefined ? { doc } : { doc, focus };
    }
    case 'addRegulation': {
      const list = arrayIn(standard(), 'legalBasis');
      list.push({ type: '', number: '', title: blankText() });
      return { doc, focus: `standard.legalBasis[${list.length - 1}]` };
    }
    case 'removeRegulation': {
      const list = arrayIn(standard(), 'legalBasis');
      if (n !== undefined) remove(list, n);
      if (list.length === 0) delete standard().legalBasis;
      return { doc, focus: 'standard.legalBasis' };
    }
    case 'addRequirement': {
      const list = arrayIn(standard(), 'requirements');
      list.push(blankText());
      return { doc, focus: `standard.requirements[${list.length - 1}]` };
    }
    case 'removeRequirement':
      if (n !== undefined) remove(arrayIn(standard(), 'requirements'), n);
      return { doc, focus: 'standard.requirements' };
    case 'moveRequirement':
      if (n === undefined) return { doc };
      return { doc, focus: `standard.requirements[${move(arrayIn(standard(), 'requirements'), n, b)}]` };
    case 'addState': {
      const states = arrayIn(workflow(), 'states');
      states.push({ key: '', label: blankText(), applicantCanEdit: false, slaRuns: true });
      return { doc, focus: `workflow.states[${states.length - 1}]` };
    }
    case 'removeState':
      if (n !== undefined) remove(arrayIn(workflow(), 'states'), n);
      return { doc, focus: 'workflow.states' };
    case 'moveState':
      if (n === undefined) return { doc };
      return { doc, focus: `workflow.states[${move(arrayIn(workflow(), 'states'), n, b)}]` };
    case 'addAction': {
      const actions = arrayIn(workflow(), 'actions');
      actions.push({ key: '', label: blankText(), from: [], to: '', roles: [] });
      return { doc, focus: `workflow.actions[${actions.length - 1}]` };
    }
    case 'removeAction':
      if (n !== undefined) remove(arrayIn(workflow(), 'actions'), n);
      return { doc, focus: 'workflow.actions' };
    case 'moveAction':
      if (n === undefined) return { doc };
      return { doc, focus: `workflow.actions[${move(arrayIn(workflow(), 'actions'), n, b)}]` };
    default:
      return { doc };
  }
}
