/**
 * The station controllers' supplies as the minute cron keeps them: per closed day (migration
 * 0019), per closed week and month (migration 0020), per district and item. The supplies reports
 * (the dashboard's and the contract's /supplies) read them through one CTE, so every report sums
 * the same rows the same way whichever of them are kept.
 */
import type { Period } from '../domain/report-periods.ts';
import { STATION_DISTRICT_JOIN } from './item-rows.ts';

// The kept periods wholly inside [?1, ?2] a report by day, week or month can read.
const WHOLE_SQL: Record<Period, string> = {
  day: '0',
  week: "length(period) = 10 AND period >= ?1 AND date(period, '+6 days') <= ?2",
  month: "length(period) = 7 AND period || '-01' >= ?1 AND date(period || '-01', '+1 month', '-1 day') <= ?2",
};

/**
 * `item_rows(period, district, item, dispensed, inferred_out, restocked, inferred_in, lent,
 * returned)`. Binds ?1 from, ?2 to. Station controllers' sums per period, district (or '' when
 * not by district) and item, from what the cron keeps and, live, from the daily rollups of the
 * days it has not kept (today, a day a late reading changed):
 *   - by week or month, the periods kept whole (migration 0020: valid while the kept_periods row
 *     exists) that lie wholly in the range;
 *   - the other closed days kept (migration 0019: valid while the day's daily_totals row exists);
 *   - each other day through the day index (CROSS JOIN: the days first; the other way round
 *     SQLite walked the whole index once per day).
 * Each branch groups its own rows before the union, so the report merges the few sums a period
 * can have twice (a period partly kept), not every day. A province year by week and district
 * reads 5,500 kept rows, not 34,000 kept days' nor 876,000 daily rollups.
 */
export function keptSumsCte(period: Period, byDistrict: boolean): string {
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
