import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { getPhoto, insertPhoto, newPhotoId, photoKey } from '../db/work-order-photos.ts';
import { defaultTargets, getOrder, getOrderRow, isAssignedTo } from '../db/work-orders.ts';
import { PHOTO_TYPES, sniffImage, type PhotoType } from '../domain/image-type.ts';
import { ApiError } from '../errors.ts';
import { mediaType } from '../http.ts';
import { bearerAuth, IdParam, json, problems } from '../schemas/common.ts';
import { PhotoParams, PhotoQuery, WorkOrder } from '../schemas/work-orders.ts';

/** Photo evidence of handling and checking, stored in R2 (binding PHOTOS). */
const app = createRouter();
const tags = ['Work orders'];

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** Which step a photo documents, by where the order stands: handling while dispatched or handled, the check once handled. */
const PHOTO_STEPS = { handled: ['dispatched', 'handled'], checked: ['handled', 'checked'] } as const;

app.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/photos',
    tags,
    summary: 'Add a photo (JPEG, PNG or WebP, at most 5 MB) as evidence of handling or checking',
    description:
      'The body is the image itself, with its Content-Type. The file’s first bytes must show the declared type (a renamed file is refused with 415). ' +
      '`step=handled` (default while the order is dispatched or handled) or `step=checked` (default once checked; allowed from handled). Answers 201 with the order.',
    security: bearerAuth,
    middleware: [requireRole('supervisor', 'staff')] as const,
    request: {
      params: IdParam,
      query: PhotoQuery,
      body: { required: true, content: Object.fromEntries(PHOTO_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) },
    },
    responses: { 201: json(WorkOrder, 'The order with the new photo'), ...problems(400, 401, 403, 404, 409, 413, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const caller = c.get('caller')!;
    const type = mediaType(c.req.header('content-type'));
    if (!(PHOTO_TYPES as readonly string[]).includes(type))
      throw new ApiError('unsupported_media_type', `Send the photo as ${PHOTO_TYPES.join(', ')}; got "${type || 'nothing'}"`);
    const declared = Number(c.req.header('content-length'));
    if (declared > MAX_PHOTO_BYTES)
      throw new ApiError('payload_too_large', `A photo is at most ${MAX_PHOTO_BYTES} bytes (5 MB); this one is ${declared}`);
    const defaults = defaultTargets(c.env);
    const row = await getOrderRow(c.env.DB, id, defaults);
    if (!row) throw new ApiError('not_found', `No work order "${id}"`);
    if (caller.role === 'staff' && (caller.person === null || !(await isAssignedTo(c.env.DB, row, caller.person)))) {
      throw new ApiError('forbidden', `Work order "${id}" is not assigned to you or your team`);
    }
    const step = c.req.valid('query').step ?? (row.step === 'checked' ? 'checked' : 'handled');
    if (!(PHOTO_STEPS[step] as readonly string[]).includes(row.step)) {
      throw new ApiError(
        'conflict',
        `A photo of the ${step === 'handled' ? 'handling' : 'check'} is taken while the order is ${PHOTO_STEPS[step].join(' or ')}; it is ${row.step}`,
      );
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length > MAX_PHOTO_BYTES)
      throw new ApiError('payload_too_large', `A photo is at most ${MAX_PHOTO_BYTES} bytes (5 MB); this one is ${bytes.length}`);
    if (!bytes.length)
      throw new ApiError('bad_request', 'The body is empty: send the image file', {
        errors: [{ in: 'body', pointer: '', message: 'empty' }],
      });
    const actual = sniffImage(bytes);
    if (actual !== type) {
      throw new ApiError(
        'unsupported_media_type',
        actual
          ? `The file is ${actual}, not ${type} as declared`
          : `The file is not a JPEG, PNG or WebP (or HEIC) image: its first bytes match none of them`,
      );
    }
    const photoId = newPhotoId();
    const key = photoKey(id, photoId);
    const now = Date.now();
    await c.env.PHOTOS.put(key, bytes, { httpMetadata: { contentType: actual satisfies PhotoType } });
    try {
      await insertPhoto(c.env.DB, {
        id: photoId,
        order_id: id,
        step,
        r2_key: key,
        content_type: actual,
        bytes: bytes.length,
        at: now,
        by: caller.person ?? caller.id,
      });
    } catch (e) {
      await c.env.PHOTOS.delete(key); // no object without its index row
      throw e;
    }
    return c.json((await getOrder(c.env.DB, id, defaults, now))!, 201);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/photos/{photoId}',
    tags,
    summary: 'One photo of a work order (the image itself)',
    security: bearerAuth,
    middleware: [requireRole('supervisor', 'staff')] as const,
    request: { params: PhotoParams },
    responses: {
      200: {
        description: 'The image',
        content: Object.fromEntries(PHOTO_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
      },
      ...problems(401, 403, 404),
    },
  }),
  async (c) => {
    const { id, photoId } = c.req.valid('param');
    const caller = c.get('caller')!;
    if (caller.role === 'staff') {
      const row = await getOrderRow(c.env.DB, id, defaultTargets(c.env));
      if (
        row &&
        row.created_by !== (caller.person ?? caller.id) &&
        (caller.person === null || !(await isAssignedTo(c.env.DB, row, caller.person)))
      ) {
        throw new ApiError('forbidden', `Work order "${id}" is not assigned to you or your team`);
      }
    }
    const photo = await getPhoto(c.env.DB, id, photoId);
    if (!photo) throw new ApiError('not_found', `No photo "${photoId}" on work order "${id}"`);
    const object = await c.env.PHOTOS.get(photo.r2_key);
    if (!object) throw new ApiError('not_found', `Photo "${photoId}" is missing from storage`);
    return new Response(object.body, {
      headers: {
        'content-type': photo.content_type,
        'content-length': String(photo.bytes),
        'cache-control': 'private, max-age=86400, immutable',
        'x-content-type-options': 'nosniff',
      },
    });
  },
);

export default app;
