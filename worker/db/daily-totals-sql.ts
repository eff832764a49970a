/**
 * The statements behind the overview's kept daily sums (worker/db/daily-totals.ts), as text with
 * no D1 types, so the province benchmark can run the cron's on the SQLite file.
 */
import { addDays } from '../domain/local-time.ts';
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
 * The same sums per closed week (migration 0020), from the week's seven kept days, for the weeks
 * (binds: a JSON array of Mondays, now) whose seven days are all kept in this transaction: a
 * week's stale rows go first, then its sums and its kept_weeks row are written together.
 */
const WEEK_WHOLE = `(SELECT COUNT(*) FROM daily_totals t WHERE t.day >= w.value AND t.day <= date(w.value, '+6 days')) = 7
  AND NOT EXISTS (SELECT 1 FROM kept_weeks x WHERE x.week = w.value)`;
const DROP_WEEK_ITEMS_SQL = `DELETE FROM district_item_weekly
  WHERE week IN (SELECT value FROM json_each(?1)) AND week NOT IN (SELECT week FROM kept_weeks)`;
const KEEP_WEEK_ITEMS_SQL = `INSERT INTO district_item_weekly (week, district, item, dispensed, inferred_out, restocked, inferred_in, lent, returned)
  SELECT w.value, k.district, k.item, TOTAL(k.dispensed), TOTAL(k.inferred_out), TOTAL(k.restocked), TOTAL(k.inferred_in), TOTAL(k.lent), TOTAL(k.returned)
  FROM json_each(?1) w CROSS JOIN district_item_daily k ON k.day >= w.value AND k.day <= date(w.value, '+6 days')
  WHERE ${WEEK_WHOLE}
  GROUP BY w.value, k.district, k.item`;
const KEEP_WEEKS_SQL = `INSERT INTO kept_weeks (week, kept_at) SELECT w.value, ?2 FROM json_each(?1) w WHERE ${WEEK_WHOLE}`;

/** At most this many weeks are kept per cron run (a year after the migration in one). */
export const WEEKS_PER_RUN = 60;

/**
 * The Mondays whose seven days are all in `days` (kept or being kept) and that are not kept yet,
 * newest first, at most WEEKS_PER_RUN.
 */
export function weeksToKeep(days: Iterable<string>, kept: ReadonlySet<string>): string[] {
  const count = new Map<string, number>();
  for (const d of days) {
    const w = weekStart(d);
    count.set(w, (count.get(w) ?? 0) + 1);
  }
  return [...count]
    .filter(([w, n]) => n === 7 && !kept.has(w))
    .map(([w]) => w)
    .sort()
    .reverse()
    .slice(0, WEEKS_PER_RUN);
}

/**
 * One cron run's writes, in order, as [statement, binds]: one transaction (the worker's batch, the
 * province benchmark's BEGIN … COMMIT on the file). `days`: the days to keep (daysToKeep); `have`:
 * the days kept already; `keptWeeks`: the weeks kept already. Empty when there is nothing to do.
 */
export function keepStatements(
  p: { days: readonly string[]; have: ReadonlySet<string>; keptWeeks: ReadonlySet<string> },
  now: number,
  yesterday: string,
): Array<[sql: string, binds: unknown[]]> {
  const weeks = weeksToKeep([...p.have, ...p.days], p.keptWeeks);
  const days = JSON.stringify(p.days);
  const wk = JSON.stringify(weeks);
  return [
    ...(p.days.length
      ? ([
          [DROP_DISTRICT_ITEMS_SQL, [days]],
          [KEEP_DISTRICT_ITEMS_SQL, [days]],
          [KEEP_SQL, [days, now, yesterday]],
        ] as Array<[string, unknown[]]>)
      : []),
    ...(weeks.length
      ? ([
          [DROP_WEEK_ITEMS_SQL, [wk]],
          [KEEP_WEEK_ITEMS_SQL, [wk]],
          [KEEP_WEEKS_SQL, [wk, now]],
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
