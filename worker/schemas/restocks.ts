import { z } from '@hono/zod-openapi';
import { ItemCode } from './common.ts';

/** Client-made ids: a UUID or any token of safe characters the phone made once per stop. */
export const RestockId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must match ^[A-Za-z0-9_.:-]{1,128}$')
  .openapi({ description: 'Client-made unique id: resending the same id never counts twice', example: '0f9a3c2e-8a51-4f43-9d51-0c1e7c1d2b11' });

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
    work_orders: z.array(z.string()).openapi({ description: 'Restock work orders of the station this restock moved to "handled" (empty on a resend)' }),
    alerts_resolved: z.array(z.string()).openapi({ description: 'Stock alerts this restock resolved (empty on a resend)' }),
    stock: z.record(z.string(), z.number()).openapi({ description: 'Stock on hand of the restocked items now' }),
  })
  .openapi('Restock');
