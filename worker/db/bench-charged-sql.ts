/**
 * The statements behind the benches' kept charged hours (worker/db/bench-charged.ts), as text
 * with no D1 types, so the province benchmark can run them on the SQLite file as the cron would.
 */
import { addDays, localDay } from '../domain/local-time.ts';
import { monthsBefore, monthWindow } from '../domain/ranking/month.ts';

/** Hours of device `dev` on the days `days` accepts (a condition on `h.day`) with a mean state of charge above ?3. */
export const chargedCountSql = (dev: string, days: string) =>
  `(SELECT COUNT(*) FROM device_hourly h WHERE h.device_id = ${dev} AND ${days} AND h.batt_n > 0 AND h.batt_sum > ?3 * h.batt_n)`;

/** Hours of device `dev` in [?1, ?2] (local days) with a mean state of charge above ?3. */
export const chargedHoursSql = (dev: string) => chargedCountSql(dev, 'h.day BETWEEN ?1 AND ?2');

/** How many past months the cron keeps counted: a year of history and its streak. */
export const KEPT_MONTHS = 14;

/**
 * Binds: first day, through day (the month's last, or yesterday for the current month),
 * threshold, month. Counts only the benches whose kept row is missing or ends earlier.
 */
export const KEEP_MONTH_SQL = `INSERT OR REPLACE INTO bench_month_charged (device_id, month, min_soc, hours, through_day)
  SELECT dv.id, ?4, ?3, ${chargedHoursSql('dv.id')}, ?2 FROM devices dv
  WHERE dv.kind = 'bench' AND NOT EXISTS (SELECT 1 FROM bench_month_charged c WHERE c.device_id = dv.id AND c.month = ?4 AND c.min_soc = ?3 AND c.through_day >= ?2)`;

/** Rows of an earlier threshold are never read again. Binds: threshold. */
export const DROP_OTHER_THRESHOLDS_SQL = 'DELETE FROM bench_month_charged WHERE min_soc <> ?1';

/** A month the cron keeps counted, and the last day it counts. */
export interface KeptWindow {
  month: string;
  firstDay: string;
  throughDay: string;
}

/**
 * The months kept at instant `now`: the KEPT_MONTHS before the current local month, whole, and
 * the current month up to yesterday (none on its first day).
 */
export function keptMonths(now: number, tz: string): KeptWindow[] {
  const today = localDay(now, tz);
  const current = today.slice(0, 7);
  const past = Array.from({ length: KEPT_MONTHS }, (_, i) => {
    const w = monthWindow(monthsBefore(current, i + 1), tz);
    return { month: w.month, firstDay: w.firstDay, throughDay: w.lastDay };
  });
  const yesterday = addDays(today, -1);
  return yesterday.startsWith(current) ? [{ month: current, firstDay: `${current}-01`, throughDay: yesterday }, ...past] : past;
}
