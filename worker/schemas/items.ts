import { z } from '@hono/zod-openapi';
import { ItemCode } from './common.ts';

const Label = z.string().trim().min(1).max(100);

export const ItemCreate = z
  .object({
    code: ItemCode,
    name_zh: Label.openapi({ example: '藿香正气水' }),
    name_en: Label.openapi({ example: 'Huoxiang Zhengqi liquid' }),
    unit: Label.openapi({ example: 'box' }),
  })
  .strict()
  .openapi('ItemCreate');

export const ItemPatch = z
  .object({ name_zh: Label.optional(), name_en: Label.optional(), unit: Label.optional() })
  .strict()
  .openapi('ItemPatch', { description: 'Names an item; it counts as registered once it has both names and a unit' });

export const Item = z
  .object({
    code: z.string(),
    name_zh: z.string().nullable(),
    name_en: z.string().nullable(),
    unit: z.string().nullable(),
    registered: z.boolean().openapi({ description: 'false: first seen in telemetry, waiting for an admin to name it' }),
    first_seen: z.string().nullable().openapi({ description: 'When telemetry first carried the code (unregistered codes)' }),
  })
  .openapi('Item');

export const ItemQuery = z.object({
  unregistered: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: only codes seen in telemetry and not yet named; false: only registered ones' }),
});
