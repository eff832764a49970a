/** Outdoor-worker rest stations (户外劳动者驿站): registry rows, live state and per-item settings. */
import { activeFaultCountSql } from './faults.ts';
import { stationHealth } from '../domain/health.ts';
import { stationOpen } from '../domain/opening-hours.ts';
import { isoOrNull } from '../domain/local-time.ts';
import type { StationItemT, StationT } from '../schemas/sites.ts';

/** The answer's shapes, from the zod schemas the routes validate against. */
export type StationItemView = StationItemT;
export type StationView = StationT;

/** The stations row this module selects; its place columns are the answer's. */
type StationRow = Pick<StationView, 'id' | 'name' | 'district' | 'lat' | 'lon' | 'opening_hours' | 'opened_on'> & {
  created_at: number;
  open: number | null;
  open_at: number | null;
  updated_at: number | null;
};

interface ItemRow {
  station_id: string;
  item: string;
  name_zh: string | null;
  name_en: string | null;
  unit: string | null;
  on_hand: number | null;
  on_hand_at: number | null;
  par_level: number | null;
  reorder_point: number | null;
}

interface DeviceAggRow {
  site: string;
  last_seen: number | null;
  active_faults: number;
}

/** Which stations to load: all, one district's, or one. */
export interface StationFilter {
  id?: string;
  district?: string;
}

const WHERE = '(?1 IS NULL OR s.id = ?1) AND (?2 IS NULL OR s.district = ?2)';

/** Stations with their items, devices' last contact and active faults: three reads, one round trip. */
export async function loadStations(db: D1Database, f: StationFilter, now: number, tz: string): Promise<StationView[]> {
  const bind = [f.id ?? null, f.district ?? null];
  const [stations, items, devices] = await db.batch<StationRow | ItemRow | DeviceAggRow>([
    db
      .prepare(
        `SELECT s.id, s.name, s.district, s.lat, s.lon, s.opening_hours, s.opened_on, s.created_at, s.open, s.open_at, s.updated_at FROM stations s WHERE ${WHERE} ORDER BY s.id`,
      )
      .bind(...bind),
    db
      .prepare(
        `SELECT si.station_id, si.item, i.name_zh, i.name_en, i.unit, si.on_hand, si.on_hand_at, si.par_level, si.reorder_point
         FROM station_items si JOIN stations s ON s.id = si.station_id LEFT JOIN items i ON i.code = si.item
         WHERE ${WHERE} ORDER BY si.station_id, si.item`,
      )
      .bind(...bind),
    db
      .prepare(
        `SELECT d.site, MAX(d.last_seen) AS last_seen,
           SUM(${activeFaultCountSql('d')}) AS active_faults
         FROM devices d JOIN stations s ON s.id = d.site
         WHERE d.kind = 'station' AND d.disabled = 0 AND ${WHERE} GROUP BY d.site`,
      )
      .bind(...bind),
  ]);
  const itemsBy = new Map<string, ItemRow[]>();
  for (const r of (items!.results ?? []) as ItemRow[]) {
    let list = itemsBy.get(r.station_id);
    if (!list) itemsBy.set(r.station_id, (list = []));
    list.push(r);
  }
  const devicesBy = new Map<string, DeviceAggRow>();
  for (const r of (devices!.results ?? []) as DeviceAggRow[]) devicesBy.set(r.site, r);
  return ((stations!.results ?? []) as StationRow[]).map((s) => toView(s, itemsBy.get(s.id) ?? [], devicesBy.get(s.id) ?? null, now, tz));
}

/** Where a station stands and when it is open: what both the staff and the public answers show first. */
export function stationPlace(s: Pick<StationView, 'id' | 'name' | 'district' | 'lat' | 'lon' | 'opening_hours'>) {
  return { id: s.id, name: s.name, district: s.district, lat: s.lat, lon: s.lon, opening_hours: s.opening_hours };
}

function toView(s: StationRow, items: ItemRow[], dev: DeviceAggRow | null, now: number, tz: string): StationView {
  // fromEntries defines own properties, so an item code like "__proto__" is kept as a key.
  const stock: Record<string, number> = Object.fromEntries(items.filter((i) => i.on_hand !== null).map((i) => [i.item, i.on_hand!]));
  return {
    ...stationPlace(s),
    opened_on: s.opened_on,
    open: stationOpen(s, now, tz),
    stock,
    items: items.map((i) => ({
      item: i.item,
      name_zh: i.name_zh,
      name_en: i.name_en,
      unit: i.unit,
      on_hand: i.on_hand,
      on_hand_at: isoOrNull(i.on_hand_at),
      par_level: i.par_level,
      reorder_point: i.reorder_point,
    })),
    health: stationHealth({ lastSeen: dev?.last_seen ?? null, activeFaults: dev?.active_faults ?? 0, items }, now),
    last_seen: isoOrNull(dev?.last_seen ?? null),
    updated_at: isoOrNull(s.updated_at),
    created_at: new Date(s.created_at).toISOString(),
  };
}

export async function getStation(db: D1Database, id: string, now: number, tz: string): Promise<StationView | null> {
  return (await loadStations(db, { id }, now, tz))[0] ?? null;
}

export async function stationExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS x FROM stations WHERE id = ?').bind(id).first()) !== null;
}

export interface StationInput {
  id: string;
  name: string;
  district: string;
  lat: number;
  lon: number;
  opening_hours?: string | null;
  opened_on?: string | null;
}

/** Insert a new station; false when the id is taken. The caller has checked the district. */
export async function insertStation(db: D1Database, s: StationInput, now = Date.now()): Promise<boolean> {
  const r = await db
    .prepare(
      'INSERT INTO stations (id, name, district, lat, lon, opening_hours, opened_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    )
    .bind(s.id, s.name, s.district, s.lat, s.lon, s.opening_hours ?? '24/7', s.opened_on ?? null, now)
    .run();
  return r.meta.changes > 0;
}

export interface StationPatchInput {
  name?: string;
  district?: string;
  lat?: number;
  lon?: number;
  opening_hours?: string;
  opened_on?: string | null;
}

export async function patchStation(db: D1Database, id: string, p: StationPatchInput): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE stations SET name = COALESCE(?2, name), district = COALESCE(?3, district), lat = COALESCE(?4, lat), lon = COALESCE(?5, lon),
         opening_hours = COALESCE(?6, opening_hours), opened_on = CASE WHEN ?7 THEN ?8 ELSE opened_on END
       WHERE id = ?1`,
    )
    .bind(
      id,
      p.name ?? null,
      p.district ?? null,
      p.lat ?? null,
      p.lon ?? null,
      p.opening_hours ?? null,
      p.opened_on !== undefined ? 1 : 0,
      p.opened_on ?? null,
    )
    .run();
  return r.meta.changes > 0;
}

/** Set par level and reorder point of one item at a station, keeping its stock on hand. */
export async function setStationItem(
  db: D1Database,
  station: string,
  item: string,
  s: { par_level: number; reorder_point: number },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO station_items (station_id, item, par_level, reorder_point) VALUES (?, ?, ?, ?)
       ON CONFLICT (station_id, item) DO UPDATE SET par_level = excluded.par_level, reorder_point = excluded.reorder_point`,
    )
    .bind(station, item, s.par_level, s.reorder_point)
    .run();
}
