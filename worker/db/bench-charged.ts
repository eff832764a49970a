/**
 * Charged hours per bench and month (the rankings' bench part): the hours whose mean state of
 * charge was above the threshold, counted from device_hourly, and kept per month and threshold
 * in bench_month_charged (migration 0013) by the hourly cron for past months. Triggers delete a
 * device-month's kept rows whenever its hourly rollups change, so a kept row always equals a
 * fresh count and a missing one is counted when read.
 */
import { monthsBefore, monthWindow } from '../domain/ranking/month.ts';
import { loadConfig } from './ranking-store.ts';
import { readConfig } from '../config.ts';
import { localDay } from '../domain/local-time.ts';

/** Hours of device `dev` in [?1, ?2] (local days) with a mean state of charge above ?3. */
export const chargedHoursSql = (dev: string) =>
  `(SELECT COUNT(*) FROM device_hourly h WHERE h.device_id = ${dev} AND h.day BETWEEN ?1 AND ?2 AND h.batt_n > 0 AND h.batt_sum > ?3 * h.batt_n)`;

/** How many past months the cron keeps counted: a year of history and its streak. */
export const KEPT_MONTHS = 14;

/** Count and keep the charged hours of every bench for the past months that lack them. */
export async function keepChargedHours(db: D1Database, now: number, tz: string): Promise<void> {
  const minSoc = (await loadConfig(db)).bench_min_soc;
  const current = localDay(now, tz).slice(0, 7);
  const st = [];
  for (let i = 1; i <= KEPT_MONTHS; i++) {
    const w = monthWindow(monthsBefore(current, i), tz);
    st.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO bench_month_charged (device_id, month, min_soc, hours)
           SELECT dv.id, ?4, ?3, ${chargedHoursSql('dv.id')} FROM devices dv
           WHERE dv.kind = 'bench' AND NOT EXISTS (SELECT 1 FROM bench_month_charged c WHERE c.device_id = dv.id AND c.month = ?4 AND c.min_soc = ?3)`,
        )
        .bind(w.firstDay, w.lastDay, minSoc, w.month),
    );
  }
  // Rows of an earlier threshold are never read again.
  st.push(db.prepare('DELETE FROM bench_month_charged WHERE min_soc <> ?1').bind(minSoc));
  // One statement at a time: each month is its own small write, so ingest interleaves.
  for (const s of st) await s.run();
}

/** The cron job: hourly, with the city's time zone. */
export const keepChargedHoursJob = (t: number, env: Env) => keepChargedHours(env.DB, t, readConfig(env).tz);
