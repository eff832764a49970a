/**
 * The rows of a registry import and their validation, whatever the file format: one typed row per
 * site, one error per bad field at the pointer the format gives it, and the checks across rows
 * (duplicates, references). Pure: the caller supplies what already exists.
 */
import { toWgs84, type Datum } from './china-crs.ts';
import { boundaryProblem, dayProblem, ID_RE, NAME_MAX, openingHoursProblem, PORTS_MAX } from './site-rules.ts';

export const SITE_KINDS = ['district', 'park', 'station', 'bench'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export interface DistrictRow {
  kind: 'district';
  id: string;
  name: string;
  /** GeoJSON Polygon / MultiPolygon; only from GeoJSON imports. */
  boundary: object | null;
}
export interface ParkRow {
  kind: 'park';
  id: string;
  name: string;
  district: string;
  lat: number;
  lon: number;
  /** Responsible unit (包片); null: not given (an existing park keeps its unit). */
  unit: string | null;
}
export interface StationRow {
  kind: 'station';
  id: string;
  name: string;
  district: string;
  lat: number;
  lon: number;
  /** null: not given (a new station gets 24/7, an existing one keeps its hours). */
  opening_hours: string | null;
  opened_on: string | null;
  /** Responsible unit (包片); null: not given (an existing station keeps its unit). */
  unit: string | null;
}
export interface BenchRow {
  kind: 'bench';
  id: string;
  park: string;
  name: string | null;
  lat: number | null;
  lon: number | null;
  ports: number | null;
  /** Responsible unit of the bench itself; null: not given (it follows its park's). */
  unit: string | null;
}
export type SiteRow = DistrictRow | ParkRow | StationRow | BenchRow;

export interface ImportIssue {
  pointer: string;
  message: string;
}

/** A parsed row and how to point at each of its fields in the source document. */
export interface LocatedRow {
  row: SiteRow;
  /** Where the row itself is, e.g. `/features/3` or `/rows/4`. */
  at: string;
  /** Pointer of one field of this row. */
  field: (name: string) => string;
}

export interface ParseResult {
  rows: LocatedRow[];
  errors: ImportIssue[];
}

/** RFC 6901 escaping of one segment. */
export function seg(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

// ─── Field readers ───────────────────────────────────────────────────────────────────────────
// Raw values: JSON values from GeoJSON properties, strings from CSV cells. `undefined` = absent
// (a missing property, a JSON null or an empty CSV cell).

export type Raw = unknown;
export type Read<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = <T>(message: string): Read<T> => ({ ok: false, message });

function present(raw: Raw): boolean {
  return raw !== undefined && raw !== null && !(typeof raw === 'string' && raw.trim() === '');
}

function readId(raw: Raw): Read<string> {
  if (typeof raw === 'number' && Number.isInteger(raw)) raw = String(raw);
  if (typeof raw !== 'string') return bad('must be a string id');
  const s = raw.trim();
  return ID_RE.test(s) ? ok(s) : bad(`"${s}" must match ^[A-Za-z0-9_.-]{1,64}$`);
}

function readName(raw: Raw): Read<string> {
  if (typeof raw !== 'string') return bad('must be a string');
  const s = raw.trim();
  if (s === '') return bad('must not be empty');
  return s.length > NAME_MAX ? bad(`must be at most ${NAME_MAX} characters`) : ok(s);
}

/** Numbers: JSON numbers, or in CSV a decimal literal. */
function readNumber(raw: Raw, fromText: boolean): Read<number> {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (fromText && typeof raw === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw)) n = Number(raw);
  else return bad(`must be a number${typeof raw === 'string' ? `, not "${raw}"` : ''}`);
  return Number.isFinite(n) ? ok(n) : bad('must be a finite number');
}

function readLat(raw: Raw, fromText: boolean): Read<number> {
  const r = readNumber(raw, fromText);
  if (!r.ok) return r;
  return r.value >= -90 && r.value <= 90 ? r : bad(`latitude ${r.value} is outside −90…90 (WGS-84)`);
}

function readLon(raw: Raw, fromText: boolean): Read<number> {
  const r = readNumber(raw, fromText);
  if (!r.ok) return r;
  return r.value >= -180 && r.value <= 180 ? r : bad(`longitude ${r.value} is outside −180…180 (WGS-84)`);
}

function readPorts(raw: Raw, fromText: boolean): Read<number> {
  const r = readNumber(raw, fromText);
  if (!r.ok) return r;
  return Number.isInteger(r.value) && r.value >= 0 && r.value <= PORTS_MAX ? r : bad(`must be an integer 0…${PORTS_MAX}`);
}

function readOpeningHours(raw: Raw): Read<string> {
  if (typeof raw !== 'string') return bad('must be an opening_hours string such as "Mo-Su 06:00-22:00"');
  const s = raw.trim();
  const p = openingHoursProblem(s);
  return p ? bad(p) : ok(s);
}

function readDay(raw: Raw): Read<string> {
  if (typeof raw !== 'string') return bad('must be a date YYYY-MM-DD');
  const s = raw.trim();
  const p = dayProblem(s);
  return p ? bad(p) : ok(s);
}

// ─── One row from a bag of raw fields ────────────────────────────────────────────────────────

/** Raw fields of one row, with where each came from. */
export interface RawRow {
  get(field: string): Raw;
  pointer(field: string): string;
  /** Latitude / longitude, possibly from a geometry rather than from named fields. */
  position?: { lat: Raw; lon: Raw; latPointer: string; lonPointer: string };
  fromText: boolean;
  boundary?: { value: unknown; pointer: string };
}

export function buildRow(kind: SiteKind, raw: RawRow, errors: ImportIssue[]): SiteRow | null {
  const before = errors.length;
  function req<T>(field: string, reader: (r: Raw) => Read<T>): T {
    const v = raw.get(field);
    if (!present(v)) {
      errors.push({ pointer: raw.pointer(field), message: `${field} is required for a ${kind}` });
      return undefined as T;
    }
    const r = reader(v);
    if (!r.ok) errors.push({ pointer: raw.pointer(field), message: `${field} ${r.message}` });
    return (r.ok ? r.value : undefined) as T;
  }
  function opt<T>(field: string, reader: (r: Raw) => Read<T>): T | null {
    const v = raw.get(field);
    if (!present(v)) return null;
    const r = reader(v);
    if (!r.ok) errors.push({ pointer: raw.pointer(field), message: `${field} ${r.message}` });
    return r.ok ? r.value : null;
  }
  function coords(required: boolean): { lat: number | null; lon: number | null } {
    const pos = raw.position ?? {
      lat: raw.get('lat'),
      lon: raw.get('lon'),
      latPointer: raw.pointer('lat'),
      lonPointer: raw.pointer('lon'),
    };
    const hasLat = present(pos.lat);
    const hasLon = present(pos.lon);
    if (!hasLat && !hasLon && !required) return { lat: null, lon: null };
    let lat: number | null = null;
    let lon: number | null = null;
    if (!hasLat) errors.push({ pointer: pos.latPointer, message: required ? `lat is required for a ${kind}` : 'lat and lon go together' });
    else {
      const r = readLat(pos.lat, raw.fromText);
      if (r.ok) lat = r.value;
      else errors.push({ pointer: pos.latPointer, message: `lat ${r.message}` });
    }
    if (!hasLon) errors.push({ pointer: pos.lonPointer, message: required ? `lon is required for a ${kind}` : 'lat and lon go together' });
    else {
      const r = readLon(pos.lon, raw.fromText);
      if (r.ok) lon = r.value;
      else errors.push({ pointer: pos.lonPointer, message: `lon ${r.message}` });
    }
    return { lat, lon };
  }

  let row: SiteRow;
  switch (kind) {
    case 'district': {
      const id = req('id', readId);
      const name = req('name', readName);
      let boundary: object | null = null;
      if (raw.boundary && raw.boundary.value !== null && raw.boundary.value !== undefined) {
        const p = boundaryProblem(raw.boundary.value);
        if (p) errors.push({ pointer: raw.boundary.pointer, message: p });
        else boundary = raw.boundary.value as object;
      }
      row = { kind, id, name, boundary };
      break;
    }
    case 'park': {
      const id = req('id', readId);
      const name = req('name', readName);
      const district = req('district', readId);
      const { lat, lon } = coords(true);
      const unit = opt('unit', readId);
      row = { kind, id, name, district, lat: lat!, lon: lon!, unit };
      break;
    }
    case 'station': {
      const id = req('id', readId);
      const name = req('name', readName);
      const district = req('district', readId);
      const { lat, lon } = coords(true);
      const opening_hours = opt('opening_hours', readOpeningHours);
      const opened_on = opt('opened_on', readDay);
      const unit = opt('unit', readId);
      row = { kind, id, name, district, lat: lat!, lon: lon!, opening_hours, opened_on, unit };
      break;
    }
    case 'bench': {
      const id = req('id', readId);
      const park = req('park', readId);
      const name = opt('name', readName);
      const { lat, lon } = coords(false);
      const ports = opt('ports', (r) => readPorts(r, raw.fromText));
      const unit = opt('unit', readId);
      row = { kind, id, park, name, lat, lon, ports, unit };
      break;
    }
  }
  return errors.length === before ? row : null;
}

/** The field's own words for each kind, as a city's spreadsheet may say them. */
const KIND_ALIASES: Record<string, SiteKind> = {
  区: 'district',
  行政区: 'district',
  公园: 'park',
  口袋公园: 'park',
  驿站: 'station',
  户外劳动者驿站: 'station',
  座椅: 'bench',
  智能座椅: 'bench',
  太阳能智能座椅: 'bench',
};

export function readKind(raw: Raw): Read<SiteKind> {
  const s = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
  if ((SITE_KINDS as readonly unknown[]).includes(s)) return ok(s as SiteKind);
  if (typeof s === 'string' && KIND_ALIASES[s]) return ok(KIND_ALIASES[s]);
  return bad(`must be one of ${SITE_KINDS.join(', ')} (or 区, 公园, 驿站, 座椅)`);
}

// ─── Cross-row checks ────────────────────────────────────────────────────────────────────────

export interface Existing {
  districts: ReadonlySet<string>;
  parks: ReadonlySet<string>;
  /** Devices among the file's bench ids, with their kind. */
  devices: ReadonlyMap<string, 'bench' | 'station'>;
  /** Registered responsible units among those the file names (optional: none when absent). */
  units?: ReadonlySet<string>;
}

/**
 * Duplicates within the file (per kind; benches share the device id space) and references:
 * a park's or station's district and a bench's park must be in the file or already registered.
 */
export function checkReferences(rows: readonly LocatedRow[], existing: Existing): ImportIssue[] {
  const errors: ImportIssue[] = [];
  const seen = new Map<string, string>();
  const fileDistricts = new Set<string>();
  const fileParks = new Set<string>();
  for (const r of rows) {
    const key = `${r.row.kind}\u0000${r.row.id}`;
    const first = seen.get(key);
    if (first !== undefined)
      errors.push({ pointer: r.field('id'), message: `duplicate ${r.row.kind} id "${r.row.id}" (first at ${first})` });
    else seen.set(key, r.at);
    if (r.row.kind === 'district') fileDistricts.add(r.row.id);
    if (r.row.kind === 'park') fileParks.add(r.row.id);
  }
  for (const r of rows) {
    const row = r.row;
    if ((row.kind === 'park' || row.kind === 'station') && !fileDistricts.has(row.district) && !existing.districts.has(row.district)) {
      errors.push({ pointer: r.field('district'), message: `unknown district "${row.district}" (neither in this file nor registered)` });
    }
    if (row.kind !== 'district' && row.unit !== null && !existing.units?.has(row.unit)) {
      errors.push({ pointer: r.field('unit'), message: `unknown unit "${row.unit}" (register it first with POST /api/v1/units)` });
    }
    if (row.kind === 'bench') {
      if (!fileParks.has(row.park) && !existing.parks.has(row.park)) {
        errors.push({ pointer: r.field('park'), message: `unknown park "${row.park}" (neither in this file nor registered)` });
      }
      if (existing.devices.get(row.id) === 'station') {
        errors.push({ pointer: r.field('id'), message: `device "${row.id}" is a station device, not a bench` });
      }
    }
  }
  return errors;
}

// ─── Datum ───────────────────────────────────────────────────────────────────────────────────

function positionsToWgs84(coords: unknown, datum: Datum): unknown {
  if (Array.isArray(coords) && typeof coords[0] === 'number' && typeof coords[1] === 'number') {
    const w = toWgs84(datum, coords[1], coords[0]);
    return [w.lon, w.lat, ...coords.slice(2)];
  }
  return Array.isArray(coords) ? coords.map((c) => positionsToWgs84(c, datum)) : coords;
}

/** The rows with every position (points and district boundaries) converted to WGS-84. */
export function rowsToWgs84(rows: readonly SiteRow[], datum: Datum): SiteRow[] {
  if (datum === 'wgs84') return [...rows];
  return rows.map((r) => {
    if (r.kind === 'district') {
      if (!r.boundary) return r;
      const b = r.boundary as { type: string; coordinates: unknown };
      return { ...r, boundary: { ...b, coordinates: positionsToWgs84(b.coordinates, datum) } };
    }
    if (r.lat === null || r.lon === null) return r;
    const w = toWgs84(datum, r.lat, r.lon);
    return { ...r, lat: w.lat, lon: w.lon };
  });
}
