/**
 * The demand estimate the restock planner uses: an hour-of-day profile of a station's use of an
 * item, averaged over the last days of hourly rollups. Deliberately small, and behind one
 * signature (`DemandForecast`) so a better forecast (hour of week, trend, opening hours) can
 * replace it without touching the planner.
 */

/** Expected consumption of `item` at `station` between two instants (epoch ms). */
export type DemandForecast = (station: string, item: string, fromMs: number, toMs: number) => number;

/** Use of one item at one station in one local hour of day, summed over `days` days. */
export interface HourUse {
  station: string;
  item: string;
  /** local hour of day, 0–23 */
  hour: number;
  /** dispensed + inferred out + lent − returned over the window */
  used: number;
}

/** Per station and item, the mean use in each local hour of day. */
export function hourProfiles(rows: readonly HourUse[], days: number): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const r of rows) {
    const k = `${r.station}\u0000${r.item}`;
    let p = out.get(k);
    if (!p) out.set(k, (p = new Float64Array(24)));
    p[r.hour] = p[r.hour]! + Math.max(0, r.used) / Math.max(1, days);
  }
  return out;
}

/**
 * A forecast from hour-of-day profiles. `localHour(ms)` gives the city's local hour of an instant
 * (so the profile follows the city's day, never UTC). Partial hours count pro rata.
 */
export function profileForecast(profiles: Map<string, Float64Array>, localHour: (ms: number) => number): DemandForecast {
  const HOUR = 3600_000;
  return (station, item, fromMs, toMs) => {
    const p = profiles.get(`${station}\u0000${item}`);
    if (!p || toMs <= fromMs) return 0;
    let total = 0;
    for (let t = fromMs; t < toMs; ) {
      const next = Math.min(toMs, (Math.floor(t / HOUR) + 1) * HOUR);
      total += p[localHour(t)]! * ((next - t) / HOUR);
      t = next;
    }
    return total;
  };
}
