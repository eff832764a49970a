import { addDays, startOfLocalDay } from '../local-time.ts';

/** A calendar month of the city's local time. Pure. */
export interface MonthWindow {
  month: string;
  firstDay: string;
  lastDay: string;
  /** UTC instants: local midnight of the first day, and of the next month's first day */
  start: number;
  end: number;
}

export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function monthWindow(month: string, tz: string): MonthWindow {
  const firstDay = `${month}-01`;
  const nextFirst = `${monthsBefore(month, -1)}-01`;
  return { month, firstDay, lastDay: lastDayOf(month), start: startOfLocalDay(firstDay, tz), end: startOfLocalDay(nextFirst, tz) };
}

/** The month `n` months before `month` (YYYY-MM); a negative `n` counts forward. */
export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 - n, 1)).toISOString().slice(0, 7);
}

/** The last day (YYYY-MM-DD) of `month`. */
export function lastDayOf(month: string): string {
  return addDays(`${monthsBefore(month, -1)}-01`, -1);
}

/** Local hour starts in [from, to), stepping an hour of real time (a DST day has 23 or 25). */
export function hourStarts(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(from / 3_600_000) * 3_600_000; t < to; t += 3_600_000) out.push(t);
  return out;
}
