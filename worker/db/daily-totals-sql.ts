/**
 * The statements behind the overview's kept daily sums (worker/db/daily-totals.ts), as text with
 * no D1 types, so the province benchmark can run the cron's on the SQLite file.
 */
import { addDays } from '../domain/local-time.ts';
import { lastDayOf } from '../domain/ranking/month.ts';
import { weekStart } from '../domain/report-periods.ts';
import { STATION_DISTRICT_JOIN } from './item-rows.ts';

/** How many closed days the overview reads (two 30-day periods, today live). */
export const KEPT_DAYS = 59;

// Distributed = dispense events + stock drops no event explains. Supplies by item count every
// device's rows; by district only station controllers placed at a station (summed per device
// first, then placed: a few thousand look-ups, not one per daily row).
const SUPPLY = `SELECT item, TOTAL(dispensed + inferred_out) AS n FROM item_daily WHERE day = DAY GROUP BY item`;
const DISTRICT_SUPPLY = `SELECT s.district AS k, TOTAL(i.n) AS n FROM (
    SELECT device_id, TOTAL(dispensed + inferred_out) AS n FROM item_daily WHERE day = DAY GROUP BY device_id) i
  JOIN devices dv ON dv.id = i.device_id AND dv.kind = 'station' JOIN stations s ON s.id = dv.site GROUP BY s.district`;
const DISTRICT_CHARGING = `SELECT p.district AS k, TOTAL(dd.sessions) AS se, TOTAL(dd.energy_wh) AS en FROM device_daily dd
  JOIN devices dv ON dv.id = dd.device_id AND dv.kind = 'bench' JOIN parks p ON p.id = dv.site WHERE dd.day = DAY GROUP BY p.district`;

/** One day's figures as one row of JSON, `DAY` being the day's SQL expression. */
const dayRowSql = (day: string) => {
  const at = (sql: string) => sql.replaceAll('DAY', day);
  return `(SELECT json_group_object(item, n) FROM (${at(SUPPLY)})) AS supply,
    (SELECT json_group_object(k, n) FROM (${at(DISTRICT_SUPPLY)})) AS district_supply,
    (SELECT TOTAL(sessions) FROM device_daily WHERE day = ${day}) AS sessions,
    (SELECT TOTAL(energy_wh) FROM device_daily WHERE day = ${day}) AS energy_wh,
    (SELECT json_group_object(k, json_array(se, en)) FROM (${at(DISTRICT_CHARGING)})) AS district_charging`;
};

// Yesterday so far (the overview compares today with yesterday until the same local hour): the
// station controllers' item hours, the IN lists letting SQLite seek item_hourly's primary key.
const ITEM_HOURS = `SELECT hour, item, TOTAL(dispensed + inferred_out) AS n FROM item_hourly
  WHERE device_id IN (SELECT id FROM devices WHERE kind = 'station') AND item IN (SELECT code FROM items) AND day = DAY GROUP BY hour, item`;

/** A day's station supplies per hour and item as one JSON array, `DAY` being the day's SQL expression. */
const itemHoursJson = (day: string) =>
  `SELECT json_group_array(json_array(hour, item, n)) AS supply_by_hour FROM (${ITEM_HOURS.replaceAll('DAY', day)})`;

/** Binds: a day. Its station supplies per hour and item, as kept in `supply_by_hour`. */
export const ITEM_HOURS_SQL = itemHoursJson('?1');

/**
 * Binds: a JSON array of days, now, the first day whose hours are kept too (yesterday). The days
 * that lack a row, summed and written in one statement: a reading that lands meanwhile deletes
 * the row after it is written (triggers), never before, so a kept row is never older than the
 * rollups it sums.
 */
const KEEP_SQL = `INSERT INTO daily_totals (day, supply, district_supply, sessions, energy_wh, district_charging, supply_by_hour, kept_at)
  SELECT d.value, ${dayRowSql('d.value')}, CASE WHEN d.value >= ?3 THEN (${itemHoursJson('d.value')}) END, ?2 FROM json_each(?1) d
  WHERE NOT EXISTS (SELECT 1 FROM daily_totals t WHERE t.day = d.value)
  ON CONFLICT (day) DO NOTHING`;

/**
 * The supplies report's sums per day, district and item (migration 0019), as the report sums them
 * live: station controllers placed at a station. Written in the same transaction as the day's
 * daily_totals row, for the days that lack one (binds: a JSON array of days), after the rows an
 * earlier keep left for them are dropped.
 */
const DROP_DISTRICT_ITEMS_SQL = `DELETE FROM district_item_daily
  WHERE day IN (SELECT value FROM json_each(?1)) AND day NOT IN (SELECT day FROM daily_totals)`;
const KEEP_DISTRICT_ITEMS_SQL = `INSERT INTO district_item_daily (day, district, item, dispensed, inferred_out, restocked, inferred_in, lent, returned)
  SELECT i.day, s.district, i.item, TOTAL(i.dispensed), TOTAL(i.inferred_out), TOTAL(i.restocked), TOTAL(i.inferred_in), TOTAL(i.lent), TOTAL(i.returned)
  FROM json_each(?1) d CROSS JOIN item_daily i INDEXED BY item_daily_day ON i.day = d.value
  ${STATION_DISTRICT_JOIN}
  WHERE NOT EXISTS (SELECT 1 FROM daily_totals t WHERE t.day = d.value)
  GROUP BY i.day, s.district, i.item`;

/**
 * The same sums per closed week and month (migration 0020), from the period's kept days, for the
 * periods (binds: a JSON array of Mondays YYYY-MM-DD and months YYYY-MM, now) whose days are all
 * kept in this transaction: a period's stale rows go first, then its sums and its kept_periods row
 * are written together.
 */
const PERIOD_BOUNDS = `periods(period, first, last) AS (SELECT value,
    CASE WHEN length(value) = 7 THEN value || '-01' ELSE value END,
    CASE WHEN length(value) = 7 THEN date(value || '-01', '+1 month', '-1 day') ELSE date(value, '+6 days') END
  FROM json_each(?1))`;
const PERIOD_WHOLE = `(SELECT COUNT(*) FROM daily_totals t WHERE t.day >= p.first AND t.day <= p.last) = julianday(p.last) - julianday(p.first) + 1
  AND NOT EXISTS (SELECT 1 FROM kept_periods x WHERE x.period = p.period)`;
const DROP_PERIOD_ITEMS_SQL = `DELETE FROM district_item_periods
  WHERE period IN (SELECT value FROM json_each(?1)) AND period NOT IN (SELECT period FROM kept_periods)`;
const KEEP_PERIOD_ITEMS_SQL = `WITH ${PERIOD_BOUNDS}
  INSERT INTO district_item_periods (period, district, item, dispensed, inferred_out, restocked, inferred_in, lent, returned)
  SELECT p.period, k.district, k.item, TOTAL(k.dispensed), TOTAL(k.inferred_out), TOTAL(k.restocked), TOTAL(k.inferred_in), TOTAL(k.lent), TOTAL(k.returned)
  FROM periods p CROSS JOIN district_item_daily k ON k.day >= p.first AND k.day <= p.last
  WHERE ${PERIOD_WHOLE}
  GROUP BY p.period, k.district, k.item`;
const KEEP_PERIODS_SQL = `WITH ${PERIOD_BOUNDS} INSERT INTO kept_periods (period, kept_at) SELECT p.period, ?2 FROM periods p WHERE ${PERIOD_WHOLE}`;

/** At most this many weeks and months are kept per cron run (a year after the migration in one). */
export const PERIODS_PER_RUN = 80;

/**
 * The weeks (their Mondays) and months (YYYY-MM) whose days are all in `days` (kept or being
 * kept) and that are not kept yet, newest first, at most PERIODS_PER_RUN.
 */
export function periodsToKeep(days: Iterable<string>, kept: ReadonlySet<string>): string[] {
  const count = new Map<string, number>();
  const add = (p: string) => count.set(p, (count.get(p) ?? 0) + 1);
  for (const d of days) {
    add(weekStart(d));
    add(d.slice(0, 7));
  }
  const size = (p: string) => (p.length === 7 ? Number(lastDayOf(p).slice(8)) : 7);
  return [...count]
    .filter(([p, n]) => n === size(p) && !kept.has(p))
    .map(([p]) => p)
    .sort()
    .reverse()
    .slice(0, PERIODS_PER_RUN);
}

/**
 * One cron run's writes, in order, as [statement, binds]: one transaction (the worker's batch, the
 * province benchmark's BEGIN … COMMIT on the file). `days`: the days to keep (daysToKeep); `have`:
 * the days kept already; `keptPeriods`: the weeks and months kept already. Empty when there is
 * nothing to do.
 */
export function keepStatements(
  p: { days: readonly string[]; have: ReadonlySet<string>; keptPeriods: ReadonlySet<string> },
  now: number,
  yesterday: string,
): Array<[sql: string, binds: unknown[]]> {
  const periods = periodsToKeep([...p.have, ...p.days], p.keptPeriods);
  const days = JSON.stringify(p.days);
  const list = JSON.stringify(periods);
  return [
    ...(p.days.length
      ? ([
          [DROP_DISTRICT_ITEMS_SQL, [days]],
          [KEEP_DISTRICT_ITEMS_SQL, [days]],
          [KEEP_SQL, [days, now, yesterday]],
        ] as Array<[string, unknown[]]>)
      : []),
    ...(periods.length
      ? ([
          [DROP_PERIOD_ITEMS_SQL, [list]],
          [KEEP_PERIOD_ITEMS_SQL, [list]],
          [KEEP_PERIODS_SQL, [list, now]],
        ] as Array<[string, unknown[]]>)
      : []),
  ];
}

/** The first local day with a daily rollup (each table's day index: two seeks). */
export const FIRST_DAY_SQL = `SELECT COALESCE(MIN(i, d), i, d) AS day
  FROM (SELECT (SELECT MIN(day) FROM item_daily) AS i, (SELECT MIN(day) FROM device_daily) AS d)`;

/** Binds: a JSON array of days. The same figures, summed now. */
export const LIVE_SQL = `SELECT d.value AS day, ${dayRowSql('d.value')} FROM json_each(?1) d`;

export const READ_SQL = `SELECT day, supply, district_supply, sessions, energy_wh, district_charging, supply_by_hour FROM daily_totals WHERE day >= ?1 AND day <= ?2`;

/** At most this many days are kept per cron run: after midnight one; a year after the migration in six minutes. */
export const KEEP_PER_RUN = 62;

/**
 * The closed days to keep on `today`, newest first, at most KEEP_PER_RUN: every day from the first
 * with data (`first`, null: none) or the overview's first, whichever is earlier, to yesterday,
 * that has no row in `have`.
 */
export function daysToKeep(today: string, first: string | null, have: ReadonlySet<string>): string[] {
  const overviewFirst = closedDays(today)[0]!;
  const start = first !== null && first < overviewFirst ? first : overviewFirst;
  const out: string[] = [];
  for (let d = addDays(today, -1); d >= start && out.length < KEEP_PER_RUN; d = addDays(d, -1)) if (!have.has(d)) out.push(d);
  return out;
}

/** The closed days the overview reads on `today`, oldest first. */
export function closedDays(today: string): string[] {
  return Array.from({ length: KEPT_DAYS }, (_, i) => addDays(today, i - KEPT_DAYS));
}
