/**
 * Work orders on the seven-step loop: opening (by hand, from an alert, from a citizen's report),
 * moving one step at a time (each step a row, timestamped and attributed), and reading them back
 * with their 双十 clock. The transition rules are in domain/work-order-steps.ts.
 */
import { ApiError } from '../errors.ts';
import { DEFAULT_TARGETS, orderSla, type Sla, type SlaTargets } from '../domain/sla-clock.ts';
import { KIND_OF_ALERT, legalMoves, type Effect, type Move, type MoveRequest, type Step } from '../domain/work-order-steps.ts';
import { isoOrNull } from '../domain/local-time.ts';

export type SiteKind = 'station' | 'bench';

export interface StepView {
  step: Move;
  at: string;
  by: string;
  /** The person's name when `by` is a person. */
  by_name: string | null;
  note: string | null;
  assignee: string | null;
  passed: boolean | null;
}

export interface PhotoView {
  id: string;
  step: 'handled' | 'checked';
  content_type: string;
  bytes: number;
  at: string;
  by: string;
  url: string;
}

/** What an order is about and where, alike in the stored row and in the answer. */
interface OrderSubject {
  id: string;
  site: string;
  site_kind: SiteKind;
  site_name: string | null;
  district: string | null;
  unit: string | null;
  kind: string;
  item: string | null;
}

export interface OrderSummary extends OrderSubject {
  alert: string | null;
  report: string | null;
  note: string | null;
  step: Step;
  assignee: { kind: 'team' | 'person'; id: string; name: string | null } | null;
  created_at: string;
  created_by: string;
  dispatched_at: string | null;
  arrived_at: string | null;
  handled_at: string | null;
  closed_at: string | null;
  escalated_at: string | null;
  updated_at: string;
  next: Move[];
  sla: Sla & { dispatches: number };
}

export interface OrderView extends OrderSummary {
  steps: StepView[];
  photos: PhotoView[];
}

/** The stored row with what the views need; exported for the scheduled escalation. */
export interface OrderRow extends OrderSubject {
  alert_id: string | null;
  alert_open: number | null;
  report_id: string | null;
  note: string | null;
  step: Step;
  assignee_team: string | null;
  assignee_person: string | null;
  team_name: string | null;
  person_name: string | null;
  created_at: number;
  created_by: string;
  dispatched_at: number | null;
  arrived_at: number | null;
  handled_at: number | null;
  closed_at: number | null;
  escalated_at: number | null;
  updated_at: number;
  target_a: number;
  target_h: number;
  due_at: number | null;
  dispatches: number;
}

/**
 * Every order with its site's name, district and responsible unit (a bench without its own unit
 * follows its park), its assignee's name, its kind's 双十 targets (?1, ?2: the defaults) and the
 * deadline of the running stage.
 */
export const ORDER_QUERY = `SELECT o.*, CASE WHEN o.step = 'dispatched' THEN
      CASE WHEN o.arrived_at IS NULL THEN o.dispatched_at + o.target_a * 1000 ELSE o.arrived_at + o.target_h * 1000 END END AS due_at
  FROM (SELECT w.*, COALESCE(s.name, d.name, d.id) AS site_name, COALESCE(s.district, p.district) AS district,
      COALESCE(s.unit_id, d.unit_id, p.unit_id) AS unit, t.name AS team_name, pe.name AS person_name,
      COALESCE(g.dispatch_to_arrival_s, ?1) AS target_a, COALESCE(g.arrival_to_handled_s, ?2) AS target_h,
      CASE WHEN w.alert_id IS NULL THEN NULL ELSE (SELECT a.resolved_at IS NULL FROM alerts a WHERE a.id = w.alert_id) END AS alert_open,
      (SELECT COUNT(*) FROM work_order_steps x WHERE x.order_id = w.id AND x.step = 'dispatched') AS dispatches
    FROM work_orders w
    LEFT JOIN stations s ON w.site_kind = 'station' AND s.id = w.site
    LEFT JOIN devices d ON w.site_kind = 'bench' AND d.id = w.site
    LEFT JOIN parks p ON p.id = d.site
    LEFT JOIN teams t ON t.id = w.assignee_team
    LEFT JOIN people pe ON pe.id = w.assignee_person
    LEFT JOIN work_order_sla_targets g ON g.kind = w.kind) o`;
const BASE = ORDER_QUERY;

export function rowToSummary(r: OrderRow, now: number): OrderSummary {
  const targets: SlaTargets = { dispatch_to_arrival_s: r.target_a, arrival_to_handled_s: r.target_h };
  return {
    id: r.id,
    site: r.site,
    site_kind: r.site_kind,
    site_name: r.site_name,
    district: r.district,
    unit: r.unit,
    kind: r.kind,
    item: r.item,
    alert: r.alert_id,
    report: r.report_id,
    note: r.note,
    step: r.step,
    assignee: r.assignee_team
      ? { kind: 'team', id: r.assignee_team, name: r.team_name }
      : r.assignee_person
        ? { kind: 'person', id: r.assignee_person, name: r.person_name }
        : null,
    created_at: new Date(r.created_at).toISOString(),
    created_by: r.created_by,
    dispatched_at: isoOrNull(r.dispatched_at),
    arrived_at: isoOrNull(r.arrived_at),
    handled_at: isoOrNull(r.handled_at),
    closed_at: isoOrNull(r.closed_at),
    escalated_at: isoOrNull(r.escalated_at),
    updated_at: new Date(r.updated_at).toISOString(),
    next: legalMoves({ step: r.step, arrived: r.arrived_at !== null }),
    sla: { ...orderSla(r, targets, now), dispatches: r.dispatches },
  };
}

export async function getOrderRow(db: D1Database, id: string, defaults: SlaTargets): Promise<OrderRow | null> {
  return db.prepare(`${BASE} WHERE o.id = ?3`).bind(defaults.dispatch_to_arrival_s, defaults.arrival_to_handled_s, id).first<OrderRow>();
}

interface StepRow {
  step: Move;
  at: number;
  by: string;
  by_name: string | null;
  note: string | null;
  assignee: string | null;
  passed: number | null;
}

interface PhotoRow {
  id: string;
  step: 'handled' | 'checked';
  content_type: string;
  bytes: number;
  at: number;
  by: string;
}

export async function getOrder(db: D1Database, id: string, defaults: SlaTargets, now: number): Promise<OrderView | null> {
  const [order, steps, photos] = await db.batch([
    db.prepare(`${BASE} WHERE o.id = ?3`).bind(defaults.dispatch_to_arrival_s, defaults.arrival_to_handled_s, id),
    db
      .prepare(
        'SELECT s.step, s.at, s.by, p.name AS by_name, s.note, s.assignee, s.passed FROM work_order_steps s LEFT JOIN people p ON p.id = s.by WHERE s.order_id = ? ORDER BY s.seq',
      )
      .bind(id),
    db.prepare('SELECT id, step, content_type, bytes, at, by FROM work_order_photos WHERE order_id = ? ORDER BY at, id').bind(id),
  ]);
  const row = (order!.results as OrderRow[])[0];
  if (!row) return null;
  return {
    ...rowToSummary(row, now),
    steps: (steps!.results as StepRow[]).map((s) => ({
      step: s.step,
      at: new Date(s.at).toISOString(),
      by: s.by,
      by_name: s.by_name,
      note: s.note,
      assignee: s.assignee,
      passed: s.passed === null ? null : s.passed === 1,
    })),
    photos: (photos!.results as PhotoRow[]).map((p) => ({
      ...p,
      at: new Date(p.at).toISOString(),
      url: `/api/v1/work-orders/${encodeURIComponent(id)}/photos/${encodeURIComponent(p.id)}`,
    })),
  };
}

export interface OrderFilter {
  step?: Step;
  state?: 'open' | 'closed' | 'all';
  unit?: string;
  team?: string;
  district?: string;
  kind?: string;
  site?: string;
  alert?: string;
  assignee?: string;
  overdue?: boolean;
  /** The caller's person: orders assigned to them or to a team they are in. */
  minePerson?: string;
  limit?: number;
}

/** Orders matching every filter given; overdue first, then by deadline, then newest. */
export async function listOrders(db: D1Database, f: OrderFilter, defaults: SlaTargets, now: number): Promise<OrderSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM (${BASE}) q WHERE
        (?3 IS NULL OR q.step = ?3)
        AND (?4 = 'all' OR (?4 = 'open' AND q.closed_at IS NULL) OR (?4 = 'closed' AND q.closed_at IS NOT NULL))
        AND (?5 IS NULL OR q.unit = ?5)
        AND (?6 IS NULL OR q.assignee_team = ?6 OR q.assignee_person IN (SELECT person_id FROM team_members WHERE team_id = ?6))
        AND (?7 IS NULL OR q.district = ?7)
        AND (?8 IS NULL OR q.kind = ?8)
        AND (?9 IS NULL OR q.site = ?9)
        AND (?10 IS NULL OR q.alert_id = ?10)
        AND (?11 IS NULL OR q.assignee_team = ?11 OR q.assignee_person = ?11)
        AND (?12 IS NULL OR (?12 = 1) = (q.due_at IS NOT NULL AND q.due_at < ?13))
        AND (?14 IS NULL OR q.assignee_person = ?14 OR q.assignee_team IN (SELECT team_id FROM team_members WHERE person_id = ?14))
      ORDER BY (q.due_at IS NOT NULL AND q.due_at < ?13) DESC, q.due_at IS NULL, q.due_at, q.created_at DESC, q.id
      LIMIT ?15`,
    )
    .bind(
      defaults.dispatch_to_arrival_s,
      defaults.arrival_to_handled_s,
      f.step ?? null,
      f.state ?? 'all',
      f.unit ?? null,
      f.team ?? null,
      f.district ?? null,
      f.kind ?? null,
      f.site ?? null,
      f.alert ?? null,
      f.assignee ?? null,
      f.overdue === undefined ? null : f.overdue ? 1 : 0,
      now,
      f.minePerson ?? null,
      f.limit ?? 200,
    )
    .all<OrderRow>();
  return results.map((r) => rowToSummary(r, now));
}

// ─── Opening ─────────────────────────────────────────────────────────────────────────────────

/** A station id or a bench's device id, and which of the two. */
export async function siteKindOf(db: D1Database, site: string): Promise<SiteKind | null> {
  const row = await db
    .prepare(
      `SELECT 'station' AS kind FROM stations WHERE id = ?1 UNION ALL SELECT 'bench' FROM devices WHERE id = ?1 AND kind = 'bench' LIMIT 1`,
    )
    .bind(site)
    .first<{ kind: SiteKind }>();
  return row?.kind ?? null;
}

export interface NewOrder {
  id: string;
  site: string;
  site_kind: SiteKind;
  kind: string;
  item?: string | null;
  alert?: string | null;
  report?: string | null;
  note?: string | null;
  /** Who opened it: a person id, an API token id, or 'public' for a citizen's report. */
  by: string;
  now: number;
}

/**
 * The two statements that open an order at `reported` (the order and its first step), for a
 * caller that batches them with its own writes (a citizen's report: the report and its order
 * in one transaction). The site must already be known to exist.
 */
export function openOrderStatements(db: D1Database, o: NewOrder): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO work_orders (id, site, site_kind, kind, item, alert_id, report_id, note, step, created_at, created_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?, ?, ?)`,
      )
      .bind(o.id, o.site, o.site_kind, o.kind, o.item ?? null, o.alert ?? null, o.report ?? null, o.note ?? null, o.now, o.by, o.now),
    db
      .prepare(`INSERT INTO work_order_steps (order_id, seq, step, at, by, note) VALUES (?, 1, 'reported', ?, ?, ?)`)
      .bind(o.id, o.now, o.by, o.note ?? null),
  ];
}

export function newOrderId(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return 'wo_' + [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export interface OpenInput {
  site?: string;
  kind?: string;
  alert?: string;
  item?: string;
  note?: string;
  report?: string;
  by: string;
  now?: number;
}

/**
 * Open a work order at `reported`: by hand, from an alert, or from a citizen's report. From an
 * open alert that already has an open order, that order is the answer (`created: false`), so a
 * second click never opens a second order. Unknown site or alert: a 400 problem at the field.
 */
export async function openWorkOrder(db: D1Database, input: OpenInput): Promise<{ id: string; created: boolean }> {
  const now = input.now ?? Date.now();
  let { site, kind, item } = input;
  if (input.alert !== undefined) {
    const alert = await db
      .prepare('SELECT id, kind, site, item, resolved_at FROM alerts WHERE id = ?')
      .bind(input.alert)
      .first<{ id: string; kind: string; site: string; item: string | null; resolved_at: number | null }>();
    if (!alert)
      throw new ApiError('validation_failed', `Unknown alert "${input.alert}"`, {
        errors: [{ in: 'body', pointer: '/alert', message: `no alert with id "${input.alert}"` }],
      });
    if (site !== undefined && site !== alert.site) {
      throw new ApiError('validation_failed', `Alert "${alert.id}" is about site "${alert.site}", not "${site}"`, {
        errors: [{ in: 'body', pointer: '/site', message: `must be the alert's site "${alert.site}" (or left out)` }],
      });
    }
    const existing = await db
      .prepare('SELECT id FROM work_orders WHERE alert_id = ? AND closed_at IS NULL')
      .bind(alert.id)
      .first<{ id: string }>();
    if (existing) return { id: existing.id, created: false };
    if (alert.resolved_at !== null)
      throw new ApiError('conflict', `Alert "${alert.id}" is already resolved; open an order by site if there is still work to do`);
    site = alert.site;
    kind ??= KIND_OF_ALERT[alert.kind] ?? 'other';
    item ??= alert.item ?? undefined;
  }
  if (site === undefined)
    throw new ApiError('validation_failed', 'site is required', {
      errors: [{ in: 'body', pointer: '/site', message: 'required (or alert)' }],
    });
  const siteKind = await siteKindOf(db, site);
  if (!siteKind)
    throw new ApiError('validation_failed', `Unknown site "${site}"`, {
      errors: [{ in: 'body', pointer: '/site', message: `no station or bench with id "${site}"` }],
    });
  const id = newOrderId();
  try {
    await db.batch(
      openOrderStatements(db, {
        id,
        site,
        site_kind: siteKind,
        kind: kind ?? 'other',
        item,
        alert: input.alert,
        report: input.report,
        note: input.note,
        by: input.by,
        now,
      }),
    );
  } catch (e) {
    // Two clicks racing on the same alert: the unique index let one through; answer with it.
    if (input.alert !== undefined && String(e).includes('UNIQUE')) {
      const existing = await db
        .prepare('SELECT id FROM work_orders WHERE alert_id = ? AND closed_at IS NULL')
        .bind(input.alert)
        .first<{ id: string }>();
      if (existing) return { id: existing.id, created: false };
    }
    throw e;
  }
  return { id, created: true };
}

// ─── Moving ──────────────────────────────────────────────────────────────────────────────────

/** A team id or a person id, as the column it goes in; null when neither exists. */
export async function resolveAssignee(db: D1Database, id: string): Promise<{ team: string | null; person: string | null } | null> {
  const row = await db
    .prepare(`SELECT 'team' AS kind FROM teams WHERE id = ?1 UNION ALL SELECT 'person' FROM people WHERE id = ?1 LIMIT 1`)
    .bind(id)
    .first<{ kind: 'team' | 'person' }>();
  if (!row) return null;
  return row.kind === 'team' ? { team: id, person: null } : { team: null, person: id };
}

/** Whether the person is the order's assignee or in its assigned team. */
export async function isAssignedTo(
  db: D1Database,
  order: Pick<OrderRow, 'assignee_person' | 'assignee_team'>,
  person: string,
): Promise<boolean> {
  if (order.assignee_person === person) return true;
  if (!order.assignee_team) return false;
  return (
    (await db.prepare('SELECT 1 AS x FROM team_members WHERE team_id = ? AND person_id = ?').bind(order.assignee_team, person).first()) !==
    null
  );
}

/**
 * Apply a legal move: the order's new state and its step rows, in one batch. Every statement is
 * guarded by the order still being as it was read (step and updated_at), so two people pressing
 * at once cannot both move it; 'stale' when someone else got there first.
 */
export async function applyMove(
  db: D1Database,
  order: Pick<OrderRow, 'id' | 'step' | 'updated_at' | 'assignee_team' | 'assignee_person'>,
  effect: Effect,
  req: MoveRequest,
  assignee: { team: string | null; person: string | null } | null,
  by: string,
  now: number,
): Promise<'moved' | 'stale'> {
  const guard = 'id = ?1 AND step = ?2 AND updated_at = ?3';
  const g = [order.id, order.step, order.updated_at] as const;
  const set: Record<Effect['kind'], string> = {
    register: `step = 'registered'`,
    dispatch: `step = 'dispatched', assignee_team = ?5, assignee_person = ?6, dispatched_at = ?4, arrived_at = NULL, handled_at = NULL, escalated_at = NULL`,
    arrive: `arrived_at = ?4`,
    handle: `step = 'handled', handled_at = ?4`,
    check_passed: `step = 'checked'`,
    check_failed: `step = 'dispatched', assignee_team = CASE WHEN ?7 THEN ?5 ELSE assignee_team END, assignee_person = CASE WHEN ?7 THEN ?6 ELSE assignee_person END,
      dispatched_at = ?4, arrived_at = NULL, handled_at = NULL, escalated_at = NULL`,
    close: `step = 'closed', closed_at = ?4`,
    evaluate: `step = 'evaluated'`,
  };
  const stepRows: Array<{ step: Move; note: string | null; assignee: string | null; passed: number | null }> = [];
  if (effect.kind === 'check_failed') {
    stepRows.push({ step: 'checked', note: req.note ?? null, assignee: null, passed: 0 });
    // 回头看: the new dispatch is its own row so the timeline and the dispatch count show it.
    stepRows.push({ step: 'dispatched', note: null, assignee: req.assignee ?? order.assignee_team ?? order.assignee_person, passed: null });
  } else {
    stepRows.push({ step: req.step, note: req.note ?? null, assignee: req.assignee ?? null, passed: req.step === 'checked' ? 1 : null });
  }
  const statements = stepRows.map((s) =>
    db
      .prepare(
        `INSERT INTO work_order_steps (order_id, seq, step, at, by, note, assignee, passed)
         SELECT ?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM work_order_steps WHERE order_id = ?1), ?4, ?5, ?6, ?7, ?8, ?9
         FROM work_orders WHERE ${guard}`,
      )
      .bind(...g, s.step, now, by, s.note, s.assignee, s.passed),
  );
  const update = db
    .prepare(`UPDATE work_orders SET ${set[effect.kind]}, updated_at = ?4 + (updated_at = ?4) WHERE ${guard}`)
    // D1 wants exactly the parameters a statement uses.
    .bind(
      ...g,
      now,
      ...(effect.kind === 'dispatch'
        ? [assignee?.team ?? null, assignee?.person ?? null]
        : effect.kind === 'check_failed'
          ? [assignee?.team ?? null, assignee?.person ?? null, assignee ? 1 : 0]
          : []),
    );
  const results = await db.batch([...statements, update]);
  return results[results.length - 1]!.meta.changes > 0 ? 'moved' : 'stale';
}

// ─── 双十 targets ────────────────────────────────────────────────────────────────────────────

/** Defaults from the Worker's vars (WORK_ORDER_SLA_ARRIVAL_S, WORK_ORDER_SLA_HANDLING_S), else 600 s each. */
export function defaultTargets(env: { WORK_ORDER_SLA_ARRIVAL_S?: string; WORK_ORDER_SLA_HANDLING_S?: string }): SlaTargets {
  const pos = (raw: string | undefined, fallback: number) => {
    const n = Number(raw);
    return raw && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    dispatch_to_arrival_s: pos(env.WORK_ORDER_SLA_ARRIVAL_S, DEFAULT_TARGETS.dispatch_to_arrival_s),
    arrival_to_handled_s: pos(env.WORK_ORDER_SLA_HANDLING_S, DEFAULT_TARGETS.arrival_to_handled_s),
  };
}

export async function listTargets(db: D1Database): Promise<Array<{ kind: string } & SlaTargets>> {
  const { results } = await db
    .prepare('SELECT kind, dispatch_to_arrival_s, arrival_to_handled_s FROM work_order_sla_targets ORDER BY kind')
    .all<{ kind: string } & SlaTargets>();
  return results;
}

export async function putTarget(db: D1Database, kind: string, t: SlaTargets, now = Date.now()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO work_order_sla_targets (kind, dispatch_to_arrival_s, arrival_to_handled_s, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (kind) DO UPDATE SET dispatch_to_arrival_s = ?2, arrival_to_handled_s = ?3, updated_at = ?4`,
    )
    .bind(kind, t.dispatch_to_arrival_s, t.arrival_to_handled_s, now)
    .run();
}

// ─── Figures ─────────────────────────────────────────────────────────────────────────────────

/** Orders opened in [fromMs, toMs), with their clock, for the 双十 figures. */
export async function ordersOpenedBetween(
  db: D1Database,
  fromMs: number,
  toMs: number,
  defaults: SlaTargets,
  now: number,
): Promise<OrderSummary[]> {
  const { results } = await db
    .prepare(`SELECT * FROM (${BASE}) q WHERE q.created_at >= ?3 AND q.created_at < ?4 ORDER BY q.created_at`)
    .bind(defaults.dispatch_to_arrival_s, defaults.arrival_to_handled_s, fromMs, toMs)
    .all<OrderRow>();
  return results.map((r) => rowToSummary(r, now));
}

/** Display names of teams, units or districts. */
export async function groupNames(db: D1Database, by: 'team' | 'unit' | 'district'): Promise<Map<string, string>> {
  const table = { team: 'teams', unit: 'units', district: 'districts' }[by];
  const { results } = await db.prepare(`SELECT id, name FROM ${table}`).all<{ id: string; name: string }>();
  return new Map(results.map((r) => [r.id, r.name]));
}
