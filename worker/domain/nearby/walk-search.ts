import FlatQueue from 'flatqueue';
import { arcLengths, seedsOf } from '../coverage/dijkstra.ts';
import type { Network } from '../coverage/network.ts';
import type { Snap } from '../coverage/snap.ts';

/**
 * Walking distances from one origin, settled outwards only as far as asked: `expandTo(b)` settles
 * every node within b metres (the origin's access leg included) and keeps the frontier for the
 * next call. A nearby question stops as soon as its top sites are settled, so a province's network
 * costs what the few hundred metres around the origin cost. State is per search (Maps, not
 * network-sized arrays), so concurrent requests in one isolate do not share it.
 */
export class WalkSearch {
  private readonly g: Network;
  private readonly w: Float64Array;
  private readonly origin: Snap;
  private readonly dist = new Map<number, number>();
  private readonly prev = new Map<number, number>();
  private readonly settled = new Set<number>();
  private readonly q = new FlatQueue<number>();
  /** every node within this many metres is settled */
  private reached = 0;

  constructor(g: Network, origin: Snap) {
    this.g = g;
    this.w = arcLengths(g);
    this.origin = origin;
    for (const [n, d] of seedsOf(g, origin)) {
      if (d < (this.dist.get(n) ?? Infinity)) {
        this.dist.set(n, d);
        this.prev.set(n, -1);
        this.q.push(n, d);
      }
    }
  }

  /** True when nothing is left to settle: every reachable node is final. */
  get exhausted(): boolean {
    return this.q.length === 0;
  }

  expandTo(bound: number): void {
    const { offsets, adjNode } = this.g;
    const w = this.w;
    while (this.q.length > 0 && this.q.peekValue()! <= bound) {
      const d = this.q.peekValue()!;
      const n = this.q.pop()!;
      if (this.settled.has(n) || d > (this.dist.get(n) ?? Infinity)) continue;
      this.settled.add(n);
      const end = offsets[n + 1]!;
      for (let p = offsets[n]!; p < end; p++) {
        const m = adjNode[p]!;
        const nd = d + w[p]!;
        if (nd < (this.dist.get(m) ?? Infinity)) {
          this.dist.set(m, nd);
          this.prev.set(m, n);
          this.q.push(m, nd);
        }
      }
    }
    this.reached = Math.max(this.reached, bound);
  }

  /** Settled distance of node n, Infinity when not (yet) settled. */
  private settledDist(n: number): number {
    return this.settled.has(n) ? this.dist.get(n)! : Infinity;
  }

  /**
   * Walking metres to a site joined at `s` (its access leg included) from what is settled, and
   * whether that figure is final: it is when the way to the edge is within the settled radius.
   */
  to(s: Snap): { metres: number; exact: boolean; via: 'u' | 'v' | 'edge' } {
    const g = this.g;
    const len = g.edgeLen[s.edge]!;
    const viaU = this.settledDist(g.edgeU[s.edge]!) + s.t * len;
    const viaV = this.settledDist(g.edgeV[s.edge]!) + (1 - s.t) * len;
    let best = Math.min(viaU, viaV);
    let via: 'u' | 'v' | 'edge' = viaU <= viaV ? 'u' : 'v';
    if (s.edge === this.origin.edge) {
      const direct = this.origin.leg + Math.abs(this.origin.t - s.t) * len;
      if (direct <= best) {
        best = direct;
        via = 'edge';
      }
    }
    const exact = best <= this.reached || this.exhausted;
    return { metres: best + s.leg, exact, via };
  }

  /** The nodes from the origin's edge to the site's end `via`, in walking order. */
  nodePath(s: Snap, via: 'u' | 'v' | 'edge'): number[] {
    if (via === 'edge') return [];
    let n = via === 'u' ? this.g.edgeU[s.edge]! : this.g.edgeV[s.edge]!;
    const out: number[] = [];
    while (n !== -1 && n !== undefined) {
      out.push(n);
      n = this.prev.get(n) ?? -1;
    }
    return out.reverse();
  }
}

/** The point where a snap joins its edge, [lon, lat]. */
export function snapPoint(g: Network, s: Snap): [number, number] {
  const u = g.edgeU[s.edge]!;
  const v = g.edgeV[s.edge]!;
  return [g.nodeLon[u]! + s.t * (g.nodeLon[v]! - g.nodeLon[u]!), g.nodeLat[u]! + s.t * (g.nodeLat[v]! - g.nodeLat[u]!)];
}
