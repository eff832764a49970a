import { z } from '@hono/zod-openapi';
import { Day, Id, ItemCode } from './common.ts';

const range = {
  from: Day.openapi({ description: 'First local day (inclusive)', param: { name: 'from', in: 'query' } }),
  to: Day.openapi({ description: 'Last local day (inclusive)', param: { name: 'to', in: 'query' } }),
};
const notReversed = (q: { from: string; to: string }) => q.from <= q.to;
const reversed = { message: 'from must not be after to', path: ['to'] };

/** A report's answer: its range and grouping, one row per key with the given figures, and totals. */
const reportAnswer = <R extends z.ZodRawShape, T extends z.ZodRawShape>(row: R, totals: T) =>
  z.object({
    from: z.string(),
    to: z.string(),
    tz: z.string(),
    by: z.string(),
    rows: z.array(z.object({ key: z.string(), name: z.string().nullable(), ...row })),
    totals: z.object(totals),
  });

export const SuppliesQuery = z
  .object({
    ...range,
    by: z.enum(['item', 'station', 'district', 'day']).default('item'),
    item: ItemCode.optional(),
    station: Id.optional(),
    district: Id.optional(),
  })
  .refine(notReversed, reversed);

export const SuppliesAnswer = reportAnswer(
  {
    dispensed: z.number().int().openapi({ description: 'Handed out: dispense events plus level drops no event explains' }),
    restocked: z.number().int(),
    lent: z.number().int(),
    returned: z.number().int(),
    dispensed_inferred: z.number().int().openapi({ description: 'Part of dispensed inferred from stock levels' }),
    restocked_inferred: z.number().int(),
  },
  { dispensed: z.number().int(), restocked: z.number().int(), lent: z.number().int(), returned: z.number().int() },
).openapi('SuppliesReport');

export const ChargingQuery = z
  .object({
    ...range,
    by: z.enum(['bench', 'park', 'district', 'day']).default('bench'),
    park: Id.optional(),
    district: Id.optional(),
  })
  .refine(notReversed, reversed);

export const ChargingAnswer = reportAnswer(
  {
    sessions: z.number().int(),
    energy_wh: z.number().openapi({ description: 'Delivered by charging sessions (placed on the day they started)' }),
    solar_wh: z.number().openapi({ description: 'Harvested by the panel' }),
  },
  { sessions: z.number().int(), energy_wh: z.number(), solar_wh: z.number() },
).openapi('ChargingReport');

/** GET /api/v1/monthly/since-opening: per station, what it handed out and its visitors since it opened. */
export const SinceAnswer = z.object({
  today: z.string(),
  rows: z.array(
    z.object({
      station: z.string(),
      name: z.string(),
      district: z.string(),
      opened_on: z.string().nullable(),
      // opened_on, or the first day with data when opened_on is not set
      since: z.string().nullable(),
      days_open: z.number().int(),
      dispensed: z.number(),
      by_item: z.record(z.string(), z.number()),
      visitors: z.number(),
      // months whose figures come from an import
      imported_months: z.array(z.string()),
    }),
  ),
});
