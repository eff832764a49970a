/**
 * Writing one ingest request: ONE D1 batch (one transaction, all-or-nothing) that
 *  1. inserts the messages into the de-duplication ledger (INSERT OR IGNORE on (device, key)),
 *  2. projects the rows *this request inserted* (ingest_id) into typed tables,
 *  3. recomputes level-drop inference and solar integration around the new rows,
 *  4. recomputes the hourly and daily rollups of the local hours it touched, from the projections,
 *  5. updates the current state (device status, stock on hand, station open, faults),
 *  6. reads back the messages that were stored before (duplicates or conflicts); the rest are new.
 * Rollups are *recomputed* for the touched hours rather than incremented, so late, out-of-order
 * and duplicated data always lands on the same totals, and two racing requests cannot double
 * count (D1 runs batches one at a time).
 * All messages travel as JSON in a few bound values (json_each), never one statement per row.
 * Sums are TOTAL(), not SUM(): a device may send any integer quantity, and SUM() fails the whole
 * batch on a 64-bit overflow where TOTAL() goes on in floating point.
 */

/** One row of the JSON parameter. */
export interface IngestRow {
  /** index in the request */
  i: number;
  /** de-duplication key */
  k: string;
  ts: number;
  t: string;
  /** local day / hour of ts */
  d: string;
  h: number;
  /** canonical body (JSON text) */
  b: string;
  /** charging_session: local day / hour of started_at */
  sd?: string;
  sh?: number;
}

export interface IngestPlan {
  deviceId: string;
  /** SHA-256 of the request's device token, and the device's site as the caller knows it: the batch's first statement checks both (AUTH_GUARD). */
  tokenHash: string;
  site: string;
  /** station id when the device is a station's, else null */
  stationId: string | null;
  ingestId: string;
  now: number;
  rows: IngestRow[];
  /** item codes the request mentions (for the registry of unknown items and stock on hand) */
  items: string[];
  /** fault codes the request mentions */
  faultCodes: string[];
  /** the message types in the request: statements with nothing to do are left out of the batch */
  types: ReadonlySet<string>;
}

/** A message of the request already stored before it (its position in the plan's rows), and the body stored then. */
export interface StoredState {
  row: number;
  body: string;
}

/** Keep each JSON parameter well under D1's 2 MB limit for one value. */
const CHUNK_BYTES = 700_000;

/**
 * The rows in chunks, each with its ledger parameter ([key, ts, type, body] per row): the only
 * parameter that carries the bodies. The statements after the insert get small parameters of
 * their own rows (keys, local hours), so a request's bodies cross to the database once.
 */
export function chunkRows(rows: IngestRow[]): Array<{ rows: IngestRow[]; ledger: string }> {
  const chunks: Array<{ rows: IngestRow[]; ledger: string }> = [];
  let current: IngestRow[] = [];
  let parts: string[] = [];
  let size = 2;
  const close = () => {
    chunks.push({ rows: current, ledger: '[' + parts.join(',') + ']' });
    current = [];
    parts = [];
    size = 2;
  };
  for (const r of rows) {
    const s = JSON.stringify([r.k, r.ts, r.t, r.b]);
    if (current.length && size + s.length + 1 > CHUNK_BYTES) close();
    current.push(r);
    parts.push(s);
    size += s.length + 1;
  }
  if (current.length) close();
  return chunks;
}

// ?1 device, ?2 ingest id, ?3 JSON [[key, day, hour], …] of the rows of the projection's types
// (a session's day and hour are those it started in). Only rows this request inserted are projected.
// CROSS JOIN keeps json_each as the outer loop (SQLite would otherwise scan the device's messages).
const FRESH = `FROM json_each(?3) j CROSS JOIN messages m ON m.device_id = ?1 AND m.key = j.value->>0 AND m.ingest_id = ?2`;
/** A projected row's body: the stored text, read with the row. */
const B = 'm.body';
const DAY = `j.value->>1`;
const HOUR = `j.value->>2`;

const SQL = {
  // ?3 the chunk's ledger parameter, ?4 server time
  insertMessages: `INSERT OR IGNORE INTO messages (device_id, key, ts, type, body, ingest_id, received_at)
    SELECT ?1, j.value->>0, j.value->>1, j.value->>2, j.value->>3, ?2, ?4 FROM json_each(?3) j`,
  events: `INSERT INTO events (device_id, key, ts, day, hour, type, item, qty, by_ref, expires)
    SELECT ?1, m.key, m.ts, ${DAY}, ${HOUR}, m.type, json_extract(${B}, '$.item'),
      COALESCE(json_extract(${B}, '$.qty'), json_extract(${B}, '$.count')), json_extract(${B}, '$.by'), json_extract(${B}, '$.expires')
    ${FRESH}`,
  stock: `INSERT INTO stock_levels (device_id, key, item, ts, day, hour, level)
    SELECT ?1, m.key, l.key, m.ts, ${DAY}, ${HOUR}, l.value
    ${FRESH}, json_each(${B}, '$.levels') l`,
  samples: `INSERT INTO samples (device_id, key, ts, day, hour, battery_soc, battery_v, solar_w, load_w, temp_c, ports_in_use, open, fault_codes)
    SELECT ?1, m.key, m.ts, ${DAY}, ${HOUR}, json_extract(${B}, '$.battery_soc'), json_extract(${B}, '$.battery_v'),
      json_extract(${B}, '$.solar_w'), json_extract(${B}, '$.load_w'), json_extract(${B}, '$.temp_c'), json_extract(${B}, '$.ports_in_use'),
      json_extract(${B}, '$.open'), json_extract(${B}, '$.fault_codes')
    ${FRESH}`,
  sessions: `INSERT INTO sessions (device_id, key, port, started_at, ended_at, energy_wh, peak_w, day, hour)
    SELECT ?1, m.key, json_extract(${B}, '$.port'), json_extract(${B}, '$.started_at'), json_extract(${B}, '$.ended_at'),
      json_extract(${B}, '$.energy_wh'), json_extract(${B}, '$.peak_w'), ${DAY}, ${HOUR}
    ${FRESH}`,
  faults: `INSERT INTO fault_events (device_id, key, ts, code, active, detail)
    SELECT ?1, m.key, m.ts, json_extract(${B}, '$.code'), json_extract(${B}, '$.active'), json_extract(${B}, '$.detail')
    ${FRESH}`,
  // The local hours this request touches (sessions count at their start hour), listed once each
  // by the caller: ?1 ingest id, ?2 JSON [[day, hour], …].
  scope: `INSERT OR IGNORE INTO ingest_scope (ingest_id, day, hour) SELECT ?1, value->>0, value->>1 FROM json_each(?2)`,
};

/** The distinct local hours of the rows (sessions at their start hour), as the scope statement takes them. */
export function touchedHours(rows: IngestRow[]): string {
  const seen = new Set<string>();
  const out: Array<[string, number]> = [];
  const add = (d: string, h: number) => {
    const k = `${d}|${h}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push([d, h]);
    }
  };
  for (const r of rows) {
    add(r.d, r.h);
    if (r.sd !== undefined && r.sh !== undefined) add(r.sd, r.sh);
  }
  return JSON.stringify(out);
}

/** Each projection and the message types it takes. */
const PROJECTIONS: Array<[string, readonly string[]]> = [
  [SQL.events, ['dispense', 'restock', 'lend', 'return', 'visit']],
  [SQL.stock, ['stock']],
  [SQL.samples, ['status']],
  [SQL.sessions, ['charging_session']],
  [SQL.faults, ['fault']],
];

/**
 * The devices whose item data is inferred and rolled up together: the station is the unit, so
 * events from any of its devices explain level changes between readings of any of its devices
 * (one controller may report levels and another the dispenses). A bench (?4 NULL) is its own
 * unit. ?1 device, ?4 station id or NULL.
 */
const UNIT = `unit(id) AS (SELECT ?1 UNION SELECT id FROM devices WHERE kind = 'station' AND site = ?4)`;

/**
 * The stock readings whose inference a request can change, per item it mentions (?5 JSON codes):
 * those in [minTs, maxTs] and the first after maxTs (a late event or reading changes the interval
 * that ends there), with the unit's previous reading of the item (ordered by ts, device, key).
 * The window starts at the unit's last reading before minTs, found by one index seek per device.
 * CROSS JOINs fix the loop order so each device's readings are read by (device, item, ts) range
 * (left to itself SQLite scanned every reading of the devices).
 * ?2 minTs, ?3 maxTs.
 */
const INFER_CAND = `WITH ${UNIT},
  its(item) AS (SELECT value FROM json_each(?5)),
  bounds(item, lo, hi) AS (
    SELECT its.item,
      (SELECT MAX((SELECT p.ts FROM stock_levels p WHERE p.device_id = u.id AND p.item = its.item AND p.ts < ?2 ORDER BY p.ts DESC LIMIT 1)) FROM unit u),
      (SELECT MIN((SELECT n.ts FROM stock_levels n WHERE n.device_id = u.id AND n.item = its.item AND n.ts > ?3 ORDER BY n.ts LIMIT 1)) FROM unit u)
    FROM its
  ),
  win AS (
    SELECT r.device_id, r.key, r.item, r.ts, r.day, r.hour, r.level,
      LAG(r.ts) OVER w AS prev_ts, LAG(r.level) OVER w AS prev_level
    FROM bounds b CROSS JOIN unit u CROSS JOIN stock_levels r ON r.device_id = u.id AND r.item = b.item
      AND r.ts BETWEEN COALESCE(b.lo, ?2) AND COALESCE(b.hi, ?3)
    WINDOW w AS (PARTITION BY r.item ORDER BY r.ts, r.device_id, r.key)
  ),
  cand AS (SELECT * FROM win WHERE ts >= ?2)`;

/**
 * Level-drop inference: for each candidate reading, the change since the unit's previous reading
 * of the item that dispense/restock/lend/return events of the unit in between
 * (prev.ts < e.ts ≤ ts) do not explain.
 */
const INFER_STOCK = `${INFER_CAND}
  UPDATE stock_levels AS s SET inferred_out = MAX(0, -x.u), inferred_in = MAX(0, x.u)
  FROM (
    SELECT c.device_id, c.key, c.item, CASE WHEN c.prev_ts IS NULL THEN 0 ELSE c.level - c.prev_level - COALESCE((
      SELECT TOTAL(CASE e.type WHEN 'dispense' THEN -e.qty WHEN 'lend' THEN -e.qty ELSE e.qty END)
      FROM events e WHERE e.device_id IN (SELECT id FROM unit) AND e.item = c.item AND e.ts > c.prev_ts AND e.ts <= c.ts
        AND e.type IN ('dispense', 'restock', 'lend', 'return')), 0) END AS u
    FROM cand c
  ) x
  WHERE s.device_id = x.device_id AND s.key = x.key AND s.item = x.item`;

/**
 * Every reading INFER_STOCK recomputed: their hours' rollups must be recomputed too, not only the
 * hours of the new rows, or a late event between two hours of one request leaves a stale
 * inferred drop counted twice. ?6 ingest id
 */
const SCOPE_STOCK_AFTER = `${INFER_CAND}
  INSERT OR IGNORE INTO ingest_scope (ingest_id, day, hour) SELECT ?6, day, hour FROM cand`;

/** Samples further apart than this are a gap (device off), not a ramp to integrate across. */
export const SOLAR_MAX_GAP_MS = 20 * 60_000;

/**
 * Solar energy harvested, by the trapezoid rule between consecutive solar_w samples (ordered by
 * ts, key), stored on the sample that ends each interval: the samples in [minTs, maxTs] and the
 * first after, each paired with its previous by one window over the device's samples from the
 * last before minTs (one index range, no look-up per sample). ?1 device, ?2 minTs, ?3 maxTs, ?4 max gap ms.
 */
const INTEGRATE_SOLAR = `WITH
  lo(ts) AS (SELECT MAX(ts) FROM samples WHERE device_id = ?1 AND ts < ?2 AND solar_w IS NOT NULL),
  hi(ts, key) AS (SELECT ts, key FROM samples WHERE device_id = ?1 AND ts > ?3 AND solar_w IS NOT NULL ORDER BY ts, key LIMIT 1),
  win AS (
    SELECT key, ts, solar_w, LAG(ts) OVER w AS prev_ts, LAG(solar_w) OVER w AS prev_w
    FROM samples WHERE device_id = ?1 AND solar_w IS NOT NULL
      AND ts BETWEEN COALESCE((SELECT ts FROM lo), ?2) AND COALESCE((SELECT ts FROM hi), ?3)
    WINDOW w AS (ORDER BY ts, key)
  )
  UPDATE samples AS s SET solar_wh = x.wh
  FROM (
    SELECT c.key, CASE WHEN c.prev_ts IS NULL OR c.ts - c.prev_ts > ?4 THEN 0
      ELSE (c.ts - c.prev_ts) / 3600000.0 * (c.solar_w + c.prev_w) / 2 END AS wh
    FROM win c WHERE c.ts BETWEEN ?2 AND ?3 OR c.key = (SELECT key FROM hi)
  ) x
  WHERE s.device_id = ?1 AND s.key = x.key`;

/** Likewise the hours of every sample INTEGRATE_SOLAR recomputed. ?4 ingest id */
const SCOPE_SOLAR_AFTER = `INSERT OR IGNORE INTO ingest_scope (ingest_id, day, hour)
  SELECT ?4, day, hour FROM samples WHERE device_id = ?1 AND ts BETWEEN ?2 AND ?3 AND solar_w IS NOT NULL
  UNION
  SELECT ?4, day, hour FROM (SELECT day, hour FROM samples WHERE device_id = ?1 AND ts > ?3 AND solar_w IS NOT NULL ORDER BY ts, key LIMIT 1)`;

// ?1 device, ?2 ingest id
const IN_SCOPE = `(day, hour) IN (SELECT day, hour FROM ingest_scope WHERE ingest_id = ?2)`;
const DAYS_IN_SCOPE = `day IN (SELECT DISTINCT day FROM ingest_scope WHERE ingest_id = ?2)`;
/** The unit's devices and the request's local hours, for the item rollups: ?1 device, ?2 ingest id, ?3 station or NULL. */
const UNIT_AND_SCOPE = `unit(id) AS (SELECT ?1 UNION SELECT id FROM devices WHERE kind = 'station' AND site = ?3),
  sc(day, hour) AS (SELECT day, hour FROM ingest_scope WHERE ingest_id = ?2)`;

const ROLLUP = {
  // Item rollups are recomputed for every device of the unit (?3 station or NULL): inference
  // moves counts between the unit's devices. Unit × scope hours drive the loops (CROSS JOIN), so
  // each device's rows are read by its (device, day, hour) index (SQLite otherwise scanned all of a device's rows).
  itemHourly: `WITH ${UNIT_AND_SCOPE}
    INSERT OR REPLACE INTO item_hourly (device_id, item, day, hour, dispensed, restocked, lent, returned, inferred_out, inferred_in)
    SELECT device_id, item, day, hour, TOTAL(dispensed), TOTAL(restocked), TOTAL(lent), TOTAL(returned), TOTAL(inferred_out), TOTAL(inferred_in) FROM (
      SELECT e.device_id, e.item, e.day, e.hour,
        CASE e.type WHEN 'dispense' THEN e.qty ELSE 0 END AS dispensed, CASE e.type WHEN 'restock' THEN e.qty ELSE 0 END AS restocked,
        CASE e.type WHEN 'lend' THEN e.qty ELSE 0 END AS lent, CASE e.type WHEN 'return' THEN e.qty ELSE 0 END AS returned,
        0 AS inferred_out, 0 AS inferred_in
      FROM unit u CROSS JOIN sc CROSS JOIN events e INDEXED BY events_hour ON e.device_id = u.id AND e.day = sc.day AND e.hour = sc.hour WHERE e.item IS NOT NULL
      UNION ALL
      SELECT l.device_id, l.item, l.day, l.hour, 0, 0, 0, 0, l.inferred_out, l.inferred_in
      FROM unit u CROSS JOIN sc CROSS JOIN stock_levels l INDEXED BY stock_levels_hour ON l.device_id = u.id AND l.day = sc.day AND l.hour = sc.hour
    ) GROUP BY device_id, item, day, hour`,
  deviceHourly: `INSERT OR REPLACE INTO device_hourly (device_id, day, hour, visitors, sessions, energy_wh, solar_wh, batt_min, batt_sum, batt_n, load_sum, load_n, samples)
    SELECT ?1, day, hour, TOTAL(visitors), TOTAL(sessions), TOTAL(energy_wh), TOTAL(solar_wh), MIN(batt), TOTAL(COALESCE(batt, 0)), COUNT(batt),
      TOTAL(COALESCE(load, 0)), COUNT(load), TOTAL(sample) FROM (
      SELECT day, hour, qty AS visitors, 0 AS sessions, 0 AS energy_wh, 0 AS solar_wh, NULL AS batt, NULL AS load, 0 AS sample
        FROM events WHERE device_id = ?1 AND type = 'visit' AND ${IN_SCOPE}
      UNION ALL
      SELECT day, hour, 0, 1, energy_wh, 0, NULL, NULL, 0 FROM sessions WHERE device_id = ?1 AND ${IN_SCOPE}
      UNION ALL
      SELECT day, hour, 0, 0, 0, solar_wh, battery_soc, load_w, 1 FROM samples WHERE device_id = ?1 AND ${IN_SCOPE}
    ) GROUP BY day, hour`,
  // Only the items the request mentions can change (?4 JSON codes): each (device, item, day) is a primary-key range.
  itemDaily: `WITH ${UNIT_AND_SCOPE}
    INSERT OR REPLACE INTO item_daily (device_id, item, day, dispensed, restocked, lent, returned, inferred_out, inferred_in)
    SELECT h.device_id, h.item, h.day, TOTAL(h.dispensed), TOTAL(h.restocked), TOTAL(h.lent), TOTAL(h.returned), TOTAL(h.inferred_out), TOTAL(h.inferred_in)
    FROM unit u CROSS JOIN json_each(?4) it CROSS JOIN (SELECT DISTINCT day FROM sc) d
      CROSS JOIN item_hourly h ON h.device_id = u.id AND h.item = it.value AND h.day = d.day
    GROUP BY h.device_id, h.item, h.day`,
  deviceDaily: `INSERT OR REPLACE INTO device_daily (device_id, day, visitors, sessions, energy_wh, solar_wh, batt_min, batt_sum, batt_n, load_sum, load_n, samples)
    SELECT device_id, day, TOTAL(visitors), TOTAL(sessions), TOTAL(energy_wh), TOTAL(solar_wh), MIN(batt_min), TOTAL(batt_sum), TOTAL(batt_n), TOTAL(load_sum), TOTAL(load_n), TOTAL(samples)
    FROM device_hourly WHERE device_id = ?1 AND ${DAYS_IN_SCOPE} GROUP BY day`,
  clearScope: `DELETE FROM ingest_scope WHERE ingest_id = ?1`,
};

/**
 * Newest non-null value of a status field among the samples at or after the state we hold
 * (so a late backlog never overwrites a newer state, and the scan is bounded by new data).
 */
const latest = (col: string) =>
  `COALESCE((SELECT s.${col} FROM samples s WHERE s.device_id = ?1 AND s.ts >= COALESCE(devices.state_at, 0) AND s.${col} IS NOT NULL
    ORDER BY s.ts DESC LIMIT 1), ${col})`;

/** The devices of station ?1 (past data of a disabled one still counts). */
const SITE_DEVICES = `(SELECT d.id FROM devices d WHERE d.kind = 'station' AND d.site = ?1)`;

const STATE = {
  deviceSeen: `UPDATE devices SET last_seen = MAX(COALESCE(last_seen, 0), ?2) WHERE id = ?1`,
  // Also marks the device seen (?2), so a status request updates its row once.
  deviceStatus: `UPDATE devices SET last_seen = MAX(COALESCE(last_seen, 0), ?2),
      state_at = MAX(COALESCE(state_at, 0), (SELECT MAX(ts) FROM samples WHERE device_id = ?1)),
      battery_soc = ${latest('battery_soc')}, battery_v = ${latest('battery_v')}, solar_w = ${latest('solar_w')},
      load_w = ${latest('load_w')}, temp_c = ${latest('temp_c')}, ports_in_use = ${latest('ports_in_use')},
      open = ${latest('open')}, fault_codes = ${latest('fault_codes')}
    WHERE id = ?1`,
  // ?1 device, ?2 JSON array of fault codes
  faults: `INSERT OR REPLACE INTO device_faults (device_id, code, active, detail, ts)
    SELECT f.device_id, f.code, f.active, f.detail, f.ts FROM fault_events f
    WHERE f.device_id = ?1 AND f.code IN (SELECT value FROM json_each(?2))
      AND f.key = (SELECT g.key FROM fault_events g WHERE g.device_id = ?1 AND g.code = f.code ORDER BY g.ts DESC, g.key DESC LIMIT 1)`,
  // Unknown item codes are kept and listed for an admin to name (never refused).
  unknownItems: `INSERT OR IGNORE INTO items (code, registered, first_seen) SELECT value, 0, ?2 FROM json_each(?1)`,
  // ?1 station, ?2 device, ?3 maxTs, ?4 minTs: an open/closed report in this request newer than the one held wins.
  station: `UPDATE stations SET updated_at = MAX(COALESCE(updated_at, 0), ?3),
      open = COALESCE((SELECT s.open FROM samples s WHERE s.device_id = ?2 AND s.ts >= MAX(?4, COALESCE(stations.open_at, 0)) AND s.open IS NOT NULL
        ORDER BY s.ts DESC LIMIT 1), open),
      open_at = COALESCE((SELECT s.ts FROM samples s WHERE s.device_id = ?2 AND s.ts >= MAX(?4, COALESCE(stations.open_at, 0)) AND s.open IS NOT NULL
        ORDER BY s.ts DESC LIMIT 1), open_at)
    WHERE id = ?1`,
  // Stock on hand: the station's newest level reading plus the events after it (or the net of all
  // events when the station never reported a level), from every device of the station: one
  // controller may report levels and another the dispensing. ?1 station, ?3 JSON item codes
  onHand: `INSERT INTO station_items (station_id, item, on_hand, on_hand_at)
    SELECT ?1, it.value,
      MAX(0, COALESCE(ls.level, 0) + COALESCE((SELECT TOTAL(CASE e.type WHEN 'dispense' THEN -e.qty WHEN 'lend' THEN -e.qty ELSE e.qty END)
        FROM events e WHERE e.device_id IN ${SITE_DEVICES} AND e.item = it.value AND e.type IN ('dispense', 'restock', 'lend', 'return') AND e.ts > COALESCE(ls.ts, -1)), 0)),
      MAX(COALESCE(ls.ts, 0), COALESCE((SELECT MAX(e.ts) FROM events e WHERE e.device_id IN ${SITE_DEVICES} AND e.item = it.value), 0))
    FROM json_each(?3) it
    LEFT JOIN stock_levels ls ON ls.device_id IN ${SITE_DEVICES} AND ls.item = it.value
      AND (ls.device_id, ls.key) = (SELECT s.device_id, s.key FROM stock_levels s WHERE s.device_id IN ${SITE_DEVICES} AND s.item = it.value ORDER BY s.ts DESC, s.device_id DESC, s.key DESC LIMIT 1)
    WHERE true
    ON CONFLICT (station_id, item) DO UPDATE SET on_hand = excluded.on_hand, on_hand_at = excluded.on_hand_at`,
};

/**
 * The token check, inside the batch (one round trip per request): unless device ?1 still holds
 * token hash ?2, is enabled and stands at site ?3 (a moved device's cached site is stale), the statement fails (abs() of the smallest integer is an integer
 * overflow error), and with it the whole batch: a rotated, revoked or disabled token writes
 * nothing. The caller then looks the token up to answer 401 or 403.
 */
const AUTH_GUARD = `SELECT CASE WHEN EXISTS (SELECT 1 FROM devices WHERE id = ?1 AND token_hash = ?2 AND disabled = 0 AND site = ?3) THEN 1
  ELSE abs(-9223372036854775808) END AS token_ok`;

/**
 * The messages of the request that were there before it (every other one it stored now), with
 * the stored body: the caller tells a duplicate (same body) from a conflict. ?3 JSON [[row, key], …],
 * row a position in the plan's rows
 */
const OUTCOMES = `SELECT j.value->>0 AS row, m.body AS body
  FROM json_each(?3) j CROSS JOIN messages m ON m.device_id = ?1 AND m.key = j.value->>1 WHERE m.ingest_id != ?2`;

/** Build the batch for one request; the last `chunks.length` results are the outcomes. */
export function ingestStatements(db: D1Database, plan: IngestPlan): { statements: D1PreparedStatement[]; outcomeCount: number } {
  const { deviceId: dev, ingestId: ing, now } = plan;
  const chunks = chunkRows(plan.rows);
  if (plan.rows.length === 0) return { statements: [], outcomeCount: 0 };
  const st: D1PreparedStatement[] = [db.prepare(AUTH_GUARD).bind(dev, plan.tokenHash, plan.site)];
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (const r of plan.rows) {
    if (r.ts < minTs) minTs = r.ts;
    if (r.ts > maxTs) maxTs = r.ts;
  }
  const has = (...types: string[]) => types.some((t) => plan.types.has(t));
  const itemEvents = has('dispense', 'restock', 'lend', 'return');
  const itemRollups = itemEvents || has('stock');
  const deviceRollups = has('visit', 'charging_session', 'status');
  for (const c of chunks) {
    st.push(db.prepare(SQL.insertMessages).bind(dev, ing, c.ledger, now));
    for (const [q, types] of PROJECTIONS) {
      const own = c.rows.filter((r) => types.includes(r.t));
      if (own.length) st.push(db.prepare(q).bind(dev, ing, JSON.stringify(own.map((r) => [r.k, r.sd ?? r.d, r.sh ?? r.h]))));
    }
  }
  if (itemRollups || deviceRollups) st.push(db.prepare(SQL.scope).bind(ing, touchedHours(plan.rows)));
  if (plan.items.length) st.push(db.prepare(STATE.unknownItems).bind(JSON.stringify(plan.items), now));
  if (itemRollups) {
    const items = JSON.stringify(plan.items);
    st.push(db.prepare(INFER_STOCK).bind(dev, minTs, maxTs, plan.stationId, items));
    st.push(db.prepare(SCOPE_STOCK_AFTER).bind(dev, minTs, maxTs, plan.stationId, items, ing));
  }
  if (has('status')) {
    st.push(db.prepare(INTEGRATE_SOLAR).bind(dev, minTs, maxTs, SOLAR_MAX_GAP_MS));
    st.push(db.prepare(SCOPE_SOLAR_AFTER).bind(dev, minTs, maxTs, ing));
  }
  if (itemRollups) {
    st.push(db.prepare(ROLLUP.itemHourly).bind(dev, ing, plan.stationId));
    st.push(db.prepare(ROLLUP.itemDaily).bind(dev, ing, plan.stationId, JSON.stringify(plan.items)));
  }
  if (deviceRollups) {
    st.push(db.prepare(ROLLUP.deviceHourly).bind(dev, ing));
    st.push(db.prepare(ROLLUP.deviceDaily).bind(dev, ing));
  }
  if (itemRollups || deviceRollups) st.push(db.prepare(ROLLUP.clearScope).bind(ing));
  st.push(has('status') ? db.prepare(STATE.deviceStatus).bind(dev, now) : db.prepare(STATE.deviceSeen).bind(dev, now));
  if (plan.faultCodes.length) st.push(db.prepare(STATE.faults).bind(dev, JSON.stringify(plan.faultCodes)));
  if (plan.stationId) {
    st.push(db.prepare(STATE.station).bind(plan.stationId, dev, maxTs, minTs));
    if (plan.items.length) st.push(db.prepare(STATE.onHand).bind(plan.stationId, dev, JSON.stringify(plan.items)));
  }
  let row = 0;
  for (const c of chunks) st.push(db.prepare(OUTCOMES).bind(dev, ing, JSON.stringify(c.rows.map((r) => [row++, r.k]))));
  return { statements: st, outcomeCount: chunks.length };
}

/**
 * Run the batch, with `reads` after its writes (they see what it stored); returns the messages
 * stored before this request (every other row is new) and the results of `reads`.
 */
export async function writeIngest(
  db: D1Database,
  plan: IngestPlan,
  reads: D1PreparedStatement[] = [],
): Promise<{ stored: StoredState[]; reads: D1Result[] }> {
  const { statements, outcomeCount } = ingestStatements(db, plan);
  if (!statements.length) return { stored: [], reads: [] };
  const results = await db.batch([...statements, ...reads]);
  const end = statements.length;
  return {
    stored: results.slice(end - outcomeCount, end).flatMap((r) => r.results as StoredState[]),
    reads: results.slice(end),
  };
}

/**
 * A fully rejected or empty request still marks the device as seen; false when the token no
 * longer belongs to the enabled device (nothing written).
 */
export async function touchDevice(db: D1Database, deviceId: string, tokenHash: string, now: number): Promise<boolean> {
  const r = await db.prepare(`${STATE.deviceSeen} AND token_hash = ?3 AND disabled = 0`).bind(deviceId, now, tokenHash).run();
  return r.meta.changes > 0;
}

/**
 * Item events written outside telemetry (staff restocks, worker/db/restocks.ts) go through the
 * same inference, item rollups and stock on hand as a device's, in the caller's batch: the events
 * are already inserted under `deviceId` (a device of station `stationId`) at `ts`.
 */
export function itemLedgerStatements(
  db: D1Database,
  p: { deviceId: string; stationId: string; ingestId: string; ts: number; day: string; hour: number; items: string[] },
): D1PreparedStatement[] {
  const items = JSON.stringify(p.items);
  return [
    db.prepare('INSERT OR IGNORE INTO ingest_scope (ingest_id, day, hour) VALUES (?1, ?2, ?3)').bind(p.ingestId, p.day, p.hour),
    db.prepare(INFER_STOCK).bind(p.deviceId, p.ts, p.ts, p.stationId, items),
    db.prepare(SCOPE_STOCK_AFTER).bind(p.deviceId, p.ts, p.ts, p.stationId, items, p.ingestId),
    db.prepare(ROLLUP.itemHourly).bind(p.deviceId, p.ingestId, p.stationId),
    db.prepare(ROLLUP.itemDaily).bind(p.deviceId, p.ingestId, p.stationId, items),
    db.prepare(ROLLUP.clearScope).bind(p.ingestId),
    db.prepare(STATE.onHand).bind(p.stationId, p.deviceId, items),
  ];
}
