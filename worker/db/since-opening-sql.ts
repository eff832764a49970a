/**
 * Each station's rollups since it opened, as SQL: summed live (the report), and kept per station
 * through a closed month by the hourly cron (migration 0023), which the report reads instead of
 * those months. Both sums are the same SQL, limited to different months, so a station reads the
 * same kept or live.
 *
 * "Since it opened" is every month from the opening month (item_monthly, summed per device in key
 * order) less the opening month's days before opened_on (a short key range of item_daily, usually
 * empty): reading the opening month day by day cost a province 60,000 rows. Months with imported
 * totals are left out: an imported month wins over the rollups of that month.
 */
import { monthsBefore } from '../domain/ranking/month.ts';

/**
 * The statement's part that names the stations: `from` joins devices `dv` and stations `s`,
 * `where` picks them; `months(col)` limits the months summed (col: a month expression).
 */
interface Scope {
  from: string;
  where: string;
  months: (col: string) => string;
}

const OPEN_MONTH = `substr(COALESCE(s.opened_on, '0000-00-00'), 1, 7)`;

/** Per device and item: [station, item, n, later], later = 1 when a month after the opening one counts. */
const itemBranches = ({ from, where, months }: Scope) => `
  SELECT dv.site AS station, m.item, TOTAL(m.dispensed + m.inferred_out) AS n, MAX(m.month > ${OPEN_MONTH}) AS later
  FROM ${from} CROSS JOIN item_monthly m ON m.device_id = dv.id
  WHERE ${where} AND m.month >= ${OPEN_MONTH} AND ${months('m.month')}
    AND NOT EXISTS (SELECT 1 FROM station_monthly_totals t WHERE t.station_id = s.id AND t.month = m.month)
  GROUP BY dv.id, m.item
  UNION ALL
  SELECT dv.site, m.item, -TOTAL(i.dispensed + i.inferred_out), 0
  FROM ${from}
    CROSS JOIN item_monthly m ON m.device_id = dv.id AND m.month = substr(s.opened_on, 1, 7)
    CROSS JOIN item_daily i ON i.device_id = dv.id AND i.item = m.item AND i.day >= m.month || '-01' AND i.day < s.opened_on
  WHERE ${where} AND s.opened_on IS NOT NULL AND ${months('substr(s.opened_on, 1, 7)')}
    AND NOT EXISTS (SELECT 1 FROM station_monthly_totals t WHERE t.station_id = s.id AND t.month = m.month)
  GROUP BY dv.id, m.item`;

/** Per device: [station, n], the visitors, the same way. */
const visitorBranches = ({ from, where, months }: Scope) => `
  SELECT dv.site AS station, TOTAL(m.visitors) AS n
  FROM ${from} CROSS JOIN device_monthly m ON m.device_id = dv.id
  WHERE ${where} AND m.month >= ${OPEN_MONTH} AND ${months('m.month')}
    AND NOT EXISTS (SELECT 1 FROM station_monthly_visitors t WHERE t.station_id = s.id AND t.month = m.month)
  GROUP BY dv.id
  UNION ALL
  SELECT dv.site, -TOTAL(x.visitors)
  FROM ${from} CROSS JOIN device_daily x ON x.device_id = dv.id AND x.day >= substr(s.opened_on, 1, 7) || '-01' AND x.day < s.opened_on
  WHERE ${where} AND s.opened_on IS NOT NULL AND ${months('substr(s.opened_on, 1, 7)')}
    AND NOT EXISTS (SELECT 1 FROM station_monthly_visitors t WHERE t.station_id = s.id AND t.month = substr(s.opened_on, 1, 7))
  GROUP BY dv.id`;

/**
 * The report (bind ?1: a station id, or null for every station): the kept figures, plus the months
 * after them, or every month of a station without a mark. The months' bound sits on the station's
 * row in the opening-month branch, so a kept station is not looked up in item_daily at all.
 */
const READ: Scope = {
  from: `devices dv JOIN stations s ON s.id = dv.site LEFT JOIN station_since_marks mk ON mk.station = s.id`,
  where: `dv.kind = 'station' AND (?1 IS NULL OR s.id = ?1)`,
  months: (col) => `${col} > COALESCE(mk.through, '')`,
};

/** Per station and item: handed out since opening. An item whose only rows are before the opening day nets to 0 and is left out. */
export const SINCE_ITEMS_SQL = `SELECT station, item, TOTAL(n) AS dispensed FROM (
  SELECT k.station, k.item, k.dispensed AS n, k.later
  FROM station_since_marks mk JOIN station_since_items k ON k.station = mk.station AND k.through = mk.through
  WHERE ?1 IS NULL OR mk.station = ?1
  UNION ALL ${itemBranches(READ)}
) GROUP BY 1, 2 HAVING TOTAL(n) <> 0 OR MAX(later) = 1 ORDER BY 1, 2`;

/** Per station: visitors since opening. */
export const SINCE_VISITORS_SQL = `SELECT station, TOTAL(n) AS visitors FROM (
  SELECT mk.station, mk.visitors AS n FROM station_since_marks mk WHERE ?1 IS NULL OR mk.station = ?1
  UNION ALL ${visitorBranches(READ)}
) GROUP BY 1 ORDER BY 1`;

/** The cron's stations (?1: a JSON array of ids), their months up to ?2 (YYYY-MM). */
const KEEP: Scope = {
  from: `devices dv JOIN stations s ON s.id = dv.site`,
  where: `dv.kind = 'station' AND s.id IN (SELECT value FROM json_each(?1))`,
  months: (col) => `${col} <= ?2`,
};

/** Stations whose figures are not kept through ?1 (YYYY-MM), at most ?2. */
export const UNKEPT_SQL = `SELECT id FROM stations s
  WHERE NOT EXISTS (SELECT 1 FROM station_since_marks mk WHERE mk.station = s.id AND mk.through = ?1) ORDER BY id LIMIT ?2`;

/** At most this many stations are kept per cron run (a province's 800 in one). */
export const STATIONS_PER_RUN = 1000;

/**
 * One run's writes as [statement, binds], in one transaction (the worker's batch, the province
 * benchmark's BEGIN … COMMIT on the file): the stations' old items go, their items and marks
 * through `through` are written from the rollups as they are in that transaction.
 */
export function keepSinceStatements(ids: readonly string[], through: string, now: number): Array<[sql: string, binds: unknown[]]> {
  const list = JSON.stringify(ids);
  return [
    ['DELETE FROM station_since_items WHERE station IN (SELECT value FROM json_each(?1))', [list]],
    [
      `INSERT INTO station_since_items (station, item, through, dispensed, later)
       SELECT station, item, ?2, TOTAL(n), MAX(later) FROM (${itemBranches(KEEP)}) GROUP BY station, item`,
      [list, through],
    ],
    [
      `INSERT OR REPLACE INTO station_since_marks (station, through, visitors, kept_at)
       SELECT s.id, ?2, COALESCE(v.n, 0), ?3 FROM stations s
         LEFT JOIN (SELECT station, TOTAL(n) AS n FROM (${visitorBranches(KEEP)}) GROUP BY station) v ON v.station = s.id
       WHERE s.id IN (SELECT value FROM json_each(?1))`,
      [list, through, now],
    ],
  ];
}

/** The month the cron keeps through on `today` (YYYY-MM-DD): the last closed one. */
export const keptThrough = (today: string): string => monthsBefore(today.slice(0, 7), 1);
