import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { requireDistrict } from '../db/districts.ts';
import { getItem } from '../db/items.ts';
import { getStation, insertStation, loadStations, patchStation, setStationItem, stationExists } from '../db/stations.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, Id, json, problems } from '../schemas/common.ts';
import { Station, StationCreate, StationItem, StationItemParams, StationItemSettings, StationPatch } from '../schemas/sites.ts';
import { recordRoutes } from './record-routes.ts';

/**
 * Stations for staff, planners and admins (any user API token): the full picture, including
 * stock and health. Citizens and workers' phones use the public map and nearest endpoints.
 */
const app = createRouter();
const tags = ['Sites'];
const site = recordRoutes({
  noun: 'station',
  create: StationCreate,
  patch: StationPatch,
  view: Station,
  summaries: {
    create: 'Register an outdoor-worker rest station',
    get: 'One station: open now, stock on hand, per-item settings, health',
    patch: 'Change a station’s name, district, position, opening hours or opening day',
  },
});

/** The station as the API shows it now (open state and stock are as of this moment). */
const stationNow = (c: Context<AppEnv>, id: string) => getStation(c.env.DB, id, Date.now(), readConfig(c.env).tz);

app.openapi(site.create, async (c) => {
  const s = c.req.valid('json');
  if (await stationExists(c.env.DB, s.id)) throw site.taken(s.id);
  await requireDistrict(c.env.DB, s.district);
  if (!(await insertStation(c.env.DB, s))) throw site.taken(s.id);
  return c.json((await stationNow(c, s.id))!, 201);
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List stations with stock, open state and health',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: z.object({ district: Id.optional() }) },
    responses: { 200: json(z.object({ stations: z.array(Station) }), 'Stations'), ...problems(400, 401, 403) },
  }),
  async (c) => c.json({ stations: await loadStations(c.env.DB, c.req.valid('query'), Date.now(), readConfig(c.env).tz) }, 200),
);

app.openapi(site.get, async (c) => {
  const { id } = c.req.valid('param');
  return c.json(site.found(await stationNow(c, id), id), 200);
});

app.openapi(site.patch, async (c) => {
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  if (!(await stationExists(c.env.DB, id))) throw site.missing(id);
  if (patch.district !== undefined) await requireDistrict(c.env.DB, patch.district);
  await patchStation(c.env.DB, id, patch);
  return c.json((await stationNow(c, id))!, 200);
});

app.openapi(
  createRoute({
    method: 'put',
    path: '/{id}/items/{item}',
    tags,
    summary: 'Set an item’s par level (full) and reorder point at a station',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: StationItemParams, body: { required: true, content: { 'application/json': { schema: StationItemSettings } } } },
    responses: { 200: json(StationItem, 'The item at the station'), ...problems(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { id, item } = c.req.valid('param');
    const settings = c.req.valid('json');
    if (!(await stationExists(c.env.DB, id))) throw site.missing(id);
    if (!(await getItem(c.env.DB, item))) throw new ApiError('not_found', `No item "${item}"; register it first with POST /api/v1/items`);
    await setStationItem(c.env.DB, id, item, settings);
    const s = (await stationNow(c, id))!;
    return c.json(s.items.find((i) => i.item === item)!, 200);
  },
);

export default app;
