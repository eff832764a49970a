import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { requireDistrict } from '../db/districts.ts';
import {
  getUnit,
  insertUnit,
  listUnits,
  patchUnit,
  setUnitSitesStatements,
  unitExists,
  unitSites,
  unknownSites,
  type SiteList,
} from '../db/units.ts';
import { ApiError, type FieldError } from '../errors.ts';
import { bearerAuth, IdParam, json, problems } from '../schemas/common.ts';
import { Unit, UnitCreate, UnitPatch, UnitSites, UnitSitesView } from '../schemas/responsibility.ts';
import { recordRoutes } from './record-routes.ts';

/** Responsible units (包片), managed by admins; anyone signed in may list them (board filters). */
const app = createRouter();
const tags = ['Responsibility'];
const record = recordRoutes({
  noun: 'unit',
  tags,
  create: UnitCreate,
  patch: UnitPatch,
  view: Unit,
  summaries: {
    create: 'Register a responsible unit (街道办事处, 环卫所, park management…)',
    get: 'One unit',
    patch: 'Rename a unit or change its kind or district',
  },
});

app.openapi(record.create, async (c) => {
  const u = c.req.valid('json');
  if (await unitExists(c.env.DB, u.id)) throw record.taken(u.id);
  if (u.district) await requireDistrict(c.env.DB, u.district);
  if (!(await insertUnit(c.env.DB, u))) throw record.taken(u.id);
  return c.json((await getUnit(c.env.DB, u.id))!, 201);
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List responsible units with how many sites each answers for',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    responses: { 200: json(z.object({ units: z.array(Unit) }), 'Units'), ...problems(401, 403) },
  }),
  async (c) => c.json({ units: await listUnits(c.env.DB) }, 200),
);

app.openapi(record.get, async (c) => {
  const { id } = c.req.valid('param');
  return c.json(record.found(await getUnit(c.env.DB, id), id), 200);
});

app.openapi(record.patch, async (c) => {
  const { id } = c.req.valid('param');
  const p = c.req.valid('json');
  if (!(await unitExists(c.env.DB, id))) throw record.missing(id);
  if (p.district) await requireDistrict(c.env.DB, p.district);
  await patchUnit(c.env.DB, id, p);
  return c.json((await getUnit(c.env.DB, id))!, 200);
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/sites',
    tags,
    summary: 'The stations, parks and benches a unit is responsible for',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { params: IdParam },
    responses: { 200: json(UnitSitesView, 'Its sites'), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    if (!(await unitExists(c.env.DB, id))) throw record.missing(id);
    return c.json(await unitSites(c.env.DB, id), 200);
  },
);

app.openapi(
  createRoute({
    method: 'put',
    path: '/{id}/sites',
    tags,
    summary: 'Set which stations, parks and benches a unit is responsible for (包片)',
    description:
      'For each of `stations`, `parks`, `benches` given, exactly those sites are the unit’s afterwards: listed sites move to it from any other unit, ' +
      'sites of that kind it had and that are not listed are released. A kind left out is unchanged. A bench without its own unit follows its park’s. ' +
      'All-or-nothing: one unknown id and nothing changes.',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: UnitSites } } } },
    responses: { 200: json(UnitSitesView, 'Its sites afterwards'), ...problems(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    if (!(await unitExists(c.env.DB, id))) throw record.missing(id);
    const lists = (['stations', 'parks', 'benches'] as const).filter((k): k is SiteList => body[k] !== undefined);
    const errors: FieldError[] = [];
    for (const list of lists) {
      const ids = body[list]!;
      for (const missing of await unknownSites(c.env.DB, list, ids)) {
        errors.push({
          in: 'body',
          pointer: `/${list}/${ids.indexOf(missing)}`,
          message: `no ${list === 'benches' ? 'bench' : list.slice(0, -1)} with id "${missing}"`,
        });
      }
    }
    if (errors.length)
      throw new ApiError('validation_failed', `${errors.length} unknown site${errors.length === 1 ? '' : 's'}; nothing was changed`, {
        errors,
      });
    const statements = lists.flatMap((list) => setUnitSitesStatements(c.env.DB, id, list, body[list]!));
    if (statements.length) await c.env.DB.batch(statements);
    return c.json(await unitSites(c.env.DB, id), 200);
  },
);

export default app;
