import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';
import { IngestResult, type IngestResultBody } from '../../worker/schemas/telemetry.ts';

const senml = (token: string, pack: unknown) =>
  call('/api/v1/telemetry', { method: 'POST', token, headers: { 'content-type': 'application/senml+json' }, body: JSON.stringify(pack) });
const thingsboard = (token: string, body: unknown, contentType = 'application/json') =>
  call(`/api/v1/${token}/telemetry`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });

async function ok(res: Response): Promise<IngestResultBody> {
  expect(res.status, await res.clone().text()).toBe(200);
  return IngestResult.parse(await res.json());
}

describe('SenML (RFC 8428) on POST /api/v1/telemetry', () => {
  it('maps records onto status and stock readings at their resolved time (bt + t, seconds)', async () => {
    const { device, station, token } = await stationWithDevice();
    const bt = Math.floor(Date.now() / 1000) - 600;
    const out = await ok(
      await senml(token, [
        { bn: `urn:dev:${device}:`, bt, n: 'battery_soc', u: '%EL', v: 81 },
        { n: 'temp_c', u: 'Cel', v: 33.5, t: 60 },
        { n: 'stock:water', u: 'count', v: 24, t: 60 },
        { n: 'stock:towel', v: 9, t: 60 },
      ]),
    );
    expect(out).toMatchObject({ accepted: 4, duplicates: 0, rejected: [] });
    const samples = await env.DB.prepare('SELECT ts, battery_soc, temp_c FROM samples WHERE device_id = ? ORDER BY ts').bind(device).all();
    expect(samples.results).toEqual([
      { ts: bt * 1000, battery_soc: 81, temp_c: null },
      { ts: (bt + 60) * 1000, battery_soc: null, temp_c: 33.5 },
    ]);
    const stock = await env.DB.prepare('SELECT item, on_hand FROM station_items WHERE station_id = ? ORDER BY item').bind(station).all();
    expect(stock.results).toEqual([
      { item: 'towel', on_hand: 9 },
      { item: 'water', on_hand: 24 },
    ]);
  });

  it('accepts the short base name "<device id>:" and % for battery level', async () => {
    const { device, token } = await benchWithDevice();
    const out = await ok(await senml(token, [{ bn: `${device}:`, n: 'battery_soc', u: '%', v: 40, t: Math.floor(Date.now() / 1000) - 5 }]));
    expect(out.accepted).toBe(1);
  });

  it('resolves times below 2^28 relative to the server clock', async () => {
    const { device, token } = await benchWithDevice();
    const before = Date.now();
    const out = await ok(await senml(token, [{ bn: `urn:dev:${device}:`, n: 'solar_w', u: 'W', v: 12, t: -120 }]));
    expect(out.accepted).toBe(1);
    const row = await env.DB.prepare('SELECT ts FROM samples WHERE device_id = ?').bind(device).first<{ ts: number }>();
    expect(row!.ts).toBeGreaterThanOrEqual(before - 120_000 - 1000);
    expect(row!.ts).toBeLessThanOrEqual(Date.now() - 120_000 + 1000);
  });

  it('de-duplicates on (device, name, time) and rejects another value for the same name and time', async () => {
    const { device, token } = await benchWithDevice();
    const t = Math.floor(Date.now() / 1000) - 300;
    const pack = [{ bn: `urn:dev:${device}:`, bt: t, n: 'battery_v', u: 'V', v: 12.4 }];
    expect((await ok(await senml(token, pack))).accepted).toBe(1);
    expect(await ok(await senml(token, pack))).toMatchObject({ accepted: 0, duplicates: 1 });
    const conflict = await ok(await senml(token, [{ bn: `urn:dev:${device}:`, bt: t, n: 'battery_v', u: 'V', v: 12.9 }]));
    expect(conflict.rejected).toEqual([
      { index: 0, key: 'battery_v', code: 'seq_conflict', detail: expect.stringContaining('first one stands') },
    ]);
  });

  it('rejects a record by index for an unknown name, a wrong unit or an out-of-range value', async () => {
    const { device, token } = await benchWithDevice();
    const t = Math.floor(Date.now() / 1000) - 60;
    const out = await ok(
      await senml(token, [
        { bn: `urn:dev:${device}:`, bt: t, n: 'battery_soc', u: '%EL', v: 50 },
        { n: 'humidity', v: 3 },
        { n: 'temp_c', u: 'degF', v: 90 },
        { n: 'battery_soc', u: '%EL', v: 140, t: 1 },
      ]),
    );
    expect(out.accepted).toBe(1);
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'unknown_name'],
      [2, 'invalid_unit'],
      [3, 'invalid_field'],
    ]);
    expect(out.rejected[1]!.detail).toContain('Cel');
  });

  it('refuses (403) a pack whose base name is another device, storing nothing', async () => {
    const { device, token } = await benchWithDevice();
    const res = await senml(token, [{ bn: 'urn:dev:bench-9999:', n: 'battery_soc', v: 50 }]);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toContain('bench-9999');
    const n = await env.DB.prepare('SELECT COUNT(*) AS n FROM messages WHERE device_id = ?').bind(device).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it('answers 400 for a body that is not a pack', async () => {
    const { token } = await benchWithDevice();
    const res = await senml(token, { bn: 'x' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('ThingsBoard-style POST /api/v1/{token}/telemetry', () => {
  it('takes a flat object at server time', async () => {
    const { device, token } = await benchWithDevice();
    const before = Date.now();
    const out = await ok(await thingsboard(token, { battery_soc: 66, solar_w: 20.5 }));
    expect(out).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    const rows = await env.DB.prepare('SELECT ts FROM messages WHERE device_id = ?').bind(device).all<{ ts: number }>();
    for (const r of rows.results) expect(r.ts).toBeGreaterThanOrEqual(before);
  });

  it('takes {ts, values} and arrays of them, with stock:<item> keys, de-duplicated by (device, key, ts)', async () => {
    const { station, token } = await stationWithDevice();
    const t = Date.now() - 20 * 60_000;
    const body = [
      { ts: t, values: { 'stock:water': 30, open: true } },
      { ts: t + 60_000, values: { 'stock:water': 28 } },
    ];
    expect((await ok(await thingsboard(token, body))).accepted).toBe(3);
    expect(await ok(await thingsboard(token, body))).toMatchObject({ accepted: 0, duplicates: 3 });
    const s = await env.DB.prepare('SELECT on_hand FROM station_items WHERE station_id = ? AND item = ?')
      .bind(station, 'water')
      .first<{ on_hand: number }>();
    expect(s!.on_hand).toBe(28);
    const st = await env.DB.prepare('SELECT open FROM stations WHERE id = ?').bind(station).first<{ open: number }>();
    expect(st!.open).toBe(1);
  });

  it('rejects a bad value by entry index and key', async () => {
    const { token } = await benchWithDevice();
    const out = await ok(await thingsboard(token, { ts: Date.now() - 1000, values: { battery_soc: 'full', load_w: 3 } }));
    expect(out.accepted).toBe(1);
    expect(out.rejected).toEqual([{ index: 0, key: 'battery_soc', code: 'invalid_field', detail: expect.stringContaining('battery_soc') }]);
  });

  it('answers 401 for an unknown token in the path and 415 for another content type', async () => {
    expect((await thingsboard('dev_unknown', { battery_soc: 50 })).status).toBe(401);
    const { token } = await benchWithDevice();
    expect((await thingsboard(token, { battery_soc: 50 }, 'text/csv')).status).toBe(415);
  });

  it('answers 400 for an entry that is not an object', async () => {
    const { token } = await benchWithDevice();
    const res = await thingsboard(token, [{ ts: 1, values: 5 }]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ pointer: string }> }).errors[0]!.pointer).toBe('/0/values');
  });
});
