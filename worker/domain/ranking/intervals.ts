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
