import OpeningHours from 'opening_hours';
import { localParts } from './local-time.ts';
import { boundedMemo } from './memo.ts';

/**
 * OpenStreetMap opening_hours, evaluated in the city's time zone with the maintained
 * `opening_hours` library. The library reads a Date's *local* fields (getHours() …), so we hand
 * it a Date whose local fields are the city's wall-clock time: correct whatever the host's zone.
 */

// Public holidays (PH) need a country; our cities are in China.
const NOMINATIM = { lat: 36.45, lon: 115.98, address: { country_code: 'cn', state: '' } };

const parsedSchedules = boundedMemo<OpeningHours>(2_000);

/** The parsed schedule (kept: a list asks for the same few schedules again and again); throws on bad syntax. */
function parsed(value: string): OpeningHours {
  return parsedSchedules(value, () => new OpeningHours(value, NOMINATIM));
}

/** null when `value` is valid opening_hours syntax, else the parser's message. */
export function openingHoursError(value: string): string | null {
  try {
    parsed(value);
    return null;
  } catch (e) {
    return String(e instanceof Error ? e.message : e).trim();
  }
}

/** A Date whose local wall-clock fields equal the city's local time at `ms`. */
function wallClock(ms: number, tz: string): Date {
  const p = localParts(ms, tz);
  const [y, m, d] = p.day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, p.hour, p.minute, p.second);
}

/** Whether the schedule says open at instant `ms`. Invalid syntax counts as open (24/7). */
export function scheduledOpen(value: string, ms: number, tz: string): boolean {
  try {
    return parsed(value).getState(wallClock(ms, tz));
  } catch {
    return true;
  }
}

const HOUR = 3_600_000;
/**
 * Wall clocks at the middle of each hour of a run of consecutive hours, per zone and run: a month
 * is ~744 Dates (≈ 40 kB), so at most 60 runs are kept (a history's 8 months, for a few zones).
 */
const hourWalls = boundedMemo<Date[]>(60);
/**
 * The open hours of a schedule in a run of consecutive hours, per zone, run and schedule: at most
 * ~6 kB each, so at most 1,000 are kept (a province's few dozen schedules over a year of months).
 */
const openRuns = boundedMemo<number[]>(1_000);

/**
 * The hour starts among `hours` (consecutive whole hours, ascending) that the schedule has open,
 * tested at each hour's middle; invalid syntax counts as open. A month's ranking asks this of
 * every schedule for each of its ~720 hours, a history for 8 months: each hour's wall clock is
 * worked out once for all schedules (an Intl call each), and each answer is kept. Both are pure
 * functions of their arguments, so the memos are never stale; cleared when they grow past a bound.
 */
export function openHourStarts(value: string, hours: readonly number[], tz: string): number[] {
  const run = `${tz}|${hours[0]}|${hours.length}`;
  return openRuns(`${run}|${value}`, () => {
    let oh: OpeningHours;
    try {
      oh = parsed(value);
    } catch {
      return [...hours];
    }
    const walls = hourWalls(run, () => hours.map((h) => wallClock(h + HOUR / 2, tz)));
    return hours.filter((_, i) => {
      try {
        return oh.getState(walls[i]);
      } catch {
        return true;
      }
    });
  });
}

/** A device's own open/closed report overrides the schedule for this long. */
export const REPORT_HOLDS_MS = 2 * 3600_000;

/**
 * Open now: a recent report from the station (staff closed early, opened late) wins; otherwise
 * the published opening hours.
 */
export function stationOpen(
  s: { opening_hours: string; open: number | boolean | null; open_at: number | null },
  now: number,
  tz: string,
): boolean {
  if (s.open !== null && s.open_at !== null && now - s.open_at <= REPORT_HOLDS_MS && s.open_at <= now + 5 * 60_000) return Boolean(s.open);
  // A list asks this of every station at the same instant, and a province has few distinct
  // schedules: each is evaluated once per instant (≈ 50 µs each, 800 stations).
  if (!atNow || atNow.ms !== now || atNow.tz !== tz) atNow = { ms: now, tz, open: new Map() };
  let open = atNow.open.get(s.opening_hours);
  if (open === undefined) {
    open = scheduledOpen(s.opening_hours, now, tz);
    if (atNow.open.size < 2000) atNow.open.set(s.opening_hours, open);
  }
  return open;
}
let atNow: { ms: number; tz: string; open: Map<string, boolean> } | null = null;

/**
 * When the schedule next changes from open to closed, as an instant (ms), or null when it never
 * closes (24/7) or is closed now. Wall-clock difference added to `ms`: exact where the zone keeps
 * one offset (China); across a daylight-saving change it can be an hour off.
 */
export function scheduledCloseAfter(value: string, ms: number, tz: string): number | null {
  try {
    const oh = parsed(value);
    const wall = wallClock(ms, tz);
    if (!oh.getState(wall)) return null;
    const next = oh.getNextChange(wall);
    // The wall clock has whole seconds: count from the same whole second.
    return next ? Math.floor(ms / 1000) * 1000 + (next.getTime() - wall.getTime()) : null;
  } catch {
    return null;
  }
}
