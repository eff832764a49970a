import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { getDistrict, insertDistrict, listDistricts, patchDistrict } from '../db/districts.ts';
import { bearerAuth, json, problems } from '../schemas/common.ts';
import { DistrictCreate, DistrictDetail, DistrictPatch, District } from '../schemas/sites.ts';
import { recordRoutes } from './record-routes.ts';

const app = createRouter();
const site = recordRoutes({
  noun: 'district',
  create: DistrictCreate,
  patch: DistrictPatch,
  view: DistrictDetail,
  summaries: {
    create: 'Register a district',
    get: 'One district, with its boundary',
    patch: 'Rename a district or replace its boundary (null removes it)',
  },
});

app.openapi(site.create, async (c) => {
  const d = c.req.valid('json');
  if (!(await insertDistrict(c.env.DB, d))) throw site.taken(d.id);
  return c.json((await getDistrict(c.env.DB, d.id))!, 201);
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Sites'],
    summary: 'List districts',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    responses: { 200: json(z.object({ districts: z.array(District) }), 'Districts'), ...problems(401, 403) },
  }),
  async (c) => c.json({ districts: await listDistricts(c.env.DB) }, 200),
);

app.openapi(site.get, async (c) => {
  const { id } = c.req.valid('param');
  return c.json(site.found(await getDistrict(c.env.DB, id), id), 200);
});

app.openapi(site.patch, async (c) => {
  const { id } = c.req.valid('param');
  if (!(await patchDistrict(c.env.DB, id, c.req.valid('json')))) throw site.missing(id);
  return c.json((await getDistrict(c.env.DB, id))!, 200);
});

export default app;
