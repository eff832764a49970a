import { geodesicLength } from './geo.ts';
import { Grow, makeNetwork, type Network } from './network.ts';

/** OSM-style ways no pedestrian may use: not part of the walking network. */
export const EXCLUDED_HIGHWAYS = new Set(['motorway', 'motorway_link', 'trunk']);

export interface FeatureError {
  /** JSON pointer below the feature, e.g. `/geometry/coordinates/3/0` */
  pointer: string;
  message: string;
}

type Position = [number, number];

/** Check one position; returns an error or the [lon, lat] pair. */
export function readPosition(p: unknown, at: string): FeatureError | Position {
  if (!Array.isArray(p) || p.length < 2) return { pointer: at, message: 'a position must be an array [longitude, latitude]' };
  const [lon, lat] = p as unknown[];
  if (typeof lon !== 'number' || !Number.isFinite(lon)) return { pointer: `${at}/0`, message: 'longitude must be a finite number' };
  if (typeof lat !== 'number' || !Number.isFinite(lat)) return { pointer: `${at}/1`, message: 'latitude must be a finite number' };
  if (lon < -180 || lon > 180)
    return { pointer: `${at}/0`, message: `longitude ${lon} is outside -180…180 (coordinates must be WGS-84 [lon, lat])` };
  if (lat < -90 || lat > 90)
    return { pointer: `${at}/1`, message: `latitude ${lat} is outside -90…90 (coordinates must be WGS-84 [lon, lat])` };
  return [lon, lat];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read a line's positions, or the first error in it. */
function readLine(coords: unknown, at: string): FeatureError | Position[] {
  if (!Array.isArray(coords)) return { pointer: at, message: 'coordinates must be an array of positions' };
  if (coords.length < 2) return { pointer: at, message: 'a LineString needs at least two positions' };
  const out: Position[] = [];
  for (let i = 0; i < coords.length; i++) {
    const p = readPosition(coords[i], `${at}/${i}`);
    if (!Array.isArray(p)) return p;
    out.push(p);
  }
  return out;
}

export type ParsedWay = { excluded: true } | { excluded: false; lines: Position[][] };

/** Validate one feature of the walking network. */
export function parseWayFeature(f: unknown): FeatureError | ParsedWay {
  if (!isObject(f)) return { pointer: '', message: 'a feature must be a GeoJSON Feature object' };
  if (f.type !== 'Feature') return { pointer: '/type', message: 'type must be "Feature"' };
  const props = f.properties;
  if (props !== undefined && props !== null && !isObject(props))
    return { pointer: '/properties', message: 'properties must be an object or null' };
  const highway = props?.highway;
  const foot = props?.foot;
  if (highway !== undefined && highway !== null && typeof highway !== 'string')
    return { pointer: '/properties/highway', message: 'highway must be a string' };
  if (foot !== undefined && foot !== null && typeof foot !== 'string')
    return { pointer: '/properties/foot', message: 'foot must be a string' };
  const g = f.geometry;
  if (!isObject(g)) return { pointer: '/geometry', message: 'geometry must be a LineString or MultiLineString object' };
  let lines: Position[][];
  if (g.type === 'LineString') {
    const l = readLine(g.coordinates, '/geometry/coordinates');
    if (!Array.isArray(l)) return l;
    lines = [l];
  } else if (g.type === 'MultiLineString') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0)
      return { pointer: '/geometry/coordinates', message: 'a MultiLineString needs an array of at least one line' };
    lines = [];
    for (let i = 0; i < g.coordinates.length; i++) {
      const l = readLine(g.coordinates[i], `/geometry/coordinates/${i}`);
      if (!Array.isArray(l)) return l;
      lines.push(l);
    }
  } else {
    return { pointer: '/geometry/type', message: `geometry type must be LineString or MultiLineString, not ${JSON.stringify(g.type)}` };
  }
  // Validated before exclusion so a bad excluded feature is still reported.
  if ((typeof highway === 'string' && EXCLUDED_HIGHWAYS.has(highway)) || foot === 'no') return { excluded: true };
  return { excluded: false, lines };
}

/** Counts the features given and those left out; the lines of each kept way go to `line`. */
abstract class WayCounter {
  excluded = 0;
  features = 0;

  add(way: ParsedWay): void {
    this.features++;
    if (way.excluded) {
      this.excluded++;
      return;
    }
    for (const l of way.lines) this.line(l);
  }

  protected abstract line(positions: Position[]): void;
}

/**
 * Accumulates ways into a graph: nodes are joined where coordinates coincide exactly, every
 * segment is an edge weighted by its geodesic length. Repeated consecutive positions add nothing.
 */
export class NetworkBuilder extends WayCounter {
  private readonly ids = new Map<string, number>();
  private readonly lon = new Grow(Float64Array);
  private readonly lat = new Grow(Float64Array);
  private readonly u = new Grow(Int32Array);
  private readonly v = new Grow(Int32Array);
  private readonly len = new Grow(Float64Array);

  private node(lon: number, lat: number): number {
    const key = `${lon},${lat}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.lon.length;
      this.ids.set(key, id);
      this.lon.push(lon);
      this.lat.push(lat);
    }
    return id;
  }

  protected line(positions: Position[]): void {
    const flat = new Float64Array(positions.length * 2);
    positions.forEach((p, i) => {
      flat[2 * i] = p[0];
      flat[2 * i + 1] = p[1];
    });
    this.addLine(flat, 0, positions.length);
  }

  /** One line given as flat [lon, lat, lon, lat, …] positions `from` … `to` - 1. */
  addLine(coords: Float64Array, from: number, to: number): void {
    let prev = this.node(coords[2 * from]!, coords[2 * from + 1]!);
    for (let i = from + 1; i < to; i++) {
      const lon = coords[2 * i]!;
      const lat = coords[2 * i + 1]!;
      const cur = this.node(lon, lat);
      if (cur === prev) continue;
      this.u.push(prev);
      this.v.push(cur);
      this.len.push(geodesicLength(coords[2 * i - 2]!, coords[2 * i - 1]!, lon, lat));
      prev = cur;
    }
  }

  /** Ways staged by a chunked upload (see WayStage), in feature order. */
  addStaged(coords: Float64Array, starts: Int32Array, features: number, excluded: number): void {
    for (let l = 0; l + 1 < starts.length; l++) this.addLine(coords, starts[l]!, starts[l + 1]!);
    this.features += features;
    this.excluded += excluded;
  }

  get edges(): number {
    return this.u.length;
  }

  finish(): Network {
    this.ids.clear();
    return makeNetwork(this.lon.done(), this.lat.done(), this.u.done(), this.v.done(), this.len.done());
  }
}

/**
 * The validated ways of one part of a chunked upload, kept flat (positions and line starts) until
 * the upload is committed and the whole graph is built at once.
 */
export class WayStage extends WayCounter {
  private readonly coords = new Grow(Float64Array);
  private readonly starts = new Grow(Int32Array);

  protected line(positions: Position[]): void {
    this.starts.push(this.coords.length / 2);
    for (const p of positions) {
      this.coords.push(p[0]);
      this.coords.push(p[1]);
    }
  }

  finish(): { coords: Float64Array; starts: Int32Array } {
    this.starts.push(this.coords.length / 2);
    return { coords: this.coords.done(), starts: this.starts.done() };
  }
}
