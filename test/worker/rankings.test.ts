import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { RankingAnswer } from '../../worker/schemas/rankings.ts';
import { asAdmin, call } from './helpers.ts';
import { createDevice, createDistrict, createPark, createStation } from './fixtures.ts';

/**
 * A constructed month, March 2026 in Asia/Shanghai (31 days = 744 hours), with hand-computed
 * expected scores. Only what the ranking reads is written: the registry through the API; units,
 * alerts, rollups and work orders as the features that own them store them.
 */
const MONTH = '2026-03';
const at = (local: string) => Date.parse(`${local}+08:00`);
const H = 3_600_000;

async function token(role: string): Promise<string> {
  const res = await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: `${role} test`, role } });
  return ((await res.json()) as { token: string }).token;
}

async function run(sql: string, ...binds: unknown[]) {
  await env.DB.prepare(sql)
    .bind(...binds)
    .run();
}

let supervisor = '';
let staff = '';

beforeAll(async () => {
  supervisor = await token('supervisor');
  staff = await token('staff');
  await createDistrict('rkA', 'District A');
  await createDistrict('rkB', 'District B');
  const now = Date.now();
  for (const [id, name, kind, district] of [
    ['u-san', '环卫所', 'sanitation', 'rkA'],
    ['u-park', '园林所', 'park_management', 'rkA'],
    ['u-street', '街道办', 'street_office', 'rkB'],
  ])
    await run('INSERT INTO units (id, name, kind, district, created_at) VALUES (?, ?, ?, ?, ?)', id, name, kind, district, now);
  await createStation('sA1', 'rkA'); // 24/7: 744 opening hours
  await createStation('sA2', 'rkA', { opening_hours: 'Mo-Su 08:00-20:00' }); // 12 h × 31 = 372
  await createStation('sC', 'rkB');
  await createPark('pB', 'rkA');
  await createDevice('bB1', 'bench', 'pB', { ports: 2 });
  // Each station has a device reporting since February: service is measured over all of March.
  for (const st of ['sA1', 'sA2', 'sC']) {
    await createDevice(`${st}-dev`, 'station', st);
    await run(`INSERT INTO device_daily (device_id, day) VALUES (?, '2026-02-01')`, `${st}-dev`);
  }
  await run(`UPDATE stations SET unit_id = 'u-san' WHERE id IN ('sA1', 'sA2')`);
  // sNo never reported: it must not count as open and stocked (nor dilute sC's stock-out hours).
  await createStation('sNo', 'rkB');
  await run(`UPDATE stations SET unit_id = 'u-street' WHERE id IN ('sC', 'sNo')`);
  await run(`UPDATE parks SET unit_id = 'u-park' WHERE id = 'pB'`); // the bench takes its park's unit

  // sA1: out of water 10 Mar 00:00 – 11 Mar 12:00 (36 h); offline 11 Mar 00:00–06:00 lies inside it.
  await run(
    `INSERT INTO alerts (id, kind, site, site_kind, item, colour, opened_at, resolved_at, detail, updated_at) VALUES ('al1', 'stock_out', 'sA1', 'station', 'water', 'red', ?, ?, '', 0)`,
    at('2026-03-10T00:00:00'),
    at('2026-03-11T12:00:00'),
  );
  await run(
    `INSERT INTO alerts (id, kind, site, site_kind, item, colour, opened_at, resolved_at, detail, updated_at) VALUES ('al2', 'offline', 'sA1', 'station', NULL, 'red', ?, ?, '', 0)`,
    at('2026-03-11T00:00:00'),
    at('2026-03-11T06:00:00'),
  );
  // sA2: out of towels 5 Mar 18:00 – 6 Mar 10:00; inside opening hours: 18–20 and 08–10 = 4 h.
  await run(
    `INSERT INTO alerts (id, kind, site, site_kind, item, colour, opened_at, resolved_at, detail, updated_at) VALUES ('al3', 'stock_out', 'sA2', 'station', 'towel', 'yellow', ?, ?, '', 0)`,
    at('2026-03-05T18:00:00'),
    at('2026-03-06T10:00:00'),
  );

  // Bench bB1 in service since February; March: 25 days × 24 h charged (80 %), 6 days × 24 h flat (10 %).
  await run(`INSERT INTO device_daily (device_id, day) VALUES ('bB1', '2026-02-01')`);
  const hours: Array<{ day: string; hour: number; soc: number }> = [];
  for (let d = 1; d <= 31; d++)
    for (let h = 0; h < 24; h++) hours.push({ day: `2026-03-${String(d).padStart(2, '0')}`, hour: h, soc: d <= 25 ? 80 : 10 });
  await run(
    `INSERT INTO device_hourly (device_id, day, hour, batt_sum, batt_n, samples) SELECT 'bB1', json_extract(value, '$.day'), json_extract(value, '$.hour'), json_extract(value, '$.soc') * 2, 2, 2 FROM json_each(?)`,
    JSON.stringify(hours),
  );

  // 双十 at sA1: one order met (8 + 9 min), one not (15 + 5 min).
  const order = (
    id: string,
    site: string,
    kind: string,
    step: string,
    created: number,
    extra: { report?: string; d?: number; a?: number; h?: number },
  ) =>
    run(
      `INSERT INTO work_orders (id, site, site_kind, kind, report_id, step, created_at, created_by, dispatched_at, arrived_at, handled_at, updated_at) VALUES (?, ?, 'station', ?, ?, ?, ?, 'test', ?, ?, ?, 0)`,
      id,
      site,
      kind,
      extra.report ?? null,
      step,
      created,
      extra.d ?? null,
      extra.a ?? null,
      extra.h ?? null,
    );
  const d1 = at('2026-03-02T10:00:00');
  const d2 = at('2026-03-03T10:00:00');
  await order('o1', 'sA1', 'restock', 'closed', d1 - 60_000, { d: d1, a: d1 + 8 * 60_000, h: d1 + 17 * 60_000 });
  await order('o2', 'sA1', 'restock', 'closed', d2 - 60_000, { d: d2, a: d2 + 15 * 60_000, h: d2 + 20 * 60_000 });
  // Citizens' reports at sC: 4 opened in March; handled or later: closed, handled, evaluated = 3; answered: closed, evaluated = 2.
  await order('r1', 'sC', 'report', 'closed', at('2026-03-04T09:00:00'), { report: 'rep1' });
  await order('r2', 'sC', 'report', 'handled', at('2026-03-05T09:00:00'), { report: 'rep2' });
  await order('r3', 'sC', 'report', 'registered', at('2026-03-06T09:00:00'), { report: 'rep3' });
  await order('r4', 'sC', 'report', 'evaluated', at('2026-03-07T09:00:00'), { report: 'rep4' });
  // A report from February does not count.
  await order('r0', 'sC', 'report', 'reported', at('2026-02-20T09:00:00'), { report: 'rep0' });
}, 60_000);

async function ranking(by: 'unit' | 'district', t = supervisor) {
  const res = await call(`/api/v1/rankings?month=${MONTH}&by=${by}`, { token: t });
  expect(res.status).toBe(200);
  return RankingAnswer.parse(await res.json());
}

describe('GET /api/v1/rankings', () => {
  it('scores each unit from its own sites as computed by hand', async () => {
    const put = await call(`/api/v1/rankings/${MONTH}/scores`, {
      method: 'PUT',
      token: supervisor,
      json: {
        scores: [
          { unit: 'u-san', source: 'third_party', score: 90 },
          { unit: 'u-san', source: 'departmental', score: 80 },
          { unit: 'u-san', source: 'assessment_office', score: 100 },
          { unit: 'u-park', source: 'third_party', score: 70 },
        ],
      },
    });
    expect(put.status).toBe(200);
    const r = await ranking('unit');
    const by = new Map(r.rows.map((x) => [x.key, x]));
    const san = by.get('u-san')!;
    // Station uptime: (744 − 36) + (372 − 4) = 708 + 368 = 1076 of 1116 opening hours = 0.964157…
    expect(san.parts.station_uptime.value).toBeCloseTo(1076 / 1116, 4);
    // Stock-out: 36 + 4 = 40 h over 2 stations = 20 h each → 100 × (1 − 20/72) = 72.22
    expect(san.parts.stock_out).toMatchObject({ value: 20, score: 72.22 });
    // 双十: 1 of 2 met → 50
    expect(san.parts.sla.score).toBe(50);
    expect(san.figures.sla).toMatchObject({ orders: 2, met: 1, arrival_median_s: 690, handling_median_s: 420 });
    expect(san.figures.sources).toMatchObject({ stations: ['sA1', 'sA2'], alerts: ['al1', 'al2', 'al3'], orders: ['o1', 'o2'] });
    // Sanitation weights, present parts su 25, so 25, sla 20 (sum 70):
    // (25 × 96.4158 + 25 × 72.2222 + 20 × 50) / 70 = (2410.394 + 1805.556 + 1000) / 70 = 74.5136 → 74.51
    expect(san.parts.digital.score).toBe(74.51);
    // Final: (40 × 90 + 40 × 74.51 + 15 × 80 + 5 × 100) / 100 = (3600 + 2980.4 + 1200 + 500) / 100 = 82.80
    expect(san.score).toBe(82.8);

    const park = by.get('u-park')!;
    // Bench: 600 of 744 hours charged = 0.80645 → 80.65 (the only part with data)
    expect(park.parts.bench_uptime.value).toBeCloseTo(600 / 744, 4);
    expect(park.parts.digital.score).toBe(80.65);
    // (40 × 70 + 40 × 80.65) / 80 = (2800 + 3226) / 80 = 75.325 → 75.33 (within float rounding of the half)
    expect(park.score).toBeCloseTo(75.33, 1);

    const street = by.get('u-street')!;
    // 处置率 3/4 = 75, 反馈率 2/4 = 50; sC never out: uptime 100, stock-out 100.
    expect(street.parts.handling.score).toBe(75);
    expect(street.parts.feedback.score).toBe(50);
    // Street office weights present: su 15, so 10, handling 10, feedback 10 (sum 45):
    // (1500 + 1000 + 750 + 500) / 45 = 83.33; no hand-entered score → the digital score alone
    expect(street.score).toBe(83.33);

    expect(r.rows.map((x) => [x.key, x.rank, x.flag])).toEqual([
      ['u-street', 1, 'red'],
      ['u-san', 2, 'red'],
      ['u-park', 3, 'black'],
    ]);
  }, 30_000);

  it('ranks districts from the sites in them', async () => {
    const r = await ranking('district');
    const a = r.rows.find((x) => x.key === 'rkA')!;
    expect(a.parts.station_uptime.value).toBeCloseTo(1076 / 1116, 4);
    expect(a.parts.bench_uptime.value).toBeCloseTo(600 / 744, 4);
    expect(a.parts.third_party.score).toBeNull();
  }, 30_000);

  it('refuses a future month, a bad month and a staff token', async () => {
    const bad = await call('/api/v1/rankings?month=2026-13', { token: supervisor });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ pointer: string }> }).errors[0]!.pointer).toBe('/month');
    const future = await call('/api/v1/rankings?month=2999-01', { token: supervisor });
    expect(future.status).toBe(400);
    expect(((await future.json()) as { detail: string }).detail).toMatch(/has not begun/);
    expect((await call(`/api/v1/rankings?month=${MONTH}`, { token: staff })).status).toBe(403);
  }, 30_000);
});

describe('the 双十 part uses the work orders’ own per-kind targets', () => {
  it('judges each order against its kind’s targets, as the work-order clock does', async () => {
    // April 2026 at sC (u-street): cleaning has 30 + 20 min, repair the default 10 + 10.
    const put = await asAdmin('/api/v1/work-orders/sla-targets/cleaning', {
      method: 'PUT',
      json: { dispatch_to_arrival_s: 1800, arrival_to_handled_s: 1200 },
    });
    expect(put.status).toBe(200);
    const M = 60_000;
    const orders: Array<[string, string, number, number]> = [
      ['k1', 'cleaning', 25, 15], // met (30 / 20)
      ['k2', 'cleaning', 35, 5], // arrival late
      ['k5', 'cleaning', 30, 20], // exactly on both targets: met
      ['k3', 'repair', 9, 10], // met (10 / 10, on target)
      ['k4', 'repair', 12, 3], // arrival late
    ];
    let day = 1;
    for (const [id, kind, a, h] of orders) {
      const d = at(`2026-04-0${day++}T10:00:00`);
      await run(
        `INSERT INTO work_orders (id, site, site_kind, kind, step, created_at, created_by, dispatched_at, arrived_at, handled_at, updated_at) VALUES (?, 'sC', 'station', ?, 'handled', ?, 'test', ?, ?, ?, 0)`,
        id,
        kind,
        d - M,
        d,
        d + a * M,
        d + (a + h) * M,
      );
    }
    const res = await call('/api/v1/rankings?month=2026-04&by=unit', { token: supervisor });
    expect(res.status).toBe(200);
    const r = RankingAnswer.parse(await res.json());
    const street = r.rows.find((x) => x.key === 'u-street')!;
    // 3 of 5 met → 60 (one pair of 10 + 10 min for all would give 1 of 5 → 20).
    expect(street.figures.sla).toMatchObject({ orders: 5, decided: 5, met: 3 });
    expect(street.parts.sla.score).toBe(60);
    // Each figure traces to its records: the orders behind 双十, the stations measured (sNo never reported).
    expect(street.figures.sources).toMatchObject({ orders: ['k1', 'k2', 'k3', 'k4', 'k5'], stations: ['sC'], reports: [] });
    expect((r.weights as { sla_targets: unknown }).sla_targets).toMatchObject({
      default: { dispatch_to_arrival_s: 600, arrival_to_handled_s: 600 },
      by_kind: { cleaning: { dispatch_to_arrival_s: 1800, arrival_to_handled_s: 1200 } },
    });
    // The work-order clock agrees order by order.
    for (const [id, , ,] of orders) {
      const o = (await (await asAdmin(`/api/v1/work-orders/${id}`)).json()) as { sla: { met: boolean } };
      expect([id, o.sla.met]).toEqual([id, ['k1', 'k5', 'k3'].includes(id)]);
    }
  });
});

describe('entering scores', () => {
  it('stores nothing when one unit is unknown, and refuses staff', async () => {
    const res = await call(`/api/v1/rankings/${MONTH}/scores`, {
      method: 'PUT',
      token: supervisor,
      json: {
        scores: [
          { unit: 'u-park', source: 'departmental', score: 10 },
          { unit: 'nope', source: 'third_party', score: 50 },
        ],
      },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ pointer: string }> };
    expect(body.errors[0]!.pointer).toBe('/scores/1/unit');
    const row = await env.DB.prepare(`SELECT score FROM ranking_scores WHERE unit_id = 'u-park' AND source = 'departmental'`).first();
    expect(row).toBeNull();
    expect(
      (
        await call(`/api/v1/rankings/${MONTH}/scores`, {
          method: 'PUT',
          token: staff,
          json: { scores: [{ unit: 'u-park', source: 'departmental', score: 10 }] },
        })
      ).status,
    ).toBe(403);
    const over = await call(`/api/v1/rankings/${MONTH}/scores`, {
      method: 'PUT',
      token: supervisor,
      json: { scores: [{ unit: 'u-park', source: 'departmental', score: 101 }] },
    });
    expect(over.status).toBe(400);
  }, 30_000);
});

describe('publishing freezes a month', () => {
  it('serves the stored ranking after new data, and a recompute with a reason changes it and is logged', async () => {
    const before = await ranking('unit');
    const pub = await call(`/api/v1/rankings/${MONTH}/publish`, { method: 'POST', token: supervisor });
    expect(pub.status).toBe(200);
    expect((await call(`/api/v1/rankings/${MONTH}/publish`, { method: 'POST', token: supervisor })).status).toBe(409);

    // New data for March: sC out of water for 72 h (its stock-out part drops to 0).
    await run(
      `INSERT INTO alerts (id, kind, site, site_kind, item, colour, opened_at, resolved_at, detail, updated_at) VALUES ('al9', 'stock_out', 'sC', 'station', 'water', 'red', ?, ?, '', 0)`,
      at('2026-03-20T00:00:00'),
      at('2026-03-20T00:00:00') + 72 * H,
    );
    const frozen = await ranking('unit');
    expect(frozen.published).not.toBeNull();
    expect(frozen.rows.map((x) => [x.key, x.score])).toEqual(before.rows.map((x) => [x.key, x.score]));

    expect((await call(`/api/v1/rankings/${MONTH}/recompute`, { method: 'POST', token: supervisor, json: {} })).status).toBe(400);
    const rc = await call(`/api/v1/rankings/${MONTH}/recompute`, {
      method: 'POST',
      token: supervisor,
      json: { reason: 'late stock-out alerts for sC' },
    });
    expect(rc.status).toBe(200);
    const after = await ranking('unit');
    const street = after.rows.find((x) => x.key === 'u-street')!;
    // sC: uptime (744 − 72) / 744 = 90.32; stock-out 72 h = cap → 0.
    // (15 × 90.3226 + 10 × 0 + 750 + 500) / 45 = (1354.84 + 1250) / 45 = 57.885 → 57.88 or 57.89
    expect(street.score).toBeCloseTo(57.885, 1);
    expect(street.rank).toBe(3);
    expect(street.flag).toBe('black');

    const log = (await (await call(`/api/v1/rankings/${MONTH}/log`, { token: supervisor })).json()) as {
      log: Array<{
        action: string;
        reason: string | null;
        before: { unit: Record<string, number> } | null;
        after: { unit: Record<string, number> };
      }>;
    };
    expect(log.log.map((l) => l.action)).toEqual(['publish', 'recompute']);
    expect(log.log[1]!.reason).toBe('late stock-out alerts for sC');
    expect(log.log[1]!.before!.unit['u-street']).toBe(83.33);
    expect(log.log[1]!.after.unit['u-street']).toBe(street.score);
  }, 30_000);

  it('lists history with the published month', async () => {
    const res = await call(`/api/v1/rankings/history?by=unit&months=2&to=${MONTH}`, { token: supervisor });
    expect(res.status).toBe(200);
    const h = (await res.json()) as { months: Array<{ month: string; published: boolean; rows: Array<{ key: string }> }> };
    expect(h.months.map((m) => [m.month, m.published])).toEqual([
      [MONTH, true],
      ['2026-02', false],
    ]);
  }, 30_000);
});
