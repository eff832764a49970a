/**
 * Charged hours per bench and month (the rankings' bench part): the hours whose mean state of
 * charge was above the threshold, counted from device_hourly, and kept per month and threshold
 * in bench_month_charged (migrations 0013, 0015) by the hourly cron: past months whole, the
 * current month up to yesterday. Triggers delete a device-month's kept row whenever an hour it
 * counted changes, so a kept row always equals a fresh count of its days; a read adds the hours
 * after them, and counts a missing row whole (worker/db/rankings.ts).
 */
import { readConfig } from '../config.ts';
import { DROP_OTHER_THRESHOLDS_SQL, KEEP_MONTH_SQL, keptMonths } from './bench-charged-sql.ts';
import { loadConfig } from './ranking-store.ts';

/** Count and keep the charged hours of every bench for the past months that lack them. */
export async function keepChargedHours(db: D1Database, now: number, tz: string): Promise<void> {
  const minSoc = (await loadConfig(db)).bench_min_soc;
  // One statement at a time: each month is its own small write, so ingest interleaves.
  for (const w of keptMonths(now, tz)) await db.prepare(KEEP_MONTH_SQL).bind(w.firstDay, w.throughDay, minSoc, w.month).run();
  await db.prepare(DROP_OTHER_THRESHOLDS_SQL).bind(minSoc).run();
}

/** The cron job: hourly, with the city's time zone. */
export const keepChargedHoursJob = (t: number, env: Env) => keepChargedHours(env.DB, t, readConfig(env).tz);
