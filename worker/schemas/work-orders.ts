import { z } from '@hono/zod-openapi';
import { MOVES, STEPS, WORK_ORDER_KINDS } from '../domain/work-order-steps.ts';
import { Day, Id, IdPath, ItemCode } from './common.ts';

/** Work orders on the seven-step loop (CONTRACT "Operations"). */
export { WORK_ORDER_KINDS };
const Iso = z.string().openapi({ description: 'ISO 8601 instant (UTC)', example: '2026-07-21T06:02:11.120Z' });
const Note = z.string().trim().min(1).max(2000);

export const WorkOrderCreate = z
  .object({
    site: Id.optional().openapi({
      description: 'Station id or bench (device) id; optional when `alert` is given (the alert’s site)',
      example: 'st-renmin-sq',
    }),
    kind: z
      .enum(WORK_ORDER_KINDS)
      .optional()
      .openapi({ description: 'Default: from the alert’s kind (stock → restock, device → repair), else other' }),
    alert: Id.optional().openapi({ description: 'Open the order from this alert (one order per open alert)', example: 'al_0123' }),
    item: ItemCode.optional(),
    note: Note.optional(),
  })
  .strict()
  .refine((b) => b.site !== undefined || b.alert !== undefined, {
    message: 'site is required (or alert, whose site it takes)',
    path: ['site'],
  })
  .openapi('WorkOrderCreate');

export const WorkOrderMove = z
  .object({
    step: z.enum(MOVES).openapi({ description: 'The next step, or "arrived" (on site) after dispatched' }),
    note: Note.optional(),
    assignee: Id.optional().openapi({ description: 'With dispatched (or a failed check): a team id or a person id' }),
    passed: z.boolean().optional().openapi({ description: 'With checked: false sends the order back to dispatched (回头看)' }),
  })
  .strict()
  .openapi('WorkOrderMove');

export const StepEntry = z
  .object({
    step: z.enum(MOVES),
    at: Iso,
    by: z.string().openapi({ description: 'Person id of the caller, else the API token id' }),
    by_name: z.string().nullable().openapi({ description: 'The person’s name when `by` is a person' }),
    note: z.string().nullable(),
    assignee: z.string().nullable(),
    passed: z.boolean().nullable(),
  })
  .openapi('WorkOrderStep');

export const SlaSchema = z
  .object({
    dispatch_to_arrival_s: z.number().int().nullable(),
    arrival_to_handled_s: z.number().int().nullable(),
    met: z.boolean().nullable().openapi({
      description:
        'true: both within target; false: a target missed (or handled without arrival recorded); null: not dispatched or still within target',
    }),
    target_dispatch_to_arrival_s: z.number().int(),
    target_arrival_to_handled_s: z.number().int(),
    to_close_s: z.number().int().nullable().openapi({ description: 'Opened → closed' }),
    overdue: z.boolean().openapi({ description: 'Dispatched, not handled, and past the deadline of the current stage' }),
    due_at: Iso.nullable(),
    dispatches: z
      .number()
      .int()
      .openapi({ description: 'Dispatches so far (a failed check dispatches again; the clock measures the latest)' }),
  })
  .openapi('WorkOrderSla', { description: '双十: dispatch → arrival and arrival → handled against the targets of the order’s kind' });

export const PhotoSchema = z
  .object({
    id: z.string(),
    step: z.enum(['handled', 'checked']),
    content_type: z.string(),
    bytes: z.number().int(),
    at: Iso,
    by: z.string(),
    url: z.string(),
  })
  .openapi('WorkOrderPhoto');

export const WorkOrder = z
  .object({
    id: z.string(),
    site: z.string(),
    site_kind: z.enum(['station', 'bench']),
    site_name: z.string().nullable(),
    district: z.string().nullable(),
    unit: z.string().nullable().openapi({ description: 'The site’s responsible unit (a bench without its own: its park’s)' }),
    kind: z.string(),
    item: z.string().nullable(),
    alert: z.string().nullable(),
    report: z.string().nullable(),
    note: z.string().nullable(),
    step: z.enum(STEPS),
    assignee: z.object({ kind: z.enum(['team', 'person']), id: z.string(), name: z.string().nullable() }).nullable(),
    created_at: Iso,
    created_by: z.string(),
    dispatched_at: Iso.nullable(),
    arrived_at: Iso.nullable(),
    handled_at: Iso.nullable(),
    closed_at: Iso.nullable(),
    escalated_at: Iso.nullable(),
    updated_at: Iso,
    next: z.array(z.enum(MOVES)).openapi({ description: 'The moves legal now' }),
    sla: SlaSchema,
    steps: z.array(StepEntry),
    photos: z.array(PhotoSchema),
  })
  .openapi('WorkOrder');

export const WorkOrderSummary = WorkOrder.omit({ steps: true, photos: true }).openapi('WorkOrderSummary');

const Bool = z.enum(['true', 'false']);
export const WorkOrderQuery = z.object({
  step: z.enum(STEPS).optional(),
  state: z
    .enum(['open', 'closed', 'all'])
    .optional()
    .openapi({ description: 'open: not yet closed; closed: closed or evaluated; default all' }),
  unit: Id.optional(),
  team: Id.optional(),
  district: Id.optional(),
  kind: z.enum(WORK_ORDER_KINDS).optional(),
  site: Id.optional(),
  alert: Id.optional(),
  assignee: Id.optional().openapi({ description: 'Team or person id' }),
  overdue: Bool.optional(),
  mine: Bool.optional().openapi({ description: 'Orders assigned to the caller’s person or one of their teams' }),
  limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'Default 200' }),
});

export const StatsQuery = z
  .object({
    from: Day.openapi({ description: 'First local day (inclusive) the orders were opened' }),
    to: Day.openapi({ description: 'Last local day (inclusive)' }),
    by: z.enum(['team', 'unit', 'district']),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

const SpreadSchema = z.object({ n: z.number().int(), median: z.number().nullable(), p90: z.number().nullable() });
const GroupSchema = z.object({
  key: z.string(),
  name: z.string().nullable(),
  orders: z.number().int(),
  dispatch_to_arrival: SpreadSchema,
  arrival_to_handled: SpreadSchema,
  to_close: SpreadSchema,
  judged: z.number().int(),
  met: z.number().int(),
  met_share: z.number().nullable(),
  overdue: z.number().int(),
});
export const StatsAnswer = z
  .object({
    from: z.string(),
    to: z.string(),
    tz: z.string(),
    by: z.enum(['team', 'unit', 'district']),
    rows: z.array(GroupSchema),
    total: GroupSchema,
  })
  .openapi('WorkOrderStats', {
    description: 'Seconds; medians and 90th percentiles by linear interpolation; met_share of the orders whose outcome is known',
  });

export const SlaTarget = z
  .object({
    kind: z.string(),
    dispatch_to_arrival_s: z.number().int().min(1).max(86_400),
    arrival_to_handled_s: z.number().int().min(1).max(86_400),
    default: z.boolean(),
  })
  .openapi('WorkOrderSlaTarget');
export const SlaTargetPut = z
  .object({ dispatch_to_arrival_s: z.number().int().min(1).max(86_400), arrival_to_handled_s: z.number().int().min(1).max(86_400) })
  .strict();
export const KindParam = z.object({ kind: z.enum(WORK_ORDER_KINDS) });
export const PhotoParams = z.object({ id: IdPath, photoId: IdPath });
export const PhotoQuery = z.object({ step: z.enum(['handled', 'checked']).optional() });

export type WorkOrderT = z.infer<typeof WorkOrder>;
export type WorkOrderSummaryT = z.infer<typeof WorkOrderSummary>;
export type WorkOrderMoveT = z.infer<typeof WorkOrderMove>;
export type WorkOrderCreateT = z.infer<typeof WorkOrderCreate>;
