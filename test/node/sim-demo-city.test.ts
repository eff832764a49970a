import { describe, expect, test } from 'vitest';
import { DISTRICTS, demoCity, stationDeviceId } from '../../scripts/demo/city.ts';
import { inBox, inWater, LAKE, RIVER_LON } from '../../scripts/demo/geo.ts';
import { registryGeoJson } from '../../scripts/demo/load.ts';
import { demoNetwork } from '../../scripts/demo/network.ts';
import { demoPopulation } from '../../scripts/demo/population.ts';
import { parseGeoJsonImport } from '../../worker/domain/import-parse.ts';
import { openingHoursError } from '../../worker/domain/opening-hours.ts';

const city = demoCity();
const districtOf = new Map(DISTRICTS.map((d) => [d.id, d]));

describe('the demo city (Liaocheng-like, synthetic)', () => {
  test('has the districts, 24 pocket parks, at least 40 benches and 15 stations the brief names', () => {
    expect(city.districts.map((d) => d.name)).toEqual(expect.arrayContaining(['东昌府区', '茌平区', '高新区', '经开区', '度假区']));
    expect(city.parks).toHaveLength(24);
    expect(city.benches.length).toBeGreaterThanOrEqual(40);
    expect(city.stations.length).toBeGreaterThanOrEqual(15);
    const impression = city.parks.find((p) => p.name === '印象公园')!;
    expect(city.benches.filter((b) => b.park === impression.id)).toHaveLength(4);
    expect(city.stations.some((s) => s.name.startsWith('人民广场'))).toBe(true);
    expect(new Set(city.benches.map((b) => b.id)).size).toBe(city.benches.length);
  });

  test('stands on land, inside its district, around 36.45 N 115.98 E', () => {
    const sites = [...city.parks, ...city.stations];
    for (const s of sites) {
      expect(inWater(s.lat, s.lon), s.id).toBe(false);
      expect(inBox(districtOf.get(s.district)!.box, s.lat, s.lon), s.id).toBe(true);
    }
    for (const b of city.benches) {
      expect(inWater(b.lat, b.lon), b.id).toBe(false);
      const park = city.parks.find((p) => p.id === b.park)!;
      expect(Math.abs(b.lat - park.lat) + Math.abs(b.lon - park.lon)).toBeLessThan(0.002); // within ~150 m
    }
    const lat = sites.reduce((s, x) => s + x.lat, 0) / sites.length;
    const lon = sites.reduce((s, x) => s + x.lon, 0) / sites.length;
    expect(Math.abs(lat - 36.47)).toBeLessThan(0.05);
    expect(Math.abs(lon - 116.02)).toBeLessThan(0.08);
    // 东昌湖: nothing between 36.43–36.45 N and 115.97–116.00 E.
    for (const s of sites) expect(s.lat > 36.43 && s.lat < 36.45 && s.lon > 115.97 && s.lon < 116.0, s.id).toBe(false);
  });

  test('gives every station valid opening hours and par levels above the reorder points', () => {
    for (const s of city.stations) {
      expect(openingHoursError(s.opening_hours)).toBeNull();
      expect(Object.keys(s.items)).toEqual(expect.arrayContaining(['water', 'towel', 'umbrella', 'medicine_kit']));
      for (const p of Object.values(s.items)) expect(p.reorder).toBeLessThan(p.par);
    }
  });

  test('is a registry file the server’s own import parser accepts, with every reference resolved', () => {
    const parsed = parseGeoJsonImport(JSON.parse(JSON.stringify(registryGeoJson(city))));
    expect(parsed.errors).toEqual([]);
    const rows = parsed.rows.map((r) => r.row);
    expect(rows.filter((r) => r.kind === 'district')).toHaveLength(city.districts.length);
    expect(rows.filter((r) => r.kind === 'bench')).toHaveLength(city.benches.length);
    const districts = new Set(city.districts.map((d) => d.id));
    const parks = new Set(city.parks.map((p) => p.id));
    for (const r of rows) {
      if (r.kind === 'park' || r.kind === 'station') expect(districts.has(r.district)).toBe(true);
      if (r.kind === 'bench') expect(parks.has(r.park)).toBe(true);
    }
  });

  test('plays one device per bench and one per station', () => {
    expect(city.devices.filter((d) => d.kind === 'bench')).toHaveLength(city.benches.length);
    for (const s of city.stations) expect(city.devices.some((d) => d.id === stationDeviceId(s.id) && d.site === s.id)).toBe(true);
  });

  test('keeps device ids and specs when only the small subset is loaded', () => {
    const small = demoCity({ small: true });
    expect(small.districts.length).toBe(2);
    for (const d of small.devices) expect(JSON.stringify(d)).toBe(JSON.stringify(city.devices.find((x) => x.id === d.id)));
  });
});

describe('the synthetic walking network', () => {
  const net = demoNetwork();

  test('is LineStrings that meet at shared intersections and stay out of the lake', () => {
    const uses = new Map<string, number>();
    for (const f of net.features) {
      expect(f.geometry.type).toBe('LineString');
      expect(f.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
      for (const [lon, lat] of f.geometry.coordinates) {
        expect(inWater(lat!, lon!)).toBe(false);
        const k = `${lon},${lat}`;
        uses.set(k, (uses.get(k) ?? 0) + 1);
      }
    }
    // Most intersections are shared by an east–west and a north–south street.
    const shared = [...uses.values()].filter((n) => n >= 2).length;
    expect(shared / uses.size).toBeGreaterThan(0.8);
  });

  test('crosses the river only on the main roads (bridges) and never the lake', () => {
    let crossings = 0;
    for (const f of net.features) {
      const c = f.geometry.coordinates;
      for (let i = 1; i < c.length; i++) {
        const [lonA, latA] = c[i - 1]!;
        const [lonB, latB] = c[i]!;
        if ((lonA! - RIVER_LON) * (lonB! - RIVER_LON) < 0) {
          crossings++;
          expect(f.properties.highway).toBe('primary');
        }
        const midLat = (latA! + latB!) / 2;
        const midLon = (lonA! + lonB!) / 2;
        expect(inBox(LAKE, midLat, midLon)).toBe(false);
      }
    }
    expect(crossings).toBeGreaterThan(3);
    expect(crossings).toBeLessThan(15);
  });
});

describe('the synthetic population', () => {
  test('lives on land in the districts, denser in the old centre', () => {
    const pop = demoPopulation();
    expect(pop.features.length).toBeGreaterThan(500);
    let centre = 0;
    let outer = 0;
    for (const f of pop.features) {
      const [lon, lat] = f.geometry.coordinates;
      expect(inWater(lat, lon)).toBe(false);
      expect(f.properties.population).toBeGreaterThan(0);
      expect(inBox(districtOf.get(f.properties.district)!.box, lat, lon)).toBe(true);
      const d = Math.hypot(lat - 36.462, (lon - 115.975) * 0.8);
      if (d < 0.02) centre += f.properties.population;
      else if (d > 0.06 && d < 0.08) outer += f.properties.population;
    }
    // Per unit of area: the ring is seven times the centre's disc.
    expect(centre / 0.02 ** 2).toBeGreaterThan((2 * outer) / (0.08 ** 2 - 0.06 ** 2));
  });
});
