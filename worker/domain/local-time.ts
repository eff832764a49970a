/**
 * The city's calendar: instants are stored in UTC (epoch ms); days and hours are reported in the
 * configured IANA time zone. Pure functions, no I/O.
 */
import { boundedMemo } from './memo.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface LocalParts {
  /** YYYY-MM-DD in the city's time zone */
  day: string;
  /** 0–23 */
  hour: number;
  minute: number;
  second: number;
}

export function localParts(ms: number, tz: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of the zone from UTC at instant `ms`, in ms (e.g. +8 h for Asia/Shanghai). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  const [y, m, d] = p.day.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * Day starts already worked out, per zone and day. Each costs four Intl formatToParts calls
 * (≈ 30 µs), and a month's ranking asks for the same few hundred days thousands of times. A pure
 * function of its arguments, so the memo is never stale; cleared when it grows past a bound.
 */
const dayStarts = boundedMemo<number>(20_000);

/** The UTC instant at which local day `day` (YYYY-MM-DD) starts in `tz`. */
export function startOfLocalDay(day: string, tz: string): number {
  return dayStarts(`${tz}|${day}`, () => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const guess = Date.UTC(y, m - 1, d);
    // Two passes settle the offset even across a DST change at midnight.
    const t = guess - zoneOffsetMs(guess, tz);
    return guess - zoneOffsetMs(t, tz);
  });
}

/** Add `n` calendar days to a YYYY-MM-DD string. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Local calendar day of an instant. */
export function localDay(ms: number, tz: string): string {
  return localParts(ms, tz).day;
}

/**
 * How many calendar days from `from` to `to`, both inclusive (0 when `to` is before `from`).
 * Arithmetic, not a walk: a station open for ten years is 3,650 days, and a report has 800 of them.
 * Date.parse reads every four-digit year as written (Date.UTC would read 0–99 as 1900–1999).
 */
export function dayCount(from: string, to: string): number {
  const n = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return Math.max(n, 0);
}

/** Every day from `from` to `to`, both inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function isValidDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** An epoch-ms instant as ISO 8601 UTC, keeping null (never happened) as null. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
