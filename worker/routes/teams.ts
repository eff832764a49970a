import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { requirePeople } from '../db/people.ts';
import { getTeam, insertTeam, listTeams, patchTeam, setTeamMembers, teamExists } from '../db/teams.ts';
import { requireUnit } from '../db/units.ts';
import { bearerAuth, Id, IdParam, json, problems } from '../schemas/common.ts';
import { Team, TeamCreate, TeamMembers, TeamPatch } from '../schemas/responsibility.ts';
import { recordRoutes } from './record-routes.ts';

/** Teams (班组) and their members, managed by admins; anyone signed in may list them (dispatch, filters). */
const app = createRouter();
const tags = ['Responsibility'];
const record = recordRoutes({
  noun: 'team',
  tags,
  create: TeamCreate,
  patch: TeamPatch,
  view: Team,
  summaries: {
    create: 'Register a team, optionally with its members',
    get: 'One team with its members',
    patch: 'Rename a team or move it to another unit',
  },
});

app.openapi(record.create, async (c) => {
  const t = c.req.valid('json');
  if (await teamExists(c.env.DB, t.id)) throw record.taken(t.id);
  if (t.unit) await requireUnit(c.env.DB, t.unit);
  if (t.members) await requirePeople(c.env.DB, t.members, '/members');
  if (!(await insertTeam(c.env.DB, t))) throw record.taken(t.id);
  return c.json((await getTeam(c.env.DB, t.id))!, 201);
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List teams with their members',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: z.object({ unit: Id.optional() }) },
    responses: { 200: json(z.object({ teams: z.array(Team) }), 'Teams'), ...problems(400, 401, 403) },
  }),
  async (c) => c.json({ teams: await listTeams(c.env.DB, c.req.valid('query')) }, 200),
);

app.openapi(record.get, async (c) => {
  const { id } = c.req.valid('param');
  return c.json(record.found(await getTeam(c.env.DB, id), id), 200);
});

app.openapi(record.patch, async (c) => {
  const { id } = c.req.valid('param');
  const p = c.req.valid('json');
  if (!(await teamExists(c.env.DB, id))) throw record.missing(id);
  if (p.unit) await requireUnit(c.env.DB, p.unit);
  await patchTeam(c.env.DB, id, p);
  return c.json((await getTeam(c.env.DB, id))!, 200);
});

app.openapi(
  createRoute({
    method: 'put',
    path: '/{id}/members',
    tags,
    summary: 'Set a team’s members (exactly these people afterwards)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: TeamMembers } } } },
    responses: { 200: json(Team, 'The team with its members'), ...problems(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { members } = c.req.valid('json');
    if (!(await teamExists(c.env.DB, id))) throw record.missing(id);
    await requirePeople(c.env.DB, members, '/members');
    await setTeamMembers(c.env.DB, id, members);
    return c.json((await getTeam(c.env.DB, id))!, 200);
  },
);

export default app;
