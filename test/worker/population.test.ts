import { describe, expect, it } from 'vitest';
import { asAdmin } from './helpers.ts';
import { ProblemSchema } from '../../worker/schemas/common.ts';

const put = (body: string, contentType: string) =>
  asAdmin('/api/v1/population', { method: 'PUT', body, headers: { 'content-type': contentType } });
const point = (lon: number, lat: number, props: Record<string, unknown>) => ({
  type: 'Feature',
  properties: props,
  geometry: { type: 'Point', coordinates: [lon, lat] },
});
const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('PUT /api/v1/population', () => {
  it('takes GeoJSON points and polygons (at their centroid) and sums the population', async () => {
    const square = [
      [116, 36],
      [116.002, 36],
      [116.002, 36.002],
      [116, 36.002],
      [116, 36],
    ];
    const res = await put(
      fc([
        point(116.01, 36.01, { population: 1200, district: 'dongchangfu', name: '柳园小区' }),
        { type: 'Feature', properties: { population: 800.5 }, geometry: { type: 'Polygon', coordinates: [square] } },
      ]),
      'application/geo+json',
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ units: 2, population: 2000.5, districts: ['dongchangfu'] });
    const units = (await (await asAdmin('/api/v1/coverage/units?format=geojson')).json()) as {
      features: Array<{ geometry: { coordinates: number[] }; properties: Record<string, unknown> }>;
    };
    expect(units.features).toHaveLength(2);
    expect(units.features[0]!.properties).toMatchObject({ population: 1200, district: 'dongchangfu', name: '柳园小区' });
    // The square's centroid is its middle.
    expect(units.features[1]!.geometry.coordinates[0]).toBeCloseTo(116.001, 9);
    expect(units.features[1]!.geometry.coordinates[1]).toBeCloseTo(36.001, 9);
    expect(units.features[1]!.properties.district).toBeNull();
  });

  it('takes CSV with the columns in any order, quoted names and no district', async () => {
    const csv = 'name,population,lat,lon\n"Block 7, east",300,36.0,116.0\nBlock 8,0,36.001,116.001\n';
    const res = await put(csv, 'text/csv');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ units: 2, population: 300 });
    const text = await (await asAdmin('/api/v1/coverage/units?format=csv')).text();
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('lon,lat,population,district,name,minutes,level,nearest,access_m');
    expect(lines[1]).toBe('116,36,300,,"Block 7, east",,,,');
  });

  it('refuses a bad unit with errors pointing at it and keeps the previous layer', async () => {
    expect((await put('lon,lat,population,district\n116,36,10,a\n116.001,36.001,20,b\n', 'text/csv')).status).toBe(200);
    const before = await (await asAdmin('/api/v1/population')).json();

    let res = await put(fc([point(116, 36, { population: 5 }), point(116, 36, { population: -1 })]), 'application/json');
    expect(res.status).toBe(400);
    let p = ProblemSchema.parse(await res.json());
    expect(p.errors?.[0]).toMatchObject({ pointer: '/features/1/properties/population', message: 'population must be ≥ 0' });

    res = await put(fc([point(116, 36, {})]), 'application/json');
    expect(ProblemSchema.parse(await res.json()).errors?.[0]?.pointer).toBe('/features/0/properties/population');

    res = await put(
      fc([
        {
          type: 'Feature',
          properties: { population: 1 },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [116, 36],
                [116.1, 36],
                [116.1, 36.1],
                [116, 36.2],
              ],
            ],
          },
        },
      ]),
      'application/json',
    );
    expect(ProblemSchema.parse(await res.json()).errors?.[0]?.pointer).toBe('/features/0/geometry/coordinates/0');

    res = await put(fc([point(116, 95, { population: 1 })]), 'application/json');
    expect(ProblemSchema.parse(await res.json()).errors?.[0]?.pointer).toBe('/features/0/geometry/coordinates/1');

    res = await put('lon,lat,population\n116,36,10\n116,abc,3\n', 'text/csv');
    expect(res.status).toBe(400);
    p = ProblemSchema.parse(await res.json());
    expect(p.errors?.[0]?.pointer).toBe('/rows/1/lat');
    expect(p.errors?.[0]?.message).toContain('line 3');

    res = await put('x,y,pop\n116,36,10\n', 'text/csv');
    expect(res.status).toBe(400);
    expect(ProblemSchema.parse(await res.json()).errors?.[0]?.message).toContain('missing: lon, lat, population');

    expect((await put('<xml/>', 'application/xml')).status).toBe(415);
    expect(await (await asAdmin('/api/v1/population')).json()).toEqual(before);
  });
});
