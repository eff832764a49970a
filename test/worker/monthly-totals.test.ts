import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SinceAnswer } from '../../worker/schemas/reports.ts';
import { asAdmin, call } from './helpers.ts';
import { createDevice, createDistrict, createStation } from './fixtures.ts';

const csv = (body: string) => ({ method: 'PUT', body, headers: { 'content-type': 'text/csv' } });

beforeAll(async () => {
  await createDistrict('mtD', 'District MT');
  await createStation('mt1', 'mtD');
  await env.DB.prepare(`UPDATE stations SET opened_on = '2025-01-15' WHERE id = 'mt1'`).run();
  await createDevice('mt1-dev', 'station', 'mt1');
  // Rollups the system holds: March 2025 (also imported below: the import wins) and June 2025.
  await env.DB.prepare(
    `INSERT INTO item_daily (device_id, item, day, dispensed, inferred_out) VALUES ('mt1-dev', 'water', '2025-03-10', 999, 0), ('mt1-dev', 'water', '2025-06-02', 30, 5), ('mt1-dev', 'towel', '2025-06-03', 7, 0), ('mt1-dev', 'water', '2025-01-10', 50, 0)`,
  ).run();
  await env.DB.prepare(
    `INSERT INTO device_daily (device_id, day, visitors) VALUES ('mt1-dev', '2025-03-10', 500), ('mt1-dev', '2025-06-02', 40)`,
  ).run();
}, 60_000);

describe('monthly totals import', () => {
  it('stores nothing when a row names an unknown station', async () => {
    const res = await asAdmin(
      '/api/v1/monthly/totals',
      csv('station,month,item,dispensed,visitors\nmt1,2025-01,water,100,200\nnope,2025-01,water,1,\n'),
    );
    expect(res.status).toBe(400);
    const p = (await res.json()) as { errors: Array<{ pointer: string }> };
    expect(p.errors.map((e) => e.pointer)).toEqual(['/rows/3/station']);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM station_monthly_totals').first('n')).toBe(0);
  }, 30_000);

  it('makes since-opening figures complete: imports for old months, rollups for the rest, from opened_on', async () => {
    const res = await asAdmin(
      '/api/v1/monthly/totals',
      csv(
        'station,month,item,dispensed,visitors\nmt1,2025-01,water,100,200\nmt1,2025-02,water,120,260\nmt1,2025-02,towel,10,260\nmt1,2025-03,water,140,300\n',
      ),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ rows: 4, stations: 1, months: ['2025-01', '2025-02', '2025-03'] });
    const since = SinceAnswer.parse(await (await asAdmin('/api/v1/monthly/since-opening?station=mt1')).json());
    const r = since.rows[0]!;
    // water: imported 100 + 120 + 140 (March's rollup of 999 and January's 50 are replaced by the import) + June rollup 30 + 5 inferred = 395
    // towel: imported 10 + June rollup 7 = 17
    expect(r.by_item).toEqual({ water: 395, towel: 17 });
    expect(r.dispensed).toBe(412);
    // visitors: imported 200 + 260 + 300, plus June's rollup 40 (March's 500 replaced) = 800
    expect(r.visitors).toBe(800);
    expect(r.imported_months).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(r.since).toBe('2025-01-15');
    // days open: 15 Jan 2025 to today, both inclusive
    expect(r.days_open).toBe(Math.round((Date.parse(`${since.today}T00:00:00Z`) - Date.parse('2025-01-15T00:00:00Z')) / 86400_000) + 1);

    // Re-importing a month replaces its figure, never adds to it.
    expect(
      (
        await asAdmin('/api/v1/monthly/totals', {
          method: 'PUT',
          json: { rows: [{ station: 'mt1', month: '2025-01', item: 'water', dispensed: 90 }] },
        })
      ).status,
    ).toBe(200);
    const again = SinceAnswer.parse(await (await asAdmin('/api/v1/monthly/since-opening?station=mt1')).json());
    expect(again.rows[0]!.by_item.water).toBe(385);
  }, 30_000);

  it('counts the opening month only from the opening day on, with no import', async () => {
    await createStation('mt2', 'mtD');
    await env.DB.prepare(`UPDATE stations SET opened_on = '2025-04-20' WHERE id = 'mt2'`).run();
    await createDevice('mt2-dev', 'station', 'mt2');
    // A test run before opening (5 April) is not the station's figure; 25 April and May are.
    await env.DB.prepare(
      `INSERT INTO item_daily (device_id, item, day, dispensed, inferred_out) VALUES ('mt2-dev', 'water', '2025-04-05', 70, 4), ('mt2-dev', 'water', '2025-04-20', 6, 0), ('mt2-dev', 'water', '2025-04-25', 9, 1), ('mt2-dev', 'towel', '2025-04-19', 3, 0), ('mt2-dev', 'water', '2025-05-01', 11, 0)`,
    ).run();
    await env.DB.prepare(
      `INSERT INTO device_daily (device_id, day, visitors) VALUES ('mt2-dev', '2025-04-05', 100), ('mt2-dev', '2025-04-25', 3), ('mt2-dev', '2025-05-02', 8)`,
    ).run();
    const since = SinceAnswer.parse(await (await asAdmin('/api/v1/monthly/since-opening?station=mt2')).json());
    const r = since.rows[0]!;
    // water: 6 + (9 + 1) + 11 = 27; the towel of 19 April (before opening) is not counted at all
    expect(r.by_item).toEqual({ water: 27 });
    expect(r.dispensed).toBe(27);
    expect(r.visitors).toBe(11);
    expect(r.imported_months).toEqual([]);
  }, 30_000);

  it('refuses a staff token, and an unsupported content type', async () => {
    const staff = (
      (await (await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 's', role: 'staff' } })).json()) as { token: string }
    ).token;
    expect(
      (await call('/api/v1/monthly/totals', { ...csv('station,month,item,dispensed\nmt1,2025-01,water,1\n'), token: staff })).status,
    ).toBe(403);
    expect((await asAdmin('/api/v1/monthly/totals', { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(
      415,
    );
  }, 30_000);

  it("answers the monthly report with its sections, and every site's uptime on its own", async () => {
    const res = await asAdmin('/api/v1/monthly/report?month=2025-06');
    expect(res.status).toBe(200);
    const r = (await res.json()) as Record<string, unknown> & { month: string };
    expect(r.month).toBe('2025-06');
    for (const k of ['ranking', 'response_by_team', 'response_by_district', 'stock_out', 'alerts_by_kind', 'reports'])
      expect(r, k).toHaveProperty(k);
    expect(r).not.toHaveProperty('since_opening');
    expect(r).not.toHaveProperty('uptime');

    const up = (await (await asAdmin('/api/v1/monthly/uptime?month=2025-06')).json()) as {
      month: string;
      rows: Array<{ site: string; kind: string; hours: number; up_hours: number }>;
    };
    expect(up.month).toBe('2025-06');
    const stations = (await env.DB.prepare('SELECT id FROM stations').all<{ id: string }>()).results.map((x) => x.id);
    expect(up.rows.length).toBeGreaterThan(0);
    for (const u of up.rows) {
      expect(u.kind === 'bench' || stations.includes(u.site), u.site).toBe(true);
      expect(u.up_hours, u.site).toBeLessThanOrEqual(u.hours);
    }

    // The same hours as the district ranking's station and bench uptime, summed over districts.
    const ranked = (r.ranking as { district: { rows: Array<{ figures: Record<string, { [k: string]: number } | null> }> } }).district.rows;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const fig = (part: string, field: string) => sum(ranked.map((x) => x.figures[part]?.[field] ?? 0));
    const rows = (kind: string, f: (u: (typeof up.rows)[number]) => number) => sum(up.rows.filter((u) => u.kind === kind).map(f));
    expect(rows('station', (u) => u.hours)).toBe(fig('station_uptime', 'opening_hours'));
    expect(rows('station', (u) => u.up_hours)).toBeCloseTo(fig('station_uptime', 'up_hours'), 1);
    expect(rows('bench', (u) => u.hours)).toBe(fig('bench_uptime', 'hours'));
    expect(fig('station_uptime', 'opening_hours')).toBeGreaterThan(0);

    for (const path of ['report', 'uptime']) {
      const refused = await asAdmin(`/api/v1/monthly/${path}?month=2999-01`);
      expect(refused.status, path).toBe(400);
      const p = (await refused.json()) as { errors: Array<{ in: string; pointer: string; message: string }> };
      expect(p.errors[0], path).toMatchObject({ in: 'query', pointer: '/month', message: 'must not be a future month' });
    }
  }, 30_000);
});
