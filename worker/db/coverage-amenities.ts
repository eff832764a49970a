import { stationOpen } from '../domain/opening-hours.ts';
import type { AmenityPoint } from '../domain/coverage/compute.ts';

/**
 * Live coverage counts a bench only above this state of charge (%). 20 % is where the health
 * grading turns a bench orange (battery_very_low): below it, a bench with a cloudy day ahead
 * stops serving, so it is not counted as reachable service.
 */
export const LIVE_BENCH_MIN_SOC = 20;

export interface AmenityFilter {
  kind: 'station' | 'bench' | 'all';
  item: string | null;
  live: boolean;
}

export interface Amenity extends AmenityPoint {
  district: string | null;
}

interface StationRow {
  id: string;
  lat: number;
  lon: number;
  district: string;
  opening_hours: string;
  open: number | null;
  open_at: number | null;
  on_hand: number | null;
  carries: number;
}

interface BenchRow {
  id: string;
  lat: number | null;
  lon: number | null;
  district: string | null;
  battery_soc: number | null;
  ports: number | null;
  ports_in_use: number | null;
}

/**
 * The amenities a coverage figure counts. Stations: all, or (with `item`) those that carry it;
 * live: open now (a recent report, else the opening hours) and, with `item`, holding it
 * (on_hand > 0). Benches: enabled bench devices at their own point or their park's, whatever
 * `item` says (CONTRACT: live counts stations holding the item "or, for benches, charge and a free
 * port"); live: charge above LIVE_BENCH_MIN_SOC and a free port (ports_in_use < ports; unknown
 * ports count as free).
 */
export async function loadAmenities(db: D1Database, f: AmenityFilter, now: number, tz: string): Promise<Amenity[]> {
  const out: Amenity[] = [];
  if (f.kind !== 'bench') {
    const { results } = await db
      .prepare(
        `SELECT s.id, s.lat, s.lon, s.district, s.opening_hours, s.open, s.open_at, si.on_hand, (si.item IS NOT NULL) AS carries
         FROM stations s LEFT JOIN station_items si ON si.station_id = s.id AND si.item = ?1
         ORDER BY s.id`,
      )
      .bind(f.item ?? '')
      .all<StationRow>();
    for (const s of results) {
      if (f.item && !s.carries) continue;
      if (f.live && !stationOpen(s, now, tz)) continue;
      if (f.live && f.item && !((s.on_hand ?? 0) > 0)) continue;
      out.push({ id: s.id, kind: 'station', lon: s.lon, lat: s.lat, district: s.district });
    }
  }
  if (f.kind !== 'station') {
    const { results } = await db
      .prepare(
        `SELECT d.id, COALESCE(d.lat, p.lat) AS lat, COALESCE(d.lon, p.lon) AS lon, p.district, d.battery_soc, d.ports, d.ports_in_use
         FROM devices d LEFT JOIN parks p ON p.id = d.site
         WHERE d.kind = 'bench' AND d.disabled = 0
         ORDER BY d.id`,
      )
      .all<BenchRow>();
    for (const b of results) {
      if (b.lat === null || b.lon === null) continue;
      if (f.live) {
        if (b.battery_soc === null || !(b.battery_soc > LIVE_BENCH_MIN_SOC)) continue;
        if (b.ports !== null && (b.ports_in_use ?? 0) >= b.ports) continue;
      }
      out.push({ id: b.id, kind: 'bench', lon: b.lon, lat: b.lat, district: b.district });
    }
  }
  return out;
}

/** FNV-1a over the amenity list: part of the cache key, so any change recomputes. */
export function amenitiesHash(list: AmenityPoint[]): string {
  let h = 0x811c9dc5;
  const s = list.map((a) => `${a.kind}:${a.id}:${a.lon}:${a.lat}`).join('|');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0') + ':' + list.length;
}
