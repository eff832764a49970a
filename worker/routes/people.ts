import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { getPerson, insertPerson, listPeople, patchPerson, personExists } from '../db/people.ts';
import { requireUnit } from '../db/units.ts';
import { bearerAuth, Id, json, problems } from '../schemas/common.ts';
import { Person, PersonCreate, PersonPatch } from '../schemas/responsibility.ts';
import { recordRoutes } from './record-routes.ts';

/** People (staff, handlers, supervisors). Admins manage them; supervisors read them (phones are personal data). */
const app = createRouter();
const tags = ['Responsibility'];
const record = recordRoutes({
  noun: 'person',
  tags,
  // Phones are personal data: only admins and supervisors read a person.
  readers: ['admin'],
  create: PersonCreate,
  patch: PersonPatch,
  view: Person,
  summaries: {
    create: 'Register a person (then give them a token with POST /api/v1/tokens {person})',
    get: 'One person with their teams (admin, supervisor)',
    patch: 'Rename a person, move them to another unit or change their phone',
  },
});

app.openapi(record.create, async (c) => {
  const p = c.req.valid('json');
  if (await personExists(c.env.DB, p.id)) throw record.taken(p.id);
  if (p.unit) await requireUnit(c.env.DB, p.unit);
  if (!(await insertPerson(c.env.DB, p))) throw record.taken(p.id);
  return c.json((await getPerson(c.env.DB, p.id))!, 201);
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List people (admin, supervisor)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { query: z.object({ unit: Id.optional() }) },
    responses: { 200: json(z.object({ people: z.array(Person) }), 'People'), ...problems(400, 401, 403) },
  }),
  async (c) => c.json({ people: await listPeople(c.env.DB, c.req.valid('query')) }, 200),
);

app.openapi(record.get, async (c) => {
  const { id } = c.req.valid('param');
  return c.json(record.found(await getPerson(c.env.DB, id), id), 200);
});

app.openapi(record.patch, async (c) => {
  const { id } = c.req.valid('param');
  const p = c.req.valid('json');
  if (!(await personExists(c.env.DB, id))) throw record.missing(id);
  if (p.unit) await requireUnit(c.env.DB, p.unit);
  await patchPerson(c.env.DB, id, p);
  return c.json((await getPerson(c.env.DB, id))!, 200);
});

export default app;
