import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { requireDistrict } from '../db/districts.ts';
import { getPark, insertPark, listParks, patchPark } from '../db/parks.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, Id, IdParam, json, problems } from '../schemas/common.ts';
import { Park, ParkCreate, ParkPatch } from '../schemas/sites.ts';

const app = createRouter();
const tags = ['Sites'];

app.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Register a pocket park (where benches stand)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: ParkCreate } } } },
    responses: { 201: json(Park, 'The stored park'), ...problems(400, 401, 403, 409, 415) },
  }),
  async (c) => {
    const p = c.req.valid('json');
    if (await getPark(c.env.DB, p.id)) throw new ApiError('conflict', `A park with id "${p.id}" already exists`);
    await requireDistrict(c.env.DB, p.district);
    if (!(await insertPark(c.env.DB, p))) throw new ApiError('conflict', `A park with id "${p.id}" already exists`);
    return c.json((await getPark(c.env.DB, p.id))!, 201);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List parks',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: z.object({ district: Id.optional() }) },
    responses: { 200: json(z.object({ parks: z.array(Park) }), 'Parks'), ...problems(400, 401, 403) },
  }),
  async (c) => c.json({ parks: await listParks(c.env.DB, c.req.valid('query')) }, 200),
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    summary: 'One park',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { params: IdParam },
    responses: { 200: json(Park, 'The park'), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const p = await getPark(c.env.DB, id);
    if (!p) throw new ApiError('not_found', `No park "${id}"`);
    return c.json(p, 200);
  },
);

app.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags,
    summary: 'Change a park’s name, district or position',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ParkPatch } } } },
    responses: { 200: json(Park, 'The updated park'), ...problems(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    if (!(await getPark(c.env.DB, id))) throw new ApiError('not_found', `No park "${id}"`);
    if (patch.district !== undefined) await requireDistrict(c.env.DB, patch.district);
    await patchPark(c.env.DB, id, patch);
    return c.json((await getPark(c.env.DB, id))!, 200);
  },
);

export default app;
