import { aggregate, isCovered, type CoverageFigures } from '../domain/coverage/aggregate.ts';
import { snapAmenities, straightLineMetres, whatIfState, type AmenityPoint } from '../domain/coverage/compute.ts';
import { localScale } from '../domain/coverage/geo.ts';
import { edgesWithinReach, MAX_SITING_EDGE_VISITS, sitingWork } from '../domain/coverage/work-bound.ts';
import { greedyMaxCover, newlyCovered, spacingRule, unitsByEdge } from '../domain/coverage/siting.ts';
import { ApiError, type FieldError } from '../errors.ts';
import type { CoverageRun } from './engine.ts';

/** What-if and siting on top of a coverage run. Nothing here is stored. */

export interface WhatIfInput {
  add: Array<{ lon: number; lat: number }>;
  move: Array<{ id: string; lon: number; lat: number }>;
  remove: string[];
}

const pick = (f: CoverageFigures) => ({ levels: f.levels, by_district: f.by_district });

export function whatIf(run: CoverageRun, input: WhatIfInput, levels: number[], speed: number) {
  const pop = run.planning.population?.population;
  if (!pop) throw new ApiError('conflict', 'No population layer is loaded: PUT /api/v1/population first');
  const indexOf = new Map(run.amenities.map((a, i) => [a.id, i]));
  const errors: FieldError[] = [];
  const removeIdx = new Set<number>();
  input.remove.forEach((id, i) => {
    const k = indexOf.get(id);
    if (k === undefined)
      errors.push({ in: 'body', pointer: `/remove/${i}`, message: `"${id}" is not among the amenities counted by this selection` });
    else removeIdx.add(k);
  });
  input.move.forEach((m, i) => {
    const k = indexOf.get(m.id);
    if (k === undefined)
      errors.push({ in: 'body', pointer: `/move/${i}/id`, message: `"${m.id}" is not among the amenities counted by this selection` });
    else removeIdx.add(k);
  });
  if (errors.length) throw new ApiError('validation_failed', `Unknown amenity: ${errors[0]!.message}`, { errors });
  const addPoints: AmenityPoint[] = [...input.add, ...input.move].map((p, i) => ({
    id: `what-if-${i}`,
    kind: 'station',
    lon: p.lon,
    lat: p.lat,
  }));
  const maxLevel = Math.max(...levels);
  let after: Float64Array;
  let access: Array<number | null>;
  if (run.method === 'network' && run.state && run.planning.network && run.planning.snaps) {
    const added = snapAmenities(run.planning.network.index, addPoints);
    access = added.map((s) => s.leg);
    after = whatIfState(run.planning.network.network, run.planning.snaps, run.state, removeIdx, added, maxLevel * speed).metres;
  } else {
    const kept = run.amenities.filter((_, i) => !removeIdx.has(i));
    after = straightLineMetres(pop, [...kept, ...addPoints]);
    access = addPoints.map(() => null);
  }
  const before = aggregate(run.metres, pop.pop, pop.district, pop.districts, levels, speed);
  const next = aggregate(after, pop.pop, pop.district, pop.districts, levels, speed);
  return {
    method: run.method,
    speed_m_per_min: speed,
    population: before.population,
    before: pick(before),
    after: pick(next),
    delta: next.levels.map((l, i) => ({
      minutes: l.minutes,
      covered: l.covered - before.levels[i]!.covered,
      share: Math.round((l.share - before.levels[i]!.share) * 1e6) / 1e6,
    })),
    sites: addPoints.map((p, i) => ({ lon: p.lon, lat: p.lat, access_m: access[i] ?? null })),
  };
}

export interface SuggestInput {
  k: number;
  level: number;
  candidates?: Array<{ lon: number; lat: number }>;
  grid_spacing_m?: number;
  min_spacing_m: number;
}

export const DEFAULT_GRID_M = 250;
export const MAX_CANDIDATES = 5000;

export const GUARANTEE =
  'Greedy maximal covering: each pick adds the most not-yet-covered population. Without a spacing rule the total added is at least (1 − 1/e) ≈ 63.2 % of the best possible for k sites (Nemhauser, Wolsey & Fisher 1978), ' +
  'and no polynomial-time method guarantees more unless P = NP (Feige 1998). With min_spacing_m > 0 the picks honour the spacing but the bound is no longer guaranteed. Existing amenities are kept fixed.';

/**
 * Grid cells (spacing metres) holding uncovered population, each offered at the population-weighted
 * centre of its uncovered residents (where a site would actually be sought, not an empty corner).
 */
function gridCandidates(run: CoverageRun, level: number, speed: number, spacing: number): Array<{ lon: number; lat: number }> {
  const pop = run.planning.population!.population;
  const n = pop.lon.length;
  let lat0 = 0;
  for (let i = 0; i < n; i++) lat0 += pop.lat[i]!;
  const { kx, ky } = localScale(n ? lat0 / n : 0);
  const cells = new Map<string, { lon: number; lat: number; w: number }>();
  for (let i = 0; i < n; i++) {
    const w = pop.pop[i]!;
    if (w <= 0 || isCovered(run.metres[i]!, level, speed)) continue;
    const key = `${Math.floor((pop.lon[i]! * kx) / spacing)},${Math.floor((pop.lat[i]! * ky) / spacing)}`;
    const cell = cells.get(key);
    if (cell) {
      cell.lon += pop.lon[i]! * w;
      cell.lat += pop.lat[i]! * w;
      cell.w += w;
    } else cells.set(key, { lon: pop.lon[i]! * w, lat: pop.lat[i]! * w, w });
    if (cells.size > MAX_CANDIDATES) {
      throw new ApiError(
        'validation_failed',
        `More than ${MAX_CANDIDATES} grid cells hold uncovered population; use a larger grid_spacing_m`,
        {
          errors: [
            { in: 'body', pointer: '/grid_spacing_m', message: `a ${spacing} m grid gives more than ${MAX_CANDIDATES} candidate cells` },
          ],
        },
      );
    }
  }
  return [...cells.values()].map((c) => ({ lon: c.lon / c.w, lat: c.lat / c.w }));
}

export function suggest(run: CoverageRun, input: SuggestInput, speed: number) {
  const net = run.planning.network;
  const pop = run.planning.population?.population;
  const snaps = run.planning.snaps;
  if (!pop) throw new ApiError('conflict', 'No population layer is loaded: PUT /api/v1/population first');
  if (run.method !== 'network' || !net || !snaps)
    throw new ApiError('conflict', 'Siting needs the walking network: PUT /api/v1/network first');
  const points = input.candidates ?? gridCandidates(run, input.level, speed, input.grid_spacing_m ?? DEFAULT_GRID_M);
  const g = net.network;
  const work = sitingWork(g, points.length, input.level * speed);
  if (work > MAX_SITING_EDGE_VISITS) {
    const fix = input.candidates ? 'send fewer candidates' : 'use a larger grid_spacing_m';
    const message = `${points.length} candidates × about ${edgesWithinReach(g, input.level * speed)} edges within ${input.level} min is about ${work} edge visits; at most ${MAX_SITING_EDGE_VISITS}: ${fix} or a smaller level`;
    throw new ApiError('validation_failed', `Too much work for one request: ${message}`, {
      errors: [{ in: 'body', pointer: input.candidates ? '/candidates' : '/level', message }],
    });
  }
  const byEdge = unitsByEdge(g.edgeU.length, snaps);
  const scratch = new Float64Array(g.nodeLon.length).fill(Infinity);
  const covers = points.map((p) => {
    const s = net.index.snap(p.lon, p.lat)!;
    return newlyCovered(g, snaps, byEdge, run.metres, s, input.level, speed, scratch);
  });
  const picks = greedyMaxCover(covers, pop.pop, input.k, spacingRule(points, run.amenities, input.min_spacing_m));
  const base = aggregate(run.metres, pop.pop, pop.district, pop.districts, [input.level], speed);
  const coveredBefore = base.levels[0]!.covered;
  const total = base.population;
  const share = (x: number) => (total > 0 ? Math.round((x / total) * 1e6) / 1e6 : 0);
  const coveredAfter = coveredBefore + (picks.at(-1)?.cumulative ?? 0);
  return {
    level: input.level,
    speed_m_per_min: speed,
    population: total,
    covered_before: coveredBefore,
    covered_after: coveredAfter,
    share_before: share(coveredBefore),
    share_after: share(coveredAfter),
    candidates: points.length,
    picks: picks.map((p, i) => ({
      rank: i + 1,
      lon: points[p.candidate]!.lon,
      lat: points[p.candidate]!.lat,
      marginal_population: p.marginal,
      cumulative_population: p.cumulative,
      share_after: share(coveredBefore + p.cumulative),
    })),
    guarantee: GUARANTEE,
  };
}
