/** Interval arithmetic over epoch-ms instants, for hours in a state (stock-out, offline). Pure. */

export type Interval = readonly [start: number, end: number];

/** Merge overlapping or touching intervals, sorted. */
export function union(intervals: readonly Interval[]): Interval[] {
  const s = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Total length of the union of `intervals` inside [from, to), in ms. */
export function coveredMs(intervals: readonly Interval[], from: number, to: number): number {
  let total = 0;
  for (const [a, b] of union(intervals)) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return total;
}

const HOUR = 3_600_000;

/**
 * The part of `intervals` (merged first) inside the hours that `isOpen` accepts (hour starts on the
 * epoch's hour grid), in ms. Walks only the hours the intervals touch, so a station without alerts
 * costs nothing: the same total as summing `coveredMs` over every open hour of a month.
 */
export function openOverlapMs(intervals: readonly Interval[], isOpen: (hourStart: number) => boolean): number {
  let total = 0;
  for (const [a, b] of union(intervals)) {
    for (let h = Math.floor(a / HOUR) * HOUR; h < b; h += HOUR) if (isOpen(h)) total += Math.min(b, h + HOUR) - Math.max(a, h);
  }
  return total;
}
