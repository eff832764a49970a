import { describe, expect, it } from 'vitest';
import { asAdmin, call } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';

/**
 * The read-back reports as a city data platform calls them: any two valid dates, every grouping,
 * local days both inclusive.
 */

const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

async function send(token: string, messages: unknown[]): Promise<void> {
  const res = await call('/api/v1/telemetry', { method: 'POST', token, json: { messages } });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(((await res.json()) as { rejected: unknown[] }).rejected).toEqual([]);
}

async function rows<T>(path: string): Promise<T[]> {
  const res = await asAdmin(path);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { rows: T[] }).rows;
}

describe('any valid range, never a 5xx', () => {
  it.each(['supplies', 'charging'])('%s over year 0001 to 9999, by day and by the default grouping', async (report) => {
    for (const by of ['day', '']) {
      const res = await asAdmin(`/api/v1/${report}?from=0001-01-01&to=9999-12-31${by ? `&by=${by}` : ''}`);
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as { from: string; to: string; rows: Array<{ key: string }> };
      expect(body).toMatchObject({ from: '0001-01-01', to: '9999-12-31' });
      expect(body.rows.length).toBeLessThan(10_000);
    }
  });

  it.each(['supplies', 'charging'])('%s by day lists each day of a range in the first century once', async (report) => {
    const got = await rows<{ key: string }>(`/api/v1/${report}?from=0050-02-27&to=0050-03-01&by=day`);
    expect(got.map((r) => r.key)).toEqual(['0050-02-27', '0050-02-28', '0050-03-01']);
  });
});

describe('groupings and inclusive local days', () => {
  it('supplies by item, station, district and day count events on both end days and none outside', async () => {
    const { station, district, token } = await stationWithDevice();
    const from = beijingDay(Date.now() - 3 * 86400_000);
    const to = beijingDay(Date.now() - 2 * 86400_000);
    const before = beijingDay(Date.now() - 4 * 86400_000);
    const after = beijingDay(Date.now() - 1 * 86400_000);
    await send(token, [
      { seq: 1, ts: `${before}T23:59:59+08:00`, type: 'dispense', item: 'water', qty: 100 },
      { seq: 2, ts: `${from}T00:00:00+08:00`, type: 'dispense', item: 'water', qty: 1 },
      { seq: 3, ts: `${to}T23:59:59.999+08:00`, type: 'dispense', item: 'towel', qty: 2 },
      { seq: 4, ts: `${to}T12:00:00+08:00`, type: 'restock', item: 'water', qty: 24, by: 'wo-1' },
      { seq: 5, ts: `${to}T13:00:00+08:00`, type: 'lend', item: 'umbrella', qty: 3 },
      { seq: 6, ts: `${to}T14:00:00+08:00`, type: 'return', item: 'umbrella', qty: 1 },
      { seq: 7, ts: `${after}T00:00:00+08:00`, type: 'dispense', item: 'water', qty: 100 },
    ]);
    const q = `from=${from}&to=${to}&station=${station}`;
    const z = { dispensed: 0, restocked: 0, lent: 0, returned: 0 };
    expect(await rows(`/api/v1/supplies?${q}&by=item`)).toEqual([
      expect.objectContaining({ key: 'towel', ...z, dispensed: 2 }),
      expect.objectContaining({ key: 'umbrella', ...z, lent: 3, returned: 1 }),
      expect.objectContaining({ key: 'water', ...z, dispensed: 1, restocked: 24 }),
    ]);
    const total = { dispensed: 3, restocked: 24, lent: 3, returned: 1 };
    expect(await rows(`/api/v1/supplies?${q}&by=station`)).toEqual([expect.objectContaining({ key: station, ...total })]);
    expect(await rows(`/api/v1/supplies?${q}&by=district`)).toEqual([expect.objectContaining({ key: district, ...total })]);
    expect(await rows(`/api/v1/supplies?${q}&by=day`)).toEqual([
      expect.objectContaining({ key: from, ...z, dispensed: 1 }),
      expect.objectContaining({ key: to, dispensed: 2, restocked: 24, lent: 3, returned: 1 }),
    ]);
  });

  it('charging by bench, park, district and day', async () => {
    const { device, park, district, token } = await benchWithDevice();
    const day = beijingDay(Date.now() - 2 * 86400_000);
    await send(token, [
      {
        seq: 1,
        ts: `${day}T10:30:00+08:00`,
        type: 'charging_session',
        port: 1,
        started_at: `${day}T10:00:00+08:00`,
        ended_at: `${day}T10:30:00+08:00`,
        energy_wh: 4.5,
      },
      {
        seq: 2,
        ts: `${day}T11:30:00+08:00`,
        type: 'charging_session',
        port: 2,
        started_at: `${day}T11:00:00+08:00`,
        ended_at: `${day}T11:30:00+08:00`,
        energy_wh: 2,
      },
    ]);
    const q = `from=${day}&to=${day}&park=${park}`;
    for (const [by, key] of [
      ['bench', device],
      ['park', park],
      ['district', district],
      ['day', day],
    ]) {
      expect(await rows(`/api/v1/charging?${q}&by=${by}`)).toEqual([expect.objectContaining({ key, sessions: 2, energy_wh: 6.5 })]);
    }
  });
});

describe('late, out-of-order data lands on the same totals', () => {
  const dayAgo2 = () => beijingDay(Date.now() - 2 * 86400_000);

  it('a late dispense that explains a level drop is counted once, even when the same request reaches past the reading', async () => {
    const { station, token } = await stationWithDevice();
    const day = dayAgo2();
    const at = (h: number) => `${day}T${String(h).padStart(2, '0')}:00:00+08:00`;
    await send(token, [
      { seq: 1, ts: at(9), type: 'stock', levels: { water: 50 } },
      { seq: 2, ts: at(12), type: 'stock', levels: { water: 47 } },
    ]);
    // Buffered offline: the dispense at 10:00 that explains the drop, sent with a later heartbeat.
    await send(token, [
      { seq: 3, ts: at(10), type: 'dispense', item: 'water', qty: 3 },
      { seq: 4, ts: at(14), type: 'heartbeat' },
    ]);
    expect(await rows(`/api/v1/supplies?from=${day}&to=${day}&by=station&station=${station}`)).toEqual([
      expect.objectContaining({ key: station, dispensed: 3, dispensed_inferred: 0 }),
    ]);
  });

  it('a late solar sample between two stored ones gives the harvest the trapezoids give, whatever the order', async () => {
    const { park, token } = await benchWithDevice();
    const day = dayAgo2();
    const at = (h: number, m = 0) => `${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+08:00`;
    await send(token, [
      { seq: 1, ts: at(11, 50), type: 'status', solar_w: 60 },
      { seq: 2, ts: at(12, 5), type: 'status', solar_w: 60 },
    ]);
    // Late: a sample at 11:58 (splitting 11:50–12:05 across the hour) and one at 14:00, in one request.
    await send(token, [
      { seq: 3, ts: at(11, 58), type: 'status', solar_w: 0 },
      { seq: 4, ts: at(14, 0), type: 'status', battery_soc: 80 },
    ]);
    // 11:50–11:58: (60 + 0) / 2 W for 8 min; 11:58–12:05: (0 + 60) / 2 W for 7 min.
    const expected = (30 * 8) / 60 + (30 * 7) / 60;
    const got = await rows<{ solar_wh: number }>(`/api/v1/charging?from=${day}&to=${day}&by=park&park=${park}`);
    expect(got).toHaveLength(1);
    expect(got[0]!.solar_wh).toBeCloseTo(expected, 9);
  });
});
