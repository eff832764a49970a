import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { requireDistrict } from '../db/districts.ts';
import { getItem } from '../db/items.ts';
import { getStation, insertStation, loadStations, patchStation, setStationItem, stationExists } from '../db/stations.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, Id, IdParam, json, problems } from '../schemas/common.ts';
import { Station, StationCreate, StationItem, StationItemParams, StationItemSettings, StationPatch } from '../schemas/sites.ts';

/**
 * Stations for staff, planners and admins (any user API token): the full picture, including
 * stock and health. Citizens and workers' phones use the public map and nearest endpoints.
 */
const app = createRouter();
const tags = ['Sites'];

app.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Register an outdoor-worker rest station',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: StationCreate } } } },
    responses: { 201: json(Station, 'The stored station'), ...problems(400, 401, 403, 409, 415) },
  }),
  async (c) => {
    const s = c.req.valid('json');
    if (await stationExists(c.env.DB, s.id)) throw new ApiError('conflict', `A station with id "${s.id}" already exists`);
    await requireDistrict(c.env.DB, s.district);
    if (!(await insertStation(c.env.DB, s))) throw new ApiError('conflict', `A station with id "${s.id}" already exists`);
    return c.json((await getStation(c.env.DB, s.id, Date.now(), readConfig(c.env).tz))!, 201);
  },
);

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

app.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    summary: 'One station: open now, stock on hand, per-item settings, health',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { params: IdParam },
    responses: { 200: json(Station, 'The station'), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const s = await getStation(c.env.DB, id, Date.now(), readConfig(c.env).tz);
    if (!s) throw new ApiError('not_found', `No station "${id}"`);
    return c.json(s, 200);
  },
);

app.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags,
    summary: 'Change a station’s name, district, position, opening hours or opening day',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: StationPatch } } } },
    responses: { 200: json(Station, 'The updated station'), ...problems(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    if (!(await stationExists(c.env.DB, id))) throw new ApiError('not_found', `No station "${id}"`);
    if (patch.district !== undefined) await requireDistrict(c.env.DB, patch.district);
    await patchStation(c.env.DB, id, patch);
    return c.json((await getStation(c.env.DB, id, Date.now(), readConfig(c.env).tz))!, 200);
  },
);

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
    if (!(await stationExists(c.env.DB, id))) throw new ApiError('not_found', `No station "${id}"`);
    if (!(await getItem(c.env.DB, item))) throw new ApiError('not_found', `No item "${item}"; register it first with POST /api/v1/items`);
    await setStationItem(c.env.DB, id, item, settings);
    const s = (await getStation(c.env.DB, id, Date.now(), readConfig(c.env).tz))!;
    return c.json(s.items.find((i) => i.item === item)!, 200);
  },
);

export default app;
