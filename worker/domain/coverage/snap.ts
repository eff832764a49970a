import Flatbush from 'flatbush';
import { localScale, projectOnSegment } from './geo.ts';
import type { Network } from './network.ts';

/** Where a point joins the network: the nearest point of the nearest edge. */
export interface Snap {
  edge: number;
  /** position along the edge from edgeU (0) to edgeV (1) */
  t: number;
  /** straight-line access leg, metres */
  leg: number;
}

/**
 * Spatial index over the edges' bounding boxes (degrees). The nearest edge is found by searching
 * a growing square around the point: once the best exact distance found is within the square's
 * half-width, no edge outside the square can be nearer.
 */
export class EdgeIndex {
  private readonly index: Flatbush | null;
  private readonly g: Network;
  constructor(g: Network) {
    this.g = g;
    const m = g.edgeU.length;
    if (m === 0) {
      this.index = null;
      return;
    }
    const idx = new Flatbush(m);
    const { nodeLon, nodeLat, edgeU, edgeV } = g;
    for (let e = 0; e < m; e++) {
      const a = edgeU[e]!;
      const b = edgeV[e]!;
      const ax = nodeLon[a]!;
      const bx = nodeLon[b]!;
      const ay = nodeLat[a]!;
      const by = nodeLat[b]!;
      idx.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }
    idx.finish();
    this.index = idx;
  }

  /** Nearest point on the network, or null when the network has no edges. */
  snap(lon: number, lat: number): Snap | null {
    if (!this.index) return null;
    const { kx, ky } = localScale(lat);
    const { nodeLon, nodeLat, edgeU, edgeV } = this.g;
    let r = 200;
    for (;;) {
      const rx = r / kx;
      const ry = r / ky;
      const hits = this.index.search(lon - rx, lat - ry, lon + rx, lat + ry);
      let best: Snap | null = null;
      for (const e of hits) {
        const a = edgeU[e]!;
        const b = edgeV[e]!;
        const p = projectOnSegment(lon, lat, nodeLon[a]!, nodeLat[a]!, nodeLon[b]!, nodeLat[b]!, kx, ky);
        if (!best || p.dist < best.leg || (p.dist === best.leg && e < best.edge)) best = { edge: e, t: p.t, leg: p.dist };
      }
      if (best && best.leg <= r) return best;
      // 40 000 km covers the globe: stop doubling there whatever happens.
      if (r > 4e7) return best;
      r *= 4;
    }
  }
}

/** Reference for tests: scan every edge. */
export function snapBrute(g: Network, lon: number, lat: number): Snap | null {
  const { kx, ky } = localScale(lat);
  let best: Snap | null = null;
  for (let e = 0; e < g.edgeU.length; e++) {
    const a = g.edgeU[e]!;
    const b = g.edgeV[e]!;
    const p = projectOnSegment(lon, lat, g.nodeLon[a]!, g.nodeLat[a]!, g.nodeLon[b]!, g.nodeLat[b]!, kx, ky);
    if (!best || p.dist < best.leg || (p.dist === best.leg && e < best.edge)) best = { edge: e, t: p.t, leg: p.dist };
  }
  return best;
}
