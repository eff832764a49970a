/**
 * Staff restocks: recorded once per client-made id, in one D1 batch with everything they change
 * (the restock events, level-drop inference and item rollups, stock on hand, stock alerts
 * resolved, restock work orders closed through the seven-step loop).
 */
import { restockMoves, type Move, type Step } from '../domain/work-order-steps.ts';
import { itemLedgerStatements } from './ingest.ts';

/** The station's restock ledger: a device row that carries staff restocks as `restock` events. */
export const ledgerDeviceId = (station: string) => `restocks~${station}`;

/** Work-order steps a restock moves on (to "closed", or to "handled" while the order's alert holds). */
const OPEN_STEPS = ['reported', 'registered', 'dispatched', 'handled', 'checked'];
/**
 * How far back a staff restock looks for a level rise that a controller's reading already showed
 * (and inference counted as a restock): staff often tap "restocked" some minutes after filling
 * the station, and the controller may report in between. Within this window the rise and the
 * restock are one event.
 */
export const RESTOCK_MATCH_WINDOW_MS = 2 * 3600_000;

/** Alert kinds a restock resolves when the new on-hand is above the reorder point. */
const STOCK_ALERTS = ['below_reorder', 'stock_out', 'predicted_stock_out'];

export interface RestockRecord {
  id: string;
  station: string;
  items: Record<string, number>;
  note: string | null;
  by: string;
  at: number;
}

interface RestockRow {
  id: string;
  station_id: string;
  items: string;
  note: string | null;
  by: string;
  at: number;
}

const rowToRestock = (r: RestockRow): RestockRecord => ({
  id: r.id,
  station: r.station_id,
  items: JSON.parse(r.items) as Record<string, number>,
  note: r.note,
  by: r.by,
  at: r.at,
});

/** Items as stored: keys sorted, so the same content always compares equal. */
export function canonicalItems(items: Record<string, number>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(items).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

export async function getRestock(db: D1Database, id: string): Promise<RestockRecord | null> {
  const row = await db.prepare('SELECT id, station_id, items, note, by, at FROM restocks WHERE id = ?').bind(id).first<RestockRow>();
  return row ? rowToRestock(row) : null;
}

/** The person a token belongs to, else the token's own id (the ADMIN_TOKEN secret has none). */
export async function attribution(db: D1Database, tokenId: string): Promise<string> {
  const row = await db.prepare('SELECT person_id FROM api_tokens WHERE id = ?').bind(tokenId).first<{ person_id: string | null }>();
  return row?.person_id ?? tokenId;
}

/** Item codes of `codes` the registry does not know. */
export async function unknownItems(db: D1Database, codes: string[]): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT value AS code FROM json_each(?1) WHERE value NOT IN (SELECT code FROM items)')
    .bind(JSON.stringify(codes))
    .all<{ code: string }>();
  return results.map((r) => r.code);
}

export interface RecordedRestock {
  work_orders: string[];
  alerts_resolved: string[];
  stock: Record<string, number>;
}

interface OpenOrderRow {
  id: string;
  step: Step;
  arrived_at: number | null;
  updated_at: number;
}

/** Whether the order (as `w`) may close: its alert is resolved (by now in the batch), or it has none. */
const CLOSABLE = (w: string) =>
  `(${w}.alert_id IS NULL OR EXISTS (SELECT 1 FROM alerts a WHERE a.id = ${w}.alert_id AND a.resolved_at IS NOT NULL))`;

/**
 * The statements that take one open restock order through the moves a restock makes
 * (domain `restockMoves`), each step a row attributed to the restocking person at the restock's
 * time: up to handled always, the passed check and closing only when CLOSABLE — evaluated after
 * the batch's alert update, so an alert this restock resolves lets the order close and one that
 * still holds keeps it at handled. Every statement is guarded by the order as it was read.
 */
function orderStatements(db: D1Database, o: OpenOrderRow, r: RestockRecord & { id: string }): D1PreparedStatement[] {
  const { handle, close } = restockMoves({ step: o.step, arrived: o.arrived_at !== null });
  const note = `restock ${r.id}${r.note ? `: ${r.note}` : ''}`;
  const closeNote: Partial<Record<Move, string>> = {
    checked: `${note} (checked by the restock: the items were put in on site)`,
    closed: `${note} (closed by the restock)`,
  };
  const guard = 'w.id = ?1 AND w.step = ?2 AND w.updated_at = ?3';
  const insert = (m: Move, closing: boolean) =>
    db
      .prepare(
        `INSERT INTO work_order_steps (order_id, seq, step, at, by, note, assignee, passed)
         SELECT w.id, COALESCE((SELECT MAX(s.seq) FROM work_order_steps s WHERE s.order_id = w.id), -1) + 1, ?4, ?5, ?6, ?7, ?8, ?9
         FROM work_orders w WHERE ${guard}${closing ? ` AND ${CLOSABLE('w')}` : ''}`,
      )
      .bind(o.id, o.step, o.updated_at, m, r.at, r.by, closeNote[m] ?? note, m === 'dispatched' ? r.by : null, m === 'checked' ? 1 : null);
  const dispatch = handle.includes('dispatched') ? 1 : 0;
  const arrive = handle.includes('arrived') ? 1 : 0;
  const handled = handle.includes('handled') ? 1 : 0;
  const update = db
    .prepare(
      `UPDATE work_orders AS w SET
         step = CASE WHEN ${CLOSABLE('w')} THEN 'closed' WHEN ?6 THEN 'handled' ELSE w.step END,
         closed_at = CASE WHEN ${CLOSABLE('w')} THEN ?4 ELSE w.closed_at END,
         dispatched_at = CASE WHEN ?7 THEN ?4 ELSE w.dispatched_at END,
         assignee_team = CASE WHEN ?7 THEN NULL ELSE w.assignee_team END,
         assignee_person = CASE WHEN ?7 THEN (SELECT p.id FROM people p WHERE p.id = ?5) ELSE w.assignee_person END,
         arrived_at = CASE WHEN ?8 THEN ?4 ELSE w.arrived_at END,
         handled_at = CASE WHEN ?6 THEN ?4 ELSE w.handled_at END,
         updated_at = ?4 + (w.updated_at = ?4)
       WHERE ${guard} AND (?6 OR ${CLOSABLE('w')}) RETURNING id`,
    )
    .bind(o.id, o.step, o.updated_at, r.at, r.by, handled, dispatch, arrive);
  return [...handle.map((m) => insert(m, false)), ...close.map((m) => insert(m, true)), update];
}

interface LedgerGroup {
  ts: number;
  day: string;
  hour: number;
  items: Record<string, number>;
}

/**
 * When each item's restock event is dated. A staff restock is one event with a level rise that a
 * controller of the station already reported within RESTOCK_MATCH_WINDOW_MS before the tap (the
 * latest reading whose rise inference counted as restocked, `inferred_in` > 0): its event is
 * dated at that reading, so the rise is explained by the person's restock and counted once, as
 * `restocked` and attributed to them — exactly as if the reading had come after the tap. Other
 * items are dated at the tap. Grouped by time for the ledger statements.
 */
async function ledgerTimes(db: D1Database, r: RestockRecord & { day: string; hour: number }): Promise<LedgerGroup[]> {
  const { results: matched } = await db
    .prepare(
      `SELECT item, ts, day, hour FROM (
         SELECT l.item, l.ts, l.day, l.hour, ROW_NUMBER() OVER (PARTITION BY l.item ORDER BY l.ts DESC, l.device_id, l.key) AS rn
         FROM devices d CROSS JOIN stock_levels l INDEXED BY stock_levels_item_ts ON l.device_id = d.id
         WHERE d.kind = 'station' AND d.site = ?1 AND d.id != ?2 AND l.item IN (SELECT value FROM json_each(?3))
           AND l.ts BETWEEN ?4 AND ?5 AND l.inferred_in > 0)
       WHERE rn = 1`,
    )
    .bind(r.station, ledgerDeviceId(r.station), JSON.stringify(Object.keys(r.items)), r.at - RESTOCK_MATCH_WINDOW_MS, r.at)
    .all<{ item: string; ts: number; day: string; hour: number }>();
  const at = new Map(matched.map((m) => [m.item, m]));
  const groups = new Map<number, LedgerGroup>();
  for (const [item, qty] of Object.entries(r.items)) {
    const t = at.get(item) ?? { ts: r.at, day: r.day, hour: r.hour };
    const g = groups.get(t.ts) ?? { ts: t.ts, day: t.day, hour: t.hour, items: {} };
    g.items[item] = qty;
    groups.set(t.ts, g);
  }
  return [...groups.values()].sort((a, b) => a.ts - b.ts);
}

/**
 * Record a new restock. Throws a UNIQUE constraint error (and writes nothing) when the id was
 * recorded meanwhile: the caller reads it back and answers as for a resend.
 */
export async function recordRestock(
  db: D1Database,
  r: RestockRecord & { tokenId: string; day: string; hour: number },
): Promise<RecordedRestock> {
  const codes = Object.keys(r.items).sort();
  const items = canonicalItems(r.items);
  const ledger = ledgerDeviceId(r.station);
  const codesJson = JSON.stringify(codes);
  // Open restock work orders of this station for these items (or for no item in particular).
  const { results: orders } = await db
    .prepare(
      `SELECT w.id, w.step, w.arrived_at, w.updated_at FROM work_orders w WHERE w.site = ?1 AND w.site_kind = 'station' AND w.kind = 'restock'
         AND w.closed_at IS NULL AND w.step IN (SELECT value FROM json_each(?2)) AND (w.item IS NULL OR w.item IN (SELECT value FROM json_each(?3)))
       ORDER BY w.id`,
    )
    .bind(r.station, JSON.stringify(OPEN_STEPS), codesJson)
    .all<OpenOrderRow>();
  const groups = await ledgerTimes(db, r);
  const statements = [
    db
      .prepare('INSERT INTO restocks (id, station_id, items, note, by, token_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
      .bind(r.id, r.station, items, r.note, r.by, r.tokenId, r.at),
    db
      .prepare(
        `INSERT OR IGNORE INTO devices (id, kind, site, name, disabled, created_at) VALUES (?1, 'station', ?2, 'Staff restocks (ledger)', 1, ?3)`,
      )
      .bind(ledger, r.station, r.at),
    ...groups.flatMap((g, i) => [
      db
        .prepare(
          `INSERT INTO events (device_id, key, ts, day, hour, type, item, qty, by_ref)
           SELECT ?1, ?2 || '/' || i.key, ?3, ?4, ?5, 'restock', i.key, i.value, ?6 FROM json_each(?7) i`,
        )
        .bind(ledger, r.id, g.ts, g.day, g.hour, r.by, canonicalItems(g.items)),
      ...itemLedgerStatements(db, {
        deviceId: ledger,
        stationId: r.station,
        ingestId: `restock:${r.id}:${i}`,
        ts: g.ts,
        day: g.day,
        hour: g.hour,
        items: Object.keys(g.items).sort(),
      }),
    ]),
    db
      .prepare(
        `UPDATE alerts SET resolved_at = ?4, updated_at = ?4
         WHERE site = ?1 AND site_kind = 'station' AND resolved_at IS NULL AND kind IN (SELECT value FROM json_each(?2)) AND item IN (SELECT value FROM json_each(?3))
           AND EXISTS (SELECT 1 FROM station_items si WHERE si.station_id = ?1 AND si.item = alerts.item AND si.on_hand > COALESCE(si.reorder_point, 0))
         RETURNING id`,
      )
      .bind(r.station, JSON.stringify(STOCK_ALERTS), codesJson, r.at),
  ];
  // After the alert update: whether an order may close depends on its alert being resolved now.
  const orderMoves = orders.flatMap((o) => orderStatements(db, o, r));
  const stockRead = db
    .prepare('SELECT item, on_hand FROM station_items WHERE station_id = ?1 AND item IN (SELECT value FROM json_each(?2)) ORDER BY item')
    .bind(r.station, codesJson);
  const results = await db.batch([...statements, ...orderMoves, stockRead]);
  const n = statements.length;
  const ids = (rs: D1Result[]) => rs.flatMap((x) => (x.results as Array<{ id: string }>).map((y) => y.id)).sort();
  const stock = Object.fromEntries(
    (results[results.length - 1]!.results as Array<{ item: string; on_hand: number }>).map((x) => [x.item, x.on_hand]),
  );
  return { work_orders: ids(results.slice(n, n + orderMoves.length)), alerts_resolved: ids([results[n - 1]!]), stock };
}
