import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { Nearby } from '../../worker/schemas/public.ts';
import { asAdmin, call, created as post, haversine } from './helpers.ts';

/**
 * GET /api/v1/public/nearby on constructed sites around one origin (no walking network in this
 * file: straight line × 1.3). Opening hours are built around the current hour in Asia/Shanghai,
 * so "closed across midnight" and "open across midnight" hold whenever the test runs, and would
 * both flip if the hours were read in UTC.
 */
const now = Date.now();
const O = { lat: 30.5, lon: 104.06 };
const MIN = 60_000;

const shanghaiHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(now));
const hh = (h: number) => `${String(((h % 24) + 24) % 24).padStart(2, '0')}:00`;
/** Open 22 hours a day, closed in the current Shanghai hour (wraps past midnight). */
const closedNow = `Mo-Su ${hh(shanghaiHour + 1)}-${hh(shanghaiHour + 23)}`;
/** Open two hours around now only. */
const openNow = `Mo-Su ${hh(shanghaiHour - 1)}-${hh(shanghaiHour + 1)}`;

interface S {
  id: string;
  north_m: number;
  hours?: string;
  water?: number;
  seenMinAgo?: number | null;
}

// Due north of the origin, 1e-5° lat ≈ 1.11 m.
const STATIONS: S[] = [
  { id: 'nb-open', north_m: 300, water: 10, seenMinAgo: 1 },
  { id: 'nb-nightshift', north_m: 150, water: 10, hours: closedNow, seenMinAgo: 1 }, // closed by hours across midnight
  { id: 'nb-now-only', north_m: 500, water: 3, hours: openNow, seenMinAgo: 2 },
  { id: 'nb-empty', north_m: 100, water: 0, seenMinAgo: 1 },
  { id: 'nb-stale', north_m: 50, water: 20, seenMinAgo: 31 }, // silent past the 30-minute threshold
  { id: 'nb-nodevice', north_m: 60, water: 20, seenMinAgo: null },
  { id: 'nb-far', north_m: 2000, water: 1, seenMinAgo: 0 },
];
const lat = (north_m: number) => O.lat + north_m / 111_195;

interface B {
  id: string;
  east_m: number;
  soc: number;
  ports: number;
  inUse: number | null;
  seenMinAgo: number;
}
const BENCHES: B[] = [
  { id: 'nb-b-good', east_m: 400, soc: 50, ports: 2, inUse: 1, seenMinAgo: 5 },
  { id: 'nb-b-low', east_m: 100, soc: 15, ports: 2, inUse: 0, seenMinAgo: 5 },
  { id: 'nb-b-edge', east_m: 120, soc: 20, ports: 2, inUse: 0, seenMinAgo: 5 }, // exactly 20 %: not above
  { id: 'nb-b-full', east_m: 150, soc: 90, ports: 2, inUse: 2, seenMinAgo: 5 }, // no free port
  { id: 'nb-b-stale', east_m: 50, soc: 90, ports: 2, inUse: 0, seenMinAgo: 61 },
  { id: 'nb-b-unknown', east_m: 600, soc: 21, ports: 2, inUse: null, seenMinAgo: 5 }, // port use not reported: counts free
];
const lon = (east_m: number) => O.lon + east_m / (111_195 * Math.cos((O.lat * Math.PI) / 180));

beforeAll(async () => {
  await post('/api/v1/districts', { id: 'nb-d', name: '武侯区' });
  await post('/api/v1/parks', { id: 'nb-park', name: '街心公园', district: 'nb-d', lat: O.lat, lon: O.lon });
  const stmts: D1PreparedStatement[] = [];
  for (const s of STATIONS) {
    await post('/api/v1/stations', {
      id: s.id,
      name: `驿站 ${s.id}`,
      district: 'nb-d',
      lat: lat(s.north_m),
      lon: O.lon,
      ...(s.hours ? { opening_hours: s.hours } : {}),
    });
    if (s.seenMinAgo !== null) {
      await post('/api/v1/devices', { id: `${s.id}-ctrl`, kind: 'station', site: s.id });
      stmts.push(env.DB.prepare('UPDATE devices SET last_seen = ? WHERE id = ?').bind(now - s.seenMinAgo! * MIN, `${s.id}-ctrl`));
    }
    stmts.push(
      env.DB.prepare(
        "INSERT INTO station_items (station_id, item, on_hand, on_hand_at) VALUES (?, 'water', ?, ?), (?, 'towel', 2, ?)",
      ).bind(s.id, s.water ?? 0, now, s.id, now),
    );
  }
  for (const b of BENCHES) {
    await post('/api/v1/devices', { id: b.id, kind: 'bench', site: 'nb-park', ports: b.ports, lat: O.lat, lon: lon(b.east_m) });
    stmts.push(
      env.DB.prepare(
        'UPDATE devices SET battery_soc = ?, ports_in_use = ?, last_seen = ?, fault_codes = \'["E9_SECRET_FAULT"]\' WHERE id = ?',
      ).bind(b.soc, b.inUse, now - b.seenMinAgo * MIN, b.id),
    );
  }
  await env.DB.batch(stmts);
});

async function nearby(query: string) {
  const res = await call(`/api/v1/public/nearby?lat=${O.lat}&lon=${O.lon}&${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
  return Nearby.parse(await res.json());
}

describe('GET /api/v1/public/nearby', () => {
  it('offers only stations open now (hours in the city zone, across midnight), holding water, with fresh data, fastest first', async () => {
    const a = await nearby('need=water&limit=10');
    expect(a.method).toBe('straight_line');
    expect(a.detour_factor).toBe(1.3);
    expect(a.results.map((r) => r.id)).toEqual(['nb-open', 'nb-now-only', 'nb-far']);
    for (const r of a.results) {
      const d = haversine(O.lat, O.lon, r.lat, r.lon) * 1.3;
      expect(Math.abs(r.walk_m - d)).toBeLessThan(d * 0.005 + 1);
      expect(r.walk_min).toBeCloseTo(r.walk_m / a.speed_m_per_min, 1);
      expect(r.open).toBe(true);
      expect(r.kind).toBe('station');
    }
    const first = a.results[0]!;
    expect(first.has).toEqual({ towel: 2, water: 10 });
    expect(first.data_age_s).toBeGreaterThanOrEqual(60);
    expect(first.data_age_s).toBeLessThan(120);
    expect(first.open_until).toBeNull(); // 24/7
    const nowOnly = a.results[1]!;
    expect(nowOnly.opening_hours).toBe(openNow);
    // Closes at the top of the next Shanghai hour: within the coming 60 minutes.
    const until = Date.parse(nowOnly.open_until!);
    expect(until).toBeGreaterThan(now);
    expect(until).toBeLessThanOrEqual(now + 60 * MIN + 1000);
    expect(new Date(until).getUTCMinutes()).toBe(0);
    expect(until % 60_000).toBe(0);
  });

  it('rest: any open fresh station, empty or not; medicine means medicine_kit', async () => {
    const rest = await nearby('need=rest&limit=10');
    expect(rest.results.map((r) => r.id)).toEqual(['nb-empty', 'nb-open', 'nb-now-only', 'nb-far']);
    expect((await nearby('need=medicine')).results).toEqual([]);
    await env.DB.prepare("INSERT INTO station_items (station_id, item, on_hand, on_hand_at) VALUES ('nb-far', 'medicine_kit', 2, ?)")
      .bind(now)
      .run();
    expect((await nearby('need=medicine')).results.map((r) => [r.id, r.has.medicine_kit])).toEqual([['nb-far', 2]]);
  });

  it('limit keeps the fastest', async () => {
    expect((await nearby('need=water&limit=1')).results.map((r) => r.id)).toEqual(['nb-open']);
  });

  it('charging: benches above 20 % with a free port and fresh data', async () => {
    const a = await nearby('need=charging&limit=10');
    expect(a.results.map((r) => r.id)).toEqual(['nb-b-good', 'nb-b-unknown']);
    expect(a.results[0]).toMatchObject({ kind: 'bench', has: { charging_ports: 1 }, battery_soc: 50, open: true, opening_hours: '24/7' });
    expect(a.results[1]!.has).toEqual({});
  });

  it('a station going stale drops out without any other change', async () => {
    await env.DB.prepare("UPDATE devices SET last_seen = ? WHERE id = 'nb-open-ctrl'")
      .bind(Date.now() - 45 * MIN)
      .run();
    expect((await nearby('need=water&limit=10')).results.map((r) => r.id)).toEqual(['nb-now-only', 'nb-far']);
    await env.DB.prepare("UPDATE devices SET last_seen = ? WHERE id = 'nb-open-ctrl'")
      .bind(now - MIN)
      .run();
  });

  it('a new station is found at once (the position index follows the registry)', async () => {
    await post('/api/v1/stations', { id: 'nb-new', name: '新驿站', district: 'nb-d', lat: lat(10), lon: O.lon });
    await post('/api/v1/devices', { id: 'nb-new-ctrl', kind: 'station', site: 'nb-new' });
    await env.DB.batch([
      env.DB.prepare("UPDATE devices SET last_seen = ? WHERE id = 'nb-new-ctrl'").bind(Date.now()),
      env.DB.prepare("INSERT INTO station_items (station_id, item, on_hand, on_hand_at) VALUES ('nb-new', 'water', 1, ?)").bind(now),
    ]);
    expect((await nearby('need=water&limit=1')).results.map((r) => r.id)).toEqual(['nb-new']);
  });

  it('a moved station, a moved bench and a disabled bench are seen at once (the index follows every change of place)', async () => {
    const charging = async () => (await nearby('need=charging&limit=10')).results.map((r) => r.id);
    expect(await charging()).toEqual(['nb-b-good', 'nb-b-unknown']);
    // Bring the far bench next to the origin: it now comes first.
    expect((await asAdmin('/api/v1/devices/nb-b-unknown', { method: 'PATCH', json: { lat: O.lat, lon: lon(10) } })).status).toBe(200);
    expect(await charging()).toEqual(['nb-b-unknown', 'nb-b-good']);
    expect((await asAdmin('/api/v1/devices/nb-b-good', { method: 'PATCH', json: { disabled: true } })).status).toBe(200);
    expect(await charging()).toEqual(['nb-b-unknown']);

    const nearest = async () => (await nearby('need=rest&limit=1')).results[0]!.id;
    const first = await nearest();
    // Move the nearest station 20 km away: something else is nearest now.
    const res = await asAdmin(`/api/v1/stations/${first}`, { method: 'PATCH', json: { lat: O.lat + 0.18, lon: O.lon } });
    expect(res.status).toBe(200);
    expect(await nearest()).not.toBe(first);
  });

  it('route=1 gives each result its line from the origin', async () => {
    const a = await nearby('need=water&limit=2&route=1');
    for (const r of a.results) {
      expect(r.route![0]).toEqual([O.lon, O.lat]);
      expect(r.route!.at(-1)).toEqual([Math.round(r.lon * 1e5) / 1e5, Math.round(r.lat * 1e5) / 1e5]);
    }
    expect((await nearby('need=water&limit=2')).results[0]!.route).toBeUndefined();
  });

  it('refuses bad input with a 400 problem naming the field', async () => {
    for (const [q, pointer] of [
      ['lat=91&lon=1', '/lat'],
      ['lon=1', '/lat'],
      ['lat=1&lon=1&need=Water!', '/need'],
      ['lat=1&lon=1&limit=0', '/limit'],
    ] as const) {
      const res = await call(`/api/v1/public/nearby?${q}`);
      expect(res.status).toBe(400);
      const p = (await res.json()) as { errors: Array<{ pointer: string; in: string }> };
      expect(p.errors[0]).toMatchObject({ in: 'query', pointer });
    }
  });

  it('carries no token, device id, fault detail or staff data', async () => {
    for (const need of ['water', 'rest', 'charging']) {
      const text = await (await call(`/api/v1/public/nearby?lat=${O.lat}&lon=${O.lon}&need=${need}&limit=20&route=1`)).text();
      expect(text).not.toMatch(/-ctrl|token|E9_SECRET_FAULT|fault|test-admin-token|nb-park|supervisor|note/i);
    }
  });
});

describe('GET /api/v1/public/places', () => {
  it('lists stations and parks by district name with positions, and nothing internal', async () => {
    const res = await call('/api/v1/public/places');
    const body = (await res.json()) as { places: Array<Record<string, unknown>>; tz: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.tz).toBe('Asia/Shanghai');
    expect(body.places.find((p) => p.id === 'nb-open')).toEqual({
      kind: 'station',
      id: 'nb-open',
      name: '驿站 nb-open',
      district: '武侯区',
      lat: lat(300),
      lon: O.lon,
    });
    expect(body.places.find((p) => p.id === 'nb-park')).toMatchObject({ kind: 'park', name: '街心公园' });
    expect(JSON.stringify(body)).not.toMatch(/-ctrl|nb-b-/);
  });
});
