import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { benchSeries, deviceMessages, stationSeries } from '../db/dashboard-series.ts';
import { loadBenches, loadStations, benchSummary, stationSummary, type StationState } from '../db/dashboard-state.ts';
import { loadOverview } from '../db/dashboard-overview.ts';
import { mapBase, suppliesReport } from '../db/dashboard-supplies.ts';
import { streetSegments } from '../coverage/engine.ts';
import { addDays, localDay } from '../domain/local-time.ts';
import { PERIODS } from '../domain/report-periods.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, Day, Id, json, problems } from '../schemas/common.ts';
import * as S from '../schemas/dashboard.ts';

/**
 * What the dashboard screens read. Every series comes from the hourly / daily rollups or the
 * current-state columns; only the "last messages" list reads the message ledger, for one device.
 */
const app = createRouter();
const anyRole = requireRole('staff', 'planner');
const tags = ['Dashboard'];

/** Every dashboard read answers 200 with its schema, or a problem for a bad query or token. */
const read = <T extends z.ZodType>(schema: T, description: string) => ({ 200: json(schema, description), ...problems(400, 401, 403) });

function clock(c: Context<AppEnv>) {
  const cfg = readConfig(c.env);
  const now = Date.now();
  return { now, tz: cfg.tz, today: localDay(now, cfg.tz), cfg };
}

function checkRange(from: string, to: string, maxDays: number, where: { from: string; to: string }): void {
  if (from > to)
    throw new ApiError('validation_failed', `"from" (${from}) is after "to" (${to})`, {
      errors: [{ in: 'query', pointer: where.from, message: 'must not be after to' }],
    });
  if (addDays(from, maxDays) <= to)
    throw new ApiError('validation_failed', `The range may span at most ${maxDays} days`, {
      errors: [{ in: 'query', pointer: where.to, message: `at most ${maxDays} days after from` }],
    });
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/me',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: "The caller's role",
    responses: read(S.Me, 'Who is calling'),
  }),
  (c) => {
    const caller = c.get('caller')!;
    return c.json({ id: caller.id, role: caller.role }, 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/config',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'Time zone, map tiles, items and districts',
    responses: read(S.Config, 'Configuration for the screens'),
  }),
  async (c) => {
    const { now, tz, today, cfg } = clock(c);
    const [items, districts] = await c.env.DB.batch([
      c.env.DB.prepare('SELECT code, name_zh, name_en, unit, registered FROM items ORDER BY registered DESC, code'),
      c.env.DB.prepare('SELECT id, name FROM districts ORDER BY id'),
    ]);
    type ItemRow = { code: string; name_zh: string | null; name_en: string | null; unit: string | null; registered: number };
    return c.json(
      {
        tz,
        today,
        now: new Date(now).toISOString(),
        city_name: c.env.CITY_NAME ?? '',
        map_tile_url: cfg.mapTileUrl,
        items: (items!.results as ItemRow[]).map((i) => ({ ...i, registered: i.registered === 1 })),
        districts: districts!.results as Array<{ id: string; name: string }>,
      },
      200,
    );
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/overview',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'The fleet at a glance',
    responses: read(S.Overview, 'Overview figures'),
  }),
  async (c) => c.json(await loadOverview(c.env.DB, clock(c)), 200),
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/stations',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'Every station with its state now',
    responses: read(S.StationList, 'Stations'),
  }),
  async (c) => c.json({ stations: (await loadStations(c.env.DB, clock(c))).map(stationSummary) }, 200),
);

const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });
const notFound = { 404: problems(404)[404] };

async function oneStation(c: Context<AppEnv>, id: string): Promise<StationState> {
  const [s] = await loadStations(c.env.DB, { ...clock(c), id });
  if (!s) throw new ApiError('not_found', `No station "${id}"`);
  return s;
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/stations/{id}',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'One station: stock, devices, faults',
    request: { params: IdParam },
    responses: { ...read(S.StationDetail, 'The station'), ...notFound },
  }),
  async (c) => {
    const s = await oneStation(c, c.req.valid('param').id);
    const { devices, ...rest } = s;
    const detail = {
      ...rest,
      devices: devices.map((d) => ({
        id: d.id,
        kind: d.kind,
        last_seen: d.last_seen === null ? null : new Date(d.last_seen).toISOString(),
        disabled: d.disabled === 1,
      })),
    };
    return c.json(detail, 200);
  },
);

const SeriesQuery = z.object({
  from: Day.optional().openapi({ description: 'First local day (default: 29 days before to)' }),
  to: Day.optional().openapi({ description: 'Last local day (default: today)' }),
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/stations/{id}/series',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'Per day: supplies by item and visitors',
    request: { params: IdParam, query: SeriesQuery },
    responses: { ...read(S.StationSeries, 'Daily series'), ...notFound },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const { today } = clock(c);
    const to = q.to ?? today;
    const from = q.from ?? addDays(to, -29);
    checkRange(from, to, 400, { from: '/from', to: '/to' });
    await oneStation(c, id);
    return c.json(await stationSeries(c.env.DB, id, from, to), 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/benches',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'Every bench with its state now',
    responses: read(S.BenchList, 'Benches'),
  }),
  async (c) => c.json({ benches: (await loadBenches(c.env.DB, clock(c))).map(benchSummary) }, 200),
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/benches/{id}',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'One bench: battery, ports, faults',
    request: { params: IdParam },
    responses: { ...read(S.BenchDetail, 'The bench'), ...notFound },
  }),
  async (c) => {
    const id = c.req.valid('param').id;
    const [b] = await loadBenches(c.env.DB, { ...clock(c), id });
    if (!b) throw new ApiError('not_found', `No bench "${id}"`);
    return c.json(b, 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/benches/{id}/series',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'Battery, solar and load; energy and sessions per day and by hour of day',
    request: { params: IdParam, query: z.object({ range: S.BenchRange.default('24h') }) },
    responses: { ...read(S.BenchSeries, 'Series'), ...notFound },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { now, tz } = clock(c);
    const exists = await c.env.DB.prepare("SELECT 1 AS x FROM devices WHERE id = ? AND kind = 'bench'").bind(id).first();
    if (!exists) throw new ApiError('not_found', `No bench "${id}"`);
    return c.json(await benchSeries(c.env.DB, id, c.req.valid('query').range, now, tz), 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/devices/{id}/messages',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: "A device's newest messages",
    request: { params: IdParam, query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
    responses: { ...read(S.MessageList, 'Newest first'), ...notFound },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const exists = await c.env.DB.prepare('SELECT 1 AS x FROM devices WHERE id = ?').bind(id).first();
    if (!exists) throw new ApiError('not_found', `No device "${id}"`);
    return c.json(await deviceMessages(c.env.DB, id, c.req.valid('query').limit), 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/supplies',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'Distributed / restocked / lent / returned by item × place × period',
    request: {
      query: z.object({
        from: Day,
        to: Day,
        group: S.SuppliesGroup.default('item'),
        period: z.enum(PERIODS).default('day'),
      }),
    },
    responses: read(S.SuppliesReport, 'Report rows'),
  }),
  async (c) => {
    const q = c.req.valid('query');
    checkRange(q.from, q.to, 3660, { from: '/from', to: '/to' });
    return c.json(await suppliesReport(c.env.DB, { ...q, tz: clock(c).tz }), 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/map',
    tags,
    security: bearerAuth,
    middleware: [anyRole] as const,
    summary: 'Parks and district label points for the base map',
    responses: read(S.MapBase, 'Base layer'),
  }),
  async (c) => {
    const [base, streets] = await Promise.all([mapBase(c.env.DB), streetSegments(c.env.DB)]);
    return c.json({ ...base, streets }, 200);
  },
);

export default app;
