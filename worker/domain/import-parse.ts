/**
 * Bulk import of a city's registry (districts, parks, stations, benches) from GeoJSON or CSV:
 * parse everything into typed rows, with one error per bad field pointing at the exact feature
 * property or CSV line and column. Pure.
 */
import Papa from 'papaparse';
import { buildRow, readKind, seg, type ImportIssue, type LocatedRow, type ParseResult, type Raw, type RawRow } from './import-rows.ts';

export { checkReferences, rowsToWgs84, SITE_KINDS } from './import-rows.ts';
export type {
  BenchRow,
  DistrictRow,
  Existing,
  ImportIssue,
  LocatedRow,
  ParkRow,
  ParseResult,
  SiteKind,
  SiteRow,
  StationRow,
} from './import-rows.ts';

// ─── GeoJSON ─────────────────────────────────────────────────────────────────────────────────

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A FeatureCollection whose features carry `properties.kind`. Parks, stations and benches are
 * `Point` features (or have no geometry and `lat`/`lon` properties); a district may have no
 * geometry or a Polygon / MultiPolygon, kept as its boundary. `properties.id` may be given as
 * the feature's own `id` instead.
 */
export function parseGeoJsonImport(doc: unknown): ParseResult {
  const errors: ImportIssue[] = [];
  const rows: LocatedRow[] = [];
  if (!isObject(doc) || doc.type !== 'FeatureCollection') {
    return { rows, errors: [{ pointer: isObject(doc) ? '/type' : '', message: 'must be a GeoJSON FeatureCollection' }] };
  }
  if (!Array.isArray(doc.features)) return { rows, errors: [{ pointer: '/features', message: 'must be an array of features' }] };
  doc.features.forEach((f: unknown, i: number) => {
    const at = `/features/${i}`;
    if (!isObject(f) || f.type !== 'Feature') {
      errors.push({ pointer: at, message: 'must be a GeoJSON Feature' });
      return;
    }
    const props = f.properties;
    if (!isObject(props)) {
      errors.push({ pointer: `${at}/properties`, message: 'must be an object with at least kind and id' });
      return;
    }
    const field = (name: string) => `${at}/properties/${seg(name)}`;
    const k = readKind(props.kind);
    if (!k.ok) {
      errors.push({ pointer: field('kind'), message: `kind ${k.message}` });
      return;
    }
    const kind = k.value;
    const geometry = f.geometry;
    const raw: RawRow = {
      get: (name) => (name === 'id' && props.id === undefined && f.id !== undefined ? f.id : props[name]),
      pointer: (name) => (name === 'id' && props.id === undefined && f.id !== undefined ? `${at}/id` : field(name)),
      fromText: false,
    };
    if (kind === 'district') {
      if (geometry !== null && geometry !== undefined) raw.boundary = { value: geometry, pointer: `${at}/geometry` };
    } else if (geometry !== null && geometry !== undefined) {
      if (!isObject(geometry) || geometry.type !== 'Point') {
        errors.push({
          pointer: `${at}/geometry/type`,
          message: `a ${kind} must be a Point feature (or have no geometry and lat/lon properties)`,
        });
        return;
      }
      const c = geometry.coordinates;
      if (!Array.isArray(c) || c.length < 2) {
        errors.push({ pointer: `${at}/geometry/coordinates`, message: 'a Point needs [lon, lat]' });
        return;
      }
      raw.position = { lon: c[0], lat: c[1], lonPointer: `${at}/geometry/coordinates/0`, latPointer: `${at}/geometry/coordinates/1` };
    }
    const row = buildRow(kind, raw, errors);
    if (row) rows.push({ row, at, field: raw.pointer });
  });
  return { rows, errors };
}

// ─── CSV ─────────────────────────────────────────────────────────────────────────────────────

/** Columns the import reads; others are ignored (GIS exports carry many). */
export const CSV_COLUMNS = ['kind', 'id', 'name', 'district', 'park', 'lat', 'lon', 'opening_hours', 'opened_on', 'ports', 'unit'] as const;

/** Header names accepted for each column (case-insensitive): common GIS spellings and 中文表头. */
const COLUMN_ALIASES: Record<string, (typeof CSV_COLUMNS)[number]> = Object.fromEntries(
  Object.entries({
    kind: ['kind', 'type', '类型', '类别'],
    id: ['id', 'code', '编号', '编码'],
    name: ['name', '名称'],
    district: ['district', '区', '行政区', '所属区', '区县'],
    park: ['park', '公园', '所属公园'],
    lat: ['lat', 'latitude', '纬度'],
    lon: ['lon', 'lng', 'long', 'longitude', '经度'],
    opening_hours: ['opening_hours', '开放时间'],
    opened_on: ['opened_on', '启用日期', '开放日期'],
    ports: ['ports', '端口数', '充电口'],
    unit: ['unit', '责任单位', '包片单位'],
  }).flatMap(([canonical, names]) => names.map((n) => [n, canonical])),
) as Record<string, (typeof CSV_COLUMNS)[number]>;

/**
 * One row per site with a `kind` column and the fields as columns (see CSV_COLUMNS, or an alias
 * from COLUMN_ALIASES). Errors point at `/rows/<line>/<column>` where line is counted as in the
 * file (the header is line 1; a quoted cell spanning lines puts the next row further down) and
 * column is the header's name as written.
 */
export function parseCsvImport(text: string): ParseResult {
  const errors: ImportIssue[] = [];
  const rows: LocatedRow[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: Array<{ cells: string[]; line: number }> = [];
  let start = 0;
  let line = 1;
  let counted = 0;
  const lineAt = (offset: number): number => {
    // Lines are counted incrementally; offsets only grow.
    for (; counted < offset; counted++) if (src.charCodeAt(counted) === 10) line++;
    return line;
  };
  Papa.parse<string[]>(src, {
    delimiter: ',',
    skipEmptyLines: 'greedy',
    step: (r) => {
      let s = start;
      while (s < src.length && (src[s] === '\n' || src[s] === '\r')) s++;
      const rowLine = lineAt(s);
      start = r.meta.cursor;
      for (const e of r.errors) errors.push({ pointer: `/rows/${rowLine}`, message: `CSV syntax: ${e.message}` });
      records.push({ cells: r.data, line: rowLine });
    },
  });
  if (errors.length) return { rows, errors };
  const header = records.shift();
  if (!header) return { rows, errors: [{ pointer: '/rows/1', message: 'empty file: expected a header line with at least kind and id' }] };
  // Canonical column → its index and its name as written in the file (errors quote the file).
  const columns = new Map<string, { i: number; written: string }>();
  header.cells.forEach((h, i) => {
    const written = h.trim();
    const canonical = COLUMN_ALIASES[written.toLowerCase()];
    if (!canonical) return;
    const seen = columns.get(canonical);
    if (seen)
      errors.push({ pointer: `/rows/${header.line}/${seg(written)}`, message: `column ${written} repeats ${seen.written} (${canonical})` });
    else columns.set(canonical, { i, written });
  });
  for (const required of ['kind', 'id'] as const) {
    if (!columns.has(required)) errors.push({ pointer: `/rows/${header.line}/${required}`, message: `missing column ${required}` });
  }
  if (errors.length) return { rows, errors };
  for (const rec of records) {
    const at = `/rows/${rec.line}`;
    const cell = (name: string): Raw => {
      const col = columns.get(name);
      return col === undefined ? undefined : rec.cells[col.i];
    };
    const field = (name: string) => `${at}/${seg(columns.get(name)?.written ?? name)}`;
    const k = readKind(cell('kind'));
    if (!k.ok) {
      errors.push({ pointer: field('kind'), message: `kind ${k.message}` });
      continue;
    }
    const raw: RawRow = { get: cell, pointer: field, fromText: true };
    const row = buildRow(k.value, raw, errors);
    if (row) rows.push({ row, at, field });
  }
  return { rows, errors };
}
