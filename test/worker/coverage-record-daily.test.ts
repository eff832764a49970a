import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { insertDistrictCoverage, recordedCoverage, type DistrictCoverageInsert } from '../../worker/db/rankings.ts';

const HOUR = 3_600_000;

/** What the kept district-days hold, and what the hourly rows sum to now. */
async function keptAndSummed() {
  const q = async (sql: string) => (await env.DB.prepare(sql).all<Record<string, number | string>>()).results;
  return {
    kept: await q('SELECT day, district, hours, share_sum, population_sum FROM coverage_district_daily ORDER BY 1, 2'),
    summed:
      await q(`SELECT day, district, COUNT(*) AS hours, TOTAL(CASE WHEN population > 0 THEN covered / population ELSE 0 END) AS share_sum,
      TOTAL(population) AS population_sum FROM coverage_district_hourly GROUP BY 1, 2 ORDER BY 1, 2`),
  };
}

async function expectKeptEqualsSummed() {
  const { kept, summed } = await keptAndSummed();
  expect(kept.map((r) => [r.day, r.district, r.hours])).toEqual(summed.map((r) => [r.day, r.district, r.hours]));
  kept.forEach((r, i) => {
    expect(r.share_sum).toBeCloseTo(summed[i]!.share_sum as number, 12);
    expect(r.population_sum).toBeCloseTo(summed[i]!.population_sum as number, 6);
  });
}

/** The mean over the rows, as the ranking defines it: an hour without population counts as 0 covered. */
function meanOf(rows: DistrictCoverageInsert[], district: string, first: string, last: string) {
  const mine = rows.filter((r) => r.district === district && r.day >= first && r.day <= last);
  return {
    share: mine.reduce((a, r) => a + (r.population > 0 ? r.covered / r.population : 0), 0) / mine.length,
    population: mine.reduce((a, r) => a + r.population, 0) / mine.length,
    hours: mine.length,
  };
}

describe('recorded district coverage kept per day (migration 0018)', () => {
  it('follows every write of the hourly rows, and a month reads the same mean as its hours give', async () => {
    const start = Date.UTC(2026, 2, 30, 16); // 31 March 00:00 in Shanghai
    const rows: DistrictCoverageInsert[] = [];
    for (let h = 0; h < 72; h++) {
      const at = start + h * HOUR;
      const day = ['2026-03-31', '2026-04-01', '2026-04-02'][Math.floor(h / 24)]!;
      rows.push({ at, day, district: 'cr-a', population: 1000 + h, covered: 500 + 7 * h });
      // District b has hours with nobody counted (population 0): they count as 0 covered.
      rows.push({ at, day, district: 'cr-b', population: h % 5 === 0 ? 0 : 2000, covered: h % 5 === 0 ? 0 : 1500 - h });
    }
    await insertDistrictCoverage(env.DB, rows);
    await expectKeptEqualsSummed();

    // The hourly cron writing an hour again (its ON CONFLICT update) changes that day's sums.
    const again = { ...rows[30]!, covered: 10 };
    rows[30] = again;
    await insertDistrictCoverage(env.DB, [again]);
    await expectKeptEqualsSummed();

    // Any other writer: an update that moves an hour to another day, and a delete.
    await env.DB.prepare(`UPDATE coverage_district_hourly SET day = '2026-04-01' WHERE district = 'cr-a' AND at = ?`)
      .bind(start + 23 * HOUR)
      .run();
    rows.find((r) => r.district === 'cr-a' && r.at === start + 23 * HOUR)!.day = '2026-04-01';
    await env.DB.prepare(`DELETE FROM coverage_district_hourly WHERE district = 'cr-b' AND day = '2026-04-02'`).run();
    for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.district === 'cr-b' && rows[i]!.day === '2026-04-02') rows.splice(i, 1);
    await expectKeptEqualsSummed();
    const days = (
      await env.DB.prepare(`SELECT day FROM coverage_district_daily WHERE district = 'cr-b' ORDER BY day`).all<{ day: string }>()
    ).results;
    expect(days.map((d) => d.day)).toEqual(['2026-03-31', '2026-04-01']);

    // April's mean per district, against the rows themselves.
    const april = await recordedCoverage(env.DB, '2026-04-01', '2026-04-30');
    for (const district of ['cr-a', 'cr-b']) {
      const got = april.find((r) => r.district === district)!;
      const want = meanOf(rows, district, '2026-04-01', '2026-04-30');
      expect(got.hours).toBe(want.hours);
      expect(got.share).toBeCloseTo(want.share, 12);
      expect(got.population).toBeCloseTo(want.population, 9);
    }
    expect(april.find((r) => r.district === 'cr-a')!.hours).toBe(49); // 48 April hours and the moved one
    expect(april.find((r) => r.district === 'cr-b')!.hours).toBe(24);
  });
});
