import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { runCoverage, type CoverageRun } from '../coverage/engine.ts';
import { listTrend } from '../db/coverage-trend.ts';
import { suggest, whatIf } from '../coverage/whatif.ts';
import { aggregate, DEFAULT_LEVELS, isCovered, minutesOf } from '../domain/coverage/aggregate.ts';
import { reachableArea } from '../domain/coverage/area.ts';
import { unitNearest } from '../domain/coverage/compute.ts';
import { DETOUR_FACTOR } from '../domain/coverage/geo.ts';
import { toCsv } from '../domain/csv.ts';
import { addDays, localDay } from '../domain/local-time.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, json, problems } from '../schemas/common.ts';
import {
  AreaQuery,
  Coverage,
  CoverageQuery,
  Suggest,
  SuggestBody,
  Trend,
  TrendQuery,
  UnitsQuery,
  WhatIf,
  WhatIfBody,
} from '../schemas/planning.ts';

/**
 * 15-minute life-circle coverage (GB 50180-2018): population-weighted reachability along the
 * walking network. Walking time = the unit's access leg + network distance + the amenity's access
 * leg, divided by the walking speed; covered at level L when at most L minutes.
 */
const app = createRouter();
const tags = ['Coverage'];

interface Selection {
  kind: 'station' | 'bench' | 'all';
  item: string | null;
  live: boolean;
  speed: number;
  levels: number[];
}

function selection(
  c: Context<AppEnv>,
  q: { kind?: Selection['kind']; item?: string; live?: boolean; speed?: number; levels?: number[] },
): Selection {
  return {
    kind: q.kind ?? 'all',
    item: q.item ?? null,
    live: q.live ?? false,
    speed: q.speed ?? readConfig(c.env).walkSpeedMPerMin,
    levels: q.levels ?? DEFAULT_LEVELS,
  };
}

function run(c: Context<AppEnv>, s: Selection): Promise<CoverageRun> {
  return runCoverage(c.env.DB, { kind: s.kind, item: s.item, live: s.live }, Date.now(), readConfig(c.env).tz);
}

function coverageBody(r: CoverageRun, s: Selection) {
  const pop = r.planning.population?.population;
  const f = pop
    ? aggregate(r.metres, pop.pop, pop.district, pop.districts, s.levels, s.speed)
    : aggregate(new Float64Array(0), new Float64Array(0), new Int32Array(0), [], s.levels, s.speed);
  return {
    method: r.method,
    speed_m_per_min: s.speed,
    ...(r.method === 'straight_line' ? { detour_factor: DETOUR_FACTOR } : {}),
    kind: s.kind,
    item: s.item,
    live: s.live,
    amenities: r.amenities.length,
    ...f,
    inputs: {
      network_version: r.planning.network?.version ?? null,
      population_version: r.planning.population?.version ?? null,
      amenities_hash: r.hash,
    },
    computed_at: new Date(r.computedAt).toISOString(),
  };
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'Population-weighted walking coverage at 5/10/15-minute levels, overall and by district',
    description:
      'method "network" when a walking network is loaded, else "straight_line" (straight line × detour_factor). kind: which amenities; item: stations carrying the item (benches still count, by their own live rule); ' +
      'live=true: only stations open now (and holding the item), benches above 20 % charge with a free port. speed overrides the configured walking speed (m/min).',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { query: CoverageQuery },
    responses: { 200: json(Coverage, 'Coverage'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const s = selection(c, c.req.valid('query'));
    return c.json(coverageBody(await run(c, s), s), 200);
  },
);

function levelOf(metres: number, levels: number[], speed: number): number | null {
  for (const l of levels) if (isCovered(metres, l, speed)) return l;
  return null;
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/units',
    tags,
    summary:
      'Every population unit with its walking minutes, the smallest level covering it, the amenity it is measured to and its access leg (GeoJSON or CSV)',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { query: UnitsQuery },
    responses: {
      200: {
        description: 'Units',
        content: {
          'application/geo+json': { schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }) },
          'text/csv': { schema: z.string() },
        },
      },
      ...problems(400, 401, 403),
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const s = selection(c, q);
    const r = await run(c, s);
    const pop = r.planning.population?.population;
    const n = pop?.lon.length ?? 0;
    // Which amenity each time is measured to, and the unit's own access leg: what a planner needs
    // to check a figure against their GIS.
    const snaps = r.planning.snaps;
    const nearest = r.state && snaps && r.planning.network ? unitNearest(r.planning.network.network, r.state, snaps) : null;
    const row = (i: number) => {
      const m = minutesOf(r.metres[i]!, s.speed);
      const a = nearest ? nearest[i]! : -1;
      return {
        lon: pop!.lon[i]!,
        lat: pop!.lat[i]!,
        population: pop!.pop[i]!,
        district: pop!.district[i]! >= 0 ? pop!.districts[pop!.district[i]!]! : null,
        name: pop!.names[i] ?? null,
        minutes: m === null ? null : Math.round(m * 100) / 100,
        level: levelOf(r.metres[i]!, s.levels, s.speed),
        nearest: a >= 0 ? r.amenities[a]!.id : null,
        access_m: snaps && snaps.edge[i]! >= 0 ? Math.round(snaps.leg[i]! * 10) / 10 : null,
      };
    };
    if (q.format === 'csv') {
      const rows = Array.from({ length: n }, (_, i) => {
        const u = row(i);
        return [u.lon, u.lat, u.population, u.district, u.name, u.minutes, u.level, u.nearest, u.access_m];
      });
      const head = ['lon', 'lat', 'population', 'district', 'name', 'minutes', 'level', 'nearest', 'access_m'];
      return c.body(toCsv(head, rows, '\n'), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="coverage-units.csv"',
      });
    }
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const { lon, lat, ...props } = row(i);
      parts.push(JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: props }));
    }
    const body = `{"type":"FeatureCollection","method":${JSON.stringify(r.method)},"speed_m_per_min":${s.speed},"levels":${JSON.stringify(s.levels)},"features":[${parts.join(',')}]}`;
    return c.body(body, 200, { 'content-type': 'application/geo+json' });
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/area',
    tags,
    summary: 'The walking network within N minutes of one amenity (reachable edges as GeoJSON)',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { query: AreaQuery },
    responses: {
      200: {
        description: 'Reachable edges',
        content: { 'application/geo+json': { schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }) } },
      },
      ...problems(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const s = selection(c, { speed: q.speed });
    const minutes = q.minutes ?? 15;
    const r = await run(c, s);
    const a = r.amenities.find((x) => x.id === q.amenity);
    if (!a) throw new ApiError('not_found', `No station or bench "${q.amenity}"`);
    const net = r.planning.network;
    if (!net) throw new ApiError('conflict', 'No walking network is loaded: PUT /api/v1/network first');
    const snap = net.index.snap(a.lon, a.lat)!;
    const pieces = reachableArea(net.network, snap, minutes * s.speed);
    const features = [
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
        properties: { role: 'amenity', id: a.id, kind: a.kind, access_m: Math.round(snap.leg * 10) / 10 },
      },
      ...pieces.map((p) => ({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: p.coordinates },
        properties: { role: 'reachable', edge: p.edge, from: p.from, to: p.to },
      })),
    ];
    return c.json({ type: 'FeatureCollection' as const, amenity: a.id, minutes, speed_m_per_min: s.speed, features }, 200, {
      'content-type': 'application/geo+json',
    });
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/trend',
    tags,
    summary: 'Live coverage recorded every hour (default: the last 7 local days)',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { query: TrendQuery },
    responses: { 200: json(Trend, 'Trend'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const tz = readConfig(c.env).tz;
    const to = q.to ?? localDay(Date.now(), tz);
    const from = q.from ?? addDays(to, -6);
    if (from > to)
      throw new ApiError('validation_failed', 'from must not be after to', {
        errors: [{ in: 'query', pointer: '/from', message: 'from must not be after to' }],
      });
    const kind = q.kind ?? 'all';
    return c.json({ tz, kind, from, to, rows: await listTrend(c.env.DB, kind, from, to) }, 200);
  },
);

app.openapi(
  createRoute({
    method: 'post',
    path: '/what-if',
    tags,
    summary: 'Coverage change from adding, moving or removing sites (nothing is saved)',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: WhatIfBody } } } },
    responses: { 200: json(WhatIf, 'Before, after and the change'), ...problems(400, 401, 403, 409, 415) },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const s = selection(c, b);
    return c.json(whatIf(await run(c, s), b, s.levels, s.speed), 200);
  },
);

app.openapi(
  createRoute({
    method: 'post',
    path: '/suggest',
    tags,
    summary: 'Where k more sites would cover the most residents (greedy maximal covering)',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: SuggestBody } } } },
    responses: { 200: json(Suggest, 'Ranked sites with the population each adds'), ...problems(400, 401, 403, 409, 415) },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const s = selection(c, b);
    return c.json(suggest(await run(c, s), b, s.speed), 200);
  },
);

export default app;
