import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { localParts } from '../../worker/domain/local-time.ts';
import { asAdmin, call } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';

interface IngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; seq?: number; key?: string; code: string; detail: string }>;
}

const send = (token: string, body: string, type = 'application/json', path = '/api/v1/telemetry') =>
  call(path, { method: 'POST', token: path === '/api/v1/telemetry' ? token : undefined, headers: { 'content-type': type }, body });

describe('every answer is bounded', () => {
  it('refuses a SenML pack whose 900 KB base name heads 999 records with one small 400 naming bn', async () => {
    const { device, token } = await benchWithDevice();
    const bn = `urn:dev:${device}:` + 'x'.repeat(900_000);
    const pack = [{ bn, n: 'battery_soc', v: 50 }, ...Array.from({ length: 998 }, (_, i) => ({ n: `r${i}`, v: i }))];
    const res = await send(token, JSON.stringify(pack), 'application/senml+json');
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(text.length).toBeLessThan(4000);
    const p = JSON.parse(text) as { errors: Array<{ pointer: string; message: string }> };
    expect(p.errors[0]!.pointer).toBe('/0/bn');
    expect(p.errors[0]!.message).toContain('at most 256');
  });

  it('cuts the echo of long SenML names and units: the answer stays small while each record is rejected', async () => {
    const { device, token } = await benchWithDevice();
    const long = 'n'.repeat(100_000);
    const pack = [
      { bn: `urn:dev:${device}:`, n: long, v: 1 },
      { n: 'battery_v', u: 'V'.repeat(50_000), v: 12 },
      { n: 'battery_v', vs: 's'.repeat(100_000) },
      ...Array.from({ length: 6 }, () => ({ n: long, v: 1 })),
    ];
    const res = await send(token, JSON.stringify(pack), 'application/senml+json');
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(200);
    expect(text.length).toBeLessThan(9 * 500);
    const a = JSON.parse(text) as IngestAnswer;
    expect(a.rejected.map((r) => r.code)).toEqual(['unknown_name', 'invalid_unit', 'invalid_field', ...Array(6).fill('unknown_name')]);
    for (const r of a.rejected) expect(r.detail.length).toBeLessThanOrEqual(300);
  });

  it('cuts the echo of a 500 KB ThingsBoard key', async () => {
    const { token } = await benchWithDevice();
    const res = await send(
      '',
      JSON.stringify({ ['k'.repeat(500_000)]: 1, battery_soc: 40 }),
      'application/json',
      `/api/v1/${token}/telemetry`,
    );
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text.length).toBeLessThan(1000);
    const a = JSON.parse(text) as IngestAnswer;
    expect(a.accepted).toBe(1);
    expect(a.rejected[0]!.code).toBe('unknown_name');
    expect(a.rejected[0]!.key!.length).toBeLessThanOrEqual(64);
  });

  it('cuts a problem answer that would echo a huge field, and lists at most 100 field errors', async () => {
    const big = await asAdmin('/api/v1/districts', { method: 'POST', json: { id: 'i'.repeat(600_000), name: 'n'.repeat(600_000) } });
    const text = await big.text();
    expect(big.status).toBe(400);
    expect(text.length).toBeLessThan(5000);
    const many = await asAdmin('/api/v1/import/sites', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'FeatureCollection',
        features: Array.from({ length: 5000 }, () => ({ type: 'Feature', geometry: null, properties: { id: '!'.repeat(300) } })),
      }),
    });
    const manyText = await many.text();
    expect(many.status).toBeGreaterThanOrEqual(400);
    expect(many.status).toBeLessThan(500);
    const p = JSON.parse(manyText) as { errors?: unknown[] };
    expect((p.errors ?? []).length).toBeLessThanOrEqual(100);
    expect(manyText.length).toBeLessThan(100_000);
  });
});

describe('numbers have realistic ranges', () => {
  const now = Date.now();
  it('refuses a dispense of a million or of 2^53 − 1 items as invalid_field and takes 10,000', async () => {
    const { token } = await stationWithDevice();
    const messages = [
      { seq: 1, ts: now, type: 'dispense', item: 'water', qty: 1_000_000 },
      { seq: 2, ts: now, type: 'dispense', item: 'water', qty: 2 ** 53 - 1 },
      { seq: 3, ts: now, type: 'dispense', item: 'water', qty: 10_000 },
      { seq: 4, ts: now, type: 'restock', item: 'water', qty: 10_001 },
      { seq: 5, ts: now, type: 'visit', count: 100_001 },
      { seq: 6, ts: now, type: 'status', battery_v: 101 },
      { seq: 7, ts: now, type: 'status', solar_w: 10_001 },
      { seq: 8, ts: now, type: 'stock', levels: { water: 1_000_001 } },
      { seq: 9, ts: now, type: 'charging_session', port: 1, started_at: now - 60_000, ended_at: now, energy_wh: 10_001 },
      { seq: 10, ts: now, type: 'status', battery_v: 100, solar_w: 10_000, load_w: 10_000 },
      { seq: 11, ts: now, type: 'stock', levels: { water: 1_000_000 } },
      { seq: 12, ts: now, type: 'visit', count: 100_000 },
    ];
    const res = await send(token, JSON.stringify({ messages }));
    expect(res.status).toBe(200);
    const a = (await res.json()) as IngestAnswer;
    expect(a.rejected.map((r) => [r.seq, r.code])).toEqual([1, 2, 4, 5, 6, 7, 8, 9].map((s) => [s, 'invalid_field']));
    expect(a.rejected[0]!.detail).toContain('/qty');
    expect(a.accepted).toBe(4);
    const day = localParts(now, 'Asia/Shanghai').day;
    const supplies = await asAdmin(`/api/v1/supplies?from=${day}&to=${day}&by=item`);
    const rows = ((await supplies.json()) as { rows: Array<{ key: string; dispensed: number }> }).rows;
    expect(rows.find((r) => r.key === 'water')?.dispensed).toBe(10_000);
  });

  it('refuses a SenML stock level over 1,000,000 and a ThingsBoard battery_v over 100', async () => {
    const { device, token } = await stationWithDevice();
    const pack = [
      { bn: `urn:dev:${device}:`, n: 'stock:water', u: 'count', v: 1_000_001 },
      { n: 'stock:towel', v: 20 },
    ];
    const a = (await (await send(token, JSON.stringify(pack), 'application/senml+json')).json()) as IngestAnswer;
    expect(a.rejected.map((r) => r.code)).toEqual(['invalid_field']);
    expect(a.accepted).toBe(1);
    const tb = (await (
      await send('', JSON.stringify({ battery_v: 1e6 }), 'application/json', `/api/v1/${token}/telemetry`)
    ).json()) as IngestAnswer;
    expect(tb.rejected.map((r) => r.code)).toEqual(['invalid_field']);
  });

  it('documents the maxima in the OpenAPI document', async () => {
    const doc = (await (await call('/api/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties: Record<string, { maximum?: number }> }> };
    };
    expect(doc.components.schemas.DispenseMessage!.properties.qty!.maximum).toBe(10_000);
    expect(doc.components.schemas.VisitMessage!.properties.count!.maximum).toBe(100_000);
    expect(doc.components.schemas.ChargingSessionMessage!.properties.energy_wh!.maximum).toBe(10_000);
  });
});

describe('rollup reads never overflow', () => {
  it('answers the overview, the supplies report and a station series even when stored sums pass 2^63', async () => {
    const { device, station } = await stationWithDevice();
    const day = localParts(Date.now(), 'Asia/Shanghai').day;
    const huge = String(2n ** 62n); // text, stored as INTEGER by the column's affinity
    // Rows as a past firmware bug (before the ranges above) could have left them.
    await env.DB.batch(
      ['water', 'towel'].flatMap((item) => [
        env.DB.prepare('INSERT INTO item_daily (device_id, item, day, dispensed, restocked) VALUES (?, ?, ?, ?, ?)').bind(
          device,
          item,
          day,
          huge,
          huge,
        ),
        env.DB.prepare('INSERT INTO item_daily (device_id, item, day, dispensed, restocked) VALUES (?, ?, ?, ?, ?)').bind(
          device,
          item,
          '2020-01-01',
          huge,
          huge,
        ),
      ]),
    );
    await env.DB.prepare('INSERT INTO item_daily (device_id, item, day, dispensed) VALUES (?, ?, ?, ?)')
      .bind(device, 'water', '2020-01-02', huge)
      .run();
    for (const path of [
      '/api/v1/dashboard/overview',
      `/api/v1/supplies?from=2020-01-01&to=${day}&by=item`,
      `/api/v1/dashboard/supplies?from=2020-01-01&to=${day}`,
      `/api/v1/dashboard/stations/${station}/series`,
    ]) {
      const res = await asAdmin(path);
      expect(res.status, `${path}: ${(await res.clone().text()).slice(0, 200)}`).toBe(200);
    }
    const sup = (await (await asAdmin(`/api/v1/supplies?from=2020-01-01&to=${day}&by=item`)).json()) as {
      rows: Array<{ key: string; dispensed: number }>;
    };
    expect(sup.rows.find((r) => r.key === 'water')!.dispensed).toBeGreaterThan(2 ** 63);
  });
});
