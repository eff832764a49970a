import { stationOpen } from '../opening-hours.ts';

/**
 * The rules of "serves now" for the public nearby answer, over plain rows. A site's data is stale
 * when no message has come for longer than its kind's offline threshold: it is then left out,
 * never offered as open with old stock. A site that never reported has no data at all and is
 * left out the same way.
 */
export interface StationLive {
  id: string;
  name: string;
  opening_hours: string;
  open: number | null;
  open_at: number | null;
  /** latest contact of any of the station's devices (ms), null when none ever reported */
  last_seen: number | null;
  /** items on hand (> 0 only) */
  stock: Record<string, number>;
}

export interface BenchLive {
  id: string;
  name: string;
  battery_soc: number | null;
  ports: number | null;
  ports_in_use: number | null;
  last_seen: number | null;
}

/** Offline thresholds per kind, minutes (OFFLINE_AFTER_MIN_STATION / OFFLINE_AFTER_MIN_BENCH). */
export interface OfflineAfter {
  station: number;
  bench: number;
}

/** Charge a bench needs to be offered for charging, the same 20 % live coverage uses. */
export const CHARGING_MIN_SOC = 20;

export function isStale(lastSeen: number | null, thresholdMin: number, now: number): boolean {
  return lastSeen === null || now - lastSeen > thresholdMin * 60_000;
}

export function stationServesNow(s: StationLive, item: string | null, now: number, tz: string, offlineMin: number): boolean {
  if (isStale(s.last_seen, offlineMin, now)) return false;
  if (!stationOpen(s, now, tz)) return false;
  return item === null || (s.stock[item] ?? 0) > 0;
}

/** Free ports: unknown counts (no port count or no use reported yet) count as one free port. */
export function freePorts(b: Pick<BenchLive, 'ports' | 'ports_in_use'>): number | null {
  if (b.ports === null || b.ports_in_use === null) return null;
  return Math.max(0, b.ports - b.ports_in_use);
}

export function benchServesNow(b: BenchLive, now: number, offlineMin: number): boolean {
  if (isStale(b.last_seen, offlineMin, now)) return false;
  if (b.battery_soc === null || !(b.battery_soc > CHARGING_MIN_SOC)) return false;
  const free = freePorts(b);
  return free === null || free > 0;
}
