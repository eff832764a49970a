import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCovered } from '../../worker/domain/coverage/aggregate.ts';
import { networkCoverage, snapAmenities, snapUnits } from '../../worker/domain/coverage/compute.ts';
import { NetworkBuilder } from '../../worker/domain/coverage/network-build.ts';
import { PopulationBuilder } from '../../worker/domain/coverage/population.ts';
import { exhaustiveMaxCover, greedyMaxCover, newlyCovered, unitsByEdge } from '../../worker/domain/coverage/siting.ts';
import { EdgeIndex } from '../../worker/domain/coverage/snap.ts';

const instance = (maxSets: number) =>
  fc
    .record({
      units: fc.integer({ min: 1, max: 10 }),
      sets: fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: 1, maxLength: maxSets }),
      weights: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 10, maxLength: 10 }),
    })
    .map(({ units, sets, weights }) => ({
      covers: sets.map((s) => Int32Array.from(new Set(s.map((u) => u % units)))),
      weight: Float64Array.from(weights.slice(0, units)),
    }));

const total = (covers: Int32Array[], weight: Float64Array, picks: number[]) => {
  const s = new Set<number>();
  for (const c of picks) for (const u of covers[c]!) s.add(u);
  let w = 0;
  for (const u of s) w += weight[u]!;
  return w;
};

describe('greedy maximal covering', () => {
  it('equals the exhaustive optimum for one site', () => {
    fc.assert(
      fc.property(instance(8), ({ covers, weight }) => {
        const g = greedyMaxCover(covers, weight, 1);
        expect(g.at(-1)?.cumulative ?? 0).toBe(exhaustiveMaxCover(covers, weight, 1).best);
      }),
    );
  });

  it('equals the exhaustive optimum when the candidates cover disjoint sets (greedy is then optimal)', () => {
    fc.assert(
      fc.property(instance(7), fc.integer({ min: 1, max: 4 }), ({ covers, weight }, k) => {
        const seen = new Set<number>();
        const disjoint = covers.map((c) => Int32Array.from([...c].filter((u) => !seen.has(u) && (seen.add(u), true))));
        const g = greedyMaxCover(disjoint, weight, k);
        expect(g.at(-1)?.cumulative ?? 0).toBe(exhaustiveMaxCover(disjoint, weight, k).best);
      }),
    );
  });

  it('reaches at least (1 − 1/e) of the optimum, reports true marginal gains, and honours a spacing rule', () => {
    fc.assert(
      fc.property(instance(7), fc.integer({ min: 1, max: 4 }), ({ covers, weight }, k) => {
        const g = greedyMaxCover(covers, weight, k);
        const best = exhaustiveMaxCover(covers, weight, k).best;
        const got = g.at(-1)?.cumulative ?? 0;
        expect(got).toBeGreaterThanOrEqual((1 - 1 / Math.E) * best - 1e-9);
        expect(got).toBe(
          total(
            covers,
            weight,
            g.map((p) => p.candidate),
          ),
        );
        g.forEach((p, i) =>
          expect(p.marginal).toBe(
            total(
              covers,
              weight,
              g.slice(0, i + 1).map((q) => q.candidate),
            ) -
              total(
                covers,
                weight,
                g.slice(0, i).map((q) => q.candidate),
              ),
          ),
        );
        // A conflict rule: candidates with neighbouring indices exclude each other.
        const allowed = (c: number, picked: number[]) => picked.every((q) => Math.abs(q - c) > 1);
        const spaced = greedyMaxCover(covers, weight, k, allowed).map((p) => p.candidate);
        for (const a of spaced) for (const b of spaced) if (a !== b) expect(Math.abs(a - b)).toBeGreaterThan(1);
      }),
    );
  });
});

describe('what one new site would newly cover', () => {
  const pos = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }));
  const ll = ([x, y]: [number, number]): [number, number] => [116 + x * 0.03, 36 + y * 0.03];

  it('is exactly the units that recomputing with the site added moves within the level', () => {
    fc.assert(
      fc.property(
        fc.array(pos, { minLength: 2, maxLength: 14 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 22 }),
        fc.array(pos, { minLength: 0, maxLength: 3 }),
        fc.array(pos, { minLength: 1, maxLength: 12 }),
        pos,
        (nodes, edges, amen, units, site) => {
          const b = new NetworkBuilder();
          const n = nodes.map(ll);
          for (const [a, c] of edges) b.add({ excluded: false, lines: [[n[a % n.length]!, n[c % n.length]!]] });
          const g = b.finish();
          if (g.edgeU.length === 0) return;
          const index = new EdgeIndex(g);
          const pb = new PopulationBuilder();
          for (const [lon, lat] of units.map(ll)) pb.add({ lon, lat, population: 1, district: null, name: null });
          const snaps = snapUnits(index, pb.finish());
          const sources = snapAmenities(
            index,
            amen.map(ll).map(([lon, lat], i) => ({ id: String(i), kind: 'station' as const, lon, lat })),
          );
          const base = networkCoverage(g, snaps, sources);
          const [slon, slat] = ll(site);
          const s = index.snap(slon, slat)!;
          const speed = 75;
          const scratch = new Float64Array(g.nodeLon.length).fill(Infinity);
          const got = [...newlyCovered(g, snaps, unitsByEdge(g.edgeU.length, snaps), base.metres, s, 15, speed, scratch)].sort(
            (x, y) => x - y,
          );
          expect(scratch.every((d) => d === Infinity)).toBe(true);
          const after = networkCoverage(g, snaps, [...sources, s]);
          const want: number[] = [];
          after.metres.forEach((m, i) => {
            if (isCovered(m, 15, speed) && !isCovered(base.metres[i]!, 15, speed)) want.push(i);
          });
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });
});
