/** The city's calendar for the simulator (thin layer over worker/domain/local-time.ts). */
import { addDays, localDay, startOfLocalDay } from '../../worker/domain/local-time.ts';

export const CITY_TZ = 'Asia/Shanghai';
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export interface SimDay {
  /** YYYY-MM-DD in the city's zone. */
  day: string;
  /** UTC instant of local midnight. */
  start: number;
  /** UTC instant of the next local midnight. */
  end: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  weekend: boolean;
}

export function simDay(day: string, tz = CITY_TZ): SimDay {
  const start = startOfLocalDay(day, tz);
  const end = startOfLocalDay(addDays(day, 1), tz);
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return { day, start, end, weekday, weekend: weekday === 0 || weekday === 6 };
}

/** Local hour of the day as a fraction (0 ≤ h < 24 within the day; DST-free zones are exact). */
export function hourOf(d: SimDay, ms: number): number {
  return ((ms - d.start) / (d.end - d.start)) * 24;
}

/** Every local day touching [from, to). */
export function daysCovering(from: number, to: number, tz = CITY_TZ): string[] {
  const out: string[] = [];
  if (to <= from) return out;
  const last = localDay(to - 1, tz);
  for (let d = localDay(from, tz); d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}

export { addDays, localDay, startOfLocalDay };
