import { relax, seedsOf } from './dijkstra.ts';
import type { Network } from './network.ts';
import type { Snap } from './snap.ts';

export interface AreaPiece {
  edge: number;
  /** reachable stretch of the edge, as fractions from edgeU (0) to edgeV (1) */
  from: number;
  to: number;
  coordinates: Array<[number, number]>;
}

function lerp(g: Network, e: number, f: number): [number, number] {
  const a = g.edgeU[e]!;
  const b = g.edgeV[e]!;
  return [g.nodeLon[a]! + (g.nodeLon[b]! - g.nodeLon[a]!) * f, g.nodeLat[a]! + (g.nodeLat[b]! - g.nodeLat[a]!) * f];
}

/**
 * The network within `boundM` metres' walk of one amenity (its access leg included): whole edges
 * where both ends are in reach from either side, the reachable stretches of edges at the rim.
 */
export function reachableArea(g: Network, site: Snap, boundM: number): AreaPiece[] {
  const dist = new Float64Array(g.nodeLon.length).fill(Infinity);
  const touched: number[] = [];
  relax(g, dist, seedsOf(g, site), boundM, touched);
  const ranges = new Map<number, Array<[number, number]>>();
  const addRange = (e: number, from: number, to: number) => {
    if (to < from) return;
    let l = ranges.get(e);
    if (!l) ranges.set(e, (l = []));
    l.push([Math.max(0, from), Math.min(1, to)]);
  };
  const edgesSeen = new Set<number>();
  for (const n of touched) for (let p = g.offsets[n]!; p < g.offsets[n + 1]!; p++) edgesSeen.add(g.adjEdge[p]!);
  for (const e of edgesSeen) {
    const len = g.edgeLen[e]!;
    const du = dist[g.edgeU[e]!]!;
    const dv = dist[g.edgeV[e]!]!;
    const ru = Number.isFinite(du) ? Math.max(0, boundM - du) : 0;
    const rv = Number.isFinite(dv) ? Math.max(0, boundM - dv) : 0;
    if (len === 0 || ru + rv >= len) addRange(e, 0, 1);
    else {
      if (Number.isFinite(du)) addRange(e, 0, ru / len);
      if (Number.isFinite(dv)) addRange(e, 1 - rv / len, 1);
    }
  }
  const along = boundM - site.leg;
  if (along >= 0) {
    const len = g.edgeLen[site.edge]!;
    const r = len > 0 ? along / len : 1;
    addRange(site.edge, site.t - r, site.t + r);
  }
  const out: AreaPiece[] = [];
  for (const [e, list] of ranges) {
    list.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const r of list) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    for (const [from, to] of merged) out.push({ edge: e, from, to, coordinates: [lerp(g, e, from), lerp(g, e, to)] });
  }
  return out.sort((a, b) => a.edge - b.edge || a.from - b.from);
}
