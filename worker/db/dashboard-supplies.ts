import { ApiError } from '../errors.ts';
import type { Period } from '../domain/report-periods.ts';
import { monthPlanBinds, monthPlanCte, STATION_DISTRICT_JOIN } from './item-rows.ts';
import { rowsOf } from './rows.ts';
import type { MapBaseT, SuppliesGroupT, SuppliesReportT } from '../schemas/dashboard.ts';

/** A report larger than this is refused rather than sent (tens of MB no screen or sheet can use). */
export const MAX_ROWS = 50_000;

/** The supplies report, bucketed by local day, ISO week (Monday) or month; rows with nothing moved are left out. */

// Fixed SQL fragments picked by an enum, never text from the request.
const PERIOD_SQL: Record<Period, string> = {
  day: 'i.day',
  week: "date(i.day, '-6 days', 'weekday 1')",
  month: 'substr(i.day, 1, 7)',
};
const PLACE_SQL: Record<'item' | 'district', { key: string; name: string }> = {
  item: { key: "''", name: "''" },
  district: { key: 'd.id', name: 'd.name' },
};

/**
 * Binds ?1 from, ?2 to. Station controllers' sums per period, district (or none: by item) and
 * item, from what the cron keeps and, live, from the daily rollups of the days it has not kept
 * (today, a day a late reading changed):
 *   - by week or month, the periods kept whole (migration 0020: valid while the kept_periods row
 *     exists) that lie wholly in the range;
 *   - the other closed days kept (migration 0019: valid while the day's daily_totals row exists);
 *   - each other day through the day index (CROSS JOIN: the days first; the other way round
 *     SQLite walked the whole index once per day).
 * Each branch groups its own rows before the union, so the report merges the few sums a period
 * can have twice (a period partly kept), not every day. A province year by week and district
 * reads 5,500 kept rows, not 34,000 kept days' nor 876,000 daily rollups.
 */
const WHOLE_SQL: Record<Period, string> = {
  day: '0',
  week: "length(period) = 10 AND period >= ?1 AND date(period, '+6 days') <= ?2",
  month: "length(period) = 7 AND period || '-01' >= ?1 AND date(period || '-01', '+1 month', '-1 day') <= ?2",
};

function keptSumsCte(period: Period, byDistrict: boolean): string {
  const place = (t: string) => (byDistrict ? `${t}.district` : "''");
  // Summed when the branch has more than one row for a period, district and item.
  const sums = (t: string, merge: boolean) =>
    merge
      ? `TOTAL(${t}.dispensed) AS dispensed, TOTAL(${t}.inferred_out) AS inferred_out, TOTAL(${t}.restocked) AS restocked,
      TOTAL(${t}.inferred_in) AS inferred_in, TOTAL(${t}.lent) AS lent, TOTAL(${t}.returned) AS returned`
      : `${t}.dispensed, ${t}.inferred_out, ${t}.restocked, ${t}.inferred_in, ${t}.lent, ${t}.returned`;
  const by = (merge: boolean) => (merge ? 'GROUP BY 1, 2, 3' : '');
  // A kept day or period is one row per district and item: by day and district nothing merges.
  const dayMerge = period !== 'day' || !byDistrict;
  return `RECURSIVE span(day, week, month) AS (
    SELECT ?1, date(?1, '-6 days', 'weekday 1'), substr(?1, 1, 7)
    UNION ALL SELECT date(day, '+1 day'), date(day, '+1 day', '-6 days', 'weekday 1'), substr(date(day, '+1 day'), 1, 7)
      FROM span WHERE day < ?2),
  kept AS (SELECT day FROM daily_totals WHERE day >= ?1 AND day <= ?2),
  whole AS (SELECT period FROM kept_periods WHERE ${WHOLE_SQL[period]}),
  item_rows AS (
    SELECT w.period, ${place('k')} AS district, k.item, ${sums('k', !byDistrict)}
    FROM whole w CROSS JOIN district_item_periods k ON k.period = w.period ${by(!byDistrict)}
    UNION ALL
    SELECT span.${period}, ${place('k')}, k.item, ${sums('k', dayMerge)}
    FROM span CROSS JOIN district_item_daily k ON k.day = span.day WHERE span.day IN kept AND span.${period} NOT IN whole ${by(dayMerge)}
    UNION ALL
    SELECT span.${period}, ${place('s')}, i.item, ${sums('i', dayMerge)}
    FROM span CROSS JOIN item_daily i INDEXED BY item_daily_day ON i.day = span.day ${STATION_DISTRICT_JOIN}
    WHERE span.day NOT IN kept ${by(dayMerge)})`;
}

const TOTALS = `TOTAL(i.dispensed) AS dispensed, TOTAL(i.inferred_out) AS inferred_out, TOTAL(i.restocked + i.inferred_in) AS restocked, TOTAL(i.inferred_in) AS inferred_in,
    TOTAL(i.lent) AS lent, TOTAL(i.returned) AS returned, TOTAL(i.dispensed) + TOTAL(i.inferred_out) AS distributed`;
const MOVED = 'HAVING TOTAL(i.dispensed + i.inferred_out + i.restocked + i.inferred_in + i.lent + i.returned) > 0';

/** From the kept sums (see keptSumsCte), per item or district. */
function keptSql(period: Period, group: 'item' | 'district'): string {
  const place = PLACE_SQL[group];
  return `WITH ${keptSumsCte(period, group === 'district')} SELECT i.period, ${place.key} AS place, ${place.name} AS place_name, i.item, ${TOTALS}
    FROM item_rows i ${group === 'district' ? 'JOIN districts d ON d.id = i.district' : ''}
    GROUP BY 1, 2, 3, 4 ${MOVED} ORDER BY 1, 2, 4 LIMIT ?3`;
}

/** By station: from the daily rollups, or the monthly and daily ones by month. */
function stationSql(period: Period): string {
  const monthly = period === 'month';
  return `${monthly ? `WITH ${monthPlanCte('?1', 4)} ` : ''}SELECT ${PERIOD_SQL[period]} AS period, s.id AS place, s.name AS place_name, i.item, ${TOTALS}
    FROM ${monthly ? 'item_rows' : 'item_daily'} i JOIN devices dv ON dv.id = i.device_id AND dv.kind = 'station'
    JOIN stations s ON s.id = dv.site JOIN districts d ON d.id = s.district
    WHERE i.day >= ?1 AND i.day <= ?2
    GROUP BY 1, 2, 3, 4 ${MOVED} ORDER BY 1, 2, 4 LIMIT ?3`;
}

export async function suppliesReport(
  db: D1Database,
  q: { from: string; to: string; group: SuppliesGroupT; period: Period; tz: string },
): Promise<SuppliesReportT> {
  // Per item or district, the sums the cron keeps. Per station by month, months come from the
  // monthly rollups, edge days from the daily ones (worker/db/item-rows.ts).
  const monthly = q.group === 'station' && q.period === 'month';
  const sql = q.group === 'station' ? stationSql(q.period) : keptSql(q.period, q.group);
  // A year by week and district is 5,500 rows: read raw (worker/db/rows.ts), sent as they come.
  const results = await rowsOf<SuppliesReportT['rows'][number]>(
    db.prepare(sql).bind(q.from, q.to, MAX_ROWS + 1, ...(monthly ? monthPlanBinds(q.from, q.to) : [])),
  );
  if (results.length > MAX_ROWS) {
    throw new ApiError(
      'validation_failed',
      `The report would have more than ${MAX_ROWS} rows; choose a longer period (week, month), a coarser grouping or a shorter range`,
      {
        errors: [{ in: 'query', pointer: '/period', message: `more than ${MAX_ROWS} rows` }],
      },
    );
  }
  return {
    from: q.from,
    to: q.to,
    tz: q.tz,
    group: q.group,
    period: q.period,
    rows: results,
  };
}

/** Parks and district label points (mean of their stations and parks) for the offline base map. */
export async function mapBase(db: D1Database): Promise<Omit<MapBaseT, 'streets'>> {
  const [parks, districts] = await db.batch([
    db.prepare('SELECT id, name, district, lat, lon FROM parks ORDER BY id'),
    db.prepare(`SELECT d.id, d.name, d.boundary, AVG(p.lat) AS lat, AVG(p.lon) AS lon FROM districts d LEFT JOIN (
        SELECT district, lat, lon FROM parks UNION ALL SELECT district, lat, lon FROM stations) p ON p.district = d.id
      GROUP BY d.id, d.name ORDER BY d.id`),
  ]);
  type DistrictRow = { id: string; name: string; boundary: string | null; lat: number | null; lon: number | null };
  return {
    parks: parks!.results as MapBaseT['parks'],
    districts: (districts!.results as DistrictRow[]).map((d) => ({ ...d, boundary: parseGeometry(d.boundary) })),
  };
}

function parseGeometry(text: string | null): MapBaseT['districts'][number]['boundary'] {
  if (!text) return null;
  try {
    const g = JSON.parse(text) as { type?: unknown; coordinates?: unknown };
    return (g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.coordinates)
      ? { type: g.type, coordinates: g.coordinates }
      : null;
  } catch {
    return null;
  }
}
