import { z } from '@hono/zod-openapi';
import { ItemCode } from './common.ts';

/**
 * The device contract's message types (CONTRACT.md). These schemas validate each message on its
 * own (a bad message is rejected by index, the rest are stored) and describe the API in OpenAPI.
 * Objects are loose: firmware may add optional fields (the contract's extension rule), and they
 * are kept with the message.
 */

/**
 * RFC 3339 with a mandatory offset (Z or ±hh:mm); any number of fractional digits, as the RFC's
 * grammar allows. Calendar validity is checked in domain/telemetry/timestamp.ts.
 */
export const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export const Seq = z
  .number()
  .int()
  .min(0)
  .max(2 ** 53 - 1)
  .openapi({ description: "The device's own counter, unique per device: 0 ≤ seq < 2^53" });

export const Timestamp = z
  .union([z.string().regex(RFC3339, 'must be RFC 3339 with an offset'), z.number().int()])
  .openapi({ description: 'RFC 3339 with an offset, or integer epoch milliseconds', example: '2026-07-21T14:00:00+08:00' });

const base = { seq: Seq, ts: Timestamp };

/*
 * Realistic maxima (docs/security.md): the contract sets only lower bounds, but a value past these
 * is a firmware fault, and accepting it would let one message swamp every report. Each is far
 * above anything a bench or a station can physically do.
 */
/** Items in one dispense / restock / lend / return message: a pallet, not a whole warehouse. */
export const MAX_QTY = 10_000;
/** Items of one kind on hand at a station. */
export const MAX_STOCK_LEVEL = 1_000_000;
/** Visitors counted since the previous visit message. */
export const MAX_VISIT_COUNT = 100_000;
/** Battery voltage: 12/24/48 V systems; 100 V is beyond any bench battery. */
export const MAX_BATTERY_V = 100;
/** Solar input, load and a session's peak, in watts: a bench panel is a few hundred W. */
export const MAX_WATTS = 10_000;
/** Energy of one charging session, Wh. */
export const MAX_SESSION_WH = 10_000;
/** Charging ports of one bench (as the device registry allows). */
export const MAX_PORTS = 64;

const qty = z
  .number()
  .int()
  .min(1)
  .max(MAX_QTY)
  .openapi({ description: `Items, 1 to ${MAX_QTY}` });

export const StatusFields = {
  battery_soc: z.number().min(0).max(100).optional(),
  battery_v: z.number().min(0).max(MAX_BATTERY_V).optional(),
  solar_w: z.number().min(0).max(MAX_WATTS).optional(),
  load_w: z.number().min(0).max(MAX_WATTS).optional(),
  temp_c: z.number().min(-50).max(90).optional(),
  ports_in_use: z.number().int().min(0).max(MAX_PORTS).optional(),
  open: z.boolean().optional(),
  // Generous bounds: the contract sets none, and a message refused here is lost for good.
  fault_codes: z.array(z.string().max(256)).max(256).optional(),
};
export const STATUS_KEYS = Object.keys(StatusFields) as Array<keyof typeof StatusFields>;

export const StatusMessage = z
  .looseObject({ ...base, type: z.literal('status'), ...StatusFields })
  .refine((m) => STATUS_KEYS.some((k) => m[k] !== undefined), {
    message: `a status message needs at least one of ${STATUS_KEYS.join(', ')}`,
  })
  .openapi('StatusMessage');

export const ChargingSessionMessage = z
  .looseObject({
    ...base,
    type: z.literal('charging_session'),
    port: z.number().int().min(1).max(MAX_PORTS),
    started_at: Timestamp,
    ended_at: Timestamp,
    energy_wh: z.number().min(0).max(MAX_SESSION_WH),
    peak_w: z.number().min(0).max(MAX_WATTS).optional(),
  })
  .openapi('ChargingSessionMessage');

export const StockMessage = z
  .looseObject({
    ...base,
    type: z.literal('stock'),
    // "At least one item" is checked on the raw levels in domain/telemetry/envelope.ts: zod's
    // record output drops a "__proto__" key, which is a valid item code.
    levels: z
      .record(ItemCode, z.number().int().min(0).max(MAX_STOCK_LEVEL))
      .openapi({ description: 'Item code → count on hand at ts (at least one)', example: { water: 48, towel: 20 }, minProperties: 1 }),
  })
  .openapi('StockMessage');

export const ExpiryDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((s) => {
    const t = Date.parse(s + 'T00:00:00Z');
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
  }, 'is not a real calendar date');

export const DispenseMessage = z.looseObject({ ...base, type: z.literal('dispense'), item: ItemCode, qty }).openapi('DispenseMessage');
export const RestockMessage = z
  .looseObject({
    ...base,
    type: z.literal('restock'),
    item: ItemCode,
    qty,
    by: z.string().min(1).max(256).optional().openapi({ description: 'Staff or work-order id' }),
    expires: ExpiryDate.optional().openapi({ description: "A medicine batch's expiry, YYYY-MM-DD" }),
  })
  .openapi('RestockMessage');
export const LendMessage = z.looseObject({ ...base, type: z.literal('lend'), item: ItemCode, qty }).openapi('LendMessage');
export const ReturnMessage = z.looseObject({ ...base, type: z.literal('return'), item: ItemCode, qty }).openapi('ReturnMessage');
export const VisitMessage = z
  .looseObject({ ...base, type: z.literal('visit'), count: z.number().int().min(0).max(MAX_VISIT_COUNT) })
  .openapi('VisitMessage');
export const FaultMessage = z
  .looseObject({
    ...base,
    type: z.literal('fault'),
    code: z.string().min(1).max(256),
    active: z.boolean(),
    detail: z.string().max(65_536).optional(),
  })
  .openapi('FaultMessage');
export const HeartbeatMessage = z.looseObject({ ...base, type: z.literal('heartbeat') }).openapi('HeartbeatMessage');

export const MESSAGE_SCHEMAS = {
  status: StatusMessage,
  charging_session: ChargingSessionMessage,
  stock: StockMessage,
  dispense: DispenseMessage,
  restock: RestockMessage,
  lend: LendMessage,
  return: ReturnMessage,
  visit: VisitMessage,
  fault: FaultMessage,
  heartbeat: HeartbeatMessage,
} as const;

export type MessageType = keyof typeof MESSAGE_SCHEMAS;
export const MESSAGE_TYPES = Object.keys(MESSAGE_SCHEMAS) as MessageType[];

export const TelemetryMessage = z
  .union([
    StatusMessage,
    ChargingSessionMessage,
    StockMessage,
    DispenseMessage,
    RestockMessage,
    LendMessage,
    ReturnMessage,
    VisitMessage,
    FaultMessage,
    HeartbeatMessage,
  ])
  .openapi('TelemetryMessage');

export const Envelope = z
  .object({
    device: z
      .string()
      .optional()
      .openapi({ description: "The device id; when present, must name the token's device (else 403)", example: 'bench-0007' }),
    messages: z.array(TelemetryMessage).max(1000),
  })
  .openapi('TelemetryEnvelope');

export const SenmlRecord = z
  .looseObject({
    bn: z.string().optional(),
    bt: z.number().optional(),
    bu: z.string().optional(),
    bv: z.number().optional(),
    n: z.string().optional(),
    u: z.string().optional(),
    v: z.number().optional(),
    vb: z.boolean().optional().openapi({ description: 'Boolean value (the name open)' }),
    vs: z.string().optional(),
    vd: z.string().optional(),
    t: z.number().optional(),
  })
  .openapi('SenmlRecord', { description: 'RFC 8428 record; base name urn:dev:<device id>: or <device id>:' });
export const SenmlPack = z.array(SenmlRecord).openapi('SenmlPack');

const TbValues = z.record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.array(z.string())])).openapi({
  description:
    'Key → value; a string that spells a number is read as one, as ThingsBoard casts types; open also takes "true"/"false" and 1/0',
});
const TbTs = z
  .union([z.number().int(), z.string().regex(/^-?\d{1,16}$/)])
  .openapi({ description: 'Epoch milliseconds, as a number or a string of digits' });
const TbTimed = z.object({ ts: TbTs, values: TbValues });
export const ThingsBoardBody = z
  .union([TbValues, TbTimed, z.array(z.union([TbValues, TbTimed]))])
  .openapi('ThingsBoardTelemetry', { description: 'Flat {key: value} (server time), {ts, values}, or an array of those' });

export const RejectedSchema = z
  .object({
    index: z.number().int().openapi({ description: 'Position of the message (or SenML record / ThingsBoard entry) in the request' }),
    seq: z.number().int().optional(),
    key: z.string().optional().openapi({ description: 'SenML name / ThingsBoard key, for those formats' }),
    code: z.enum([
      'invalid_message',
      'invalid_seq',
      'invalid_ts',
      'unknown_type',
      'invalid_field',
      'unknown_name',
      'invalid_unit',
      'ts_in_future',
      'ts_too_old',
      'seq_conflict',
    ]),
    detail: z.string(),
  })
  .openapi('RejectedMessage');

export const IngestResult = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.array(RejectedSchema),
    server_time: z.string().openapi({ example: '2026-07-21T06:02:11.120Z' }),
  })
  .openapi('IngestResult');

export type Rejected = z.infer<typeof RejectedSchema>;
export type IngestResultBody = z.infer<typeof IngestResult>;
