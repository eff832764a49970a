import type { Network } from '../../worker/domain/coverage/network.ts';
import { snapBrute, type Snap } from '../../worker/domain/coverage/snap.ts';

/**
 * An independent reference for walking distances: every amenity and unit becomes a node of its
 * own, joined by its access leg to a new node splitting its edge, and a plain O(n²) Dijkstra (no
 * heap, no CSR, no multi-source trick) runs from each amenity separately; a unit's distance is the
 * minimum over amenities. Nearest edges are found by scanning every edge.
 */
export function referenceMetres(g: Network, amenities: Array<[number, number]>, units: Array<[number, number]>): number[] {
  const rows = referenceMatrix(g, amenities, units);
  return units.map((_, i) => Math.min(Infinity, ...rows.map((r) => r[i]!)));
}

/** Walking metres from each amenity (rows) to each unit (columns), one plain Dijkstra per amenity. */
export function referenceMatrix(g: Network, amenities: Array<[number, number]>, units: Array<[number, number]>): number[][] {
  const N0 = g.nodeLon.length;
  const adj: Array<Array<[number, number]>> = [];
  for (let i = 0; i < N0; i++) adj.push([]);
  const link = (a: number, b: number, w: number) => {
    adj[a]!.push([b, w]);
    adj[b]!.push([a, w]);
  };
  const splits = new Map<number, Array<{ t: number; node: number }>>();
  const pointNode = (p: [number, number]): number => {
    const id = adj.length;
    adj.push([]);
    const s: Snap | null = snapBrute(g, p[0], p[1]);
    if (!s) return id;
    const split = adj.length;
    adj.push([]);
    link(id, split, s.leg);
    let l = splits.get(s.edge);
    if (!l) splits.set(s.edge, (l = []));
    l.push({ t: s.t, node: split });
    return id;
  };
  const aNodes = amenities.map(pointNode);
  const uNodes = units.map(pointNode);
  for (let e = 0; e < g.edgeU.length; e++) {
    const len = g.edgeLen[e]!;
    const chain = [{ t: 0, node: g.edgeU[e]! }, ...(splits.get(e) ?? []).sort((a, b) => a.t - b.t), { t: 1, node: g.edgeV[e]! }];
    for (let i = 0; i + 1 < chain.length; i++) link(chain[i]!.node, chain[i + 1]!.node, (chain[i + 1]!.t - chain[i]!.t) * len);
  }
  const rows: number[][] = [];
  for (const src of aNodes) {
    const d = adj.map(() => Infinity);
    const done = adj.map(() => false);
    d[src] = 0;
    for (;;) {
      let u = -1;
      for (let i = 0; i < d.length; i++) if (!done[i] && d[i]! < Infinity && (u < 0 || d[i]! < d[u]!)) u = i;
      if (u < 0) break;
      done[u] = true;
      for (const [v, w] of adj[u]!) if (d[u]! + w < d[v]!) d[v] = d[u]! + w;
    }
    rows.push(uNodes.map((n) => d[n]!));
  }
  return rows;
}
