/**
 * Weighted scores and ranks. Pure: the same month's data always gives the same answer.
 */

export interface Weighted<K extends string> {
  /** 0–100, rounded to 2 decimals; null when no part with a weight has a score */
  score: number | null;
  /** each part's weight after dropping the parts without data, summing to 1 (0 for dropped parts) */
  effective: Record<K, number>;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Σ wᵢ·sᵢ / Σ wᵢ over the parts that have a score: a part without data is dropped and the others
 * keep their proportions (re-weighted to sum to 1).
 */
export function weighted<K extends string>(scores: Record<K, number | null>, weights: Record<K, number>): Weighted<K> {
  const keys = Object.keys(weights) as K[];
  let wSum = 0;
  let sum = 0;
  for (const k of keys) {
    const s = scores[k];
    const w = weights[k];
    if (s === null || s === undefined || !(w > 0)) continue;
    wSum += w;
    sum += w * s;
  }
  const effective = {} as Record<K, number>;
  for (const k of keys) {
    const s = scores[k];
    effective[k] = wSum > 0 && s !== null && s !== undefined && weights[k] > 0 ? weights[k] / wSum : 0;
  }
  return { score: wSum > 0 ? round2(sum / wSum) : null, effective };
}

export type Flag = 'red' | 'black' | null;

export interface Ranked {
  key: string;
  score: number | null;
  rank: number | null;
  flag: Flag;
}

/**
 * Competition ranking ("1224"): equal scores (compared at their published 2 decimals) share a
 * rank, and the next rank skips as many places as were shared. Red flag: rank 1 or 2 (every unit
 * tied there gets one). Black flag: the last rank (every unit tied there), unless that rank is
 * itself 1 or 2 — with two or fewer distinct places nobody is black-flagged. Rows without a
 * score are listed last, unranked and unflagged. Ties in score list in key order.
 */
export function rankRows<T extends { key: string; score: number | null }>(
  rows: readonly T[],
): Array<T & { rank: number | null; flag: Flag }> {
  const scored = rows.filter((r) => r.score !== null).sort((a, b) => b.score! - a.score! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: Array<T & { rank: number | null; flag: Flag }> = [];
  let rank = 0;
  scored.forEach((r, i) => {
    if (i === 0 || r.score !== scored[i - 1]!.score) rank = i + 1;
    out.push({ ...r, rank, flag: null });
  });
  const last = out.length ? out[out.length - 1]!.rank! : 0;
  for (const r of out) {
    if (r.rank! <= 2) r.flag = 'red';
    else if (r.rank === last) r.flag = 'black';
  }
  for (const r of rows) if (r.score === null) out.push({ ...r, rank: null, flag: null });
  return out;
}

/**
 * Whether a ranked row sits in the last `n` places: its rank is above (count − n), count being the
 * number of ranked rows. With ties a row shares the place of its rank.
 */
export function inBottom(rank: number | null, count: number, n: number): boolean {
  return rank !== null && rank > count - n;
}

/**
 * Months in a row (ending with the current one) that a key was in the bottom places. `history`
 * holds earlier months, newest first, each a map key → whether it was in the bottom; a month
 * where the key is missing breaks the run.
 */
export function lowStreak(key: string, nowLow: boolean, history: ReadonlyArray<ReadonlyMap<string, boolean>>): number {
  if (!nowLow) return 0;
  let n = 1;
  for (const month of history) {
    if (month.get(key) !== true) break;
    n++;
  }
  return n;
}
