import { z } from '@hono/zod-openapi';
import { Id, ItemCode, Lat, Lon } from './common.ts';

/** Client-made ids: a UUID or any token of safe characters the phone made once per stop. */
export const RestockId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must match ^[A-Za-z0-9_.:-]{1,128}$')
  .openapi({
    description: 'Client-made unique id: resending the same id never counts twice',
    example: '0f9a3c2e-8a51-4f43-9d51-0c1e7c1d2b11',
  });

/** One restock never plausibly carries more than this of an item (a van load, not an overflow). */
export const MAX_RESTOCK_QTY = 100_000;

export const RestockCreate = z
  .object({
    id: RestockId,
    items: z
      .record(ItemCode, z.number().int().min(1).max(MAX_RESTOCK_QTY))
      .refine((o) => Object.keys(o).length >= 1, 'must name at least one item')
      .refine((o) => Object.keys(o).length <= 50, 'at most 50 items')
      .openapi({ description: 'Item code → quantity put in (integer ≥ 1)', example: { water: 24, towel: 10 } }),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .openapi('RestockCreate');

export const Restock = z
  .object({
    id: z.string(),
    station: z.string(),
    items: z.record(z.string(), z.number().int()),
    note: z.string().nullable(),
    by: z.string().openapi({ description: "The person of the caller's token, else the token id" }),
    at: z.string().openapi({ description: 'When it was recorded (ISO 8601, UTC)' }),
    duplicate: z.boolean().openapi({ description: 'true when this id was already recorded (nothing counted again)' }),
    work_orders: z.array(z.string()).openapi({
      description:
        'Restock work orders of the station this restock closed (or moved to "handled" while their alert holds); empty on a resend',
    }),
    alerts_resolved: z.array(z.string()).openapi({ description: 'Stock alerts this restock resolved (empty on a resend)' }),
    stock: z.record(z.string(), z.number()).openapi({ description: 'Stock on hand of the restocked items now' }),
  })
  .openapi('Restock');

// ─── Restock run plan ───────────────────────────────────────────────────────────────────────
const Qty = z.number().int().min(0).max(1_000_000);

export const RestockPlanRequest = z
  .object({
    depot: z.object({ lat: Lat, lon: Lon }).strict().openapi({ description: 'Where the van starts and ends (WGS-84)' }),
    capacity: z
      .object({
        items: z
          .record(ItemCode, Qty)
          .optional()
          .openapi({ description: 'Most the van carries per item; items not listed are not limited per item' }),
        total: Qty.optional().openapi({ description: 'Most the van carries of all items together' }),
      })
      .strict()
      .default({}),
    available_min: z
      .number()
      .min(1)
      .max(24 * 60)
      .default(240)
      .openapi({ description: 'Time available for the run, minutes' }),
    service_min: z.number().min(0).max(240).default(10).openapi({ description: 'Minutes spent at each stop' }),
    next_visit_h: z
      .number()
      .min(1)
      .max(24 * 14)
      .default(24)
      .openapi({ description: 'Hours until the next run: the load covers the forecast until then' }),
    mode: z
      .enum(['drive', 'walk'])
      .default('drive')
      .openapi({ description: 'Speed on the street network: a van (drive) or on foot (walk)' }),
    district: Id.optional(),
    unit: Id.optional(),
    stations: z.array(Id).min(1).max(500).optional().openapi({ description: 'Only these stations' }),
  })
  .strict()
  .openapi('RestockPlanRequest');

export const RestockPlan = z
  .object({
    method: z.enum(['network', 'straight_line']),
    detour_factor: z.number().optional(),
    speed_m_per_min: z.number(),
    next_visit_h: z.number(),
    stops: z.array(
      z.object({
        station: z.string(),
        name: z.string(),
        lat: z.number(),
        lon: z.number(),
        leg_m: z.number().int(),
        arrive_min: z.number().int(),
        bring: z.record(z.string(), z.number().int()),
        due: z.array(z.string()),
        hours_to_empty: z.number().nullable(),
      }),
    ),
    left_out: z.array(
      z.object({ station: z.string(), name: z.string(), reason: z.enum(['capacity', 'time', 'unreachable']), detail: z.string() }),
    ),
    pick_list: z.record(z.string(), z.number().int()),
    distance_m: z.number().int(),
    duration_min: z.number().int(),
    not_due: z.number().int().openapi({ description: 'Stations considered that need nothing before the next visit' }),
  })
  .openapi('RestockPlan');

export type RestockT = z.infer<typeof Restock>;
export type RestockPlanT = z.infer<typeof RestockPlan>;
export type RestockPlanRequestT = z.input<typeof RestockPlanRequest>;
