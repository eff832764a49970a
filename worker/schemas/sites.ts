import { z } from '@hono/zod-openapi';
import { boundaryProblem, NAME_MAX, openingHoursProblem } from '../domain/site-rules.ts';
import { Day, Id, ItemCode, Lat, Lon } from './common.ts';

const Name = z.string().trim().min(1).max(NAME_MAX).openapi({ example: '东昌府区' });

const OpeningHours = z
  .string()
  .trim()
  .min(1)
  .superRefine((v, ctx) => {
    const p = openingHoursProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  })
  .openapi({ description: "OpenStreetMap opening_hours syntax, read in the city's time zone", example: 'Mo-Su 06:00-22:00' });

const Boundary = z
  .object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.any()) })
  .passthrough()
  .superRefine((g, ctx) => {
    const p = boundaryProblem(g);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  })
  .openapi({ description: 'GeoJSON Polygon or MultiPolygon (WGS-84)', type: 'object' });

const Iso = z.string().openapi({ description: 'ISO 8601 instant (UTC)', example: '2026-07-21T06:02:11.120Z' });

/** Where a site stands, as every answer about a park or station (the public map's too) shows it. */
export const SitePlace = { id: z.string(), name: z.string(), district: z.string(), lat: z.number(), lon: z.number() };

// ─── Districts ───────────────────────────────────────────────────────────────────────────────
export const DistrictCreate = z
  .object({ id: Id.openapi({ example: 'dongchangfu' }), name: Name, boundary: Boundary.optional() })
  .strict()
  .openapi('DistrictCreate');
export const DistrictPatch = z
  .object({ name: Name.optional(), boundary: Boundary.nullable().optional() })
  .strict()
  .openapi('DistrictPatch');
export const District = z
  .object({
    id: z.string(),
    name: z.string(),
    parks: z.number().int().openapi({ description: 'Parks in the district' }),
    stations: z.number().int().openapi({ description: 'Stations in the district' }),
    has_boundary: z.boolean(),
    created_at: Iso,
  })
  .openapi('District');
export const DistrictDetail = District.extend({
  boundary: z.record(z.string(), z.unknown()).nullable().openapi({ type: 'object', description: 'GeoJSON geometry or null' }),
}).openapi('DistrictDetail');

// ─── Parks ───────────────────────────────────────────────────────────────────────────────────
export const ParkCreate = z
  .object({
    id: Id.openapi({ example: 'park-yinxiang' }),
    name: Name.openapi({ example: '印象公园' }),
    district: Id.openapi({ example: 'dongchangfu' }),
    lat: Lat,
    lon: Lon,
  })
  .strict()
  .openapi('ParkCreate');
export const ParkPatch = z
  .object({ name: Name.optional(), district: Id.optional(), lat: Lat.optional(), lon: Lon.optional() })
  .strict()
  .refine((d) => (d.lat === undefined) === (d.lon === undefined), { message: 'lat and lon go together', path: ['lon'] })
  .openapi('ParkPatch');
export const Park = z
  .object({
    ...SitePlace,
    benches: z.number().int().openapi({ description: 'Bench devices registered at the park' }),
    created_at: Iso,
  })
  .openapi('Park');

// ─── Stations ────────────────────────────────────────────────────────────────────────────────
export const StationCreate = z
  .object({
    id: Id.openapi({ example: 'st-renmin-sq' }),
    name: Name.openapi({ example: '人民广场户外劳动者驿站' }),
    district: Id.openapi({ example: 'dongchangfu' }),
    lat: Lat,
    lon: Lon,
    opening_hours: OpeningHours.nullish().openapi({ description: 'Default (absent or null) 24/7' }),
    opened_on: Day.nullish().openapi({ description: 'Local day the station opened' }),
  })
  .strict()
  .openapi('StationCreate');
export const StationPatch = z
  .object({
    name: Name.optional(),
    district: Id.optional(),
    lat: Lat.optional(),
    lon: Lon.optional(),
    opening_hours: OpeningHours.optional(),
    opened_on: Day.nullable().optional(),
  })
  .strict()
  .refine((d) => (d.lat === undefined) === (d.lon === undefined), { message: 'lat and lon go together', path: ['lon'] })
  .openapi('StationPatch');

export const HealthSchema = z
  .object({ grade: z.enum(['blue', 'yellow', 'orange', 'red']), reasons: z.array(z.string()) })
  .openapi('Health', { description: 'Four-colour grading (一卡四色): blue normal, yellow first warning, orange worse, red serious' });

export const StationItem = z
  .object({
    item: z.string(),
    name_zh: z.string().nullable(),
    name_en: z.string().nullable(),
    unit: z.string().nullable(),
    on_hand: z.number().int().nullable(),
    on_hand_at: Iso.nullable(),
    par_level: z.number().int().nullable(),
    reorder_point: z.number().int().nullable(),
  })
  .openapi('StationItem');

export const Station = z
  .object({
    ...SitePlace,
    opening_hours: z.string(),
    opened_on: z.string().nullable(),
    open: z.boolean().openapi({ description: "Open now: the station's own report of the last 2 h, else its opening hours" }),
    stock: z
      .record(z.string(), z.number().int())
      .openapi({ description: 'Item code → quantity on hand now', example: { water: 48, towel: 20 } }),
    items: z.array(StationItem),
    health: HealthSchema,
    last_seen: Iso.nullable().openapi({ description: "Newest request from any of the station's devices" }),
    updated_at: Iso.nullable().openapi({ description: 'Time of the newest reading from the station' }),
    created_at: Iso,
  })
  .openapi('Station');

export const StationItemSettings = z
  .object({ par_level: z.number().int().min(0).max(1_000_000), reorder_point: z.number().int().min(0).max(1_000_000) })
  .strict()
  .refine((d) => d.reorder_point <= d.par_level, { message: 'reorder_point must not exceed par_level', path: ['reorder_point'] })
  .openapi('StationItemSettings');

export const StationItemParams = z.object({ id: Id, item: ItemCode });

export type StationT = z.infer<typeof Station>;
export type StationItemT = z.infer<typeof StationItem>;
