import { addDays, localParts } from '../domain/local-time.ts';
import type { BenchRangeT, BenchSeriesT, MessageListT, StationSeriesT } from '../schemas/dashboard.ts';
import { round } from './dashboard-state.ts';

/** Time series for one station or bench, read from the hourly / daily rollups only. */

// The station's devices drive the loop (CROSS JOIN): each one's rows are a primary-key range. With the
// days as the only range, SQLite read every device's rows of those days (a province: 60,000 for 30 days).
const STATION_ITEMS_SQL = `SELECT i.day, i.item, TOTAL(i.dispensed) AS dispensed, TOTAL(i.inferred_out) AS inferred_out, TOTAL(i.restocked + i.inferred_in) AS restocked, TOTAL(i.inferred_in) AS inferred_in,
  TOTAL(i.lent) AS lent, TOTAL(i.returned) AS returned
  FROM devices d CROSS JOIN item_daily i ON i.device_id = d.id
  WHERE d.kind = 'station' AND d.site = ?1 AND i.day >= ?2 AND i.day <= ?3
  GROUP BY i.day, i.item ORDER BY i.day, i.item`;
const STATION_VISITORS_SQL = `SELECT dd.day, TOTAL(dd.visitors) AS visitors FROM device_daily dd
  WHERE dd.device_id IN (SELECT id FROM devices WHERE kind = 'station' AND site = ?1) AND dd.day >= ?2 AND dd.day <= ?3
  GROUP BY dd.day ORDER BY dd.day`;

export async function stationSeries(db: D1Database, station: string, from: string, to: string): Promise<StationSeriesT> {
  const [items, visitors] = await db.batch([
    db.prepare(STATION_ITEMS_SQL).bind(station, from, to),
    db.prepare(STATION_VISITORS_SQL).bind(station, from, to),
  ]);
  type ItemRow = Omit<StationSeriesT['items'][number], 'distributed'>;
  return {
    from,
    to,
    items: (items!.results as ItemRow[]).map((r) => ({ ...r, distributed: r.dispensed + r.inferred_out })),
    visitors: visitors!.results as Array<{ day: string; visitors: number }>,
  };
}

const BENCH_HOURLY_SQL = `SELECT day, hour, batt_min, batt_sum, batt_n, load_sum, load_n, solar_wh, samples FROM device_hourly
  WHERE device_id = ?1 AND day >= ?2 AND day <= ?3`;
const BENCH_DAILY_SQL = `SELECT day, batt_min, batt_sum, batt_n, load_sum, load_n, solar_wh, energy_wh, sessions, samples FROM device_daily
  WHERE device_id = ?1 AND day >= ?2 AND day <= ?3 ORDER BY day`;
const BENCH_BY_HOUR_SQL = `SELECT hour, TOTAL(sessions) AS sessions, TOTAL(energy_wh) AS energy_wh FROM device_hourly
  WHERE device_id = ?1 AND day >= ?2 AND day <= ?3 GROUP BY hour`;

interface Agg {
  batt_min: number | null;
  batt_sum: number;
  batt_n: number;
  load_sum: number;
  load_n: number;
  solar_wh: number;
  samples: number;
}
const point = (key: string, r: Agg | undefined, hours: number) => ({
  key,
  battery_avg: r && r.batt_n > 0 ? round(r.batt_sum / r.batt_n, 2) : null,
  battery_min: r?.batt_min ?? null,
  solar_w: r ? round(r.solar_wh / hours, 2) : 0,
  load_w: r && r.load_n > 0 ? round(r.load_sum / r.load_n, 2) : null,
  samples: r?.samples ?? 0,
});

const HOUR = 3600_000;

/**
 * 24 h and 7 d: one point per local hour ending with the current one (hourly rollup); 30 d: one
 * point per local day. Daily energy and sessions and the hour-of-day profile cover the same range.
 */
export async function benchSeries(db: D1Database, bench: string, range: BenchRangeT, now: number, tz: string): Promise<BenchSeriesT> {
  const today = localParts(now, tz).day;
  const days = range === '24h' ? 2 : range === '7d' ? 7 : 30;
  const from = addDays(today, -(days - 1));
  const [hourly, daily, byHour] = await db.batch([
    db.prepare(BENCH_HOURLY_SQL).bind(bench, range === '30d' ? today : from, today),
    db.prepare(BENCH_DAILY_SQL).bind(bench, from, today),
    db.prepare(BENCH_BY_HOUR_SQL).bind(bench, from, today),
  ]);
  type HourRow = Agg & { day: string; hour: number };
  type DayRow = Agg & { day: string; energy_wh: number; sessions: number };
  const dailyRows = daily!.results as DayRow[];
  let points: BenchSeriesT['points'];
  if (range === '30d') {
    const byDay = new Map(dailyRows.map((r) => [r.day, r]));
    points = [];
    for (let d = from; d <= today; d = addDays(d, 1)) points.push(point(d, byDay.get(d), 24));
  } else {
    const byKey = new Map((hourly!.results as HourRow[]).map((r) => [`${r.day}T${String(r.hour).padStart(2, '0')}`, r]));
    const n = range === '24h' ? 24 : 168;
    const keys: string[] = [];
    for (let k = n - 1; k >= 0; k--) {
      const p = localParts(now - k * HOUR, tz);
      const key = `${p.day}T${String(p.hour).padStart(2, '0')}`;
      if (keys[keys.length - 1] !== key) keys.push(key); // a DST fall-back hour appears once
    }
    points = keys.map((key) => point(key, byKey.get(key), 1));
  }
  const dayBy = new Map(dailyRows.map((r) => [r.day, r]));
  const dailyOut: BenchSeriesT['daily'] = [];
  for (let d = from; d <= today; d = addDays(d, 1)) {
    const r = dayBy.get(d);
    dailyOut.push({ day: d, solar_wh: round(r?.solar_wh ?? 0, 2), energy_wh: round(r?.energy_wh ?? 0, 2), sessions: r?.sessions ?? 0 });
  }
  const hourBy = new Map((byHour!.results as Array<{ hour: number; sessions: number; energy_wh: number }>).map((r) => [r.hour, r]));
  const by_hour = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    sessions: hourBy.get(hour)?.sessions ?? 0,
    energy_wh: round(hourBy.get(hour)?.energy_wh ?? 0, 2),
  }));
  return { range, resolution: range === '30d' ? 'day' : 'hour', points, daily: dailyOut, by_hour };
}

/** The newest `limit` messages of one device (its own rows of the ledger, newest first). */
export async function deviceMessages(db: D1Database, device: string, limit: number): Promise<MessageListT> {
  const { results } = await db
    .prepare('SELECT key, ts, type, received_at, body FROM messages WHERE device_id = ? ORDER BY ts DESC, received_at DESC LIMIT ?')
    .bind(device, limit)
    .all<{ key: string; ts: number; type: string; received_at: number; body: string }>();
  return {
    device,
    messages: results.map((r) => {
      let body: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(r.body);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        body = { raw: r.body };
      }
      return { key: r.key, ts: new Date(r.ts).toISOString(), type: r.type, received_at: new Date(r.received_at).toISOString(), body };
    }),
  };
}
