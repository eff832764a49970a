import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { getItem, listItems, patchItem, registerItem } from '../db/items.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, ItemCode, json, problems } from '../schemas/common.ts';
import { Item, ItemCreate, ItemPatch, ItemQuery } from '../schemas/items.ts';

/**
 * Supply items. Telemetry may carry a code the registry does not know: it is stored and listed
 * here with `registered: false` until an admin names it (PATCH, or POST with the same code).
 */
const app = createRouter();
const tags = ['Items'];
const CodeParam = z.object({ code: ItemCode });

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List supply items (unregistered codes first)',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: ItemQuery },
    responses: { 200: json(z.object({ items: z.array(Item) }), 'Items'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const { unregistered } = c.req.valid('query');
    return c.json(
      { items: await listItems(c.env.DB, { registered: unregistered === undefined ? undefined : unregistered === 'false' }) },
      200,
    );
  },
);

app.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Register an item (also names a code first seen in telemetry)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: ItemCreate } } } },
    responses: { 201: json(Item, 'The registered item'), ...problems(400, 401, 403, 409) },
  }),
  async (c) => {
    const { code, ...names } = c.req.valid('json');
    if (!(await registerItem(c.env.DB, code, names)))
      throw new ApiError('conflict', `Item "${code}" is already registered; change it with PATCH /api/v1/items/${code}`);
    return c.json((await getItem(c.env.DB, code))!, 201);
  },
);

app.openapi(
  createRoute({
    method: 'patch',
    path: '/{code}',
    tags,
    summary: 'Name an item (registers a code first seen in telemetry)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: CodeParam, body: { required: true, content: { 'application/json': { schema: ItemPatch } } } },
    responses: { 200: json(Item, 'The item'), ...problems(400, 401, 403, 404) },
  }),
  async (c) => {
    const { code } = c.req.valid('param');
    const patch = c.req.valid('json');
    const current = await getItem(c.env.DB, code);
    if (!current) throw new ApiError('not_found', `No item "${code}"`);
    // A registered item has both names and a unit: an unnamed code needs them all before it counts.
    const missing = (['name_zh', 'name_en', 'unit'] as const).filter((f) => (patch[f] ?? current[f]) === null);
    if (missing.length) {
      throw new ApiError('validation_failed', `Item "${code}" needs ${missing.join(', ')} to be registered`, {
        errors: missing.map((f) => ({ in: 'body' as const, pointer: `/${f}`, message: 'required to register the item' })),
      });
    }
    await patchItem(c.env.DB, code, patch);
    return c.json((await getItem(c.env.DB, code))!, 200);
  },
);

export default app;
