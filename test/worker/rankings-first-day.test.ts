import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { RankingAnswer } from '../../worker/schemas/rankings.ts';
import { asAdmin } from './helpers.ts';
import { createDevice, createDistrict, createPark, createStation } from './fixtures.ts';

/**
 * Service is measured from a site's first day with data. The site list carries only its first
 * month; the exact day is read for the sites whose first month is the one ranked. A station and a
 * bench that start on 21 March 2026 (Asia/Shanghai) are measured over 11 days = 264 hours of March,
 * over all of April, and not at all in February.
 */
beforeAll(async () => {
  await createDistrict('fdA', 'District FD');
  await createStation('fdS', 'fdA'); // 24/7
  await createDevice('fdS-dev', 'station', 'fdS');
  await createPark('fdP', 'fdA');
  await createDevice('fdB', 'bench', 'fdP', { ports: 2 });
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO item_daily (device_id, item, day, dispensed) VALUES ('fdS-dev', 'water', '2026-03-21', 3), ('fdS-dev', 'water', '2026-04-02', 1)`,
    ),
    env.DB.prepare(`INSERT INTO device_daily (device_id, day, sessions) VALUES ('fdB', '2026-03-21', 1), ('fdB', '2026-04-03', 1)`),
  ]);
}, 60_000);

async function district(month: string) {
  const res = await asAdmin(`/api/v1/rankings?month=${month}&by=district`);
  expect(res.status).toBe(200);
  return RankingAnswer.parse(await res.json()).rows.find((r) => r.key === 'fdA')!;
}

describe("a site's first day", () => {
  it('starts its service in the month it falls in, and every later month is whole', async () => {
    const march = await district('2026-03');
    expect(march.figures.station_uptime).toMatchObject({ opening_hours: 264 });
    expect(march.figures.bench_uptime).toMatchObject({ hours: 264 });
    const april = await district('2026-04');
    expect(april.figures.station_uptime).toMatchObject({ opening_hours: 720 });
    expect(april.figures.bench_uptime).toMatchObject({ hours: 720 });
    const february = await district('2026-02');
    expect(february.figures.sources).toMatchObject({ benches: [] });
    expect(february.figures.bench_uptime).toBeNull();
  });
});
