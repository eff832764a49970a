import { addDays, dayCount, daysBetween } from './local-time.ts';
import { lastDayOf, monthsBefore } from './ranking/month.ts';

/**
 * Reporting periods over the city's local calendar, shared by the dashboard API and the web
 * client (which zero-fills its charts with the same keys). Pure.
 */
export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** Monday of the ISO week that holds `day` (both YYYY-MM-DD). */
export function weekStart(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** The bucket a local day falls in: the day itself, its week's Monday, or YYYY-MM. */
export function periodKey(day: string, period: Period): string {
  if (period === 'day') return day;
  if (period === 'week') return weekStart(day);
  return day.slice(0, 7);
}

/** Every bucket key from `from` to `to` (inclusive), in order, without gaps. */
export function periodKeys(from: string, to: string, period: Period): string[] {
  const out: string[] = [];
  for (const d of daysBetween(from, to)) {
    const k = periodKey(d, period);
    if (out[out.length - 1] !== k) out.push(k);
  }
  return out;
}

/** A window of `days` local days ending on `today`, and the equally long window before it. */
export interface Window {
  from: string;
  to: string;
  prevFrom: string;
  prevTo: string;
}

export function trailingWindow(today: string, days: number): Window {
  const from = addDays(today, -(days - 1));
  return { from, to: today, prevFrom: addDays(from, -days), prevTo: addDays(from, -1) };
}

/**
 * Rows keyed by bucket → one value per key in `keys`, 0 where no row exists, so a chart never
 * joins two points across a day with no data.
 */
export function zeroFill<T>(keys: readonly string[], rows: readonly T[], key: (r: T) => string, value: (r: T) => number): number[] {
  const byKey = new Map<string, number>();
  for (const r of rows) byKey.set(key(r), (byKey.get(key(r)) ?? 0) + value(r));
  return keys.map((k) => byKey.get(k) ?? 0);
}

/** Relative change against the previous period; null when there is nothing to compare with. */
export function change(current: number, previous: number): number | null {
  if (previous === 0) return current === 0 ? 0 : null;
  return (current - previous) / previous;
}

/**
 * The whole calendar months inside [from, to] (first and last YYYY-MM), or null when none: a
 * report reads those from the monthly rollups and only the days around them from the daily ones.
 * Years before 1000 are left to the daily rollups (Date reads years 0–99 as 1900–1999).
 */
export function wholeMonths(from: string, to: string): { first: string; last: string } | null {
  if (from < '1000' || from > to) return null;
  let a = from;
  for (let i = 0; i < 31 && !a.endsWith('-01'); i++) a = addDays(a, 1);
  let b = to;
  for (let i = 0; i < 31 && !addDays(b, 1).endsWith('-01'); i++) b = addDays(b, -1);
  return a.endsWith('-01') && addDays(b, 1).endsWith('-01') && a <= b ? { first: a.slice(0, 7), last: b.slice(0, 7) } : null;
}

/** Inclusive day ranges [first, last]. */
export type DayRange = readonly [first: string, last: string];

/**
 * How to sum [from, to] with the fewest daily rows: months read whole from the monthly rollups,
 * day ranges added from the daily ones, and day ranges subtracted (the days of a month read whole
 * that lie outside [from, to]). An edge month is read whole and corrected when fewer of its days
 * fall outside the range than inside: "the last 365 days" from 2 December reads December whole
 * less its first day, not 30 daily rows per device. Every day of [from, to] is counted exactly
 * once and no other day at all. Pure.
 */
export interface MonthPlan {
  months: { first: string; last: string } | null;
  add: DayRange[];
  subtract: DayRange[];
}

const monthOf = (day: string) => day.slice(0, 7);

export function monthPlan(from: string, to: string): MonthPlan {
  if (from < '1000' || from > to) return { months: null, add: from <= to ? [[from, to]] : [], subtract: [] };
  const mf = monthOf(from);
  const ml = monthOf(to);
  if (mf === ml) {
    const inside = dayCount(from, to);
    const outside = dayCount(`${mf}-01`, lastDayOf(mf)) - inside;
    if (outside >= inside) return { months: null, add: [[from, to]], subtract: [] };
    const subtract: DayRange[] = [];
    if (from > `${mf}-01`) subtract.push([`${mf}-01`, addDays(from, -1)]);
    if (to < lastDayOf(mf)) subtract.push([addDays(to, 1), lastDayOf(mf)]);
    return { months: { first: mf, last: mf }, add: [], subtract };
  }
  const add: DayRange[] = [];
  const subtract: DayRange[] = [];
  let first = mf;
  if (from !== `${mf}-01`) {
    if (dayCount(`${mf}-01`, addDays(from, -1)) < dayCount(from, lastDayOf(mf))) subtract.push([`${mf}-01`, addDays(from, -1)]);
    else {
      add.push([from, lastDayOf(mf)]);
      first = monthsBefore(mf, -1);
    }
  }
  let last = ml;
  if (to !== lastDayOf(ml)) {
    if (dayCount(addDays(to, 1), lastDayOf(ml)) < dayCount(`${ml}-01`, to)) subtract.push([addDays(to, 1), lastDayOf(ml)]);
    else {
      add.push([`${ml}-01`, to]);
      last = monthsBefore(ml, 1);
    }
  }
  return { months: first <= last ? { first, last } : null, add, subtract };
}
