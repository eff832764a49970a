import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { asAdmin, call } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';
import { Rng } from '../../scripts/sim/rng.ts';
import type { z } from '@hono/zod-openapi';
import { SuppliesAnswer } from '../../worker/schemas/reports.ts';

/**
 * Rollup totals against totals computed here, independently: the city is Asia/Shanghai (UTC+8,
 * no daylight saving), so a local day is simply the UTC date of ts + 8 h.
 */
const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const MIN = 60_000;
const HOUR = 3600_000;

interface Answer {
  accepted: number;
  duplicates: number;
  rejected: unknown[];
}

async function send(token: string, messages: unknown[]): Promise<Answer> {
  const res = await call('/api/v1/telemetry', { method: 'POST', token, json: { messages } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Answer;
}

async function suppliesBy(by: string, from: string, to: string, filter = ''): Promise<z.infer<typeof SuppliesAnswer>['rows']> {
  const res = await asAdmin(`/api/v1/supplies?from=${from}&to=${to}&by=${by}${filter}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return SuppliesAnswer.parse(await res.json()).rows;
}

describe('rollups', () => {
  it('counts every message of a 10,000-message out-of-order offline backlog exactly once', { timeout: 60_000 }, async () => {
    const { station, device, token } = await stationWithDevice();
    // Seeded, so the backlog is the same every run.
    const stream = new Rng(42);
    const rand = () => stream.next();
    const start = Date.now() - 10 * 86400_000;
    const items = ['water', 'towel', 'umbrella', 'medicine_kit'];
    type M = { seq: number; ts: number; type: string; item?: string; qty?: number; count?: number };
    const messages: M[] = [];
    for (let seq = 0; seq < 10_000; seq++) {
      const ts = start + Math.floor(rand() * 9.9 * 86400_000);
      const r = rand();
      const item = items[Math.floor(rand() * items.length)]!;
      if (r < 0.55) messages.push({ seq, ts, type: 'dispense', item, qty: 1 + Math.floor(rand() * 3) });
      else if (r < 0.65) messages.push({ seq, ts, type: 'restock', item, qty: 10 + Math.floor(rand() * 20) });
      else if (r < 0.75) messages.push({ seq, ts, type: 'lend', item: 'umbrella', qty: 1 });
      else if (r < 0.83) messages.push({ seq, ts, type: 'return', item: 'umbrella', qty: 1 });
      else messages.push({ seq, ts, type: 'visit', count: Math.floor(rand() * 6) });
    }
    // Independent totals per local day and item.
    const expected = new Map<string, { dispensed: number; restocked: number; lent: number; returned: number }>();
    const visitors = new Map<string, number>();
    for (const m of messages) {
      const day = beijingDay(m.ts);
      if (m.type === 'visit') {
        visitors.set(day, (visitors.get(day) ?? 0) + m.count!);
        continue;
      }
      const key = `${day}|${m.item}`;
      const e = expected.get(key) ?? { dispensed: 0, restocked: 0, lent: 0, returned: 0 };
      const field = ({ dispense: 'dispensed', restock: 'restocked', lend: 'lent', return: 'returned' } as const)[m.type as 'dispense']!;
      e[field] += m.qty!;
      expected.set(key, e);
    }
    // Shuffle (offline buffers flush out of order) and send in 10 posts of 1,000.
    for (let i = messages.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [messages[i], messages[j]] = [messages[j]!, messages[i]!];
    }
    let accepted = 0;
    for (let p = 0; p < 10; p++) {
      const out = await send(token, messages.slice(p * 1000, (p + 1) * 1000));
      expect(out.rejected).toEqual([]);
      accepted += out.accepted;
    }
    expect(accepted).toBe(10_000);
    // A post resent after a lost answer: all duplicates, nothing added.
    const again = await send(token, messages.slice(3000, 4000));
    expect(again).toMatchObject({ accepted: 0, duplicates: 1000 });

    const from = beijingDay(start);
    const to = beijingDay(Date.now());
    for (const item of items) {
      const rows = await suppliesBy('day', from, to, `&item=${item}&station=${station}`);
      for (const r of rows) {
        const e = expected.get(`${r.key}|${item}`) ?? { dispensed: 0, restocked: 0, lent: 0, returned: 0 };
        expect({ day: r.key, item, dispensed: r.dispensed, restocked: r.restocked, lent: r.lent, returned: r.returned }).toEqual({
          day: r.key,
          item,
          ...e,
        });
      }
    }
    const byItem = await suppliesBy('item', from, to, `&station=${station}`);
    const totalDispensed = [...expected.values()].reduce((s, e) => s + e.dispensed, 0);
    expect(byItem.reduce((s, r) => s + r.dispensed, 0)).toBe(totalDispensed);
    const daily = await env.DB.prepare('SELECT day, visitors FROM device_daily WHERE device_id = ? AND visitors > 0 ORDER BY day')
      .bind(device)
      .all<{ day: string; visitors: number }>();
    expect(Object.fromEntries(daily.results.map((r) => [r.day, r.visitors]))).toEqual(
      Object.fromEntries([...visitors].filter(([, v]) => v > 0).sort()),
    );
  });

  it('puts a dispense at 23:30 Beijing time on that Beijing day and one at 00:10 on the next', async () => {
    const { station, token } = await stationWithDevice();
    const day = beijingDay(Date.now() - 3 * 86400_000);
    const next = beijingDay(Date.parse(`${day}T12:00:00+08:00`) + 86400_000);
    await send(token, [
      { seq: 1, ts: `${day}T23:30:00+08:00`, type: 'dispense', item: 'water', qty: 4 },
      { seq: 2, ts: `${next}T00:10:00+08:00`, type: 'dispense', item: 'water', qty: 7 },
      // The same instant as seq 2, written in UTC: still the next Beijing day.
      { seq: 3, ts: new Date(Date.parse(`${next}T00:10:00+08:00`)).toISOString(), type: 'dispense', item: 'water', qty: 1 },
    ]);
    const rows = await suppliesBy('day', day, next, `&station=${station}`);
    expect(rows.map((r) => [r.key, r.dispensed])).toEqual([
      [day, 4],
      [next, 8],
    ]);
    const hours = await env.DB.prepare('SELECT day, hour, dispensed FROM item_hourly WHERE device_id = ? ORDER BY day, hour')
      .bind(`dev-${station.slice(3)}`)
      .all();
    expect(hours.results).toEqual([
      { day, hour: 23, dispensed: 4 },
      { day: next, hour: 0, dispensed: 8 },
    ]);
  });

  describe('level-drop inference', () => {
    const t0 = () => Math.floor((Date.now() - 2 * 86400_000) / HOUR) * HOUR;
    const story = (t: number) => [
      { seq: 1, ts: t, type: 'stock', levels: { water: 50 } },
      { seq: 2, ts: t + 10 * MIN, type: 'dispense', item: 'water', qty: 5 },
      { seq: 3, ts: t + 20 * MIN, type: 'stock', levels: { water: 40 } }, // 5 unexplained
      { seq: 4, ts: t + 30 * MIN, type: 'restock', item: 'water', qty: 20 },
      { seq: 5, ts: t + 40 * MIN, type: 'stock', levels: { water: 60 } }, // fully explained
      { seq: 6, ts: t + 50 * MIN, type: 'stock', levels: { water: 70 } }, // 10 unexplained rise
      { seq: 7, ts: t + 3 * HOUR, type: 'lend', item: 'water', qty: 2 },
      { seq: 8, ts: t + 3 * HOUR + 5 * MIN, type: 'stock', levels: { water: 68 } }, // the lend explains it
    ];
    const expectTotals = async (station: string, t: number) => {
      const [row] = await suppliesBy('item', beijingDay(t), beijingDay(t + 4 * HOUR), `&station=${station}`);
      expect(row).toMatchObject({ key: 'water', dispensed: 10, dispensed_inferred: 5, restocked: 30, restocked_inferred: 10, lent: 2 });
      const onHand = await env.DB.prepare('SELECT on_hand FROM station_items WHERE station_id = ? AND item = ?')
        .bind(station, 'water')
        .first<{ on_hand: number }>();
      expect(onHand!.on_hand).toBe(68);
    };

    it('counts a drop between readings that no event explains as dispensed, a rise as restocked, never twice', async () => {
      const { station, token } = await stationWithDevice();
      const t = t0();
      await send(token, story(t));
      await expectTotals(station, t);
    });

    it('gives the same totals whatever order the messages arrive in, one per request', async () => {
      const { station, token } = await stationWithDevice();
      const t = t0();
      for (const m of story(t).reverse()) await send(token, [m]);
      await expectTotals(station, t);
    });

    it('takes back an inferred drop once the late dispense event that explains it arrives', async () => {
      const { station, token } = await stationWithDevice();
      const t = t0();
      await send(token, [
        { seq: 1, ts: t, type: 'stock', levels: { towel: 20 } },
        { seq: 3, ts: t + 2 * HOUR, type: 'stock', levels: { towel: 12 } },
      ]);
      let [row] = await suppliesBy('item', beijingDay(t), beijingDay(t + 3 * HOUR), `&station=${station}`);
      expect(row).toMatchObject({ dispensed: 8, dispensed_inferred: 8 });
      await send(token, [{ seq: 2, ts: t + HOUR, type: 'dispense', item: 'towel', qty: 8 }]);
      [row] = await suppliesBy('item', beijingDay(t), beijingDay(t + 3 * HOUR), `&station=${station}`);
      expect(row).toMatchObject({ dispensed: 8, dispensed_inferred: 0 });
    });
  });

  it('integrates solar input into energy harvested, skipping gaps, and keeps min/mean battery per hour', async () => {
    const { device, token } = await benchWithDevice();
    const t = Math.floor((Date.now() - 86400_000) / HOUR) * HOUR;
    const watts = [0, 10, 30, 30, 20];
    const socs = [50, 52, 55, 57, 58];
    const msgs: unknown[] = watts.map((w, i) => ({ seq: i + 1, ts: t + i * 5 * MIN, type: 'status', solar_w: w, battery_soc: socs[i] }));
    // 40 min later (a gap): not integrated across.
    msgs.push({ seq: 10, ts: t + 60 * MIN, type: 'status', solar_w: 40 });
    await send(token, msgs);
    // Trapezoids every 5 min: (0+10)/2 + (10+30)/2 + (30+30)/2 + (30+20)/2 watts × 5/60 h
    const expectedWh = ((5 + 20 + 30 + 25) * 5) / 60;
    const day = await env.DB.prepare('SELECT solar_wh FROM device_daily WHERE device_id = ?').bind(device).all<{ solar_wh: number }>();
    expect(day.results.reduce((s, r) => s + r.solar_wh, 0)).toBeCloseTo(expectedWh, 9);
    const hour = await env.DB.prepare('SELECT batt_min, batt_sum, batt_n FROM device_hourly WHERE device_id = ? AND batt_n > 0')
      .bind(device)
      .first<{ batt_min: number; batt_sum: number; batt_n: number }>();
    expect(hour).toEqual({ batt_min: 50, batt_sum: socs.reduce((a, b) => a + b, 0), batt_n: 5 });
    // A late sample between the 10- and 15-minute ones replaces one trapezoid by two.
    await send(token, [{ seq: 20, ts: t + 12.5 * 60_000, type: 'status', solar_w: 100 }]);
    const after = (5 * 5 + 20 * 5 + ((30 + 100) / 2) * 2.5 + ((100 + 30) / 2) * 2.5 + 25 * 5) / 60;
    const day2 = await env.DB.prepare('SELECT SUM(solar_wh) AS wh FROM device_daily WHERE device_id = ?')
      .bind(device)
      .first<{ wh: number }>();
    expect(day2!.wh).toBeCloseTo(after, 9);
  });

  it('reports charging sessions and energy per day and per bench from the rollups', async () => {
    const { device, park, token } = await benchWithDevice();
    const day = beijingDay(Date.now() - 2 * 86400_000);
    const at = (hhmm: string) => `${day}T${hhmm}:00+08:00`;
    await send(token, [
      { seq: 1, ts: at('19:40'), type: 'charging_session', port: 1, started_at: at('19:00'), ended_at: at('19:40'), energy_wh: 6.5 },
      { seq: 2, ts: at('20:30'), type: 'charging_session', port: 2, started_at: at('19:55'), ended_at: at('20:30'), energy_wh: 3.25 },
      { seq: 3, ts: at('21:00'), type: 'charging_session', port: 1, started_at: at('20:10'), ended_at: at('21:00'), energy_wh: 8 },
    ]);
    const res = await asAdmin(`/api/v1/charging?from=${day}&to=${day}&by=bench&park=${park}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: Array<{ key: string; sessions: number; energy_wh: number }> };
    expect(body.rows).toEqual([{ key: device, name: null, sessions: 3, energy_wh: 17.75, solar_wh: 0 }]);
    const hours = await env.DB.prepare('SELECT hour, sessions FROM device_hourly WHERE device_id = ? ORDER BY hour').bind(device).all();
    expect(hours.results).toEqual([
      { hour: 19, sessions: 2 },
      { hour: 20, sessions: 1 },
    ]);
  });
});

describe('report queries', () => {
  it('answer 400 problems for a bad range or grouping, pointing at the parameter', async () => {
    const bad = await asAdmin('/api/v1/supplies?from=2026-07-32&to=2026-07-01&by=week');
    expect(bad.status).toBe(400);
    const p = (await bad.json()) as { errors: Array<{ in: string; pointer: string }> };
    expect(p.errors.map((e) => `${e.in}:${e.pointer}`).sort()).toEqual(['query:/by', 'query:/from']);
    const reversed = await asAdmin('/api/v1/charging?from=2026-07-02&to=2026-07-01');
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { detail: string }).detail).toContain('from must not be after to');
  });

  it('need a user token', async () => {
    expect((await call('/api/v1/supplies?from=2026-07-01&to=2026-07-02')).status).toBe(401);
  });
});
