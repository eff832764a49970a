import Flatbush from 'flatbush';
import { DETOUR_FACTOR, localDistance, localScale } from './geo.ts';
import { multiSourceSearch, pointDistance, pointReach, relax, sameEdgeIndex, seedsOf } from './dijkstra.ts';
import type { Network } from './network.ts';
import type { Population } from './population.ts';
import type { EdgeIndex, Snap } from './snap.ts';

/** A station or bench, where it stands. */
export interface AmenityPoint {
  id: string;
  kind: 'station' | 'bench';
  lon: number;
  lat: number;
}

/** Where each population unit joins the network (computed once per network × population). */
export interface UnitSnaps {
  edge: Int32Array;
  t: Float64Array;
  leg: Float64Array;
}

export function snapUnits(index: EdgeIndex, p: Population): UnitSnaps {
  const n = p.lon.length;
  const out: UnitSnaps = { edge: new Int32Array(n).fill(-1), t: new Float64Array(n), leg: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const s = index.snap(p.lon[i]!, p.lat[i]!);
    if (!s) continue;
    out.edge[i] = s.edge;
    out.t[i] = s.t;
    out.leg[i] = s.leg;
  }
  return out;
}

export function snapAmenities(index: EdgeIndex, amenities: AmenityPoint[]): Snap[] {
  const out: Snap[] = [];
  for (const a of amenities) {
    const s = index.snap(a.lon, a.lat);
    if (s) out.push(s);
  }
  return out;
}

/** Every unit's walking distance (metres) given node distances; Infinity where no path. */
export function unitMetres(g: Network, dist: Float64Array, sources: Snap[], snaps: UnitSnaps): Float64Array {
  const sameEdge = sameEdgeIndex(sources);
  const n = snaps.edge.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = snaps.edge[i]!;
    out[i] = e < 0 ? Infinity : pointDistance(g, dist, sameEdge, { edge: e, t: snaps.t[i]!, leg: snaps.leg[i]! });
  }
  return out;
}

export interface NetworkState {
  sources: Snap[];
  /** node → metres to the nearest amenity */
  dist: Float64Array;
  /** node → index in `sources` of that amenity (-1: none) */
  from: Int32Array;
  /** unit → metres */
  metres: Float64Array;
}

export function networkCoverage(g: Network, snaps: UnitSnaps, sources: Snap[]): NetworkState {
  const { dist, from } = multiSourceSearch(g, sources);
  return { sources, dist, from, metres: unitMetres(g, dist, sources, snaps) };
}

/** For each unit, the index (in state.sources) of the amenity its walking time is measured to; -1: none. */
export function unitNearest(g: Network, state: NetworkState, snaps: UnitSnaps): Int32Array {
  const sameEdge = sameEdgeIndex(state.sources);
  const n = snaps.edge.length;
  const out = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const e = snaps.edge[i]!;
    if (e >= 0) out[i] = pointReach(g, state.dist, state.from, sameEdge, { edge: e, t: snaps.t[i]!, leg: snaps.leg[i]! }).source;
  }
  return out;
}

/**
 * Fallback without a network: nearest amenity in a straight line (local frame), × DETOUR_FACTOR.
 * Amenities are indexed in a plane scaled at the population's mean latitude, then the few nearest
 * are measured exactly.
 */
export function straightLineMetres(p: Population, amenities: AmenityPoint[]): Float64Array {
  const n = p.lon.length;
  const out = new Float64Array(n).fill(Infinity);
  if (amenities.length === 0 || n === 0) return out;
  let latSum = 0;
  for (let i = 0; i < n; i++) latSum += p.lat[i]!;
  const { kx, ky } = localScale(latSum / n);
  const idx = new Flatbush(amenities.length);
  for (const a of amenities) idx.add(a.lon * kx, a.lat * ky);
  idx.finish();
  for (let i = 0; i < n; i++) {
    const near = idx.neighbors(p.lon[i]! * kx, p.lat[i]! * ky, 4);
    let best = Infinity;
    for (const j of near) best = Math.min(best, localDistance(p.lon[i]!, p.lat[i]!, amenities[j]!.lon, amenities[j]!.lat));
    out[i] = best * DETOUR_FACTOR;
  }
  return out;
}

/**
 * What-if: the state after adding sites (and removing some). Additions alone only lower
 * distances, so a Dijkstra bounded at `boundM` from the new sites into a copy of the current
 * distances updates exactly what they bring within reach; a removal needs the full pass again.
 */
export function whatIfState(
  g: Network,
  snaps: UnitSnaps,
  base: NetworkState,
  removeIdx: Set<number>,
  added: Snap[],
  boundM: number,
): NetworkState {
  if (removeIdx.size > 0) {
    const sources = base.sources.filter((_, i) => !removeIdx.has(i)).concat(added);
    return networkCoverage(g, snaps, sources);
  }
  const dist = base.dist.slice();
  const from = base.from.slice();
  const seeds: Array<[number, number]> = [];
  const seedFrom: number[] = [];
  added.forEach((s, i) => {
    for (const seed of seedsOf(g, s)) {
      seeds.push(seed);
      seedFrom.push(base.sources.length + i);
    }
  });
  relax(g, dist, seeds, boundM, null, from, seedFrom);
  const sources = base.sources.concat(added);
  return { sources, dist, from, metres: unitMetres(g, dist, sources, snaps) };
}
