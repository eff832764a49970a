import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, outOfChina, toWgs84, wgs84ToGcj02 } from '../../worker/domain/china-crs.ts';
import { straightLineMetres } from '../../worker/domain/nearest.ts';

// Published reference points of the GCJ-02 transform (the eviltransform project's test vectors).
const VECTORS: Array<[number, number, number, number]> = [
  [31.1774276, 121.5272106, 31.17530398364597, 121.531541859215], // Shanghai
  [22.543847, 113.912316, 22.540796131694766, 113.9171764808363], // Shenzhen
  [39.911954, 116.377817, 39.91334545536069, 116.38404722455657], // Beijing
];

describe('Chinese map datums', () => {
  it('matches the published GCJ-02 reference points both ways', () => {
    for (const [wLat, wLon, gLat, gLon] of VECTORS) {
      const g = wgs84ToGcj02(wLat, wLon);
      expect(g.lat).toBeCloseTo(gLat, 9);
      expect(g.lon).toBeCloseTo(gLon, 9);
      const w = gcj02ToWgs84(gLat, gLon);
      expect(straightLineMetres(w.lat, w.lon, wLat, wLon)).toBeLessThan(0.01);
    }
  });

  it('inverts GCJ-02 to within a centimetre anywhere in China, and moves points by at most ~1 km', () => {
    fc.assert(
      fc.property(fc.double({ min: 18, max: 53, noNaN: true }), fc.double({ min: 74, max: 134, noNaN: true }), (lat, lon) => {
        const g = wgs84ToGcj02(lat, lon);
        const back = gcj02ToWgs84(g.lat, g.lon);
        expect(straightLineMetres(back.lat, back.lon, lat, lon)).toBeLessThan(0.01);
        expect(straightLineMetres(g.lat, g.lon, lat, lon)).toBeLessThan(1000);
      }),
    );
  });

  it('leaves points outside China and WGS-84 input alone', () => {
    expect(outOfChina(48.85, 2.35)).toBe(true);
    expect(gcj02ToWgs84(48.85, 2.35)).toEqual({ lat: 48.85, lon: 2.35 });
    expect(toWgs84('wgs84', 36.45, 115.99)).toEqual({ lat: 36.45, lon: 115.99 });
  });
});
