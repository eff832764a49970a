/**
 * The hourly cron's keeping of each station's figures since opening through the last closed month
 * (migration 0023); the SQL is in since-opening-sql.ts, which the province benchmark runs too.
 */
import { readConfig } from '../config.ts';
import { localDay } from '../domain/local-time.ts';
import { keepSinceStatements, keptThrough, STATIONS_PER_RUN, UNKEPT_SQL } from './since-opening-sql.ts';

/** Keep the figures of the stations lacking them through the last closed month; how many were kept. */
export async function keepSinceOpening(db: D1Database, now: number, tz: string): Promise<number> {
  const through = keptThrough(localDay(now, tz));
  const { results } = await db.prepare(UNKEPT_SQL).bind(through, STATIONS_PER_RUN).all<{ id: string }>();
  if (!results.length) return 0;
  const writes = keepSinceStatements(
    results.map((r) => r.id),
    through,
    now,
  );
  await db.batch(writes.map(([sql, binds]) => db.prepare(sql).bind(...binds)));
  return results.length;
}

/** The cron job, with the city's time zone. */
export const keepSinceOpeningJob = async (t: number, env: Env) => {
  await keepSinceOpening(env.DB, t, readConfig(env).tz);
};
