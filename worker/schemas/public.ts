import { z } from '@hono/zod-openapi';
import { ItemCode } from './common.ts';
import { SitePlace } from './sites.ts';

const Grade = z.enum(['blue', 'yellow', 'orange', 'red']).openapi({ description: 'Four-colour grade (一卡四色)' });

export const PublicStation = z
  .object({
    ...SitePlace,
    opening_hours: z.string(),
    open: z.boolean(),
    health: Grade,
    items: z
      .record(z.string(), z.number().int())
      .openapi({ description: 'Item code → quantity on hand now', example: { water: 48, umbrella: 3 } }),
    updated_at: z.string().nullable(),
  })
  .openapi('PublicStation');

export const PublicBench = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    park: z.string(),
    park_name: z.string(),
    district: z.string(),
    lat: z.number(),
    lon: z.number(),
    battery_soc: z.number().int().nullable().openapi({ description: 'Battery charge, whole percent' }),
    ports: z.number().int().nullable(),
    free_ports: z.number().int().nullable(),
    health: Grade,
  })
  .openapi('PublicBench');

export const PublicMap = z
  .object({
    generated_at: z.string(),
    item_names: z.record(
      z.string(),
      z.object({ name_zh: z.string().nullable(), name_en: z.string().nullable(), unit: z.string().nullable() }),
    ),
    districts: z.array(z.object({ id: z.string(), name: z.string() })),
    stations: z.array(PublicStation),
    benches: z.array(PublicBench),
  })
  .openapi('PublicMap', { description: 'Convenience service map (便民服务地图): what is where, and what is available now' });

export const NearestQuery = z
  .object({
    lat: z.coerce.number().min(-90).max(90).openapi({ example: 36.456 }),
    lon: z.coerce.number().min(-180).max(180).openapi({ example: 115.985 }),
    kind: z
      .enum(['station', 'bench'])
      .default('station')
      .openapi({ description: 'station (default): open, holding the item; bench: charged above 20 % with a free port' }),
    item: ItemCode.optional().openapi({ description: 'Only stations holding this item (qty > 0)' }),
    limit: z.coerce.number().int().min(1).max(50).default(5),
  })
  .refine((q) => !(q.kind === 'bench' && q.item !== undefined), {
    message: 'benches hold no items; leave out item or ask for kind=station',
    path: ['item'],
  });

export const Nearest = z
  .object({
    method: z.literal('straight_line'),
    detour_factor: z.number().openapi({ description: 'walk_minutes = distance_m × detour_factor / speed_m_per_min' }),
    speed_m_per_min: z.number(),
    origin: z.object({ lat: z.number(), lon: z.number() }),
    kind: z.enum(['station', 'bench']),
    item: z.string().nullable(),
    stations: z
      .array(
        PublicStation.extend({
          qty: z.number().int().nullable().openapi({ description: 'On hand of the requested item' }),
          distance_m: z.number().int().openapi({ description: 'Straight-line (geodesic) distance, metres' }),
          walk_minutes: z.number(),
        }),
      )
      .openapi({ description: 'kind=station: open now and holding the item, nearest first' }),
    benches: z
      .array(PublicBench.extend({ distance_m: z.number().int(), walk_minutes: z.number() }))
      .openapi({ description: 'kind=bench: charged above 20 % with a free port, nearest first' }),
  })
  .openapi('NearestStations');

const NEEDS =
  'water | towel | umbrella | medicine (the item medicine_kit) | rest (any open station) | charging (a bench above 20 % with a free port) | any item code';

export const NearbyQuery = z.object({
  lat: z.coerce.number().min(-90).max(90).openapi({ example: 36.456 }),
  lon: z.coerce.number().min(-180).max(180).openapi({ example: 115.985 }),
  need: ItemCode.default('rest').openapi({ description: NEEDS, example: 'water' }),
  limit: z.coerce.number().int().min(1).max(20).default(5),
  route: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .openapi({ description: '1: each result carries its walking line (`route`, [lon, lat] pairs)' }),
});

export const NearbyResult = z
  .object({
    kind: z.enum(['station', 'bench']),
    id: z.string(),
    name: z.string(),
    lat: z.number(),
    lon: z.number(),
    walk_m: z.number().int().openapi({ description: 'Walking metres: along the network, or straight line × detour factor' }),
    walk_min: z.number().openapi({ description: 'walk_m ÷ speed_m_per_min, to a tenth' }),
    open: z.boolean(),
    open_until: z
      .string()
      .nullable()
      .openapi({ description: 'When the opening hours next close (instant), null when they never do (24/7)' }),
    opening_hours: z.string().openapi({ description: 'OpenStreetMap opening_hours, read in the city time zone; benches "24/7"' }),
    has: z.record(z.string(), z.number().int()).openapi({
      description: 'Stations: item code → quantity on hand now (> 0 only). Benches: charging_ports → free ports',
      example: { water: 48 },
    }),
    battery_soc: z.number().int().optional().openapi({ description: 'Benches: charge, whole percent' }),
    data_age_s: z.number().int().openapi({ description: 'Seconds since the site last reported' }),
    route: z
      .array(z.tuple([z.number(), z.number()]))
      .optional()
      .openapi({ description: 'With route=1: the walking line from the origin, [lon, lat] pairs' }),
  })
  .openapi('NearbyResult');

export const Nearby = z
  .object({
    method: z.enum(['network', 'straight_line']),
    speed_m_per_min: z.number(),
    detour_factor: z.number().nullable().openapi({ description: 'straight_line: walk_m = distance × detour_factor; null for network' }),
    need: z.string(),
    generated_at: z.string(),
    results: z.array(NearbyResult).openapi({ description: 'Open now, meeting the need, never stale; fastest first' }),
  })
  .openapi('Nearby');

export const PublicPlaces = z
  .object({
    city_name: z.string(),
    tz: z.string(),
    map_tile_url: z.string(),
    item_names: z.record(z.string(), z.object({ name_zh: z.string().nullable(), name_en: z.string().nullable() })),
    places: z.array(
      z.object({
        kind: z.enum(['station', 'park']),
        id: z.string(),
        name: z.string(),
        district: z.string().openapi({ description: 'District name' }),
        lat: z.number(),
        lon: z.number(),
      }),
    ),
  })
  .openapi('PublicPlaces', {
    description:
      'What the public page needs to start: landmarks (stations and parks) to pick when location is refused, item names, the map tile URL',
  });

export const PublicStationNow = PublicStation.extend({
  district_name: z.string(),
  open_until: z.string().nullable().openapi({ description: 'When the opening hours next close, null when they never do or it is closed' }),
  data_age_s: z.number().int().nullable().openapi({ description: 'Seconds since the station last reported; null when it never did' }),
  stale: z.boolean().openapi({ description: 'Silent longer than the offline threshold: what it has may be out of date' }),
}).openapi('PublicStationNow');
