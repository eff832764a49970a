import { describe, expect, it } from 'vitest';
import { Coverage } from '../../worker/schemas/planning.ts';
import { call } from './helpers.ts';
import { asAdmin } from './helpers.ts';
import { createDevice, createDistrict, createPark } from './fixtures.ts';

/** Planning endpoints read against the letter of the CONTRACT. */

const line = (coords: number[][], props: Record<string, unknown>) => ({
  type: 'Feature',
  properties: props,
  geometry: { type: 'LineString', coordinates: coords },
});

async function coverage(query: string): Promise<Coverage> {
  const res = await asAdmin(`/api/v1/coverage${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return Coverage.parse(await res.json());
}

describe('PUT /api/v1/network', () => {
  it('answers 200 with zero edges when every feature is excluded, and coverage falls back to straight lines', async () => {
    const walkable = {
      type: 'FeatureCollection',
      features: [
        line(
          [
            [116, 36],
            [116.01, 36],
          ],
          { highway: 'residential' },
        ),
      ],
    };
    expect((await asAdmin('/api/v1/network', { method: 'PUT', json: walkable })).status).toBe(200);
    expect((await coverage('?levels=15')).method).toBe('network');

    const motorways = {
      type: 'FeatureCollection',
      features: [
        line(
          [
            [116, 36],
            [116.01, 36],
          ],
          { highway: 'motorway' },
        ),
        line(
          [
            [116, 36.01],
            [116.01, 36.01],
          ],
          { highway: 'footway', foot: 'no' },
        ),
      ],
    };
    const res = await asAdmin('/api/v1/network', { method: 'PUT', json: motorways });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ nodes: 0, edges: 0, excluded: 2 });
    expect((await coverage('?levels=15')).method).toBe('straight_line');

    const empty = await asAdmin('/api/v1/network', { method: 'PUT', json: { type: 'FeatureCollection', features: [] } });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ nodes: 0, edges: 0, excluded: 0 });
  });
});

describe('GET /api/v1/coverage', () => {
  it('with item and live=true counts benches by their own rule (charge and a free port), stations by the item', async () => {
    await createDistrict('cov-d', 'D');
    await createPark('cov-park', 'cov-d', 36.3, 116.3);
    const token = await createDevice('cov-bench', 'bench', 'cov-park', { ports: 2 });
    const status = await call('/api/v1/telemetry', {
      method: 'POST',
      token,
      json: { messages: [{ seq: 1, ts: Date.now() - 60_000, type: 'status', battery_soc: 80, ports_in_use: 0 }] },
    });
    expect(status.status).toBe(200);
    // One unit 100 m from the bench, no station anywhere near.
    const csv = 'lon,lat,population,district\n116.3,36.3009,250,cov-d';
    expect((await asAdmin('/api/v1/population', { method: 'PUT', body: csv, headers: { 'content-type': 'text/csv' } })).status).toBe(200);

    const all = await coverage('?levels=15&kind=all&item=water&live=true');
    expect(all.levels[0]).toMatchObject({ minutes: 15, covered: 250 });
    const stations = await coverage('?levels=15&kind=station&item=water&live=true');
    expect(stations.levels[0]).toMatchObject({ covered: 0 });
  });

  it('takes levels above two hours (the contract sets no upper bound)', async () => {
    const c = await coverage('?levels=15,180');
    expect(c.levels.map((l) => l.minutes)).toEqual([15, 180]);
  });
});
