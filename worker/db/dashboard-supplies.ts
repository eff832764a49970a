import { ApiError } from '../errors.ts';
import type { Period } from '../domain/report-periods.ts';
import { keptSumsCte } from './kept-sums.ts';
import { monthPlanBinds, monthPlanCte } from './item-rows.ts';
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
