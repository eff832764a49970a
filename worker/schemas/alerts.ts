import { z } from '@hono/zod-openapi';
import { ALERT_COLOURS, ALERT_KINDS, CARD_COLOURS } from '../domain/alerts/kinds.ts';
import { isSettingKey } from '../domain/alerts/settings.ts';
import { Id, ItemCode } from './common.ts';

const Iso = z.string().openapi({ format: 'date-time', example: '2026-07-21T06:00:00.000Z' });
export const AlertKindSchema = z.enum(ALERT_KINDS).openapi({ description: 'Alert kind' });
export const AlertColourSchema = z.enum(ALERT_COLOURS);
export const CardColourSchema = z.enum(CARD_COLOURS);

export const Alert = z
  .object({
    id: z.string(),
    kind: AlertKindSchema,
    site: z.string().openapi({ description: "A station's id, or a bench's device id" }),
    site_kind: z.enum(['station', 'bench']),
    item: z.string().nullable(),
    colour: AlertColourSchema.openapi({
      description: 'The card colour (一卡四色) of this site and kind when the alert opened, raised while it stays open (never lowered)',
    }),
    opened_at: Iso,
    resolved_at: Iso.nullable(),
    detail: z.string().openapi({ description: 'One line for people; predicted_stock_out names the predicted empty time' }),
    data: z.record(z.string(), z.unknown()).openapi({ description: 'The figures behind detail (e.g. empty_at, on_hand)' }),
    deadline_at: Iso.nullable().openapi({ description: 'Past this the alert is overdue' }),
    site_name: z.string().nullable(),
    district: z.string().nullable(),
  })
  .openapi('Alert');

export const AlertQuery = z.object({
  state: z.enum(['open', 'resolved', 'all']).default('open'),
  site: z.string().min(1).max(64).optional(),
  kind: AlertKindSchema.optional(),
  colour: AlertColourSchema.optional(),
  district: Id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const AlertChange = z.object({
  id: z.string(),
  change: z.enum(['opened', 'escalated', 'overdue', 'resolved']),
  colour: AlertColourSchema,
  at: Iso,
});
export const Delivery = z.object({
  change_id: z.string(),
  channel_id: z.string(),
  status: z.enum(['sent', 'failed', 'dead']),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  updated_at: Iso,
});
export const AlertDetail = Alert.extend({ changes: z.array(AlertChange), deliveries: z.array(Delivery) }).openapi('AlertDetail');

export const CardStep = z.object({
  at: Iso,
  kind: AlertKindSchema,
  colour: CardColourSchema,
  reason: z.enum(['first', 'repeat', 'overdue', 'overdue_repeat', 'clean']),
  alert: z.string().nullable(),
});
export const CardReason = z.object({
  kind: AlertKindSchema,
  colour: CardColourSchema,
  recent: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
});
export const Card = z
  .object({
    site: z.string(),
    colour: CardColourSchema,
    since: Iso.nullable(),
    reasons: z.array(CardReason),
    history: z.array(CardStep),
  })
  .openapi('Card', {
    description:
      'Four-colour card (一卡四色): blue clean; a first problem yellow; the same problem again within the window orange; repeated and still open past its deadline red; a clean period steps it down.',
  });
export const CardQuery = z.object({ site: z.string().min(1).max(64).optional() });

export const SettingKey = z.string().refine(isSettingKey, 'unknown setting key; see GET /api/v1/alerts/settings for the keys and defaults');
export const SettingPut = z
  .object({ key: SettingKey, site: Id.optional(), item: ItemCode.optional(), value: z.number().min(0).max(1_000_000) })
  .strict()
  .openapi('AlertSettingPut');
export const SettingDelete = z.object({ key: SettingKey, site: Id.optional(), item: ItemCode.optional() }).strict();
export const SettingRowSchema = z.object({ key: z.string(), site: z.string().nullable(), item: z.string().nullable(), value: z.number() });
export const SettingsAnswer = z
  .object({ defaults: z.record(z.string(), z.number()), overrides: z.array(SettingRowSchema) })
  .openapi('AlertSettings');

/** Hosts a channel may reach over plain http: this machine only (a local test receiver). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A channel carries alert and work-order texts (and a webhook's signature) across the internet:
 * https only, plain http only to this machine.
 */
const HttpsUrl = z
  .string()
  .max(2000)
  .url()
  .refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, 'must be an https URL (plain http only to localhost)');
export const ChannelCreate = z
  .object({
    id: Id.optional(),
    team_id: Id,
    type: z.enum(['wecom', 'dingtalk', 'webhook']),
    url: HttpsUrl,
    secret: z
      .string()
      .min(1)
      .max(500)
      .nullable()
      .optional()
      .openapi({ description: 'DingTalk robot secret (SEC…) or the webhook HMAC key; never shown back' }),
    kinds: z.array(AlertKindSchema).min(1).nullable().optional(),
    min_colour: AlertColourSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .openapi('ChannelCreate');
export const ChannelPatch = ChannelCreate.omit({ id: true, team_id: true, type: true }).partial().strict().openapi('ChannelPatch');
export const Channel = z
  .object({
    id: z.string(),
    team_id: z.string(),
    type: z.enum(['wecom', 'dingtalk', 'webhook']),
    url: z.string(),
    has_secret: z.boolean(),
    kinds: z.array(AlertKindSchema).nullable(),
    min_colour: AlertColourSchema,
    disabled: z.boolean(),
    created_at: Iso,
  })
  .openapi('Channel');
