/**
 * The item rollup rows of a day range for reports that sum them: whole months from item_monthly
 * (kept equal to item_daily by triggers, migration 0013), the days before and after them from
 * item_daily. A year of a province is then ≈ 24,000 monthly rows and a few partial months of daily
 * ones instead of ≈ 730,000 daily rows. Monthly rows carry the month's first day as `day`, so only
 * sums by month or coarser may read them (never a by-day report).
 */
import { wholeMonths } from '../domain/report-periods.ts';

const COLS = 'device_id, item, dispensed, restocked, lent, returned, inferred_out, inferred_in';

/**
 * A CTE named `item_rows` over [from, to] (the statement's placeholders `from`, `to`, e.g. '?1'),
 * reading four more bound values at `first` … `first + 3`; bind them with `itemRowsBinds`.
 */
export function itemRowsCte(from: string, to: string, first: number): string {
  const [fm, lm, ffd, ltd] = [first, first + 1, first + 2, first + 3].map((n) => `?${n}`);
  return `item_rows AS (
    SELECT month || '-01' AS day, ${COLS} FROM item_monthly WHERE month >= ${fm} AND month <= ${lm}
    UNION ALL SELECT day, ${COLS} FROM item_daily WHERE day >= ${from} AND day <= ${to} AND day < ${ffd}
    UNION ALL SELECT day, ${COLS} FROM item_daily WHERE day >= ${from} AND day <= ${to} AND day > ${ltd})`;
}

/** The four values `itemRowsCte` reads: the whole months, or bounds that leave it to the daily rows. */
export function itemRowsBinds(from: string, to: string): [string, string, string, string] {
  const w = wholeMonths(from, to);
  // '~' sorts after every digit: no month matches the monthly branch, the first daily branch takes every day.
  return w ? [w.first, w.last, `${w.first}-01`, `${w.last}-31`] : ['~', '', '~', '~'];
}
