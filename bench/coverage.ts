/**
 * Coverage benchmark on a generated province (scripts/gen-province.ts): the multi-source walking
 * search, the same search with graphology (answers checked equal), a what-if on a city, and the
 * whole GET /api/v1/coverage answer on local workerd (stored layers loaded from D1 by a fresh
 * isolate, computed, aggregated).
 *
 *   npx node bench/coverage.ts [--no-workerd]
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Graph from 'graphology';
import { dijkstra } from 'graphology-shortest-path';
import { aggregate } from '../worker/domain/coverage/aggregate.ts';
import { networkCoverage, snapAmenities, snapUnits, whatIfState, type AmenityPoint } from '../worker/domain/coverage/compute.ts';
import { multiSourceDistances, seedsOf } from '../worker/domain/coverage/dijkstra.ts';
import { NetworkBuilder } from '../worker/domain/coverage/network-build.ts';
import type { Network } from '../worker/domain/coverage/network.ts';
import { PopulationBuilder, type Population } from '../worker/domain/coverage/population.ts';
import { EdgeIndex, type Snap } from '../worker/domain/coverage/snap.ts';
import { CITY, generateProvince, networkGeoJson, populationCsv, PROVINCE, type Province } from '../scripts/gen-province.ts';
import { applyMigrations, runWrangler, startDev } from '../scripts/lib/wrangler.ts';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  ok?: boolean;
  note?: string;
}

const now = () => performance.now();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeIt(runs: number, f: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = now();
    f();
    t.push(now() - a);
  }
  return median(t);
}

function buildNetwork(p: Province): Network {
  const b = new NetworkBuilder();
  for (const w of p.ways) b.add(w.highway === 'motorway' ? { excluded: true } : { excluded: false, lines: [w.coords] });
  return b.finish();
}

function buildPopulation(p: Province): Population {
  const b = new PopulationBuilder();
  for (const u of p.units) b.add({ lon: u.lon, lat: u.lat, population: u.population, district: u.district, name: u.name });
  return b.finish();
}

const amenityPoints = (p: Province): AmenityPoint[] => p.stations.map((s) => ({ id: s.id, kind: 'station', lon: s.lon, lat: s.lat }));

/** The same multi-source search with graphology: a virtual source joined to every amenity's edge ends. */
function graphologyDistances(g: Network, sources: Snap[]): { dist: Float64Array; buildMs: number; searchMs: number } {
  const t0 = now();
  const graph = new Graph({ type: 'undirected', multi: false });
  for (let n = 0; n < g.nodeLon.length; n++) graph.addNode(String(n));
  const weight = (a: string, b: string, w: number) => {
    const e = graph.edge(a, b);
    if (e === undefined) graph.addEdge(a, b, { w });
    else if (graph.getEdgeAttribute(e, 'w') > w) graph.setEdgeAttribute(e, 'w', w);
  };
  for (let e = 0; e < g.edgeU.length; e++) if (g.edgeU[e] !== g.edgeV[e]) weight(String(g.edgeU[e]), String(g.edgeV[e]), g.edgeLen[e]!);
  graph.addNode('source');
  for (const s of sources) for (const [n, d] of seedsOf(g, s)) weight('source', String(n), d);
  const t1 = now();
  const [order, preds] = dijkstra.brandes(graph, 'source', 'w');
  // brandes gives the settle order and shortest-path predecessors: distances follow in one sweep.
  const byKey = new Map<string, number>([['source', 0]]);
  for (const v of order) {
    if (v === 'source') continue;
    let best = Infinity;
    for (const p of preds[v] ?? []) best = Math.min(best, byKey.get(p)! + (graph.getEdgeAttribute(graph.edge(p, v)!, 'w') as number));
    byKey.set(v, best);
  }
  const t2 = now();
  const dist = new Float64Array(g.nodeLon.length).fill(Infinity);
  for (const [k, d] of byKey) if (k !== 'source') dist[Number(k)] = d;
  return { dist, buildMs: t1 - t0, searchMs: t2 - t1 };
}

async function workerdRows(p: Province): Promise<BenchRow[]> {
  const persistTo = await mkdtemp(join(tmpdir(), 'coverage-bench-'));
  const token = `bench-${randomBytes(16).toString('hex')}`; // ≥ 32 characters, as the Worker requires
  const rows: BenchRow[] = [];
  let dev: Awaited<ReturnType<typeof startDev>> | null = null;
  try {
    await applyMigrations(persistTo, { quiet: true });
    const esc = (s: string) => `'${s.replace(/'/g, "''")}'`;
    const sql = [
      ...p.districts.map((d) => `INSERT INTO districts (id, name, created_at) VALUES (${esc(d.id)}, ${esc(d.name)}, 0);`),
      ...p.stations.map(
        (s) =>
          `INSERT INTO stations (id, name, district, lat, lon, created_at) VALUES (${esc(s.id)}, ${esc(s.name)}, ${esc(s.district)}, ${s.lat}, ${s.lon}, 0);`,
      ),
    ].join('\n');
    const sqlFile = join(persistTo, 'sites.sql');
    await writeFile(sqlFile, sql);
    await runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', sqlFile, '--yes'], { quiet: true });
    const start = () => startDev({ persistTo, quiet: true, vars: { ADMIN_TOKEN: token } });
    dev = await start();
    const put = async (path: string, body: string, type: string) => {
      const a = now();
      const res = await fetch(`${dev!.url}${path}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        body,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
      return now() - a;
    };
    const netText = [...networkGeoJson(p)].join('');
    rows.push({
      name: `PUT /network (${(netText.length / 1e6).toFixed(1)} MB GeoJSON, streamed)`,
      value: await put('/api/v1/network', netText, 'application/geo+json'),
      unit: 'ms',
    });
    const csv = populationCsv(p);
    rows.push({
      name: `PUT /population (${(csv.length / 1e6).toFixed(1)} MB CSV, joins units to the network)`,
      value: await put('/api/v1/population', csv, 'text/csv'),
      unit: 'ms',
    });
    // A fresh isolate: the first answer loads every layer from D1.
    await dev.stop();
    dev = await start();
    const get = async (path: string) => {
      const a = now();
      const res = await fetch(`${dev!.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { levels?: Array<{ minutes: number; share: number }> };
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: now() - a, body };
    };
    const cold = await get('/api/v1/coverage');
    rows.push({
      name: 'GET /coverage, fresh isolate (load layers from D1, search, aggregate)',
      value: cold.ms,
      unit: 'ms',
      goal: '≤ 1000',
      ok: cold.ms <= 1000,
      note: `15-min share ${cold.body.levels?.at(-1)?.share}`,
    });
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await get('/api/v1/coverage')).ms);
    rows.push({ name: 'GET /coverage, same inputs (cached distances)', value: median(warm), unit: 'ms' });
    const other = await get('/api/v1/coverage?levels=5,10,15,20&speed=60');
    rows.push({ name: 'GET /coverage, another speed and levels (cached distances, new aggregation)', value: other.ms, unit: 'ms' });
    const wi: number[] = [];
    for (let i = 0; i < 5; i++) {
      const u = p.units[(i * 7919) % p.units.length]!;
      const a = now();
      const res = await fetch(`${dev.url}/api/v1/coverage/what-if`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ add: [{ lon: u.lon, lat: u.lat }] }),
      });
      await res.text();
      wi.push(now() - a);
    }
    rows.push({ name: 'POST /coverage/what-if on the province (one site added, HTTP round trip)', value: median(wi), unit: 'ms' });
  } finally {
    await dev?.stop();
    await rm(persistTo, { recursive: true, force: true });
  }
  return rows;
}

export async function benchCoverage(opts: { workerd?: boolean } = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const p = generateProvince(PROVINCE);
  let t = now();
  const g = buildNetwork(p);
  rows.push({
    name: `province network: ${g.nodeLon.length} nodes, ${g.edgeU.length} edges — build (geodesic lengths, CSR)`,
    value: now() - t,
    unit: 'ms',
  });
  t = now();
  const index = new EdgeIndex(g);
  rows.push({ name: 'spatial index over the edges (flatbush)', value: now() - t, unit: 'ms' });
  const pop = buildPopulation(p);
  t = now();
  const snaps = snapUnits(index, pop);
  rows.push({ name: `join ${pop.lon.length} population units to their nearest edge`, value: now() - t, unit: 'ms' });
  t = now();
  const sources = snapAmenities(index, amenityPoints(p));
  rows.push({ name: `join ${sources.length} amenities to their nearest edge`, value: now() - t, unit: 'ms' });
  const passMs = timeIt(7, () => multiSourceDistances(g, sources));
  rows.push({
    name: 'multi-source shortest-path pass (every node to its nearest amenity)',
    value: passMs,
    unit: 'ms',
    goal: '≤ 150',
    ok: passMs <= 150,
  });
  const state = networkCoverage(g, snaps, sources);
  const aggMs = timeIt(7, () => aggregate(state.metres, pop.pop, pop.district, pop.districts, [5, 10, 15], 75));
  rows.push({ name: 'aggregate 5/10/15 by district + histogram', value: aggMs, unit: 'ms' });

  const go = graphologyDistances(g, sources);
  let maxDiff = 0;
  let mismatched = 0;
  for (let n = 0; n < g.nodeLon.length; n++) {
    const a = state.dist[n]!;
    const b = go.dist[n]!;
    if (a === b) continue;
    if (!Number.isFinite(a) || !Number.isFinite(b)) mismatched++;
    else maxDiff = Math.max(maxDiff, Math.abs(a - b));
  }
  const equal = mismatched === 0 && maxDiff < 1e-6;
  rows.push({
    name: 'graphology + graphology-shortest-path, same search (virtual source)',
    value: go.searchMs,
    unit: 'ms',
    note: `graph build ${go.buildMs.toFixed(0)} ms; answers ${equal ? 'equal' : `DIFFER (max ${maxDiff} m, ${mismatched} reachability mismatches)`}`,
  });
  const speedup = go.searchMs / passMs;
  rows.push({
    name: 'speed-up of the typed-array search over graphology',
    value: speedup,
    unit: '×',
    goal: '≥ 10',
    ok: speedup >= 10 && equal,
  });

  const city = generateProvince(CITY);
  const cg = buildNetwork(city);
  const cIndex = new EdgeIndex(cg);
  const cSnaps = snapUnits(cIndex, buildPopulation(city));
  const cBase = networkCoverage(cg, cSnaps, snapAmenities(cIndex, amenityPoints(city)));
  let k = 0;
  const wiMs = timeIt(21, () => {
    const u = city.units[(k++ * 7919) % city.units.length]!;
    whatIfState(cg, cSnaps, cBase, new Set(), snapAmenities(cIndex, [{ id: 'x', kind: 'station', lon: u.lon, lat: u.lat }]), 15 * 75);
  });
  rows.push({
    name: `what-if, one site added, city (${cg.edgeU.length} edges, ${city.units.length} units)`,
    value: wiMs,
    unit: 'ms',
    goal: '≤ 50',
    ok: wiMs <= 50,
  });
  const wiRemove = timeIt(7, () => whatIfState(cg, cSnaps, cBase, new Set([0]), [], 15 * 75));
  rows.push({ name: 'what-if, one site removed (full pass), city', value: wiRemove, unit: 'ms' });
  rows.push({
    name: 'stored network size (CSR + coordinates)',
    value:
      (g.nodeLon.byteLength * 2 + g.edgeU.byteLength * 2 + g.edgeLen.byteLength + g.offsets.byteLength + g.adjNode.byteLength * 2) / 1e6,
    unit: 'MB',
    note: 'stored as 1 MB chunks, base64 ≈ 1.33 MB per row (D1 row limit 2 MB)',
  });
  rows.push({ name: 'node heap after the domain runs', value: process.memoryUsage().heapUsed / 1e6, unit: 'MB' });
  if (opts.workerd !== false) rows.push(...(await workerdRows(p)));
  return rows;
}

export function printTable(rows: BenchRow[]): void {
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'coverage benchmark'.padEnd(w)}  ${'value'.padStart(10)}  unit  goal      note`);
  for (const r of rows) {
    const v = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2);
    const goal = r.goal ? `${r.goal} ${r.ok ? '✓' : '✗'}` : '';
    console.log(`${r.name.padEnd(w)}  ${v.padStart(10)}  ${r.unit.padEnd(4)}  ${goal.padEnd(8)}  ${r.note ?? ''}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printTable(await benchCoverage({ workerd: !process.argv.includes('--no-workerd') }));
}
