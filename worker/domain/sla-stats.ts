/**
 * 双十 figures over many work orders, grouped by team, unit or district: median and 90th
 * percentile of each interval and the share that met the standard. Pure; the ranking (monthly
 * red and black flags) reads these.
 */

export interface SlaSample {
  /** The group this order counts for (team, unit or district id); null: left out. */
  key: string | null;
  dispatch_to_arrival_s: number | null;
  arrival_to_handled_s: number | null;
  to_close_s: number | null;
  met: boolean | null;
  overdue: boolean;
}

export interface Spread {
  n: number;
  median: number | null;
  p90: number | null;
}

export interface SlaGroup {
  key: string;
  orders: number;
  dispatch_to_arrival: Spread;
  arrival_to_handled: Spread;
  to_close: Spread;
  /** Orders whose 双十 outcome is known (met true or false). */
  judged: number;
  met: number;
  /** met / judged; null when none is judged yet. */
  met_share: number | null;
  overdue: number;
}

/**
 * Quantile by linear interpolation between closest ranks (Hyndman & Fan type 7, the default of R,
 * numpy and spreadsheets), so figures agree with what an analyst recomputes from an export.
 */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function spread(values: readonly (number | null)[]): Spread {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return { n: xs.length, median: quantile(xs, 0.5), p90: quantile(xs, 0.9) };
}

export function summarise(key: string, samples: readonly SlaSample[]): SlaGroup {
  const judged = samples.filter((s) => s.met !== null).length;
  const met = samples.filter((s) => s.met === true).length;
  return {
    key,
    orders: samples.length,
    dispatch_to_arrival: spread(samples.map((s) => s.dispatch_to_arrival_s)),
    arrival_to_handled: spread(samples.map((s) => s.arrival_to_handled_s)),
    to_close: spread(samples.map((s) => s.to_close_s)),
    judged,
    met,
    met_share: judged ? met / judged : null,
    overdue: samples.filter((s) => s.overdue).length,
  };
}

/** One group per key (sorted by key), and the total over every sample (keyed or not). */
export function slaStats(samples: readonly SlaSample[]): { rows: SlaGroup[]; total: SlaGroup } {
  const groups = new Map<string, SlaSample[]>();
  for (const s of samples) {
    if (s.key === null) continue;
    let g = groups.get(s.key);
    if (!g) groups.set(s.key, (g = []));
    g.push(s);
  }
  const rows = [...groups.keys()].sort().map((k) => summarise(k, groups.get(k)!));
  return { rows, total: summarise('total', samples) };
}
