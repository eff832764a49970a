/**
 * Load the demo city into a running Worker through its own API, as a city's GIS team would:
 * the registry by bulk import (`POST /api/v1/import`), a device per station, par levels per
 * station item, then the planning layers (`PUT /api/v1/network`, `PUT /api/v1/population`).
 * Returns every device's token (shown once by the API).
 */
import { api, ApiFailure, createOrKeep, type Api } from '../lib/api.ts';
import { demoCity, type DemoCity } from './city.ts';
import { boxPolygon, type Box } from './geo.ts';
import { demoNetwork } from './network.ts';
import { demoPopulation } from './population.ts';

export interface LoadOptions {
  /** Two districts, three parks (Impression Park among them), three stations. */
  small?: boolean;
  seed?: number;
  /** Also load the walking network and population units (default true). */
  planning?: boolean;
  log?: (line: string) => void;
}

export interface LoadResult {
  city: DemoCity;
  /** Device id → device token. */
  tokens: Record<string, string>;
  network: { nodes: number; edges: number; excluded?: number } | null;
  population: { units: number; population: number } | null;
}

/** The registry as one GeoJSON FeatureCollection in the import format. */
export function registryGeoJson(city: DemoCity) {
  const point = (lat: number, lon: number) => ({ type: 'Point' as const, coordinates: [lon, lat] });
  return {
    type: 'FeatureCollection' as const,
    features: [
      ...city.districts.map((d) => ({
        type: 'Feature' as const,
        geometry: boxPolygon(d.box),
        properties: { kind: 'district', id: d.id, name: d.name },
      })),
      ...city.parks.map((p) => ({
        type: 'Feature' as const,
        geometry: point(p.lat, p.lon),
        properties: { kind: 'park', id: p.id, name: p.name, district: p.district },
      })),
      ...city.stations.map((s) => ({
        type: 'Feature' as const,
        geometry: point(s.lat, s.lon),
        properties: {
          kind: 'station',
          id: s.id,
          name: s.name,
          district: s.district,
          opening_hours: s.opening_hours,
          opened_on: s.opened_on,
        },
      })),
      ...city.benches.map((b) => ({
        type: 'Feature' as const,
        geometry: point(b.lat, b.lon),
        properties: { kind: 'bench', id: b.id, park: b.park, name: b.name, ports: b.ports },
      })),
    ],
  };
}

async function rotate(client: Api, id: string): Promise<string> {
  return (await client.request<{ token: string }>('POST', `/api/v1/devices/${encodeURIComponent(id)}/token`)).token;
}

/** The bulk import; an API without it gets the sites one by one through the contract's POSTs. */
/**
 * Responsibility (包片) as a city would set it: per district a street office (街道办事处) that
 * answers for the parks and their benches, and a sanitation office (环卫所) for the rest stations.
 * The monthly ranking by unit then has rows to rank.
 */
export async function assignResponsibility(client: Api, city: DemoCity): Promise<void> {
  for (const d of city.districts) {
    const units = [
      {
        id: `${d.id}-street`,
        name: `${d.name}街道办事处`,
        kind: 'street_office',
        sites: { parks: city.parks.filter((p) => p.district === d.id).map((p) => p.id) },
      },
      {
        id: `${d.id}-sanitation`,
        name: `${d.name}环卫所`,
        kind: 'sanitation',
        sites: { stations: city.stations.filter((st) => st.district === d.id).map((st) => st.id) },
      },
    ];
    for (const u of units) {
      await createOrKeep(client, '/api/v1/units', { id: u.id, name: u.name, kind: u.kind, district: d.id });
      await client.request('PUT', `/api/v1/units/${encodeURIComponent(u.id)}/sites`, u.sites);
    }
  }
}

async function importRegistry(client: Api, city: DemoCity, log: (s: string) => void): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  try {
    const res = await client.request<{ devices?: Array<{ id: string; token: string }> }>(
      'POST',
      '/api/v1/import',
      registryGeoJson(city),
      'application/geo+json',
    );
    for (const d of res.devices ?? []) tokens[d.id] = d.token;
    log(
      `registry imported: ${city.districts.length} districts, ${city.parks.length} parks, ${city.stations.length} stations, ${city.benches.length} benches`,
    );
  } catch (err) {
    if (!(err instanceof ApiFailure) || (err.status !== 404 && err.status !== 405)) throw err;
    log('no bulk import on this server: creating sites one by one');
    const create = (path: string, body: object) => createOrKeep(client, path, body);
    for (const d of city.districts) await create('/api/v1/districts', { id: d.id, name: d.name });
    for (const p of city.parks) await create('/api/v1/parks', { id: p.id, name: p.name, district: p.district, lat: p.lat, lon: p.lon });
    for (const s of city.stations)
      await create('/api/v1/stations', {
        id: s.id,
        name: s.name,
        district: s.district,
        lat: s.lat,
        lon: s.lon,
        opening_hours: s.opening_hours,
      });
  }
  // Benches the import did not create (already registered, or no import): register or rotate.
  for (const b of city.benches) {
    if (tokens[b.id]) continue;
    tokens[b.id] = await registerDevice(client, {
      id: b.id,
      kind: 'bench',
      site: b.park,
      name: b.name,
      lat: b.lat,
      lon: b.lon,
      ports: b.ports,
    });
  }
  return tokens;
}

async function registerDevice(
  client: Api,
  body: { id: string; kind: 'bench' | 'station'; site: string; name?: string; lat?: number; lon?: number; ports?: number },
): Promise<string> {
  try {
    return (await client.request<{ token: string }>('POST', '/api/v1/devices', body)).token;
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 409) return rotate(client, body.id);
    throw e;
  }
}

function unionBox(boxes: Box[]): Box {
  return {
    south: Math.min(...boxes.map((b) => b.south)),
    west: Math.min(...boxes.map((b) => b.west)),
    north: Math.max(...boxes.map((b) => b.north)),
    east: Math.max(...boxes.map((b) => b.east)),
  };
}

export async function loadDemoCity(url: string, adminToken: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const log = opts.log ?? (() => {});
  const client = api(url, adminToken);
  const city = demoCity({ small: opts.small, seed: opts.seed });
  const tokens = await importRegistry(client, city, log);

  for (const s of city.stations) {
    const device = city.devices.find((d) => d.kind === 'station' && d.site === s.id)!;
    tokens[device.id] = await registerDevice(client, { id: device.id, kind: 'station', site: s.id, name: `${s.name} 智能柜` });
    for (const [item, p] of Object.entries(s.items)) {
      await client.request('PUT', `/api/v1/stations/${encodeURIComponent(s.id)}/items/${item}`, {
        par_level: p.par,
        reorder_point: p.reorder,
      });
    }
  }
  log(`${Object.keys(tokens).length} devices registered, par levels set`);
  await assignResponsibility(client, city);
  log(
    `responsibility (包片): ${city.districts.length * 2} units, each district's parks to its street office, stations to its sanitation office`,
  );

  let network: LoadResult['network'] = null;
  let population: LoadResult['population'] = null;
  if (opts.planning !== false) {
    const boxes = opts.small ? [unionBox(city.districts.map((d) => d.box))] : undefined;
    network = await client.request('PUT', '/api/v1/network', demoNetwork({ seed: opts.seed, boxes }), 'application/geo+json');
    log(`walking network: ${network!.nodes} nodes, ${network!.edges} edges`);
    population = await client.request(
      'PUT',
      '/api/v1/population',
      demoPopulation({ seed: opts.seed, districts: city.districts.map((d) => d.id), units: opts.small ? 120 : 650 }),
      'application/geo+json',
    );
    log(`population: ${population!.units} units, ${population!.population} residents`);
  }
  return { city, tokens, network, population };
}
