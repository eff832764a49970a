import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, createStation } from './fixtures.ts';
import { asAdmin } from './helpers.ts';

/** GET /api/v1/coverage/units?format=csv writes names a planner's file brought in, so it must open inert in a spreadsheet. */
const LINK = '=HYPERLINK("http://attacker.example/","details")';
const street = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { highway: 'residential' },
      geometry: {
        type: 'LineString',
        coordinates: [
          [116.0, 36.0],
          [116.01, 36.0],
        ],
      },
    },
  ],
};
const units = Papa.unparse({
  fields: ['lon', 'lat', 'population', 'district', 'name'],
  data: [
    [116.002, 36.0, 40, 'south', LINK],
    [116.008, 36.0, 60, 'south', '-block 7'],
  ],
});

beforeAll(async () => {
  await createDistrict('south', '南岸');
  await createStation('st-w', 'south', { lon: 116.0, lat: 36.0 });
  expect((await asAdmin('/api/v1/network', { method: 'PUT', json: street })).status).toBe(200);
  expect((await asAdmin('/api/v1/population', { method: 'PUT', body: units, headers: { 'content-type': 'text/csv' } })).status).toBe(200);
});

describe('the coverage units CSV', () => {
  it('exports a unit named =HYPERLINK(...) as quoted text, and its numbers as numbers', async () => {
    const res = await asAdmin('/api/v1/coverage/units?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await res.text();
    const [head, ...rows] = Papa.parse<string[]>(text.trimEnd()).data;
    expect(head).toEqual(['lon', 'lat', 'population', 'district', 'name', 'minutes', 'level', 'nearest', 'access_m']);
    const byName = new Map(rows.map((r) => [r[4], r]));
    expect([...byName.keys()].sort()).toEqual([`'-block 7`, `'${LINK}`]);
    const linked = byName.get(`'${LINK}`)!;
    expect(linked.slice(0, 4)).toEqual(['116.002', '36', '40', 'south']);
    expect(linked[7]).toBe('st-w');
    expect(text).toContain(`"'=HYPERLINK(""http://attacker.example/"",""details"")"`);
  });
});
