import { describe, expect, it } from 'vitest';
import geodesicLib from 'geographiclib-geodesic';
import { env } from 'cloudflare:test';
import { forgetCachedPlanning, loadPlanning } from '../../worker/coverage/engine.ts';
import { asAdmin, call } from './helpers.ts';
import { ProblemSchema } from '../../worker/schemas/common.ts';

const line = (coords: number[][], props: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: props,
  geometry: { type: 'LineString', coordinates: coords },
});
const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const put = (body: unknown, contentType = 'application/geo+json') =>
  asAdmin('/api/v1/network', {
    method: 'PUT',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': contentType },
  });

/** WGS-84 geodesic distance, computed here independently of the Worker's edge builder. */
const geodesic = (a: number[], b: number[]) => geodesicLib.Geodesic.WGS84.Inverse(a[1]!, a[0]!, b[1]!, b[0]!).s12!;

describe('PUT /api/v1/network', () => {
  it('joins features where coordinates coincide and measures every segment geodesically', async () => {
    const a = [116.0, 36.0];
    const b = [116.001, 36.0];
    const c = [116.001, 36.001];
    const d = [116.002, 36.002];
    const res = await put(
      fc([
        line([a, b, c]),
        line([c, d]),
        {
          type: 'Feature',
          properties: null,
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [a, c],
              [b, d],
            ],
          },
        },
      ]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { nodes: number; edges: number; excluded: number; length_m: number };
    expect(body.nodes).toBe(4);
    expect(body.edges).toBe(5);
    expect(body.excluded).toBe(0);
    const expected = geodesic(a, b) + geodesic(b, c) + geodesic(c, d) + geodesic(a, c) + geodesic(b, d);
    expect(body.length_m).toBeCloseTo(expected, 1);
  });

  it('leaves out motorways, trunk roads and foot=no ways and counts them as excluded', async () => {
    const res = await put(
      fc([
        line(
          [
            [116, 36],
            [116.001, 36],
          ],
          { highway: 'residential' },
        ),
        line(
          [
            [116, 36],
            [116, 36.001],
          ],
          { highway: 'motorway' },
        ),
        line(
          [
            [116, 36],
            [116.001, 36.001],
          ],
          { highway: 'motorway_link' },
        ),
        line(
          [
            [116.001, 36],
            [116.002, 36],
          ],
          { highway: 'trunk' },
        ),
        line(
          [
            [116.001, 36],
            [116.001, 36.002],
          ],
          { highway: 'footway', foot: 'no' },
        ),
        line(
          [
            [116.001, 36],
            [116.003, 36.002],
          ],
          { highway: 'primary', foot: 'yes' },
        ),
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ nodes: 3, edges: 2, excluded: 4, features: 6 });
  });

  it('refuses a bad feature with a 400 problem pointing into it, and keeps the previous network', async () => {
    const good = await put(
      fc([
        line([
          [116, 36],
          [116.001, 36],
        ]),
        line([
          [116.001, 36],
          [116.002, 36],
        ]),
      ]),
    );
    expect(good.status).toBe(200);
    const before = await (await asAdmin('/api/v1/network')).json();

    const cases: Array<[unknown, string, RegExp]> = [
      [
        line([
          [116, 36],
          [200, 36],
        ]),
        '/features/1/geometry/coordinates/1/0',
        /longitude/,
      ],
      [line([[116, 36]]), '/features/1/geometry/coordinates', /at least two/],
      [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [116, 36] } }, '/features/1/geometry/type', /LineString/],
      [
        line([
          [116, 36],
          [116.1, 'x' as unknown as number],
        ]),
        '/features/1/geometry/coordinates/1/1',
        /latitude/,
      ],
      [
        {
          type: 'Feature',
          properties: { highway: 7 },
          geometry: {
            type: 'LineString',
            coordinates: [
              [116, 36],
              [116.1, 36],
            ],
          },
        },
        '/features/1/properties/highway',
        /string/,
      ],
    ];
    for (const [bad, pointer, message] of cases) {
      const res = await put(
        fc([
          line([
            [116, 36],
            [116.5, 36.5],
          ]),
          bad,
          line([
            [116, 36],
            [116.6, 36.6],
          ]),
        ]),
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const p = ProblemSchema.parse(await res.json());
      expect(p.type).toBe('/problems/validation_failed');
      expect(p.errors?.[0]?.pointer).toBe(pointer);
      expect(p.errors?.[0]?.message).toMatch(message);
      expect(p.detail).toContain('nothing was replaced');
    }
    expect(await (await asAdmin('/api/v1/network')).json()).toEqual(before);
  });

  it('lists every bad feature, not only the first', async () => {
    const res = await put(
      fc([
        line([
          [116, 36],
          [181, 36],
        ]),
        line([
          [116, 36],
          [116.1, 36],
        ]),
        line([
          [116, 91],
          [116.1, 36],
        ]),
      ]),
    );
    expect(res.status).toBe(400);
    const p = ProblemSchema.parse(await res.json());
    expect(p.errors?.map((e) => e.pointer)).toEqual(['/features/0/geometry/coordinates/1/0', '/features/2/geometry/coordinates/0/1']);
  });

  it('refuses what is not a FeatureCollection, broken JSON and other content types', async () => {
    let res = await put({ type: 'Feature', features: [] });
    expect(res.status).toBe(400);
    expect(ProblemSchema.parse(await res.json()).errors?.[0]?.pointer).toBe('/type');
    res = await put('{"type":"FeatureCollection","features":[{"type":"Feature"');
    expect(res.status).toBe(400);
    res = await put('{"type":"FeatureCollection","features":[{"type":"Feature",}]}');
    expect(res.status).toBe(400);
    expect(ProblemSchema.parse(await res.json()).errors?.[0]?.pointer).toBe('/features/0');
    // An empty collection is no bad feature: it replaces the network by none (see contract-audit-planning).
    res = await put(fc([]));
    expect(res.status).toBe(200);
    res = await put('a,b\n1,2', 'text/csv');
    expect(res.status).toBe(415);
  });

  it('needs a planner or admin token', async () => {
    expect((await call('/api/v1/network', { method: 'PUT', json: fc([]) })).status).toBe(401);
    const staff = (await (await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'crew', role: 'staff' } })).json()) as {
      token: string;
    };
    expect((await call('/api/v1/network', { method: 'PUT', json: fc([]), token: staff.token })).status).toBe(403);
    const planner = (await (
      await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'planning office', role: 'planner' } })
    ).json()) as { token: string };
    const res = await call('/api/v1/network', {
      method: 'PUT',
      json: fc([
        line([
          [116, 36],
          [116.001, 36],
        ]),
      ]),
      token: planner.token,
    });
    expect(res.status).toBe(200);
  });

  it('stores a network larger than one D1 row and reads it back whole', async () => {
    // 150 × 150 grid: ~45 000 edges, several 1 MB chunks.
    const n = 150;
    const features: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const row: number[][] = [];
      const col: number[][] = [];
      for (let j = 0; j < n; j++) {
        row.push([116 + j * 0.001, 36 + i * 0.001]);
        col.push([116 + i * 0.001, 36 + j * 0.001]);
      }
      features.push(line(row), line(col));
    }
    const res = await put(fc(features));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ nodes: n * n, edges: 2 * n * (n - 1) });
    const info = await env.DB.prepare("SELECT bytes, chunks FROM planning_layers WHERE layer = 'network'").first<{
      bytes: number;
      chunks: number;
    }>();
    expect(info!.chunks).toBeGreaterThan(1);
    const inMemory = await loadPlanning(env.DB);
    forgetCachedPlanning();
    const fromD1 = await loadPlanning(env.DB);
    expect(fromD1.network).not.toBe(inMemory.network);
    for (const k of ['nodeLon', 'nodeLat', 'edgeU', 'edgeV', 'edgeLen', 'offsets', 'adjNode', 'adjEdge'] as const) {
      expect(Array.from(fromD1.network!.network[k])).toEqual(Array.from(inMemory.network!.network[k]));
    }
  });
});

describe('chunked network upload', () => {
  const grid = (n: number, from = 0) => {
    const out: unknown[] = [];
    for (let i = from; i < n; i++)
      out.push(
        line([
          [116 + i * 0.001, 36],
          [116 + i * 0.001, 36.001],
          [116 + (i + 1) * 0.001, 36.001],
        ]),
      );
    return out;
  };
  const open = async () => ((await (await asAdmin('/api/v1/network/uploads', { method: 'POST' })).json()) as { id: string }).id;
  const part = (id: string, n: number, first: number, features: unknown[]) =>
    asAdmin(`/api/v1/network/uploads/${id}/parts/${n}?first=${first}`, {
      method: 'PUT',
      body: JSON.stringify(fc(features)),
      headers: { 'content-type': 'application/geo+json' },
    });

  it('builds the same network from parts as from one PUT, and only at commit', async () => {
    const whole = (await (
      await put(
        fc([
          ...grid(30),
          line(
            [
              [116, 36],
              [116, 36.01],
            ],
            { highway: 'trunk' },
          ),
        ]),
      )
    ).json()) as Record<string, unknown>;
    expect(
      (
        await put(
          fc([
            line([
              [117, 37],
              [117.001, 37],
            ]),
          ]),
        )
      ).status,
    ).toBe(200);
    const id = await open();
    expect((await part(id, 0, 0, grid(12))).status).toBe(200);
    const p1 = await part(id, 1, 12, [
      ...grid(30, 12),
      line(
        [
          [116, 36],
          [116, 36.01],
        ],
        { highway: 'trunk' },
      ),
    ]);
    expect(await p1.json()).toEqual({ part: 1, first: 12, features: 19, excluded: 1 });
    expect(((await (await asAdmin('/api/v1/network')).json()) as { edges: number }).edges).toBe(1); // not replaced yet
    const res = await asAdmin(`/api/v1/network/uploads/${id}/commit`, { method: 'POST' });
    expect(res.status).toBe(200);
    const committed = (await res.json()) as Record<string, unknown>;
    for (const k of ['nodes', 'edges', 'excluded', 'features', 'length_m']) expect(committed[k], k).toEqual(whole[k]);
    expect((await asAdmin(`/api/v1/network/uploads/${id}/commit`, { method: 'POST' })).status).toBe(404);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM planning_chunks WHERE layer LIKE 'upload:%'").first<{ n: number }>();
    expect(left!.n).toBe(0);
  });

  it('points a bad feature at its index in the whole collection, and refuses parts that do not line up', async () => {
    const id = await open();
    const res = await part(id, 1, 40, [
      line([
        [116, 36],
        [116.001, 36],
      ]),
      line([
        [116, 36],
        [190, 36],
      ]),
    ]);
    expect(res.status).toBe(400);
    expect(ProblemSchema.parse(await res.json()).errors?.[0]?.pointer).toBe('/features/41/geometry/coordinates/1/0');
    expect((await part(id, 0, 0, grid(10))).status).toBe(200);
    expect((await part(id, 2, 11, grid(3))).status).toBe(200);
    const commit = await asAdmin(`/api/v1/network/uploads/${id}/commit`, { method: 'POST' });
    expect(commit.status).toBe(409);
    expect(ProblemSchema.parse(await commit.json()).detail).toContain('part 2 starts at feature 11');
    expect((await part(id, 9, 0, grid(1))).status).toBe(200);
    expect(
      (
        await asAdmin(`/api/v1/network/uploads/${crypto.randomUUID()}/parts/0?first=0`, {
          method: 'PUT',
          body: JSON.stringify(fc(grid(1))),
          headers: { 'content-type': 'application/geo+json' },
        })
      ).status,
    ).toBe(404);
    expect((await asAdmin(`/api/v1/network/uploads/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await asAdmin(`/api/v1/network/uploads/${id}/commit`, { method: 'POST' })).status).toBe(404);
  });
});
