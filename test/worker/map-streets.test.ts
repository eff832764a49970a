import { describe, expect, it } from 'vitest';
import { MapBase } from '../../worker/schemas/dashboard.ts';
import { asAdmin } from './helpers.ts';

const line = (coords: number[][], props: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: props,
  geometry: { type: 'LineString', coordinates: coords },
});

async function base() {
  const res = await asAdmin('/api/v1/dashboard/map');
  expect(res.status).toBe(200);
  return MapBase.parse(await res.json());
}

describe('the base map draws the streets of the walking network', () => {
  it('has no streets before a network is loaded, then one segment per walkable edge', async () => {
    expect((await base()).streets).toEqual([]);
    const network = {
      type: 'FeatureCollection',
      features: [
        line(
          [
            [115.98, 36.45],
            [115.981, 36.45],
            [115.981, 36.451],
          ],
          { highway: 'residential' },
        ),
        line(
          [
            [115.981, 36.451],
            [115.982, 36.452],
          ],
          { highway: 'footway' },
        ),
        line(
          [
            [115.97, 36.44],
            [115.99, 36.44],
          ],
          { highway: 'motorway' },
        ), // not walkable: not drawn
      ],
    };
    expect((await asAdmin('/api/v1/network', { method: 'PUT', json: network })).status).toBe(200);
    const streets = (await base()).streets;
    const key = (s: number[]) => {
      const [a, b] = [`${s[0]},${s[1]}`, `${s[2]},${s[3]}`].sort();
      return `${a}|${b}`;
    };
    expect(streets.map(key).sort()).toEqual(
      [
        [115.98, 36.45, 115.981, 36.45],
        [115.981, 36.45, 115.981, 36.451],
        [115.981, 36.451, 115.982, 36.452],
      ]
        .map(key)
        .sort(),
    );
  });
});
