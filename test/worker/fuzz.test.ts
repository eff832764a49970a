import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, asAdmin, call } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';

/**
 * Hostile requests through the real Worker (docs/security.md): every documented endpoint and
 * method, plus methods it does not take, with hostile paths, queries, headers and bodies. Every
 * answer must be below 500; every refusal an RFC 9457 problem; and a run of requests whose writes
 * were all refused must leave every table as it was (compared in full).
 */

const REQUESTS = 10_400;
const RUN = 20;

const HOSTILE_STRINGS = [
  '',
  ' ',
  "'; DROP TABLE devices; --",
  '1 OR 1=1',
  '" OR ""="',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../etc/passwd',
  '%00',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '𝕏'.repeat(1000),
  '东昌府区',
  'x'.repeat(70_000),
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '2026-02-30',
  'urn:dev:bench-0007:',
  'stock:water',
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 2 ** 31, 2 ** 53 - 1, 2 ** 53 + 2, 2 ** 64, -(2 ** 63), 1e308, -1e308, 5e-324, 0.5, 1_000_000, 10_001),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** JSON values, hostile at every leaf. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(
      fc.oneof(
        hostileString,
        fc.constantFrom('id', 'name', 'seq', 'ts', 'type', 'messages', 'qty', 'item', 'levels', 'features', 'k', 'add', 'disabled', 'role'),
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

const NOW = Date.now();
/** Near-valid bodies: a valid shape with one field made hostile reaches the deep code. */
const VALID: Record<string, unknown> = {
  telemetry: {
    messages: [
      { seq: 1, ts: NOW - 60_000, type: 'dispense', item: 'water', qty: 2 },
      { seq: 2, ts: NOW, type: 'status', battery_soc: 50 },
    ],
  },
  district: { id: 'fz-d', name: 'Fuzz' },
  station: { id: 'fz-s', name: 'Fuzz', district: 'fz-d', lat: 36.4, lon: 115.9 },
  device: { id: 'fz-dev', kind: 'bench', site: 'fz-p' },
  suggest: { k: 2, candidates: [{ lon: 115.9, lat: 36.4 }] },
  whatif: { add: [{ lon: 115.9, lat: 36.4 }] },
  fc: {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { population: 10 }, geometry: { type: 'Point', coordinates: [115.9, 36.4] } }],
  },
  token: { name: 'fuzz', role: 'staff' },
  senml: [{ bn: 'urn:dev:x:', n: 'battery_soc', v: 50 }],
};

function mutate(value: unknown, path: string[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[Number(head) % Math.max(1, copy.length)] = mutate(copy[Number(head) % Math.max(1, copy.length)], rest, leaf);
    return copy;
  }
  if (value && typeof value === 'object')
    return { ...(value as object), [head!]: mutate((value as Record<string, unknown>)[head!], rest, leaf) };
  return leaf;
}

const nearValid = fc
  .tuple(
    fc.constantFrom(...Object.values(VALID)),
    fc.array(
      fc.constantFrom(
        'messages',
        '0',
        '1',
        'qty',
        'seq',
        'ts',
        'type',
        'item',
        'id',
        'name',
        'lat',
        'features',
        'properties',
        'geometry',
        'coordinates',
        'k',
        'candidates',
        'bn',
        'v',
      ),
      { maxLength: 4 },
    ),
    hostileJson,
  )
  .map(([base, path, leaf]) => JSON.stringify(mutate(base, path, leaf)));

const RAW_BODIES = [
  '',
  'null',
  '{',
  '{"messages": [}',
  'NaN',
  '{"seq": NaN}',
  '{"a":1,"a":2,"messages":[],"messages":{}}',
  '['.repeat(5000) + ']'.repeat(5000),
  '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
  JSON.stringify({ messages: Array.from({ length: 1001 }, (_, i) => ({ seq: i, ts: NOW, type: 'heartbeat' })) }),
  'lon,lat,population\n1,2,3\n"unterminated',
  '=cmd|"/c calc"!A1,1,2',
  '\uFEFF{"messages":[]}',
];

type Body = string | Uint8Array | null;
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 3, arbitrary: nearValid },
  { weight: 2, arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.from([0xff, 0xfe, 0xc3, ...b])) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/senml+json',
  'application/geo+json',
  'text/csv',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json ; charset=utf-16',
  'application/problem+json',
  '',
  'nonsense',
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Ctx {
  routes: Array<{ method: string; path: string }>;
  tokens: string[];
  ids: string[];
}

/** A path segment: percent-encoded, or (a lone surrogate has no UTF-8) a malformed escape as a hostile client would send. */
function segment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80%' + s.length.toString(16);
  }
}

function request(ctx: Ctx) {
  return fc
    .record({
      route: fc.constantFrom(...ctx.routes),
      otherMethod: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      params: fc.array(fc.oneof(fc.constantFrom(...ctx.ids), hostileString), { minLength: 4, maxLength: 4 }),
      query: fc.array(
        fc.tuple(
          fc.constantFrom('from', 'to', 'by', 'levels', 'kind', 'item', 'live', 'lat', 'lon', 'limit', 'need', 'days', 'station', 'x'),
          fc.oneof(hostileString, hostileNumber.map(String)),
        ),
        { maxLength: 4 },
      ),
      auth: fc.oneof(
        { weight: 3, arbitrary: fc.constant(ADMIN) },
        { weight: 3, arbitrary: fc.constantFrom(...ctx.tokens) },
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: hostileString.map((s) => `Bearer ${s}`) },
        { weight: 1, arbitrary: fc.constant('Basic YWRtaW46YWRtaW4=') },
      ),
      type: fc.constantFrom(...CONTENT_TYPES),
      body,
    })
    .map((r) => {
      const method = r.otherMethod ?? r.route.method;
      let i = 0;
      const path = r.route.path.replace(/\{[^}]+\}/g, () => segment(r.params[i++ % 4]!));
      const q = r.query.map(([k, v]) => `${k}=${segment(v)}`).join('&');
      const headers: Record<string, string> = { 'content-type': r.type };
      // Header values are byte strings: other characters cannot reach a server in a header at all.
      if (r.auth)
        headers.authorization = (r.auth.startsWith('Bearer ') || r.auth.startsWith('Basic ') ? r.auth : `Bearer ${r.auth}`).replace(
          /[^\x20-\x7e]/g,
          '?',
        );
      const hasBody = method !== 'GET' && method !== 'HEAD' && r.body !== null;
      return { method, url: `${path}${q ? `?${q}` : ''}`, headers, body: hasBody ? r.body : null };
    });
}

/** Every table's full content, in one query (the planning cache of derived joins excepted). */
async function snapshotSql(): Promise<string> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
  ).all<{ name: string }>();
  const parts: string[] = [];
  for (const { name } of results) {
    const cols = (await env.DB.prepare(`SELECT name FROM pragma_table_info(?)`).bind(name).all<{ name: string }>()).results.map(
      (c) => `quote("${c.name}")`,
    );
    const where = name.startsWith('planning_') ? " WHERE layer <> 'unit_snaps'" : '';
    parts.push(
      `(SELECT COUNT(*) || ':' || COALESCE(group_concat(${cols.join(" || ',' || ")}, ';'), '') FROM (SELECT * FROM "${name}"${where})) AS "${name}"`,
    );
  }
  return `SELECT ${parts.join(', ')}`;
}

let ctx: Ctx;
let SNAPSHOT = '';

beforeAll(async () => {
  const station = await stationWithDevice();
  const bench = await benchWithDevice();
  const staff = (await (await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'fuzz staff', role: 'staff' } })).json()) as {
    token: string;
  };
  const planner = (await (await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'fuzz planner', role: 'planner' } })).json()) as {
    token: string;
  };
  const doc = (await (await call('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path: path.replace(/:(\w+)/g, '{$1}') })),
  );
  routes.push(
    { method: 'POST', path: '/api/bench/insert' },
    { method: 'GET', path: '/api/nowhere/{x}' },
    { method: 'POST', path: `/api/v1/${bench.token}/telemetry` },
  );
  ctx = {
    routes,
    tokens: [ADMIN, staff.token, planner.token, station.token, bench.token],
    ids: [station.station, station.device, station.district, bench.park, bench.device, 'water', 'fz-d'],
  };
  SNAPSHOT = await snapshotSql();
});

describe('fuzzing the Worker with hostile requests', () => {
  it(`answers ${REQUESTS} hostile requests without a 5xx, every refusal a problem, and refused writes store nothing`, async () => {
    expect(ctx.routes.length).toBeGreaterThan(40);
    let sent = 0;
    let refused = 0;
    let verifiedRefusedWrites = 0;
    const statuses = new Map<number, number>();
    const runs = fc.sample(fc.array(request(ctx), { minLength: RUN, maxLength: RUN }), { numRuns: REQUESTS / RUN, seed: 20261130 });
    for (const run of runs) {
      const before = await env.DB.prepare(SNAPSHOT).raw();
      let writesAllRefused = true;
      let refusedWrites = 0;
      for (const r of run) {
        const res = await call(r.url, { method: r.method, headers: r.headers, body: r.body });
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = r.method === 'HEAD' ? '' : await res.text();
        const what = `${r.method} ${r.url.slice(0, 120)} (${r.headers['content-type']}) → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          refused++;
          if (r.method !== 'HEAD') {
            expect(res.headers.get('content-type'), what).toBe('application/problem+json');
            const p = JSON.parse(text) as { type: string; title: string; status: number; detail: string };
            expect(p.status, what).toBe(res.status);
            expect(typeof p.type === 'string' && typeof p.title === 'string' && typeof p.detail === 'string', what).toBe(true);
          }
          if (WRITES.has(r.method)) refusedWrites++;
        } else if (WRITES.has(r.method)) writesAllRefused = false;
        expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
      }
      if (writesAllRefused) {
        const after = await env.DB.prepare(SNAPSHOT).raw();
        expect(after).toEqual(before);
        verifiedRefusedWrites += refusedWrites;
      }
    }
    console.log(
      `fuzz: ${sent} requests, ${refused} refused, ${verifiedRefusedWrites} refused writes checked against a full table snapshot; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(verifiedRefusedWrites).toBeGreaterThan(1000);
  }, 900_000);
});
