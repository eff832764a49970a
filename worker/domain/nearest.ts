import geodesicLib from 'geographiclib-geodesic';

/**
 * Nearest open, stocked stations for a worker's phone. Distance is the straight line (geodesic on
 * WGS-84); walking time multiplies it by a detour factor, since streets are rarely straight. The
 * walking network (coverage) is for planners; a phone needs an answer at once.
 */
export const DETOUR_FACTOR = 1.3;

const WGS84 = geodesicLib.Geodesic.WGS84;
const DISTANCE = geodesicLib.Geodesic.DISTANCE;

/** Geodesic (WGS-84) distance in metres. */
export function straightLineMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  if (lat1 === lat2 && lon1 === lon2) return 0;
  return WGS84.Inverse(lat1, lon1, lat2, lon2, DISTANCE).s12 ?? 0;
}

export interface Candidate {
  id: string;
  lat: number;
  lon: number;
  open: boolean;
  stock: Record<string, number>;
}

export interface Ranked<T> {
  site: T;
  distance_m: number;
  walk_minutes: number;
}

/**
 * Open candidates holding `item` (qty > 0; any open one when no item), nearest first, ties by id.
 * Distances are rounded to the metre and minutes to a tenth.
 */
export function rankNearest<T extends Candidate>(
  sites: readonly T[],
  origin: { lat: number; lon: number },
  opts: { item?: string; limit: number; speedMPerMin: number },
): Array<Ranked<T>> {
  return sites
    .filter((s) => s.open && (opts.item === undefined || (s.stock[opts.item] ?? 0) > 0))
    .map((site) => ({ site, d: straightLineMetres(origin.lat, origin.lon, site.lat, site.lon) }))
    .sort((a, b) => a.d - b.d || (a.site.id < b.site.id ? -1 : 1))
    .slice(0, opts.limit)
    .map(({ site, d }) => ({ site, distance_m: Math.round(d), walk_minutes: Math.round(((d * DETOUR_FACTOR) / opts.speedMPerMin) * 10) / 10 }));
}
