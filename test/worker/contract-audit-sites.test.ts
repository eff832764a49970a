import { describe, expect, it } from 'vitest';
import { asAdmin, call, problem } from './helpers.ts';

/** Sites as a city GIS registers them, rule by rule of the CONTRACT. */

const post = (path: string, json: unknown) => asAdmin(path, { method: 'POST', json });

describe('POST districts, parks and stations', () => {
  it('answer 201 with the stored object (what GET then answers), 409 for a duplicate id', async () => {
    const district = await post('/api/v1/districts', { id: 'gis-d', name: '东昌府区' });
    expect(district.status).toBe(201);
    expect(await district.json()).toEqual(await (await asAdmin('/api/v1/districts/gis-d')).json());
    const park = await post('/api/v1/parks', { id: 'gis-p', name: '印象公园', district: 'gis-d', lat: 36.4563, lon: 115.985 });
    expect(park.status).toBe(201);
    const parkBody = await park.json();
    expect(parkBody).toMatchObject({ id: 'gis-p', name: '印象公园', district: 'gis-d', lat: 36.4563, lon: 115.985 });
    expect(parkBody).toEqual(await (await asAdmin('/api/v1/parks/gis-p')).json());
    const stationSent = { id: 'gis-s', name: '驿站', district: 'gis-d', lat: 36.45, lon: 115.99, opening_hours: 'Mo-Su 06:00-22:00' };
    const station = await post('/api/v1/stations', stationSent);
    expect(station.status).toBe(201);
    const stationBody = (await station.json()) as Record<string, unknown>;
    expect(stationBody).toMatchObject(stationSent);
    for (const [path, json] of [
      ['/api/v1/districts', { id: 'gis-d', name: 'x' }],
      ['/api/v1/parks', { id: 'gis-p', name: 'x', district: 'gis-d', lat: 1, lon: 1 }],
      ['/api/v1/stations', { id: 'gis-s', name: 'x', district: 'gis-d', lat: 1, lon: 1 }],
    ] as const) {
      expect((await problem(await post(path, json), 409)).type).toBe('/problems/conflict');
    }
  });

  it('default opening_hours to 24/7 (absent or null)', async () => {
    await post('/api/v1/districts', { id: 'gis-d2', name: 'D' });
    for (const [id, extra] of [
      ['gis-s2', {}],
      ['gis-s3', { opening_hours: null }],
    ] as const) {
      const res = await post('/api/v1/stations', { id, name: 'S', district: 'gis-d2', lat: 36.4, lon: 115.9, ...extra });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { opening_hours: string }).opening_hours).toBe('24/7');
    }
  });

  it('answer 400 pointing at the field: unknown district, bad opening_hours, bad id, out-of-range or missing coordinates', async () => {
    await post('/api/v1/districts', { id: 'gis-d3', name: 'D' });
    const base = { id: 'gis-x', name: 'X', district: 'gis-d3', lat: 36.4, lon: 115.9 };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/api/v1/parks', { ...base, district: 'nowhere' }, '/district'],
      ['/api/v1/stations', { ...base, district: 'nowhere' }, '/district'],
      ['/api/v1/stations', { ...base, opening_hours: 'Mo-Su 25:00-26:00' }, '/opening_hours'],
      ['/api/v1/stations', { ...base, id: 'has space' }, '/id'],
      ['/api/v1/parks', { ...base, lat: 91 }, '/lat'],
      ['/api/v1/parks', { ...base, lon: '115.9' }, '/lon'],
      ['/api/v1/districts', { id: 'x'.repeat(65), name: 'D' }, '/id'],
      ['/api/v1/districts', { id: 'gis-d4' }, '/name'],
    ];
    for (const [path, json, pointer] of cases) {
      const p = await problem(await post(path, json), 400);
      expect(
        p.errors?.map((e) => e.pointer),
        `${path} ${JSON.stringify(json)}`,
      ).toContain(pointer);
    }
  });

  it('need an admin token', async () => {
    expect((await call('/api/v1/districts', { method: 'POST', json: { id: 'gis-z', name: 'Z' } })).status).toBe(401);
  });
});

describe('GET /api/v1/stations/{id}', () => {
  it('answers at least id, name, district, lat, lon, open, stock and updated_at', async () => {
    await post('/api/v1/districts', { id: 'gis-d5', name: 'D' });
    await post('/api/v1/stations', { id: 'gis-s5', name: 'S', district: 'gis-d5', lat: 36.4, lon: 115.9 });
    const dev = await post('/api/v1/devices', { id: 'gis-ctl', kind: 'station', site: 'gis-s5' });
    const { token } = (await dev.json()) as { token: string };
    const ts = Date.now() - 120_000;
    const sent = await call('/api/v1/telemetry', {
      method: 'POST',
      token,
      json: {
        messages: [
          { seq: 1, ts, type: 'stock', levels: { water: 12 } },
          { seq: 2, ts: ts + 1000, type: 'dispense', item: 'water', qty: 2 },
        ],
      },
    });
    expect(sent.status).toBe(200);
    const s = (await (await asAdmin('/api/v1/stations/gis-s5')).json()) as Record<string, unknown>;
    expect(s).toMatchObject({
      id: 'gis-s5',
      name: 'S',
      district: 'gis-d5',
      lat: 36.4,
      lon: 115.9,
      open: true,
      stock: { water: 10 },
      updated_at: new Date(ts + 1000).toISOString(),
    });
  });
});
