import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { personExists } from '../db/people.ts';
import { insertApiToken, listApiTokens, revokeApiToken } from '../db/tokens.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, json, problems } from '../schemas/common.ts';
import { ApiToken, ApiTokenSecret, TokenCreate, TokenIdParam } from '../schemas/tokens.ts';

/** User API tokens, managed by admins. The secret is shown once; only its SHA-256 is stored. */
const app = createRouter();
const tags = ['API tokens'];

function tokenId(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return 'tok_' + [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

app.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Create a user API token (admin, supervisor, staff or planner), optionally held by a person; the secret is shown this once',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: TokenCreate } } } },
    responses: { 201: json(ApiTokenSecret, 'The token with its secret'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const t = c.req.valid('json');
    if (t.person !== undefined && !(await personExists(c.env.DB, t.person))) {
      throw new ApiError('validation_failed', `Unknown person "${t.person}"; create it first with POST /api/v1/people`, {
        errors: [{ in: 'body', pointer: '/person', message: `unknown person "${t.person}"` }],
      });
    }
    const token = newToken('api');
    const view = await insertApiToken(c.env.DB, { id: tokenId(), ...t }, await hashToken(token));
    return c.json({ ...view, token }, 201);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List user API tokens (never their secrets)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { query: z.object({ include_revoked: z.enum(['true', 'false']).optional() }) },
    responses: { 200: json(z.object({ tokens: z.array(ApiToken) }), 'Tokens'), ...problems(400, 401, 403) },
  }),
  async (c) => c.json({ tokens: await listApiTokens(c.env.DB, c.req.valid('query').include_revoked === 'true') }, 200),
);

app.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    tags,
    summary: 'Revoke a user API token (it stops working at once)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: TokenIdParam },
    responses: { 204: { description: 'Revoked' }, ...problems(400, 401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    if ((await revokeApiToken(c.env.DB, id)) === 'unknown') throw new ApiError('not_found', `No API token "${id}"`);
    return c.body(null, 204);
  },
);

export default app;
