import FlatQueue from 'flatqueue';
import type { Network } from './network.ts';
import type { Snap } from './snap.ts';

const arcCache = new WeakMap<Network, Float64Array>();

/** Length of every CSR arc, laid out like adjNode (one less indirection in the hot loop). */
export function arcLengths(g: Network): Float64Array {
  let w = arcCache.get(g);
  if (!w) {
    w = new Float64Array(g.adjEdge.length);
    for (let p = 0; p < w.length; p++) w[p] = g.edgeLen[g.adjEdge[p]!]!;
    arcCache.set(g, w);
  }
  return w;
}

/** A source on the network: the amenity's access leg plus the way along its edge to each end. */
export function seedsOf(g: Network, s: Snap): Array<[node: number, metres: number]> {
  const len = g.edgeLen[s.edge]!;
  return [
    [g.edgeU[s.edge]!, s.leg + s.t * len],
    [g.edgeV[s.edge]!, s.leg + (1 - s.t) * len],
  ];
}

/**
 * Multi-source Dijkstra: every node's walking distance (metres) to the nearest source, sources
 * included with their access legs. One pass from all amenities at once instead of one search per
 * amenity. Nodes beyond `bound` (or unreachable) stay Infinity.
 */
export function multiSourceDistances(g: Network, sources: Snap[], bound = Infinity): Float64Array {
  return multiSourceSearch(g, sources, bound).dist;
}

/** The same search, also labelling each node with the index (in `sources`) of its nearest source (-1: none). */
export function multiSourceSearch(g: Network, sources: Snap[], bound = Infinity): { dist: Float64Array; from: Int32Array } {
  const dist = new Float64Array(g.nodeLon.length).fill(Infinity);
  const from = new Int32Array(g.nodeLon.length).fill(-1);
  const seeds: Array<[number, number]> = [];
  const seedFrom: number[] = [];
  sources.forEach((s, i) => {
    for (const seed of seedsOf(g, s)) {
      seeds.push(seed);
      seedFrom.push(i);
    }
  });
  relax(g, dist, seeds, bound, null, from, seedFrom);
  return { dist, from };
}

/**
 * Dijkstra into an existing distance array: only improvements propagate, so seeding it with a new
 * site updates exactly the part of the network that site brings nearer (the what-if search).
 * `touched` (when given) receives every node whose distance changed.
 */
export function relax(
  g: Network,
  dist: Float64Array,
  seeds: Array<[number, number]>,
  bound: number,
  touched: number[] | null,
  from: Int32Array | null = null,
  seedFrom: number[] | null = null,
): void {
  const { offsets, adjNode } = g;
  const w = arcLengths(g);
  const q = new FlatQueue<number>();
  seeds.forEach(([n, d], i) => {
    if (d < dist[n]! && d <= bound) {
      dist[n] = d;
      if (from && seedFrom) from[n] = seedFrom[i]!;
      touched?.push(n);
      q.push(n, d);
    }
  });
  while (q.length > 0) {
    const d = q.peekValue()!;
    const n = q.pop()!;
    if (d > dist[n]!) continue;
    const end = offsets[n + 1]!;
    for (let p = offsets[n]!; p < end; p++) {
      const m = adjNode[p]!;
      const nd = d + w[p]!;
      if (nd < dist[m]! && nd <= bound) {
        dist[m] = nd;
        if (from) from[m] = from[n]!;
        touched?.push(m);
        q.push(m, nd);
      }
    }
  }
}

/** Sources grouped by the edge they sit on (a unit on the same edge may reach one directly). */
export type SameEdge = Map<number, Array<{ t: number; leg: number; source: number }>>;

export function sameEdgeIndex(sources: Snap[]): SameEdge {
  const m: SameEdge = new Map();
  sources.forEach((s, source) => {
    let l = m.get(s.edge);
    if (!l) m.set(s.edge, (l = []));
    l.push({ t: s.t, leg: s.leg, source });
  });
  return m;
}

/** Like pointDistance, also naming the source that gives it (-1 when none reaches). */
export function pointReach(
  g: Network,
  dist: Float64Array,
  from: Int32Array,
  sameEdge: SameEdge,
  s: Snap,
): { metres: number; source: number } {
  const len = g.edgeLen[s.edge]!;
  const u = g.edgeU[s.edge]!;
  const v = g.edgeV[s.edge]!;
  const viaU = dist[u]! + s.t * len;
  const viaV = dist[v]! + (1 - s.t) * len;
  let best = Math.min(viaU, viaV);
  let source = best === Infinity ? -1 : viaU <= viaV ? from[u]! : from[v]!;
  const here = sameEdge.get(s.edge);
  if (here) {
    for (const a of here) {
      const d = a.leg + Math.abs(a.t - s.t) * len;
      if (d < best) {
        best = d;
        source = a.source;
      }
    }
  }
  return { metres: s.leg + best, source };
}

/** Walking distance of a point joined at `s`: its leg, then the better end of its edge (or a source on the edge itself). */
export function pointDistance(g: Network, dist: Float64Array, sameEdge: SameEdge, s: Snap): number {
  const len = g.edgeLen[s.edge]!;
  let best = Math.min(dist[g.edgeU[s.edge]!]! + s.t * len, dist[g.edgeV[s.edge]!]! + (1 - s.t) * len);
  const here = sameEdge.get(s.edge);
  if (here) for (const a of here) best = Math.min(best, a.leg + Math.abs(a.t - s.t) * len);
  return s.leg + best;
}
