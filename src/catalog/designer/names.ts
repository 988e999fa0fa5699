/**
 * The designer's forms name every input by its path in the definition (`form.sections[0].label.id`),
 * so a problem's path is also the name of the input it points at. `parseNamedInputs` turns such a
 * flat body back into nested objects and arrays; values stay strings (or lists of strings when a name
 * repeats, as checkbox groups do) — the part readers decide what each one means.
 */

export type Posted = string | string[] | PostedObject | Posted[];
export interface PostedObject {
  [name: string]: Posted | undefined;
}

/** Indexes above this are refused: no list in a definition is nearly as long. */
const MAX_INDEX = 999;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const SEGMENT = /([A-Za-z][A-Za-z0-9_]*)|\[(\d{1,3})\]/y;

/** The segments of a path, or undefined when the name is not a path (e.g. `_csrf`, `_do`). */
export function pathSegments(name: string): Array<string | number> | undefined {
  const segments: Array<string | number> = [];
  let at = 0;
  while (at < name.length) {
    if (segments.length > 0 && name[at] === '.') at++;
    SEGMENT.lastIndex = at;
    const match = SEGMENT.exec(name);
    if (!match) return undefined;
    if (match[1] !== undefined) {
      if (FORBIDDEN.has(match[1])) return undefined;
      segments.push(match[1]);
    } else {
      const index = Number(match[2]);
      if (index > MAX_INDEX) return undefined;
      segments.push(index);
    }
    at = SEGMENT.lastIndex;
  }
  return segments.length > 0 && typeof segments[0] === 'string' ? segments : undefined;
}

type Node = Record<string, unknown> | unknown[];

function slot(parent: Node, key: string | number, next: string | number | undefined): unknown {
  const container = parent as Record<string | number, unknown>;
  if (next === undefined) return undefined;
  const existing = container[key];
  const wantArray = typeof next === 'number';
  if (wantArray ? Array.isArray(existing) : isPlainObject(existing)) return existing;
  const created: Node = wantArray ? [] : {};
  container[key] = created;
  return created;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes the holes a sparse index list leaves (`[0]` and `[2]` posted, `[1]` removed). */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = compact(v);
    return out;
  }
  return value;
}

/**
 * Nested objects from a flat form body. Names that are not paths are skipped (the caller reads
 * `_csrf`, `_do` and the other control inputs itself); a name given twice keeps every value.
 */
export function parseNamedInputs(body: unknown): PostedObject {
  const root: Record<string, unknown> = {};
  if (!isPlainObject(body) && !(typeof body === 'object' && body !== null)) return root as PostedObject;
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (name.startsWith('_')) continue;
    const segments = pathSegments(name);
    if (!segments) continue;
    const value = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw : undefined;
    if (value === undefined) continue;
    let node: Node = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const key = segments[i] as string | number;
      const next = slot(node, key, segments[i + 1]);
      node = next as Node;
    }
    const last = segments[segments.length - 1] as string | number;
    const container = node as Record<string | number, unknown>;
    // A leaf and a branch at the same name cannot both be meant; the branch (more specific) wins.
    if (typeof container[last] === 'object' && container[last] !== null && !Array.isArray(value)) continue;
    container[last] = value;
  }
  return compact(root) as PostedObject;
}

/** The element id of the input (or block) at a definition path: `form.sections[0]` → `p-form-sections-0`. */
export function idOf(path: string): string {
  return `p-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;
}
