import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { requireDistrict } from '../db/districts.ts';
import { getPark, insertPark, listParks, patchPark } from '../db/parks.ts';
import { bearerAuth, Id, json, problems } from '../schemas/common.ts';
import { Park, ParkCreate, ParkPatch } from '../schemas/sites.ts';
import { recordRoutes } from './record-routes.ts';

const app = createRouter();
const site = recordRoutes({
  noun: 'park',
  create: ParkCreate,
  patch: ParkPatch,
  view: Park,
  summaries: {
    create: 'Register a pocket park (where benches stand)',
    get: 'One park',
    patch: 'Change a park’s name, district or position',
  },
});

app.openapi(site.create, async (c) => {
  const p = c.req.valid('json');
  if (await getPark(c.env.DB, p.id)) throw site.taken(p.id);
  await requireDistrict(c.env.DB, p.district);
  if (!(await insertPark(c.env.DB, p))) throw site.taken(p.id);
  return c.json((await getPark(c.env.DB, p.id))!, 201);
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Sites'],
    summary: 'List parks',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: z.object({ district: Id.optional() }) },
    responses: { 200: json(z.object({ parks: z.array(Park) }), 'Parks'), ...problems(400, 401, 403) },
  }),
  async (c) => c.json({ parks: await listParks(c.env.DB, c.req.valid('query')) }, 200),
);

app.openapi(site.get, async (c) => {
  const { id } = c.req.valid('param');
  return c.json(site.found(await getPark(c.env.DB, id), id), 200);
});

app.openapi(site.patch, async (c) => {
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  if (!(await getPark(c.env.DB, id))) throw site.missing(id);
  if (patch.district !== undefined) await requireDistrict(c.env.DB, patch.district);
  await patchPark(c.env.DB, id, patch);
  return c.json((await getPark(c.env.DB, id))!, 200);
});

export default app;
