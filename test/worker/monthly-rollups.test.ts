import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepChargedHours } from '../../worker/db/bench-charged.ts';
import { keptMonths } from '../../worker/db/bench-charged-sql.ts';
import { itemRowsBinds } from '../../worker/db/item-rows.ts';
import { benchChargedHours } from '../../worker/db/rankings.ts';
import { wholeMonths } from '../../worker/domain/report-periods.ts';

/** item_monthly / device_monthly as the daily rows sum them now, and as the triggers keep them. */
async function months() {
  const q = async (sql: string) => (await env.DB.prepare(sql).all()).results;
  return {
    kept: await q(
      'SELECT device_id, item, month, dispensed, restocked, lent, returned, inferred_out, inferred_in FROM item_monthly ORDER BY 1, 2, 3',
    ),
    summed:
      await q(`SELECT device_id, item, substr(day, 1, 7) AS month, SUM(dispensed) AS dispensed, SUM(restocked) AS restocked, SUM(lent) AS lent,
      SUM(returned) AS returned, SUM(inferred_out) AS inferred_out, SUM(inferred_in) AS inferred_in FROM item_daily GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
    keptVisitors: await q('SELECT device_id, month, visitors FROM device_monthly ORDER BY 1, 2'),
    summedVisitors: await q(
      'SELECT device_id, substr(day, 1, 7) AS month, SUM(visitors) AS visitors FROM device_daily GROUP BY 1, 2 ORDER BY 1, 2',
    ),
    // Each device's first months as migration 0021 keeps them, and as the daily rows give them now.
    keptFirst: await q(
      'SELECT device_id, item_month, visits_month FROM device_first_month WHERE COALESCE(item_month, visits_month) IS NOT NULL ORDER BY 1',
    ),
    summedFirst: await q(`SELECT device_id, MIN(i) AS item_month, MIN(v) AS visits_month FROM (
      SELECT device_id, substr(day, 1, 7) AS i, NULL AS v FROM item_daily UNION ALL SELECT device_id, NULL, substr(day, 1, 7) FROM device_daily
    ) GROUP BY 1 ORDER BY 1`),
  };
}

describe('monthly rollups (migration 0013)', () => {
  it('follow every write of the daily rows: insert, replace, update, delete', async () => {
    const ins = (dev: string, item: string, day: string, d: number, r = 0) =>
      env.DB.prepare(
        'INSERT OR REPLACE INTO item_daily (device_id, item, day, dispensed, restocked, inferred_out) VALUES (?, ?, ?, ?, ?, 1)',
      ).bind(dev, item, day, d, r);
    const visit = (dev: string, day: string, v: number) =>
      env.DB.prepare('INSERT OR REPLACE INTO device_daily (device_id, day, visitors) VALUES (?, ?, ?)').bind(dev, day, v);
    await env.DB.batch([
      ins('mr-a', 'water', '2026-01-31', 5),
      ins('mr-a', 'water', '2026-02-01', 7, 2),
      ins('mr-a', 'water', '2026-02-14', 3),
      ins('mr-a', 'towel', '2026-02-14', 4),
      ins('mr-b', 'water', '2026-02-28', 9),
      visit('mr-a', '2026-02-01', 10),
      visit('mr-a', '2026-02-02', 11),
    ]);
    let m = await months();
    expect(m.kept.find((r) => r.device_id === 'mr-a' && r.item === 'water' && r.month === '2026-02')).toMatchObject({
      dispensed: 10,
      restocked: 2,
      inferred_out: 2,
    });
    expect(m.kept).toEqual(m.summed);
    expect(m.keptFirst).toEqual(m.summedFirst);
    expect(m.keptVisitors).toEqual([{ device_id: 'mr-a', month: '2026-02', visitors: 21 }]);

    // The ingest batch replaces a day's row: the month holds the new figure, not both.
    await env.DB.batch([ins('mr-a', 'water', '2026-02-14', 30), visit('mr-a', '2026-02-02', 1)]);
    m = await months();
    expect(m.kept.find((r) => r.device_id === 'mr-a' && r.item === 'water' && r.month === '2026-02')).toMatchObject({ dispensed: 37 });
    expect(m.kept).toEqual(m.summed);
    expect(m.keptFirst).toEqual(m.summedFirst);
    expect(m.keptVisitors).toEqual([{ device_id: 'mr-a', month: '2026-02', visitors: 11 }]);

    // An update moving a row to another month and device; deletes that empty a month remove it.
    await env.DB.prepare(`UPDATE item_daily SET day = '2026-03-01', device_id = 'mr-c', lent = 4 WHERE device_id = 'mr-b'`).run();
    await env.DB.prepare(`UPDATE device_daily SET day = '2026-03-05' WHERE day = '2026-02-01'`).run();
    m = await months();
    expect(m.kept).toEqual(m.summed);
    expect(m.keptFirst).toEqual(m.summedFirst);
    expect(m.kept.some((r) => r.device_id === 'mr-b')).toBe(false);
    expect(m.keptVisitors).toEqual(m.summedVisitors);
    await env.DB.prepare(`DELETE FROM item_daily WHERE device_id = 'mr-a' AND day LIKE '2026-02-%' AND item = 'water'`).run();
    await env.DB.prepare(`DELETE FROM device_daily WHERE day = '2026-02-02'`).run();
    m = await months();
    expect(m.kept).toEqual(m.summed);
    expect(m.keptFirst).toEqual(m.summedFirst);
    expect(m.kept.map((r) => `${r.device_id} ${r.item} ${r.month}`)).toEqual([
      'mr-a towel 2026-02',
      'mr-a water 2026-01',
      'mr-c water 2026-03',
    ]);
    expect(m.keptVisitors).toEqual([{ device_id: 'mr-a', month: '2026-03', visitors: 10 }]);
  });
});

describe("devices' first months (migration 0021)", () => {
  it('follow any sequence of writes of the daily rows', async () => {
    const day = fc.constantFrom('2025-12-31', '2026-01-01', '2026-01-20', '2026-02-10', '2026-03-01');
    const dev = fc.constantFrom('fm-a', 'fm-b');
    const op = fc.oneof(
      fc.record({ t: fc.constant('item' as const), dev, item: fc.constantFrom('water', 'towel'), day, n: fc.nat(9) }),
      fc.record({ t: fc.constant('visit' as const), dev, day, n: fc.nat(9) }),
      fc.record({ t: fc.constant('move' as const), dev, from: day, to: day }),
      fc.record({ t: fc.constant('delete' as const), dev, day, table: fc.constantFrom('item_daily', 'device_daily') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        await env.DB.batch([
          env.DB.prepare(`DELETE FROM item_daily WHERE device_id LIKE 'fm-%'`),
          env.DB.prepare(`DELETE FROM device_daily WHERE device_id LIKE 'fm-%'`),
        ]);
        for (const o of ops) {
          const sql =
            o.t === 'item'
              ? env.DB.prepare('INSERT OR REPLACE INTO item_daily (device_id, item, day, dispensed) VALUES (?, ?, ?, ?)').bind(
                  o.dev,
                  o.item,
                  o.day,
                  o.n,
                )
              : o.t === 'visit'
                ? env.DB.prepare('INSERT OR REPLACE INTO device_daily (device_id, day, visitors) VALUES (?, ?, ?)').bind(o.dev, o.day, o.n)
                : o.t === 'move'
                  ? env.DB.prepare(
                      // The writers never replace by UPDATE (migration 0013): a row already on the day stays.
                      'UPDATE item_daily SET day = ?3 WHERE device_id = ?1 AND day = ?2 AND NOT EXISTS (SELECT 1 FROM item_daily x WHERE x.device_id = ?1 AND x.item = item_daily.item AND x.day = ?3)',
                    ).bind(o.dev, o.from, o.to)
                  : env.DB.prepare(`DELETE FROM ${o.table} WHERE device_id = ? AND day = ?`).bind(o.dev, o.day);
          await sql.run();
        }
        const m = await months();
        expect(m.keptFirst.filter((r) => String(r.device_id).startsWith('fm-'))).toEqual(
          m.summedFirst.filter((r) => String(r.device_id).startsWith('fm-')),
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('whole months of a day range', () => {
  it('are the calendar months wholly inside it; the rest is left to the daily rows', () => {
    expect(wholeMonths('2025-12-02', '2026-12-01')).toEqual({ first: '2026-01', last: '2026-11' });
    expect(wholeMonths('2026-01-01', '2026-01-31')).toEqual({ first: '2026-01', last: '2026-01' });
    expect(wholeMonths('2024-02-01', '2024-02-29')).toEqual({ first: '2024-02', last: '2024-02' });
    expect(wholeMonths('2024-02-01', '2024-02-28')).toBeNull();
    expect(wholeMonths('2026-11-02', '2026-12-01')).toBeNull();
    expect(wholeMonths('2026-03-01', '2026-02-01')).toBeNull();
    expect(wholeMonths('0099-01-01', '0099-12-31')).toBeNull();
    expect(itemRowsBinds('2025-12-02', '2026-12-01')).toEqual(['2026-01', '2026-11', '2026-01-01', '2026-11-31']);
    expect(itemRowsBinds('2026-11-02', '2026-12-01')).toEqual(['~', '', '2026-12-01~', '~']);
  });
});

/** An hourly rollup of `device` whose mean state of charge is `soc` % (two samples). */
const benchHour = (device: string) => (day: string, h: number, soc: number) =>
  env.DB.prepare('INSERT OR REPLACE INTO device_hourly (device_id, day, hour, batt_sum, batt_n) VALUES (?, ?, ?, ?, 2)').bind(
    device,
    day,
    h,
    soc * 2,
  );

describe("benches' kept charged hours", () => {
  it('are counted by the cron for past months, dropped when an hour of the month changes, and read as a fresh count would be', async () => {
    const w = { month: '2026-09', firstDay: '2026-09-01', lastDay: '2026-09-30' };
    const hour = benchHour('mr-bench');
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO devices (id, kind, site, created_at) VALUES ('mr-bench', 'bench', 'mr-park', 0)`),
      hour('2026-09-01', 0, 50), // above the default 20 %
      hour('2026-09-01', 1, 10),
      hour('2026-09-30', 23, 90),
      hour('2026-10-01', 0, 90), // the next month
    ]);
    const charged = async () => (await benchChargedHours(env.DB, w, 20)).find((b) => b.device_id === 'mr-bench')!.charged_hours;
    const kept = async () =>
      (
        await env.DB.prepare(`SELECT hours FROM bench_month_charged WHERE device_id = 'mr-bench' AND month = '2026-09'`).first<{
          hours: number;
        }>()
      )?.hours ?? null;
    expect(await charged()).toBe(2);
    expect(await kept()).toBeNull();
    await keepChargedHours(env.DB, Date.parse('2026-11-15T12:00:00Z'), 'Asia/Shanghai');
    expect(await kept()).toBe(2);
    expect(await charged()).toBe(2);
    // A late reading rewrites an hour of September: the kept count goes, the read counts again.
    await hour('2026-09-01', 1, 60).run();
    expect(await kept()).toBeNull();
    expect(await charged()).toBe(3);
    await keepChargedHours(env.DB, Date.parse('2026-11-15T12:00:00Z'), 'Asia/Shanghai');
    expect(await kept()).toBe(3);
    await env.DB.prepare(`DELETE FROM device_hourly WHERE device_id = 'mr-bench' AND day = '2026-09-30'`).run();
    expect(await kept()).toBeNull();
    expect(await charged()).toBe(2);
  });

  it('keep the current month up to yesterday: today adds to it, a late hour of an earlier day drops it', async () => {
    // 2026-11-15 20:00 in Shanghai: today is the 15th, the cron keeps 1–14 November.
    const now = Date.parse('2026-11-15T12:00:00Z');
    const w = { month: '2026-11', firstDay: '2026-11-01', lastDay: '2026-11-30' };
    const hour = benchHour('mr-bench2');
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO devices (id, kind, site, created_at) VALUES ('mr-bench2', 'bench', 'mr-park', 0)`),
      hour('2026-11-01', 0, 50),
      hour('2026-11-03', 5, 10), // below 20 %
      hour('2026-11-14', 23, 70),
      hour('2026-11-15', 8, 80), // today
    ]);
    const charged = async () => (await benchChargedHours(env.DB, w, 20)).find((b) => b.device_id === 'mr-bench2')!.charged_hours;
    const kept = () =>
      env.DB.prepare(`SELECT hours, through_day FROM bench_month_charged WHERE device_id = 'mr-bench2' AND month = '2026-11'`).first<{
        hours: number;
        through_day: string;
      }>();
    expect(await charged()).toBe(3);
    await keepChargedHours(env.DB, now, 'Asia/Shanghai');
    expect(await kept()).toEqual({ hours: 2, through_day: '2026-11-14' });
    expect(await charged()).toBe(3);
    // Readings of today leave the kept days alone and are counted on top of them.
    await hour('2026-11-15', 9, 90).run();
    expect(await kept()).toEqual({ hours: 2, through_day: '2026-11-14' });
    expect(await charged()).toBe(4);
    // A late reading for the 3rd changes a kept day: the row goes, the read counts the month again.
    await hour('2026-11-03', 5, 60).run();
    expect(await kept()).toBeNull();
    expect(await charged()).toBe(5);
    // The next run keeps it again; a day later it extends the kept days to the 15th.
    await keepChargedHours(env.DB, now, 'Asia/Shanghai');
    expect(await kept()).toEqual({ hours: 3, through_day: '2026-11-14' });
    await keepChargedHours(env.DB, now + 86_400_000, 'Asia/Shanghai');
    expect(await kept()).toEqual({ hours: 5, through_day: '2026-11-15' });
    expect(await charged()).toBe(5);
    // On the first of a month nothing of it is kept yet (the month before is, whole).
    const first = keptMonths(Date.parse('2026-11-30T17:00:00Z'), 'Asia/Shanghai');
    expect(first[0]).toEqual({ month: '2026-11', firstDay: '2026-11-01', throughDay: '2026-11-30' });
  });
});
