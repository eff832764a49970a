import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { getPerson, insertPerson, listPeople, patchPerson, personExists } from '../db/people.ts';
import { requireUnit } from '../db/units.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, Id, IdParam, json, problems } from '../schemas/common.ts';
import { Person, PersonCreate, PersonPatch } from '../schemas/responsibility.ts';

/** People (staff, handlers, supervisors). Admins manage them; supervisors read them (phones are personal data). */
const app = createRouter();
const tags = ['Responsibility'];

app.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Register a person (then give them a token with POST /api/v1/tokens {person})',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: PersonCreate } } } },
    responses: { 201: json(Person, 'The stored person'), ...problems(400, 401, 403, 409, 415) },
  }),
  async (c) => {
    const p = c.req.valid('json');
    if (await personExists(c.env.DB, p.id)) throw new ApiError('conflict', `A person with id "${p.id}" already exists`);
    if (p.unit) await requireUnit(c.env.DB, p.unit);
    if (!(await insertPerson(c.env.DB, p))) throw new ApiError('conflict', `A person with id "${p.id}" already exists`);
    return c.json((await getPerson(c.env.DB, p.id))!, 201);
  },
);

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

app.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    summary: 'One person with their teams (admin, supervisor)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam },
    responses: { 200: json(Person, 'The person'), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const p = await getPerson(c.env.DB, id);
    if (!p) throw new ApiError('not_found', `No person "${id}"`);
    return c.json(p, 200);
  },
);

app.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags,
    summary: 'Rename a person, move them to another unit or change their phone',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: PersonPatch } } } },
    responses: { 200: json(Person, 'The updated person'), ...problems(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const p = c.req.valid('json');
    if (!(await personExists(c.env.DB, id))) throw new ApiError('not_found', `No person "${id}"`);
    if (p.unit) await requireUnit(c.env.DB, p.unit);
    await patchPerson(c.env.DB, id, p);
    return c.json((await getPerson(c.env.DB, id))!, 200);
  },
);

export default app;
