import fc from 'fast-check';
import Graph from 'graphology';
import { dijkstra } from 'graphology-shortest-path';
import { describe, expect, it } from 'vitest';
import { NetworkBuilder } from '../../worker/domain/coverage/network-build.ts';
import type { Network } from '../../worker/domain/coverage/network.ts';
import { EdgeIndex, snapBrute } from '../../worker/domain/coverage/snap.ts';
import { straightLineMetres } from '../../worker/domain/nearest.ts';
import { rankNearby } from '../../worker/domain/nearby/rank.ts';
import { SiteIndex, type SitePoint } from '../../worker/domain/nearby/site-index.ts';

/**
 * The bounded nearby search against graphology as an independent oracle: the network with the
 * origin and every site as nodes of their own (joined by their access legs to points splitting
 * their edges, nearest edges found by scanning all), one full single-source Dijkstra from the
 * origin, every site's distance summed along graphology's path.
 */
function oracle(g: Network, origin: [number, number], sites: Array<[number, number]>): number[] {
  const graph = new Graph({ type: 'undirected', multi: false });
  const link = (a: string, b: string, w: number) => {
    if (!graph.hasNode(a)) graph.addNode(a);
    if (!graph.hasNode(b)) graph.addNode(b);
    const e = graph.edge(a, b);
    if (e === undefined) graph.addEdge(a, b, { w });
    else if (graph.getEdgeAttribute(e, 'w') > w) graph.setEdgeAttribute(e, 'w', w);
  };
  const splits = new Map<number, Array<{ t: number; node: string }>>();
  const place = (name: string, [lon, lat]: [number, number]) => {
    graph.addNode(name);
    const s = snapBrute(g, lon, lat)!;
    link(name, `${name}@`, s.leg);
    let l = splits.get(s.edge);
    if (!l) splits.set(s.edge, (l = []));
    l.push({ t: s.t, node: `${name}@` });
  };
  place('origin', origin);
  sites.forEach((p, i) => place(`site${i}`, p));
  for (let e = 0; e < g.edgeU.length; e++) {
    if (g.edgeU[e] === g.edgeV[e]) continue;
    const len = g.edgeLen[e]!;
    const chain = [{ t: 0, node: `n${g.edgeU[e]}` }, ...(splits.get(e) ?? []).sort((a, b) => a.t - b.t), { t: 1, node: `n${g.edgeV[e]}` }];
    for (let i = 0; i + 1 < chain.length; i++)
      if (chain[i]!.node !== chain[i + 1]!.node) link(chain[i]!.node, chain[i + 1]!.node, (chain[i + 1]!.t - chain[i]!.t) * len);
  }
  const paths = dijkstra.singleSource(graph, 'origin', 'w');
  return sites.map((_, i) => {
    const path = paths[`site${i}`];
    if (!path) return Infinity;
    let sum = 0;
    for (let k = 0; k + 1 < path.length; k++) sum += graph.getEdgeAttribute(graph.edge(path[k]!, path[k + 1]!)!, 'w') as number;
    return sum;
  });
}

const pos = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }));
const toLonLat = ([x, y]: [number, number]): [number, number] => [116 + x * 0.02, 36 + y * 0.02];

function build(nodes: Array<[number, number]>, edges: Array<[number, number]>): Network {
  const b = new NetworkBuilder();
  for (const [a, c] of edges) b.add({ excluded: false, lines: [[nodes[a % nodes.length]!, nodes[c % nodes.length]!]] });
  return b.finish();
}

async function ours(g: Network, origin: [number, number], sites: Array<[number, number]>, limit: number) {
  const points: SitePoint[] = sites.map(([lon, lat], i) => ({ id: `site${i}`, lon, lat }));
  return rankNearby<SitePoint, true>({
    sites: new SiteIndex(points),
    network: { g, index: new EdgeIndex(g) },
    origin: { lon: origin[0], lat: origin[1] },
    limit,
    maxMetres: 1e7,
    route: true,
    serving: async (list) => new Map(list.map((s) => [s.id, true as const])),
  });
}

describe('nearby walking search', () => {
  it('finds the same fastest sites at the same distances as a full graphology search, on random networks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          nodes: fc.array(pos, { minLength: 2, maxLength: 14 }),
          edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 24 }),
          sites: fc.array(pos, { minLength: 1, maxLength: 10 }),
          origin: pos,
          limit: fc.integer({ min: 1, max: 5 }),
        }),
        async (s) => {
          const g = build(s.nodes.map(toLonLat), s.edges);
          if (g.edgeU.length === 0) return;
          const sites = s.sites.map(toLonLat);
          const origin = toLonLat(s.origin);
          const ref = oracle(g, origin, sites);
          const got = await ours(g, origin, sites, s.limit);
          expect(got.method).toBe('network');
          const expected = ref
            .map((d, i) => ({ i, d }))
            .filter((x) => Number.isFinite(x.d))
            .sort((a, b) => a.d - b.d)
            .slice(0, s.limit);
          expect(got.results.length).toBe(expected.length);
          got.results.forEach((r, k) => {
            // Ties may come in either order: compare distances rank by rank, and each site's own.
            expect(Math.abs(r.walk_m - expected[k]!.d)).toBeLessThan(1e-6 * Math.max(1, r.walk_m));
            expect(Math.abs(r.walk_m - ref[Number(r.site.id.slice(4))]!)).toBeLessThan(1e-6 * Math.max(1, r.walk_m));
            expect(r.walk_m).toBeGreaterThanOrEqual(r.straight_m * 0.995 - 1e-3);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('on a city grid cut by a river it ranks by the walk, not the straight line, and looks at a fraction of the sites', async () => {
    // 40 × 40 streets about 111 m apart; a river between rows 19 and 20 crossed only at column 35.
    const N = 40;
    const nodes: Array<[number, number]> = [];
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) nodes.push([116 + j * 0.00124, 36 + i * 0.001]);
    const edges: Array<[number, number]> = [];
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) {
        if (j + 1 < N) edges.push([i * N + j, i * N + j + 1]);
        if (i + 1 < N && (i !== 19 || j === 35)) edges.push([i * N + j, (i + 1) * N + j]);
      }
    const g = build(nodes, edges);
    const sites: Array<[number, number]> = [];
    for (let i = 0; i < N; i += 3) for (let j = 0; j < N; j += 3) sites.push([116 + j * 0.00124 + 0.0003, 36 + i * 0.001 + 0.0002]);
    const origin: [number, number] = [116 + 5 * 0.00124, 36 + 19 * 0.001]; // on the south bank, far from the bridge
    const ref = oracle(g, origin, sites);
    const got = await ours(g, origin, sites, 5);
    const expected = ref
      .map((d, i) => ({ i, d }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 5);
    expect(got.results.map((r) => r.walk_m)).toEqual(expected.map((e) => expect.closeTo(e.d, 6)));
    // The straight-line nearest site is across the river: never first by the walk.
    const straight = sites.map(([lon, lat], i) => ({ i, d: straightLineMetres(origin[1], origin[0], lat, lon) })).sort((a, b) => a.d - b.d);
    const acrossRiver = straight.find((s) => sites[s.i]![1] > 36 + 19.5 * 0.001)!;
    expect(got.results.map((r) => r.site.id)).not.toContain(`site${acrossRiver.i}`);
    expect(got.examined).toBeLessThan(sites.length / 2);
    // The drawn line starts at the origin and ends at the site, and is as long as the walk.
    const r0 = got.results[0]!;
    let len = 0;
    for (let k = 0; k + 1 < r0.route!.length; k++)
      len += straightLineMetres(r0.route![k]![1], r0.route![k]![0], r0.route![k + 1]![1], r0.route![k + 1]![0]);
    expect(r0.route![0]).toEqual(origin);
    expect(len).toBeGreaterThan(r0.walk_m * 0.99);
    expect(len).toBeLessThan(r0.walk_m * 1.01);
  });
});
