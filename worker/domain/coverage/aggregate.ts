/**
 * Population-weighted coverage from each unit's walking distance. Pure arithmetic over typed
 * arrays; the same function serves the network and the straight-line method.
 */
export interface LevelFigure {
  minutes: number;
  covered: number;
  share: number;
}

export interface DistrictFigure {
  district: string | null;
  population: number;
  units: number;
  levels: LevelFigure[];
  not_reached: number;
}

export interface HistogramBin {
  /** inclusive lower bound, minutes (null for units with no path) */
  from: number | null;
  /** exclusive upper bound, minutes (null = open-ended / no path) */
  to: number | null;
  population: number;
  units: number;
}

export interface CoverageFigures {
  population: number;
  units: number;
  levels: LevelFigure[];
  by_district: DistrictFigure[];
  /** population beyond the largest level, including those with no path at all */
  not_reached: number;
  /** population with no walking path to any amenity (another network component, or no amenity) */
  unreachable: number;
  histogram: HistogramBin[];
}

/** The 5-, 10- and 15-minute life circles (GB 50180-2018), unless a request names its own. */
export const DEFAULT_LEVELS = [5, 10, 15];

/**
 * Float sums of geodesic lengths differ from a planner's GIS in the last bits; a unit exactly on a
 * level's boundary counts as covered within a micrometre.
 */
export const BOUNDARY_TOLERANCE_M = 1e-6;

export function isCovered(metres: number, minutes: number, speed: number): boolean {
  return metres <= minutes * speed + BOUNDARY_TOLERANCE_M;
}

/** Walking minutes shown to people: one decimal, null when there is no path. */
export function minutesOf(metres: number, speed: number): number | null {
  return Number.isFinite(metres) ? metres / speed : null;
}

const share = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1e6) / 1e6 : 0);

export function aggregate(
  metres: Float64Array,
  pop: Float64Array,
  district: Int32Array,
  districts: string[],
  levels: number[],
  speed: number,
): CoverageFigures {
  const L = levels.length;
  const maxLevel = Math.max(...levels);
  const D = districts.length + 1; // last slot: units without a district
  const dPop = new Float64Array(D);
  const dUnits = new Int32Array(D);
  const dCov = new Float64Array(D * L);
  const binCount = Math.ceil(maxLevel * 2);
  const bins = new Float64Array(binCount + 2); // 1-minute bins, then "beyond", then "no path"
  const binUnits = new Int32Array(binCount + 2);
  let unreachable = 0;
  for (let i = 0; i < metres.length; i++) {
    const p = pop[i]!;
    const d = district[i]! >= 0 ? district[i]! : D - 1;
    dPop[d]! += p;
    dUnits[d]!++;
    const m = metres[i]!;
    for (let l = 0; l < L; l++) if (isCovered(m, levels[l]!, speed)) dCov[d * L + l]! += p;
    let b: number;
    if (!Number.isFinite(m)) {
      b = binCount + 1;
      unreachable += p;
    } else b = Math.min(binCount, Math.floor(m / speed));
    bins[b]! += p;
    binUnits[b]!++;
  }
  const population = dPop.reduce((a, b) => a + b, 0);
  const totals = levels.map((minutes, l) => {
    let covered = 0;
    for (let d = 0; d < D; d++) covered += dCov[d * L + l]!;
    return { minutes, covered, share: share(covered, population) };
  });
  const maxIdx = levels.indexOf(maxLevel);
  const by_district: DistrictFigure[] = [];
  for (let d = 0; d < D; d++) {
    if (dUnits[d] === 0) continue;
    const lv = levels.map((minutes, l) => ({ minutes, covered: dCov[d * L + l]!, share: share(dCov[d * L + l]!, dPop[d]!) }));
    by_district.push({
      district: d < D - 1 ? districts[d]! : null,
      population: dPop[d]!,
      units: dUnits[d]!,
      levels: lv,
      not_reached: dPop[d]! - lv[maxIdx]!.covered,
    });
  }
  by_district.sort((a, b) =>
    a.district === null ? 1 : b.district === null ? -1 : a.district < b.district ? -1 : a.district > b.district ? 1 : 0,
  );
  const histogram: HistogramBin[] = [];
  for (let b = 0; b < binCount; b++) histogram.push({ from: b, to: b + 1, population: bins[b]!, units: binUnits[b]! });
  histogram.push({ from: binCount, to: null, population: bins[binCount]!, units: binUnits[binCount]! });
  histogram.push({ from: null, to: null, population: bins[binCount + 1]!, units: binUnits[binCount + 1]! });
  return {
    population,
    units: metres.length,
    levels: totals,
    by_district,
    not_reached: population - totals[maxIdx]!.covered,
    unreachable,
    histogram,
  };
}
