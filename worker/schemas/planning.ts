import { z } from '@hono/zod-openapi';
import { Day, Id, ItemCode, Lat, Lon } from './common.ts';

/** Planning data: walking network, population, 15-minute life-circle coverage (CONTRACT "Planning data"). */

export const NetworkSummary = z
  .object({
    nodes: z.number().int(),
    edges: z.number().int(),
    excluded: z
      .number()
      .int()
      .openapi({ description: 'Features left out of the walking network: highway=motorway/motorway_link/trunk or foot=no' }),
    features: z.number().int(),
    length_m: z.number().openapi({ description: 'Total geodesic length of the walking edges' }),
    version: z.number().int(),
    updated_at: z.string().optional(),
  })
  .openapi('NetworkSummary');

export const PopulationSummary = z
  .object({
    units: z.number().int(),
    population: z.number(),
    districts: z.array(z.string()).optional(),
    version: z.number().int(),
    updated_at: z.string().optional(),
  })
  .openapi('PopulationSummary');

export const Kind = z.enum(['station', 'bench', 'all']).openapi({ description: 'Which amenities count' });

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .openapi({ type: 'string', enum: ['true', 'false'] });

export const Levels = z
  .string()
  .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, 'must be a comma-separated list of minutes, e.g. 5,10,15')
  .transform((s) => [...new Set(s.split(',').map((x) => Number(x.trim())))].sort((a, b) => a - b))
  .refine(
    (l) => l.length <= 12 && l.every((m) => m > 0 && m <= 1440),
    'levels must be 1 to 12 values, each above 0 and at most 1440 minutes (a day)',
  )
  .openapi({ type: 'string', example: '5,10,15' });

export const Speed = z.coerce
  .number()
  .positive()
  .max(500)
  .openapi({ type: 'number', description: 'Walking speed override, metres per minute', example: 75 });

/** The selection every coverage figure depends on. */
export const CoverageQuery = z.object({
  levels: Levels.optional(),
  kind: Kind.optional(),
  item: ItemCode.optional().openapi({ description: 'Stations that carry this item (live: holding it now); benches are left out' }),
  live: bool.optional(),
  speed: Speed.optional(),
});
export type CoverageQuery = z.infer<typeof CoverageQuery>;

export const LevelFigure = z.object({ minutes: z.number(), covered: z.number(), share: z.number() }).openapi('CoverageLevel');

export const DistrictFigure = z
  .object({
    district: z.string().nullable(),
    population: z.number(),
    units: z.number().int(),
    levels: z.array(LevelFigure),
    not_reached: z.number(),
  })
  .openapi('CoverageDistrict');

export const HistogramBin = z
  .object({ from: z.number().nullable(), to: z.number().nullable(), population: z.number(), units: z.number().int() })
  .openapi('CoverageHistogramBin', {
    description: '1-minute bins of walking time; then one open-ended bin; last, units with no path (from = to = null)',
  });

export const Coverage = z
  .object({
    method: z.enum(['network', 'straight_line']),
    speed_m_per_min: z.number(),
    detour_factor: z.number().optional().openapi({ description: 'straight_line only: network distance assumed = straight line × this' }),
    kind: Kind,
    item: z.string().nullable(),
    live: z.boolean(),
    amenities: z.number().int(),
    population: z.number(),
    units: z.number().int(),
    levels: z.array(LevelFigure),
    by_district: z.array(DistrictFigure),
    not_reached: z.number().openapi({ description: 'Population beyond the largest level' }),
    unreachable: z.number().openapi({ description: 'Population with no walking path to any counted amenity' }),
    histogram: z.array(HistogramBin),
    inputs: z.object({ network_version: z.number().nullable(), population_version: z.number().nullable(), amenities_hash: z.string() }),
    computed_at: z.string(),
  })
  .openapi('Coverage');
export type Coverage = z.infer<typeof Coverage>;

export const UnitsQuery = CoverageQuery.extend({ format: z.enum(['geojson', 'csv']).optional() });

export const AreaQuery = z.object({
  amenity: Id.openapi({ description: 'A station id or a bench device id' }),
  minutes: z.coerce.number().positive().max(120).optional(),
  speed: Speed.optional(),
});

export const TrendQuery = z.object({ from: Day.optional(), to: Day.optional(), kind: Kind.optional() });

export const TrendRow = z.object({
  at: z.string(),
  day: z.string(),
  hour: z.number().int(),
  population: z.number(),
  amenities: z.number().int(),
  method: z.string(),
  speed_m_per_min: z.number(),
  levels: z.array(LevelFigure),
});
export const Trend = z
  .object({ tz: z.string(), kind: Kind, from: z.string(), to: z.string(), rows: z.array(TrendRow) })
  .openapi('CoverageTrend');

const Site = z.object({ lon: Lon, lat: Lat });

export const WhatIfBody = z
  .object({
    add: z
      .array(Site.extend({ name: z.string().max(100).optional() }))
      .max(200)
      .default([]),
    move: z
      .array(Site.extend({ id: Id }))
      .max(200)
      .default([]),
    remove: z.array(Id).max(2000).default([]),
    levels: z.array(z.number().positive().max(1440)).min(1).max(12).optional(),
    kind: Kind.optional(),
    item: ItemCode.optional(),
    live: z.boolean().optional(),
    speed: z.number().positive().max(500).optional(),
  })
  .openapi('WhatIfRequest');

export const WhatIf = z
  .object({
    method: z.enum(['network', 'straight_line']),
    speed_m_per_min: z.number(),
    population: z.number(),
    before: z.object({ levels: z.array(LevelFigure), by_district: z.array(DistrictFigure) }),
    after: z.object({ levels: z.array(LevelFigure), by_district: z.array(DistrictFigure) }),
    delta: z.array(LevelFigure),
    sites: z.array(z.object({ lon: z.number(), lat: z.number(), access_m: z.number().nullable() })),
  })
  .openapi('WhatIf');

export const SuggestBody = z
  .object({
    k: z.number().int().min(1).max(50),
    level: z.number().positive().max(120).default(15),
    candidates: z.array(Site).min(1).max(5000).optional(),
    grid_spacing_m: z.number().min(50).max(20000).optional(),
    min_spacing_m: z.number().min(0).max(50000).default(0),
    kind: Kind.optional(),
    item: ItemCode.optional(),
    live: z.boolean().optional(),
    speed: z.number().positive().max(500).optional(),
  })
  .openapi('SuggestRequest');

export const Suggest = z
  .object({
    level: z.number(),
    speed_m_per_min: z.number(),
    population: z.number(),
    covered_before: z.number(),
    covered_after: z.number(),
    share_before: z.number(),
    share_after: z.number(),
    candidates: z.number().int(),
    picks: z.array(
      z.object({
        rank: z.number().int(),
        lon: z.number(),
        lat: z.number(),
        marginal_population: z.number(),
        cumulative_population: z.number(),
        share_after: z.number(),
      }),
    ),
    guarantee: z.string(),
  })
  .openapi('Suggest');
export type WhatIf = z.infer<typeof WhatIf>;
export type Suggest = z.infer<typeof Suggest>;
export type Trend = z.infer<typeof Trend>;
