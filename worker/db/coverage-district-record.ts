import { readConfig } from '../config.ts';
import { aggregate } from '../domain/coverage/aggregate.ts';
import { localParts } from '../domain/local-time.ts';
import { runCoverage } from '../coverage/engine.ts';
import { insertDistrictCoverage } from './rankings.ts';

/**
 * Hourly job: live 15-minute coverage per district (all amenities), so a month's ranking can
 * average what residents could actually reach. The run is the one recordLiveCoverage just made
 * (same inputs, cached in the isolate), so this costs one aggregation and one statement.
 */
export async function recordDistrictCoverage(scheduledTime: number, env: Env): Promise<void> {
  const cfg = readConfig(env);
  const at = Math.floor(scheduledTime / 3_600_000) * 3_600_000;
  const run = await runCoverage(env.DB, { kind: 'all', item: null, live: true }, scheduledTime, cfg.tz);
  const pop = run.planning.population?.population;
  if (!pop) return;
  const f = aggregate(run.metres, pop.pop, pop.district, pop.districts, [15], cfg.walkSpeedMPerMin);
  const day = localParts(at, cfg.tz).day;
  await insertDistrictCoverage(
    env.DB,
    f.by_district.flatMap((d) =>
      d.district === null ? [] : [{ at, day, district: d.district, population: d.population, covered: d.levels[0]!.covered }],
    ),
  );
}
