import { asAdmin } from './helpers.ts';

/** Small builders for a city, all through the admin API (as a real deployment is set up). */

async function ok(res: Response, what: string): Promise<Response> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

export async function createDistrict(id = 'dongchangfu', name = '东昌府区') {
  await ok(await asAdmin('/api/v1/districts', { method: 'POST', json: { id, name } }), `district ${id}`);
  return id;
}

export async function createPark(id: string, district: string, lat = 36.45, lon = 115.98) {
  await ok(await asAdmin('/api/v1/parks', { method: 'POST', json: { id, name: `Park ${id}`, district, lat, lon } }), `park ${id}`);
  return id;
}

export async function createStation(id: string, district: string, extra: Record<string, unknown> = {}) {
  await ok(
    await asAdmin('/api/v1/stations', {
      method: 'POST',
      json: { id, name: `Station ${id}`, district, lat: 36.456, lon: 115.985, ...extra },
    }),
    `station ${id}`,
  );
  return id;
}

/** Register a device; returns its one-time token. */
export async function createDevice(
  id: string,
  kind: 'bench' | 'station',
  site: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await ok(await asAdmin('/api/v1/devices', { method: 'POST', json: { id, kind, site, ...extra } }), `device ${id}`);
  return ((await res.json()) as { token: string }).token;
}

let n = 0;
/** A district with one station and its device, with unique ids per call. */
export async function stationWithDevice(): Promise<{ district: string; station: string; device: string; token: string }> {
  n++;
  const district = await createDistrict(`d${n}-${crypto.randomUUID().slice(0, 6)}`, `District ${n}`);
  const station = await createStation(`st-${district}`, district);
  const device = `dev-${district}`;
  const token = await createDevice(device, 'station', station);
  return { district, station, device, token };
}

/** A district with one park and a bench device. */
export async function benchWithDevice(ports = 4): Promise<{ district: string; park: string; device: string; token: string }> {
  n++;
  const district = await createDistrict(`d${n}-${crypto.randomUUID().slice(0, 6)}`, `District ${n}`);
  const park = await createPark(`pk-${district}`, district);
  const device = `bench-${district}`;
  const token = await createDevice(device, 'bench', park, { ports });
  return { district, park, device, token };
}
