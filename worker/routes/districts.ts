import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { getDistrict, insertDistrict, listDistricts, patchDistrict } from '../db/districts.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, IdParam, json, problems } from '../schemas/common.ts';
import { DistrictCreate, DistrictDetail, DistrictPatch, District } from '../schemas/sites.ts';

const app = createRouter();
const tags = ['Sites'];

app.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Register a district',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: DistrictCreate } } } },
    responses: { 201: json(DistrictDetail, 'The stored district'), ...problems(400, 401, 403, 409, 415) },
  }),
  async (c) => {
    const d = c.req.valid('json');
    if (!(await insertDistrict(c.env.DB, d))) throw new ApiError('conflict', `A district with id "${d.id}" already exists`);
    return c.json((await getDistrict(c.env.DB, d.id))!, 201);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List districts',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    responses: { 200: json(z.object({ districts: z.array(District) }), 'Districts'), ...problems(401, 403) },
  }),
  async (c) => c.json({ districts: await listDistricts(c.env.DB) }, 200),
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    summary: 'One district, with its boundary',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { params: IdParam },
    responses: { 200: json(DistrictDetail, 'The district'), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const d = await getDistrict(c.env.DB, id);
    if (!d) throw new ApiError('not_found', `No district "${id}"`);
    return c.json(d, 200);
  },
);

app.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags,
    summary: "Rename a district or replace its boundary (null removes it)",
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: DistrictPatch } } } },
    responses: { 200: json(DistrictDetail, 'The updated district'), ...problems(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    if (!(await patchDistrict(c.env.DB, id, c.req.valid('json')))) throw new ApiError('not_found', `No district "${id}"`);
    return c.json((await getDistrict(c.env.DB, id))!, 200);
  },
);

export default app;
