import { z } from '@hono/zod-openapi';
import { Day, Id, ItemCode, ROLES } from './common.ts';
import { CardColourSchema, CardReason } from './alerts.ts';

/** Response shapes of /api/v1/dashboard/*: the web client imports these types. */

const Grade = z.enum(['blue', 'yellow', 'orange', 'red']);
const Instant = z.string().openapi({ description: 'UTC instant, RFC 3339', example: '2026-07-21T06:02:11.120Z' });

export const Health = z
  .object({ grade: Grade, reasons: z.array(z.string()) })
  .openapi({ description: 'Current severity from thresholds (how bad it is now), with its reasons' });

/** The site's four-colour card for lists and the map (the full history: GET /api/v1/cards?site=). */
export const SiteCardBrief = z
  .object({
    colour: CardColourSchema,
    since: Instant.nullable(),
    reasons: z.array(CardReason),
    urgent: z.boolean().openapi({
      description: 'Current severity red (stock-out, a day silent, never heard, battery critical) or an alert open past its deadline',
    }),
  })
  .openapi('SiteCardBrief', { description: 'Four-colour card (一卡四色, how the site has behaved) and whether it is urgent now' });

export const Me = z.object({ id: z.string(), role: z.enum(ROLES) }).openapi('DashboardMe');

export const ItemInfo = z.object({
  code: ItemCode,
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  unit: z.string().nullable(),
  registered: z.boolean(),
});

export const Config = z
  .object({
    tz: z.string(),
    today: Day,
    now: Instant,
    city_name: z.string(),
    map_tile_url: z.string(),
    items: z.array(ItemInfo),
    districts: z.array(z.object({ id: Id, name: z.string() })),
  })
  .openapi('DashboardConfig');

const GradeCounts = z.object({ blue: z.number().int(), yellow: z.number().int(), orange: z.number().int(), red: z.number().int() });

/** `distributed` = dispensed events + stock drops no event explains (stations that only count stock). */
const PeriodFigure = z.object({ current: z.number(), previous: z.number(), change: z.number().nullable() });

export const Overview = z
  .object({
    today: Day,
    generated_at: Instant,
    supplies: z.array(
      z.object({
        item: ItemCode,
        today: PeriodFigure,
        last_7_days: PeriodFigure,
        last_30_days: PeriodFigure,
        since_opening: z.number(),
      }),
    ),
    stations: z.object({
      total: z.number().int(),
      open_now: z.number().int(),
      below_reorder: z.number().int(),
      stock_out: z.number().int(),
    }),
    benches: z.object({
      total: z.number().int(),
      battery: z.object({
        good: z.number().int(),
        low: z.number().int(),
        very_low: z.number().int(),
        critical: z.number().int(),
        unknown: z.number().int(),
      }),
    }),
    charging: z.object({
      today: z.object({ sessions: z.number().int(), energy_wh: z.number() }),
      last_7_days: z.object({ sessions: z.number().int(), energy_wh: z.number() }),
      last_30_days: z.object({ sessions: z.number().int(), energy_wh: z.number() }),
    }),
    health: z.object({ stations: GradeCounts, benches: GradeCounts }),
    cards: z
      .object({ stations: GradeCounts, benches: GradeCounts, urgent: z.number().int() })
      .openapi({ description: 'Sites per card colour, and how many are urgent now' }),
    trend: z.object({ from: Day, to: Day, rows: z.array(z.object({ day: Day, item: ItemCode, distributed: z.number() })) }),
    attention: z
      .array(
        z.object({
          kind: z.enum(['station', 'bench']),
          id: Id,
          name: z.string(),
          district_name: z.string().nullable(),
          health: Health,
          card: SiteCardBrief,
        }),
      )
      .openapi({ description: 'Sites that are urgent, carry a card above blue or a current-severity reason; worst first (at most 12)' }),
    districts: z.array(
      z.object({
        id: Id,
        name: z.string(),
        stations: z.number().int(),
        benches: z.number().int(),
        distributed_30d: z.number(),
        sessions_30d: z.number().int(),
        energy_wh_30d: z.number(),
        red: z.number().int().openapi({ description: 'Sites whose current-severity grade is red (what is wrong now)' }),
        orange: z.number().int().openapi({ description: 'Sites whose current-severity grade is orange' }),
        cards: z
          .object({ red: z.number().int(), orange: z.number().int(), urgent: z.number().int() })
          .openapi({ description: 'Sites by four-colour card (一卡四色): red and orange cards, and sites urgent now (emergency rule)' }),
      }),
    ),
  })
  .openapi('DashboardOverview');

export const StockLine = z.object({
  item: ItemCode,
  on_hand: z.number().int().nullable(),
  par_level: z.number().int().nullable(),
  reorder_point: z.number().int().nullable(),
  updated_at: Instant.nullable(),
});

export const StationSummary = z.object({
  id: Id,
  name: z.string(),
  district: Id,
  district_name: z.string(),
  lat: z.number(),
  lon: z.number(),
  opening_hours: z.string(),
  open_now: z.boolean(),
  health: Health,
  card: SiteCardBrief,
  lowest_stock_pct: z.number().nullable().openapi({ description: 'Lowest on-hand / par level over its items, 0–100+' }),
  last_seen: Instant.nullable(),
  distributed_7d: z.number(),
  stock: z.array(StockLine),
});
export const StationList = z.object({ stations: z.array(StationSummary) }).openapi('DashboardStationList');

const DeviceBrief = z.object({ id: Id, kind: z.enum(['bench', 'station']), last_seen: Instant.nullable(), disabled: z.boolean() });
const Fault = z.object({ device_id: Id, code: z.string(), detail: z.string().nullable(), since: Instant.nullable() });

export const StationDetail = StationSummary.extend({
  opened_on: Day.nullable(),
  devices: z.array(DeviceBrief),
  faults: z.array(Fault),
}).openapi('DashboardStation');

export const StationSeries = z
  .object({
    from: Day,
    to: Day,
    items: z.array(
      z.object({
        day: Day,
        item: ItemCode,
        distributed: z.number(),
        dispensed: z.number(),
        inferred_out: z.number(),
        restocked: z.number(),
        inferred_in: z.number(),
        lent: z.number(),
        returned: z.number(),
      }),
    ),
    visitors: z.array(z.object({ day: Day, visitors: z.number() })),
  })
  .openapi('DashboardStationSeries');

export const BenchSummary = z.object({
  id: Id,
  name: z.string().nullable(),
  park: z.string(),
  park_name: z.string().nullable(),
  district: z.string().nullable(),
  district_name: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  health: Health,
  card: SiteCardBrief,
  battery_soc: z.number().nullable(),
  battery_v: z.number().nullable(),
  solar_w: z.number().nullable(),
  load_w: z.number().nullable(),
  temp_c: z.number().nullable(),
  ports: z.number().int().nullable(),
  ports_in_use: z.number().int().nullable(),
  last_seen: Instant.nullable(),
  state_at: Instant.nullable(),
  sessions_7d: z.number().int(),
  energy_wh_7d: z.number(),
});
export const BenchList = z.object({ benches: z.array(BenchSummary) }).openapi('DashboardBenchList');
export const BenchDetail = BenchSummary.extend({ disabled: z.boolean(), faults: z.array(Fault) }).openapi('DashboardBench');

export const BenchRange = z.enum(['24h', '7d', '30d']);
export const BenchSeries = z
  .object({
    range: BenchRange,
    resolution: z.enum(['hour', 'day']),
    points: z.array(
      z.object({
        key: z.string().openapi({ description: 'YYYY-MM-DD (day) or YYYY-MM-DDTHH (local hour)' }),
        battery_avg: z.number().nullable(),
        battery_min: z.number().nullable(),
        solar_w: z.number().openapi({ description: 'Mean solar input over the bucket, W' }),
        load_w: z.number().nullable(),
        samples: z.number().int(),
      }),
    ),
    daily: z.array(z.object({ day: Day, solar_wh: z.number(), energy_wh: z.number(), sessions: z.number().int() })),
    by_hour: z.array(z.object({ hour: z.number().int(), sessions: z.number().int(), energy_wh: z.number() })),
  })
  .openapi('DashboardBenchSeries');

export const MessageList = z
  .object({
    device: Id,
    messages: z.array(
      z.object({ key: z.string(), ts: Instant, type: z.string(), received_at: Instant, body: z.record(z.string(), z.unknown()) }),
    ),
  })
  .openapi('DashboardMessages');

export const SuppliesGroup = z.enum(['item', 'station', 'district']);
export const SuppliesReport = z
  .object({
    from: Day,
    to: Day,
    tz: z.string(),
    group: SuppliesGroup,
    period: z.enum(['day', 'week', 'month']),
    rows: z.array(
      z.object({
        period: z.string().openapi({ description: 'YYYY-MM-DD (day, or the Monday of a week) or YYYY-MM' }),
        place: z.string().openapi({ description: 'station or district id; empty when grouped by item only' }),
        place_name: z.string(),
        item: ItemCode,
        distributed: z.number(),
        dispensed: z.number(),
        inferred_out: z.number(),
        restocked: z.number().openapi({ description: 'restock events + stock rises no event explains (inferred_in)' }),
        inferred_in: z.number(),
        lent: z.number(),
        returned: z.number(),
      }),
    ),
  })
  .openapi('DashboardSupplies');

export const MapBase = z
  .object({
    parks: z.array(z.object({ id: Id, name: z.string(), district: Id, lat: z.number(), lon: z.number() })),
    districts: z.array(
      z.object({
        id: Id,
        name: z.string(),
        lat: z.number().nullable().openapi({ description: 'Label point: the mean of its parks and stations' }),
        lon: z.number().nullable(),
        boundary: z
          .object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) })
          .nullable()
          .openapi({ description: 'GeoJSON geometry, WGS-84' }),
      }),
    ),
    streets: z
      .array(z.tuple([z.number(), z.number(), z.number(), z.number()]))
      .openapi({ description: 'Walking-network segments [lon1, lat1, lon2, lat2]; empty without a network or past 30,000 edges' }),
  })
  .openapi('DashboardMapBase');

export type MeT = z.infer<typeof Me>;
export type ConfigT = z.infer<typeof Config>;
export type OverviewT = z.infer<typeof Overview>;
export type StationSummaryT = z.infer<typeof StationSummary>;
export type StationListT = z.infer<typeof StationList>;
export type StationDetailT = z.infer<typeof StationDetail>;
export type StationSeriesT = z.infer<typeof StationSeries>;
export type BenchSummaryT = z.infer<typeof BenchSummary>;
export type BenchListT = z.infer<typeof BenchList>;
export type BenchDetailT = z.infer<typeof BenchDetail>;
export type BenchSeriesT = z.infer<typeof BenchSeries>;
export type BenchRangeT = z.infer<typeof BenchRange>;
export type MessageListT = z.infer<typeof MessageList>;
export type SuppliesReportT = z.infer<typeof SuppliesReport>;
export type SuppliesGroupT = z.infer<typeof SuppliesGroup>;
export type MapBaseT = z.infer<typeof MapBase>;
export type GradeT = z.infer<typeof Grade>;
export type SiteCardBriefT = z.infer<typeof SiteCardBrief>;
export type CardColourT = SiteCardBriefT['colour'];
