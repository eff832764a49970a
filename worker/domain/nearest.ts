import { DETOUR_FACTOR, geodesicLength } from './coverage/geo.ts';

/**
 * Nearest open, stocked stations (or charged benches with a free port) for a worker's phone.
 * Distance is the straight line (geodesic on WGS-84); walking time multiplies it by a detour
 * factor, since streets are rarely straight. The walking network (coverage) is for planners; a
 * phone needs an answer at once.
 */
export { DETOUR_FACTOR };

/** Geodesic (WGS-84) distance in metres, latitude first as the API's points are written. */
export const straightLineMetres = (lat1: number, lon1: number, lat2: number, lon2: number): number =>
  geodesicLength(lon1, lat1, lon2, lat2);

export interface Located {
  id: string;
  lat: number;
  lon: number;
}

export interface Ranked<T> {
  site: T;
  distance_m: number;
  walk_minutes: number;
}

/** The nearest `limit` sites, nearest first (ties by id); metres rounded, minutes to a tenth. */
export function rankNearest<T extends Located>(
  sites: readonly T[],
  origin: { lat: number; lon: number },
  opts: { limit: number; speedMPerMin: number },
): Array<Ranked<T>> {
  return sites
    .map((site) => ({ site, d: straightLineMetres(origin.lat, origin.lon, site.lat, site.lon) }))
    .sort((a, b) => a.d - b.d || (a.site.id < b.site.id ? -1 : 1))
    .slice(0, opts.limit)
    .map(({ site, d }) => ({
      site,
      distance_m: Math.round(d),
      walk_minutes: Math.round(((d * DETOUR_FACTOR) / opts.speedMPerMin) * 10) / 10,
    }));
}

/** A station serves now when open and, if an item is asked for, holding at least one. */
export function stationServes(s: { open: boolean; stock: Record<string, number> }, item: string | undefined): boolean {
  return s.open && (item === undefined || (s.stock[item] ?? 0) > 0);
}

/**
 * A bench serves now when its charge is above `minSoc` and a port is free (unknown port counts
 * count as free), the same rule live coverage uses.
 */
export function benchServes(b: { battery_soc: number | null; ports: number | null; free_ports: number | null }, minSoc: number): boolean {
  if (b.battery_soc === null || !(b.battery_soc > minSoc)) return false;
  return b.ports === null || b.free_ports === null || b.free_ports > 0;
}
