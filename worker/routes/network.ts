import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { forgetCachedPlanning, saveNetwork, type NetworkMeta } from '../coverage/engine.ts';
import { collectFeatures, GEOJSON_TYPES } from '../db/planning-upload.ts';
import { mediaType } from '../http.ts';
import { dropUpload, layerInfo, listParts, openUpload, readPart, sweepUploads, uploadExists, writePart } from '../db/planning.ts';
import { NetworkBuilder, parseWayFeature, WayStage } from '../domain/coverage/network-build.ts';
import type { Network } from '../domain/coverage/network.ts';
import { f64, i32, packArrays, unpackArrays } from '../domain/coverage/pack.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, problems } from '../schemas/common.ts';
import { NetworkSummary } from '../schemas/planning.ts';
import { clearNetwork } from '../coverage/engine.ts';
import { documentLayerPut, geoJsonContent, layerSummaryAndRemoval } from './planning-layer.ts';

/** The walking network for coverage (CONTRACT "Planning data"). */
const app = createRouter();
const tags = ['Planning'];

documentLayerPut(app, {
  tags,
  summary: 'Replace the walking network (GeoJSON LineString / MultiLineString features)',
  description:
    'Features join where coordinates coincide exactly; every segment is an edge weighted by its geodesic (WGS-84) length. ' +
    'Features with highway=motorway, motorway_link or trunk, or foot=no, are left out and counted in `excluded`. ' +
    'The body is read as a stream, one feature at a time (up to 100 MB). Any bad feature: 400 with errors at /features/<index>/…, and the previous network stays.',
  content: geoJsonContent,
  schema: NetworkSummary,
});

app.put('/', requireRole('planner'), async (c) => {
  const type = mediaType(c.req.header('content-type'));
  if (!GEOJSON_TYPES.has(type))
    throw new ApiError(
      'unsupported_media_type',
      `Send the network as application/geo+json or application/json, not ${type || 'no content type'}`,
    );
  forgetCachedPlanning();
  const builder = new NetworkBuilder();
  await collectFeatures(c.req.raw.body, parseWayFeature, (w) => builder.add(w));
  return c.json(await store(c.env.DB, builder), 200);
});

/** Build, check and store a network; the answer of PUT and of a committed upload. */
async function store(db: D1Database, builder: NetworkBuilder) {
  if (builder.edges === 0) {
    // Every feature excluded (or none sent): a valid answer, not a bad feature. The network is
    // replaced by nothing, so coverage falls back to straight lines until a new one is loaded.
    await clearNetwork(db);
    return { nodes: 0, edges: 0, excluded: builder.excluded, features: builder.features, length_m: 0, version: 0 };
  }
  const g: Network = builder.finish();
  let length = 0;
  for (const l of g.edgeLen) length += l;
  const meta: NetworkMeta = {
    nodes: g.nodeLon.length,
    edges: g.edgeU.length,
    excluded: builder.excluded,
    features: builder.features,
    length_m: Math.round(length * 10) / 10,
  };
  const info = await saveNetwork(db, g, meta);
  return { ...meta, version: info.version, updated_at: new Date(info.updated_at).toISOString() };
}

// ─── Chunked upload: for networks beyond one request (100 MB) ────────────────────────────────

const UploadId = z.string().uuid();
const Upload = z.object({ id: z.string(), expires_at: z.string() }).openapi('NetworkUpload');
const Part = z
  .object({ part: z.number().int(), first: z.number().int(), features: z.number().int(), excluded: z.number().int() })
  .openapi('NetworkUploadPart');
const UPLOAD_TTL_MS = 24 * 3600_000;

app.openapi(
  createRoute({
    method: 'post',
    path: '/uploads',
    tags,
    summary: 'Open a chunked upload of the walking network (for networks larger than one 100 MB request)',
    description:
      'Then PUT /uploads/{id}/parts/{n}?first=<index of the part’s first feature> for n = 0, 1, 2 … (each a FeatureCollection holding the next features), then POST /uploads/{id}/commit. Nothing replaces the current network before the commit; uploads not committed within 24 h are dropped.',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    responses: { 201: { description: 'Opened', content: { 'application/json': { schema: Upload } } }, ...problems(401, 403) },
  }),
  async (c) => {
    const now = Date.now();
    await sweepUploads(c.env.DB, now - UPLOAD_TTL_MS);
    const id = crypto.randomUUID();
    await openUpload(c.env.DB, id, now);
    return c.json({ id, expires_at: new Date(now + UPLOAD_TTL_MS).toISOString() }, 201);
  },
);

app.openAPIRegistry.registerPath({
  method: 'put',
  path: '/uploads/{id}/parts/{part}',
  tags,
  summary: 'Send one part of a chunked network upload (validated now, used at commit; re-sending a part replaces it)',
  security: bearerAuth,
  request: {
    params: z.object({ id: UploadId, part: z.string().regex(/^\d{1,5}$/) }),
    query: z.object({
      first: z
        .string()
        .regex(/^\d+$/)
        .openapi({ description: 'Index of this part’s first feature in the whole collection: errors point at /features/<first + i>' }),
    }),
    body: {
      required: true,
      content: { 'application/geo+json': { schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }) } },
    },
  },
  responses: {
    200: { description: 'Stored', content: { 'application/json': { schema: Part } } },
    ...problems(400, 401, 403, 404, 413, 415),
  },
});

app.put('/uploads/:id/parts/:part', requireRole('planner'), async (c) => {
  const id = c.req.param('id');
  const partRaw = c.req.param('part');
  const firstRaw = c.req.query('first') ?? '';
  if (!UploadId.safeParse(id).success || !(await uploadExists(c.env.DB, id))) throw new ApiError('not_found', `No open upload "${id}"`);
  if (!/^\d{1,5}$/.test(partRaw))
    throw new ApiError('validation_failed', 'part must be an integer 0…99999', {
      errors: [{ in: 'path', pointer: '/part', message: 'must be an integer 0…99999' }],
    });
  if (!/^\d{1,9}$/.test(firstRaw))
    throw new ApiError('validation_failed', 'first must be the index of the part’s first feature', {
      errors: [{ in: 'query', pointer: '/first', message: 'must be a non-negative integer' }],
    });
  const type = mediaType(c.req.header('content-type'));
  if (!GEOJSON_TYPES.has(type))
    throw new ApiError(
      'unsupported_media_type',
      `Send each part as application/geo+json or application/json, not ${type || 'no content type'}`,
    );
  const first = Number(firstRaw);
  const stage = new WayStage();
  await collectFeatures(c.req.raw.body, parseWayFeature, (w) => stage.add(w), first);
  const { coords, starts } = stage.finish();
  const s = await writePart(
    c.env.DB,
    id,
    { part: Number(partRaw), first, features: stage.features, excluded: stage.excluded },
    packArrays({ coords, starts }),
  );
  return c.json({ part: s.part, first: s.first, features: s.features, excluded: s.excluded }, 200);
});

app.openapi(
  createRoute({
    method: 'post',
    path: '/uploads/{id}/commit',
    tags,
    summary: 'Build the walking network from every part sent and replace the current one',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { params: z.object({ id: UploadId }) },
    responses: {
      200: { description: 'Stored', content: { 'application/json': { schema: NetworkSummary } } },
      ...problems(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    if (!(await uploadExists(c.env.DB, id))) throw new ApiError('not_found', `No open upload "${id}"`);
    const parts = await listParts(c.env.DB, id);
    if (!parts.length) throw new ApiError('conflict', 'No part has been sent for this upload');
    let next = 0;
    for (const p of parts) {
      if (p.first !== next)
        throw new ApiError(
          'conflict',
          `Parts do not line up: part ${p.part} starts at feature ${p.first}, the parts before it end at ${next}`,
        );
      next = p.first + p.features;
    }
    forgetCachedPlanning();
    const builder = new NetworkBuilder();
    for (const p of parts) {
      const bytes = await readPart(c.env.DB, id, p);
      if (!bytes) throw new ApiError('conflict', `Part ${p.part} is incomplete; send it again`);
      const { arrays } = unpackArrays(bytes);
      builder.addStaged(f64(arrays, 'coords'), i32(arrays, 'starts'), p.features, p.excluded);
    }
    const answer = await store(c.env.DB, builder);
    await dropUpload(c.env.DB, id);
    return c.json(answer, 200);
  },
);

app.openapi(
  createRoute({
    method: 'delete',
    path: '/uploads/{id}',
    tags,
    summary: 'Abandon a chunked upload',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { params: z.object({ id: UploadId }) },
    responses: { 204: { description: 'Dropped' }, ...problems(401, 403) },
  }),
  async (c) => {
    await dropUpload(c.env.DB, c.req.valid('param').id);
    return c.body(null, 204);
  },
);

layerSummaryAndRemoval(app, {
  tags,
  summaries: {
    get: 'The stored walking network’s summary',
    delete: 'Remove the walking network (coverage falls back to straight lines × detour factor)',
  },
  schema: NetworkSummary,
  read: async (db) => {
    const info = await layerInfo<NetworkMeta>(db, 'network');
    if (!info) throw new ApiError('not_found', 'No walking network is loaded; coverage uses straight lines × the detour factor');
    return { ...info.meta, version: info.version, updated_at: new Date(info.updated_at).toISOString() };
  },
  remove: clearNetwork,
});

export default app;
