/**
 * What changed between two versions of a service definition, for the review of a new version and
 * for its entry in the change log.
 *
 * Lists of things with a machine name (sections, fields, states, actions: `key`; choice options:
 * `value`) are matched by that name, so inserting a field is one addition rather than a change of
 * every later field, and moving items is one change of the list, `{ order: [...] }` before and
 * after. Other lists are compared by position. Paths point into `after`, except for removals, which
 * point into `before`.
 */
import type { Language } from '../identity/identifiers/result.ts';
import { childPath, quote } from './problems.ts';
import { isRecord } from './reader.ts';

export interface Change {
  /** `form.sections[1].fields[3].label.id`; '' is the whole definition. */
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * Properties that identify an item of a list, tried in this order. `value` names a choice option only
 * beside a `label`: a rule condition has a `value` too, but it is what is compared, not a name.
 */
const IDENTITIES = [
  { name: 'key', alongside: undefined },
  { name: 'value', alongside: 'label' },
] as const;

type Identity = (typeof IDENTITIES)[number];

/**
 * Properties whose change turns an object into a different thing (a text field into a choice, a free
 * fee into a paid one, an act into a regulation of another type): reported as one replacement, since
 * its other properties no longer compare.
 */
const DISCRIMINATORS = ['type', 'kind'] as const;

export function diffDefinitions(before: unknown, after: unknown): Change[] {
  const changes: Change[] = [];
  compare(before, after, '', changes);
  return changes;
}

function compare(before: unknown, after: unknown, path: string, changes: Change[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    compareArrays(before, after, path, changes);
  } else if (isRecord(before) && isRecord(after) && !isReplaced(before, after)) {
    compareRecords(before, after, path, changes);
  } else if (!Object.is(before, after)) {
    changes.push({ path, kind: 'changed', before, after });
  }
}

function isReplaced(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return DISCRIMINATORS.some((name) => {
    const was = before[name];
    const is = after[name];
    return typeof was === 'string' && typeof is === 'string' && was !== is;
  });
}

function compareRecords(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  path: string,
  changes: Change[],
): void {
  const names = [
    ...Object.keys(before),
    ...Object.keys(after).filter((name) => !Object.hasOwn(before, name)),
  ];
  for (const name of names) {
    // A property set to undefined is absent: JSON and YAML cannot tell them apart either.
    const was = Object.hasOwn(before, name) ? before[name] : undefined;
    const is = Object.hasOwn(after, name) ? after[name] : undefined;
    const at = childPath(path, name);
    if (was === undefined && is !== undefined) changes.push({ path: at, kind: 'added', after: is });
    else if (was !== undefined && is === undefined) changes.push({ path: at, kind: 'removed', before: was });
    else if (was !== undefined) compare(was, is, at, changes);
  }
}

function compareArrays(before: unknown[], after: unknown[], path: string, changes: Change[]): void {
  const identity = IDENTITIES.find((id) => identitiesOf(before, id) && identitiesOf(after, id));
  if (identity === undefined) {
    compareByIndex(before, after, path, changes);
  } else {
    compareByIdentity(before, after, identity, path, changes);
  }
}

function compareByIndex(before: unknown[], after: unknown[], path: string, changes: Change[]): void {
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const at = childPath(path, i);
    if (i >= before.length) changes.push({ path: at, kind: 'added', after: after[i] });
    else if (i >= after.length) changes.push({ path: at, kind: 'removed', before: before[i] });
    else compare(before[i], after[i], at, changes);
  }
}

/** The identity of an item, if it has one of the kind `by`. */
function identityOf(item: unknown, by: Identity): string | undefined {
  if (!isRecord(item) || (by.alongside !== undefined && !Object.hasOwn(item, by.alongside))) return undefined;
  const identity = item[by.name];
  return typeof identity === 'string' ? identity : undefined;
}

/**
 * The identities of the items when every item has a distinct one of the kind `by`, else undefined
 * (then the list is compared by position).
 */
function identitiesOf(items: readonly unknown[], by: Identity): string[] | undefined {
  const identities: string[] = [];
  for (const item of items) {
    const identity = identityOf(item, by);
    if (identity === undefined) return undefined;
    identities.push(identity);
  }
  return new Set(identities).size === identities.length ? identities : undefined;
}

function compareByIdentity(
  before: unknown[],
  after: unknown[],
  by: Identity,
  path: string,
  changes: Change[],
): void {
  const beforeOrder = identitiesOf(before, by) ?? [];
  const afterOrder = identitiesOf(after, by) ?? [];
  const afterIndex = new Map(afterOrder.map((identity, index) => [identity, index]));
  const beforeIndex = new Map(beforeOrder.map((identity, index) => [identity, index]));

  const keptBefore = beforeOrder.filter((identity) => afterIndex.has(identity));
  const keptAfter = afterOrder.filter((identity) => beforeIndex.has(identity));
  if (keptBefore.some((identity, i) => identity !== keptAfter[i])) {
    changes.push({ path, kind: 'changed', before: { order: beforeOrder }, after: { order: afterOrder } });
  }

  beforeOrder.forEach((identity, index) => {
    if (!afterIndex.has(identity)) {
      changes.push({ path: childPath(path, index), kind: 'removed', before: before[index] });
    }
  });
  afterOrder.forEach((identity, index) => {
    const at = childPath(path, index);
    const previous = beforeIndex.get(identity);
    if (previous === undefined) changes.push({ path: at, kind: 'added', after: after[index] });
    else compare(before[previous], after[index], at, changes);
  });
}

// ---------------------------------------------------------------------------------------------
// Human-readable summary

interface Noun {
  readonly one: { readonly id: string; readonly en: string };
  readonly many: { readonly id: string; readonly en: string };
}

/** What an item of each list is called, by the name of the list. */
const NOUNS: Record<string, Noun> = {
  sections: { one: { id: 'Bagian', en: 'Section' }, many: { id: 'bagian', en: 'sections' } },
  fields: { one: { id: 'Isian', en: 'Field' }, many: { id: 'isian', en: 'fields' } },
  options: { one: { id: 'Pilihan', en: 'Option' }, many: { id: 'pilihan', en: 'options' } },
  states: { one: { id: 'Status', en: 'State' }, many: { id: 'status', en: 'states' } },
  actions: { one: { id: 'Aksi', en: 'Action' }, many: { id: 'aksi', en: 'actions' } },
  requirements: {
    one: { id: 'Persyaratan', en: 'Requirement' },
    many: { id: 'persyaratan', en: 'requirements' },
  },
  tags: { one: { id: 'Tag', en: 'Tag' }, many: { id: 'tag', en: 'tags' } },
  fee: { one: { id: 'Biaya', en: 'Fee' }, many: { id: 'biaya', en: 'fees' } },
  legalBasis: {
    one: { id: 'Dasar hukum', en: 'Legal basis' },
    many: { id: 'dasar hukum', en: 'legal bases' },
  },
};

const GENERIC: Noun = { one: { id: 'Nilai', en: 'Value' }, many: { id: 'butir', en: 'items' } };

const VERBS = {
  added: { id: 'ditambahkan', en: 'added' },
  removed: { id: 'dihapus', en: 'removed' },
  changed: { id: 'diubah', en: 'changed' },
} as const;

/** The noun for a path: the list an item path ends in (`fields[3]` → field), or the list itself. */
function nounOf(path: string): Noun {
  const list = /([A-Za-z_$][A-Za-z0-9_$]*)(?:\[\d+\])?$/.exec(path)?.[1];
  return (list !== undefined ? NOUNS[list] : undefined) ?? GENERIC;
}

/** An item's machine name in brackets, so `fields[3]` reads as the field people know. */
function nameOf(value: unknown): string {
  for (const by of IDENTITIES) {
    const identity = identityOf(value, by);
    if (identity !== undefined) return ` (${identity})`;
  }
  return '';
}

function orderOf(value: unknown): string[] | undefined {
  const order = isRecord(value) ? value.order : undefined;
  return Array.isArray(order) && order.every((item) => typeof item === 'string') ? order : undefined;
}

/** A value as people know it: an item by its label or title in `lang`, anything else quoted. */
function preview(value: unknown, lang: Language): string {
  for (const name of ['label', 'title']) {
    const text = isRecord(value) ? value[name] : undefined;
    const local = isRecord(text) ? text[lang] : undefined;
    if (typeof local === 'string') return quote(local);
  }
  return quote(value);
}

/**
 * One short line per change in `lang`, for a review screen or a change log:
 * `Isian ditambahkan: form.sections[0].fields[2] (nama): "Nama"`,
 * `Nilai diubah: name.id: "A" → "B"`.
 */
export function summariseChanges(changes: readonly Change[], lang: Language): string[] {
  return changes.map((change) => {
    const where =
      change.path === '' ? (lang === 'id' ? 'seluruh definisi' : 'whole definition') : change.path;
    const noun = nounOf(change.path);
    const beforeOrder = orderOf(change.before);
    const afterOrder = orderOf(change.after);
    if (change.kind === 'changed' && beforeOrder !== undefined && afterOrder !== undefined) {
      const heading = lang === 'id' ? `Urutan ${noun.many.id} diubah` : `Order of ${noun.many.en} changed`;
      return `${heading}: ${where}: ${beforeOrder.join(', ')} → ${afterOrder.join(', ')}`;
    }
    const verb = VERBS[change.kind][lang];
    const heading = lang === 'id' ? `${noun.one.id} ${verb}` : `${noun.one.en} ${verb}`;
    if (change.kind === 'added') {
      return `${heading}: ${where}${nameOf(change.after)}: ${preview(change.after, lang)}`;
    }
    if (change.kind === 'removed') {
      return `${heading}: ${where}${nameOf(change.before)}: ${preview(change.before, lang)}`;
    }
    return `${heading}: ${where}: ${preview(change.before, lang)} → ${preview(change.after, lang)}`;
  });
}
