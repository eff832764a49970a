/**
 * Escalation of overdue work orders (双十) through the alert channels: the notices (an outbox
 * like alert_changes), who hears them, and what they say. One notice per (order, dispatch,
 * stage): arrival overdue, then handling overdue; the unique key keeps it to one even when two
 * scheduled runs overlap.
 */
import type { SlaTargets } from '../domain/sla-clock.ts';
import type { OverdueStage, WorkOrderNotice } from '../domain/work-order-notify-format.ts';
import type { Channel } from '../notify/channels.ts';
import type { ChannelRow } from './notifications.ts';
import { ORDER_QUERY, rowToSummary, type OrderRow, type OrderSummary } from './work-orders.ts';

export interface NewNotice {
  id: string;
  order: OrderSummary;
  stage: OverdueStage;
}

const stageOf = (r: Pick<OrderRow, 'arrived_at'>): OverdueStage => (r.arrived_at === null ? 'arrival' : 'handling');

function noticeId(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return 'won_' + [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Dispatched orders whose running stage is past its deadline and has no notice yet: one notice
 * each (outbox, not yet queued), and the order marked escalated (the first time per dispatch).
 * Answers the notices this run created; a stage already noticed is never noticed again.
 */
export async function escalateOverdue(db: D1Database, defaults: SlaTargets, now: number): Promise<NewNotice[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM (${ORDER_QUERY}) q WHERE q.step = 'dispatched' AND q.due_at < ?3
         AND NOT EXISTS (SELECT 1 FROM work_order_notices n WHERE n.order_id = q.id AND n.dispatch_no = q.dispatches
           AND n.stage = CASE WHEN q.arrived_at IS NULL THEN 'arrival' ELSE 'handling' END)
       ORDER BY q.due_at LIMIT 90`,
    )
    .bind(defaults.dispatch_to_arrival_s, defaults.arrival_to_handled_s, now)
    .all<OrderRow>();
  if (!results.length) return [];
  const made = results.map((r) => ({ id: noticeId(), row: r }));
  const inserts = made.map(({ id, row }) =>
    db
      .prepare(
        `INSERT INTO work_order_notices (id, order_id, dispatch_no, stage, due_at, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (order_id, dispatch_no, stage) DO NOTHING`,
      )
      .bind(id, row.id, row.dispatches, stageOf(row), row.due_at, now),
  );
  const mark = db
    .prepare(`UPDATE work_orders SET escalated_at = ?1 WHERE escalated_at IS NULL AND id IN (SELECT value FROM json_each(?2))`)
    .bind(now, JSON.stringify(results.map((r) => r.id)));
  const res = await db.batch([...inserts, mark]);
  return made
    .filter((_, i) => res[i]!.meta.changes > 0)
    .map(({ id, row }) => ({ id, stage: stageOf(row), order: rowToSummary({ ...row, escalated_at: row.escalated_at ?? now }, now) }));
}

interface NoticeRow {
  id: string;
  order_id: string;
  dispatch_no: number;
  stage: OverdueStage;
  due_at: number;
  at: number;
}

export type LoadedNotice = WorkOrderNotice & {
  route: { team: string | null; person: string | null; unit: string | null };
};

/** One notice with its order as it is now (site name, district, assignee). */
export async function loadNotice(db: D1Database, id: string): Promise<LoadedNotice | null> {
  const n = await db.prepare('SELECT * FROM work_order_notices WHERE id = ?1').bind(id).first<NoticeRow>();
  if (!n) return null;
  // The targets do not matter here: only the order's stored times are read.
  const o = await db.prepare(`${ORDER_QUERY} WHERE o.id = ?3`).bind(600, 600, n.order_id).first<OrderRow>();
  if (!o || o.dispatched_at === null) return null;
  const s = rowToSummary(o, n.at);
  return {
    notice_id: n.id,
    stage: n.stage,
    dispatch_no: n.dispatch_no,
    due_at: n.due_at,
    at: n.at,
    order: {
      id: o.id,
      kind: o.kind,
      site: o.site,
      site_kind: o.site_kind,
      site_name: o.site_name,
      district: o.district,
      item: o.item,
      assignee: s.assignee,
      dispatched_at: o.dispatched_at,
      arrived_at: o.arrived_at,
    },
    route: { team: o.assignee_team, person: o.assignee_person, unit: o.unit },
  };
}

/**
 * Who hears an escalation: the enabled channels of the team the order is dispatched to (for a
 * person, of the teams they are in); when that names no team, the teams of the site's
 * responsible unit; and always the city-wide teams (no unit: the supervisors' group), as for
 * alerts. The channels' alert-kind and colour filters do not apply: an overdue order is always
 * worth telling.
 */
export async function noticeRecipients(db: D1Database, n: LoadedNotice): Promise<Channel[]> {
  const rows = (
    await db
      .prepare(
        `WITH assigned AS (
           SELECT ?1 AS team_id WHERE ?1 IS NOT NULL
           UNION SELECT team_id FROM team_members WHERE ?2 IS NOT NULL AND person_id = ?2)
         SELECT c.* FROM notification_channels c JOIN teams t ON t.id = c.team_id
         WHERE c.disabled = 0 AND (t.unit_id IS NULL OR t.id IN (SELECT team_id FROM assigned)
           OR (NOT EXISTS (SELECT 1 FROM assigned) AND t.unit_id = ?3))
         ORDER BY c.id`,
      )
      .bind(n.route.team, n.route.person, n.route.unit)
      .all<ChannelRow>()
  ).results;
  return rows.map((c) => ({ id: c.id, type: c.type, url: c.url, secret: c.secret }));
}

/** Notices still to put on the queue (the outbox). */
export async function unqueuedNotices(db: D1Database, since: number, limit: number): Promise<string[]> {
  const r = await db
    .prepare('SELECT id FROM work_order_notices WHERE queued_at IS NULL AND at >= ?1 ORDER BY at LIMIT ?2')
    .bind(since, limit)
    .all<{ id: string }>();
  return r.results.map((x) => x.id);
}

export async function markNoticesQueued(db: D1Database, ids: string[], now: number): Promise<void> {
  if (!ids.length) return;
  await db
    .prepare('UPDATE work_order_notices SET queued_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND queued_at IS NULL')
    .bind(JSON.stringify(ids), now)
    .run();
}
