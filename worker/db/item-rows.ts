/**
 * The item rollup rows of a day range for reports that sum them: whole months from item_monthly
 * (kept equal to item_daily by triggers, migration 0013), the days before and after them from
 * item_daily. A year of a province is then ≈ 24,000 monthly rows and a few partial months of daily
 * ones instead of ≈ 730,000 daily rows. Only sums over the range or by month may read them (never
 * a by-day or by-week report).
 */
import { monthPlan, wholeMonths } from '../domain/report-periods.ts';

const COLS = 'device_id, item, dispensed, restocked, lent, returned, inferred_out, inferred_in';
const SUMS =
  'TOTAL(dispensed) AS dispensed, TOTAL(restocked) AS restocked, TOTAL(lent) AS lent, TOTAL(returned) AS returned, TOTAL(inferred_out) AS inferred_out, TOTAL(inferred_in) AS inferred_in';

/**
 * A CTE named `item_rows` over [from, to] (the statement's placeholders `from`, `to`, e.g. '?1'),
 * reading four more bound values at `first` … `first + 3`; bind them with `itemRowsBinds`. One
 * row per device and item, so the joins that place a device run a few thousand times, not once
 * per daily row; `day` is the first day with data inside the range (a filter on the range keeps
 * every row). For sums over the whole range; a by-month report reads `monthPlanCte`.
 */
export function itemRowsCte(from: string, to: string, first: number): string {
  const [fm, lm, ffd, ltd] = [first, first + 1, first + 2, first + 3].map((n) => `?${n}`);
  return `item_rows AS (SELECT MIN(day) AS day, device_id, item, ${SUMS} FROM (
    SELECT month || '-01' AS day, ${COLS} FROM item_monthly WHERE month >= ${fm} AND month <= ${lm}
    UNION ALL SELECT day, ${COLS} FROM item_daily WHERE day >= ${from} AND day < ${ffd}
    UNION ALL SELECT day, ${COLS} FROM item_daily WHERE day > ${ltd} AND day <= ${to})
    GROUP BY device_id, item)`;
}

/**
 * The devices whose supplies the reports count: station controllers placed at a station of a
 * district (what the reports' inner joins keep). As an `IN` list it lets a report that needs no
 * place (by item, by day) sum the rollup rows without three table look-ups per row.
 */
export const PLACED_STATION_DEVICES_SQL = `SELECT dv.id FROM devices dv JOIN stations s ON s.id = dv.site JOIN districts d ON d.id = s.district WHERE dv.kind = 'station'`;

/**
 * The daily rows `i` that count per district (`s.district`): station controllers placed at a
 * station of a district. The kept sums and the report's live days use this one join, so a kept
 * day and the same day summed live agree.
 */
export const STATION_DISTRICT_JOIN = `JOIN devices dv ON dv.id = i.device_id AND dv.kind = 'station'
  JOIN stations s ON s.id = dv.site JOIN districts x ON x.id = s.district`;

/**
 * The four values `itemRowsCte` reads: the whole months and the days before and after them, or
 * bounds that leave it all to the first daily branch. Each daily branch has one lower and one
 * upper bound, so SQLite seeks exactly its days in the day index (two upper bounds on one column
 * would leave one of them a filter over the whole range).
 */
export function itemRowsBinds(from: string, to: string): [string, string, string, string] {
  const w = wholeMonths(from, to);
  // '~' sorts after every digit: `${to}~` is just past the day `to`, and '~' past every day.
  return w ? [w.first, w.last, `${w.first}-01`, `${w.last}-31`] : ['~', '', `${to}~`, '~'];
}

const NEG_COLS = 'device_id, item, -dispensed, -restocked, -lent, -returned, -inferred_out, -inferred_in';
/** An empty day range for a branch the plan does not use: no day is ≥ '~' and ≤ ''. */
const NONE = ['~', ''] as const;

/**
 * `item_rows` by month for a by-month report, read along `monthPlan`: edge months whole from
 * item_monthly less the days outside the range, when that reads fewer daily rows (a year from
 * the 2nd of a month: 2 days per device, not 31). Ten bound values at `first` … `first + 9`
 * (`monthPlanBinds`). Rows are per month, device and item with `day` the month's first day in
 * the range; a subtracted day belongs to the month it corrects, so no row of another month or
 * day outside the range survives, though a group can sum to zero (the report drops those).
 */
export function monthPlanCte(from: string, first: number): string {
  const b = Array.from({ length: 10 }, (_, i) => `?${first + i}`);
  const clipped = (month: string) => `MAX(${month} || '-01', ${from})`;
  return `item_rows AS (SELECT MIN(day) AS day, device_id, item, ${SUMS} FROM (
    SELECT ${clipped('month')} AS day, ${COLS} FROM item_monthly WHERE month >= ${b[0]} AND month <= ${b[1]}
    UNION ALL SELECT day, ${COLS} FROM item_daily WHERE day >= ${b[2]} AND day <= ${b[3]}
    UNION ALL SELECT day, ${COLS} FROM item_daily WHERE day >= ${b[4]} AND day <= ${b[5]}
    UNION ALL SELECT ${clipped('substr(day, 1, 7)')}, ${NEG_COLS} FROM item_daily WHERE day >= ${b[6]} AND day <= ${b[7]}
    UNION ALL SELECT ${clipped('substr(day, 1, 7)')}, ${NEG_COLS} FROM item_daily WHERE day >= ${b[8]} AND day <= ${b[9]})
    GROUP BY substr(day, 1, 7), device_id, item)`;
}

/** The ten values `monthPlanCte` reads: months, two added and two subtracted day ranges. */
export function monthPlanBinds(from: string, to: string): string[] {
  const p = monthPlan(from, to);
  const range = (r: readonly [string, string] | undefined) => [...(r ?? NONE)];
  return [
    ...(p.months ? [p.months.first, p.months.last] : NONE),
    ...range(p.add[0]),
    ...range(p.add[1]),
    ...range(p.subtract[0]),
    ...range(p.subtract[1]),
  ];
}
