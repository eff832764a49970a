/**
 * A province-sized planning case for benchmarks and load tests: several cities, each a jittered
 * street grid cut by a river crossed only at a few bridges, with a motorway ring (excluded from
 * walking) and gaps; population blocks clustered in the cities; stations spread over them.
 *
 *   npx node scripts/gen-province.ts [outDir=province-data] [--cities 9] [--grid 112] [--units 100800] [--stations 2070]
 *
 * writes network.geojson, population.csv and stations.json (+ districts.json) to outDir.
 * Deterministic: the same options give the same files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from './sim/rng.ts';

export interface ProvinceOptions {
  cities: number;
  /** streets per side of a city's grid */
  grid: number;
  units: number;
  stations: number;
  seed: number;
}

export const PROVINCE: ProvinceOptions = { cities: 9, grid: 112, units: 100_800, stations: 2_070, seed: 20260721 };
/** One demo-sized city: what a city's planning office loads. */
export const CITY: ProvinceOptions = { cities: 1, grid: 60, units: 8_000, stations: 120, seed: 7 };

export interface Way {
  coords: Array<[number, number]>;
  highway: string;
}

export interface Province {
  ways: Way[];
  units: Array<{ lon: number; lat: number; population: number; district: string; name: string }>;
  stations: Array<{ id: string; name: string; district: string; lon: number; lat: number }>;
  districts: Array<{ id: string; name: string }>;
}

const STEP_LAT = 0.001; // ≈ 111 m
const r7 = (x: number) => Math.round(x * 1e7) / 1e7;

export function generateProvince(o: ProvinceOptions): Province {
  const stream = new Rng(o.seed);
  const rand = () => stream.next();
  const ways: Way[] = [];
  const units: Province['units'] = [];
  const stations: Province['stations'] = [];
  const districts: Province['districts'] = [];
  const side = Math.ceil(Math.sqrt(o.cities));
  const n = o.grid;
  for (let c = 0; c < o.cities; c++) {
    const lat0 = 35.2 + Math.floor(c / side) * 0.7;
    const lon0 = 114.8 + (c % side) * 0.9;
    const stepLon = STEP_LAT / Math.cos((lat0 * Math.PI) / 180);
    // Jittered intersections, shared by the east-west and north-south streets through them.
    const lon: number[][] = [];
    const lat: number[][] = [];
    for (let i = 0; i < n; i++) {
      lon.push([]);
      lat.push([]);
      for (let j = 0; j < n; j++) {
        lon[i]!.push(r7(lon0 + j * stepLon + (rand() - 0.5) * 0.3 * stepLon));
        lat[i]!.push(r7(lat0 + i * STEP_LAT + (rand() - 0.5) * 0.3 * STEP_LAT));
      }
    }
    const river = Math.floor(n / 2) + Math.floor(rand() * 6) - 3; // between rows river and river+1
    const bridges = new Set([Math.floor(n * 0.2), Math.floor(n * 0.55), Math.floor(n * 0.85)]);
    const gone = () => rand() < 0.03; // dead ends and missing links
    const emit = (pts: Array<[number, number]>, highway: string) => {
      if (pts.length >= 2) ways.push({ coords: pts, highway });
    };
    // East-west streets: split into ways of a few blocks, broken where a link is missing.
    for (let i = 0; i < n; i++) {
      let cur: Array<[number, number]> = [[lon[i]![0]!, lat[i]![0]!]];
      for (let j = 1; j < n; j++) {
        if (gone() || cur.length > 8) {
          emit(cur, i % 8 === 0 ? 'secondary' : 'residential');
          cur = [];
        }
        if (cur.length === 0) cur.push([lon[i]![j - 1]!, lat[i]![j - 1]!]);
        cur.push([lon[i]![j]!, lat[i]![j]!]);
      }
      emit(cur, i % 8 === 0 ? 'secondary' : 'residential');
    }
    // North-south streets stop at the river except at the bridges.
    for (let j = 0; j < n; j++) {
      let cur: Array<[number, number]> = [[lon[0]![j]!, lat[0]![j]!]];
      for (let i = 1; i < n; i++) {
        const crossing = i === river + 1;
        if ((crossing && !bridges.has(j)) || gone() || cur.length > 8) {
          emit(cur, 'residential');
          cur = [];
        }
        if (crossing && !bridges.has(j)) continue;
        if (cur.length === 0) cur.push([lon[i - 1]![j]!, lat[i - 1]![j]!]);
        cur.push([lon[i]![j]!, lat[i]![j]!]);
      }
      emit(cur, 'residential');
    }
    // A motorway straight across the city and the river: not for walking.
    emit(
      Array.from({ length: n }, (_, i) => [lon[i]![Math.floor(n / 3)]! + stepLon * 0.5, lat[i]![0]!] as [number, number]),
      'motorway',
    );
    // Districts: the city's four quarters.
    const ids = ['ne', 'nw', 'se', 'sw'].map((q) => `c${c}-${q}`);
    for (const id of ids) districts.push({ id, name: `City ${c + 1} ${id.slice(-2).toUpperCase()}` });
    const districtOf = (i: number, j: number) => ids[(i < n / 2 ? 2 : 0) + (j < n / 2 ? 1 : 0)]!;
    // Blocks cluster towards the centre.
    const perCity = Math.floor(o.units / o.cities) + (c < o.units % o.cities ? 1 : 0);
    for (let u = 0; u < perCity; u++) {
      const gi = Math.min(n - 1.01, Math.max(0, n / 2 + ((rand() + rand() + rand()) / 3 - 0.5) * n * 1.9));
      const gj = Math.min(n - 1.01, Math.max(0, n / 2 + ((rand() + rand() + rand()) / 3 - 0.5) * n * 1.9));
      units.push({
        lon: r7(lon0 + gj * stepLon),
        lat: r7(lat0 + gi * STEP_LAT),
        population: 20 + Math.floor(rand() * 600),
        district: districtOf(gi, gj),
        name: `Block ${c + 1}-${u + 1}`,
      });
    }
    const perCityStations = Math.floor(o.stations / o.cities) + (c < o.stations % o.cities ? 1 : 0);
    for (let s = 0; s < perCityStations; s++) {
      const i = Math.floor(rand() * n);
      const j = Math.floor(rand() * n);
      stations.push({
        id: `st-${c}-${s}`,
        name: `Station ${c + 1}-${s + 1}`,
        district: districtOf(i, j),
        lon: r7(lon[i]![j]! + stepLon * 0.2),
        lat: r7(lat[i]![j]! + STEP_LAT * 0.1),
      });
    }
  }
  return { ways, units, stations, districts };
}

/** The walking network as GeoJSON text, produced piece by piece (a province is tens of MB). */
export function* networkGeoJson(p: Province): Generator<string> {
  yield '{"type":"FeatureCollection","features":[\n';
  for (let i = 0; i < p.ways.length; i++) {
    const w = p.ways[i]!;
    yield `${i ? ',\n' : ''}{"type":"Feature","properties":{"highway":"${w.highway}"},"geometry":{"type":"LineString","coordinates":${JSON.stringify(w.coords)}}}`;
  }
  yield '\n]}\n';
}

export function populationCsv(p: Province): string {
  return (
    'lon,lat,population,district,name\n' + p.units.map((u) => `${u.lon},${u.lat},${u.population},${u.district},${u.name}`).join('\n') + '\n'
  );
}

export function segmentCount(p: Province): number {
  return p.ways.reduce((s, w) => s + (w.highway === 'motorway' ? 0 : w.coords.length - 1), 0);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, d: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const out = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'province-data';
  const o: ProvinceOptions = {
    cities: opt('cities', PROVINCE.cities),
    grid: opt('grid', PROVINCE.grid),
    units: opt('units', PROVINCE.units),
    stations: opt('stations', PROVINCE.stations),
    seed: opt('seed', PROVINCE.seed),
  };
  const p = generateProvince(o);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'network.geojson'), [...networkGeoJson(p)].join(''));
  await writeFile(join(out, 'population.csv'), populationCsv(p));
  await writeFile(join(out, 'stations.json'), JSON.stringify(p.stations));
  await writeFile(join(out, 'districts.json'), JSON.stringify(p.districts));
  console.log(
    `${out}: ${p.ways.length} ways, ${segmentCount(p)} walking segments, ${p.units.length} population units, ${p.stations.length} stations, ${p.districts.length} districts`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
