import { localDistance } from './geo.ts';
import { pointDistance, relax, sameEdgeIndex, seedsOf } from './dijkstra.ts';
import type { Network } from './network.ts';
import type { Snap } from './snap.ts';
import type { UnitSnaps } from './compute.ts';
import { isCovered } from './aggregate.ts';

/** Units grouped by the edge they join (CSR), to find the units a bounded search reaches. */
export interface UnitsByEdge {
  offsets: Int32Array;
  units: Int32Array;
}

export function unitsByEdge(edges: number, snaps: UnitSnaps): UnitsByEdge {
  const offsets = new Int32Array(edges + 1);
  for (const e of snaps.edge) if (e >= 0) offsets[e + 1]!++;
  for (let e = 0; e < edges; e++) offsets[e + 1]! += offsets[e]!;
  const fill = offsets.slice(0, edges);
  const units = new Int32Array(offsets[edges]!);
  snaps.edge.forEach((e, i) => {
    if (e >= 0) units[fill[e]!++] = i;
  });
  return { offsets, units };
}

/**
 * The units a new site at `site` would newly bring within `minutes` (those not already covered by
 * `baseMetres`): one Dijkstra bounded at the level's distance, then the units on every edge it
 * touched. `scratch` is a node-sized array of Infinity, restored before returning.
 */
export function newlyCovered(
  g: Network,
  snaps: UnitSnaps,
  byEdge: UnitsByEdge,
  baseMetres: Float64Array,
  site: Snap,
  minutes: number,
  speed: number,
  scratch: Float64Array,
): Int32Array {
  const bound = minutes * speed;
  const touched: number[] = [];
  relax(g, scratch, seedsOf(g, site), bound, touched);
  const same = sameEdgeIndex([site]);
  const out: number[] = [];
  const seenEdge = new Set<number>();
  const consider = (e: number) => {
    if (seenEdge.has(e)) return;
    seenEdge.add(e);
    for (let p = byEdge.offsets[e]!; p < byEdge.offsets[e + 1]!; p++) {
      const u = byEdge.units[p]!;
      if (isCovered(baseMetres[u]!, minutes, speed)) continue;
      const m = pointDistance(g, scratch, same, { edge: e, t: snaps.t[u]!, leg: snaps.leg[u]! });
      if (isCovered(m, minutes, speed)) out.push(u);
    }
  };
  consider(site.edge);
  for (const n of touched) for (let p = g.offsets[n]!; p < g.offsets[n + 1]!; p++) consider(g.adjEdge[p]!);
  for (const n of touched) scratch[n] = Infinity;
  return Int32Array.from(out);
}

export interface GreedyPick {
  candidate: number;
  /** population newly covered by this pick, given the picks before it */
  marginal: number;
  cumulative: number;
}

/**
 * Greedy maximal covering (lazy evaluation): repeatedly pick the candidate adding the most
 * uncovered population. Without spacing constraints this is within (1 − 1/e) of the optimum
 * (Nemhauser, Wolsey & Fisher 1978), and no polynomial algorithm does better unless P = NP
 * (Feige 1998). `allowed(c, picked)` enforces spacing; picks stop when nothing adds population.
 */
export function greedyMaxCover(
  covers: Int32Array[],
  weight: Float64Array,
  k: number,
  allowed: (c: number, picked: number[]) => boolean = () => true,
): GreedyPick[] {
  const taken = new Uint8Array(weight.length);
  const gainOf = (c: number) => {
    let s = 0;
    for (const u of covers[c]!) if (!taken[u]) s += weight[u]!;
    return s;
  };
  // Upper bounds (gains only shrink as units get covered), refreshed lazily.
  const bound = covers.map((_, c) => gainOf(c));
  const order = covers.map((_, c) => c).sort((a, b) => bound[b]! - bound[a]! || a - b);
  const picks: GreedyPick[] = [];
  const picked: number[] = [];
  const out = new Uint8Array(covers.length);
  let cumulative = 0;
  while (picks.length < k) {
    let best = -1;
    let bestGain = 0;
    for (const c of order) {
      if (out[c]) continue;
      if (bound[c]! < bestGain || (bound[c]! === bestGain && best >= 0 && c > best)) continue;
      if (!allowed(c, picked)) {
        out[c] = 1;
        continue;
      }
      const g = gainOf(c);
      bound[c] = g;
      if (g > bestGain || (g === bestGain && g > 0 && (best < 0 || c < best))) {
        best = c;
        bestGain = g;
      }
    }
    if (best < 0 || bestGain <= 0) break;
    out[best] = 1;
    picked.push(best);
    for (const u of covers[best]!) taken[u] = 1;
    cumulative += bestGain;
    picks.push({ candidate: best, marginal: bestGain, cumulative });
    order.sort((a, b) => bound[b]! - bound[a]! || a - b);
  }
  return picks;
}

/** Spacing rule: at least `minSpacing` metres (straight line) from every fixed site and every pick. */
export function spacingRule(points: Array<{ lon: number; lat: number }>, fixed: Array<{ lon: number; lat: number }>, minSpacing: number) {
  if (minSpacing <= 0) return () => true;
  const blocked = points.map((p) => fixed.some((f) => localDistance(p.lon, p.lat, f.lon, f.lat) < minSpacing));
  return (c: number, picked: number[]) =>
    !blocked[c] && picked.every((q) => localDistance(points[c]!.lon, points[c]!.lat, points[q]!.lon, points[q]!.lat) >= minSpacing);
}

export function exhaustiveMaxCover(
  covers: Int32Array[],
  weight: Float64Array,
  k: number,
  allowed: (c: number, picked: number[]) => boolean = () => true,
): { best: number; set: number[] } {
  let best = 0;
  let bestSet: number[] = [];
  const rec = (start: number, chosen: number[]) => {
    const s = new Set<number>();
    for (const c of chosen) for (const u of covers[c]!) s.add(u);
    let w = 0;
    for (const u of s) w += weight[u]!;
    if (w > best) {
      best = w;
      bestSet = chosen.slice();
    }
    if (chosen.length === k) return;
    for (let c = start; c < covers.length; c++) if (allowed(c, chosen)) rec(c + 1, [...chosen, c]);
  };
  rec(0, []);
  return { best, set: bestSet };
}
