import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createRouter } from '../app.ts';
import { getPublicReport, insertPublicReport, reportState, setReportPhoto, siteKind } from '../db/public-reports.ts';
import { sniffImage } from '../domain/image-type.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { IdParam, json, problems } from '../schemas/common.ts';
import { NewPublicReport, PhotoStored, PublicReportCreated, PublicReportState } from '../schemas/public-reports.ts';

/**
 * Problem reports from the public page and the QR pages: no sign-in, limited per client address,
 * each opening a work order at `reported`. The reporter keeps the report's id (128 random bits)
 * to see its state; nothing of the work order's inside (notes, people, teams) is shown.
 */
const app = createRouter();
const tags = ['Public'];

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

const randomId = (bytes: number) => {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};

async function clientKey(c: Context<AppEnv>): Promise<string> {
  const addr = c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'unknown';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(addr));
  return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join('');
}

async function limit(c: Context<AppEnv>, key: string): Promise<void> {
  if (!c.env.PUBLIC_REPORT_RATE_LIMIT) return;
  const { success } = await c.env.PUBLIC_REPORT_RATE_LIMIT.limit({ key });
  if (!success)
    throw new ApiError('rate_limited', 'Too many reports from this address; retry after 60 s', { headers: { 'retry-after': '60' } });
}

app.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Report a problem at a station or bench (no authentication); opens a work order at reported',
    request: { body: { required: true, content: { 'application/json': { schema: NewPublicReport } } } },
    responses: { 201: json(PublicReportCreated, 'Stored; keep the id to check its state'), ...problems(400, 415, 429) },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const client = await clientKey(c);
    await limit(c, client);
    const kind = await siteKind(c.env.DB, body.site);
    if (!kind)
      throw new ApiError('validation_failed', `Invalid body: /site: no station or bench "${body.site}"`, {
        errors: [{ in: 'body', pointer: '/site', message: `no station or bench "${body.site}"` }],
      });
    const id = randomId(16);
    const workOrder = `wo-${randomId(9)}`;
    await insertPublicReport(
      c.env.DB,
      { id, workOrder, site: body.site, siteKind: kind, category: body.category, text: body.text || null, client },
      Date.now(),
    );
    c.header('cache-control', 'no-store');
    return c.json({ id, work_order: workOrder }, 201);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    summary: 'The state of a problem report: received, being handled or done (no authentication)',
    request: { params: IdParam },
    responses: { 200: json(PublicReportState, 'The report’s state'), ...problems(404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const r = await getPublicReport(c.env.DB, id);
    if (!r) throw new ApiError('not_found', `No report "${id}"`);
    c.header('cache-control', 'no-store');
    return c.json(
      {
        id: r.id,
        site: r.site,
        category: r.category,
        state: reportState(r.step),
        photo: r.photo_key !== null,
        created_at: new Date(r.created_at).toISOString(),
        updated_at: new Date(r.updated_at).toISOString(),
      },
      200,
    );
  },
);

const IMAGE = z.string().openapi({ type: 'string', format: 'binary' });

app.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/photo',
    tags,
    summary: 'Add one photo to a report: JPEG, PNG, WebP or HEIC, at most 5 MB, checked by its bytes (no authentication)',
    request: {
      params: IdParam,
      body: {
        required: true,
        content: {
          'image/jpeg': { schema: IMAGE },
          'image/png': { schema: IMAGE },
          'image/webp': { schema: IMAGE },
          'image/heic': { schema: IMAGE },
        },
      },
    },
    responses: { 201: json(PhotoStored, 'Stored'), ...problems(404, 409, 413, 415, 429) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const declared = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!declared.startsWith('image/'))
      throw new ApiError(
        'unsupported_media_type',
        `Content-Type must be an image type (image/jpeg, image/png, image/webp, image/heic), not "${declared || 'none'}"`,
      );
    const length = Number(c.req.header('content-length') ?? NaN);
    if (length > MAX_PHOTO_BYTES)
      throw new ApiError('payload_too_large', `The photo is ${length} bytes; at most ${MAX_PHOTO_BYTES} (5 MB)`);
    await limit(c, await clientKey(c));
    const report = await getPublicReport(c.env.DB, id);
    if (!report) throw new ApiError('not_found', `No report "${id}"`);
    if (report.photo_key) throw new ApiError('conflict', `Report "${id}" already has its photo`);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length > MAX_PHOTO_BYTES)
      throw new ApiError('payload_too_large', `The photo is ${bytes.length} bytes; at most ${MAX_PHOTO_BYTES} (5 MB)`);
    if (bytes.length === 0) throw new ApiError('bad_request', 'The photo is empty');
    const type = sniffImage(bytes);
    if (!type) throw new ApiError('unsupported_media_type', 'The file is not a JPEG, PNG, WebP or HEIC image (checked by its first bytes)');
    const key = `reports/${id}/${Date.now()}.${type.slice(6)}`;
    await c.env.PHOTOS.put(key, bytes, { httpMetadata: { contentType: type } });
    if (!(await setReportPhoto(c.env.DB, id, key, type, bytes.length))) {
      await c.env.PHOTOS.delete(key);
      throw new ApiError('conflict', `Report "${id}" already has its photo`);
    }
    return c.json({ id, photo: true as const, bytes: bytes.length, type }, 201);
  },
);

export default app;
