/** Notification channels per team, the alert changes they are told about, and the delivery log. */
import type { AlertColour, AlertKind } from '../domain/alerts/kinds.ts';
import type { NotifyAlert } from '../domain/alerts/notify-format.ts';
import type { Channel, ChannelType } from '../notify/channels.ts';

export interface ChannelRow {
  id: string;
  team_id: string;
  type: ChannelType;
  url: string;
  secret: string | null;
  kinds: string | null;
  min_colour: AlertColour;
  disabled: number;
  created_at: number;
}

export interface ChannelView {
  id: string;
  team_id: string;
  type: ChannelType;
  url: string;
  /** Never shown back: only whether one is set. */
  has_secret: boolean;
  kinds: AlertKind[] | null;
  min_colour: AlertColour;
  disabled: boolean;
  created_at: string;
}

export const channelView = (c: ChannelRow): ChannelView => ({
  id: c.id,
  team_id: c.team_id,
  type: c.type,
  url: c.url,
  has_secret: c.secret !== null && c.secret !== '',
  kinds: c.kinds ? (JSON.parse(c.kinds) as AlertKind[]) : null,
  min_colour: c.min_colour,
  disabled: c.disabled !== 0,
  created_at: new Date(c.created_at).toISOString(),
});

export async function listChannels(db: D1Database, team?: string): Promise<ChannelRow[]> {
  return (
    await db
      .prepare('SELECT * FROM notification_channels WHERE (?1 IS NULL OR team_id = ?1) ORDER BY created_at, id')
      .bind(team ?? null)
      .all<ChannelRow>()
  ).results;
}

export async function getChannel(db: D1Database, id: string): Promise<ChannelRow | null> {
  return db.prepare('SELECT * FROM notification_channels WHERE id = ?1').bind(id).first<ChannelRow>();
}

export async function teamExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS x FROM teams WHERE id = ?1').bind(id).first()) !== null;
}

export interface ChannelInput {
  team_id: string;
  type: ChannelType;
  url: string;
  secret?: string | null;
  kinds?: AlertKind[] | null;
  min_colour?: AlertColour;
  disabled?: boolean;
}

export async function insertChannel(db: D1Database, id: string, c: ChannelInput, now: number): Promise<void> {
  await db
    .prepare(
      'INSERT INTO notification_channels (id, team_id, type, url, secret, kinds, min_colour, disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)',
    )
    .bind(
      id,
      c.team_id,
      c.type,
      c.url,
      c.secret ?? null,
      c.kinds ? JSON.stringify(c.kinds) : null,
      c.min_colour ?? 'yellow',
      c.disabled ? 1 : 0,
      now,
    )
    .run();
}

export async function patchChannel(db: D1Database, id: string, c: Partial<ChannelInput>): Promise<void> {
  await db
    .prepare(
      `UPDATE notification_channels SET url = COALESCE(?2, url), secret = CASE WHEN ?3 THEN ?4 ELSE secret END, kinds = CASE WHEN ?5 THEN ?6 ELSE kinds END,
         min_colour = COALESCE(?7, min_colour), disabled = COALESCE(?8, disabled) WHERE id = ?1`,
    )
    .bind(
      id,
      c.url ?? null,
      c.secret !== undefined ? 1 : 0,
      c.secret ?? null,
      c.kinds !== undefined ? 1 : 0,
      c.kinds ? JSON.stringify(c.kinds) : null,
      c.min_colour ?? null,
      c.disabled === undefined ? null : c.disabled ? 1 : 0,
    )
    .run();
}

export async function deleteChannel(db: D1Database, id: string): Promise<boolean> {
  const [, , del] = await db.batch([
    db.prepare('DELETE FROM notification_deliveries WHERE channel_id = ?1').bind(id),
    db.prepare('DELETE FROM work_order_notice_deliveries WHERE channel_id = ?1').bind(id),
    db.prepare('DELETE FROM notification_channels WHERE id = ?1').bind(id),
  ]);
  return del!.meta.changes > 0;
}

/** The change and its alert in one row (the alert's data still JSON text), with the site's unit beside them. */
type ChangeRow = Omit<NotifyAlert, 'alert'> & Omit<NotifyAlert['alert'], 'data'> & { data: string | null; unit_id: string | null };

/** One change with its alert and the site's responsible unit (a bench without its own takes its park's). */
export async function loadChange(db: D1Database, changeId: string): Promise<(NotifyAlert & { unit_id: string | null }) | null> {
  const r = await db
    .prepare(
      `SELECT c.id AS change_id, c.change, c.at, c.colour, a.id, a.kind, a.site, a.site_kind, a.item, a.opened_at, a.deadline_at, a.detail, a.data,
         i.name_zh AS item_name_zh, i.name_en AS item_name_en,
         COALESCE(s.name, d.name, d.id) AS site_name, COALESCE(ds.name, dp.name) AS district, COALESCE(s.unit_id, d.unit_id, p.unit_id) AS unit_id
       FROM alert_changes c JOIN alerts a ON a.id = c.alert_id
       LEFT JOIN stations s ON a.site_kind = 'station' AND s.id = a.site
       LEFT JOIN devices d ON a.site_kind = 'bench' AND d.id = a.site
       LEFT JOIN parks p ON p.id = d.site
       LEFT JOIN districts ds ON ds.id = s.district
       LEFT JOIN districts dp ON dp.id = p.district
       LEFT JOIN items i ON i.code = a.item
       WHERE c.id = ?1`,
    )
    .bind(changeId)
    .first<ChangeRow>();
  if (!r) return null;
  return {
    change_id: r.change_id,
    change: r.change,
    at: r.at,
    colour: r.colour,
    unit_id: r.unit_id,
    alert: {
      id: r.id,
      kind: r.kind,
      site: r.site,
      site_kind: r.site_kind,
      site_name: r.site_name,
      district: r.district,
      item: r.item,
      item_name_zh: r.item_name_zh,
      item_name_en: r.item_name_en,
      opened_at: r.opened_at,
      deadline_at: r.deadline_at,
      detail: r.detail,
      data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : {},
    },
  };
}

const RANK: Record<AlertColour, number> = { yellow: 1, orange: 2, red: 3 };

/**
 * The channels that hear about a change: enabled channels of the teams of the site's responsible
 * unit, and of teams without a unit (city-wide, e.g. the supervisors' group), that take the kind
 * and colour.
 */
export async function recipients(db: D1Database, n: NotifyAlert & { unit_id: string | null }): Promise<Channel[]> {
  const rows = (
    await db
      .prepare(
        `SELECT c.* FROM notification_channels c JOIN teams t ON t.id = c.team_id
         WHERE c.disabled = 0 AND (t.unit_id IS NULL OR t.unit_id = ?1) ORDER BY c.id`,
      )
      .bind(n.unit_id)
      .all<ChannelRow>()
  ).results;
  return rows
    .filter((c) => (c.kinds === null || (JSON.parse(c.kinds) as string[]).includes(n.alert.kind)) && RANK[n.colour] >= RANK[c.min_colour])
    .map((c) => ({ id: c.id, type: c.type, url: c.url, secret: c.secret }));
}

export interface DeliveryRow {
  change_id: string;
  channel_id: string;
  status: 'sent' | 'failed' | 'dead';
  attempts: number;
  last_error: string | null;
  updated_at: number;
}

/**
 * The two delivery logs: alert changes (notification_deliveries) and work-order escalation
 * notices (work_order_notice_deliveries), the same shape keyed by their own id.
 */
export type DeliveryLog = 'alert' | 'work_order';
const LOG: Record<DeliveryLog, { table: string; key: string }> = {
  alert: { table: 'notification_deliveries', key: 'change_id' },
  work_order: { table: 'work_order_notice_deliveries', key: 'notice_id' },
};

export async function deliveriesOf(db: D1Database, changeId: string, log: DeliveryLog = 'alert'): Promise<DeliveryRow[]> {
  const { table, key } = LOG[log];
  return (
    await db
      .prepare(
        `SELECT ${key} AS change_id, channel_id, status, attempts, last_error, updated_at FROM ${table} WHERE ${key} = ?1 ORDER BY channel_id`,
      )
      .bind(changeId)
      .all<DeliveryRow>()
  ).results;
}

/** Record an attempt. A 'sent' row is final: a late duplicate attempt never turns it back. */
export async function recordDelivery(
  db: D1Database,
  changeId: string,
  channelId: string,
  status: 'sent' | 'failed' | 'dead',
  error: string | null,
  now: number,
  log: DeliveryLog = 'alert',
): Promise<void> {
  const { table, key } = LOG[log];
  await db
    .prepare(
      `INSERT INTO ${table} (${key}, channel_id, status, attempts, last_error, updated_at) VALUES (?1, ?2, ?3, ?6, ?4, ?5)
       ON CONFLICT (${key}, channel_id) DO UPDATE SET status = excluded.status, attempts = attempts + excluded.attempts,
         last_error = excluded.last_error, updated_at = excluded.updated_at WHERE status != 'sent'`,
    )
    .bind(changeId, channelId, status, error, now, status === 'dead' ? 0 : 1)
    .run();
}

/** Changes still to put on the queue (the outbox): new, escalated and overdue alerts. */
export async function unqueuedChanges(db: D1Database, since: number, limit: number): Promise<string[]> {
  const r = await db
    .prepare(`SELECT id FROM alert_changes WHERE queued_at IS NULL AND change != 'resolved' AND at >= ?1 ORDER BY at LIMIT ?2`)
    .bind(since, limit)
    .all<{ id: string }>();
  return r.results.map((x) => x.id);
}

export async function markQueued(db: D1Database, ids: string[], now: number): Promise<void> {
  if (!ids.length) return;
  await db
    .prepare('UPDATE alert_changes SET queued_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND queued_at IS NULL')
    .bind(JSON.stringify(ids), now)
    .run();
}
