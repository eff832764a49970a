import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeatureSplitter, splitFeatures } from '../../worker/domain/coverage/feature-stream.ts';
import { parseWayFeature } from '../../worker/domain/coverage/network-build.ts';
import { parsePopulationCsv, parseUnitFeature, ringCentroid } from '../../worker/domain/coverage/population.ts';

const feature = fc.record({
  type: fc.constant('Feature'),
  properties: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 })),
  geometry: fc.record({
    type: fc.constant('LineString'),
    coordinates: fc.array(fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true })), {
      minLength: 2,
      maxLength: 4,
    }),
  }),
});

describe('the streaming FeatureCollection splitter', () => {
  it('yields exactly the features JSON.parse finds, however the text is cut into pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(feature, fc.jsonValue()), { maxLength: 8 }),
        fc.dictionary(
          fc.string().filter((k) => k !== 'features' && k !== 'type'),
          fc.jsonValue(),
          { maxKeys: 2 },
        ),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (features, extra, pretty, cuts) => {
          const doc = { ...extra, type: 'FeatureCollection', features, crs: { features: [1, 2] } };
          const text = JSON.stringify(doc, null, pretty ? 2 : undefined);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const s = new FeatureSplitter();
          const got: string[] = [];
          let last = 0;
          for (const p of [...points, text.length]) {
            got.push(...s.push(text.slice(last, p)));
            last = p;
          }
          expect(got.map((t) => JSON.parse(t))).toEqual(JSON.parse(text).features);
          const end = s.end();
          expect(end.ok).toBe(true);
          if (end.ok) {
            expect(end.hadFeatures).toBe(true);
            expect(end.envelope).toEqual({ ...JSON.parse(text), features: [] });
          }
        },
      ),
    );
  });

  it('reports broken JSON instead of features', () => {
    expect(splitFeatures('{"type":"FeatureCollection","features":[{"a":1}').end.ok).toBe(false);
    expect(splitFeatures('[1,2]').end.ok).toBe(false);
    expect(splitFeatures('{"type":"FeatureCollection"}').end).toMatchObject({ ok: true, hadFeatures: false });
  });
});

describe('feature validation', () => {
  it('accepts every valid line and points at the first bad coordinate of an invalid one', () => {
    fc.assert(
      fc.property(
        feature,
        fc.nat(),
        fc.constantFrom(0, 1),
        fc.oneof(fc.double({ min: 181, max: 1e6 }), fc.constant(Number.NaN), fc.string()),
        (f, i, axis, bad) => {
          const ok = parseWayFeature(f);
          expect('pointer' in ok).toBe(false);
          const coords = f.geometry.coordinates.map((p) => [...p]) as unknown[][];
          const at = i % coords.length;
          coords[at]![axis] = axis === 1 && typeof bad === 'number' && bad > 90 && bad <= 180 ? bad + 100 : bad;
          const res = parseWayFeature({ ...f, geometry: { ...f.geometry, coordinates: coords } });
          expect(res).toMatchObject({ pointer: `/geometry/coordinates/${at}/${axis}` });
        },
      ),
    );
  });

  it('takes a polygon at its area centroid', () => {
    // An L-shape: two unit squares side by side and one on top of the left one.
    const ring: Array<[number, number]> = [
      [0, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 2],
      [0, 2],
      [0, 0],
    ];
    const [x, y] = ringCentroid(ring);
    expect(x).toBeCloseTo(5 / 6, 12);
    expect(y).toBeCloseTo(5 / 6, 12);
    const u = parseUnitFeature({
      type: 'Feature',
      properties: { population: 3 },
      geometry: { type: 'Polygon', coordinates: [ring.map(([a, b]) => [116 + a * 0.001, 36 + b * 0.001])] },
    });
    expect(u).toMatchObject({ population: 3 });
  });

  it('reads CSV rows whatever the numbers, and rejects each bad one with its row and column', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lon: fc.double({ min: -180, max: 180, noNaN: true }),
            lat: fc.double({ min: -90, max: 90, noNaN: true }),
            pop: fc.double({ min: 0, max: 1e6, noNaN: true }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (rows) => {
          const text = 'lon,lat,population\n' + rows.map((r) => `${r.lon},${r.lat},${r.pop}`).join('\n');
          const res = parsePopulationCsv(text);
          expect(res.ok).toBe(true);
          if (res.ok) {
            expect(Array.from(res.population.lon)).toEqual(rows.map((r) => (r.lon === 0 ? 0 : r.lon)));
            expect(res.total).toBeCloseTo(
              rows.reduce((s, r) => s + r.pop, 0),
              6,
            );
          }
          const broken = text + '\n1,2,-5';
          const bad = parsePopulationCsv(broken);
          expect(bad).toMatchObject({ ok: false, errors: [{ pointer: `/rows/${rows.length}/population` }] });
        },
      ),
    );
  });
});
