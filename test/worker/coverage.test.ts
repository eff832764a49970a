import { env } from 'cloudflare:test';
import geodesicLib from 'geographiclib-geodesic';
import { beforeAll, describe, expect, it } from 'vitest';
import { onSchedule } from '../../worker/scheduled.ts';
import { Coverage, Suggest, Trend, WhatIf } from '../../worker/schemas/planning.ts';
import { createDevice, createDistrict, createPark, createStation } from './fixtures.ts';
import { asAdmin } from './helpers.ts';

/**
 * A river town: a south and a north street, joined only by a footbridge at the west end; a
 * motorway crosses the river in the middle but pedestrians may not use it. The station stands
 * mid-south; a block sits straight across the river from it.
 */
const A = [116.0, 36.0];
const M = [116.01, 36.0];
const E = [116.02, 36.0];
const A2 = [116.0, 36.01];
const M2 = [116.01, 36.01];
const E2 = [116.02, 36.01];
const I1 = [116.05, 36.05];
const I2 = [116.051, 36.05];
const NEAR = [116.012, 36.0];

const geo = (a: number[], b: number[]) => geodesicLib.Geodesic.WGS84.Inverse(a[1]!, a[0]!, b[1]!, b[0]!).s12!;
const line = (coords: number[][], props: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: props,
  geometry: { type: 'LineString', coordinates: coords },
});
const network = {
  type: 'FeatureCollection',
  features: [
    line([A, M, E], { highway: 'residential' }),
    line([A2, M2, E2], { highway: 'residential' }),
    line([A, A2], { highway: 'footway', bridge: 'yes' }),
    line([M, M2], { highway: 'motorway' }),
    line([I1, I2], { highway: 'service' }), // an island: another component
  ],
};
// Units: across the river (1000), near the station (500), on the island (200), at the east end (300).
const populationCsv = [
  'lon,lat,population,district',
  `${M2[0]},${M2[1]},1000,north`,
  `${NEAR[0]},${NEAR[1]},500,south`,
  `${I1[0]},${I1[1]},200,`,
  `${E[0]},${E[1]},300,south`,
].join('\n');

const SPEED = 75;
const acrossM = geo(M, A) + geo(A, A2) + geo(A2, M2);
const nearM = geo(M, NEAR);
const eastM = geo(M, E);

async function coverage(query = ''): Promise<Coverage> {
  const res = await asAdmin(`/api/v1/coverage${query}`);
  expect(res.status).toBe(200);
  return Coverage.parse(await res.json());
}

async function unitMinutes(query = ''): Promise<Array<number | null>> {
  const res = await asAdmin(`/api/v1/coverage/units?format=geojson${query ? '&' + query : ''}`);
  const body = (await res.json()) as { features: Array<{ properties: { minutes: number | null } }> };
  return body.features.map((f) => f.properties.minutes);
}

beforeAll(async () => {
  await createDistrict('south', '南岸');
  await createStation('st-mid', 'south', { lon: M[0], lat: M[1] });
  expect((await asAdmin('/api/v1/network', { method: 'PUT', json: network })).status).toBe(200);
  expect(
    (await asAdmin('/api/v1/population', { method: 'PUT', body: populationCsv, headers: { 'content-type': 'text/csv' } })).status,
  ).toBe(200);
});

describe('GET /api/v1/coverage on the walking network', () => {
  it('walks around the river by the bridge: the block across the river is not within 15 minutes', async () => {
    const c = await coverage();
    expect(c.method).toBe('network');
    expect(c.speed_m_per_min).toBe(SPEED);
    expect(c.population).toBe(2000);
    const minutes = await unitMinutes();
    const csv = (await (await asAdmin('/api/v1/coverage/units?format=csv')).text()).trim().split('\n');
    expect(csv[0]).toBe('lon,lat,population,district,name,minutes,level,nearest,access_m');
    expect(csv.slice(1).map((l) => l.split(',').slice(-2).join(','))).toEqual(['st-mid,0', 'st-mid,0', ',0', 'st-mid,0']);
    expect(minutes[0]).toBeCloseTo(acrossM / SPEED, 1);
    expect(minutes[1]).toBeCloseTo(nearM / SPEED, 1);
    expect(minutes[2]).toBeNull(); // the island has no path to the station
    expect(minutes[3]).toBeCloseTo(eastM / SPEED, 1);
    // Straight across it would be 14.8 minutes (geo(M, M2) / 75): the motorway does not count.
    expect(geo(M, M2) / SPEED).toBeLessThan(15);
    const at = (m: number) => c.levels.find((l) => l.minutes === m)!;
    expect(at(5)).toEqual({ minutes: 5, covered: 500, share: 0.25 });
    expect(at(15)).toEqual({ minutes: 15, covered: 800, share: 0.4 });
    expect(c.not_reached).toBe(1200);
    expect(c.unreachable).toBe(200);
    expect(c.by_district).toEqual([
      {
        district: 'north',
        population: 1000,
        units: 1,
        not_reached: 1000,
        levels: [
          { minutes: 5, covered: 0, share: 0 },
          { minutes: 10, covered: 0, share: 0 },
          { minutes: 15, covered: 0, share: 0 },
        ],
      },
      {
        district: 'south',
        population: 800,
        units: 2,
        not_reached: 0,
        levels: [
          { minutes: 5, covered: 500, share: 0.625 },
          { minutes: 10, covered: 500, share: 0.625 },
          { minutes: 15, covered: 800, share: 1 },
        ],
      },
      {
        district: null,
        population: 200,
        units: 1,
        not_reached: 200,
        levels: [
          { minutes: 5, covered: 0, share: 0 },
          { minutes: 10, covered: 0, share: 0 },
          { minutes: 15, covered: 0, share: 0 },
        ],
      },
    ]);
    const hist = c.histogram;
    expect(hist.at(-1)).toEqual({ from: null, to: null, population: 200, units: 1 });
    expect(hist.find((b) => b.from === Math.floor(nearM / SPEED))!.population).toBe(500);
    expect(hist.reduce((s, b) => s + b.population, 0)).toBe(2000);
  });

  it('counts a unit exactly on a level’s boundary as covered, and one a hair beyond as not', async () => {
    const exact = eastM / 10; // the east block is exactly 10 minutes away at this speed
    let c = await coverage(`?levels=10&speed=${exact}`);
    expect(c.levels[0]!.covered).toBe(800);
    c = await coverage(`?levels=10&speed=${exact * (1 - 1e-7)}`); // 0.1 mm beyond
    expect(c.levels[0]!.covered).toBe(500);
  });

  it('takes the levels and the speed from the query', async () => {
    const c = await coverage('?levels=40,3&speed=60');
    expect(c.levels.map((l) => l.minutes)).toEqual([3, 40]);
    expect(c.speed_m_per_min).toBe(60);
    expect(c.levels[1]!.covered).toBe(acrossM / 60 <= 40 ? 1800 : 800);
    const bad = await asAdmin('/api/v1/coverage?levels=5,abc');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ pointer: string }> }).errors[0]!.pointer).toBe('/levels');
  });

  it('exports the 15-minute area around a station: whole streets, and the bridge up to where time runs out', async () => {
    const res = await asAdmin('/api/v1/coverage/area?amenity=st-mid&minutes=15');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    const body = (await res.json()) as {
      features: Array<{ geometry: { coordinates: number[][] }; properties: { role: string; from?: number; to?: number } }>;
    };
    const pieces = body.features.filter((f) => f.properties.role === 'reachable');
    const whole = pieces.filter((p) => p.properties.from === 0 && p.properties.to === 1);
    expect(whole).toHaveLength(2); // A–M and M–E
    const bridge = pieces.find((p) => p.properties.to! < 1)!;
    expect(bridge.properties.to).toBeCloseTo((15 * SPEED - geo(M, A)) / geo(A, A2), 6);
    expect(pieces).toHaveLength(3); // nothing on the north bank, nothing of the motorway
    expect((await asAdmin('/api/v1/coverage/area?amenity=nope')).status).toBe(404);
  });
});

describe('what-if and siting', () => {
  it('adding a station across the river covers that block, without saving anything', async () => {
    const res = await asAdmin('/api/v1/coverage/what-if', { method: 'POST', json: { add: [{ lon: M2[0], lat: M2[1] }] } });
    expect(res.status).toBe(200);
    const w = WhatIf.parse(await res.json());
    expect(w.delta.find((d) => d.minutes === 15)).toEqual({ minutes: 15, covered: 1000, share: 0.5 });
    expect(w.sites[0]!.access_m).toBe(0);
    expect((await coverage()).levels.find((l) => l.minutes === 15)!.covered).toBe(800);
  });

  it('removing or moving the station is recomputed in full', async () => {
    let w = WhatIf.parse(await (await asAdmin('/api/v1/coverage/what-if', { method: 'POST', json: { remove: ['st-mid'] } })).json());
    expect(w.after.levels.every((l) => l.covered === 0)).toBe(true);
    w = WhatIf.parse(
      await (
        await asAdmin('/api/v1/coverage/what-if', { method: 'POST', json: { move: [{ id: 'st-mid', lon: A2[0], lat: A2[1] }] } })
      ).json(),
    );
    // From the bridge's north end: M2 is geo(A2, M2) away, NEAR and E are across the bridge.
    const fifteen = w.after.levels.find((l) => l.minutes === 15)!.covered;
    expect(fifteen).toBe(
      (geo(A2, M2) <= 1125 ? 1000 : 0) + (geo(A2, A) + geo(A, NEAR) <= 1125 ? 500 : 0) + (geo(A2, A) + geo(A, E) <= 1125 ? 300 : 0),
    );
    const bad = await asAdmin('/api/v1/coverage/what-if', { method: 'POST', json: { remove: ['ghost'] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ pointer: string }> }).errors[0]!.pointer).toBe('/remove/0');
  });

  it('suggests the site across the river first, with the population it adds, and honours the spacing', async () => {
    const candidates = [
      { lon: M2[0], lat: M2[1] },
      { lon: E2[0], lat: E2[1] },
      { lon: I2[0], lat: I2[1] },
    ];
    let s = Suggest.parse(await (await asAdmin('/api/v1/coverage/suggest', { method: 'POST', json: { k: 3, candidates } })).json());
    expect(s.picks[0]).toMatchObject({ rank: 1, lon: M2[0], lat: M2[1], marginal_population: 1000 });
    expect(s.picks[1]).toMatchObject({ rank: 2, lon: I2[0], marginal_population: 200 });
    expect(s.picks).toHaveLength(2); // E2 (equally good alone) adds nobody once M2 is taken
    expect(s.covered_after).toBe(2000);
    expect(s.guarantee).toContain('1 − 1/e');
    // 1.2 km from every existing station: M2 (1.1 km from st-mid) is ruled out, E2 takes its place.
    s = Suggest.parse(
      await (await asAdmin('/api/v1/coverage/suggest', { method: 'POST', json: { k: 1, candidates, min_spacing_m: 1200 } })).json(),
    );
    expect(s.picks[0]!.lon).toBe(E2[0]);
    expect(s.picks[0]!.marginal_population).toBe(geo(E2, M2) <= 1125 ? 1000 : 0);
  });
});

describe('live coverage', () => {
  it('counts only stations open now and holding the item, and benches with charge and a free port', async () => {
    await createStation('st-closed', 'south', { lon: M2[0], lat: M2[1], opening_hours: 'off' });
    expect((await coverage()).levels.find((l) => l.minutes === 15)!.covered).toBe(1800);
    expect((await coverage('?live=true')).levels.find((l) => l.minutes === 15)!.covered).toBe(800);

    await env.DB.prepare("INSERT INTO station_items (station_id, item, on_hand) VALUES ('st-mid', 'water', 0)").run();
    const carrying = await coverage('?item=water');
    expect(carrying.amenities).toBe(1);
    expect(carrying.levels.find((l) => l.minutes === 15)!.covered).toBe(800);
    expect((await coverage('?item=water&live=true')).amenities).toBe(0);
    await env.DB.prepare("UPDATE station_items SET on_hand = 12 WHERE station_id = 'st-mid'").run();
    expect((await coverage('?item=water&live=true')).amenities).toBe(1);

    await createPark('pk-east', 'south', E2[1], E2[0]);
    await createDevice('bench-east', 'bench', 'pk-east', { ports: 2 });
    const bench = (soc: number | null, inUse: number | null) =>
      env.DB.prepare("UPDATE devices SET battery_soc = ?, ports_in_use = ? WHERE id = 'bench-east'").bind(soc, inUse).run();
    expect((await coverage('?kind=bench')).amenities).toBe(1);
    await bench(80, 2);
    expect((await coverage('?kind=bench&live=true')).amenities).toBe(0);
    await bench(15, 0);
    expect((await coverage('?kind=bench&live=true')).amenities).toBe(0);
    await bench(80, 1);
    const live = await coverage('?kind=bench&live=true');
    expect(live.amenities).toBe(1);
    expect(live.levels.find((l) => l.minutes === 15)!.covered).toBe(geo(E2, M2) <= 1125 ? 1000 : 0);
  });

  it('is recorded every hour and served as a trend', async () => {
    const at = Date.UTC(2026, 6, 21, 6, 3);
    await onSchedule(at, env);
    const res = await asAdmin('/api/v1/coverage/trend?from=2026-07-21&to=2026-07-21&kind=station');
    const t = Trend.parse(await res.json());
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0]).toMatchObject({ at: '2026-07-21T06:00:00.000Z', day: '2026-07-21', hour: 14, method: 'network' });
    const live = await coverage('?kind=station&live=true');
    expect(t.rows[0]!.levels).toEqual(live.levels);
  });
});

describe('without a walking network', () => {
  it('falls back to straight lines × the detour factor, and says so', async () => {
    expect((await asAdmin('/api/v1/network', { method: 'DELETE' })).status).toBe(204);
    const c = await coverage('?kind=station');
    expect(c.method).toBe('straight_line');
    expect(c.detour_factor).toBe(1.3);
    const minutes = await unitMinutes('kind=station');
    expect(minutes[1]).toBeCloseTo((nearM * 1.3) / SPEED, 1);
  });
});

describe('the OpenAPI document', () => {
  it('describes the planning endpoints at their real paths', async () => {
    const doc = (await (await asAdmin('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/v1/network'] ?? {})).toEqual(expect.arrayContaining(['put', 'get', 'delete']));
    expect(Object.keys(doc.paths['/api/v1/population'] ?? {})).toEqual(expect.arrayContaining(['put', 'get']));
    for (const p of ['/api/v1/coverage', '/api/v1/coverage/units', '/api/v1/coverage/area', '/api/v1/coverage/trend'])
      expect(doc.paths[p]?.get).toBeDefined();
    for (const p of ['/api/v1/coverage/what-if', '/api/v1/coverage/suggest']) expect(doc.paths[p]?.post).toBeDefined();
  });
});

describe('without a population layer', () => {
  it('answers zero residents, still by the network method', async () => {
    expect((await asAdmin('/api/v1/network', { method: 'PUT', json: network })).status).toBe(200);
    expect((await asAdmin('/api/v1/population', { method: 'DELETE' })).status).toBe(204);
    const c = await coverage();
    expect(c.method).toBe('network');
    expect(c.population).toBe(0);
    expect(c.levels.every((l) => l.covered === 0 && l.share === 0)).toBe(true);
    expect((await asAdmin('/api/v1/population')).status).toBe(404);
  });
});
