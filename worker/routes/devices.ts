import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { deviceInsertStatement, getDevice, listDevices, patchDevice, setTokenHash, siteExists } from '../db/devices.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, Id, IdParam, problems } from '../schemas/common.ts';
import { Device, DeviceCreate, DeviceKindSchema, DevicePatchSchema, DeviceToken } from '../schemas/devices.ts';

const app = createRouter();
const tags = ['Devices'];

function unknownSite(kind: 'bench' | 'station', site: string): ApiError {
  const what = kind === 'bench' ? 'park' : 'station';
  return new ApiError('validation_failed', `Unknown ${what} "${site}" for a ${kind} device`, {
    errors: [{ in: 'body', pointer: '/site', message: `no ${what} with id "${site}"` }],
  });
}

app.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Register a device; its token is shown this once',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: DeviceCreate } } } },
    responses: {
      201: { description: 'Registered: the id and the token, shown this once', content: { 'application/json': { schema: DeviceToken } } },
      ...problems(400, 401, 403, 409, 415),
    },
  }),
  async (c) => {
    const d = c.req.valid('json');
    if (!(await siteExists(c.env.DB, d.kind, d.site))) throw unknownSite(d.kind, d.site);
    if (await getDevice(c.env.DB, d.id)) throw new ApiError('conflict', `A device with id "${d.id}" already exists`);
    const token = newToken('device');
    try {
      await deviceInsertStatement(c.env.DB, d, await hashToken(token)).run();
    } catch (e) {
      // Two registrations racing for one id: the loser gets the same 409 as above.
      if (String(e).includes('UNIQUE')) throw new ApiError('conflict', `A device with id "${d.id}" already exists`);
      throw e;
    }
    return c.json({ id: d.id, token }, 201);
  },
);

app.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/token',
    tags,
    summary: 'Rotate a device token (the old one stops working at once)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam },
    responses: { 200: { description: 'New token', content: { 'application/json': { schema: DeviceToken } } }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const token = newToken('device');
    if (!(await setTokenHash(c.env.DB, id, await hashToken(token)))) throw new ApiError('not_found', `No device "${id}"`);
    return c.json({ id, token }, 200);
  },
);

app.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags,
    summary: 'Disable / re-enable a device or change its details',
    description:
      'Re-enabling a disabled device does not bring its old token back: rotate (POST /api/v1/devices/{id}/token) to issue a new one.',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: DevicePatchSchema } } } },
    responses: {
      200: { description: 'The device, without any token', content: { 'application/json': { schema: Device } } },
      ...problems(400, 401, 403, 404, 415),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const current = await getDevice(c.env.DB, id);
    if (!current) throw new ApiError('not_found', `No device "${id}"`);
    if (patch.site !== undefined && !(await siteExists(c.env.DB, current.kind, patch.site))) throw unknownSite(current.kind, patch.site);
    // A hash of a random token nobody holds: re-enabling never brings the old token back.
    await patchDevice(c.env.DB, id, patch, await hashToken(newToken('device')));
    return c.json((await getDevice(c.env.DB, id))!, 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List devices',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: z.object({ kind: DeviceKindSchema.optional(), site: Id.optional() }) },
    responses: {
      200: { description: 'Devices', content: { 'application/json': { schema: z.object({ devices: z.array(Device) }) } } },
      ...problems(400, 401, 403),
    },
  }),
  async (c) => c.json({ devices: await listDevices(c.env.DB, c.req.valid('query')) }, 200),
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    summary: 'One device',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { params: IdParam },
    responses: { 200: { description: 'The device', content: { 'application/json': { schema: Device } } }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const d = await getDevice(c.env.DB, id);
    if (!d) throw new ApiError('not_found', `No device "${id}"`);
    return c.json(d, 200);
  },
);

export default app;
