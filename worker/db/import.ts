/**
 * Bulk upsert of a validated registry import. Rows travel as JSON arrays read with json_each, so
 * each statement binds two values whatever the row count; chunks keep every bound value well
 * under D1's 2 MB limit.
 */
import type { BenchRow, DistrictRow, ParkRow, SiteRow, StationRow } from '../domain/import-parse.ts';

const CHUNK_ROWS = 1000;
const CHUNK_BYTES = 900_000;

/** Split rows into JSON arrays of at most CHUNK_ROWS rows and about CHUNK_BYTES each. */
export function jsonChunks(rows: readonly object[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let bytes = 2;
  for (const r of rows) {
    const s = JSON.stringify(r);
    const size = new TextEncoder().encode(s).length + 1;
    if (part.length && (part.length >= CHUNK_ROWS || bytes + size > CHUNK_BYTES)) {
      out.push(`[${part.join(',')}]`);
      part = [];
      bytes = 2;
    }
    part.push(s);
    bytes += size;
  }
  if (part.length) out.push(`[${part.join(',')}]`);
  return out;
}

async function idsIn(db: D1Database, table: 'districts' | 'parks' | 'stations' | 'units', ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const unique = [...new Set(ids)];
  if (!unique.length) return found;
  const stmts = jsonChunks(unique.map((id) => ({ id }))).map((chunk) =>
    db.prepare(`SELECT id FROM ${table} WHERE id IN (SELECT json_extract(value, '$.id') FROM json_each(?))`).bind(chunk),
  );
  for (const r of await db.batch<{ id: string }>(stmts)) for (const row of r.results) found.add(row.id);
  return found;
}

export interface ImportExisting {
  districts: Set<string>;
  parks: Set<string>;
  stations: Set<string>;
  devices: Map<string, 'bench' | 'station'>;
  units: Set<string>;
}

/** What of the file's ids (and references) is already registered. */
export async function loadExisting(db: D1Database, rows: readonly SiteRow[]): Promise<ImportExisting> {
  const districtIds: string[] = [];
  const parkIds: string[] = [];
  const stationIds: string[] = [];
  const benchIds: string[] = [];
  for (const r of rows) {
    if (r.kind === 'district') {
      districtIds.push(r.id);
    } else if (r.kind === 'park') {
      parkIds.push(r.id);
      districtIds.push(r.district);
    } else if (r.kind === 'station') {
      stationIds.push(r.id);
      districtIds.push(r.district);
    } else {
      benchIds.push(r.id);
      parkIds.push(r.park);
    }
  }
  const devices = new Map<string, 'bench' | 'station'>();
  if (benchIds.length) {
    const stmts = jsonChunks([...new Set(benchIds)].map((id) => ({ id }))).map((chunk) =>
      db.prepare(`SELECT id, kind FROM devices WHERE id IN (SELECT json_extract(value, '$.id') FROM json_each(?))`).bind(chunk),
    );
    for (const r of await db.batch<{ id: string; kind: 'bench' | 'station' }>(stmts))
      for (const row of r.results) devices.set(row.id, row.kind);
  }
  const unitIds = rows.flatMap((r) => (r.kind !== 'district' && r.unit !== null ? [r.unit] : []));
  const [districts, parks, stations, units] = await Promise.all([
    idsIn(db, 'districts', districtIds),
    idsIn(db, 'parks', parkIds),
    idsIn(db, 'stations', stationIds),
    idsIn(db, 'units', unitIds),
  ]);
  return { districts, parks, stations, devices, units };
}

/**
 * Upsert statements, in dependency order (districts before the parks and stations in them,
 * parks before their benches). Each kind is an UPDATE of the rows that exist followed by an
 * INSERT of those that do not, so a field the file leaves out (a station's opening hours, a
 * bench's name) keeps its stored value instead of being reset.
 */
export function upsertStatements(db: D1Database, rows: readonly SiteRow[], now: number): D1PreparedStatement[] {
  const districts = rows.filter((r): r is DistrictRow => r.kind === 'district');
  const parks = rows.filter((r): r is ParkRow => r.kind === 'park');
  const stations = rows.filter((r): r is StationRow => r.kind === 'station');
  const benches = rows.filter((r): r is BenchRow => r.kind === 'bench');
  const out: D1PreparedStatement[] = [];
  const v = (field: string) => `json_extract(j.value, '$.${field}')`;

  for (const chunk of jsonChunks(
    districts.map((d) => ({ id: d.id, name: d.name, boundary: d.boundary ? JSON.stringify(d.boundary) : null })),
  )) {
    out.push(
      db
        .prepare(
          `UPDATE districts SET name = ${v('name')}, boundary = COALESCE(${v('boundary')}, districts.boundary) FROM json_each(?1) j WHERE districts.id = ${v('id')}`,
        )
        .bind(chunk),
      db
        .prepare(
          `INSERT INTO districts (id, name, boundary, created_at) SELECT ${v('id')}, ${v('name')}, ${v('boundary')}, ?2 FROM json_each(?1) j WHERE 1 ON CONFLICT (id) DO NOTHING`,
        )
        .bind(chunk, now),
    );
  }
  for (const chunk of jsonChunks(parks.map(({ kind: _, ...p }) => p))) {
    out.push(
      db
        .prepare(
          `UPDATE parks SET name = ${v('name')}, district = ${v('district')}, lat = ${v('lat')}, lon = ${v('lon')} FROM json_each(?1) j WHERE parks.id = ${v('id')}`,
        )
        .bind(chunk),
      db
        .prepare(
          `INSERT INTO parks (id, name, district, lat, lon, created_at) SELECT ${v('id')}, ${v('name')}, ${v('district')}, ${v('lat')}, ${v('lon')}, ?2
           FROM json_each(?1) j WHERE 1 ON CONFLICT (id) DO NOTHING`,
        )
        .bind(chunk, now),
    );
  }
  for (const chunk of jsonChunks(stations.map(({ kind: _, ...s }) => s))) {
    out.push(
      db
        .prepare(
          `UPDATE stations SET name = ${v('name')}, district = ${v('district')}, lat = ${v('lat')}, lon = ${v('lon')},
             opening_hours = COALESCE(${v('opening_hours')}, stations.opening_hours), opened_on = COALESCE(${v('opened_on')}, stations.opened_on)
           FROM json_each(?1) j WHERE stations.id = ${v('id')}`,
        )
        .bind(chunk),
      db
        .prepare(
          `INSERT INTO stations (id, name, district, lat, lon, opening_hours, opened_on, created_at)
           SELECT ${v('id')}, ${v('name')}, ${v('district')}, ${v('lat')}, ${v('lon')}, COALESCE(${v('opening_hours')}, '24/7'), ${v('opened_on')}, ?2
           FROM json_each(?1) j WHERE 1 ON CONFLICT (id) DO NOTHING`,
        )
        .bind(chunk, now),
    );
  }
  for (const chunk of jsonChunks(benches.map(({ kind: _, ...b }) => b))) {
    out.push(
      db
        .prepare(
          `UPDATE devices SET site = ${v('park')}, name = COALESCE(${v('name')}, devices.name),
             lat = CASE WHEN ${v('lat')} IS NULL THEN devices.lat ELSE ${v('lat')} END,
             lon = CASE WHEN ${v('lon')} IS NULL THEN devices.lon ELSE ${v('lon')} END,
             ports = COALESCE(${v('ports')}, devices.ports)
           FROM json_each(?1) j WHERE devices.id = ${v('id')} AND devices.kind = 'bench'`,
        )
        .bind(chunk),
    );
  }
  return out;
}

/**
 * The responsible units (包片) the file sets, for parks, stations and benches; run after the
 * upserts and device inserts so new sites get theirs too. A row without a unit keeps the stored one.
 */
export function assignUnitStatements(db: D1Database, rows: readonly SiteRow[]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  const tables = { park: 'parks', station: 'stations', bench: 'devices' } as const;
  for (const kind of ['park', 'station', 'bench'] as const) {
    const pairs = rows.flatMap((r) => (r.kind === kind && r.unit !== null ? [{ id: r.id, unit: r.unit }] : []));
    for (const chunk of jsonChunks(pairs)) {
      out.push(
        db
          .prepare(
            `UPDATE ${tables[kind]} SET unit_id = json_extract(j.value, '$.unit') FROM json_each(?1) j WHERE ${tables[kind]}.id = json_extract(j.value, '$.id')`,
          )
          .bind(chunk),
      );
    }
  }
  return out;
}
