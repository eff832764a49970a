/**
 * What the monthly ranking reads from the system, as prepared statements: the sites and who
 * answers for them, alerts (stock-out and offline spells), bench hourly rollups, recorded live
 * coverage per district, work orders and the hand-entered scores. Rollups and state tables
 * only, never raw telemetry.
 */
import type { ManualSource } from '../domain/ranking/weights.ts';
import { chargedCountSql, chargedHoursSql } from './bench-charged-sql.ts';
import type { SlaTargets } from '../domain/sla-clock.ts';

export interface SiteRow {
  id: string;
  kind: 'station' | 'bench';
  name: string;
  district: string;
  unit_id: string | null;
  opening_hours: string;
  /** stations: opened_on (YYYY-MM-DD) or null; benches: null */
  opened_on: string | null;
  /**
   * The first local month the site (any of a station's devices, the bench) has a rollup: service
   * is measured from its first day, which matters only in that month (`firstDays`).
   */
  first_month: string | null;
}

/** Every station and bench with its district and responsible unit (a bench: its own, else its park's). */
export async function loadSites(db: D1Database): Promise<SiteRow[]> {
  const { results } = await db
    .prepare(
      // Each device's first month is kept per device (migration 0021): looking it up in the
      // monthly rollups per device cost a province 4,400 index look-ups a request.
      `SELECT s.id, 'station' AS kind, s.name, s.district, s.unit_id, s.opening_hours, s.opened_on,
         (SELECT MIN(COALESCE(MIN(f.item_month, f.visits_month), f.item_month, f.visits_month))
            FROM devices dv JOIN device_first_month f ON f.device_id = dv.id WHERE dv.site = s.id AND dv.kind = 'station') AS first_month
       FROM stations s
       UNION ALL
       SELECT dv.id, 'bench', COALESCE(dv.name, dv.id), p.district, COALESCE(dv.unit_id, p.unit_id), '24/7', NULL,
         (SELECT f.visits_month FROM device_first_month f WHERE f.device_id = dv.id)
       FROM devices dv JOIN parks p ON p.id = dv.site WHERE dv.kind = 'bench' AND dv.disabled = 0
       ORDER BY 1`,
    )
    .all<SiteRow>();
  return results;
}

/**
 * The exact first local day with a rollup of each site in `ids` (stations: any of their devices'
 * daily rows, items listed so that item_daily's key is sought; benches: their own).
 */
export async function firstDays(db: D1Database, ids: readonly string[]): Promise<Map<string, string>> {
  const { results } = await db
    .prepare(
      `WITH wanted AS (SELECT value AS id FROM json_each(?1)),
       device_first AS (
         SELECT dv.site, (SELECT MIN(dd.day) FROM device_daily dd WHERE dd.device_id = dv.id) AS a,
           (SELECT MIN(i.day) FROM item_daily i WHERE i.device_id = dv.id AND i.item IN (SELECT code FROM items)) AS b
         FROM devices dv WHERE dv.kind = 'station' AND dv.site IN (SELECT id FROM wanted))
       SELECT site AS id, MIN(COALESCE(MIN(a, b), a, b)) AS day FROM device_first GROUP BY site
       UNION ALL
       SELECT dv.id, (SELECT MIN(dd.day) FROM device_daily dd WHERE dd.device_id = dv.id)
       FROM devices dv WHERE dv.kind = 'bench' AND dv.id IN (SELECT id FROM wanted)`,
    )
    .bind(JSON.stringify(ids))
    .all<{ id: string; day: string | null }>();
  return new Map(results.filter((r) => r.day !== null).map((r) => [r.id, r.day!]));
}

export interface ScopeRow {
  id: string;
  name: string;
  kind: string;
  district: string | null;
}

export async function loadDistricts(db: D1Database): Promise<ScopeRow[]> {
  const { results } = await db.prepare(`SELECT id, name, 'district' AS kind, id AS district FROM districts ORDER BY id`).all<ScopeRow>();
  return results;
}

export async function loadUnits(db: D1Database): Promise<ScopeRow[]> {
  const { results } = await db.prepare('SELECT id, name, kind, district FROM units ORDER BY id').all<ScopeRow>();
  return results;
}

export interface AlertSpan {
  id: string;
  site: string;
  kind: 'stock_out' | 'offline';
  item: string | null;
  opened_at: number;
  resolved_at: number | null;
}

/** Stock-out and offline spells that overlap [start, end): two ranges of alerts_kind_resolved (migration 0022). */
export function alertSpansStatement(db: D1Database, start: number, end: number): D1PreparedStatement {
  return db
    .prepare(
      `SELECT id, site, kind, item, opened_at, resolved_at FROM alerts
       WHERE kind IN ('stock_out', 'offline') AND opened_at < ?2 AND (resolved_at IS NULL OR resolved_at > ?1) ORDER BY opened_at, id`,
    )
    .bind(start, end);
}

export interface BenchHours {
  device_id: string;
  charged_hours: number;
}

/**
 * Per bench: hours of the month whose mean state of charge was above `minSoc` (device_hourly):
 * the kept count where the cron has one (worker/db/bench-charged.ts) plus the hours after the
 * days it counts (the current month's today; a whole month's row is read alone: a look-up in
 * device_hourly per bench, even of an empty range, costs a province 10 ms), else counted now.
 *
 * One row, a JSON object {bench id: hours} (read with `benchHoursOf`): a history reads eight
 * months of a province's 1,200 benches, and as rows each crosses from D1 and becomes an object of
 * its own (≈ 12 ms of a history in-process, where one JSON.parse a month is well under 1 ms). At
 * about 25 bytes a bench the value stays far below D1's 2 MB limit (80,000 benches).
 */
export function benchChargedStatement(
  db: D1Database,
  w: { month: string; firstDay: string; lastDay: string },
  minSoc: number,
): D1PreparedStatement {
  return db
    .prepare(
      `SELECT json_group_object(dv.id,
         COALESCE(
           (SELECT c.hours + CASE WHEN c.through_day < ?2 THEN ${chargedCountSql('dv.id', 'h.day > c.through_day AND h.day <= ?2')} ELSE 0 END
            FROM bench_month_charged c WHERE c.device_id = dv.id AND c.month = ?4 AND c.min_soc = ?3),
           ${chargedHoursSql('dv.id')})) AS hours
       FROM devices dv WHERE dv.kind = 'bench' AND dv.disabled = 0`,
    )
    .bind(w.firstDay, w.lastDay, minSoc, w.month);
}

/** The statement's answer: bench id → charged hours. */
export function benchHoursOf(results: unknown[]): Map<string, number> {
  const row = results[0] as { hours: string | null } | undefined;
  return new Map(Object.entries(JSON.parse(row?.hours ?? '{}') as Record<string, number>));
}

export async function benchChargedHours(
  db: D1Database,
  w: { month: string; firstDay: string; lastDay: string },
  minSoc: number,
): Promise<BenchHours[]> {
  const hours = benchHoursOf((await benchChargedStatement(db, w, minSoc).all()).results);
  return [...hours].map(([device_id, charged_hours]) => ({ device_id, charged_hours }));
}

export interface CoverageMonthRow {
  district: string;
  /** mean over the recorded hours of covered / population */
  share: number;
  population: number;
  hours: number;
}

/**
 * Recorded live 15-minute coverage per district over the month's days: the mean of the recorded
 * hours, from the sums kept per district-day (migration 0018) rather than every hour's row.
 */
export function recordedCoverageStatement(db: D1Database, firstDay: string, lastDay: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT district, TOTAL(share_sum) / SUM(hours) AS share, TOTAL(population_sum) / SUM(hours) AS population, SUM(hours) AS hours
       FROM coverage_district_daily WHERE day BETWEEN ?1 AND ?2 GROUP BY district`,
    )
    .bind(firstDay, lastDay);
}

export async function recordedCoverage(db: D1Database, firstDay: string, lastDay: string): Promise<CoverageMonthRow[]> {
  return (await recordedCoverageStatement(db, firstDay, lastDay).all<CoverageMonthRow>()).results;
}

export interface DistrictCoverageInsert {
  at: number;
  day: string;
  district: string;
  population: number;
  covered: number;
}

export async function insertDistrictCoverage(db: D1Database, rows: DistrictCoverageInsert[]): Promise<void> {
  if (!rows.length) return;
  // One statement for all districts: the rows travel as one JSON value (D1's 100-bound-value limit).
  await db
    .prepare(
      `INSERT INTO coverage_district_hourly (at, day, district, population, covered)
       SELECT json_extract(value, '$.at'), json_extract(value, '$.day'), json_extract(value, '$.district'), json_extract(value, '$.population'), json_extract(value, '$.covered')
       FROM json_each(?1) WHERE true
       ON CONFLICT (district, at) DO UPDATE SET population = excluded.population, covered = excluded.covered`,
    )
    .bind(JSON.stringify(rows))
    .run();
}

export interface OrderRow {
  id: string;
  site: string;
  site_kind: 'station' | 'bench';
  kind: string;
  report_id: string | null;
  step: string;
  created_at: number;
  dispatched_at: number | null;
  arrived_at: number | null;
  handled_at: number | null;
  closed_at: number | null;
  assignee_team: string | null;
  team_name: string | null;
  /** The order's 双十 targets (s): its kind's, else the defaults — as the work-order clock has them. */
  target_a: number;
  target_h: number;
}

/**
 * Work orders that count for the month: dispatched in it (双十 clock) or, for citizens' reports,
 * opened in it (处置率 / 反馈率).
 */
export function monthOrdersStatement(db: D1Database, start: number, end: number, defaults: SlaTargets): D1PreparedStatement {
  return db
    .prepare(
      // Rows, not one JSON value as the benches' hours: a busy month's orders as one string could
      // pass D1's 2 MB limit on a value (about 6,000 orders).
      `SELECT w.id, w.site, w.site_kind, w.kind, w.report_id, w.step, w.created_at, w.dispatched_at, w.arrived_at, w.handled_at, w.closed_at,
         w.assignee_team, t.name AS team_name,
         COALESCE(g.dispatch_to_arrival_s, ?3) AS target_a, COALESCE(g.arrival_to_handled_s, ?4) AS target_h
       FROM work_orders w LEFT JOIN teams t ON t.id = w.assignee_team LEFT JOIN work_order_sla_targets g ON g.kind = w.kind
       WHERE (w.dispatched_at >= ?1 AND w.dispatched_at < ?2) OR (w.report_id IS NOT NULL AND w.created_at >= ?1 AND w.created_at < ?2)
       ORDER BY w.id`,
    )
    .bind(start, end, defaults.dispatch_to_arrival_s, defaults.arrival_to_handled_s);
}

export interface ManualScoreRow {
  unit_id: string;
  source: ManualSource;
  score: number;
  note: string | null;
  entered_by: string;
  entered_at: number;
}

export async function manualScores(db: D1Database, month: string): Promise<ManualScoreRow[]> {
  const { results } = await db
    .prepare('SELECT unit_id, source, score, note, entered_by, entered_at FROM ranking_scores WHERE month = ? ORDER BY unit_id, source')
    .bind(month)
    .all<ManualScoreRow>();
  return results;
}

export interface ManualScoreInput {
  unit: string;
  source: ManualSource;
  /** null removes the entry */
  score: number | null;
  note?: string | undefined;
}

/**
 * Upsert (or, for a null score, delete) the month's entered scores in one batch; returns the unit
 * ids that do not exist, writing nothing then.
 */
export async function saveManualScores(
  db: D1Database,
  month: string,
  rows: ManualScoreInput[],
  by: string,
  now: number,
): Promise<string[]> {
  const units = [...new Set(rows.map((r) => r.unit))];
  const { results } = await db
    .prepare('SELECT value AS id FROM json_each(?1) WHERE value NOT IN (SELECT id FROM units)')
    .bind(JSON.stringify(units))
    .all<{ id: string }>();
  if (results.length) return results.map((r) => r.id);
  const set = rows.filter((r) => r.score !== null);
  const unset = rows.filter((r) => r.score === null);
  await db.batch([
    db
      .prepare(
        `INSERT INTO ranking_scores (month, unit_id, source, score, note, entered_by, entered_at)
         SELECT ?1, json_extract(value, '$.unit'), json_extract(value, '$.source'), json_extract(value, '$.score'), json_extract(value, '$.note'), ?2, ?3
         FROM json_each(?4) WHERE true
         ON CONFLICT (month, unit_id, source) DO UPDATE SET score = excluded.score, note = excluded.note, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
      )
      .bind(month, by, now, JSON.stringify(set)),
    db
      .prepare(
        `DELETE FROM ranking_scores WHERE month = ?1 AND EXISTS (SELECT 1 FROM json_each(?2) WHERE json_extract(value, '$.unit') = unit_id AND json_extract(value, '$.source') = source)`,
      )
      .bind(month, JSON.stringify(unset)),
  ]);
  return [];
}
