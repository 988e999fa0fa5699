/**
 * Small-count suppression, so no person can be singled out from published figures.
 *
 * - Primary: a figure computed from 1–4 records (a count, or a median, percentile, percentage or
 *   index computed from that many records) is published as "< 5". Zero is published as 0.
 * - Complementary: cells that add up to a published total form a group. When exactly one member
 *   of a group is hidden and its total is shown, the next smallest member (by value, never a zero,
 *   which protects nothing) is hidden too, so the hidden value cannot be had by subtraction; when no
 *   such member is left the total is hidden instead. When a total is hidden but every member is
 *   shown, the smallest non-zero member is hidden, so the total cannot be had by addition.
 *   Such a cell (and every figure computed from it) is published as "suppressed", not "< 5": it
 *   holds 5 or more records (fewer would have hidden it already), so "< 5" would be false.
 *
 * The rules are applied to every group until nothing changes, in a fixed order, so the same data
 * always gives the same cells hidden on every page that shows them.
 */

/** Primary suppression: the figure comes from 1–4 records. */
export const SMALL = '< 5';
/** Complementary suppression: hidden only so that a small figure elsewhere cannot be worked out. */
export const WITHHELD = 'suppressed';
export type Suppressed = typeof SMALL | typeof WITHHELD;

/**
 * A published figure: its value, "< 5" (primary), "suppressed" (complementary), or null when
 * there is nothing to compute it from.
 */
export type Published<T = number> = T | Suppressed | null;

/** Whether a figure computed from `records` records is too small to publish. */
export function isSmall(records: number): boolean {
  return records >= 1 && records <= 4;
}

/** Cells whose values add up to (or make up part of) a published total. */
export interface Group {
  total: string;
  /** In a fixed order: ties between equal values go to the earlier member. */
  members: readonly string[];
}

function smallestShown(
  members: readonly string[],
  values: ReadonlyMap<string, number>,
  hidden: ReadonlySet<string>,
  frozen: ReadonlySet<string>,
): string | undefined {
  let best: string | undefined;
  let bestValue = Number.POSITIVE_INFINITY;
  for (const key of members) {
    const value = values.get(key) ?? 0;
    if (hidden.has(key) || frozen.has(key) || value <= 0) continue;
    if (value < bestValue) {
      best = key;
      bestValue = value;
    }
  }
  return best;
}

/** The one cell a group needs hidden next, if any; never a frozen one. */
function nextToHide(
  group: Group,
  values: ReadonlyMap<string, number>,
  hidden: ReadonlySet<string>,
  frozen: ReadonlySet<string>,
): string | undefined {
  const hiddenMembers = group.members.filter((key) => hidden.has(key)).length;
  const totalHidden = hidden.has(group.total);
  let next: string | undefined;
  if (!totalHidden && hiddenMembers === 1)
    next = smallestShown(group.members, values, hidden, frozen) ?? group.total;
  else if (totalHidden && hiddenMembers === 0) next = smallestShown(group.members, values, hidden, frozen);
  return next !== undefined && !frozen.has(next) ? next : undefined;
}

/**
 * The cells to hide: those whose record counts are small, then the complements the
 * groups need. `records` gives each cell's record count (its value, for a count). `settled` cells
 * were decided earlier (with groups of their own) and keep that decision: those hidden stay
 * hidden, the others are never hidden here.
 */
export function suppressCells(
  records: ReadonlyMap<string, number>,
  groups: readonly Group[],
  settled?: { cells: Iterable<string>; hidden: ReadonlySet<string> },
): Set<string> {
  const hidden = new Set<string>(settled?.hidden ?? []);
  const frozen = new Set<string>();
  for (const key of settled?.cells ?? []) if (!hidden.has(key)) frozen.add(key);
  for (const [key, count] of records) if (isSmall(count) && !frozen.has(key)) hidden.add(key);
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      const next = nextToHide(group, records, hidden, frozen);
      if (next !== undefined) {
        hidden.add(next);
        changed = true;
      }
    }
  }
  return hidden;
}

/** A count as published: "< 5" when small, "suppressed" when hidden as a complement. */
export function publishCount(value: number, hidden: boolean): Published {
  if (isSmall(value)) return SMALL;
  return hidden ? WITHHELD : value;
}

/**
 * A figure computed from `records` records (a median, a percentage, an index): null when there are
 * none, "< 5" when they are few, "suppressed" when the count they come from is hidden as a
 * complement (the figure would tell something about that count).
 */
export function publishDerived<T>(value: T | null, records: number, countHidden: boolean): Published<T> {
  if (records === 0 || value === null) return null;
  if (isSmall(records)) return SMALL;
  return countHidden ? WITHHELD : value;
}
