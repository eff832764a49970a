import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../worker/auth/tokens.ts';
import { ImportResult } from '../../worker/schemas/import.ts';
import { asAdmin, call, problem } from './helpers.ts';

function importGeo(doc: unknown, query = ''): Promise<Response> {
  return asAdmin(`/api/v1/import${query}`, {
    method: 'POST',
    body: JSON.stringify(doc),
    headers: { 'content-type': 'application/geo+json' },
  });
}

function importCsv(text: string, query = ''): Promise<Response> {
  return asAdmin(`/api/v1/import${query}`, { method: 'POST', body: text, headers: { 'content-type': 'text/csv; charset=utf-8' } });
}

/** Every registry table, to show that a refused import wrote nothing. */
async function snapshot(): Promise<string> {
  const tables = ['districts', 'parks', 'stations', 'devices'];
  const out = await env.DB.batch(tables.map((t) => env.DB.prepare(`SELECT * FROM ${t} ORDER BY id`)));
  return JSON.stringify(out.map((r) => r.results));
}

const feature = (properties: Record<string, unknown>, geometry: unknown = null) => ({ type: 'Feature', geometry, properties });
const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
const square = {
  type: 'Polygon',
  coordinates: [
    [
      [116.0, 36.4],
      [116.1, 36.4],
      [116.1, 36.5],
      [116.0, 36.4],
    ],
  ],
};

function city(prefix: string) {
  return {
    type: 'FeatureCollection',
    features: [
      feature({ kind: 'district', id: `${prefix}-d1`, name: '东昌府区' }, square),
      feature({ kind: 'district', id: `${prefix}-d2`, name: '开发区' }),
      feature({ kind: 'park', id: `${prefix}-p1`, name: '印象公园', district: `${prefix}-d1` }, point(115.985, 36.4563)),
      feature(
        {
          kind: 'station',
          id: `${prefix}-s1`,
          name: '人民广场驿站, 东门',
          district: `${prefix}-d1`,
          opening_hours: 'Mo-Su 06:00-22:00',
          opened_on: '2025-06-01',
        },
        point(115.99, 36.45),
      ),
      feature({ kind: 'station', id: `${prefix}-s2`, name: '开发区驿站', district: `${prefix}-d2`, lat: 36.47, lon: 116.02 }),
      feature({ kind: 'bench', id: `${prefix}-b1`, park: `${prefix}-p1`, ports: 4 }, point(115.9851, 36.4564)),
      feature({ kind: 'bench', id: `${prefix}-b2`, park: `${prefix}-p1`, name: '二号座椅' }),
    ],
  };
}

describe('bulk import from GeoJSON', () => {
  it('writes every site, issues bench tokens once, and re-importing the same file changes nothing', async () => {
    const res = await importGeo(city('g'));
    expect(res.status).toBe(200);
    const body = ImportResult.parse(await res.json());
    expect(body).toMatchObject({
      format: 'geojson',
      dry_run: false,
      districts: { created: 2, updated: 0 },
      parks: { created: 1, updated: 0 },
      stations: { created: 2, updated: 0 },
      benches: { created: 2, updated: 0 },
    });
    expect(body.devices.map((d) => d.id).sort()).toEqual(['g-b1', 'g-b2']);

    const d1 = await env.DB.prepare('SELECT name, boundary FROM districts WHERE id = ?')
      .bind('g-d1')
      .first<{ name: string; boundary: string }>();
    expect(d1?.name).toBe('东昌府区');
    expect(JSON.parse(d1!.boundary)).toEqual(square);
    expect(await env.DB.prepare("SELECT boundary FROM districts WHERE id = 'g-d2'").first('boundary')).toBeNull();
    expect(await env.DB.prepare("SELECT id, name, district, lat, lon FROM parks WHERE id = 'g-p1'").first()).toEqual({
      id: 'g-p1',
      name: '印象公园',
      district: 'g-d1',
      lat: 36.4563,
      lon: 115.985,
    });
    const stations = await env.DB.prepare(
      "SELECT id, name, district, lat, lon, opening_hours, opened_on FROM stations WHERE id LIKE 'g-%' ORDER BY id",
    ).all();
    expect(stations.results).toEqual([
      {
        id: 'g-s1',
        name: '人民广场驿站, 东门',
        district: 'g-d1',
        lat: 36.45,
        lon: 115.99,
        opening_hours: 'Mo-Su 06:00-22:00',
        opened_on: '2025-06-01',
      },
      { id: 'g-s2', name: '开发区驿站', district: 'g-d2', lat: 36.47, lon: 116.02, opening_hours: '24/7', opened_on: null },
    ]);
    const benches = await env.DB.prepare(
      "SELECT id, kind, site, name, lat, lon, ports, token_hash FROM devices WHERE id LIKE 'g-%' ORDER BY id",
    ).all<Record<string, unknown>>();
    expect(benches.results.map(({ token_hash: _, ...b }) => b)).toEqual([
      { id: 'g-b1', kind: 'bench', site: 'g-p1', name: null, lat: 36.4564, lon: 115.9851, ports: 4 },
      { id: 'g-b2', kind: 'bench', site: 'g-p1', name: '二号座椅', lat: null, lon: null, ports: null },
    ]);
    for (const d of body.devices) {
      expect(benches.results.find((b) => b.id === d.id)?.token_hash).toBe(await hashToken(d.token));
    }

    const before = await snapshot();
    const again = ImportResult.parse(await (await importGeo(city('g'))).json());
    expect(again).toMatchObject({
      districts: { created: 0, updated: 2 },
      parks: { created: 0, updated: 1 },
      stations: { created: 0, updated: 2 },
      benches: { created: 0, updated: 2 },
      devices: [],
    });
    expect(await snapshot()).toBe(before);
  });

  it('updates changed sites and keeps fields a row leaves out', async () => {
    await importGeo(city('u'));
    await env.DB.prepare("UPDATE stations SET open = 1, open_at = 5, updated_at = 7 WHERE id = 'u-s1'").run();
    const res = await importGeo({
      type: 'FeatureCollection',
      features: [
        feature({ kind: 'station', id: 'u-s1', name: '新名字', district: 'u-d2' }, point(116, 36.5)),
        feature({ kind: 'bench', id: 'u-b1', park: 'u-p1' }),
      ],
    });
    expect(res.status).toBe(200);
    const s = await env.DB.prepare(
      "SELECT name, district, lat, lon, opening_hours, opened_on, open, open_at, updated_at FROM stations WHERE id = 'u-s1'",
    ).first();
    expect(s).toEqual({
      name: '新名字',
      district: 'u-d2',
      lat: 36.5,
      lon: 116,
      opening_hours: 'Mo-Su 06:00-22:00',
      opened_on: '2025-06-01',
      open: 1,
      open_at: 5,
      updated_at: 7,
    });
    const b = await env.DB.prepare("SELECT lat, lon, ports FROM devices WHERE id = 'u-b1'").first();
    expect(b).toEqual({ lat: 36.4564, lon: 115.9851, ports: 4 });
  });

  it('reports every bad feature at its property, and writes nothing', async () => {
    const before = await snapshot();
    const doc = city('bad');
    doc.features[2]!.properties.district = 'nowhere';
    (doc.features[3]!.properties as Record<string, unknown>).opening_hours = 'Mo-Fr 25:00-26:00';
    (doc.features[4]!.properties as Record<string, unknown>).lat = 123;
    doc.features[5]!.properties.ports = 4.5;
    (doc.features[6]!.properties as Record<string, unknown>).kind = 'kiosk';
    doc.features.push(feature({ kind: 'park', id: 'bad id', name: 'x', district: 'bad-d1' }, point(200, 36)));
    const p = await problem(await importGeo(doc));
    expect(p.type).toBe('/problems/validation_failed');
    expect(p.detail).toContain('nothing was imported');
    expect(p.errors?.map((e) => e.pointer)).toEqual([
      '/features/3/properties/opening_hours',
      '/features/4/properties/lat',
      '/features/5/properties/ports',
      '/features/6/properties/kind',
      '/features/7/properties/id',
      '/features/7/geometry/coordinates/0',
    ]);
    expect(p.errors?.[0]?.message).toContain('Mo-Fr 25:00-26:00');
    expect(await snapshot()).toBe(before);

    // With the field errors fixed, the unknown district is found next.
    const fixed = city('bad');
    fixed.features[2]!.properties.district = 'nowhere';
    const q = await problem(await importGeo(fixed));
    expect(q.errors).toEqual([{ in: 'body', pointer: '/features/2/properties/district', message: expect.stringContaining('nowhere') }]);
    expect(await snapshot()).toBe(before);
  });

  it('refuses duplicates within the file, a bench under an unknown park, and a station device posing as a bench', async () => {
    await importGeo(city('r'));
    const dev = await asAdmin('/api/v1/devices', { method: 'POST', json: { id: 'r-ctrl', kind: 'station', site: 'r-s1' } });
    expect(dev.status).toBe(201);
    const before = await snapshot();
    const p = await problem(
      await importGeo({
        type: 'FeatureCollection',
        features: [
          feature({ kind: 'park', id: 'r-p9', name: 'x', district: 'r-d1' }, point(116, 36)),
          feature({ kind: 'park', id: 'r-p9', name: 'y', district: 'r-d1' }, point(116, 36)),
          feature({ kind: 'bench', id: 'r-b9', park: 'r-nopark' }),
          feature({ kind: 'bench', id: 'r-ctrl', park: 'r-p1' }),
        ],
      }),
    );
    expect(p.errors?.map((e) => e.pointer)).toEqual([
      '/features/1/properties/id',
      '/features/2/properties/park',
      '/features/3/properties/id',
    ]);
    expect(p.errors?.[0]?.message).toContain('/features/0');
    expect(await snapshot()).toBe(before);
  });

  it('refuses what is not a FeatureCollection, not JSON, or another content type', async () => {
    expect((await problem(await importGeo({ type: 'Feature' }))).errors?.[0]?.pointer).toBe('/type');
    expect((await problem(await importGeo({ type: 'FeatureCollection', features: [] }))).errors?.[0]?.pointer).toBe('/features');
    const notJson = await asAdmin('/api/v1/import', { method: 'POST', body: '{"type":', headers: { 'content-type': 'application/json' } });
    expect((await problem(notJson)).type).toBe('/problems/bad_request');
    const xml = await asAdmin('/api/v1/import', { method: 'POST', body: '<kml/>', headers: { 'content-type': 'application/xml' } });
    expect((await problem(xml, 415)).type).toBe('/problems/unsupported_media_type');
  });

  it('converts GCJ-02 coordinates (Amap / Tencent) to WGS-84 with crs=gcj02', async () => {
    // The published GCJ-02 reference point in Shanghai and its WGS-84 original.
    const gcj = [121.531541859215, 31.17530398364597];
    const boundary = { type: 'Polygon', coordinates: [[gcj, [121.6, 31.17530398364597], [121.6, 31.3], gcj]] };
    const res = await importGeo(
      {
        type: 'FeatureCollection',
        features: [
          feature({ kind: 'district', id: 'gcj-d', name: '浦东' }, boundary),
          feature({ kind: 'station', id: 'gcj-s', name: '驿站', district: 'gcj-d' }, point(gcj[0]!, gcj[1]!)),
        ],
      },
      '?crs=gcj02',
    );
    expect(res.status).toBe(200);
    const s = await env.DB.prepare("SELECT lat, lon FROM stations WHERE id = 'gcj-s'").first<{ lat: number; lon: number }>();
    expect(s!.lat).toBeCloseTo(31.1774276, 7);
    expect(s!.lon).toBeCloseTo(121.5272106, 7);
    const b = JSON.parse((await env.DB.prepare("SELECT boundary FROM districts WHERE id = 'gcj-d'").first<string>('boundary'))!) as {
      coordinates: number[][][];
    };
    expect(b.coordinates[0]![0]![0]).toBeCloseTo(121.5272106, 7);
    expect(b.coordinates[0]![0]![1]).toBeCloseTo(31.1774276, 7);
    const bad = await problem(await importGeo(city('crs'), '?crs=bd09'));
    expect(bad.errors).toEqual([{ in: 'query', pointer: '/crs', message: 'must be one of wgs84, gcj02' }]);
  });

  it('refuses a body over 10 MiB with 413', async () => {
    const big = 'kind,id,name\n' + 'district,x,'.padEnd(10 * 1024 * 1024, 'x') + '\n';
    const p = await problem(await importCsv(big), 413);
    expect(p.type).toBe('/problems/payload_too_large');
  });

  it('validates but writes nothing with dry_run=true', async () => {
    const before = await snapshot();
    const res = await importGeo(city('dry'), '?dry_run=true');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ dry_run: true, stations: { created: 2, updated: 0 }, devices: [] });
    expect(await snapshot()).toBe(before);
  });

  it('is for admins only', async () => {
    const t = await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'planner', role: 'planner' } });
    const { token } = (await t.json()) as { token: string };
    const res = await call('/api/v1/import', {
      method: 'POST',
      token,
      body: JSON.stringify(city('x')),
      headers: { 'content-type': 'application/geo+json' },
    });
    expect((await problem(res, 403)).type).toBe('/problems/forbidden');
    await problem(await call('/api/v1/import', { method: 'POST', body: 'kind,id', headers: { 'content-type': 'text/csv' } }), 401);
  });

  it('imports thousands of sites in one batch (statements chunked)', async () => {
    const n = 2500;
    const features = [feature({ kind: 'district', id: 'big', name: 'Big' })];
    for (let i = 0; i < n; i++)
      features.push(feature({ kind: 'station', id: `big-s${i}`, name: `驿站 ${i}`, district: 'big' }, point(116 + i / 1e4, 36 + i / 1e4)));
    const res = await importGeo({ type: 'FeatureCollection', features });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stations: { created: n, updated: 0 } });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM stations WHERE district = 'big'").first('n')).toBe(n);
    expect(await env.DB.prepare("SELECT lat FROM stations WHERE id = 'big-s2499'").first('lat')).toBeCloseTo(36.2499, 10);
  });
});

describe('bulk import from CSV', () => {
  const csv = [
    'kind,id,name,district,park,lat,lon,opening_hours,opened_on,ports,remark',
    'district,c-d1,"东昌府区, 聊城",,,,,,,,from GIS',
    'park,c-p1,"印象公园 ""东"" 门",c-d1,,36.4563,115.985,,,,',
    'station,c-s1,人民广场驿站,c-d1,,36.45,115.99,"Mo-Fr 07:00-19:00; Sa,Su 08:00-18:00",2024-09-12,,',
    'bench,c-b1,一号座椅,,c-p1,36.4564,115.9851,,,4,',
    'bench,c-b2,,,c-p1,,,,,,',
  ].join('\r\n');

  it('writes every row with quoted commas, quotes and Chinese names intact', async () => {
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    const body = ImportResult.parse(await res.json());
    expect(body).toMatchObject({
      format: 'csv',
      districts: { created: 1 },
      parks: { created: 1 },
      stations: { created: 1 },
      benches: { created: 2 },
    });
    expect(await env.DB.prepare("SELECT name FROM districts WHERE id = 'c-d1'").first('name')).toBe('东昌府区, 聊城');
    expect(await env.DB.prepare("SELECT name FROM parks WHERE id = 'c-p1'").first('name')).toBe('印象公园 "东" 门');
    expect(await env.DB.prepare("SELECT opening_hours, opened_on FROM stations WHERE id = 'c-s1'").first()).toEqual({
      opening_hours: 'Mo-Fr 07:00-19:00; Sa,Su 08:00-18:00',
      opened_on: '2024-09-12',
    });
    expect(await env.DB.prepare("SELECT site, name, lat, lon, ports FROM devices WHERE id = 'c-b1'").first()).toEqual({
      site: 'c-p1',
      name: '一号座椅',
      lat: 36.4564,
      lon: 115.9851,
      ports: 4,
    });
    const before = await snapshot();
    expect(ImportResult.parse(await (await importCsv(csv)).json()).benches).toEqual({ created: 0, updated: 2 });
    expect(await snapshot()).toBe(before);
  });

  it('points at the file’s line and column of each bad cell, and writes nothing', async () => {
    const before = await snapshot();
    const bad = [
      'kind,id,name,district,park,lat,lon,ports',
      'district,e-d1,"two-line',
      'name",,,,,',
      'park,e-p1,P,e-d1,,north,115.9,',
      '',
      'station,e-s1,S,e-d1,,36.4,,',
      'bench,e-b1,,,e-p1,,,-1',
      'park,e-p2,P2,e-zz,,36.4,115.9,',
    ].join('\n');
    const p = await problem(await importCsv(bad));
    expect(p.errors?.map((e) => e.pointer)).toEqual(['/rows/4/lat', '/rows/6/lon', '/rows/7/ports']);
    expect(p.errors?.[0]?.message).toContain('north');
    expect(await snapshot()).toBe(before);
  });

  it('reads a GBK CSV as saved by a Chinese-locale Excel, with or without a charset', async () => {
    const header = new TextEncoder().encode('kind,id,name\r\ndistrict,gbk-d1,');
    // "东昌府区" in GBK.
    const gbk = new Uint8Array([0xb6, 0xab, 0xb2, 0xfd, 0xb8, 0xae, 0xc7, 0xf8]);
    const body = new Uint8Array([...header, ...gbk, 0x0d, 0x0a]);
    for (const type of ['text/csv', 'text/csv; charset=GBK']) {
      const res = await asAdmin('/api/v1/import', { method: 'POST', body, headers: { 'content-type': type } });
      expect(res.status).toBe(200);
      expect(await env.DB.prepare("SELECT name FROM districts WHERE id = 'gbk-d1'").first('name')).toBe('东昌府区');
    }
    const latin = await asAdmin('/api/v1/import', { method: 'POST', body, headers: { 'content-type': 'text/csv; charset=latin1' } });
    expect((await problem(latin, 415)).detail).toContain('latin1');
    const json = await asAdmin('/api/v1/import', { method: 'POST', body: gbk, headers: { 'content-type': 'application/geo+json' } });
    expect((await problem(json)).detail).toContain('UTF-8');
  });

  it('needs kind and id columns', async () => {
    const p = await problem(await importCsv('name,lat\nx,1'));
    expect(p.errors?.map((e) => e.pointer)).toEqual(['/rows/1/kind', '/rows/1/id']);
  });
});
