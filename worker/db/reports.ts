/**
 * The contract's read-back reports, from the rollups only (never raw telemetry), so any range
 * answers in one indexed scan of item_daily / device_daily (whole months of supplies: item_monthly).
 * Grouping columns come from fixed maps keyed by a validated enum, never from request text.
 * TOTAL(), not SUM(): no quantity a device may send can overflow a report into an error.
 */
import type { z } from '@hono/zod-openapi';
import type { ChargingAnswer, SuppliesAnswer } from '../schemas/reports.ts';
import { itemRowsBinds, itemRowsCte, PLACED_STATION_DEVICES_SQL } from './item-rows.ts';
import { keptSumsCte } from './kept-sums.ts';
import { dayCount } from '../domain/local-time.ts';
import { rowsOf } from './rows.ts';

/** A by=day range is zero-filled up to ten years; a longer one lists the days that have data. */
export const MAX_FILLED_DAYS = 3660;
const DAY_MS = 86400_000;

/**
 * The rows of a by=day report with every day of [from, to] present (a zero row where no data).
 * Days are stepped with Date.parse, which reads every four-digit year as written (Date.UTC would
 * read years 0–99 as 1900–1999).
 */
export function fillDays<R extends { key: string }>(from: string, to: string, rows: R[], zero: (day: string) => R): R[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if ((end - start) / DAY_MS + 1 > MAX_FILLED_DAYS) return rows;
  const have = new Map(rows.map((r) => [r.key, r]));
  const out: R[] = [];
  for (let t = start; t <= end; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(have.get(day) ?? zero(day));
  }
  return out;
}

export type SuppliesBy = 'item' | 'station' | 'district' | 'day';
export type ChargingBy = 'bench' | 'park' | 'district' | 'day';

/** One row of each report, as the answer's schema has it (dispensed = events + unexplained level drops). */
export type SuppliesRow = z.infer<typeof SuppliesAnswer>['rows'][number];
export type ChargingRow = z.infer<typeof ChargingAnswer>['rows'][number];

// `placed`: the grouping needs the station's row (its id, name or district) joined to each row;
// the others filter on the station devices as a list and sum the rollup rows without joins.
const SUPPLIES_KEY: Record<SuppliesBy, { key: string; name: string; placed: boolean }> = {
  item: { key: 'i.item', name: 'COALESCE(it.name_en, g.key)', placed: false },
  station: { key: 's.id', name: 's.name', placed: true },
  district: { key: 's.district', name: 'd.name', placed: true },
  day: { key: 'i.day', name: 'NULL', placed: false },
};

export interface SuppliesFilter {
  from: string;
  to: string;
  by: SuppliesBy;
  item?: string;
  station?: string;
  district?: string;
}

const SUPPLY_SUMS = `TOTAL(i.dispensed + i.inferred_out) AS dispensed, TOTAL(i.restocked + i.inferred_in) AS restocked,
  TOTAL(i.lent) AS lent, TOTAL(i.returned) AS returned,
  TOTAL(i.inferred_out) AS dispensed_inferred, TOTAL(i.inferred_in) AS restocked_inferred`;

/**
 * By item, district or day of every station (no station filter): the sums the cron keeps per
 * district and item (worker/db/kept-sums.ts), whole months and days; summed live only where not
 * kept. A province year by district read 43,000 monthly rollups of station devices (58 → 7 ms).
 */
const KEPT_KEY: Record<Exclude<SuppliesBy, 'station'>, { key: string; name: string; join: string }> = {
  item: { key: 'i.item', name: 'COALESCE(it.name_en, i.item)', join: 'LEFT JOIN items it ON it.code = i.item' },
  district: { key: 'i.district', name: 'd.name', join: 'JOIN districts d ON d.id = i.district' },
  day: { key: 'i.period', name: 'NULL', join: '' },
};

function keptSuppliesSql(by: Exclude<SuppliesBy, 'station'>, byDistrict: boolean): string {
  const g = KEPT_KEY[by];
  const sums = `TOTAL(i.dispensed + i.inferred_out) AS dispensed, TOTAL(i.restocked + i.inferred_in) AS restocked,
    TOTAL(i.lent) AS lent, TOTAL(i.returned) AS returned, TOTAL(i.inferred_out) AS dispensed_inferred, TOTAL(i.inferred_in) AS restocked_inferred`;
  return `WITH ${keptSumsCte(by === 'day' ? 'day' : 'month', byDistrict)}
    SELECT ${g.key} AS key, ${g.name} AS name, ${sums} FROM item_rows i ${g.join}
    WHERE (?3 IS NULL OR i.item = ?3) AND (?5 IS NULL OR i.district = ?5)
    GROUP BY 1 ORDER BY 1`;
}

export async function supplies(db: D1Database, f: SuppliesFilter): Promise<SuppliesRow[]> {
  // Its CTE walks the range a day at a time: for ranges up to ten years (longer ones go below).
  if (f.by !== 'station' && f.station === undefined && dayCount(f.from, f.to) <= MAX_FILLED_DAYS) {
    const sql = keptSuppliesSql(f.by, f.by === 'district' || f.district !== undefined);
    return rowsOf<SuppliesRow>(db.prepare(sql).bind(f.from, f.to, f.item ?? null, null, f.district ?? null));
  }
  const g = SUPPLIES_KEY[f.by];
  // Any grouping but by day sums whole months from the monthly rollups (worker/db/item-rows.ts).
  const monthly = f.by !== 'day';
  const source = monthly ? 'item_rows' : 'item_daily';
  const sql = g.placed
    ? `SELECT ${g.key} AS key, ${g.name} AS name, ${SUPPLY_SUMS}
       FROM ${source} i
       JOIN devices dv ON dv.id = i.device_id AND dv.kind = 'station'
       JOIN stations s ON s.id = dv.site
       JOIN districts d ON d.id = s.district
       WHERE i.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR i.item = ?3) AND (?4 IS NULL OR s.id = ?4) AND (?5 IS NULL OR s.district = ?5)
       GROUP BY 1 ORDER BY 1`
    : `SELECT g.key, ${g.name} AS name, g.dispensed, g.restocked, g.lent, g.returned, g.dispensed_inferred, g.restocked_inferred
       FROM (SELECT ${g.key} AS key, ${SUPPLY_SUMS} FROM ${source} i
         WHERE i.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR i.item = ?3)
           AND i.device_id IN (${PLACED_STATION_DEVICES_SQL} AND (?4 IS NULL OR s.id = ?4) AND (?5 IS NULL OR s.district = ?5))
         GROUP BY 1) g
       LEFT JOIN items it ON it.code = g.key
       ORDER BY 1`;
  const { results } = await db
    .prepare(`${monthly ? `WITH ${itemRowsCte('?1', '?2', 6)} ` : ''}${sql}`)
    .bind(f.from, f.to, f.item ?? null, f.station ?? null, f.district ?? null, ...(monthly ? itemRowsBinds(f.from, f.to) : []))
    .all<SuppliesRow>();
  return results;
}

const CHARGING_KEY: Record<ChargingBy, { key: string; name: string }> = {
  bench: { key: 'dv.id', name: 'dv.name' },
  park: { key: 'p.id', name: 'p.name' },
  district: { key: 'p.district', name: 'd.name' },
  day: { key: 'x.day', name: 'NULL' },
};

export interface ChargingFilter {
  from: string;
  to: string;
  by: ChargingBy;
  park?: string;
  district?: string;
}

export async function charging(db: D1Database, f: ChargingFilter): Promise<ChargingRow[]> {
  const g = CHARGING_KEY[f.by];
  const { results } = await db
    .prepare(
      `SELECT ${g.key} AS key, ${g.name} AS name, TOTAL(x.sessions) AS sessions, TOTAL(x.energy_wh) AS energy_wh, TOTAL(x.solar_wh) AS solar_wh
       FROM device_daily x
       JOIN devices dv ON dv.id = x.device_id AND dv.kind = 'bench'
       JOIN parks p ON p.id = dv.site
       JOIN districts d ON d.id = p.district
       WHERE x.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR p.id = ?3) AND (?4 IS NULL OR p.district = ?4)
       GROUP BY 1 ORDER BY 1`,
    )
    .bind(f.from, f.to, f.park ?? null, f.district ?? null)
    .all<ChargingRow>();
  return results;
}
