import Papa from 'papaparse';
import { readPosition, type FeatureError } from './network-build.ts';
import { Grow } from './network.ts';

/** Population units (residential blocks, census cells…) as parallel typed arrays. */
export interface Population {
  lon: Float64Array;
  lat: Float64Array;
  pop: Float64Array;
  /** index into `districts`, -1 when the unit has none */
  district: Int32Array;
  districts: string[];
  names: Array<string | null>;
}

export interface UnitInput {
  lon: number;
  lat: number;
  population: number;
  district: string | null;
  name: string | null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Area-weighted centroid of a polygon's outer ring (planar in degrees: exact enough for a block). */
export function ringCentroid(ring: Array<[number, number]>): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  const x0 = ring[0]![0];
  const y0 = ring[0]![1];
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = [ring[i]![0] - x0, ring[i]![1] - y0];
    const [x2, y2] = [ring[i + 1]![0] - x0, ring[i + 1]![1] - y0];
    const cross = x1 * y2 - x2 * y1;
    a += cross;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
  }
  if (Math.abs(a) < 1e-18) {
    // Degenerate ring: the mean of its vertices.
    let sx = 0;
    let sy = 0;
    for (const p of ring) {
      sx += p[0];
      sy += p[1];
    }
    return [sx / ring.length, sy / ring.length];
  }
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)];
}

function optionalText(v: unknown, at: string, field: string): FeatureError | string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return { pointer: `${at}/${field}`, message: `${field} must be a string` };
  if (v.length > 200) return { pointer: `${at}/${field}`, message: `${field} must be at most 200 characters` };
  return v;
}

/** Validate one population feature (Point, or Polygon taken at its centroid). */
export function parseUnitFeature(f: unknown): FeatureError | UnitInput {
  if (!isObject(f)) return { pointer: '', message: 'a feature must be a GeoJSON Feature object' };
  if (f.type !== 'Feature') return { pointer: '/type', message: 'type must be "Feature"' };
  const props = f.properties;
  if (!isObject(props)) return { pointer: '/properties', message: 'properties must be an object with a numeric population' };
  const population = props.population;
  if (typeof population !== 'number' || !Number.isFinite(population))
    return { pointer: '/properties/population', message: 'population must be a number' };
  if (population < 0) return { pointer: '/properties/population', message: 'population must be ≥ 0' };
  const district = optionalText(props.district, '/properties', 'district');
  if (district !== null && typeof district !== 'string') return district;
  const name = optionalText(props.name, '/properties', 'name');
  if (name !== null && typeof name !== 'string') return name;
  const g = f.geometry;
  if (!isObject(g)) return { pointer: '/geometry', message: 'geometry must be a Point or Polygon object' };
  let at: [number, number];
  if (g.type === 'Point') {
    const p = readPosition(g.coordinates, '/geometry/coordinates');
    if (!Array.isArray(p)) return p;
    at = p;
  } else if (g.type === 'Polygon') {
    const rings = g.coordinates;
    if (!Array.isArray(rings) || rings.length === 0)
      return { pointer: '/geometry/coordinates', message: 'a Polygon needs at least one linear ring' };
    const outer = rings[0];
    if (!Array.isArray(outer) || outer.length < 4)
      return { pointer: '/geometry/coordinates/0', message: 'a linear ring needs at least four positions' };
    const ring: Array<[number, number]> = [];
    for (let i = 0; i < outer.length; i++) {
      const p = readPosition(outer[i], `/geometry/coordinates/0/${i}`);
      if (!Array.isArray(p)) return p;
      ring.push(p);
    }
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1])
      return { pointer: '/geometry/coordinates/0', message: 'a linear ring must end at its first position' };
    at = ringCentroid(ring);
  } else {
    return { pointer: '/geometry/type', message: `geometry type must be Point or Polygon, not ${JSON.stringify(g.type)}` };
  }
  return { lon: at[0], lat: at[1], population, district, name };
}

/** Collects units into typed arrays. */
export class PopulationBuilder {
  private readonly lon = new Grow(Float64Array);
  private readonly lat = new Grow(Float64Array);
  private readonly pop = new Grow(Float64Array);
  private readonly district = new Grow(Int32Array);
  private readonly districtIds = new Map<string, number>();
  private readonly names: Array<string | null> = [];
  total = 0;

  add(u: UnitInput): void {
    this.lon.push(u.lon);
    this.lat.push(u.lat);
    this.pop.push(u.population);
    this.total += u.population;
    let d = -1;
    if (u.district !== null) {
      d = this.districtIds.get(u.district) ?? -1;
      if (d < 0) {
        d = this.districtIds.size;
        this.districtIds.set(u.district, d);
      }
    }
    this.district.push(d);
    this.names.push(u.name);
  }

  get units(): number {
    return this.lon.length;
  }

  finish(): Population {
    return {
      lon: this.lon.done(),
      lat: this.lat.done(),
      pop: this.pop.done(),
      district: this.district.done(),
      districts: [...this.districtIds.keys()],
      names: this.names,
    };
  }
}

export interface CsvError {
  pointer: string;
  message: string;
}

/**
 * `lon,lat,population[,district][,name]` (any column order, header required). Errors point at
 * `/rows/<data row index>/<column>`; at most `maxErrors` are collected.
 */
export function parsePopulationCsv(
  text: string,
  maxErrors = 50,
): { ok: true; population: Population; total: number } | { ok: false; errors: CsvError[]; message: string } {
  const b = new PopulationBuilder();
  const errors: CsvError[] = [];
  let row = 0;
  let parseError = null as CsvError | null;
  const clean = text.replace(/^\uFEFF/, '');
  const headerLine = clean.slice(0, Math.max(0, clean.search(/\r?\n|$/)));
  const header = (Papa.parse<string[]>(headerLine).data[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = ['lon', 'lat', 'population'].filter((c) => !header.includes(c));
  if (missing.length) {
    const message = `CSV header must name the columns lon,lat,population (optional district,name); missing: ${missing.join(', ')}`;
    return { ok: false, errors: [{ pointer: '/header', message }], message };
  }
  Papa.parse<Record<string, string>>(clean, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
    step: (r, parser) => {
      const i = row++;
      if (r.errors.length && r.errors[0]!.type !== 'FieldMismatch') {
        parseError = { pointer: `/rows/${i}`, message: `line ${i + 2}: ${r.errors[0]!.message}` };
        parser.abort();
        return;
      }
      const d = r.data;
      const num = (col: 'lon' | 'lat' | 'population'): number | null => {
        const raw = (d[col] ?? '').trim();
        const v = raw === '' ? NaN : Number(raw);
        return Number.isFinite(v) ? v : null;
      };
      const fail = (col: string, message: string) => {
        if (errors.length < maxErrors) errors.push({ pointer: `/rows/${i}/${col}`, message: `line ${i + 2}: ${message}` });
      };
      const lon = num('lon');
      const lat = num('lat');
      const population = num('population');
      if (lon === null || lon < -180 || lon > 180)
        return fail('lon', `lon must be a number in -180…180, got ${JSON.stringify(d.lon ?? '')}`);
      if (lat === null || lat < -90 || lat > 90) return fail('lat', `lat must be a number in -90…90, got ${JSON.stringify(d.lat ?? '')}`);
      if (population === null || population < 0)
        return fail('population', `population must be a number ≥ 0, got ${JSON.stringify(d.population ?? '')}`);
      const district = (d.district ?? '').trim() || null;
      const name = (d.name ?? '').trim() || null;
      if (district && district.length > 200) return fail('district', 'district must be at most 200 characters');
      if (name && name.length > 200) return fail('name', 'name must be at most 200 characters');
      if (errors.length === 0) b.add({ lon, lat, population, district, name });
    },
  });
  if (parseError) return { ok: false, errors: [parseError], message: parseError.message };
  if (errors.length)
    return {
      ok: false,
      errors,
      message: `${errors.length}${errors.length >= maxErrors ? '+' : ''} invalid row(s); first: ${errors[0]!.message}`,
    };
  return { ok: true, population: b.finish(), total: b.total };
}
