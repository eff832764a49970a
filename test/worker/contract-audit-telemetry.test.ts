import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { asAdmin, call } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';
import { IngestResult, type IngestResultBody } from '../../worker/schemas/telemetry.ts';

/**
 * The device contract read as a third-party firmware author would read it: edge cases of
 * timestamps, names and body shapes that must never crash the Worker or lose a valid message.
 */

const MIN = 60_000;

function envelope(token: string, messages: unknown[], extra: Record<string, unknown> = {}) {
  return call('/api/v1/telemetry', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...extra, messages }),
  });
}
const senml = (token: string, pack: unknown) =>
  call('/api/v1/telemetry', { method: 'POST', token, headers: { 'content-type': 'application/senml+json' }, body: JSON.stringify(pack) });
const thingsboard = (token: string, body: unknown) =>
  call(`/api/v1/${token}/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function ok(res: Response): Promise<IngestResultBody> {
  expect(res.status, await res.clone().text()).toBe(200);
  return IngestResult.parse(await res.json());
}

async function storedTs(device: string): Promise<number[]> {
  const rows = await env.DB.prepare('SELECT ts FROM messages WHERE device_id = ? ORDER BY CAST(key AS INTEGER)')
    .bind(device)
    .all<{ ts: number }>();
  return rows.results.map((r) => r.ts);
}

/** An instant a day ago, on a whole second, written as RFC 3339 in UTC without the "Z". */
function dayAgo(): { ms: number; utc: string } {
  const ms = Math.floor((Date.now() - 86400_000) / 1000) * 1000;
  return { ms, utc: new Date(ms).toISOString().slice(0, 19) };
}

describe('RFC 3339 timestamps as the RFC writes them', () => {
  it('reads 1 to 12 fractional digits, to the millisecond', async () => {
    const { device, token } = await stationWithDevice();
    const { ms, utc } = dayAgo();
    const fractions = [
      '.5',
      '.25',
      '.125',
      '.1254',
      '.12549',
      '.125499',
      '.1254999',
      '.12549999',
      '.125499999',
      '.1254999999',
      '.125499999999',
    ];
    const out = await ok(
      await envelope(
        token,
        fractions.map((f, i) => ({ seq: i, ts: `${utc}${f}Z`, type: 'heartbeat' })),
      ),
    );
    expect(out.rejected).toEqual([]);
    expect(await storedTs(device)).toEqual([500, 250, 125, 125, 125, 125, 125, 125, 125, 125, 125].map((f) => ms + f));
  });

  it('reads lowercase t and z, a space separator, odd offsets (+05:45, -00:00) and a leap day', async () => {
    const { device, token } = await stationWithDevice();
    const { ms, utc } = dayAgo();
    const plus0545 = new Date(ms + (5 * 60 + 45) * MIN).toISOString().slice(0, 19) + '+05:45';
    const out = await ok(
      await envelope(token, [
        { seq: 0, ts: `${utc.replace('T', 't')}z`, type: 'heartbeat' },
        { seq: 1, ts: `${utc.replace('T', ' ')}Z`, type: 'heartbeat' },
        { seq: 2, ts: plus0545, type: 'heartbeat' },
        { seq: 3, ts: `${utc}-00:00`, type: 'heartbeat' },
      ]),
    );
    expect(out.rejected).toEqual([]);
    expect(await storedTs(device)).toEqual([ms, ms, ms, ms]);
    // 2028-02-29 is a real day (too far ahead to accept, so it is ts_in_future, not invalid_ts); 2027-02-29 is not.
    const leap = await ok(
      await envelope(token, [
        { seq: 10, ts: '2028-02-29T12:00:00+08:00', type: 'heartbeat' },
        { seq: 11, ts: '2027-02-29T12:00:00+08:00', type: 'heartbeat' },
      ]),
    );
    expect(leap.rejected.map((r) => r.code)).toEqual(['ts_in_future', 'invalid_ts']);
  });

  it('takes a leap second (:60) as a real instant, not a malformed one', async () => {
    const { token } = await stationWithDevice();
    const out = await ok(await envelope(token, [{ seq: 1, ts: '2016-12-31T23:59:60Z', type: 'heartbeat' }]));
    expect(out.rejected.map((r) => r.code)).toEqual(['ts_too_old']);
  });

  it('answers the same for one instant however it is written: before 1970 is ts_too_old, as text and as epoch ms', async () => {
    const { token } = await stationWithDevice();
    const out = await ok(
      await envelope(token, [
        { seq: 1, ts: '1969-12-31T23:59:59.999Z', type: 'heartbeat' },
        { seq: 2, ts: -1, type: 'heartbeat' },
        { seq: 3, ts: '0099-01-01T00:00:00Z', type: 'heartbeat' },
      ]),
    );
    expect(out.rejected.map((r) => [r.seq, r.code])).toEqual([
      [1, 'ts_too_old'],
      [2, 'ts_too_old'],
      [3, 'ts_too_old'],
    ]);
  });
});

describe('charging_session times', () => {
  it('rejects started_at / ended_at that are not real dates (30 February) by index, never a 5xx', async () => {
    const { device, token } = await benchWithDevice();
    const ts = new Date(Date.now() - MIN).toISOString();
    const start = new Date(Date.now() - 30 * MIN).toISOString();
    const out = await ok(
      await envelope(token, [
        { seq: 1, ts, type: 'charging_session', port: 1, started_at: '2026-02-30T10:00:00+08:00', ended_at: ts, energy_wh: 1 },
        { seq: 2, ts, type: 'charging_session', port: 1, started_at: start, ended_at: '2026-04-31T10:00:00+08:00', energy_wh: 1 },
        { seq: 3, ts, type: 'charging_session', port: 1, started_at: start, ended_at: ts, energy_wh: 1 },
      ]),
    );
    expect(out.accepted).toBe(1);
    expect(out.rejected.map((r) => [r.seq, r.code])).toEqual([
      [1, 'invalid_field'],
      [2, 'invalid_field'],
    ]);
    expect(out.rejected[0]!.detail).toContain('/started_at');
    expect(out.rejected[1]!.detail).toContain('/ended_at');
    expect(await storedTs(device)).toHaveLength(1);
  });
});

describe('names that are also JavaScript object properties', () => {
  it('ThingsBoard keys constructor / toString / __proto__ are unknown names, not a 5xx', async () => {
    const { device, token } = await benchWithDevice();
    const body = `{"ts": ${Date.now() - MIN}, "values": {"constructor": 1, "toString": 2, "__proto__": 3, "battery_soc": 50}}`;
    const res = await call(`/api/v1/${token}/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const out = await ok(res);
    expect(out.accepted).toBe(1);
    expect(out.rejected.map((r) => [r.key, r.code])).toEqual([
      ['constructor', 'unknown_name'],
      ['toString', 'unknown_name'],
      ['__proto__', 'unknown_name'],
    ]);
    expect(await storedTs(device)).toHaveLength(1);
  });

  it('SenML names hasOwnProperty / valueOf are unknown names, not a 5xx', async () => {
    const { device, token } = await benchWithDevice();
    const t = Math.floor(Date.now() / 1000) - 60;
    const out = await ok(
      await senml(token, [
        { bn: `urn:dev:${device}:`, bt: t, n: 'hasOwnProperty', v: 1 },
        { n: 'valueOf', v: 2 },
        { n: 'battery_v', u: 'V', v: 12.1 },
      ]),
    );
    expect(out.accepted).toBe(1);
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, 'unknown_name'],
      [1, 'unknown_name'],
    ]);
  });

  it('an item code "__proto__" (it matches ^[a-z0-9_]{1,32}$) is stored like any other, in levels too', async () => {
    const { station, token } = await stationWithDevice();
    const t = Date.now() - 10 * MIN;
    const body = `{"messages": [{"seq": 1, "ts": ${t}, "type": "stock", "levels": {"__proto__": 5, "water": 3}}]}`;
    const out = await ok(await call('/api/v1/telemetry', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body }));
    expect(out).toMatchObject({ accepted: 1, rejected: [] });
    const rows = await env.DB.prepare('SELECT item, on_hand FROM station_items WHERE station_id = ? ORDER BY item').bind(station).all();
    expect(rows.results).toEqual([
      { item: '__proto__', on_hand: 5 },
      { item: 'water', on_hand: 3 },
    ]);
    const view = await (await asAdmin(`/api/v1/stations/${station}`)).text();
    expect(view).toContain('"stock":{"__proto__":5,"water":3}');
  });
});

describe('SenML records', () => {
  it('rejects a record whose t is not a number instead of storing it at the base time', async () => {
    const { device, token } = await benchWithDevice();
    const bt = Math.floor(Date.now() / 1000) - 120;
    const out = await ok(
      await senml(token, [
        { bn: `urn:dev:${device}:`, bt, n: 'battery_soc', u: '%EL', v: 50 },
        { n: 'battery_soc', u: '%EL', v: 49, t: '60' },
      ]),
    );
    expect(out.accepted).toBe(1);
    expect(out.rejected).toEqual([
      { index: 1, key: 'battery_soc', code: 'invalid_ts', detail: expect.stringContaining('t must be a number') },
    ]);
  });

  it('resolves bt with fractional seconds plus a negative t to the millisecond', async () => {
    const { device, token } = await benchWithDevice();
    const bt = Math.floor(Date.now() / 1000) - 600 + 0.25;
    const out = await ok(await senml(token, [{ bn: `${device}:`, bt, n: 'load_w', u: 'W', v: 3, t: -1.5 }]));
    expect(out.accepted).toBe(1);
    expect(await storedTs(device)).toEqual([Math.round((bt - 1.5) * 1000)]);
  });

  it('takes bv + v and a base-fields-only first record', async () => {
    const { device, token } = await benchWithDevice();
    const bt = Math.floor(Date.now() / 1000) - 300;
    const out = await ok(
      await senml(token, [
        { bn: `urn:dev:${device}:`, bt, bu: 'W', bv: 10 },
        { n: 'solar_w', v: 2.5 },
        { n: 'load_w', v: 1, t: 1 },
      ]),
    );
    expect(out).toMatchObject({ accepted: 2, rejected: [] });
    const s = await env.DB.prepare('SELECT solar_w, load_w FROM samples WHERE device_id = ? ORDER BY ts').bind(device).all();
    expect(s.results).toEqual([
      { solar_w: 12.5, load_w: null },
      { solar_w: null, load_w: 11 },
    ]);
  });
});

describe('ThingsBoard bodies as ThingsBoard firmware sends them', () => {
  it('takes ts written as a string of digits, as ThingsBoard does', async () => {
    const { device, token } = await benchWithDevice();
    const ts = Date.now() - 5 * MIN;
    const out = await ok(await thingsboard(token, { ts: String(ts), values: { battery_soc: 40 } }));
    expect(out).toMatchObject({ accepted: 1, rejected: [] });
    expect(await storedTs(device)).toEqual([ts]);
  });

  it('takes numeric strings for numeric keys and "true"/"false" for open (ThingsBoard type casting)', async () => {
    const { device, token } = await stationWithDevice();
    const ts = Date.now() - 5 * MIN;
    const out = await ok(
      await thingsboard(token, { ts, values: { battery_soc: '66.5', ports_in_use: '2', open: 'false', 'stock:water': '12' } }),
    );
    expect(out).toMatchObject({ accepted: 4, rejected: [] });
    const s = await env.DB.prepare('SELECT battery_soc, ports_in_use, open FROM devices WHERE id = ?').bind(device).first();
    expect(s).toEqual({ battery_soc: 66.5, ports_in_use: 2, open: 0 });
    // Resending the same values as numbers is the same content: a duplicate.
    expect(
      await ok(await thingsboard(token, { ts, values: { battery_soc: 66.5, ports_in_use: 2, open: false, 'stock:water': 12 } })),
    ).toMatchObject({
      accepted: 0,
      duplicates: 4,
    });
  });

  it('still rejects strings that are not numbers', async () => {
    const { token } = await benchWithDevice();
    const out = await ok(
      await thingsboard(token, { ts: Date.now() - MIN, values: { battery_soc: '12abc', ports_in_use: '1.5', load_w: '' } }),
    );
    expect(out.rejected.map((r) => [r.key, r.code])).toEqual([
      ['battery_soc', 'invalid_field'],
      ['ports_in_use', 'invalid_field'],
      ['load_w', 'invalid_field'],
    ]);
  });
});

describe("the envelope's optional device field", () => {
  it.each([[''], ['bench 0007'], ['x'.repeat(65)]])(
    "a device string that is not the token's device (%j) is 403, storing nothing",
    async (name) => {
      const { device, token } = await benchWithDevice();
      const res = await envelope(token, [{ seq: 1, ts: Date.now() - MIN, type: 'heartbeat' }], { device: name });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await storedTs(device)).toEqual([]);
    },
  );
});

describe('extreme but valid content never crashes the Worker', () => {
  it('rejects a message nested absurdly deep (an extra field 5,000 arrays deep) by index, keeping the rest', async () => {
    const { device, token } = await benchWithDevice();
    const t = Date.now() - MIN;
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const shallow = '['.repeat(20) + ']'.repeat(20);
    const body = `{"messages":[{"seq":1,"ts":${t},"type":"heartbeat","x":${deep}},{"seq":2,"ts":${t},"type":"heartbeat","x":${shallow}}]}`;
    const out = await ok(await call('/api/v1/telemetry', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body }));
    expect(out.accepted).toBe(1);
    expect(out.rejected).toEqual([{ index: 0, seq: 1, code: 'invalid_message', detail: expect.stringContaining('nested') }]);
    expect(await storedTs(device)).toEqual([t]);
  });

  it('adds up quantities at the per-message maximum (10,000) across requests exactly (2^53 − 1 is refused: test/worker/bounds.test.ts)', async () => {
    const { station, token } = await stationWithDevice();
    const t = Date.now() - 10 * MIN;
    const big = 10_000;
    for (const start of [0, 1000, 2000, 3000]) {
      const messages = Array.from({ length: 1000 }, (_, i) => ({
        seq: start + i,
        ts: t + (i % 2),
        type: i % 2 ? 'restock' : 'dispense',
        item: 'water',
        qty: big,
      }));
      const out = await ok(await envelope(token, messages));
      expect(out.accepted).toBe(1000);
    }
    const day = new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
    const res = await asAdmin(`/api/v1/supplies?from=${day}&to=${day}&by=station&station=${station}`);
    expect(res.status).toBe(200);
    const row = ((await res.json()) as { rows: Array<{ dispensed: number; restocked: number }> }).rows[0]!;
    expect(row.dispensed).toBe(2000 * big);
    expect(row.restocked).toBe(2000 * big);
    expect((await asAdmin(`/api/v1/stations/${station}`)).status).toBe(200);
  });
});

describe('SenML base names', () => {
  it('takes a base name without its trailing colon when what follows is a known name', async () => {
    const { device, token } = await benchWithDevice();
    const bt = Math.floor(Date.now() / 1000) - 60;
    const out = await ok(
      await senml(token, [
        { bn: `urn:dev:${device}`, bt, n: 'battery_soc', u: '%EL', v: 70 },
        { bn: device, n: 'load_w', u: 'W', v: 2 },
      ]),
    );
    expect(out).toMatchObject({ accepted: 2, rejected: [] });
  });

  it('still refuses (403) a base name that is another device, even one whose id starts with this one', async () => {
    const { device, token } = await benchWithDevice();
    const res = await senml(token, [{ bn: `urn:dev:${device}2:`, n: 'battery_soc', v: 5 }]);
    expect(res.status).toBe(403);
  });
});

describe('free-text fields the contract does not bound', () => {
  it('keeps a long fault detail, a long fault code, many fault_codes and a long restock `by`', async () => {
    const bench = await benchWithDevice();
    const t = Date.now() - MIN;
    const out = await ok(
      await envelope(bench.token, [
        { seq: 1, ts: t, type: 'fault', code: 'E_'.padEnd(200, 'X'), active: true, detail: 'stack: '.padEnd(20_000, 'z') },
        { seq: 2, ts: t, type: 'status', fault_codes: Array.from({ length: 100 }, (_, i) => `F${i}`.padEnd(100, '_')) },
      ]),
    );
    expect(out).toMatchObject({ accepted: 2, rejected: [] });
    const station = await stationWithDevice();
    const restock = await ok(
      await envelope(station.token, [{ seq: 1, ts: t, type: 'restock', item: 'water', qty: 24, by: 'work-order/'.padEnd(200, '9') }]),
    );
    expect(restock).toMatchObject({ accepted: 1, rejected: [] });
    const row = await env.DB.prepare('SELECT length(detail) AS n FROM fault_events WHERE device_id = ?')
      .bind(bench.device)
      .first<{ n: number }>();
    expect(row!.n).toBe(20_000);
  });
});

describe('ThingsBoard message limit', () => {
  it('counts entries as messages: 1,000 entries of three values each are accepted, 1,001 entries are 413', {
    timeout: 60_000,
  }, async () => {
    const { device, token } = await benchWithDevice();
    const t = Date.now() - 20 * MIN;
    const entries = Array.from({ length: 1000 }, (_, i) => ({
      ts: t + i * 1000,
      values: { battery_soc: 50, battery_v: 12.5, solar_w: 10 },
    }));
    const out = await ok(await thingsboard(token, entries));
    expect(out).toMatchObject({ accepted: 3000, rejected: [] });
    const more = [...entries, { ts: t - 1000, values: { battery_soc: 1 } }];
    const res = await thingsboard(token, more);
    expect(res.status).toBe(413);
    expect(await storedTs(device)).toHaveLength(3000);
  });
});

describe('a SenML pack sent as application/json', () => {
  it('is a 400 that says which content type a SenML pack needs', async () => {
    const { device, token } = await benchWithDevice();
    const res = await call('/api/v1/telemetry', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ bn: `urn:dev:${device}:`, n: 'battery_soc', v: 5 }]),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('application/senml+json');
  });
});

describe('ThingsBoard open as firmware writes it', () => {
  it('reads 1/0 (number or text) for open as true/false, and refuses 2', async () => {
    const { station, token } = await stationWithDevice();
    const t = Date.now() - 10 * MIN;
    const out = await ok(
      await thingsboard(token, [
        { ts: t, values: { open: 1 } },
        { ts: t + 1000, values: { open: '0' } },
        { ts: t + 2000, values: { open: 2 } },
      ]),
    );
    expect(out.accepted).toBe(2);
    expect(out.rejected.map((r) => [r.index, r.key, r.code])).toEqual([[2, 'open', 'invalid_field']]);
    const s = await env.DB.prepare('SELECT open FROM stations WHERE id = ?').bind(station).first<{ open: number }>();
    expect(s!.open).toBe(0);
  });
});

describe('SenML URN case', () => {
  it('reads "URN:DEV:" like "urn:dev:" (the URN scheme and namespace are case-insensitive, RFC 8141)', async () => {
    const { device, token } = await benchWithDevice();
    const out = await ok(
      await senml(token, [{ bn: `URN:DEV:${device}:`, bt: Math.floor(Date.now() / 1000) - 30, n: 'battery_soc', u: '%EL', v: 55 }]),
    );
    expect(out).toMatchObject({ accepted: 1, rejected: [] });
    expect((await senml(token, [{ bn: 'Urn:Dev:someone-else:', n: 'battery_soc', v: 5 }])).status).toBe(403);
  });
});

describe('a station with two controllers', () => {
  it('reads stock on hand for the station from all its devices: newest level from one, later events from the other', async () => {
    const { station, token } = await stationWithDevice();
    const res = await asAdmin('/api/v1/devices', { method: 'POST', json: { id: `${station}-ctl2`, kind: 'station', site: station } });
    const second = ((await res.json()) as { token: string }).token;
    const t = Date.now() - 60 * MIN;
    await ok(
      await envelope(token, [
        { seq: 1, ts: t, type: 'stock', levels: { water: 48 } },
        { seq: 2, ts: t + 10 * MIN, type: 'stock', levels: { water: 45 } },
      ]),
    );
    await ok(await envelope(second, [{ seq: 1, ts: t + 5 * MIN, type: 'dispense', item: 'water', qty: 3 }]));
    const stock = async () => ((await (await asAdmin(`/api/v1/stations/${station}`)).json()) as { stock: Record<string, number> }).stock;
    expect(await stock()).toEqual({ water: 45 });
    await ok(await envelope(second, [{ seq: 2, ts: t + 20 * MIN, type: 'dispense', item: 'water', qty: 2 }]));
    expect(await stock()).toEqual({ water: 43 });
    await ok(await envelope(token, [{ seq: 3, ts: t + 30 * MIN, type: 'stock', levels: { water: 40 } }]));
    expect(await stock()).toEqual({ water: 40 });
  });

  it('counts a dispense once in supplies when one controller reports the event and another the stock levels, in either order of arrival', async () => {
    const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
    const supplies = async (station: string, from: string, to: string) => {
      const res = await asAdmin(`/api/v1/supplies?from=${from}&to=${to}&by=station&station=${station}`);
      expect(res.status).toBe(200);
      return (
        (await res.json()) as {
          rows: Array<{ dispensed: number; restocked: number; dispensed_inferred: number; restocked_inferred: number }>;
        }
      ).rows[0];
    };
    // Whole minutes in the middle of a local hour, two hours ago: all of it on one local day or two, read back over both.
    const t = Math.floor((Date.now() - 3 * 3600_000) / 60_000) * 60_000;
    for (const levelsFirst of [true, false]) {
      const { station, token } = await stationWithDevice();
      const res = await asAdmin('/api/v1/devices', { method: 'POST', json: { id: `${station}-ctl2`, kind: 'station', site: station } });
      const second = ((await res.json()) as { token: string }).token;
      const levels = () =>
        envelope(token, [
          { seq: 1, ts: t, type: 'stock', levels: { water: 48 } },
          { seq: 2, ts: t + 10 * MIN, type: 'stock', levels: { water: 45 } },
          // 45 → 60 with a restock of 20 and a dispense of 5 from the other controller: nothing left to infer.
          { seq: 3, ts: t + 40 * MIN, type: 'stock', levels: { water: 60 } },
          // 60 → 57 with no event in between: 3 inferred as dispensed.
          { seq: 4, ts: t + 70 * MIN, type: 'stock', levels: { water: 57 } },
        ]);
      const events = () =>
        envelope(second, [
          { seq: 1, ts: t + 5 * MIN, type: 'dispense', item: 'water', qty: 3 },
          { seq: 2, ts: t + 20 * MIN, type: 'restock', item: 'water', qty: 20 },
          { seq: 3, ts: t + 30 * MIN, type: 'dispense', item: 'water', qty: 5 },
        ]);
      if (levelsFirst) {
        await ok(await levels());
        await ok(await events());
      } else {
        await ok(await events());
        await ok(await levels());
      }
      const row = await supplies(station, day(t), day(t + 70 * MIN));
      // Computed here: events 3 + 5 dispensed and 20 restocked, plus the one unexplained drop of 3.
      expect(row, `levels first: ${levelsFirst}`).toMatchObject({
        dispensed: 3 + 5 + 3,
        restocked: 20,
        dispensed_inferred: 3,
        restocked_inferred: 0,
      });
      const stored = await env.DB.prepare('SELECT TOTAL(inferred_out) AS o, TOTAL(inferred_in) AS i FROM stock_levels WHERE device_id = ?')
        .bind(`dev-${station.slice(3)}`)
        .first<{ o: number; i: number }>();
      expect(stored).toEqual({ o: 3, i: 0 });
    }
  });
});
