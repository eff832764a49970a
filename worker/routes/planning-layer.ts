import { z } from '@hono/zod-openapi';
import type { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { bearerAuth, problems } from '../schemas/common.ts';

const FeatureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });

/**
 * How a planning layer's GeoJSON body is documented, under both media types it is sent with. The
 * routes read the body as a stream, one feature at a time, so zod never validates it whole.
 */
export const geoJsonContent = {
  'application/geo+json': { schema: FeatureCollection },
  'application/json': { schema: FeatureCollection },
};

/**
 * Documents PUT / of a planning layer (the route reads its body itself, as a stream): planners
 * replace the whole layer, answered with its summary.
 */
export function documentLayerPut(
  app: ReturnType<typeof createRouter>,
  put: { tags: string[]; summary: string; description: string; content: Record<string, { schema: z.ZodType }>; schema: z.ZodType },
): void {
  app.openAPIRegistry.registerPath({
    method: 'put',
    path: '/',
    tags: put.tags,
    summary: put.summary,
    description: put.description,
    security: bearerAuth,
    request: { body: { required: true, content: put.content } },
    responses: {
      200: { description: 'Stored', content: { 'application/json': { schema: put.schema } } },
      ...problems(400, 401, 403, 409, 413, 415),
    },
  });
}

/**
 * GET / (the stored layer's summary, 404 when none is loaded) and DELETE / of a planning layer,
 * for planners: the walking network and the population layer answer them alike.
 */
export function layerSummaryAndRemoval(
  app: ReturnType<typeof createRouter>,
  layer: {
    tags: string[];
    summaries: { get: string; delete: string };
    schema: z.ZodType;
    /** The summary, or an ApiError('not_found') thrown when no layer is loaded. */
    read: (db: D1Database) => Promise<Record<string, unknown>>;
    remove: (db: D1Database) => Promise<void>;
  },
): void {
  const { tags, summaries } = layer;
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/',
    tags,
    summary: summaries.get,
    security: bearerAuth,
    responses: { 200: { description: 'Summary', content: { 'application/json': { schema: layer.schema } } }, ...problems(401, 403, 404) },
  });
  app.get('/', requireRole('planner'), async (c) => c.json(await layer.read(c.env.DB), 200));

  app.openAPIRegistry.registerPath({
    method: 'delete',
    path: '/',
    tags,
    summary: summaries.delete,
    security: bearerAuth,
    responses: { 204: { description: 'Removed' }, ...problems(401, 403) },
  });
  app.delete('/', requireRole('planner'), async (c) => {
    await layer.remove(c.env.DB);
    return c.body(null, 204);
  });
}
