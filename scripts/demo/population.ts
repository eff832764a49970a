/**
 * Synthetic residential population units (居住小区) for coverage work: points with a population,
 * denser toward the old centre, none in the water. Generated, not census data.
 */
import { rngFor } from '../sim/rng.ts';
import { DISTRICTS } from './city.ts';
import { inBox, inWater, round6, type Box } from './geo.ts';

export interface PopulationFeature {
  type: 'Feature';
  properties: { population: number; district: string; name: string };
  geometry: { type: 'Point'; coordinates: [number, number] };
}

/** Urban centres: where people live densest, and how fast density falls off (degrees). */
const CENTRES = [
  { lat: 36.462, lon: 115.975, spread: 0.035, weight: 1 },
  { lat: 36.478, lon: 116.04, spread: 0.03, weight: 0.55 },
  { lat: 36.425, lon: 116.035, spread: 0.03, weight: 0.45 },
  { lat: 36.412, lon: 115.975, spread: 0.025, weight: 0.35 },
  { lat: 36.582, lon: 116.255, spread: 0.022, weight: 0.5 },
];

function density(lat: number, lon: number): number {
  let d = 0;
  for (const c of CENTRES) {
    const r2 = ((lat - c.lat) / c.spread) ** 2 + ((lon - c.lon) / (c.spread * 1.24)) ** 2;
    d += c.weight * Math.exp(-r2 / 2);
  }
  return d;
}

export function demoPopulation(opts: { seed?: number; units?: number; districts?: string[] } = {}): {
  type: 'FeatureCollection';
  features: PopulationFeature[];
} {
  const seed = opts.seed ?? 20260721;
  const target = opts.units ?? 650;
  const rng = rngFor(seed, 'population');
  const districts = DISTRICTS.filter((d) => !opts.districts || opts.districts.includes(d.id));
  const bounds: Box = {
    south: Math.min(...districts.map((d) => d.box.south)),
    west: Math.min(...districts.map((d) => d.box.west)),
    north: Math.max(...districts.map((d) => d.box.north)),
    east: Math.max(...districts.map((d) => d.box.east)),
  };
  const features: PopulationFeature[] = [];
  const counts = new Map<string, number>();
  // Rejection sampling against the density surface.
  for (let tries = 0; features.length < target && tries < target * 400; tries++) {
    const lat = rng.uniform(bounds.south, bounds.north);
    const lon = rng.uniform(bounds.west, bounds.east);
    if (inWater(lat, lon)) continue;
    const district = districts.find((d) => inBox(d.box, lat, lon));
    if (!district) continue;
    const dens = density(lat, lon);
    if (rng.next() > dens) continue;
    const n = (counts.get(district.id) ?? 0) + 1;
    counts.set(district.id, n);
    // Compounds near the centre are bigger (high-rise); outer ones are older, low-rise.
    const population = Math.round(rng.uniform(300, 1200) + dens * rng.uniform(800, 3500));
    features.push({
      type: 'Feature',
      properties: { population, district: district.id, name: `${district.name}居住单元 ${String(n).padStart(3, '0')}` },
      geometry: { type: 'Point', coordinates: [round6(lon), round6(lat)] },
    });
  }
  return { type: 'FeatureCollection', features };
}
