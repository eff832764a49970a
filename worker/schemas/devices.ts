import { z } from '@hono/zod-openapi';
import { Id, Lat, Lon } from './common.ts';

export const DeviceKindSchema = z.enum(['bench', 'station']);

export const DeviceCreate = z
  .object({
    id: Id,
    kind: DeviceKindSchema,
    site: Id.openapi({ description: 'Park id for a bench, station id for a station device', example: 'park-yinxiang' }),
    name: z.string().min(1).max(200).optional(),
    lat: Lat.optional(),
    lon: Lon.optional(),
    ports: z.number().int().min(0).max(64).optional().openapi({ description: 'Bench: number of charging ports' }),
  })
  .strict()
  .refine((d) => (d.lat === undefined) === (d.lon === undefined), { message: 'lat and lon go together', path: ['lon'] })
  .openapi('DeviceCreate');

export const DevicePatchSchema = z
  .object({
    disabled: z.boolean().optional(),
    name: z.string().min(1).max(200).nullable().optional(),
    lat: Lat.nullable().optional(),
    lon: Lon.nullable().optional(),
    ports: z.number().int().min(0).max(64).nullable().optional(),
    site: Id.optional(),
  })
  .strict()
  .refine((d) => (d.lat === undefined) === (d.lon === undefined), { message: 'lat and lon go together', path: ['lon'] })
  .openapi('DevicePatch');

export const DeviceToken = z
  .object({ id: Id, token: z.string().openapi({ description: 'Shown this once; only its hash is kept' }) })
  .openapi('DeviceToken');

export const Device = z
  .object({
    id: Id,
    kind: DeviceKindSchema,
    site: z.string(),
    name: z.string().nullable(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    ports: z.number().int().nullable(),
    disabled: z.boolean(),
    created_at: z.string(),
    last_seen: z.string().nullable(),
  })
  .openapi('Device');
