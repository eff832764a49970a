import { z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { forgetCachedPlanning, saveNetwork, type NetworkMeta } from '../db/coverage-engine.ts';
import { GEOJSON_TYPES, mediaType, readFeatureCollection } from '../db/planning-upload.ts';
import { deleteLayer, layerInfo } from '../db/planning.ts';
import { NetworkBuilder, parseWayFeature } from '../domain/coverage/network-build.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, problems } from '../schemas/common.ts';
import { NetworkSummary } from '../schemas/planning.ts';

/** The walking network for coverage (CONTRACT "Planning data"). */
const app = createRouter();
const tags = ['Planning'];

app.openAPIRegistry.registerPath({
  method: 'put',
  path: '/',
  tags,
  summary: 'Replace the walking network (GeoJSON LineString / MultiLineString features)',
  description:
    'Features join where coordinates coincide exactly; every segment is an edge weighted by its geodesic (WGS-84) length. ' +
    'Features with highway=motorway, motorway_link or trunk, or foot=no, are left out and counted in `excluded`. ' +
    'The body is read as a stream, one feature at a time (up to 100 MB). Any bad feature: 400 with errors at /features/<index>/…, and the previous network stays.',
  security: bearerAuth,
  request: {
    body: {
      required: true,
      content: {
        'application/geo+json': { schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }) },
        'application/json': { schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }) },
      },
    },
  },
  responses: { 200: { description: 'Stored', content: { 'application/json': { schema: NetworkSummary } } }, ...problems(400, 401, 403, 413, 415) },
});

app.put('/', requireRole('planner'), async (c) => {
  const type = mediaType(c.req.header('content-type'));
  if (!GEOJSON_TYPES.has(type)) throw new ApiError('unsupported_media_type', `Send the network as application/geo+json or application/json, not ${type || 'no content type'}`);
  forgetCachedPlanning();
  const builder = new NetworkBuilder();
  let failed = false;
  await readFeatureCollection(c.req.raw.body, (f) => {
    const w = parseWayFeature(f);
    if ('pointer' in w) {
      failed = true;
      return w;
    }
    if (!failed) builder.add(w);
    return null;
  });
  if (builder.edges === 0) {
    throw new ApiError('validation_failed', 'The network has no walkable edges', { errors: [{ in: 'body', pointer: '/features', message: `no walkable segment among ${builder.features} feature(s) (${builder.excluded} excluded)` }] });
  }
  const g = builder.finish();
  let length = 0;
  for (const l of g.edgeLen) length += l;
  const meta: NetworkMeta = { nodes: g.nodeLon.length, edges: g.edgeU.length, excluded: builder.excluded, features: builder.features, length_m: Math.round(length * 10) / 10 };
  const info = await saveNetwork(c.env.DB, g, meta);
  return c.json({ ...meta, version: info.version, updated_at: new Date(info.updated_at).toISOString() }, 200);
});

app.openAPIRegistry.registerPath({
  method: 'get',
  path: '/',
  tags,
  summary: 'The stored walking network’s summary',
  security: bearerAuth,
  responses: { 200: { description: 'Summary', content: { 'application/json': { schema: NetworkSummary } } }, ...problems(401, 403, 404) },
});

app.get('/', requireRole('planner'), async (c) => {
  const info = await layerInfo<NetworkMeta>(c.env.DB, 'network');
  if (!info) throw new ApiError('not_found', 'No walking network is loaded; coverage uses straight lines × the detour factor');
  return c.json({ ...info.meta, version: info.version, updated_at: new Date(info.updated_at).toISOString() }, 200);
});

app.openAPIRegistry.registerPath({
  method: 'delete',
  path: '/',
  tags,
  summary: 'Remove the walking network (coverage falls back to straight lines × detour factor)',
  security: bearerAuth,
  responses: { 204: { description: 'Removed' }, ...problems(401, 403) },
});

app.delete('/', requireRole('planner'), async (c) => {
  await deleteLayer(c.env.DB, 'network');
  await deleteLayer(c.env.DB, 'unit_snaps');
  return c.body(null, 204);
});

export default app;
