/**
 * The walking network as a compact undirected graph: node coordinates, an edge list with geodesic
 * lengths, and its CSR adjacency (offsets / neighbour / edge id per arc), all typed arrays so a
 * province (hundreds of thousands of edges) is a few megabytes and loads without per-edge objects.
 */
export interface Network {
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  edgeU: Int32Array;
  edgeV: Int32Array;
  /** metres */
  edgeLen: Float64Array;
  /** CSR: arcs of node n are offsets[n] … offsets[n+1]-1 */
  offsets: Int32Array;
  adjNode: Int32Array;
  adjEdge: Int32Array;
}

export const nodeCount = (g: Network) => g.nodeLon.length;
export const edgeCount = (g: Network) => g.edgeU.length;

/** Build the CSR adjacency of an edge list (each edge is two arcs). */
export function buildCsr(
  nodes: number,
  edgeU: Int32Array,
  edgeV: Int32Array,
): { offsets: Int32Array; adjNode: Int32Array; adjEdge: Int32Array } {
  const offsets = new Int32Array(nodes + 1);
  const m = edgeU.length;
  for (let e = 0; e < m; e++) {
    offsets[edgeU[e]! + 1]!++;
    offsets[edgeV[e]! + 1]!++;
  }
  for (let n = 0; n < nodes; n++) offsets[n + 1]! += offsets[n]!;
  const fill = offsets.slice(0, nodes);
  const adjNode = new Int32Array(2 * m);
  const adjEdge = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    const u = edgeU[e]!;
    const v = edgeV[e]!;
    let p = fill[u]!++;
    adjNode[p] = v;
    adjEdge[p] = e;
    p = fill[v]!++;
    adjNode[p] = u;
    adjEdge[p] = e;
  }
  return { offsets, adjNode, adjEdge };
}

export function makeNetwork(
  nodeLon: Float64Array,
  nodeLat: Float64Array,
  edgeU: Int32Array,
  edgeV: Int32Array,
  edgeLen: Float64Array,
): Network {
  return { nodeLon, nodeLat, edgeU, edgeV, edgeLen, ...buildCsr(nodeLon.length, edgeU, edgeV) };
}

/** Growable typed array (amortised doubling), for building without per-item objects. */
export class Grow<T extends Float64Array | Int32Array> {
  private buf: T;
  length = 0;
  private readonly Ctor: { new (n: number): T };
  constructor(Ctor: { new (n: number): T }, initial = 1024) {
    this.Ctor = Ctor;
    this.buf = new Ctor(initial);
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new this.Ctor(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  get(i: number): number {
    return this.buf[i]!;
  }
  /** A right-sized copy. */
  done(): T {
    return this.buf.slice(0, this.length) as T;
  }
}
