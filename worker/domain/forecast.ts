/**
 * Stock-out forecast for one item at one station: an hour-of-week consumption profile (from the
 * hourly rollups), scaled by the recent trend, run forward over the station's opening hours until
 * the stock on hand is used up. Pure; the restock planner uses the same functions.
 */
import { localParts } from './local-time.ts';
import { scheduledOpen } from './opening-hours.ts';

const HOUR = 3_600_000;
export const SLOTS = 168;

/** Hour-of-week slot of a local day and hour: 0 = Sunday 00:00 … 167 = Saturday 23:00. */
export function slotOf(day: string, hour: number): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay() * 24 + hour;
}

export function slotAt(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return slotOf(p.day, p.hour);
}

export interface HourlyUse {
  day: string;
  hour: number;
  /** Items gone out in that local hour (dispensed + lent + inferred drops). */
  qty: number;
}

/**
 * Mean use per hour-of-week slot over `days` (the local days the window covers, each counted
 * once even when it used nothing): a slot's mean divides by how many times the slot occurred.
 */
export function hourOfWeekProfile(rows: readonly HourlyUse[], days: readonly string[]): number[] {
  const sum = new Array<number>(SLOTS).fill(0);
  const seen = new Array<number>(SLOTS).fill(0);
  for (const d of days) {
    const base = slotOf(d, 0);
    for (let h = 0; h < 24; h++) seen[base + h]!++;
  }
  const inWindow = new Set(days);
  for (const r of rows) if (inWindow.has(r.day)) sum[slotOf(r.day, r.hour)]! += r.qty;
  return sum.map((s, i) => (seen[i] ? s / seen[i]! : 0));
}

/**
 * Recent trend: what went out in the last hours against what the profile expected then, as a
 * factor in [0.5, 2]. Two items of prior on both sides keep a quiet hour from swinging it.
 */
export function recentTrend(actual: number, expected: number): number {
  const PRIOR = 2;
  const f = (actual + PRIOR) / (expected + PRIOR);
  return Math.min(2, Math.max(0.5, f));
}

/** What the profile expected over [from, to): the sum of its slots, pro rata for partial hours. */
export function expectedUse(profile: readonly number[], from: number, to: number, tz: string): number {
  let total = 0;
  for (let t = from; t < to; ) {
    const p = localParts(t, tz);
    const next = Math.min(to, t + (60 - p.minute) * 60_000 - p.second * 1000 - (t % 1000));
    total += profile[slotOf(p.day, p.hour)]! * ((next - t) / HOUR);
    t = next > t ? next : t + HOUR;
  }
  return total;
}

export interface ForecastInput {
  onHand: number;
  now: number;
  tz: string;
  /** 168 hourly means (see hourOfWeekProfile). */
  profile: readonly number[];
  /** Factor on the profile from the recent trend (1 = as usual). */
  trend?: number;
  /** OSM opening_hours: nothing goes out while the station is closed. Default 24/7. */
  openingHours?: string;
  /** Look no further ahead than this (hours). */
  maxHours?: number;
  /**
   * Items per hour that went out over the last few hours (see recentRate). A burst the profile
   * cannot know of (a downpour empties an umbrella stand in two hours) carries on for a while:
   * the forecast uses it where it exceeds the profile, fading with a half-life of BURST_HALF_LIFE_H.
   */
  burstRate?: number;
}

/** How fast a recent burst is assumed to die down (hours to half). */
export const BURST_HALF_LIFE_H = 2;
/** The window recentRate looks back over (hours). */
export const BURST_WINDOW_H = 3;

/** Items per hour over the last `hours` (BURST_WINDOW_H, or a little more to whole local hours). */
export function recentRate(used: number, hours: number): number {
  return hours > 0 ? used / hours : 0;
}

export interface Forecast {
  /** When the item runs out, or null when not within maxHours (or nothing is used). */
  emptyAt: number | null;
  hoursLeft: number | null;
  /** Mean use per open hour over the profile, times the trend (for the detail line). */
  ratePerOpenHour: number;
}

/** Run the profile forward from now, one local hour at a time, until the stock is gone. */
export function forecastStockOut(f: ForecastInput): Forecast {
  const trend = f.trend ?? 1;
  const hours = f.openingHours ?? '24/7';
  const maxHours = f.maxHours ?? 7 * 24;
  const used = f.profile.filter((v) => v > 0);
  const ratePerOpenHour = used.length ? (used.reduce((a, b) => a + b, 0) / used.length) * trend : 0;
  if (f.onHand <= 0) return { emptyAt: f.now, hoursLeft: 0, ratePerOpenHour };
  let left = f.onHand;
  const end = f.now + maxHours * HOUR;
  for (let t = f.now; t < end; ) {
    const p = localParts(t, f.tz);
    const next = Math.min(end, t + (60 - p.minute) * 60_000 - p.second * 1000 - (t % 1000));
    const span = next > t ? next - t : HOUR;
    const open = hours === '24/7' || scheduledOpen(hours, t + span / 2, f.tz);
    const burst = (f.burstRate ?? 0) * 0.5 ** ((t - f.now) / HOUR / BURST_HALF_LIFE_H);
    const rate = open ? Math.max(f.profile[slotOf(p.day, p.hour)]! * trend, burst) : 0;
    const use = (rate * span) / HOUR;
    if (use >= left && rate > 0) {
      const emptyAt = t + (left / rate) * HOUR;
      return { emptyAt, hoursLeft: (emptyAt - f.now) / HOUR, ratePerOpenHour };
    }
    left -= use;
    t += span;
  }
  return { emptyAt: null, hoursLeft: null, ratePerOpenHour };
}
