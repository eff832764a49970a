import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { Nearest, PublicMap } from '../../worker/schemas/public.ts';
import { asAdmin, call, created as post, haversine } from './helpers.ts';

const now = Date.now();
let benchToken = '';
let stationToken = '';

beforeAll(async () => {
  await post('/api/v1/districts', { id: 'pub-d', name: '东昌府区' });
  await post('/api/v1/parks', { id: 'pub-park', name: '印象公园', district: 'pub-d', lat: 36.4563, lon: 115.985 });
  // Stations along a meridian, ~111 m apart per 0.001°.
  await post('/api/v1/stations', { id: 'pub-s1', name: '一号驿站', district: 'pub-d', lat: 36.451, lon: 115.99 });
  await post('/api/v1/stations', { id: 'pub-s2', name: '二号驿站', district: 'pub-d', lat: 36.453, lon: 115.99 });
  await post('/api/v1/stations', { id: 'pub-s3', name: '三号驿站', district: 'pub-d', lat: 36.455, lon: 115.99 });
  await post('/api/v1/stations', { id: 'pub-s4', name: '四号驿站', district: 'pub-d', lat: 36.452, lon: 115.99 });
  benchToken = (await post('/api/v1/devices', { id: 'pub-bench', kind: 'bench', site: 'pub-park', ports: 4, name: '一号座椅' }))
    .token as string;
  stationToken = (await post('/api/v1/devices', { id: 'pub-ctrl', kind: 'station', site: 'pub-s1' })).token as string;
  await post('/api/v1/devices', { id: 'pub-bench-2', kind: 'bench', site: 'pub-park', lat: 36.457, lon: 115.986 });
  await env.DB.batch([
    env.DB.prepare(
      `UPDATE devices SET battery_soc = 78.6, battery_v = 12.61, solar_w = 35.2, temp_c = 31, ports_in_use = 1, last_seen = ?, state_at = ?,
       fault_codes = '["E42_PANEL_DIRTY"]' WHERE id = 'pub-bench'`,
    ).bind(now, now),
    env.DB.prepare("UPDATE devices SET last_seen = ? WHERE id = 'pub-ctrl'").bind(now),
    env.DB.prepare(
      "INSERT INTO device_faults (device_id, code, active, detail, ts) VALUES ('pub-bench', 'E42_PANEL_DIRTY', 1, 'panel soiled, output 40%', ?)",
    ).bind(now),
    env.DB.prepare(
      "INSERT INTO events (device_id, key, ts, day, hour, type, item, qty, by_ref, expires) VALUES ('pub-ctrl', '7', ?, '2026-07-21', 14, 'restock', 'water', 24, '张三-养护班', '2027-01-01')",
    ).bind(now),
    env.DB.prepare(
      `INSERT INTO station_items (station_id, item, on_hand, on_hand_at, par_level, reorder_point) VALUES
        ('pub-s1', 'water', 30, ?1, 48, 12), ('pub-s1', 'towel', 0, ?1, 20, 5),
        ('pub-s2', 'water', 0, ?1, 48, 12), ('pub-s3', 'water', 5, ?1, 48, 12), ('pub-s4', 'water', 9, ?1, 48, 12)`,
    ).bind(now),
    // pub-s4 reported itself closed a minute ago: closed now whatever its hours say.
    env.DB.prepare("UPDATE stations SET open = 0, open_at = ?, updated_at = ? WHERE id = 'pub-s4'").bind(now - 60_000, now - 60_000),
  ]);
});

describe('public map', () => {
  it('needs no token and answers stations and benches with what is available', async () => {
    const res = await call('/api/v1/public/map');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const map = PublicMap.parse(await res.json());
    expect(map.stations.find((s) => s.id === 'pub-s1')).toEqual({
      id: 'pub-s1',
      name: '一号驿站',
      district: 'pub-d',
      lat: 36.451,
      lon: 115.99,
      opening_hours: '24/7',
      open: true,
      health: 'red', // towels are out
      items: { water: 30, towel: 0 },
      updated_at: null,
    });
    expect(map.stations.find((s) => s.id === 'pub-s4')).toMatchObject({ open: false });
    expect(map.benches.find((b) => b.id === 'pub-bench')).toEqual({
      id: 'pub-bench',
      name: '一号座椅',
      park: 'pub-park',
      park_name: '印象公园',
      district: 'pub-d',
      lat: 36.4563, // at its park
      lon: 115.985,
      battery_soc: 79,
      ports: 4,
      free_ports: 3,
      health: 'orange', // an active fault
    });
    expect(map.benches.find((b) => b.id === 'pub-bench-2')).toMatchObject({
      lat: 36.457,
      lon: 115.986,
      battery_soc: null,
      free_ports: null,
      health: 'red',
    });
    expect(map.districts).toContainEqual({ id: 'pub-d', name: '东昌府区' });
    expect(map.item_names.water).toEqual({ name_zh: '饮用水', name_en: 'Drinking water', unit: 'bottle' });
  });

  it('leaks no token, hash, staff name, fault code or device internal', async () => {
    const text = await (await call('/api/v1/public/map')).text();
    const hashes = await env.DB.prepare('SELECT token_hash FROM devices WHERE token_hash IS NOT NULL').all<{ token_hash: string }>();
    for (const secret of [benchToken, stationToken, ...hashes.results.map((h) => h.token_hash)]) expect(text).not.toContain(secret);
    for (const forbidden of [
      '张三',
      'E42',
      'panel soiled',
      'by_ref',
      'token',
      'fault',
      'battery_v',
      'solar_w',
      'temp_c',
      'ports_in_use',
      'last_seen',
      'state_at',
      'expires',
      'par_level',
      'reorder_point',
    ]) {
      expect(text).not.toContain(forbidden);
    }
    // Exactly the documented fields, nothing more.
    const map = JSON.parse(text) as { stations: object[]; benches: object[] };
    const stationKeys = new Set(map.stations.flatMap((s) => Object.keys(s)));
    const benchKeys = new Set(map.benches.flatMap((b) => Object.keys(b)));
    expect([...stationKeys].sort()).toEqual([
      'district',
      'health',
      'id',
      'items',
      'lat',
      'lon',
      'name',
      'open',
      'opening_hours',
      'updated_at',
    ]);
    expect([...benchKeys].sort()).toEqual([
      'battery_soc',
      'district',
      'free_ports',
      'health',
      'id',
      'lat',
      'lon',
      'name',
      'park',
      'park_name',
      'ports',
    ]);
  });

  it('hides disabled benches', async () => {
    await post('/api/v1/devices', { id: 'pub-bench-off', kind: 'bench', site: 'pub-park' });
    expect((await asAdmin('/api/v1/devices/pub-bench-off', { method: 'PATCH', json: { disabled: true } })).status).toBe(200);
    const map = PublicMap.parse(await (await call('/api/v1/public/map')).json());
    expect(map.benches.some((b) => b.id === 'pub-bench-off')).toBe(false);
  });
});

describe('nearest stations', () => {
  it('answers open stations holding the item, nearest first, with straight-line walking minutes', async () => {
    const res = await call('/api/v1/public/nearest?lat=36.450&lon=115.99&item=water&limit=5');
    expect(res.status).toBe(200);
    const body = Nearest.parse(await res.json());
    expect(body).toMatchObject({
      method: 'straight_line',
      detour_factor: 1.3,
      speed_m_per_min: 75,
      origin: { lat: 36.45, lon: 115.99 },
      kind: 'station',
      item: 'water',
      benches: [],
    });
    // s2 has no water, s4 is closed.
    expect(body.stations.map((s) => s.id)).toEqual(['pub-s1', 'pub-s3']);
    for (const s of body.stations) {
      const d = haversine(36.45, 115.99, s.lat, s.lon);
      expect(Math.abs(s.distance_m - d) / d).toBeLessThan(0.005);
      expect(Math.abs(s.walk_minutes - (s.distance_m * 1.3) / 75)).toBeLessThan(0.06);
      expect(s.open).toBe(true);
    }
    expect(body.stations[0]).toMatchObject({ qty: 30, items: { water: 30, towel: 0 } });
    expect(body.stations[1]).toMatchObject({ qty: 5 });
  });

  it('limits the answer and, without an item, lists any open station', async () => {
    const body = Nearest.parse(await (await call('/api/v1/public/nearest?lat=36.456&lon=115.99&limit=2')).json());
    expect(body.item).toBeNull();
    expect(body.stations.map((s) => s.id)).toEqual(['pub-s3', 'pub-s2']);
    expect(body.stations[0]!.qty).toBeNull();
    const none = Nearest.parse(await (await call('/api/v1/public/nearest?lat=36.45&lon=115.99&item=towel')).json());
    expect(none.stations).toEqual([]);
  });

  it('finds charged benches with a free port for kind=bench', async () => {
    await post('/api/v1/devices', { id: 'pub-bench-full', kind: 'bench', site: 'pub-park', ports: 2, lat: 36.4561, lon: 115.985 });
    await post('/api/v1/devices', { id: 'pub-bench-flat', kind: 'bench', site: 'pub-park', ports: 2, lat: 36.4562, lon: 115.985 });
    await env.DB.batch([
      env.DB.prepare("UPDATE devices SET battery_soc = 50, ports_in_use = 2, last_seen = ? WHERE id = 'pub-bench-full'").bind(now),
      env.DB.prepare("UPDATE devices SET battery_soc = 15, ports_in_use = 0, last_seen = ? WHERE id = 'pub-bench-flat'").bind(now),
    ]);
    const body = Nearest.parse(await (await call('/api/v1/public/nearest?lat=36.4560&lon=115.985&kind=bench')).json());
    expect(body).toMatchObject({ kind: 'bench', stations: [] });
    expect(body.benches.map((b) => b.id)).toEqual(['pub-bench']);
    const d = haversine(36.456, 115.985, 36.4563, 115.985);
    expect(Math.abs(body.benches[0]!.distance_m - d)).toBeLessThanOrEqual(1);
    expect(body.benches[0]).toMatchObject({ free_ports: 3, battery_soc: 79 });
    const p = await call('/api/v1/public/nearest?lat=36&lon=115&kind=bench&item=water');
    expect(p.status).toBe(400);
    expect(((await p.json()) as { errors: Array<{ pointer: string }> }).errors[0]!.pointer).toBe('/item');
  });

  it('refuses bad coordinates, items and limits with a pointer into the query', async () => {
    for (const [q, pointer] of [
      ['lat=91&lon=115', '/lat'],
      ['lon=115', '/lat'],
      ['lat=36&lon=abc', '/lon'],
      ['lat=36&lon=115&item=Water', '/item'],
      ['lat=36&lon=115&limit=0', '/limit'],
      ['lat=36&lon=115&limit=51', '/limit'],
    ] as const) {
      const res = await call(`/api/v1/public/nearest?${q}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const p = (await res.json()) as { errors: Array<{ in: string; pointer: string }> };
      expect(p.errors[0]).toMatchObject({ in: 'query', pointer });
    }
  });
});
