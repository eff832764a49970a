/**
 * The overview's sums per local day: kept for closed days in daily_totals (migration 0016) by the
 * minute cron, summed live from the daily rollups for the days not kept (today, a day a late
 * reading changed, all of them before the cron first ran). Both come from the same SQL, so a day
 * reads the same either way.
 */
import { readConfig } from '../config.ts';
import { addDays, localDay } from '../domain/local-time.ts';
import type { DayFigures } from '../domain/overview-days.ts';
import { closedDays, daysToKeep, FIRST_DAY_SQL, ITEM_HOURS_SQL, keepStatements, LIVE_SQL, READ_SQL } from './daily-totals-sql.ts';

interface DayRow {
  day: string;
  supply: string;
  district_supply: string;
  sessions: number;
  energy_wh: number;
  district_charging: string;
  supply_by_hour?: string | null;
}

/** Yesterday's station supplies per local hour and item, when kept: [hour, item, distributed]. */
export type HourSupply = Array<[number, string, number]>;

const parse = (r: DayRow): DayFigures => ({
  day: r.day,
  supply: JSON.parse(r.supply) as Record<string, number>,
  districtSupply: JSON.parse(r.district_supply) as Record<string, number>,
  sessions: r.sessions,
  energyWh: r.energy_wh,
  districtCharging: JSON.parse(r.district_charging) as Record<string, [number, number]>,
});

/**
 * Every day from `today` − 59 to `today`, and yesterday's station supplies per hour: kept rows for
 * the closed days before the first one not kept, the rest summed live. One round trip when every
 * closed day is kept (today summed with the read); a second only for what is missing.
 */
export async function overviewDays(db: D1Database, today: string): Promise<{ days: DayFigures[]; yesterdayByHour: HourSupply }> {
  const closed = closedDays(today);
  const yesterday = closed.at(-1)!;
  const [read, now] = await db.batch<DayRow>([
    db.prepare(READ_SQL).bind(closed[0], yesterday),
    db.prepare(LIVE_SQL).bind(JSON.stringify([today])),
  ]);
  const kept = new Map(read!.results.map((r) => [r.day, r]));
  let i = 0;
  while (i < closed.length && kept.has(closed[i]!)) i++;
  const missing = closed.slice(i);
  const keptHours = kept.get(yesterday)?.supply_by_hour;
  const more = await (missing.length || !keptHours
    ? db.batch<DayRow>([
        db.prepare(LIVE_SQL).bind(JSON.stringify(missing)),
        ...(keptHours ? [] : [db.prepare(ITEM_HOURS_SQL).bind(yesterday)]),
      ])
    : []);
  const hours = keptHours ?? more[1]?.results[0]?.supply_by_hour ?? '[]';
  return {
    days: [...closed.slice(0, i).map((d) => parse(kept.get(d)!)), ...(more[0]?.results ?? []).map(parse), ...now!.results.map(parse)],
    yesterdayByHour: JSON.parse(hours) as HourSupply,
  };
}

/**
 * Cron (every minute): keep the closed days that lack a row, newest first (usually none; after
 * midnight one), for the overview and, per district and item, for the supplies report. Every
 * closed day since the first with data is kept, at most KEEP_PER_RUN a run. One transaction, so
 * a day's district rows and its daily_totals row are written together (they are valid together).
 */
export async function keepDailyTotals(db: D1Database, now: number, tz: string): Promise<number> {
  const today = localDay(now, tz);
  const yesterday = addDays(today, -1);
  const [first, have, periods] = await db.batch<{ day?: string | null; period?: string }>([
    db.prepare(FIRST_DAY_SQL),
    db.prepare('SELECT day FROM daily_totals WHERE day <= ?1').bind(yesterday),
    db.prepare('SELECT period FROM kept_periods'),
  ]);
  const kept = new Set(have!.results.map((r) => r.day!));
  const days = daysToKeep(today, first!.results[0]?.day ?? null, kept);
  const writes = keepStatements({ days, have: kept, keptPeriods: new Set(periods!.results.map((r) => r.period!)) }, now, yesterday);
  if (!writes.length) return 0;
  const results = await db.batch(writes.map(([sql, binds]) => db.prepare(sql).bind(...binds)));
  // The third write keeps the days' daily_totals rows (none when only weeks or months were kept).
  return days.length ? (results[2]!.meta.changes ?? 0) : 0;
}

/** The cron job: every minute, with the city's time zone. */
export const keepDailyTotalsJob = async (t: number, env: Env) => {
  await keepDailyTotals(env.DB, t, readConfig(env).tz);
};
