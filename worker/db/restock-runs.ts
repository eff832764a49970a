/** What the restock planner reads: stations with their stock settings, and recent hourly use. */
import type { HourUse } from '../domain/restock-demand.ts';

export interface RunStationRow {
  id: string;
  name: string;
  lat: number;
  lon: number;
}
export interface RunItemRow {
  station_id: string;
  item: string;
  on_hand: number | null;
  par_level: number | null;
  reorder_point: number | null;
}

export interface RunFilter {
  district?: string;
  unit?: string;
  stations?: string[];
}

// ?1 district, ?2 unit, ?3 JSON station ids (each NULL for no filter)
const STATIONS = `SELECT id, name, lat, lon FROM stations
  WHERE (?1 IS NULL OR district = ?1) AND (?2 IS NULL OR unit_id = ?2) AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3))) ORDER BY id`;
const ITEMS = `SELECT si.station_id, si.item, si.on_hand, si.par_level, si.reorder_point FROM station_items si JOIN (${STATIONS}) s ON s.id = si.station_id
  ORDER BY si.station_id, si.item`;
// Consumption per local hour of day from the hourly rollups: handed out (counted or inferred) and lent net of returns. ?4 first day, ?5 last day
const USE = `SELECT dv.site AS station, i.item, i.hour, TOTAL(i.dispensed + i.inferred_out + i.lent - i.returned) AS used
  FROM item_hourly i JOIN devices dv ON dv.id = i.device_id AND dv.kind = 'station' JOIN (${STATIONS}) s ON s.id = dv.site
  WHERE i.day BETWEEN ?4 AND ?5 GROUP BY dv.site, i.item, i.hour`;

export async function loadRunInputs(
  db: D1Database,
  f: RunFilter,
  days: { first: string; last: string },
): Promise<{ stations: RunStationRow[]; items: RunItemRow[]; use: HourUse[] }> {
  const b = [f.district ?? null, f.unit ?? null, f.stations ? JSON.stringify(f.stations) : null];
  const [s, i, u] = await db.batch([
    db.prepare(STATIONS).bind(...b),
    db.prepare(ITEMS).bind(...b),
    db.prepare(USE).bind(...b, days.first, days.last),
  ]);
  return { stations: s!.results as RunStationRow[], items: i!.results as RunItemRow[], use: u!.results as HourUse[] };
}
