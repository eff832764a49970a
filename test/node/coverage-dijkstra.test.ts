import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkCoverage, snapAmenities, snapUnits, unitNearest, whatIfState } from '../../worker/domain/coverage/compute.ts';
import { NetworkBuilder } from '../../worker/domain/coverage/network-build.ts';
import { PopulationBuilder } from '../../worker/domain/coverage/population.ts';
import { EdgeIndex, snapBrute } from '../../worker/domain/coverage/snap.ts';
import { referenceMatrix, referenceMetres } from './coverage-reference.ts';

const pos = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }));
const toLonLat = ([x, y]: [number, number]): [number, number] => [116 + x * 0.02, 36 + y * 0.02];

/** A random graph: some points joined by random segments, possibly in several components. */
const scenario = fc.record({
  nodes: fc.array(pos, { minLength: 2, maxLength: 16 }),
  edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 24 }),
  amenities: fc.array(pos, { minLength: 1, maxLength: 4 }),
  units: fc.array(pos, { minLength: 1, maxLength: 12 }),
});

function build(s: { nodes: [number, number][]; edges: [number, number][] }) {
  const b = new NetworkBuilder();
  const n = s.nodes.map(toLonLat);
  for (const [a, c] of s.edges) b.add({ excluded: false, lines: [[n[a % n.length]!, n[c % n.length]!]] });
  return b.finish();
}

type Scenario = { nodes: [number, number][]; edges: [number, number][]; amenities: [number, number][]; units: [number, number][] };

/** The scenario's graph with its edge index, units and amenities placed and snapped; null when no edge was built. */
function place(s: Scenario) {
  const g = build(s);
  if (g.edgeU.length === 0) return null;
  const index = new EdgeIndex(g);
  const pb = new PopulationBuilder();
  const units = s.units.map(toLonLat);
  for (const [lon, lat] of units) pb.add({ lon, lat, population: 1, district: null, name: null });
  const amenities = s.amenities.map(toLonLat);
  const sites = amenities.map(([lon, lat], i) => ({ id: `a${i}`, kind: 'station' as const, lon, lat }));
  return { g, index, units, amenities, snaps: snapUnits(index, pb.finish()), sources: snapAmenities(index, sites) };
}

/** Checks `check` on random scenarios that build at least one edge, with the amenities' coverage computed. */
function onScenarios(
  check: (p: NonNullable<ReturnType<typeof place>>, state: ReturnType<typeof networkCoverage>) => void,
  numRuns: number,
) {
  fc.assert(
    fc.property(scenario, (s) => {
      const placed = place(s);
      if (placed) check(placed, networkCoverage(placed.g, placed.snaps, placed.sources));
    }),
    { numRuns },
  );
}

describe('multi-source walking distances', () => {
  it('equal the minimum of single-source searches from each amenity on a split graph, for random networks', () => {
    onScenarios(({ g, units, amenities }, state) => {
      const ref = referenceMetres(g, amenities, units);
      ref.forEach((r, i) => {
        const got = state.metres[i]!;
        if (!Number.isFinite(r)) expect(got).toBe(Infinity);
        else expect(Math.abs(got - r)).toBeLessThan(1e-6 * Math.max(1, r));
      });
    }, 300);
  });

  it('names for each unit an amenity that is really that near, by its own single-source search', () => {
    onScenarios(({ g, units, amenities, snaps }, state) => {
      const nearest = unitNearest(g, state, snaps);
      const matrix = referenceMatrix(g, amenities, units);
      nearest.forEach((a, i) => {
        if (!Number.isFinite(state.metres[i]!)) expect(a).toBe(-1);
        else expect(Math.abs(matrix[a]![i]! - state.metres[i]!)).toBeLessThan(1e-6 * Math.max(1, state.metres[i]!));
      });
    }, 300);
  });

  it('finds the same nearest edge through the spatial index as by scanning every edge', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const g = build(s);
        if (g.edgeU.length === 0) return;
        const index = new EdgeIndex(g);
        for (const p of s.units.map(toLonLat)) {
          const a = index.snap(p[0], p[1])!;
          const b = snapBrute(g, p[0], p[1])!;
          expect(a.leg).toBeCloseTo(b.leg, 9);
          expect(a.edge).toBe(b.edge);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('adding a site with the bounded search gives the same distances within the bound as recomputing', () => {
    fc.assert(
      fc.property(scenario, pos, (s, extra) => {
        const placed = place(s);
        if (!placed) return;
        const { g, index, snaps, sources } = placed;
        const base = networkCoverage(g, snaps, sources);
        const [ex, ey] = toLonLat(extra);
        const added = snapAmenities(index, [{ id: 'new', kind: 'station', lon: ex, lat: ey }]);
        const bound = 1125;
        const fast = whatIfState(g, snaps, base, new Set(), added, bound);
        const full = networkCoverage(g, snaps, sources.concat(added));
        full.metres.forEach((m, i) => {
          if (m <= bound) expect(Math.abs(fast.metres[i]! - m)).toBeLessThan(1e-6);
          else expect(fast.metres[i]! > bound - 1e-6).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });
});
