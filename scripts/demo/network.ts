/**
 * A synthetic street and walking network for the demo city (GeoJSON, WGS-84): a slightly
 * irregular grid of streets, main roads every fourth line, with holes where the lake is and a
 * river crossed only at bridges. Streets are LineStrings through every intersection, so features
 * join where coordinates coincide (CONTRACT: PUT /api/v1/network).
 */
import { rngFor } from '../sim/rng.ts';
import { inBox, inWater, LAKE, RIVER_LON, round6, type Box } from './geo.ts';

export interface LineFeature {
  type: 'Feature';
  properties: { highway: string };
  geometry: { type: 'LineString'; coordinates: number[][] };
}

export interface FeatureCollection<F> {
  type: 'FeatureCollection';
  features: F[];
}

/** Areas that get streets: the main city (old town, development zones) and Chiping's town. */
export const URBAN_AREAS: Array<{ name: string; box: Box }> = [
  { name: 'city', box: { south: 36.385, west: 115.9, north: 36.51, east: 116.08 } },
  { name: 'chiping', box: { south: 36.555, west: 116.22, north: 36.61, east: 116.29 } },
];

const LAT_STEP = 0.0034; // ≈ 380 m between streets
const LON_STEP = 0.0042; // ≈ 375 m

function crossesRiver(lonA: number, lonB: number): boolean {
  return (lonA - RIVER_LON) * (lonB - RIVER_LON) < 0;
}

/** A street between two shore points that would cut across a corner of the lake. */
function cutsLake(a: number[], b: number[]): boolean {
  return inBox(LAKE, (a[1]! + b[1]!) / 2, (a[0]! + b[0]!) / 2);
}

export function demoNetwork(opts: { seed?: number; boxes?: Box[] } = {}): FeatureCollection<LineFeature> {
  const seed = opts.seed ?? 20260721;
  const features: LineFeature[] = [];
  for (const area of opts.boxes ?? URBAN_AREAS.map((a) => a.box)) {
    const rng = rngFor(seed, 'network', area.south, area.west);
    const rows = Math.floor((area.north - area.south) / LAT_STEP) + 1;
    const cols = Math.floor((area.east - area.west) / LON_STEP) + 1;
    // Intersections, jittered a little so the grid does not look ruled; null = in the water.
    const node: Array<Array<number[] | null>> = [];
    for (let r = 0; r < rows; r++) {
      node.push([]);
      for (let c = 0; c < cols; c++) {
        const lat = round6(area.south + r * LAT_STEP + rng.uniform(-0.0004, 0.0004));
        const lon = round6(area.west + c * LON_STEP + rng.uniform(-0.0005, 0.0005));
        node[r]!.push(inWater(lat, lon) ? null : [lon, lat]);
      }
    }
    const main = (i: number) => i % 4 === 0;
    // A few links are missing (walls, building sites, gated compounds): dead ends, detours.
    const missing = () => rng.chance(0.03);

    // East–west streets cross the river only on main roads (the bridges); north–south streets
    // run beside it and never cross.
    for (let r = 0; r < rows; r++) {
      const edge = (c: number) => {
        const a = node[r]![c];
        const b = node[r]![c + 1];
        return !!a && !!b && !missing() && !cutsLake(a, b) && (main(r) || !crossesRiver(a[0]!, b[0]!));
      };
      runs(cols, edge, (c) => node[r]![c]!, main(r) ? 'primary' : 'residential', features);
    }
    for (let c = 0; c < cols; c++) {
      const edge = (r: number) => {
        const a = node[r]![c];
        const b = node[r + 1]?.[c];
        return !!a && !!b && !missing() && !cutsLake(a, b) && !crossesRiver(a[0]!, b[0]!);
      };
      runs(rows, edge, (r) => node[r]![c]!, main(c) ? 'secondary' : 'residential', features);
    }
  }
  return { type: 'FeatureCollection', features };
}

/** Consecutive existing edges along one grid line become one LineString. */
function runs(n: number, edge: (i: number) => boolean, at: (i: number) => number[], highway: string, out: LineFeature[]): void {
  let run: number[][] = [];
  for (let i = 0; i < n - 1; i++) {
    if (edge(i)) {
      if (!run.length) run.push(at(i));
      run.push(at(i + 1));
    } else if (run.length) {
      out.push(street(run, highway));
      run = [];
    }
  }
  if (run.length) out.push(street(run, highway));
}

function street(coords: number[][], highway: string): LineFeature {
  return { type: 'Feature', properties: { highway }, geometry: { type: 'LineString', coordinates: coords } };
}
