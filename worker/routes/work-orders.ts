import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import {
  applyMove,
  defaultTargets,
  getOrder,
  getOrderRow,
  groupNames,
  isAssignedTo,
  listOrders,
  listTargets,
  openWorkOrder,
  ordersOpenedBetween,
  putTarget,
  resolveAssignee,
  type OrderRow,
} from '../db/work-orders.ts';
import { addDays, startOfLocalDay } from '../domain/local-time.ts';
import { slaStats } from '../domain/sla-stats.ts';
import { MOVE_ROLES, transition } from '../domain/work-order-steps.ts';
import type { AppEnv, Caller } from '../env.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, IdParam, json, problems } from '../schemas/common.ts';
import {
  KindParam,
  SlaTarget,
  SlaTargetPut,
  StatsAnswer,
  StatsQuery,
  WorkOrder,
  WorkOrderCreate,
  WorkOrderMove,
  WorkOrderQuery,
  WorkOrderSummary,
  WORK_ORDER_KINDS,
} from '../schemas/work-orders.ts';
import photos from './work-order-photos.ts';

/**
 * Work orders on the seven-step closed loop (七步闭环) with the 双十 clock. Supervisors (督查)
 * run the loop; staff report, and record arrival and handling on the orders assigned to them
 * (or their team); planners have no part in it.
 */
const app = createRouter();
const tags = ['Work orders'];

/** Who a step is attributed to: the caller's person, else their token. */
export const attribution = (caller: Caller): string => caller.person ?? caller.id;

function callerOf(c: Context<AppEnv>): Caller {
  return c.get('caller')!;
}

/** Staff see the orders assigned to them or their team, and those they reported. */
export async function staffMaySee(db: D1Database, caller: Caller, order: OrderRow): Promise<boolean> {
  if (caller.role !== 'staff') return true;
  if (order.created_by === attribution(caller)) return true;
  return caller.person !== null && (await isAssignedTo(db, order, caller.person));
}

app.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Open a work order at "reported" (by hand, or from an alert in one click)',
    description:
      'From an alert: `site`, `kind` and `item` default to the alert’s. An open alert has at most one open order: asking again answers `200` with the existing order ' +
      '(not a second one); a new order answers `201`. An already resolved alert with no open order is a `409`.',
    security: bearerAuth,
    middleware: [requireRole('supervisor', 'staff')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: WorkOrderCreate } } } },
    responses: {
      201: json(WorkOrder, 'The new order'),
      200: json(WorkOrder, 'The open order this alert already has'),
      ...problems(400, 401, 403, 409, 415),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const now = Date.now();
    const { id, created } = await openWorkOrder(c.env.DB, { ...body, by: attribution(callerOf(c)), now });
    const order = (await getOrder(c.env.DB, id, defaultTargets(c.env), now))!;
    return created ? c.json(order, 201) : c.json(order, 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags,
    summary: 'List work orders, overdue first',
    description:
      'Filters combine. `team` matches orders dispatched to the team or to one of its members; `assignee` a team or person id exactly; `unit` and `district` are the site’s; ' +
      '`overdue=true`: dispatched, not handled, past the deadline of the running stage. `mine=true`: assigned to the caller’s person or one of their teams. Staff always see only ' +
      'their own orders (assigned to them or their team).',
    security: bearerAuth,
    middleware: [requireRole('supervisor', 'staff')] as const,
    request: { query: WorkOrderQuery },
    responses: { 200: json(z.object({ work_orders: z.array(WorkOrderSummary) }), 'Orders'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const caller = callerOf(c);
    const mine = q.mine === 'true' || caller.role === 'staff';
    if (mine && caller.person === null) {
      throw new ApiError(
        caller.role === 'staff' ? 'forbidden' : 'validation_failed',
        'This token belongs to no person, so it has no orders of its own; an admin gives a person a token with POST /api/v1/tokens {person}',
        {
          ...(caller.role === 'staff'
            ? {}
            : { errors: [{ in: 'query' as const, pointer: '/mine', message: 'the token belongs to no person' }] }),
        },
      );
    }
    const orders = await listOrders(
      c.env.DB,
      { ...q, overdue: q.overdue === undefined ? undefined : q.overdue === 'true', minePerson: mine ? caller.person! : undefined },
      defaultTargets(c.env),
      Date.now(),
    );
    return c.json({ work_orders: orders }, 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/stats',
    tags,
    summary: '双十 figures per team, unit or district: median and p90 of each interval, share met',
    description:
      'Orders opened between the local days `from` and `to` (inclusive). Intervals in seconds: dispatch → arrival, arrival → handled (latest dispatch of each order) and ' +
      'opened → closed. Quantiles interpolate linearly between ranks. `met_share` counts the orders whose outcome is known. Orders without a team (or unit, district) ' +
      'appear only in `total`.',
    security: bearerAuth,
    middleware: [requireRole('supervisor')] as const,
    request: { query: StatsQuery },
    responses: { 200: json(StatsAnswer, 'Figures'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const tz = readConfig(c.env).tz;
    const now = Date.now();
    const orders = await ordersOpenedBetween(
      c.env.DB,
      startOfLocalDay(q.from, tz),
      startOfLocalDay(addDays(q.to, 1), tz),
      defaultTargets(c.env),
      now,
    );
    const key = (o: (typeof orders)[number]) =>
      q.by === 'team' ? (o.assignee?.kind === 'team' ? o.assignee.id : null) : q.by === 'unit' ? o.unit : o.district;
    const { rows, total } = slaStats(orders.map((o) => ({ key: key(o), ...o.sla })));
    const names = await groupNames(c.env.DB, q.by);
    return c.json(
      {
        from: q.from,
        to: q.to,
        tz,
        by: q.by,
        rows: rows.map((r) => ({ ...r, name: names.get(r.key) ?? null })),
        total: { ...total, name: null },
      },
      200,
    );
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/sla-targets',
    tags,
    summary: '双十 targets per kind of work order (seconds)',
    security: bearerAuth,
    middleware: [requireRole('supervisor', 'staff')] as const,
    responses: { 200: json(z.object({ targets: z.array(SlaTarget) }), 'Targets of every kind'), ...problems(401, 403) },
  }),
  async (c) => {
    const set = new Map((await listTargets(c.env.DB)).map((t) => [t.kind, t]));
    const d = defaultTargets(c.env);
    return c.json({ targets: WORK_ORDER_KINDS.map((kind) => ({ kind, ...(set.get(kind) ?? d), default: !set.has(kind) })) }, 200);
  },
);

app.openapi(
  createRoute({
    method: 'put',
    path: '/sla-targets/{kind}',
    tags,
    summary: 'Set the 双十 targets of one kind of work order',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: KindParam, body: { required: true, content: { 'application/json': { schema: SlaTargetPut } } } },
    responses: { 200: json(SlaTarget, 'The targets'), ...problems(400, 401, 403, 415) },
  }),
  async (c) => {
    const { kind } = c.req.valid('param');
    const t = c.req.valid('json');
    await putTarget(c.env.DB, kind, t);
    return c.json({ kind, ...t, default: false }, 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    summary: 'One work order with its steps, photos and 双十 clock',
    security: bearerAuth,
    middleware: [requireRole('supervisor', 'staff')] as const,
    request: { params: IdParam },
    responses: { 200: json(WorkOrder, 'The order'), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const defaults = defaultTargets(c.env);
    const row = await getOrderRow(c.env.DB, id, defaults);
    if (!row) throw new ApiError('not_found', `No work order "${id}"`);
    if (!(await staffMaySee(c.env.DB, callerOf(c), row)))
      throw new ApiError('forbidden', `Work order "${id}" is not assigned to you or your team`);
    return c.json((await getOrder(c.env.DB, id, defaults, Date.now()))!, 200);
  },
);

app.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/steps',
    tags,
    summary: 'Move a work order one step (or record arrival on site)',
    description:
      'reported → registered → dispatched (with `assignee`: a team or person id) → handled → checked → closed → evaluated. `{"step": "arrived"}` after dispatched records arrival ' +
      'without changing the step. `checked` with `passed: false` sends the order back to dispatched (回头看): the 双十 clock restarts, the history stays. Any other move is a ' +
      '409 `invalid_transition`. Closing an order opened from an alert that is still open needs a `note` with the reason, else 409 `alert_not_resolved`. ' +
      'Roles: supervisor registers, dispatches, checks, closes and evaluates; staff record arrival and handling on orders assigned to them or their team.',
    security: bearerAuth,
    middleware: [requireRole('supervisor', 'staff')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: WorkOrderMove } } } },
    responses: { 200: json(WorkOrder, 'The order after the move'), ...problems(400, 401, 403, 404, 409, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const req = c.req.valid('json');
    const caller = callerOf(c);
    const defaults = defaultTargets(c.env);
    const row = await getOrderRow(c.env.DB, id, defaults);
    if (!row) throw new ApiError('not_found', `No work order "${id}"`);
    if (caller.role !== 'admin' && !MOVE_ROLES[req.step].includes(caller.role)) {
      throw new ApiError(
        'forbidden',
        `Moving an order to "${req.step}" needs the role ${['admin', ...MOVE_ROLES[req.step]].join(' or ')}; your token has ${caller.role}`,
      );
    }
    if (caller.role === 'staff' && (caller.person === null || !(await isAssignedTo(c.env.DB, row, caller.person)))) {
      throw new ApiError('forbidden', `Work order "${id}" is not assigned to you or your team`);
    }
    const t = transition(
      { step: row.step, arrived: row.arrived_at !== null, alertOpen: row.alert_open === null ? null : row.alert_open === 1 },
      req,
    );
    if (!t.ok) {
      const r = t.refusal;
      if (r.code === 'validation_failed')
        throw new ApiError('validation_failed', `Invalid body: ${r.pointer}: ${r.detail}`, {
          errors: [{ in: 'body', pointer: r.pointer, message: r.detail }],
        });
      throw new ApiError(r.code, r.detail);
    }
    let assignee: { team: string | null; person: string | null } | null = null;
    if (req.assignee !== undefined) {
      assignee = await resolveAssignee(c.env.DB, req.assignee);
      if (!assignee)
        throw new ApiError('validation_failed', `Unknown assignee "${req.assignee}"`, {
          errors: [{ in: 'body', pointer: '/assignee', message: `no team or person with id "${req.assignee}"` }],
        });
    }
    const now = Date.now();
    if ((await applyMove(c.env.DB, row, t.effect, req, assignee, attribution(caller), now)) === 'stale') {
      throw new ApiError('conflict', `Work order "${id}" was moved by someone else meanwhile; reload it and try again`);
    }
    return c.json((await getOrder(c.env.DB, id, defaults, now))!, 200);
  },
);

app.route('/', photos);

export default app;
