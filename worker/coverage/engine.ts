import {
  networkCoverage,
  snapAmenities,
  snapUnits,
  straightLineMetres,
  type NetworkState,
  type UnitSnaps,
} from '../domain/coverage/compute.ts';
import type { Network } from '../domain/coverage/network.ts';
import { f64, i32, packArrays, unpackArrays } from '../domain/coverage/pack.ts';
import type { Population } from '../domain/coverage/population.ts';
import { EdgeIndex, type Snap } from '../domain/coverage/snap.ts';
import { amenitiesHash, loadAmenities, type Amenity, type AmenityFilter } from '../db/coverage-amenities.ts';
import { allLayerInfo, deleteLayer, readLayerBytes, writeLayer, type LayerInfo } from '../db/planning.ts';
import { ApiError } from '../errors.ts';

/**
 * Loads the planning layers and computes walking distances, keeping the results in the isolate's
 * memory keyed by the inputs' versions (network, population, the amenity set, speed): a repeated
 * question is answered from memory, any change to an input recomputes. Every request first reads
 * the layers' versions (one small query), so a new upload is seen by every isolate at once.
 */
export interface NetworkMeta {
  nodes: number;
  edges: number;
  excluded: number;
  features: number;
  length_m: number;
}

export interface PopulationMeta {
  units: number;
  population: number;
  districts: string[];
  names: Array<string | null>;
}

export interface LoadedNetwork {
  version: number;
  network: Network;
  index: EdgeIndex;
  meta: NetworkMeta;
}

export interface LoadedPopulation {
  version: number;
  population: Population;
  meta: Omit<PopulationMeta, 'names'>;
}

export interface Planning {
  network: LoadedNetwork | null;
  population: LoadedPopulation | null;
  snaps: UnitSnaps | null;
}

const memo: {
  network?: LoadedNetwork;
  population?: LoadedPopulation;
  snaps?: { key: string; snaps: UnitSnaps };
  runs: Map<string, CoverageRun>;
} = { runs: new Map() };

/** Each run holds two typed arrays (≈ 2 MB for a province): a few fit the 128 MB isolate easily. */
const MAX_RUNS = 4;

// ─── encoding ────────────────────────────────────────────────────────────────────────────────

export function encodeNetwork(g: Network): Uint8Array {
  const { nodeLon, nodeLat, edgeU, edgeV, edgeLen, offsets, adjNode, adjEdge } = g;
  return packArrays({ nodeLon, nodeLat, edgeU, edgeV, edgeLen, offsets, adjNode, adjEdge });
}

export function decodeNetwork(bytes: Uint8Array): Network {
  const { arrays: a } = unpackArrays(bytes);
  return {
    nodeLon: f64(a, 'nodeLon'),
    nodeLat: f64(a, 'nodeLat'),
    edgeU: i32(a, 'edgeU'),
    edgeV: i32(a, 'edgeV'),
    edgeLen: f64(a, 'edgeLen'),
    offsets: i32(a, 'offsets'),
    adjNode: i32(a, 'adjNode'),
    adjEdge: i32(a, 'adjEdge'),
  };
}

export function encodePopulation(p: Population): Uint8Array {
  return packArrays({ lon: p.lon, lat: p.lat, pop: p.pop, district: p.district }, { districts: p.districts, names: p.names });
}

export function decodePopulation(bytes: Uint8Array): Population {
  const { arrays: a, meta } = unpackArrays(bytes);
  const m = meta as { districts: string[]; names: Array<string | null> };
  return {
    lon: f64(a, 'lon'),
    lat: f64(a, 'lat'),
    pop: f64(a, 'pop'),
    district: i32(a, 'district'),
    districts: m.districts,
    names: m.names,
  };
}

// ─── layers ──────────────────────────────────────────────────────────────────────────────────

const snapsKey = (n: number, p: number) => `${n}/${p}`;

export async function loadNetwork(db: D1Database, info: LayerInfo): Promise<LoadedNetwork | null> {
  if (memo.network?.version === info.version) return memo.network;
  const bytes = await readLayerBytes(db, info);
  if (!bytes) return null;
  const network = decodeNetwork(bytes);
  memo.network = { version: info.version, network, index: new EdgeIndex(network), meta: info.meta as unknown as NetworkMeta };
  memo.runs.clear();
  return memo.network;
}

async function loadPopulation(db: D1Database, info: LayerInfo): Promise<LoadedPopulation | null> {
  if (memo.population?.version === info.version) return memo.population;
  const bytes = await readLayerBytes(db, info);
  if (!bytes) return null;
  const population = decodePopulation(bytes);
  const meta = info.meta as unknown as Omit<PopulationMeta, 'names'>;
  memo.population = { version: info.version, population, meta };
  memo.runs.clear();
  return memo.population;
}

/** Where each unit joins the network: read if stored for these versions, else computed and stored. */
async function loadSnaps(db: D1Database, info: LayerInfo | undefined, net: LoadedNetwork, pop: LoadedPopulation): Promise<UnitSnaps> {
  const key = snapsKey(net.version, pop.version);
  if (memo.snaps?.key === key) return memo.snaps.snaps;
  let snaps: UnitSnaps | null = null;
  if (info && info.meta.key === key) {
    const bytes = await readLayerBytes(db, info);
    if (bytes) {
      const { arrays: a } = unpackArrays(bytes);
      snaps = { edge: i32(a, 'edge'), t: f64(a, 't'), leg: f64(a, 'leg') };
    }
  }
  if (!snaps) {
    snaps = snapUnits(net.index, pop.population);
    await writeLayer(db, 'unit_snaps', packArrays({ edge: snaps.edge, t: snaps.t, leg: snaps.leg }), { key, units: snaps.edge.length });
  }
  memo.snaps = { key, snaps };
  return snaps;
}

export async function loadPlanning(db: D1Database): Promise<Planning> {
  const infos = await allLayerInfo(db);
  const ni = infos.get('network');
  const pi = infos.get('population');
  const network = ni ? await loadNetwork(db, ni) : null;
  const population = pi ? await loadPopulation(db, pi) : null;
  const snaps = network && population ? await loadSnaps(db, infos.get('unit_snaps'), network, population) : null;
  return { network, population, snaps };
}

/**
 * The walking network's segments for the dashboard's offline base map, as [lon1, lat1, lon2, lat2]
 * rounded to 5 decimals (about 1 m). Empty with no network, or past `maxEdges` (a province's
 * streets are too many to draw as vectors; deployments that large set MAP_TILE_URL).
 */
export async function streetSegments(db: D1Database, maxEdges = 30_000): Promise<Array<[number, number, number, number]>> {
  const info = (await allLayerInfo(db)).get('network');
  if (!info || Number((info.meta as { edges?: number }).edges ?? 0) > maxEdges) return [];
  const loaded = await loadNetwork(db, info);
  if (!loaded) return [];
  const g = loaded.network;
  const r = (x: number) => Math.round(x * 1e5) / 1e5;
  const out: Array<[number, number, number, number]> = [];
  for (let e = 0; e < g.edgeU.length; e++) {
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    out.push([r(g.nodeLon[u]!), r(g.nodeLat[u]!), r(g.nodeLon[v]!), r(g.nodeLat[v]!)]);
  }
  return out;
}

/** Two uploads of one layer overlapped and the other, started later, is the one kept. */
function superseded(what: string): ApiError {
  return new ApiError(
    'conflict',
    `Another upload of the ${what}, started after this one, replaced it while it was stored; this one was not kept. Send it again if it should win.`,
  );
}

/** Store a new walking network and re-join the population to it. */
export async function saveNetwork(db: D1Database, g: Network, meta: NetworkMeta): Promise<LayerInfo> {
  const info = await writeLayer(db, 'network', encodeNetwork(g), { ...meta });
  if (!info.current) throw superseded('walking network');
  memo.network = { version: info.version, network: g, index: new EdgeIndex(g), meta };
  memo.runs.clear();
  await refreshSnaps(db);
  return info;
}

export async function savePopulation(db: D1Database, p: Population, total: number): Promise<LayerInfo> {
  const meta = { units: p.lon.length, population: total, districts: p.districts };
  const info = await writeLayer(db, 'population', encodePopulation(p), meta);
  if (!info.current) throw superseded('population layer');
  memo.population = { version: info.version, population: p, meta };
  memo.runs.clear();
  await refreshSnaps(db);
  return info;
}

/** Precompute the joins after an upload so the next query does not pay for them (best effort). */
async function refreshSnaps(db: D1Database): Promise<void> {
  try {
    await loadPlanning(db);
  } catch (e) {
    console.error('unit snaps not refreshed; computed at the next query', String(e));
  }
}

// ─── coverage runs ───────────────────────────────────────────────────────────────────────────

export interface CoverageRun {
  method: 'network' | 'straight_line';
  amenities: Amenity[];
  hash: string;
  planning: Planning;
  /** present for the network method */
  state: NetworkState | null;
  /** unit → walking metres (Infinity: no path) */
  metres: Float64Array;
  computedAt: number;
}

export async function runCoverage(
  db: D1Database,
  filter: AmenityFilter,
  now: number,
  tz: string,
  opts: { fresh?: boolean } = {},
): Promise<CoverageRun> {
  const planning = await loadPlanning(db);
  const amenities = await loadAmenities(db, filter, now, tz);
  const hash = amenitiesHash(amenities);
  // Distances do not depend on the walking speed: one run serves every speed and level.
  const key = `${planning.network?.version ?? 0}|${planning.population?.version ?? 0}|${hash}`;
  const hit = memo.runs.get(key);
  if (hit && !opts.fresh) return hit;
  let run: CoverageRun;
  const population = planning.population?.population;
  if (planning.network) {
    const sources: Snap[] = snapAmenities(planning.network.index, amenities);
    const snaps = planning.snaps ?? { edge: new Int32Array(0), t: new Float64Array(0), leg: new Float64Array(0) };
    const state = networkCoverage(planning.network.network, snaps, sources);
    run = { method: 'network', amenities, hash, planning, state, metres: state.metres, computedAt: Date.now() };
  } else {
    const metres = population ? straightLineMetres(population, amenities) : new Float64Array(0);
    run = { method: 'straight_line', amenities, hash, planning, state: null, metres, computedAt: Date.now() };
  }
  memo.runs.set(key, run);
  if (memo.runs.size > MAX_RUNS) memo.runs.delete(memo.runs.keys().next().value!);
  return run;
}

/** Replace the walking network by none (an upload with no walkable edge): straight lines from now on. */
export async function clearNetwork(db: D1Database): Promise<void> {
  forgetCachedPlanning();
  await deleteLayer(db, 'unit_snaps');
  await deleteLayer(db, 'network');
}

/**
 * Drop everything held in this isolate's memory: before building a new layer (so the old one and
 * the new one are not both in the 128 MB at once), and in tests to prove the stored layers read
 * back whole.
 */
export function forgetCachedPlanning(): void {
  delete memo.network;
  delete memo.population;
  delete memo.snaps;
  memo.runs.clear();
}
