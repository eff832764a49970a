/** Imported monthly totals, and each station's figures since it opened (imports + rollups). */
import type { TotalsRow } from '../domain/monthly-totals.ts';
import { SINCE_ITEMS_SQL, SINCE_VISITORS_SQL } from './since-opening-sql.ts';

/** Station ids of the rows that do not exist. */
export async function unknownStations(db: D1Database, ids: string[]): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT value AS id FROM json_each(?1) WHERE value NOT IN (SELECT id FROM stations)')
    .bind(JSON.stringify([...new Set(ids)]))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Upsert every row in one batch (all or nothing): item totals, and visitors per station and month. */
export async function saveTotals(db: D1Database, rows: TotalsRow[], now: number): Promise<void> {
  const items = rows.filter((r) => r.item !== null);
  const visitors = [...new Map(rows.filter((r) => r.visitors !== null).map((r) => [`${r.station}|${r.month}`, r])).values()];
  await db.batch([
    db
      .prepare(
        `INSERT INTO station_monthly_totals (station_id, month, item, dispensed, imported_at)
         SELECT json_extract(value, '$.station'), json_extract(value, '$.month'), json_extract(value, '$.item'), json_extract(value, '$.dispensed'), ?2 FROM json_each(?1) WHERE true
         ON CONFLICT (station_id, month, item) DO UPDATE SET dispensed = excluded.dispensed, imported_at = excluded.imported_at`,
      )
      .bind(JSON.stringify(items), now),
    db
      .prepare(
        `INSERT INTO station_monthly_visitors (station_id, month, visitors, imported_at)
         SELECT json_extract(value, '$.station'), json_extract(value, '$.month'), json_extract(value, '$.visitors'), ?2 FROM json_each(?1) WHERE true
         ON CONFLICT (station_id, month) DO UPDATE SET visitors = excluded.visitors, imported_at = excluded.imported_at`,
      )
      .bind(JSON.stringify(visitors), now),
  ]);
}

export interface MonthItemRow {
  station: string;
  month: string;
  item: string;
  dispensed: number;
}

export interface MonthVisitorsRow {
  station: string;
  month: string;
  visitors: number;
}

/** A station's rollups since it opened, per item, months with imported totals left out. */
export interface RolledItemRow {
  station: string;
  item: string;
  dispensed: number;
}

/** A station's visitors from the rollups since it opened, months with imported visitors left out. */
export interface RolledVisitorsRow {
  station: string;
  visitors: number;
}

export interface StationOpenRow {
  id: string;
  name: string;
  district: string;
  opened_on: string | null;
  first_day: string | null;
}

/**
 * Each station's figures since it opened: the stations, their rollups per item and their visitors
 * (summed in SQL, kept through a closed month where the cron has kept them:
 * worker/db/since-opening-sql.ts), so a province answers 2,400 rows instead of every
 * station-month; and the imported totals per month. The monthly rollups are migration 0013's.
 */
export async function sinceOpeningRows(db: D1Database, station: string | null) {
  const [stations, rolled, imported, rolledVisitors, importedVisitors] = await db.batch([
    db
      .prepare(
        `SELECT s.id, s.name, s.district, s.opened_on,
         (SELECT MIN((SELECT MIN(dd.day) FROM device_daily dd WHERE dd.device_id = dv.id)) FROM devices dv WHERE dv.site = s.id AND dv.kind = 'station') AS first_day
       FROM stations s WHERE ?1 IS NULL OR s.id = ?1 ORDER BY s.id`,
      )
      .bind(station),
    db.prepare(SINCE_ITEMS_SQL).bind(station),
    db
      .prepare(`SELECT station_id AS station, month, item, dispensed FROM station_monthly_totals WHERE ?1 IS NULL OR station_id = ?1`)
      .bind(station),
    db.prepare(SINCE_VISITORS_SQL).bind(station),
    db
      .prepare(`SELECT station_id AS station, month, visitors FROM station_monthly_visitors WHERE ?1 IS NULL OR station_id = ?1`)
      .bind(station),
  ]);
  return {
    stations: stations!.results as StationOpenRow[],
    rolled: rolled!.results as RolledItemRow[],
    imported: imported!.results as MonthItemRow[],
    rolledVisitors: rolledVisitors!.results as RolledVisitorsRow[],
    importedVisitors: importedVisitors!.results as MonthVisitorsRow[],
  };
}

export interface AlertKindRow {
  kind: string;
  opened: number;
  sites: number;
  hours: number;
}

/** Alerts opened in [start, end) by kind, with how long they stayed open within the month. */
export async function alertsByKind(db: D1Database, start: number, end: number, until: number): Promise<AlertKindRow[]> {
  const { results } = await db
    .prepare(
      `SELECT kind, COUNT(*) AS opened, COUNT(DISTINCT site) AS sites,
         TOTAL(MIN(COALESCE(resolved_at, ?3), ?3) - opened_at) / 3600000.0 AS hours
       FROM alerts WHERE opened_at >= ?1 AND opened_at < ?2 GROUP BY kind ORDER BY kind`,
    )
    .bind(start, end, until)
    .all<AlertKindRow>();
  return results;
}
