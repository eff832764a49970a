import { localScale } from './geo.ts';
import type { Network } from './network.ts';

/**
 * How much work a siting request asks for, estimated before any of it starts, so that a request
 * that would run for minutes is refused at once (docs/security.md). Siting runs one bounded
 * Dijkstra per candidate site; each visits about the edges within walking reach of the site. With
 * edges spread evenly over the network's bounding box, that is
 *   edges × min(1, π r² / box area),  r = level minutes × speed.
 * A dense centre makes the true figure higher in places and lower elsewhere; the budget leaves room.
 */

/** Edge visits one siting request may cost: a few seconds of CPU at most. */
export const MAX_SITING_EDGE_VISITS = 20_000_000;

const boxArea = new WeakMap<Network, number>();

/** The network's bounding box in square metres (cached per loaded network). */
function areaOf(g: Network): number {
  let a = boxArea.get(g);
  if (a !== undefined) return a;
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (let i = 0; i < g.nodeLon.length; i++) {
    minX = Math.min(minX, g.nodeLon[i]!);
    maxX = Math.max(maxX, g.nodeLon[i]!);
    minY = Math.min(minY, g.nodeLat[i]!);
    maxY = Math.max(maxY, g.nodeLat[i]!);
  }
  const { kx, ky } = localScale(g.nodeLat.length ? (minY + maxY) / 2 : 0);
  // A line-shaped network has no area: count it as at least 1 km wide.
  a = Math.max((maxX - minX) * kx || 0, 1000) * Math.max((maxY - minY) * ky || 0, 1000);
  boxArea.set(g, a);
  return a;
}

/** Estimated edges within `metres` of one site. */
export function edgesWithinReach(g: Network, metres: number): number {
  const edges = g.edgeU.length;
  return Math.ceil(edges * Math.min(1, (Math.PI * metres * metres) / areaOf(g)));
}

/** Estimated edge visits of siting `candidates` sites at `metres` of reach. */
export function sitingWork(g: Network, candidates: number, metres: number): number {
  return candidates * edgesWithinReach(g, metres);
}
