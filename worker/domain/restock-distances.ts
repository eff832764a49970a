import { multiSourceSearch, pointDistance, sameEdgeIndex } from './coverage/dijkstra.ts';
import type { Network } from './coverage/network.ts';
import type { Snap } from './coverage/snap.ts';
import { DETOUR_FACTOR, straightLineMetres } from './nearest.ts';

/**
 * The restock planner's distance matrix between points (the depot first, then the stations):
 * along the walking network when one is loaded and every point joins it (one Dijkstra per point,
 * as the coverage engine runs them), else the straight line × the detour factor.
 */
export interface Point {
  lat: number;
  lon: number;
}

export function straightLineMatrix(points: readonly Point[]): number[][] {
  return points.map((a) => points.map((b) => straightLineMetres(a.lat, a.lon, b.lat, b.lon) * DETOUR_FACTOR));
}

/** Network distances; null when some point cannot be joined to the network. */
export function networkMatrix(g: Network, snap: (lon: number, lat: number) => Snap | null, points: readonly Point[]): number[][] | null {
  const snaps: Snap[] = [];
  for (const p of points) {
    const s = snap(p.lon, p.lat);
    if (!s) return null;
    snaps.push(s);
  }
  const m = snaps.map((from, i) => {
    const { dist } = multiSourceSearch(g, [from]);
    const same = sameEdgeIndex([from]);
    return snaps.map((to, j) => (i === j ? 0 : pointDistance(g, dist, same, to)));
  });
  // Walking is symmetric; take the shorter way both ways so 2-opt's reversals stay exact.
  for (let i = 0; i < m.length; i++) for (let j = 0; j < i; j++) m[i]![j] = m[j]![i] = Math.min(m[i]![j]!, m[j]![i]!);
  return m;
}
