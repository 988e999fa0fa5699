/**
 * Processing times as a histogram: how many applications took each number of working days, and how
 * many of them were decided within the standard. Histograms add up (a quarter is the sum of its
 * months, an agency the sum of its services), so the database groups and the figures come from sums.
 */

export interface Histogram {
  /** Applications by working days taken. */
  days: Map<number, number>;
  count: number;
  onTime: number;
}

export function emptyHistogram(): Histogram {
  return { days: new Map(), count: 0, onTime: 0 };
}

export function addTo(target: Histogram, days: number, count: number, onTime: number): void {
  target.days.set(days, (target.days.get(days) ?? 0) + count);
  target.count += count;
  target.onTime += onTime;
}

export function mergeInto(target: Histogram, source: Histogram): void {
  for (const [days, count] of source.days) target.days.set(days, (target.days.get(days) ?? 0) + count);
  target.count += source.count;
  target.onTime += source.onTime;
}

/** The value at 1-based rank `rank` of the sorted values the histogram holds. */
function valueAtRank(sorted: readonly [number, number][], rank: number): number {
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted.at(-1)?.[0] ?? 0;
}

function sortedDays(histogram: Histogram): [number, number][] {
  return [...histogram.days].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
}

/** The median: the middle value, or the mean of the two middle values; null when empty. */
export function median(histogram: Histogram): number | null {
  const n = histogram.count;
  if (n === 0) return null;
  const sorted = sortedDays(histogram);
  const lower = valueAtRank(sorted, Math.floor((n + 1) / 2));
  const upper = valueAtRank(sorted, Math.floor(n / 2) + 1);
  return (lower + upper) / 2;
}

/**
 * The p-th percentile by the nearest-rank method: the smallest value that at least p % of the
 * applications do not exceed (rank ⌈p/100 · n⌉); null when empty.
 */
export function percentile(histogram: Histogram, p: number): number | null {
  const n = histogram.count;
  if (n === 0) return null;
  return valueAtRank(sortedDays(histogram), Math.max(1, Math.ceil((p / 100) * n)));
}

/** The share decided within the standard's completion time, in percent to one decimal. */
export function onTimePercent(histogram: Histogram): number | null {
  if (histogram.count === 0) return null;
  return Math.round((histogram.onTime / histogram.count) * 1000) / 10;
}
