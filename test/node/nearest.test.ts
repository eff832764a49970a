import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchServes, DETOUR_FACTOR, rankNearest, stationServes, straightLineMetres } from '../../worker/domain/nearest.ts';

const site = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{1,8}$/),
  lat: fc.double({ min: 30, max: 40, noNaN: true }),
  lon: fc.double({ min: 110, max: 120, noNaN: true }),
});

describe('nearest sites', () => {
  it('answers at most `limit` sites, nearest first, with walking minutes = distance × detour ÷ speed', () => {
    fc.assert(
      fc.property(
        fc.array(site, { maxLength: 30 }),
        site,
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 40, max: 100 }),
        (sites, origin, limit, speed) => {
          const ranked = rankNearest(sites, origin, { limit, speedMPerMin: speed });
          expect(ranked).toHaveLength(Math.min(limit, sites.length));
          for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.distance_m).toBeGreaterThanOrEqual(ranked[i - 1]!.distance_m);
          for (const r of ranked) {
            const d = straightLineMetres(origin.lat, origin.lon, r.site.lat, r.site.lon);
            expect(r.distance_m).toBe(Math.round(d));
            expect(Math.abs(r.walk_minutes - (d * DETOUR_FACTOR) / speed)).toBeLessThanOrEqual(0.05 + 1e-9);
          }
          // Nothing left out is nearer than the farthest answered.
          const cut = ranked.at(-1)?.distance_m ?? Infinity;
          const answered = new Set(ranked.map((r) => r.site));
          for (const s of sites)
            if (!answered.has(s)) expect(Math.round(straightLineMetres(origin.lat, origin.lon, s.lat, s.lon))).toBeGreaterThanOrEqual(cut);
        },
      ),
    );
  });

  it('measures one minute of latitude as about 1,850 m (geodesic, WGS-84)', () => {
    // A nautical mile is one minute of arc; on the WGS-84 ellipsoid a minute of latitude at 36° N is 1,849.6 m.
    expect(straightLineMetres(36, 116, 36 + 1 / 60, 116)).toBeCloseTo(1849.6, 0);
  });

  it('serves: stations open and holding the item; benches charged above the threshold with a free port', () => {
    expect(stationServes({ open: true, stock: { water: 1 } }, 'water')).toBe(true);
    expect(stationServes({ open: true, stock: { water: 0 } }, 'water')).toBe(false);
    expect(stationServes({ open: false, stock: { water: 9 } }, 'water')).toBe(false);
    expect(stationServes({ open: true, stock: {} }, undefined)).toBe(true);
    expect(benchServes({ battery_soc: 21, ports: 2, free_ports: 1 }, 20)).toBe(true);
    expect(benchServes({ battery_soc: 20, ports: 2, free_ports: 1 }, 20)).toBe(false);
    expect(benchServes({ battery_soc: 80, ports: 2, free_ports: 0 }, 20)).toBe(false);
    expect(benchServes({ battery_soc: 80, ports: null, free_ports: null }, 20)).toBe(true);
    expect(benchServes({ battery_soc: null, ports: 2, free_ports: 2 }, 20)).toBe(false);
  });
});
