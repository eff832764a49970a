import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay } from '../../worker/domain/local-time.ts';
import * as S from '../../worker/schemas/dashboard.ts';
import { asAdmin, call } from './helpers.ts';
import { loadOverview } from '../../worker/db/dashboard-overview.ts';
import { keepDailyTotals } from '../../worker/db/daily-totals.ts';
import { closedDays, daysToKeep, periodsToKeep } from '../../worker/db/daily-totals-sql.ts';
import { weekStart } from '../../worker/domain/report-periods.ts';
import { lastDayOf } from '../../worker/domain/ranking/month.ts';
import { benchSeries, deviceMessages, stationSeries } from '../../worker/db/dashboard-series.ts';
import { loadBenches, loadStations } from '../../worker/db/dashboard-state.ts';
import { mapBase, suppliesReport } from '../../worker/db/dashboard-supplies.ts';

/**
 * The dashboard API over a small city written straight into the registry, current-state and
 * rollup tables (what ingestion maintains), so every expected figure is known exactly here.
 */
const TZ = 'Asia/Shanghai';
const NOW = Date.now();
const today = localDay(NOW, TZ);
const MIN = 60_000;
const HOUR_NOW = Number(new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', hourCycle: 'h23' }).format(NOW));

async function seed(): Promise<void> {
  const db = env.DB;
  const t = NOW;
  const stmts = [
    db.prepare("INSERT INTO districts (id, name, created_at) VALUES ('dx', '东昌府区', ?), ('dy', '开发区', ?)").bind(t, t),
    db.prepare("INSERT INTO parks (id, name, district, lat, lon, created_at) VALUES ('p1', '印象公园', 'dx', 36.45, 115.98, ?)").bind(t),
    db
      .prepare(
        `INSERT INTO stations (id, name, district, lat, lon, opening_hours, created_at, open, open_at, updated_at) VALUES
       ('s1', '人民广场驿站', 'dx', 36.44, 115.97, '24/7', ?1, NULL, NULL, ?2),
       ('s2', '开发区驿站', 'dy', 36.40, 116.01, 'Mo-Su 06:00-22:00', ?1, 0, ?2, ?2)`,
      )
      .bind(t, t - 5 * MIN),
    db
      .prepare(
        `INSERT INTO station_items (station_id, item, par_level, reorder_point, on_hand, on_hand_at) VALUES
       ('s1', 'water', 100, 20, 50, ?1), ('s1', 'towel', 40, 10, 8, ?1),
       ('s2', 'water', 80, 20, 0, ?1)`,
      )
      .bind(t),
    db
      .prepare(
        `INSERT INTO devices (id, kind, site, created_at, last_seen, ports, state_at, battery_soc, solar_w, load_w, ports_in_use, fault_codes) VALUES
       ('st-1', 'station', 's1', ?1, ?2, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
       ('st-2', 'station', 's2', ?1, ?2, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
       ('b-1', 'bench', 'p1', ?1, ?2, 4, ?2, 15.5, 30, 4, 1, '[]'),
       ('b-2', 'bench', 'p1', ?1, NULL, 4, NULL, NULL, NULL, NULL, NULL, NULL)`,
      )
      .bind(t, t - 5 * MIN),
    db
      .prepare(
        "INSERT INTO device_faults (device_id, code, active, detail, ts) VALUES ('st-1', 'door', 1, 'door open', ?), ('b-1', 'usb2', 0, NULL, ?)",
      )
      .bind(t, t),
  ];
  // item_daily: water at s1 on today, yesterday, 3 days ago, 10 days ago, 40 days ago; towel today; s2 water today.
  const itemRows: Array<[string, string, string, number, number, number, number, number]> = [
    ['st-1', 'water', today, 5, 2, 30, 1, 1],
    ['st-1', 'water', addDays(today, -1), 7, 0, 0, 0, 0],
    ['st-1', 'water', addDays(today, -3), 11, 0, 0, 0, 0],
    ['st-1', 'water', addDays(today, -10), 13, 0, 0, 0, 0],
    ['st-1', 'water', addDays(today, -40), 17, 0, 0, 0, 0],
    ['st-1', 'towel', today, 3, 0, 0, 0, 0],
    ['st-2', 'water', today, 4, 0, 10, 0, 0],
    ['st-2', 'towel', addDays(today, -2), 0, 0, 0, 0, 0], // a stock reading with no change: nothing moved
  ];
  for (const [dev, item, day, dispensed, inferred, restocked, lent, returned] of itemRows) {
    stmts.push(
      db
        .prepare(
          'INSERT INTO item_daily (device_id, item, day, dispensed, inferred_out, restocked, lent, returned) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .bind(dev, item, day, dispensed, inferred, restocked, lent, returned),
    );
  }
  stmts.push(
    db
      .prepare(
        `INSERT INTO device_daily (device_id, day, visitors, sessions, energy_wh, solar_wh, batt_min, batt_sum, batt_n, load_sum, load_n, samples) VALUES
       ('b-1', ?1, 0, 3, 12.5, 80, 15, 90, 4, 16, 4, 4), ('b-1', ?2, 0, 2, 7.5, 60, 40, 100, 2, 8, 2, 2), ('st-1', ?1, 9, 0, 0, 0, NULL, 0, 0, 0, 0, 0)`,
      )
      .bind(today, addDays(today, -8)),
    db
      .prepare(
        `INSERT INTO device_hourly (device_id, day, hour, visitors, sessions, energy_wh, solar_wh, batt_min, batt_sum, batt_n, load_sum, load_n, samples) VALUES
       ('b-1', ?1, ?2, 0, 3, 12.5, 80, 15, 90, 4, 16, 4, 4)`,
      )
      .bind(today, HOUR_NOW),
    // Yesterday by hour: 4 at midnight, 3 in the last hour, which "today so far" only reaches at 23:00.
    db
      .prepare(
        `INSERT INTO item_hourly (device_id, item, day, hour, dispensed) VALUES ('st-1', 'water', ?1, 0, 4), ('st-1', 'water', ?1, 23, 3)`,
      )
      .bind(addDays(today, -1)),
    db
      .prepare(
        "INSERT INTO messages (device_id, key, ts, type, body, ingest_id, received_at) VALUES ('b-1', '9', ?1, 'heartbeat', '{\"seq\":9}', 'x', ?1), ('b-1', '10', ?2, 'heartbeat', '{\"seq\":10}', 'x', ?2)",
      )
      .bind(t - 2 * MIN, t - MIN),
  );
  await db.batch(stmts);
}

async function get<T>(path: string, schema: { parse: (x: unknown) => T }): Promise<T> {
  const res = await asAdmin(`/api/v1/dashboard${path}`);
  expect(res.status, path).toBe(200);
  return schema.parse(await res.json());
}

describe('the dashboard API', () => {
  beforeAll(seed);

  it('tells the caller its role and refuses a call without a token', async () => {
    expect(await get('/me', S.Me)).toEqual({ id: 'admin-secret', role: 'admin' });
    const res = await call('/api/v1/dashboard/overview');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers the configuration with the city time zone, today and the seeded items', async () => {
    const cfg = await get('/config', S.Config);
    expect(cfg.tz).toBe(TZ);
    expect(cfg.today).toBe(today);
    expect(cfg.items.map((i) => i.code)).toEqual(expect.arrayContaining(['water', 'towel', 'umbrella']));
    expect(cfg.districts).toEqual([
      { id: 'dx', name: '东昌府区' },
      { id: 'dy', name: '开发区' },
    ]);
  });

  it('sums distributed supplies per item over today, 7 and 30 days with the previous period', async () => {
    const o = await get('/overview', S.Overview);
    const water = o.supplies.find((s) => s.item === 'water')!;
    // today: s1 5 + 2 inferred, s2 4; yesterday up to this hour: 4 (+ 3 from 23:00 on).
    const yesterdaySoFar = 4 + (HOUR_NOW === 23 ? 3 : 0);
    expect(water.today).toEqual({ current: 11, previous: yesterdaySoFar, change: (11 - yesterdaySoFar) / yesterdaySoFar });
    // 7 days: 11 + 7 + 11; previous 7 days holds day -10: 13.
    expect(water.last_7_days).toEqual({ current: 29, previous: 13, change: (29 - 13) / 13 });
    // 30 days: 29 + 13; previous 30 days holds day -40: 17.
    expect(water.last_30_days.current).toBe(42);
    expect(water.last_30_days.previous).toBe(17);
    expect(water.since_opening).toBe(59);
    expect(o.supplies.find((s) => s.item === 'towel')!.today.change).toBeNull();
    expect(o.stations).toEqual({ total: 2, open_now: expect.any(Number), below_reorder: 2, stock_out: 1 });
    expect(o.benches.total).toBe(2);
    expect(o.benches.battery).toEqual({ good: 0, low: 0, very_low: 1, critical: 0, unknown: 1 });
    expect(o.charging.today).toEqual({ sessions: 3, energy_wh: 12.5 });
    expect(o.charging.last_7_days).toEqual({ sessions: 3, energy_wh: 12.5 });
    expect(o.charging.last_30_days).toEqual({ sessions: 5, energy_wh: 20 });
    // s1: door fault + towel below reorder → orange; s2: water out → red. b-1 battery 15.5 → orange; b-2 never seen → red.
    expect(o.health.stations).toEqual({ blue: 0, yellow: 0, orange: 1, red: 1 });
    expect(o.health.benches).toEqual({ blue: 0, yellow: 0, orange: 1, red: 1 });
    expect(o.attention.map((a) => [a.kind, a.id, a.health.grade])).toEqual([
      ['bench', 'b-2', 'red'],
      ['station', 's2', 'red'],
      ['bench', 'b-1', 'orange'],
      ['station', 's1', 'orange'],
    ]);
    expect(o.trend.rows.filter((r) => r.day === today)).toEqual([
      { day: today, item: 'towel', distributed: 3 },
      { day: today, item: 'water', distributed: 11 },
    ]);
    const dx = o.districts.find((d) => d.id === 'dx')!;
    expect(dx).toMatchObject({
      stations: 1,
      benches: 2,
      distributed_30d: 5 + 2 + 7 + 11 + 13 + 3,
      sessions_30d: 5,
      energy_wh_30d: 20,
      red: 1,
      orange: 2,
    });
  });

  it('answers the same overview from the closed days the cron keeps, and drops a day when its rollups or the registry change', async () => {
    const live = await get('/overview', S.Overview);
    expect(await keepDailyTotals(env.DB, NOW, TZ)).toBe(59);
    expect(await keepDailyTotals(env.DB, NOW, TZ)).toBe(0); // nothing missing the next minute
    const kept = await env.DB.prepare('SELECT day, supply, district_supply, supply_by_hour FROM daily_totals WHERE day = ?')
      .bind(addDays(today, -1))
      .first<{ supply: string; district_supply: string; supply_by_hour: string }>();
    expect(JSON.parse(kept!.supply)).toEqual({ water: 7 });
    expect(JSON.parse(kept!.district_supply)).toEqual({ dx: 7 });
    expect(JSON.parse(kept!.supply_by_hour)).toEqual([
      [0, 'water', 4],
      [23, 'water', 3],
    ]);
    const fromKept = await get('/overview', S.Overview);
    expect({ ...fromKept, generated_at: '' }).toEqual({ ...live, generated_at: '' });

    // A late reading for three days ago: that day goes, the others stay, the answer counts it.
    const day3 = addDays(today, -3);
    const count = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM daily_totals').first<{ n: number }>())!.n;
    await env.DB.prepare(`UPDATE item_daily SET dispensed = 12 WHERE device_id = 'st-1' AND item = 'water' AND day = ?`).bind(day3).run();
    expect(await count()).toBe(58);
    expect((await get('/overview', S.Overview)).supplies.find((x) => x.item === 'water')!.last_7_days.current).toBe(30);
    await env.DB.prepare(`UPDATE item_daily SET dispensed = 11 WHERE device_id = 'st-1' AND item = 'water' AND day = ?`).bind(day3).run();
    expect(await keepDailyTotals(env.DB, NOW, TZ)).toBe(1);
    // A station moved to another district: every kept day goes (their district sums are stale).
    await env.DB.prepare(`UPDATE stations SET district = 'dy' WHERE id = 's1'`).run();
    expect(await count()).toBe(0);
    await env.DB.prepare(`UPDATE stations SET district = 'dx' WHERE id = 's1'`).run();
    await keepDailyTotals(env.DB, NOW, TZ);
    expect({ ...(await get('/overview', S.Overview)), generated_at: '' }).toEqual({ ...live, generated_at: '' });
  });

  it('answers supplies by day, week and month from what the cron keeps per district and item, as summed live', async () => {
    await env.DB.prepare('DELETE FROM daily_totals').run();
    // A reading 70 days ago: the cron keeps from there (two runs), so the kept days hold a whole
    // month whatever today's date.
    const day70 = addDays(today, -70);
    await env.DB.prepare(`INSERT INTO item_daily (device_id, item, day, dispensed) VALUES ('st-1', 'water', ?, 5)`).bind(day70).run();
    const paths = (['item', 'district'] as const).flatMap((g) =>
      (['day', 'week', 'month'] as const).map((p) => `/supplies?from=${addDays(today, -75)}&to=${today}&group=${g}&period=${p}`),
    );
    // paths: item by day, week, month (0–2), then district (3–5).
    const [itemMonth, districtDay, districtWeek, districtMonth] = [2, 3, 4, 5];
    const byDistrictDay = (r: S.SuppliesReportT, day: string, district: string, item: string) =>
      r.rows.find((x) => x.period === day && x.place === district && x.item === item);
    const live = await Promise.all(paths.map((p) => get(p, S.SuppliesReport)));
    // The contract's /supplies reads the same kept sums when it is not per station.
    const range = `from=${addDays(today, -75)}&to=${today}`;
    const contractPaths = [
      ...['item', 'district', 'day'].map((by) => `/api/v1/supplies?${range}&by=${by}`),
      `/api/v1/supplies?${range}&by=item&district=dx`,
      `/api/v1/supplies?${range}&by=day&district=dx&item=water`,
    ];
    const contract = async () =>
      Promise.all(
        contractPaths.map(async (p) => {
          const res = await asAdmin(p);
          expect(res.status, p).toBe(200);
          return res.json();
        }),
      );
    const contractLive = await contract();
    expect((contractLive[1] as { rows: unknown[] }).rows).toContainEqual(expect.objectContaining({ key: 'dx', name: '东昌府区' }));
    // The seeded rows, independently: s1 (dx) water 40 days ago, s2 (dy) water today with a restock.
    expect(byDistrictDay(live[districtDay]!, addDays(today, -40), 'dx', 'water')).toMatchObject({
      place_name: '东昌府区',
      distributed: 17,
    });
    expect(byDistrictDay(live[districtDay]!, today, 'dy', 'water')).toMatchObject({ distributed: 4, restocked: 10 });
    // By month per item, as the per-station report sums it from the monthly rollups.
    const stationMonth = await get(`/supplies?from=${addDays(today, -75)}&to=${today}&group=station&period=month`, S.SuppliesReport);
    const perItem = new Map<string, number>();
    for (const r of stationMonth.rows) perItem.set(`${r.period} ${r.item}`, (perItem.get(`${r.period} ${r.item}`) ?? 0) + r.distributed);
    expect(new Map(live[itemMonth]!.rows.map((r) => [`${r.period} ${r.item}`, r.distributed]))).toEqual(perItem);

    expect(await keepDailyTotals(env.DB, NOW, TZ)).toBe(62);
    expect(await keepDailyTotals(env.DB, NOW, TZ)).toBe(8);
    const kept = await env.DB.prepare(
      'SELECT day, district, item, dispensed, restocked FROM district_item_daily ORDER BY day, district, item',
    ).all<{ day: string; district: string; item: string; dispensed: number; restocked: number }>();
    expect(kept.results).toEqual([
      { day: day70, district: 'dx', item: 'water', dispensed: 5, restocked: 0 },
      { day: addDays(today, -40), district: 'dx', item: 'water', dispensed: 17, restocked: 0 },
      { day: addDays(today, -10), district: 'dx', item: 'water', dispensed: 13, restocked: 0 },
      { day: addDays(today, -3), district: 'dx', item: 'water', dispensed: 11, restocked: 0 },
      { day: addDays(today, -2), district: 'dy', item: 'towel', dispensed: 0, restocked: 0 },
      { day: addDays(today, -1), district: 'dx', item: 'water', dispensed: 7, restocked: 0 },
    ]);
    // Every whole week and month of the kept days is kept too, its sums those of its days.
    const keptPeriods = async () =>
      (await env.DB.prepare('SELECT period FROM kept_periods ORDER BY period').all<{ period: string }>()).results.map((r) => r.period);
    const keptDays = Array.from({ length: 70 }, (_, i) => addDays(day70, i));
    const whole = [
      ...keptDays.filter((d) => weekStart(d) === d && addDays(d, 6) < today),
      ...new Set(keptDays.filter((d) => d.endsWith('-01') && lastDayOf(d.slice(0, 7)) < today).map((d) => d.slice(0, 7))),
    ].sort();
    expect(whole.filter((p) => p.length === 7).length).toBeGreaterThanOrEqual(1);
    expect(await keptPeriods()).toEqual(whole);
    const periodRows = await env.DB.prepare(
      'SELECT period, district, item, dispensed FROM district_item_periods ORDER BY period, district, item',
    ).all();
    const fromDays = new Map<string, { period: string; district: string; item: string; dispensed: number }>();
    for (const r of kept.results)
      for (const period of [weekStart(r.day), r.day.slice(0, 7)].filter((p) => whole.includes(p))) {
        const key = `${period} ${r.district} ${r.item}`;
        const x = fromDays.get(key) ?? { period, district: r.district, item: r.item, dispensed: 0 };
        fromDays.set(key, { ...x, dispensed: x.dispensed + r.dispensed });
      }
    expect(periodRows.results).toEqual([...fromDays.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v));
    for (const [i, p] of paths.entries()) expect(await get(p, S.SuppliesReport), p).toEqual(live[i]);
    expect(await contract()).toEqual(contractLive);

    // A late reading three days ago: that day is summed live again, the others stay kept.
    const day3 = addDays(today, -3);
    await env.DB.prepare(`UPDATE item_daily SET dispensed = 12 WHERE device_id = 'st-1' AND item = 'water' AND day = ?`).bind(day3).run();
    expect(byDistrictDay(await get(paths[districtDay]!, S.SuppliesReport), day3, 'dx', 'water')?.distributed).toBe(12);
    // Its week and month sum that live day with their kept ones (days -3 and -1 share a week five days in seven).
    for (const at of [districtWeek, districtMonth]) {
      const before = live[at]!.rows.filter((x) => x.place === 'dx' && x.item === 'water' && x.period <= day3).at(-1)!;
      const mixed = await get(paths[at]!, S.SuppliesReport);
      expect(byDistrictDay(mixed, before.period, 'dx', 'water')?.distributed).toBe(before.distributed + 1);
    }
    await env.DB.prepare(`UPDATE item_daily SET dispensed = 11 WHERE device_id = 'st-1' AND item = 'water' AND day = ?`).bind(day3).run();
    // The late reading dropped its week and month (if kept whole): kept again with the day.
    expect(await keptPeriods()).toEqual(whole.filter((p) => p !== weekStart(day3) && p !== day3.slice(0, 7)));
    expect(await keepDailyTotals(env.DB, NOW, TZ)).toBe(1);
    expect(await keptPeriods()).toEqual(whole);
    // A station moved to another district: no kept day counts, its days are summed in the new one.
    await env.DB.prepare(`UPDATE stations SET district = 'dy' WHERE id = 's1'`).run();
    const moved = await get(paths[districtDay]!, S.SuppliesReport);
    expect(byDistrictDay(moved, addDays(today, -40), 'dy', 'water')?.distributed).toBe(17);
    expect(moved.rows.some((x) => x.place === 'dx')).toBe(false);
    expect(await keptPeriods()).toEqual([]);
    for (const at of [districtWeek, districtMonth])
      expect((await get(paths[at]!, S.SuppliesReport)).rows.some((x) => x.place === 'dx')).toBe(false);
    expect(JSON.stringify((await contract())[1])).not.toContain('"dx"');
    await env.DB.prepare(`UPDATE stations SET district = 'dx' WHERE id = 's1'`).run();
    expect(await keepDailyTotals(env.DB, NOW, TZ)).toBe(62);
    for (const [i, p] of paths.entries()) expect(await get(p, S.SuppliesReport), p).toEqual(live[i]);
    expect(await contract()).toEqual(contractLive);
    await env.DB.prepare(`DELETE FROM item_daily WHERE device_id = 'st-1' AND item = 'water' AND day = ?`).bind(day70).run();
  });

  it('keeps the weeks and months whose days are all kept, newest first, once', () => {
    // 2026-11-02 and 2026-11-09 are Mondays.
    const days = Array.from({ length: 16 }, (_, i) => addDays('2026-11-01', i)); // Sunday 1st to Monday 16th
    expect(periodsToKeep(days, new Set())).toEqual(['2026-11-09', '2026-11-02']);
    expect(periodsToKeep(days, new Set(['2026-11-09']))).toEqual(['2026-11-02']);
    expect(
      periodsToKeep(
        days.filter((d) => d !== '2026-11-04'),
        new Set(),
      ),
    ).toEqual(['2026-11-09']);
    expect(periodsToKeep([], new Set())).toEqual([]);
    // February 2026 (28 days, from a Sunday to a Saturday): the month and its three whole weeks.
    const feb = Array.from({ length: 28 }, (_, i) => addDays('2026-02-01', i));
    expect(periodsToKeep(feb, new Set())).toEqual(['2026-02-16', '2026-02-09', '2026-02-02', '2026-02']);
    expect(periodsToKeep(feb.slice(1), new Set())).toEqual(['2026-02-16', '2026-02-09', '2026-02-02']);
  });

  it('keeps every closed day since the first with data, newest first, at most 62 a run', () => {
    const d = daysToKeep(today, addDays(today, -400), new Set([addDays(today, -1), addDays(today, -5)]));
    expect(d).toHaveLength(62);
    expect(d[0]).toBe(addDays(today, -2));
    expect(d).not.toContain(addDays(today, -5));
    expect(d.at(-1)).toBe(addDays(today, -64));
    // No data yet, or data only lately: the overview's 59 days.
    expect(daysToKeep(today, null, new Set())).toEqual(closedDays(today).reverse());
    expect(daysToKeep(today, addDays(today, -3), new Set())).toHaveLength(59);
    // Everything kept: nothing to do.
    expect(daysToKeep(today, addDays(today, -30), new Set(closedDays(today)))).toEqual([]);
  });

  it('lists stations with health, lowest stock share and open state, and a closed report overrides the schedule', async () => {
    const { stations } = await get('/stations', S.StationList);
    const s1 = stations.find((s) => s.id === 's1')!;
    expect(s1.health.grade).toBe('orange');
    expect(s1.health.reasons).toEqual(expect.arrayContaining(['below_reorder', 'fault']));
    expect(s1.lowest_stock_pct).toBe(20); // towel 8 of 40
    expect(s1.open_now).toBe(true);
    expect(s1.distributed_7d).toBe(7 + 7 + 11 + 3);
    const s2 = stations.find((s) => s.id === 's2')!;
    expect(s2.open_now).toBe(false);
    expect(s2.lowest_stock_pct).toBe(0);
  });

  it('shows one station with its devices and active faults, and 404 for an unknown one', async () => {
    const s = await get('/stations/s1', S.StationDetail);
    expect(s.devices.map((d) => d.id)).toEqual(['st-1']);
    expect(s.faults).toEqual([expect.objectContaining({ code: 'door', detail: 'door open' })]);
    const res = await asAdmin('/api/v1/dashboard/stations/nope');
    expect(res.status).toBe(404);
  });

  it('gives a station its daily series by item and visitors', async () => {
    const s = await get(`/stations/s1/series?from=${addDays(today, -3)}&to=${today}`, S.StationSeries);
    expect(s.items).toEqual([
      {
        day: addDays(today, -3),
        item: 'water',
        distributed: 11,
        dispensed: 11,
        inferred_out: 0,
        restocked: 0,
        inferred_in: 0,
        lent: 0,
        returned: 0,
      },
      {
        day: addDays(today, -1),
        item: 'water',
        distributed: 7,
        dispensed: 7,
        inferred_out: 0,
        restocked: 0,
        inferred_in: 0,
        lent: 0,
        returned: 0,
      },
      { day: today, item: 'towel', distributed: 3, dispensed: 3, inferred_out: 0, restocked: 0, inferred_in: 0, lent: 0, returned: 0 },
      { day: today, item: 'water', distributed: 7, dispensed: 5, inferred_out: 2, restocked: 30, inferred_in: 0, lent: 1, returned: 1 },
    ]);
    expect(s.visitors).toEqual([{ day: today, visitors: 9 }]);
    const bad = await asAdmin(`/api/v1/dashboard/stations/s1/series?from=${today}&to=${addDays(today, -1)}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ pointer: string }> }).errors[0]!.pointer).toBe('/from');
  });

  it('gives a bench its hourly points for 24 h, zero-filled, and its daily energy for 30 days', async () => {
    const day = await get('/benches/b-1/series?range=24h', S.BenchSeries);
    expect(day.points).toHaveLength(24);
    const last = day.points[23]!;
    expect(last).toMatchObject({ battery_avg: 22.5, battery_min: 15, solar_w: 80, load_w: 4, samples: 4 });
    expect(day.points.slice(0, 23).every((p) => p.samples === 0 && p.battery_avg === null)).toBe(true);
    expect(day.by_hour.reduce((n, h) => n + h.sessions, 0)).toBe(3);
    const month = await get('/benches/b-1/series?range=30d', S.BenchSeries);
    expect(month.points).toHaveLength(30);
    expect(month.daily.find((d) => d.day === addDays(today, -8))).toEqual({
      day: addDays(today, -8),
      solar_wh: 60,
      energy_wh: 7.5,
      sessions: 2,
    });
    expect(month.points.find((p) => p.key === today)!.solar_w).toBeCloseTo(80 / 24, 2);
  });

  it('lists benches with battery and health, and a bench with its faults', async () => {
    const { benches } = await get('/benches', S.BenchList);
    expect(benches.map((b) => [b.id, b.health.grade, b.district])).toEqual([
      ['b-1', 'orange', 'dx'],
      ['b-2', 'red', 'dx'],
    ]);
    expect(benches[0]).toMatchObject({ battery_soc: 15.5, ports: 4, ports_in_use: 1, sessions_7d: 3, energy_wh_7d: 12.5, lat: 36.45 });
    const b = await get('/benches/b-1', S.BenchDetail);
    expect(b.faults).toEqual([]); // the usb2 fault was cleared
  });

  it("lists a device's newest messages first", async () => {
    const m = await get('/devices/b-1/messages?limit=1', S.MessageList);
    expect(m.messages.map((x) => x.key)).toEqual(['10']);
    expect(m.messages[0]!.body).toEqual({ seq: 10 });
  });

  it('reports supplies by district and month, and by station and week', async () => {
    const r = await get(`/supplies?from=${addDays(today, -45)}&to=${today}&group=district&period=month`, S.SuppliesReport);
    const total = (district: string, item: string) =>
      r.rows.filter((x) => x.place === district && x.item === item).reduce((n, x) => n + x.distributed, 0);
    expect(total('dx', 'water')).toBe(5 + 2 + 7 + 11 + 13 + 17);
    expect(total('dy', 'water')).toBe(4);
    expect(r.rows.every((x) => /^\d{4}-\d{2}$/.test(x.period))).toBe(true);
    expect(r.rows.filter((x) => x.place === 'dy').map((x) => x.item)).toEqual(['water']);
    const w = await get(`/supplies?from=${today}&to=${today}&group=station&period=week`, S.SuppliesReport);
    const monday = new Date(`${today}T00:00:00Z`);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    expect(w.rows.find((x) => x.place === 's1' && x.item === 'water')).toMatchObject({
      period: monday.toISOString().slice(0, 10),
      place_name: '人民广场驿站',
      restocked: 30,
      lent: 1,
      returned: 1,
      distributed: 7,
    });
    const bad = await asAdmin('/api/v1/dashboard/supplies?from=2026-01-01&to=2026-01-02&period=year');
    expect(bad.status).toBe(400);
  });

  it('answers the base map with parks and district label points', async () => {
    const m = await get('/map', S.MapBase);
    expect(m.parks.map((p) => p.id)).toEqual(['p1']);
    const dx = m.districts.find((d) => d.id === 'dx')!;
    expect(dx.lat).toBeCloseTo((36.45 + 36.44) / 2, 6);
    expect(dx.boundary).toBeNull();
  });
});

describe('the dashboard after telemetry arrives through the real API', () => {
  it('counts dispensed items and a charging session the moment they are ingested', async () => {
    const before = await get('/overview', S.Overview);
    const post = async (path: string, json: unknown) => {
      const res = await asAdmin(path, { method: 'POST', json });
      expect(res.status, `${path} ${await res.clone().text()}`).toBe(201);
      return (await res.json()) as { token?: string };
    };
    await post('/api/v1/districts', { id: 'dz', name: '高新区' });
    await post('/api/v1/parks', { id: 'pz', name: '湖畔公园', district: 'dz', lat: 36.5, lon: 116.0 });
    await post('/api/v1/stations', { id: 'sz', name: '湖畔驿站', district: 'dz', lat: 36.51, lon: 116.01 });
    const station = await post('/api/v1/devices', { id: 'st-z', kind: 'station', site: 'sz' });
    const bench = await post('/api/v1/devices', { id: 'b-z', kind: 'bench', site: 'pz', ports: 4 });
    // Seconds, not minutes, before now: minutes could fall on the previous local day just after the city's midnight.
    const ts = (secAgo: number) => new Date(NOW - secAgo * 1000).toISOString();
    const send = async (token: string, messages: unknown[]) => {
      const res = await call('/api/v1/telemetry', { method: 'POST', token, json: { messages } });
      const body = (await res.json()) as { accepted: number; rejected: unknown[] };
      expect(body.rejected).toEqual([]);
      expect(body.accepted).toBe(messages.length);
    };
    await send(station.token!, [
      { seq: 1, ts: ts(3), type: 'dispense', item: 'water', qty: 3 },
      { seq: 2, ts: ts(2), type: 'dispense', item: 'water', qty: 2 },
      { seq: 3, ts: ts(1), type: 'restock', item: 'towel', qty: 10 },
    ]);
    await send(bench.token!, [
      { seq: 1, ts: ts(2), type: 'status', battery_soc: 55, solar_w: 20 },
      { seq: 2, ts: ts(1), type: 'charging_session', port: 1, started_at: ts(1), ended_at: ts(1), energy_wh: 4.5 },
    ]);
    const after = await get('/overview', S.Overview);
    const waterToday = (o: S.OverviewT) => o.supplies.find((s) => s.item === 'water')?.today.current ?? 0;
    expect(waterToday(after) - waterToday(before)).toBe(5);
    expect(after.charging.today.sessions - before.charging.today.sessions).toBe(1);
    expect(after.charging.today.energy_wh - before.charging.today.energy_wh).toBeCloseTo(4.5, 6);
    expect(after.districts.find((d) => d.id === 'dz')).toMatchObject({ stations: 1, benches: 1, distributed_30d: 5, sessions_30d: 1 });

    const report = await get(`/supplies?from=${today}&to=${today}&group=station&period=day`, S.SuppliesReport);
    expect(report.rows.filter((r) => r.place === 'sz')).toEqual([
      expect.objectContaining({ item: 'towel', restocked: 10, distributed: 0 }),
      expect.objectContaining({ item: 'water', distributed: 5, dispensed: 5 }),
    ]);
    const { benches } = await get('/benches', S.BenchList);
    expect(benches.find((b) => b.id === 'b-z')).toMatchObject({
      battery_soc: 55,
      sessions_7d: 1,
      district: 'dz',
      health: { grade: 'blue', reasons: [] },
    });
    const msgs = await get('/devices/st-z/messages?limit=2', S.MessageList);
    expect(msgs.messages.map((m) => m.type)).toEqual(['restock', 'dispense']);
  });
});

describe('what the dashboard queries read', () => {
  /** The D1 binding, recording every statement prepared through it. */
  function recording(db: D1Database): { db: D1Database; sql: string[] } {
    const sql: string[] = [];
    const proxy = new Proxy(db, {
      get(target, prop) {
        if (prop === 'prepare') return (q: string) => (sql.push(q), target.prepare(q));
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    return { db: proxy, sql };
  }
  const RAW = ['messages', 'events', 'samples', 'stock_levels', 'sessions', 'fault_events'];
  const tablesOf = (q: string) => [...q.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)/gi)].map((m) => m[1]!.toLowerCase());

  it('never touches raw telemetry for a chart or figure; only the last-messages list reads the ledger', async () => {
    const { db, sql } = recording(env.DB);
    const clock = { now: NOW, tz: TZ, today };
    await loadOverview(db, clock);
    await loadStations(db, clock);
    await loadBenches(db, clock);
    await stationSeries(db, 's1', addDays(today, -181), today);
    for (const range of ['24h', '7d', '30d'] as const) await benchSeries(db, 'b-1', range, NOW, TZ);
    for (const group of ['item', 'station', 'district'] as const)
      for (const period of ['day', 'week', 'month'] as const)
        await suppliesReport(db, { from: addDays(today, -60), to: today, group, period, tz: TZ });
    await mapBase(db);
    const read = new Set(sql.flatMap(tablesOf));
    expect([...read].filter((t) => RAW.includes(t))).toEqual([]);
    expect([...read].sort()).toEqual(expect.arrayContaining(['device_daily', 'device_hourly', 'item_daily', 'item_hourly']));

    const messages = recording(env.DB);
    await deviceMessages(messages.db, 'b-1', 20);
    expect(messages.sql).toHaveLength(1);
    expect(tablesOf(messages.sql[0]!)).toEqual(['messages']);
    expect(messages.sql[0]).toMatch(/WHERE device_id = \? .*LIMIT \?/s);
  });
});

describe('a supplies report too large to send', () => {
  it('is refused with a 400 that says how to narrow it, not truncated', async () => {
    // 14 items × 3,660 days at one station: 51,240 day rows, over the 50,000-row limit.
    await env.DB.prepare(
      `WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 3659),
         i(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM i WHERE k < 13)
       INSERT INTO item_daily (device_id, item, day, dispensed) SELECT 'st-2', printf('bulk%02d', k), date('2016-01-01', '+' || n || ' days'), 1 FROM d, i`,
    ).run();
    const res = await asAdmin('/api/v1/dashboard/supplies?from=2016-01-01&to=2026-01-07&group=station&period=day');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { detail: string; errors: Array<{ pointer: string }> };
    expect(body.detail).toContain('more than 50000 rows');
    expect(body.errors[0]!.pointer).toBe('/period');
    const monthly = await get('/supplies?from=2016-01-01&to=2026-01-07&group=station&period=month', S.SuppliesReport);
    expect(monthly.rows.filter((r) => r.item === 'bulk00').reduce((n, r) => n + r.distributed, 0)).toBe(3660);
  });
});

describe('a supplies report by month over partial months', () => {
  it('reads edge months whole less the days outside the range, and counts each day once', async () => {
    // One unit a day, 1 March to 31 May 2025, and 5 on the days just outside the range.
    await env.DB.prepare(
      `WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 91)
       INSERT INTO item_daily (device_id, item, day, dispensed)
       SELECT 'st-2', 'edgecase', date('2025-03-01', '+' || n || ' days'), CASE WHEN n IN (0, 91) THEN 5 ELSE 1 END FROM d`,
    ).run();
    const r = await get('/supplies?from=2025-03-02&to=2025-05-30&group=item&period=month', S.SuppliesReport);
    const mine = r.rows.filter((x) => x.item === 'edgecase').map((x) => [x.period, x.distributed]);
    // March 2–31: 30 days; April: 30; May 1–30: 30 (the 5s on 1 March and 31 May are outside)
    expect(mine).toEqual([
      ['2025-03', 30],
      ['2025-04', 30],
      ['2025-05', 30],
    ]);
    const inMonth = await get('/supplies?from=2025-04-03&to=2025-04-28&group=station&period=month', S.SuppliesReport);
    expect(inMonth.rows.filter((x) => x.item === 'edgecase').map((x) => [x.period, x.place, x.distributed])).toEqual([
      ['2025-04', 's2', 26],
    ]);
  });
});
