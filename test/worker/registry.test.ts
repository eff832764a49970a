import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../worker/schemas/sites.ts';
import { asAdmin, call, problem } from './helpers.ts';

async function tokenFor(role: 'staff' | 'planner' | 'admin'): Promise<string> {
  const res = await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: `${role} test`, role } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const district = { id: 'dongchangfu', name: '东昌府区' };
const park = { id: 'park-yinxiang', name: '印象公园', district: 'dongchangfu', lat: 36.4563, lon: 115.985 };
const station = { id: 'st-renmin', name: '人民广场驿站', district: 'dongchangfu', lat: 36.45, lon: 115.99 };

describe('districts', () => {
  it('creates a district and answers 201 with the stored object', async () => {
    const res = await asAdmin('/api/v1/districts', { method: 'POST', json: district });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: 'dongchangfu', name: '东昌府区', parks: 0, stations: 0, has_boundary: false, boundary: null });
    expect(Date.parse(body.created_at as string)).not.toBeNaN();
    const row = await env.DB.prepare('SELECT name FROM districts WHERE id = ?').bind('dongchangfu').first<{ name: string }>();
    expect(row?.name).toBe('东昌府区');
  });

  it('answers 409 for a duplicate id', async () => {
    await asAdmin('/api/v1/districts', { method: 'POST', json: district });
    const p = await problem(await asAdmin('/api/v1/districts', { method: 'POST', json: { id: 'dongchangfu', name: 'other' } }), 409);
    expect(p.type).toBe('/problems/conflict');
    expect(p.detail).toContain('dongchangfu');
  });

  it('points at a bad id', async () => {
    const p = await problem(await asAdmin('/api/v1/districts', { method: 'POST', json: { id: 'bad id!', name: 'x' } }), 400);
    expect(p.type).toBe('/problems/validation_failed');
    expect(p.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/id' })]);
  });

  it('keeps a boundary and refuses a broken one', async () => {
    const boundary = {
      type: 'Polygon',
      coordinates: [
        [
          [115.9, 36.4],
          [116, 36.4],
          [116, 36.5],
          [115.9, 36.4],
        ],
      ],
    };
    const res = await asAdmin('/api/v1/districts', { method: 'POST', json: { id: 'd-b', name: 'B', boundary } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { boundary: unknown }).boundary).toEqual(boundary);
    const p = await problem(
      await asAdmin('/api/v1/districts', {
        method: 'POST',
        json: { id: 'd-c', name: 'C', boundary: { type: 'Polygon', coordinates: [[[1, 2]]] } },
      }),
      400,
    );
    expect(p.errors?.[0]?.pointer).toBe('/boundary');
  });

  it('renames with PATCH and lists', async () => {
    await asAdmin('/api/v1/districts', { method: 'POST', json: district });
    const res = await asAdmin('/api/v1/districts/dongchangfu', { method: 'PATCH', json: { name: '东昌府' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }).name).toBe('东昌府');
    const list = (await (await asAdmin('/api/v1/districts')).json()) as { districts: Array<{ id: string; name: string }> };
    expect(list.districts).toContainEqual(expect.objectContaining({ id: 'dongchangfu', name: '东昌府' }));
    await problem(await asAdmin('/api/v1/districts/nope', { method: 'PATCH', json: { name: 'x' } }), 404);
    await problem(await asAdmin('/api/v1/districts/nope'), 404);
  });
});

describe('parks', () => {
  beforeAll(async () => {
    await asAdmin('/api/v1/districts', { method: 'POST', json: district });
  });

  it('creates a park (201) and reads it back', async () => {
    const res = await asAdmin('/api/v1/parks', { method: 'POST', json: park });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ...park, benches: 0 });
    const got = await asAdmin('/api/v1/parks/park-yinxiang');
    expect(await got.json()).toMatchObject(park);
  });

  it('answers 400 at /district for an unknown district, and writes nothing', async () => {
    const p = await problem(await asAdmin('/api/v1/parks', { method: 'POST', json: { ...park, id: 'p2', district: 'atlantis' } }), 400);
    expect(p.errors).toEqual([expect.objectContaining({ pointer: '/district' })]);
    expect(p.detail).toContain('atlantis');
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM parks WHERE id = ?').bind('p2').first('n')).toBe(0);
  });

  it.each([
    ['lat', { lat: 91 }],
    ['lat', { lat: '36.4' }],
    ['lon', { lon: -180.5 }],
    ['name', { name: '' }],
    ['id', { id: 'x'.repeat(65) }],
  ])('points at an invalid %s', async (field, change) => {
    const p = await problem(await asAdmin('/api/v1/parks', { method: 'POST', json: { ...park, id: 'p3', ...change } }), 400);
    expect(p.errors?.map((e) => e.pointer)).toEqual([`/${field}`]);
  });

  it('points at every missing field', async () => {
    const p = await problem(await asAdmin('/api/v1/parks', { method: 'POST', json: { id: 'p4' } }), 400);
    expect(p.errors?.map((e) => e.pointer).sort()).toEqual(['/district', '/lat', '/lon', '/name']);
  });

  it('409 on a duplicate, and PATCH moves a park', async () => {
    await asAdmin('/api/v1/parks', { method: 'POST', json: park });
    await problem(await asAdmin('/api/v1/parks', { method: 'POST', json: park }), 409);
    const res = await asAdmin('/api/v1/parks/park-yinxiang', { method: 'PATCH', json: { lat: 36.5, lon: 116 } });
    expect(await res.json()).toMatchObject({ lat: 36.5, lon: 116 });
    const p = await problem(await asAdmin('/api/v1/parks/park-yinxiang', { method: 'PATCH', json: { lat: 36.5 } }), 400);
    expect(p.errors?.[0]?.pointer).toBe('/lon');
    const q = await problem(await asAdmin('/api/v1/parks/park-yinxiang', { method: 'PATCH', json: { district: 'atlantis' } }), 400);
    expect(q.errors?.[0]?.pointer).toBe('/district');
  });

  it('lists parks by district', async () => {
    await asAdmin('/api/v1/districts', { method: 'POST', json: { id: 'other', name: 'Other' } });
    await asAdmin('/api/v1/parks', { method: 'POST', json: park });
    await asAdmin('/api/v1/parks', { method: 'POST', json: { ...park, id: 'p-other', district: 'other' } });
    const all = (await (await asAdmin('/api/v1/parks')).json()) as { parks: Array<{ id: string }> };
    expect(all.parks.map((p) => p.id)).toEqual(['p-other', 'park-yinxiang']);
    const some = (await (await asAdmin('/api/v1/parks?district=other')).json()) as { parks: Array<{ id: string }> };
    expect(some.parks.map((p) => p.id)).toEqual(['p-other']);
  });
});

describe('stations', () => {
  beforeAll(async () => {
    await asAdmin('/api/v1/districts', { method: 'POST', json: district });
  });

  it('creates a station with the default 24/7 and answers the contract shape', async () => {
    const res = await asAdmin('/api/v1/stations', { method: 'POST', json: station });
    expect(res.status).toBe(201);
    const body = Station.parse(await res.json());
    expect(body).toMatchObject({ ...station, opening_hours: '24/7', opened_on: null, open: true, stock: {}, updated_at: null });
    const got = Station.parse(await (await asAdmin('/api/v1/stations/st-renmin')).json());
    expect(got).toEqual(body);
  });

  it('takes a null opening_hours as the default 24/7', async () => {
    const res = await asAdmin('/api/v1/stations', { method: 'POST', json: { ...station, id: 'st-null-hours', opening_hours: null } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ opening_hours: '24/7' });
  });

  it('refuses invalid opening hours with the parser’s message at /opening_hours', async () => {
    const p = await problem(
      await asAdmin('/api/v1/stations', { method: 'POST', json: { ...station, opening_hours: 'Mo-Xx 25:00-26:00' } }),
      400,
    );
    expect(p.errors).toEqual([expect.objectContaining({ pointer: '/opening_hours' })]);
    expect(p.errors?.[0]?.message).toContain('Mo-Xx 25:00-26:00');
    expect(p.errors!.length).toBe(1);
  });

  it('refuses an unknown district and a bad opened_on', async () => {
    const p = await problem(
      await asAdmin('/api/v1/stations', { method: 'POST', json: { ...station, id: 'st-nodistrict', district: 'nope' } }),
      400,
    );
    expect(p.errors?.[0]?.pointer).toBe('/district');
    const q = await problem(
      await asAdmin('/api/v1/stations', { method: 'POST', json: { ...station, id: 'st-badday', opened_on: '2026-02-30' } }),
      400,
    );
    expect(q.errors?.[0]?.pointer).toBe('/opened_on');
  });

  it('reads open from opening hours in the city’s time zone, and the station’s own recent report over it', async () => {
    // 03:00 in Shanghai now? Choose hours that exclude the current local hour so the answer is known.
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(new Date()),
    );
    const from = String((hour + 2) % 24).padStart(2, '0');
    const to = String((hour + 3) % 24).padStart(2, '0');
    const hours = `Mo-Su ${from}:00-${to === '00' ? '24' : to}:00`;
    const res = await asAdmin('/api/v1/stations', {
      method: 'POST',
      json: { ...station, id: 'st-closed', opening_hours: hours, opened_on: '2025-06-01' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ open: false, opening_hours: hours, opened_on: '2025-06-01' });
    await env.DB.prepare('UPDATE stations SET open = 1, open_at = ? WHERE id = ?')
      .bind(Date.now() - 60_000, 'st-closed')
      .run();
    expect(await (await asAdmin('/api/v1/stations/st-closed')).json()).toMatchObject({ open: true });
  });

  it('answers stock, item settings, updated_at and health from the stored state', async () => {
    await asAdmin('/api/v1/stations', { method: 'POST', json: station });
    const t = Date.parse('2026-07-21T06:00:00Z');
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO station_items (station_id, item, on_hand, on_hand_at) VALUES ('st-renmin', 'water', 0, ?), ('st-renmin', 'towel', 12, ?)",
      ).bind(t, t),
      env.DB.prepare("UPDATE stations SET updated_at = ? WHERE id = 'st-renmin'").bind(t),
    ]);
    const put = await asAdmin('/api/v1/stations/st-renmin/items/towel', { method: 'PUT', json: { par_level: 40, reorder_point: 15 } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ item: 'towel', par_level: 40, reorder_point: 15, on_hand: 12, name_zh: '毛巾' });
    const s = Station.parse(await (await asAdmin('/api/v1/stations/st-renmin')).json());
    expect(s.stock).toEqual({ water: 0, towel: 12 });
    expect(s.updated_at).toBe('2026-07-21T06:00:00.000Z');
    expect(s.items.find((i) => i.item === 'towel')).toMatchObject({
      par_level: 40,
      reorder_point: 15,
      on_hand_at: '2026-07-21T06:00:00.000Z',
    });
    // No device ever reported, water is out, towels are below the reorder point.
    expect(s.health.grade).toBe('red');
    expect(s.health.reasons.sort()).toEqual(['below_reorder', 'never_seen', 'stock_out']);
  });

  it('validates per-item settings', async () => {
    await asAdmin('/api/v1/stations', { method: 'POST', json: station });
    const p = await problem(
      await asAdmin('/api/v1/stations/st-renmin/items/water', { method: 'PUT', json: { par_level: 10, reorder_point: 11 } }),
      400,
    );
    expect(p.errors?.[0]?.pointer).toBe('/reorder_point');
    const q = await problem(
      await asAdmin('/api/v1/stations/st-renmin/items/Water', { method: 'PUT', json: { par_level: 10, reorder_point: 1 } }),
      400,
    );
    expect(q.errors?.[0]).toMatchObject({ in: 'path', pointer: '/item' });
    await problem(
      await asAdmin('/api/v1/stations/st-renmin/items/unobtainium', { method: 'PUT', json: { par_level: 10, reorder_point: 1 } }),
      404,
    );
    await problem(await asAdmin('/api/v1/stations/nope/items/water', { method: 'PUT', json: { par_level: 10, reorder_point: 1 } }), 404);
  });

  it('PATCH changes opening hours and clears opened_on; list filters by district', async () => {
    await asAdmin('/api/v1/districts', { method: 'POST', json: { id: 'd-list', name: 'List' } });
    await asAdmin('/api/v1/stations', {
      method: 'POST',
      json: { ...station, id: 'st-patch', district: 'd-list', opened_on: '2025-01-01' },
    });
    const res = await asAdmin('/api/v1/stations/st-patch', {
      method: 'PATCH',
      json: { opening_hours: 'Mo-Su 06:00-22:00', opened_on: null, name: '新名' },
    });
    expect(await res.json()).toMatchObject({ opening_hours: 'Mo-Su 06:00-22:00', opened_on: null, name: '新名' });
    const bad = await problem(await asAdmin('/api/v1/stations/st-patch', { method: 'PATCH', json: { opening_hours: 'whenever' } }), 400);
    expect(bad.errors?.[0]?.pointer).toBe('/opening_hours');
    await problem(await asAdmin('/api/v1/stations/nope', { method: 'PATCH', json: { name: 'x' } }), 404);
    const list = (await (await asAdmin('/api/v1/stations?district=d-list')).json()) as { stations: Array<{ id: string }> };
    expect(list.stations.map((s) => s.id)).toEqual(['st-patch']);
    const none = (await (await asAdmin('/api/v1/stations?district=nowhere')).json()) as { stations: unknown[] };
    expect(none.stations).toHaveLength(0);
  });

  it('answers 404 for an unknown station and 409 for a duplicate', async () => {
    await problem(await asAdmin('/api/v1/stations/nope'), 404);
    await asAdmin('/api/v1/stations', { method: 'POST', json: station });
    await problem(await asAdmin('/api/v1/stations', { method: 'POST', json: station }), 409);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await asAdmin('/api/v1/stations', {
      method: 'POST',
      body: 'id=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('roles on the registry', () => {
  beforeAll(async () => {
    await asAdmin('/api/v1/districts', { method: 'POST', json: district });
  });

  it('lets staff and planners read but not write', async () => {
    for (const role of ['staff', 'planner'] as const) {
      const token = await tokenFor(role);
      for (const [path, json] of [
        ['/api/v1/districts', { id: 'd9', name: 'x' }],
        ['/api/v1/parks', { ...park, id: 'p9' }],
        ['/api/v1/stations', { ...station, id: 's9' }],
      ] as const) {
        const p = await problem(await call(path, { method: 'POST', token, json }), 403);
        expect(p.type).toBe('/problems/forbidden');
        expect(p.detail).toContain(role);
        expect((await call(path, { token })).status).toBe(200);
      }
      await problem(await call('/api/v1/stations/x/items/water', { method: 'PUT', token, json: { par_level: 1, reorder_point: 0 } }), 403);
    }
  });

  it('answers 401 without a token or with an unknown one', async () => {
    await problem(await call('/api/v1/stations'), 401);
    await problem(await call('/api/v1/districts', { method: 'POST', json: district }), 401);
    const p = await problem(await call('/api/v1/parks', { token: 'api_not-a-real-token' }), 401);
    expect(p.type).toBe('/problems/unauthorized');
  });
});

describe('station read-back after telemetry', () => {
  it('shows the stock, open state and time a station’s device reported', async () => {
    await asAdmin('/api/v1/districts', { method: 'POST', json: district });
    await asAdmin('/api/v1/stations', { method: 'POST', json: { ...station, id: 'st-live', opening_hours: 'Mo-Su 06:00-06:01' } });
    const dev = await asAdmin('/api/v1/devices', { method: 'POST', json: { id: 'st-live-ctrl', kind: 'station', site: 'st-live' } });
    expect(dev.status).toBe(201);
    const { token } = (await dev.json()) as { token: string };
    const ts = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString();
    const sent = await call('/api/v1/telemetry', {
      method: 'POST',
      token,
      json: {
        device: 'st-live-ctrl',
        messages: [
          { seq: 1, ts, type: 'stock', levels: { water: 48, umbrella: 3 } },
          { seq: 2, ts, type: 'status', open: true },
        ],
      },
    });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ accepted: 2 });
    const s = Station.parse(await (await asAdmin('/api/v1/stations/st-live')).json());
    expect(s.stock).toEqual({ water: 48, umbrella: 3 });
    expect(s.updated_at).toBe(ts);
    // Its schedule says closed now (a one-minute window), but it reported itself open a minute ago.
    expect(s.open).toBe(true);
    expect(s.last_seen).not.toBeNull();
    expect(s.health.reasons).not.toContain('never_seen');
  });
});
