/**
 * A closed tour from a depot through a few stops, on a distance matrix: nearest neighbour, then
 * 2-opt and Or-opt moves until neither shortens it. Hand-written because the instances are small
 * (tens of stops), need a matrix from our own walking network, and a solver library would be
 * larger than this file.
 *
 * Node 0 is the depot; `dist[a][b]` is metres from a to b (symmetric).
 */

export type Matrix = ReadonlyArray<ReadonlyArray<number>>;

/** Length of the closed tour depot → order… → depot. */
export function tourLength(dist: Matrix, order: readonly number[]): number {
  let total = 0;
  let at = 0;
  for (const n of order) {
    total += dist[at]![n]!;
    at = n;
  }
  return total + dist[at]![0]!;
}

function nearestNeighbour(dist: Matrix, nodes: readonly number[]): number[] {
  const left = new Set(nodes);
  const out: number[] = [];
  let at = 0;
  while (left.size) {
    let best = -1;
    let bestD = Infinity;
    for (const n of left) {
      const d = dist[at]![n]!;
      if (d < bestD || (d === bestD && n < best)) {
        bestD = d;
        best = n;
      }
    }
    out.push(best);
    left.delete(best);
    at = best;
  }
  return out;
}

const EPS = 1e-9;

/** One improving 2-opt move (reverse a segment), or false when none. */
function twoOpt(dist: Matrix, t: number[]): boolean {
  // The tour with the depot at both ends: p[0] = p[n + 1] = 0.
  const p = [0, ...t, 0];
  for (let i = 0; i < p.length - 3; i++) {
    for (let j = i + 2; j < p.length - 1; j++) {
      const delta = dist[p[i]!]![p[j]!]! + dist[p[i + 1]!]![p[j + 1]!]! - dist[p[i]!]![p[i + 1]!]! - dist[p[j]!]![p[j + 1]!]!;
      if (delta < -EPS) {
        const seg = t.slice(i, j).reverse();
        t.splice(i, j - i, ...seg);
        return true;
      }
    }
  }
  return false;
}

/** One improving Or-opt move (move a run of 1–3 stops elsewhere, either way round), or false. */
function orOpt(dist: Matrix, t: number[]): boolean {
  const base = tourLength(dist, t);
  for (let len = 1; len <= 3 && len < t.length; len++) {
    for (let i = 0; i + len <= t.length; i++) {
      const run = t.slice(i, i + len);
      const rest = [...t.slice(0, i), ...t.slice(i + len)];
      for (let k = 0; k <= rest.length; k++) {
        if (k === i) continue;
        for (const r of [run, [...run].reverse()]) {
          const cand = [...rest.slice(0, k), ...r, ...rest.slice(k)];
          if (tourLength(dist, cand) < base - EPS) {
            t.splice(0, t.length, ...cand);
            return true;
          }
        }
      }
    }
  }
  return false;
}

/** A short closed tour from the depot (node 0) through `nodes`. */
export function planTour(dist: Matrix, nodes: readonly number[]): number[] {
  const t = nearestNeighbour(dist, nodes);
  // Each move strictly shortens the tour, so this ends; the cap only bounds pathological inputs.
  for (let guard = 0; guard < 10_000; guard++) {
    if (twoOpt(dist, t)) continue;
    if (orOpt(dist, t)) continue;
    break;
  }
  return t;
}
