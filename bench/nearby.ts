/**
 * Nearby benchmark: the ranking behind GET /api/v1/public/nearby on a generated province
 * (scripts/gen-province.ts: nine cities of street grids with rivers) with 10,000 sites, from 1,000
 * random origins, fastest 5. The live-state read is an in-memory lookup here (90 % of sites
 * serving), so the figure is the server's own work: spatial index, bounded walk search, ranking.
 *
 *   npx node bench/nearby.ts
 */
import { NetworkBuilder } from '../worker/domain/coverage/network-build.ts';
import { EdgeIndex } from '../worker/domain/coverage/snap.ts';
import { rankNearby } from '../worker/domain/nearby/rank.ts';
import { SiteIndex, type SitePoint } from '../worker/domain/nearby/site-index.ts';
import { generateProvince, PROVINCE } from '../scripts/gen-province.ts';

const p = generateProvince(PROVINCE);
const b = new NetworkBuilder();
for (const w of p.ways) b.add(w.highway === 'motorway' ? { excluded: true } : { excluded: false, lines: [w.coords] });
const t0 = performance.now();
const g = b.finish();
const index = new EdgeIndex(g);
console.log(
  `province network: ${g.nodeLon.length.toLocaleString('en-US')} nodes, ${g.edgeU.length.toLocaleString('en-US')} edges (built and indexed in ${Math.round(performance.now() - t0)} ms)`,
);

let seed = 42;
const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
// 10,000 sites near the population (that is where stations and benches stand), jittered ~100 m.
const sites: SitePoint[] = [];
for (let i = 0; i < 10_000; i++) {
  const u = p.units[Math.floor(rand() * p.units.length)]!;
  sites.push({ id: `site-${i}`, lon: u.lon + (rand() - 0.5) * 0.002, lat: u.lat + (rand() - 0.5) * 0.002 });
}
const serving = new Set(sites.filter(() => rand() < 0.9).map((s) => s.id));
const t1 = performance.now();
const siteIndex = new SiteIndex(sites);
console.log(`spatial index over ${sites.length.toLocaleString('en-US')} sites: ${(performance.now() - t1).toFixed(1)} ms`);

const times: number[] = [];
let examined = 0;
for (let i = 0; i < 1000; i++) {
  const u = p.units[Math.floor(rand() * p.units.length)]!;
  const a = performance.now();
  const r = await rankNearby<SitePoint, true>({
    sites: siteIndex,
    network: { g, index },
    origin: { lat: u.lat, lon: u.lon },
    limit: 5,
    maxMetres: 15_000,
    route: true,
    serving: async (list) => new Map(list.filter((s) => serving.has(s.id)).map((s) => [s.id, true as const])),
  });
  times.push(performance.now() - a);
  examined += r.examined;
}
times.sort((x, y) => x - y);
const q = (f: number) => times[Math.min(times.length - 1, Math.floor(f * times.length))]!;
console.log(
  `rank nearby (network, limit 5, with routes), 1,000 origins: p50 ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${q(1).toFixed(2)} ms; sites looked at per answer ${(examined / 1000).toFixed(1)} of ${sites.length}`,
);
