import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { keepSinceOpening } from '../../worker/db/since-opening.ts';
import { keptThrough } from '../../worker/db/since-opening-sql.ts';
import { onSchedule } from '../../worker/scheduled.ts';
import { asAdmin } from './helpers.ts';
import { createDevice, createDistrict, createStation } from './fixtures.ts';

// 2026-03-10 noon in Shanghai: the cron keeps through February; March is summed live.
const NOW = Date.parse('2026-03-10T04:00:00Z');
const TZ = 'Asia/Shanghai';
const STATIONS = ['sk-a', 'sk-b'];
const DEVICES = { 'sk-a1': 'sk-a', 'sk-a2': 'sk-a', 'sk-b1': 'sk-b' } as const;
type Device = keyof typeof DEVICES;

beforeAll(async () => {
  await createDistrict('skD', 'District SK');
  for (const s of STATIONS) await createStation(s, 'skD');
  for (const [d, s] of Object.entries(DEVICES)) await createDevice(d, 'station', s);
}, 60_000);

/** Every station's figures since opening, as the API answers them. */
const answer = async () => {
  const res = await asAdmin('/api/v1/monthly/since-opening');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { rows: Array<{ station: string }> };
  return body.rows.filter((r) => STATIONS.includes(r.station));
};

/** The answer now, and what summing every rollup live answers (the marks dropped). */
async function keptAndLive() {
  const kept = await answer();
  await env.DB.prepare('DELETE FROM station_since_marks').run();
  return { kept, live: await answer() };
}

const marks = async () =>
  (await env.DB.prepare('SELECT station, through FROM station_since_marks ORDER BY station').all<{ station: string; through: string }>())
    .results;

const item = (dev: Device, it: string, day: string, n: number, inferred = 0) =>
  env.DB.prepare('INSERT OR REPLACE INTO item_daily (device_id, item, day, dispensed, inferred_out) VALUES (?, ?, ?, ?, ?)')
    .bind(dev, it, day, n, inferred)
    .run();
const visit = (dev: Device, day: string, n: number) =>
  env.DB.prepare('INSERT OR REPLACE INTO device_daily (device_id, day, visitors) VALUES (?, ?, ?)').bind(dev, day, n).run();

async function reset() {
  await env.DB.batch([
    env.DB.prepare(`DELETE FROM item_daily WHERE device_id LIKE 'sk-%'`),
    env.DB.prepare(`DELETE FROM device_daily WHERE device_id LIKE 'sk-%'`),
    env.DB.prepare(`DELETE FROM station_monthly_totals WHERE station_id LIKE 'sk-%'`),
    env.DB.prepare(`DELETE FROM station_monthly_visitors WHERE station_id LIKE 'sk-%'`),
    env.DB.prepare(`UPDATE devices SET site = 'sk-a' WHERE id = 'sk-a2'`),
    env.DB.prepare(`UPDATE stations SET opened_on = NULL WHERE id LIKE 'sk-%'`),
    env.DB.prepare('DELETE FROM station_since_marks'),
    env.DB.prepare('DELETE FROM station_since_items'),
  ]);
}

describe("stations' figures since opening, kept through a closed month (migration 0023)", () => {
  it('are kept by the cron, read with the months after them, and dropped by whatever they summed', async () => {
    await reset();
    expect(keptThrough('2026-03-10')).toBe('2026-02');
    expect(keptThrough('2026-01-01')).toBe('2025-12');
    await env.DB.prepare(`UPDATE stations SET opened_on = '2026-01-15' WHERE id = 'sk-a'`).run();
    await item('sk-a1', 'water', '2026-01-10', 100); // before the opening day: not counted
    await item('sk-a1', 'water', '2026-01-20', 7, 1);
    await item('sk-a2', 'towel', '2026-02-03', 4);
    await item('sk-b1', 'water', '2026-02-28', 9);
    await item('sk-a1', 'water', '2026-03-02', 5); // March: after the kept months
    await visit('sk-a1', '2026-01-12', 50); // before the opening day
    await visit('sk-a1', '2026-02-01', 30);
    await visit('sk-b1', '2026-03-05', 3);

    // The cron keeps them at minute 33 of each hour.
    await onSchedule(Date.UTC(2026, 2, 10, 4, 32), env);
    expect((await marks()).filter((m) => STATIONS.includes(m.station))).toEqual([]);
    await onSchedule(Date.UTC(2026, 2, 10, 4, 33), env);
    expect(await marks()).toEqual(expect.arrayContaining(STATIONS.map((station) => ({ station, through: '2026-02' }))));
    // Nothing to do until something changes.
    expect(await keepSinceOpening(env.DB, NOW, TZ)).toBe(0);
    const a = (await answer()).find((r) => r.station === 'sk-a') as unknown as { by_item: Record<string, number>; visitors: number };
    expect(a.by_item).toEqual({ water: 7 + 1 + 5, towel: 4 });
    expect(a.visitors).toBe(30);

    // A reading of the current month changes no mark; a late one for February drops its station's.
    await item('sk-a1', 'water', '2026-03-03', 2);
    expect((await marks()).filter((m) => STATIONS.includes(m.station))).toHaveLength(2);
    await item('sk-b1', 'water', '2026-02-10', 6);
    expect((await marks()).map((m) => m.station)).not.toContain('sk-b');
    expect((await marks()).map((m) => m.station)).toContain('sk-a');
    let r = await keptAndLive();
    expect(r.kept).toEqual(r.live);

    // The opening day, an imported month, a device moved: each drops the marks it touches.
    const importCsv = (rows: string) => async () => {
      const res = await asAdmin('/api/v1/monthly/totals', {
        method: 'PUT',
        body: `station,month,item,dispensed,visitors\n${rows}\n`,
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status).toBe(200);
    };
    for (const change of [
      () => env.DB.prepare(`UPDATE stations SET opened_on = '2026-01-05' WHERE id = 'sk-a'`).run(),
      importCsv('sk-a,2026-02,towel,40,'), // a month imported
      importCsv('sk-a,2026-02,towel,41,'), // imported again
      () =>
        env.DB.prepare(
          `INSERT INTO station_monthly_visitors (station_id, month, visitors, imported_at) VALUES ('sk-a', '2026-01', 77, 0)`,
        ).run(),
      () => env.DB.prepare(`UPDATE station_monthly_visitors SET visitors = 78 WHERE station_id = 'sk-a'`).run(),
      () => env.DB.prepare(`UPDATE devices SET site = 'sk-b' WHERE id = 'sk-a2'`).run(),
    ]) {
      expect(await keepSinceOpening(env.DB, NOW, TZ)).toBeGreaterThanOrEqual(1);
      expect((await marks()).map((m) => m.station)).toContain('sk-a');
      const before = await answer();
      await change();
      expect((await marks()).map((m) => m.station)).not.toContain('sk-a');
      const after = await answer();
      expect(after).not.toEqual(before);
      await keepSinceOpening(env.DB, NOW, TZ);
      r = await keptAndLive();
      expect(r.kept).toEqual(r.live);
      expect(r.kept).toEqual(after);
    }
  });

  it('answer what summing every rollup answers, after any sequence of writes and cron runs', async () => {
    const dev = fc.constantFrom<Device>('sk-a1', 'sk-a2', 'sk-b1');
    const station = fc.constantFrom(...STATIONS);
    const day = fc.constantFrom(
      '2025-12-28',
      '2026-01-01',
      '2026-01-14',
      '2026-01-15',
      '2026-01-31',
      '2026-02-01',
      '2026-02-20',
      '2026-03-01',
      '2026-03-09',
    );
    const month = fc.constantFrom('2025-12', '2026-01', '2026-02', '2026-03');
    // Mostly rollup writes, which reach kept months through existing monthly rows as often as new ones.
    const op = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          t: fc.constant('item' as const),
          dev,
          it: fc.constantFrom('water', 'towel'),
          day,
          n: fc.nat(50),
          inferred: fc.nat(3),
        }),
      },
      { weight: 2, arbitrary: fc.record({ t: fc.constant('visit' as const), dev, day, n: fc.nat(50) }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), dev, day }) },
      {
        weight: 1,
        arbitrary: fc.record({
          t: fc.constant('opened' as const),
          station,
          on: fc.constantFrom(null, '2025-12-20', '2026-01-15', '2026-02-01', '2026-03-05'),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ t: fc.constant('import' as const), station, month, n: fc.nat(99), visitors: fc.option(fc.nat(99)) }),
      },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('unimport' as const), station, month }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('move' as const), to: station }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('keep' as const) }) },
    );
    // Writes, a cron run, more writes (any of which may run the cron again).
    const ops = fc
      .tuple(fc.array(op, { minLength: 2, maxLength: 10 }), fc.array(op, { minLength: 2, maxLength: 8 }))
      .map(([a, b]) => [...a, { t: 'keep' as const }, ...b]);
    await fc.assert(
      fc.asyncProperty(ops, async (ops) => {
        await reset();
        for (const o of ops) {
          if (o.t === 'item') await item(o.dev, o.it, o.day, o.n, o.inferred);
          else if (o.t === 'visit') await visit(o.dev, o.day, o.n);
          else if (o.t === 'delete')
            await env.DB.batch([
              env.DB.prepare('DELETE FROM item_daily WHERE device_id = ? AND day = ?').bind(o.dev, o.day),
              env.DB.prepare('DELETE FROM device_daily WHERE device_id = ? AND day = ?').bind(o.dev, o.day),
            ]);
          else if (o.t === 'opened') await env.DB.prepare('UPDATE stations SET opened_on = ? WHERE id = ?').bind(o.on, o.station).run();
          else if (o.t === 'import')
            await env.DB.batch([
              env.DB.prepare(
                `INSERT INTO station_monthly_totals (station_id, month, item, dispensed, imported_at) VALUES (?, ?, 'water', ?, 0)
                 ON CONFLICT (station_id, month, item) DO UPDATE SET dispensed = excluded.dispensed`,
              ).bind(o.station, o.month, o.n),
              ...(o.visitors === null
                ? []
                : [
                    env.DB.prepare(
                      `INSERT INTO station_monthly_visitors (station_id, month, visitors, imported_at) VALUES (?, ?, ?, 0)
                       ON CONFLICT (station_id, month) DO UPDATE SET visitors = excluded.visitors`,
                    ).bind(o.station, o.month, o.visitors),
                  ]),
            ]);
          else if (o.t === 'unimport')
            await env.DB.batch([
              env.DB.prepare('DELETE FROM station_monthly_totals WHERE station_id = ? AND month = ?').bind(o.station, o.month),
              env.DB.prepare('DELETE FROM station_monthly_visitors WHERE station_id = ? AND month = ?').bind(o.station, o.month),
            ]);
          else if (o.t === 'move') await env.DB.prepare(`UPDATE devices SET site = ? WHERE id = 'sk-a2'`).bind(o.to).run();
          else await keepSinceOpening(env.DB, NOW, TZ);
        }
        const r = await keptAndLive();
        expect(r.kept).toEqual(r.live);
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});
