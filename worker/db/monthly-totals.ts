/** Imported monthly totals, and each station's figures since it opened (imports + rollups). */
import type { TotalsRow } from '../domain/monthly-totals.ts';

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
 * Per station and item: handed out from the rollups (from opened_on on) in the months without
 * imported totals (an imported month wins over the rollups of that month), summed in SQL so a
 * province answers 2,400 rows instead of every station-month; and the imported totals per month.
 * "From opened_on on" is every month from the opening month (item_monthly, summed per device in
 * key order) less the opening month's days before opened_on (a short key range of item_daily,
 * usually empty): reading the opening month day by day cost a province 60,000 rows. An item
 * whose only rows are before the opening day nets to 0 and is left out, as before. The monthly
 * rollups are migration 0013's.
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
    db
      .prepare(
        `SELECT station, item, TOTAL(n) AS dispensed FROM (
         SELECT dv.site AS station, m.item, TOTAL(m.dispensed + m.inferred_out) AS n,
           MAX(m.month > substr(COALESCE(s.opened_on, '0000-00-00'), 1, 7)) AS later
         FROM devices dv JOIN stations s ON s.id = dv.site CROSS JOIN item_monthly m ON m.device_id = dv.id
         WHERE dv.kind = 'station' AND (?1 IS NULL OR s.id = ?1) AND m.month >= substr(COALESCE(s.opened_on, '0000-00-00'), 1, 7)
           AND NOT EXISTS (SELECT 1 FROM station_monthly_totals t WHERE t.station_id = s.id AND t.month = m.month)
         GROUP BY dv.id, m.item
         UNION ALL
         SELECT dv.site, m.item, -TOTAL(i.dispensed + i.inferred_out), 0
         FROM devices dv JOIN stations s ON s.id = dv.site
           CROSS JOIN item_monthly m ON m.device_id = dv.id AND m.month = substr(s.opened_on, 1, 7)
           CROSS JOIN item_daily i ON i.device_id = dv.id AND i.item = m.item AND i.day >= m.month || '-01' AND i.day < s.opened_on
         WHERE dv.kind = 'station' AND (?1 IS NULL OR s.id = ?1) AND s.opened_on IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM station_monthly_totals t WHERE t.station_id = s.id AND t.month = m.month)
         GROUP BY dv.id, m.item
       ) GROUP BY 1, 2 HAVING TOTAL(n) <> 0 OR MAX(later) = 1 ORDER BY 1, 2`,
      )
      .bind(station),
    db
      .prepare(`SELECT station_id AS station, month, item, dispensed FROM station_monthly_totals WHERE ?1 IS NULL OR station_id = ?1`)
      .bind(station),
    db
      .prepare(
        `SELECT station, TOTAL(n) AS visitors FROM (
         SELECT dv.site AS station, TOTAL(m.visitors) AS n
         FROM devices dv JOIN stations s ON s.id = dv.site CROSS JOIN device_monthly m ON m.device_id = dv.id
         WHERE dv.kind = 'station' AND (?1 IS NULL OR s.id = ?1) AND m.month >= substr(COALESCE(s.opened_on, '0000-00-00'), 1, 7)
           AND NOT EXISTS (SELECT 1 FROM station_monthly_visitors t WHERE t.station_id = s.id AND t.month = m.month)
         GROUP BY dv.id
         UNION ALL
         SELECT dv.site, -TOTAL(x.visitors)
         FROM devices dv JOIN stations s ON s.id = dv.site
           CROSS JOIN device_daily x ON x.device_id = dv.id AND x.day >= substr(s.opened_on, 1, 7) || '-01' AND x.day < s.opened_on
         WHERE dv.kind = 'station' AND (?1 IS NULL OR s.id = ?1) AND s.opened_on IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM station_monthly_visitors t WHERE t.station_id = s.id AND t.month = substr(s.opened_on, 1, 7))
         GROUP BY dv.id
       ) GROUP BY 1 ORDER BY 1`,
      )
      .bind(station),
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
