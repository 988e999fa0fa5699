/**
 * Problems found in a service definition, each with a path into the definition
 * (`form.sections[1].fields[3].type`), a stable code and a message in Indonesian and English.
 */
import type { Message } from '../identity/identifiers/result.ts';
import { DEFINITION_KEYS } from './schemas.ts';

export type { Message };

export interface Problem {
  /** Where in the definition: `standard.fee.kind`, `workflow.actions[2].roles[0]`; '' is the whole file. */
  readonly path: string;
  readonly code: string;
  readonly message: Message;
}

export function problem(path: string, code: string, message: Message): Problem {
  return { path, code, message };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a property name or an array index to a path. */
export function childPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (!IDENTIFIER.test(segment)) return `${base}[${JSON.stringify(segment)}]`;
  return base === '' ? segment : `${base}.${segment}`;
}

/** Converts a JSON Pointer (`/form/sections/1`) to a path (`form.sections[1]`). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<string>((path, s) => childPath(path, /^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s), '');
}

/** Splits a path into comparable parts: names as strings, indexes as numbers. */
function pathParts(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const match of path.matchAll(/([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (match[1] !== undefined) parts.push(match[1]);
    else if (match[2] !== undefined) parts.push(Number(match[2]));
    else parts.push(match[3] ?? '');
  }
  return parts;
}

function comparePart(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function topLevelRank(part: string | number | undefined): number {
  const index = typeof part === 'string' ? DEFINITION_KEYS.indexOf(part) : -1;
  return index === -1 ? DEFINITION_KEYS.length : index;
}

/** Orders problems as the definition reads: top-level keys in schema order, then indexes numerically. */
export function compareProblems(a: Problem, b: Problem): number {
  const pa = pathParts(a.path);
  const pb = pathParts(b.path);
  const byTop = topLevelRank(pa[0]) - topLevelRank(pb[0]);
  if (byTop !== 0) return byTop;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const byPart = comparePart(pa[i], pb[i]);
    if (byPart !== 0) return byPart;
  }
  return 0;
}

/** Removes repeated problems (same path, code and message), keeping the first; sorts in document order. */
export function tidyProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const id = `${p.path}\u0000${p.code}\u0000${p.message.en}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique.sort(compareProblems);
}

/** A value quoted for a message, shortened so a huge value cannot flood the output. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(typeof value);
  }
  return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

/**
 * One problem for every item whose key was already used by an earlier item, naming where.
 * `items` are in document order; items without a string key are skipped.
 */
export function duplicateKeyProblems(
  items: ReadonlyArray<{ readonly key: string | undefined; readonly path: string }>,
  code: string,
  noun: Message,
): Problem[] {
  const first = new Map<string, string>();
  const problems: Problem[] = [];
  for (const item of items) {
    if (item.key === undefined) continue;
    const earlier = first.get(item.key);
    if (earlier === undefined) {
      first.set(item.key, item.path);
      continue;
    }
    problems.push(
      problem(childPath(item.path, 'key'), code, {
        id: `Kunci ${noun.id} "${item.key}" sudah dipakai di ${earlier}.`,
        en: `The ${noun.en} key "${item.key}" is already used at ${earlier}.`,
      }),
    );
  }
  return problems;
}
