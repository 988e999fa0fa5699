/**
 * Careful reading of a definition that has not been validated yet: every accessor accepts any value
 * and returns undefined for the wrong shape, so the semantic checks can run (and report) even when
 * parts of the definition are malformed. Own properties only, so `constructor` or `__proto__` in the
 * input never resolve to something inherited.
 */

export type UnknownRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function prop(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

export function arrayAt(value: unknown, key: string): readonly unknown[] {
  const found = prop(value, key);
  return Array.isArray(found) ? found : [];
}

export function stringAt(value: unknown, key: string): string | undefined {
  const found = prop(value, key);
  return typeof found === 'string' ? found : undefined;
}

export function numberAt(value: unknown, key: string): number | undefined {
  const found = prop(value, key);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

export function booleanAt(value: unknown, key: string): boolean | undefined {
  const found = prop(value, key);
  return typeof found === 'boolean' ? found : undefined;
}

/** A string or every string of an array (`from: a` or `from: [a, b]`), with the index when in an array. */
export function stringOrStrings(value: unknown): Array<{ value: string; index?: number }> {
  if (typeof value === 'string') return [{ value }];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, index) => (typeof item === 'string' ? [{ value: item, index }] : []));
}
