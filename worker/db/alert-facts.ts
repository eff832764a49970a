/**
 * What the alert rules read: current-state columns (stations, station_items, devices,
 * device_faults), the hourly and daily rollups, the cached consumption profiles, and the few
 * event rows the expiry and loan rules need (restocks with an expiry date, lends and returns).
 * `sites` is a JSON array of site ids, or null for every site.
 */
import { BURST_WINDOW_H, hourOfWeekProfile, recentRate, recentTrend, expectedUse, type HourlyUse } from '../domain/forecast.ts';
import { addDays, localDay, localParts } from '../domain/local-time.ts';
import type { BenchFacts } from '../domain/alerts/bench-rules.ts';
import type { StationFacts } from '../domain/alerts/station-rules.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Weeks of history behind a profile, and how long a cached profile serves. */
export const PROFILE_DAYS = 28;
export const PROFILE_MAX_AGE_MS = 6 * HOUR;
/** Hours behind the recent trend. */
const TREND_HOURS = 6;

const IN_SITES = (col: string) => `(?1 IS NULL OR ${col} IN (SELECT value FROM json_each(?1)))`;
const STATION_DEVICES = `(SELECT d.id FROM devices d WHERE d.kind = 'station' AND d.site = s.id)`;

interface StationRow {
  id: string;
  opening_hours: string;
  created_at: number;
  last_seen: number | null;
  devices: number;
}
interface ItemRow {
  station_id: string;
  item: string;
  on_hand: number | null;
  reorder_point: number | null;
  registered: number | null;
  profile: string | null;
}
interface CodeRow {
  site: string;
  code: string;
}
interface BatchRow {
  station_id: string;
  item: string;
  ts: number;
  qty: number;
  expires: string;
}
interface LoanRow {
  station_id: string;
  item: string;
  ts: number;
  type: 'lend' | 'return';
  qty: number;
}
interface UseRow {
  station_id: string;
  item: string;
  day: string;
  hour: number;
  qty: number;
}

const useSql = (fromDay: string) => ({
  sql: `SELECT s.id AS station_id, h.item, h.day, h.hour, TOTAL(h.dispensed + h.lent + h.inferred_out) AS qty
    FROM stations s JOIN item_hourly h ON h.device_id IN ${STATION_DEVICES} AND h.day >= ?2
    WHERE ${IN_SITES('s.id')} GROUP BY s.id, h.item, h.day, h.hour`,
  fromDay,
});

/**
 * Read statements to run in some batch (the alert evaluation's own, or an ingest request's, after
 * its writes), and how to read their results.
 */
export interface Reads<T> {
  statements: D1PreparedStatement[];
  read: (results: D1Result[]) => T;
}

export function stationFactReads(db: D1Database, sites: string[] | null, now: number, tz: string): Reads<StationFacts[]> {
  const ids = sites === null ? null : JSON.stringify(sites);
  const recent = useSql(localDay(now - TREND_HOURS * HOUR, tz));
  const statements = [
    db
      .prepare(
        `SELECT s.id, s.opening_hours, COALESCE((SELECT MIN(d.created_at) FROM devices d WHERE d.kind = 'station' AND d.site = s.id AND d.disabled = 0), s.created_at) AS created_at,
           (SELECT MAX(d.last_seen) FROM devices d WHERE d.kind = 'station' AND d.site = s.id AND d.disabled = 0) AS last_seen,
           (SELECT COUNT(*) FROM devices d WHERE d.kind = 'station' AND d.site = s.id AND d.disabled = 0) AS devices
         FROM stations s WHERE ${IN_SITES('s.id')}`,
      )
      .bind(ids),
    db
      .prepare(
        `SELECT si.station_id, si.item, si.on_hand, si.reorder_point, i.registered, p.profile
         FROM station_items si LEFT JOIN items i ON i.code = si.item
         LEFT JOIN consumption_profiles p ON p.station_id = si.station_id AND p.item = si.item
         WHERE ${IN_SITES('si.station_id')}`,
      )
      .bind(ids),
    db
      .prepare(
        `SELECT DISTINCT d.site, f.code FROM devices d JOIN device_faults f ON f.device_id = d.id AND f.active = 1
           WHERE d.kind = 'station' AND d.disabled = 0 AND ${IN_SITES('d.site')}
         UNION SELECT d.site, j.value FROM devices d, json_each(COALESCE(d.fault_codes, '[]')) j
           WHERE d.kind = 'station' AND d.disabled = 0 AND ${IN_SITES('d.site')}`,
      )
      .bind(ids),
    db
      .prepare(
        `SELECT s.id AS station_id, e.item, e.ts, e.qty, e.expires FROM stations s JOIN events e ON e.device_id IN ${STATION_DEVICES}
         WHERE ${IN_SITES('s.id')} AND e.type = 'restock' AND e.expires IS NOT NULL AND e.ts >= ?2`,
      )
      .bind(ids, now - 2 * 365 * DAY),
    db
      .prepare(
        `SELECT s.id AS station_id, e.item, e.ts, e.type, e.qty FROM stations s JOIN events e ON e.device_id IN ${STATION_DEVICES}
         WHERE ${IN_SITES('s.id')} AND e.type IN ('lend', 'return') AND e.ts >= ?2`,
      )
      .bind(ids, now - 120 * DAY),
    db.prepare(recent.sql).bind(ids, recent.fromDay),
  ];
  return { statements, read: (results) => stationFactsFrom(results, now, tz) };
}

function stationFactsFrom(results: D1Result[], now: number, tz: string): StationFacts[] {
  const [stations, items, faults, batches, loans, use] = results;
  const group = <T extends { station_id?: string; site?: string }>(rows: T[], key: (r: T) => string) => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const k = key(r);
      let l = m.get(k);
      if (!l) m.set(k, (l = []));
      l.push(r);
    }
    return m;
  };
  const itemsBy = group((items!.results ?? []) as ItemRow[], (r) => r.station_id);
  const faultsBy = group((faults!.results ?? []) as CodeRow[], (r) => r.site);
  const batchesBy = group((batches!.results ?? []) as BatchRow[], (r) => r.station_id);
  const loansBy = group((loans!.results ?? []) as LoanRow[], (r) => r.station_id);
  const useBy = group((use!.results ?? []) as UseRow[], (r) => `${r.station_id}|${r.item}`);
  const from = now - TREND_HOURS * HOUR;
  return ((stations!.results ?? []) as StationRow[]).map((s) => ({
    id: s.id,
    opening_hours: s.opening_hours,
    last_seen: s.last_seen,
    since: s.created_at,
    has_devices: s.devices > 0,
    faults: (faultsBy.get(s.id) ?? []).map((f) => f.code).sort(),
    items: (itemsBy.get(s.id) ?? []).map((i) => {
      const profile = i.profile ? (JSON.parse(i.profile) as number[]) : null;
      let trend = 1;
      let burst = 0;
      if (profile) {
        const rows = useBy.get(`${s.id}|${i.item}`) ?? [];
        const usedSince = (t: number) => rows.filter((u) => hourStart(u.day, u.hour, tz) >= t).reduce((a, u) => a + u.qty, 0);
        trend = recentTrend(usedSince(from - HOUR), expectedUse(profile, from, now, tz));
        // The burst rate over whole local hours: the current one and the BURST_WINDOW_H before it.
        const burstFrom = now - BURST_WINDOW_H * HOUR - (now % HOUR);
        burst = recentRate(usedSince(burstFrom), (now - burstFrom) / HOUR);
      }
      return { item: i.item, on_hand: i.on_hand, reorder_point: i.reorder_point, registered: i.registered !== 0, profile, trend, burst };
    }),
    batches: (batchesBy.get(s.id) ?? []).map((b) => ({ item: b.item, ts: b.ts, qty: b.qty, expires: b.expires })),
    loans: (loansBy.get(s.id) ?? []).map((l) => ({ item: l.item, ts: l.ts, type: l.type, qty: l.qty })),
  }));
}

/** Start of a local hour, found from the instant's own parts (zones here have whole-hour offsets). */
function hourStart(day: string, hour: number, tz: string): number {
  const guess = Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  const p = localParts(guess, tz);
  const shift = Date.parse(`${p.day}T${String(p.hour).padStart(2, '0')}:00:00Z`) - guess;
  return guess - shift;
}

/** The stations (at most `limit`) whose cached profile is missing or older than PROFILE_MAX_AGE_MS. */
export function staleProfiles(db: D1Database, sites: string[] | null, now: number, limit: number): Reads<string[]> {
  const statement = db
    .prepare(
      `SELECT DISTINCT si.station_id FROM station_items si LEFT JOIN consumption_profiles p ON p.station_id = si.station_id AND p.item = si.item
       WHERE ${IN_SITES('si.station_id')} AND (p.computed_at IS NULL OR p.computed_at < ?2) LIMIT ?3`,
    )
    .bind(sites === null ? null : JSON.stringify(sites), now - PROFILE_MAX_AGE_MS, limit);
  return { statements: [statement], read: ([r]) => ((r!.results ?? []) as Array<{ station_id: string }>).map((x) => x.station_id) };
}

/**
 * Recompute the hour-of-week profiles of stations whose cached profile is missing or older than
 * PROFILE_MAX_AGE_MS: at most `limit` stations per call (the scheduled handler spreads the work).
 */
export async function refreshProfiles(db: D1Database, sites: string[] | null, now: number, tz: string, limit: number): Promise<number> {
  const stale = staleProfiles(db, sites, now, limit);
  const todo = stale.read(await db.batch(stale.statements));
  if (todo.length) await recomputeProfiles(db, todo, now, tz);
  return todo.length;
}

/** Recompute and store the profiles of the given stations (two round trips). */
export async function recomputeProfiles(db: D1Database, todo: string[], now: number, tz: string): Promise<void> {
  const today = localDay(now, tz);
  const fromDay = addDays(today, -PROFILE_DAYS);
  const days: string[] = [];
  for (let d = fromDay; d < today; d = addDays(d, 1)) days.push(d);
  const q = useSql(fromDay);
  const [use, items] = await db.batch<UseRow | { station_id: string; item: string }>([
    db.prepare(q.sql + ' HAVING h.day < ?3').bind(JSON.stringify(todo), fromDay, today),
    db
      .prepare(`SELECT station_id, item FROM station_items WHERE station_id IN (SELECT value FROM json_each(?1))`)
      .bind(JSON.stringify(todo)),
  ]);
  const rows = new Map<string, HourlyUse[]>();
  for (const r of (use!.results ?? []) as UseRow[]) {
    const k = `${r.station_id}|${r.item}`;
    let l = rows.get(k);
    if (!l) rows.set(k, (l = []));
    l.push({ day: r.day, hour: r.hour, qty: r.qty });
  }
  // Days before a station's first reading would dilute its profile: count from its first day.
  const payload = ((items!.results ?? []) as Array<{ station_id: string; item: string }>).map((i) => {
    const r = rows.get(`${i.station_id}|${i.item}`) ?? [];
    // biome-ignore lint/complexity/useMathMinMax: days are YYYY-MM-DD text, compared as strings
    const first = r.reduce((m, x) => (x.day < m ? x.day : m), today);
    const window = days.filter((d) => d >= first);
    return {
      s: i.station_id,
      i: i.item,
      p: JSON.stringify(window.length ? hourOfWeekProfile(r, window).map((v) => Math.round(v * 1000) / 1000) : new Array(168).fill(0)),
    };
  });
  await db
    .prepare(
      `INSERT INTO consumption_profiles (station_id, item, profile, computed_at)
       SELECT j.value->>'s', j.value->>'i', j.value->>'p', ?2 FROM json_each(?1) j WHERE true
       ON CONFLICT (station_id, item) DO UPDATE SET profile = excluded.profile, computed_at = excluded.computed_at`,
    )
    .bind(JSON.stringify(payload), now)
    .run();
}

interface BenchRow {
  id: string;
  lat: number;
  lon: number;
  last_seen: number | null;
  created_at: number;
  battery_soc: number | null;
  load_w: number | null;
  night_load: number | null;
  solar_wh: number | null;
}

export function benchFactReads(db: D1Database, sites: string[] | null, now: number, tz: string): Reads<BenchFacts[]> {
  const ids = sites === null ? null : JSON.stringify(sites);
  const today = localDay(now, tz);
  const statements = [
    db
      .prepare(
        `SELECT d.id, COALESCE(d.lat, p.lat) AS lat, COALESCE(d.lon, p.lon) AS lon, d.last_seen, d.created_at, d.battery_soc, d.load_w,
           (SELECT TOTAL(h.load_sum) / NULLIF(TOTAL(h.load_n), 0) FROM device_hourly h
             WHERE h.device_id = d.id AND h.day >= ?2 AND (h.hour >= 18 OR h.hour < 6)) AS night_load,
           (SELECT dd.solar_wh FROM device_daily dd WHERE dd.device_id = d.id AND dd.day = ?3 AND dd.samples > 0) AS solar_wh
         FROM devices d LEFT JOIN parks p ON p.id = d.site
         WHERE d.kind = 'bench' AND d.disabled = 0 AND ${IN_SITES('d.id')}`,
      )
      .bind(ids, addDays(today, -7), today),
    db
      .prepare(
        `SELECT f.device_id AS site, f.code FROM device_faults f JOIN devices d ON d.id = f.device_id
           WHERE f.active = 1 AND d.kind = 'bench' AND d.disabled = 0 AND ${IN_SITES('d.id')}
         UNION SELECT d.id, j.value FROM devices d, json_each(COALESCE(d.fault_codes, '[]')) j
           WHERE d.kind = 'bench' AND d.disabled = 0 AND ${IN_SITES('d.id')}`,
      )
      .bind(ids),
  ];
  return { statements, read: benchFactsFrom };
}

function benchFactsFrom([benches, faults]: D1Result[]): BenchFacts[] {
  const faultsBy = new Map<string, string[]>();
  for (const f of (faults!.results ?? []) as CodeRow[]) {
    let l = faultsBy.get(f.site);
    if (!l) faultsBy.set(f.site, (l = []));
    l.push(f.code);
  }
  return ((benches!.results ?? []) as BenchRow[])
    .filter((b) => b.lat !== null && b.lon !== null)
    .map((b) => ({
      id: b.id,
      lat: b.lat,
      lon: b.lon,
      last_seen: b.last_seen,
      since: b.created_at,
      battery_soc: b.battery_soc,
      night_load_w: b.night_load ?? b.load_w,
      faults: (faultsBy.get(b.id) ?? []).sort(),
      solar_today_wh: b.solar_wh,
    }));
}
