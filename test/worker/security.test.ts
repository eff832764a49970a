import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index.ts';
import { readLayerBytes, writeLayer, type LayerInfo } from '../../worker/db/planning.ts';
import { redactPath } from '../../worker/errors.ts';
import { ADMIN, asAdmin, call, insideOneWindow } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';

/** The Worker's fetch with some vars changed, as a deployment configured so would answer. */
async function callWith(vars: Partial<Env>, path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const ctx = createExecutionContext();
  const req = new Request(`https://amenity.test${path}`, { ...init, headers }) as unknown as Request<unknown, IncomingRequestCfProperties>;
  const res = await worker.fetch(req, { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const from = (ip: string, token?: string): RequestInit & { token?: string } => ({ headers: { 'cf-connecting-ip': ip }, token });

describe('planning layers under concurrent uploads', () => {
  const layerOf = (fill: number) => new Uint8Array(3_500_000).fill(fill); // 4 chunks

  async function stored(): Promise<Uint8Array | null> {
    const row = await env.DB.prepare(
      "SELECT layer, version, meta, bytes, chunks, updated_at FROM planning_layers WHERE layer = 'population'",
    ).first<Omit<LayerInfo, 'meta'> & { meta: string }>();
    return row ? readLayerBytes(env.DB, { ...row, meta: {} }) : null;
  }

  it('two uploads started together (same millisecond) both finish without an error and leave one whole layer', async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([
        writeLayer(env.DB, 'population', layerOf(1), { a: 1 }),
        writeLayer(env.DB, 'population', layerOf(2), { b: 1 }),
      ]);
      expect(a.version).not.toBe(b.version);
      // The later version stands whenever it was stored whole (last writer wins).
      const later = a.version > b.version ? a : b;
      expect(later.current).toBe(true);
      const bytes = await stored();
      expect(bytes).not.toBeNull();
      const winner = later === a ? 1 : 2;
      expect(bytes!.every((x) => x === winner)).toBe(true);
    }
  }, 60_000);

  it('overlapping uploads, whatever their offset, never leave the layer pointing at missing chunks', async () => {
    for (let offset = 0; offset < 8; offset++) {
      const late = (async () => {
        for (let i = 0; i < offset; i++) await env.DB.prepare('SELECT 1').first();
        return writeLayer(env.DB, 'population', layerOf(20 + offset), {});
      })();
      const [first, second] = await Promise.all([writeLayer(env.DB, 'population', layerOf(100 + offset), {}), late]);
      const bytes = await stored();
      expect(bytes, `offset ${offset}`).not.toBeNull();
      const later = first.version > second.version ? first : second;
      expect(later.current).toBe(true);
      const winner = later === first ? 100 + offset : 20 + offset;
      expect(bytes!.every((x) => x === winner)).toBe(true);
      // Nothing left behind but the layer's own chunks.
      const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM planning_chunks WHERE layer = 'population'").first<{ n: number }>();
      expect(left!.n).toBe(4);
    }
    await env.DB.batch([
      env.DB.prepare("DELETE FROM planning_layers WHERE layer = 'population'"),
      env.DB.prepare("DELETE FROM planning_chunks WHERE layer = 'population'"),
    ]);
  }, 60_000);
});

describe('security headers', () => {
  it('serves the Swagger page under a strict CSP with no inline script, and its start without persisted authorization', async () => {
    const res = await call('/api/docs');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    const inline = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc=/.test(m[1]!) || m[2]!.trim());
    expect(inline).toEqual([]);
    const init = await call('/api/docs/init.js');
    expect(init.headers.get('content-type')).toContain('text/javascript');
    const js = await init.text();
    expect(js).toContain('SwaggerUIBundle');
    expect(js).not.toMatch(/persistAuthorization:\s*true/);
  });

  it('sends nosniff, a referrer policy and frame-ancestors none on API answers and problems', async () => {
    for (const res of [await call('/api/v1/public/map'), await call('/api/v1/stations'), await call('/api/nowhere')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('allows cross-origin reads only under /api/v1/public/', async () => {
    const origin = { headers: { origin: 'https://elsewhere.example' } };
    expect((await call('/api/v1/public/map', origin)).headers.get('access-control-allow-origin')).toBe('*');
    expect((await call('/api/v1/stations', { ...origin, token: ADMIN })).headers.get('access-control-allow-origin')).toBeNull();
    expect((await call('/api/openapi.json', origin)).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('tokens stay secret', () => {
  it('never echoes a token from the ThingsBoard path', async () => {
    const { token } = await benchWithDevice();
    expect(redactPath(`/api/v1/${token}/telemetry`)).toBe('/api/v1/{token}/telemetry');
    const res = await call(`/api/v1/${token}/telemetry`, { method: 'GET' });
    expect(res.status).toBe(405);
    const text = await res.text();
    expect(text).not.toContain(token);
    const bad = await call(`/api/v1/${token}x/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(401);
    expect(await bad.text()).not.toContain(token);
  });

  it('does not bring a disabled device’s token back when the device is enabled again', async () => {
    const { device, token } = await stationWithDevice();
    const send = (t: string) =>
      call('/api/v1/telemetry', { method: 'POST', token: t, json: { messages: [{ seq: 1, ts: Date.now(), type: 'heartbeat' }] } });
    expect((await asAdmin(`/api/v1/devices/${device}`, { method: 'PATCH', json: { disabled: true } })).status).toBe(200);
    expect((await send(token)).status).toBe(403);
    expect((await asAdmin(`/api/v1/devices/${device}`, { method: 'PATCH', json: { disabled: false } })).status).toBe(200);
    expect((await send(token)).status).toBe(401);
    const rotated = (await (await asAdmin(`/api/v1/devices/${device}/token`, { method: 'POST' })).json()) as { token: string };
    expect((await send(rotated.token)).status).toBe(200);
    // A device never disabled keeps its token through a PATCH of something else.
    const { device: other, token: kept } = await stationWithDevice();
    expect((await asAdmin(`/api/v1/devices/${other}`, { method: 'PATCH', json: { disabled: false, name: 'renamed' } })).status).toBe(200);
    expect((await send(kept)).status).toBe(200);
  });

  it('refuses a short ADMIN_TOKEN secret even when presented exactly, saying why', async () => {
    const short = 'short-secret-123';
    const res = await callWith({ ADMIN_TOKEN: short } as Partial<Env>, '/api/v1/tokens', { token: short });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toContain('shorter than 32');
    const long = 'a-long-enough-admin-secret-0123456789';
    expect((await callWith({ ADMIN_TOKEN: long } as Partial<Env>, '/api/v1/tokens', { token: long })).status).toBe(200);
  });

  it('throttles failed authentications per client: 429 past the limit, valid tokens included; other clients unaffected', async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
    const statuses: number[] = [];
    await insideOneWindow(60);
    for (let i = 0; i < 30; i++) statuses.push((await call('/api/v1/tokens', from(ip, `api_wrong${i}`))).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const blocked = await call('/api/v1/tokens', from(ip, ADMIN));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('content-type')).toBe('application/problem+json');
    expect((await call('/api/v1/tokens', from('203.0.113.9', ADMIN))).status).toBe(200);
  }, 30_000);
});

describe('bounded and guarded work', () => {
  it('bench routes, when enabled, need the admin token', async () => {
    const body = JSON.stringify({ device: 'bench-x', messages: [{ seq: 1, ts: Date.now(), type: 'heartbeat' }] });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    expect((await callWith({ BENCH_ROUTES: '1' }, '/api/bench/insert', init)).status).toBe(401);
    expect((await callWith({ BENCH_ROUTES: '1' }, '/api/bench/insert', { ...init, token: ADMIN })).status).toBe(200);
    expect((await callWith({ BENCH_ROUTES: '' }, '/api/bench/insert', { ...init, token: ADMIN })).status).toBe(404);
  });

  it('refuses siting work past its bound with a 400 before starting, and still answers a normal request', async () => {
    // A 60 × 60 street grid, ~100 m blocks: about 7,200 edges.
    const n = 60;
    const step = 0.001;
    const lines = [];
    for (let i = 0; i <= n; i++) {
      lines.push(Array.from({ length: n + 1 }, (_, j) => [115.9 + j * step, 36.4 + i * step]));
      lines.push(Array.from({ length: n + 1 }, (_, j) => [115.9 + i * step, 36.4 + j * step]));
    }
    const fc = {
      type: 'FeatureCollection',
      features: lines.map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } })),
    };
    expect((await asAdmin('/api/v1/network', { method: 'PUT', json: fc })).status).toBe(200);
    const csv = ['lon,lat,population', '115.91,36.41,100', '115.95,36.45,200', '115.93,36.42,50'].join('\n');
    expect((await asAdmin('/api/v1/population', { method: 'PUT', body: csv, headers: { 'content-type': 'text/csv' } })).status).toBe(200);
    const candidates = Array.from({ length: 5000 }, (_, i) => ({ lon: 115.9 + (i % 60) * step, lat: 36.4 + Math.floor(i / 100) * step }));
    const res = await asAdmin('/api/v1/coverage/suggest', { method: 'POST', json: { k: 3, level: 120, speed: 500, candidates } });
    expect(res.status).toBe(400);
    const p = (await res.json()) as { detail: string; errors: Array<{ pointer: string }> };
    expect(p.errors[0]!.pointer).toBe('/candidates');
    expect(p.detail).toContain('edge visits');
    const ok = await asAdmin('/api/v1/coverage/suggest', {
      method: 'POST',
      json: { k: 1, level: 15, candidates: candidates.slice(0, 20) },
    });
    expect(ok.status).toBe(200);
  });
});

describe('public endpoints at the edge', () => {
  it('serves a repeated public GET from the edge cache', async () => {
    const { station } = await stationWithDevice();
    const path = `/api/v1/public/map?x=${crypto.randomUUID()}`;
    const first = await callWith({ PUBLIC_CACHE_S: '30' }, path);
    if (first.status !== 200) return expect(first.status).toBe(400); // the map takes no unknown query: then the cache is not exercised here
    expect(first.headers.get('x-edge-cache')).toBe('miss');
    expect(first.headers.get('cache-control')).toBe('public, max-age=30');
    const body = await first.text();
    expect(body).toContain(station);
    const second = await callWith({ PUBLIC_CACHE_S: '30' }, path);
    expect(second.headers.get('x-edge-cache')).toBe('hit');
    expect(await second.text()).toBe(body);
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('limits public requests per client', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200) + 1}`;
    let limited: Response | null = null;
    await insideOneWindow(60, 30_000);
    // A query the endpoint refuses (400) still counts: the limit comes before any work.
    for (let i = 0; i < 200 && !limited; i++) {
      const res = await call('/api/v1/public/nearest', from(ip));
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(400);
    }
    expect(limited).not.toBeNull();
    expect(limited!.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('/api/v1/public/map', from('192.0.2.250'))).status).toBe(200);
  }, 60_000);
});
