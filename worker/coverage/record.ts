import { readConfig } from '../config.ts';
import { aggregate, DEFAULT_LEVELS } from '../domain/coverage/aggregate.ts';
import { localParts } from '../domain/local-time.ts';
import { runCoverage } from './engine.ts';
import { insertTrend, type TrendInsert } from '../db/coverage-trend.ts';

const KINDS = ['all', 'station', 'bench'] as const;

/** Hourly job: live coverage (open, stocked, charged, a free port) for each amenity kind, for its trend. */
export async function recordLiveCoverage(scheduledTime: number, env: Env): Promise<void> {
  const cfg = readConfig(env);
  const speed = cfg.walkSpeedMPerMin;
  const at = Math.floor(scheduledTime / 3_600_000) * 3_600_000;
  const { day, hour } = localParts(at, cfg.tz);
  const rows: TrendInsert[] = [];
  for (const kind of KINDS) {
    const run = await runCoverage(env.DB, { kind, item: null, live: true }, scheduledTime, cfg.tz);
    const pop = run.planning.population?.population;
    if (!pop) return; // nothing to measure until a population layer is loaded
    const f = aggregate(run.metres, pop.pop, pop.district, pop.districts, DEFAULT_LEVELS, speed);
    rows.push({
      at,
      day,
      hour,
      kind,
      method: run.method,
      speed,
      population: f.population,
      amenities: run.amenities.length,
      levels: f.levels,
    });
  }
  await insertTrend(env.DB, rows);
}
