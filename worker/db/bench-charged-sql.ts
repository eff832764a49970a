/**
 * The statements behind the benches' kept charged hours (worker/db/bench-charged.ts), as text
 * with no D1 types, so the province benchmark can run them on the SQLite file as the cron would.
 */
import { localDay } from '../domain/local-time.ts';
import { monthsBefore, monthWindow, type MonthWindow } from '../domain/ranking/month.ts';

/** Hours of device `dev` in [?1, ?2] (local days) with a mean state of charge above ?3. */
export const chargedHoursSql = (dev: string) =>
  `(SELECT COUNT(*) FROM device_hourly h WHERE h.device_id = ${dev} AND h.day BETWEEN ?1 AND ?2 AND h.batt_n > 0 AND h.batt_sum > ?3 * h.batt_n)`;

/** How many past months the cron keeps counted: a year of history and its streak. */
export const KEPT_MONTHS = 14;

/** Binds: first day, last day, threshold, month. Counts only the benches the month lacks. */
export const KEEP_MONTH_SQL = `INSERT OR IGNORE INTO bench_month_charged (device_id, month, min_soc, hours)
  SELECT dv.id, ?4, ?3, ${chargedHoursSql('dv.id')} FROM devices dv
  WHERE dv.kind = 'bench' AND NOT EXISTS (SELECT 1 FROM bench_month_charged c WHERE c.device_id = dv.id AND c.month = ?4 AND c.min_soc = ?3)`;

/** Rows of an earlier threshold are never read again. Binds: threshold. */
export const DROP_OTHER_THRESHOLDS_SQL = 'DELETE FROM bench_month_charged WHERE min_soc <> ?1';

/** The past months kept at instant `now`: the KEPT_MONTHS before the current local month. */
export function keptMonths(now: number, tz: string): MonthWindow[] {
  const current = localDay(now, tz).slice(0, 7);
  return Array.from({ length: KEPT_MONTHS }, (_, i) => monthWindow(monthsBefore(current, i + 1), tz));
}
