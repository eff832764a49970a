/**
 * How often the stock-out forecast warned in time, on the demo city's simulated 90 days.
 *
 * The simulator plays every rest station of the demo city day by day (the same models and seed
 * as `npm start`); at every hour the forecast (worker/domain/forecast.ts) runs on what the
 * Worker would know then: the stock on hand from the shelf sensor, an hour-of-week profile of the
 * previous 28 days' recorded hand-outs and lends, the trend of the last 6 hours and the opening
 * hours, and the rate of the last 3 hours (a burst such as a downpour, fading). A warning is what the predicted_stock_out rule raises: empty within 6 hours. A stock-out
 * is an hourly reading of 0 after one above 0; it was warned in time when a warning stood at least
 * one hour before it (and at most 24 h). Usage: node bench/forecast-warnings.ts [--days 90]
 */
import { parseArgs } from 'node:util';
import { demoCity } from '../scripts/demo/city.ts';
import { addDays, localDay, simDay, HOUR } from '../scripts/sim/clock.ts';
import { weatherOf } from '../scripts/sim/device.ts';
import { rngFor } from '../scripts/sim/rng.ts';
import { initialStationState, simulateStationDay } from '../scripts/sim/station.ts';
import {
  BURST_WINDOW_H,
  expectedUse,
  forecastStockOut,
  recentRate,
  hourOfWeekProfile,
  recentTrend,
  type HourlyUse,
} from '../worker/domain/forecast.ts';
import { localParts } from '../worker/domain/local-time.ts';

const TZ = 'Asia/Shanghai';
const { values } = parseArgs({ options: { days: { type: 'string', default: '90' }, seed: { type: 'string', default: '20260721' } } });
const DAYS = Number(values.days);
const SEED = Number(values.seed);
const HORIZON_H = 6;
const MIN_LEAD_H = 1;

const city = demoCity({ seed: SEED });
const end = localDay(Date.now(), TZ);
const start = addDays(end, -DAYS);
let events = 0;
let warned = 0;
let warmup = 0;
const leads: number[] = [];
let warningHours = 0;
let falseHours = 0;

for (const dev of city.devices) {
  if (dev.kind !== 'station') continue;
  const spec = dev.station;
  let state = initialStationState(spec, rngFor(SEED, dev.id, 'init'));
  const use = new Map<string, HourlyUse[]>(); // item → hourly recorded use
  const level = new Map<string, number>();
  const warnings = new Map<string, number[]>(); // item → hour instants with a warning
  const outs: Array<{ item: string; at: number }> = [];
  for (let d = start; d < end; d = addDays(d, 1)) {
    const day = simDay(d, TZ);
    const out = simulateStationDay(spec, state, day, weatherOf(SEED, d), rngFor(SEED, dev.id, d), TZ);
    state = out.state;
    for (let h = 0; h < 24; h++) {
      const hourEnd = day.start + (h + 1) * HOUR;
      for (const r of out.readings) {
        if (r.at < hourEnd - HOUR || r.at >= hourEnd) continue;
        if ((r.type === 'dispense' || r.type === 'lend') && typeof r.item === 'string') {
          const list = use.get(r.item) ?? [];
          const last = list[list.length - 1];
          if (last && last.day === d && last.hour === h) last.qty += r.qty as number;
          else list.push({ day: d, hour: h, qty: r.qty as number });
          use.set(r.item, list);
        }
        if (r.type === 'stock') {
          for (const [item, q] of Object.entries(r.levels as Record<string, number>)) {
            if ((level.get(item) ?? 1) > 0 && q === 0) outs.push({ item, at: r.at });
            level.set(item, q);
          }
        }
      }
      // The forecast at the end of the hour, from what is known then.
      const now = hourEnd;
      const today = localParts(now - 1, TZ).day;
      // biome-ignore lint/complexity/useMathMinMax: days are YYYY-MM-DD text, compared as strings
      const from = addDays(today, -28) < start ? start : addDays(today, -28);
      const days: string[] = [];
      for (let x = from; x < today; x = addDays(x, 1)) days.push(x);
      if (!days.length) continue;
      for (const [item, q] of level) {
        if (q <= 0) continue;
        const rows = use.get(item) ?? [];
        const profile = hourOfWeekProfile(rows, days);
        const usedSince = (since: number) =>
          rows.filter((u) => Date.parse(`${u.day}T${String(u.hour).padStart(2, '0')}:00:00+08:00`) >= since).reduce((a, u) => a + u.qty, 0);
        const since = now - 6 * HOUR;
        const trend = recentTrend(usedSince(since), expectedUse(profile, since, now, TZ));
        const burstRate = recentRate(usedSince(now - BURST_WINDOW_H * HOUR), BURST_WINDOW_H);
        const f = forecastStockOut({
          onHand: q,
          now,
          tz: TZ,
          profile,
          trend,
          burstRate,
          openingHours: spec.openingHours,
          maxHours: HORIZON_H,
        });
        if (f.emptyAt !== null) {
          const l = warnings.get(item) ?? [];
          l.push(now);
          warnings.set(item, l);
        }
      }
    }
  }
  for (const o of outs) {
    if (o.at < simDay(addDays(start, 7), TZ).start) {
      warmup++;
      continue; // the first week has no profile to speak of
    }
    events++;
    const w = (warnings.get(o.item) ?? []).filter((t) => t <= o.at - MIN_LEAD_H * HOUR && t >= o.at - 24 * HOUR);
    if (w.length) {
      warned++;
      leads.push((o.at - Math.min(...w)) / HOUR);
    }
  }
  // Warning hours not followed by a stock-out within the horizon + 6 h: restocked in time, or a false alarm.
  for (const [item, ws] of warnings) {
    for (const t of ws) {
      warningHours++;
      if (!outs.some((o) => o.item === item && o.at >= t && o.at <= t + (HORIZON_H + 6) * HOUR)) falseHours++;
    }
  }
}

leads.sort((a, b) => a - b);
const median = leads.length ? leads[Math.floor(leads.length / 2)]! : NaN;
console.log(
  `Demo city, ${city.devices.filter((d) => d.kind === 'station').length} stations, ${DAYS} simulated days (seed ${SEED}), horizon ${HORIZON_H} h:`,
);
console.log(`  stock-outs (after the first week): ${events} (${warmup} more in the first week, not counted)`);
console.log(`  warned at least ${MIN_LEAD_H} h ahead: ${warned} of ${events} = ${events ? ((warned / events) * 100).toFixed(1) : '—'} %`);
console.log(`  median lead of the first warning: ${Number.isNaN(median) ? '—' : median.toFixed(1)} h`);
console.log(
  `  station-hours under a warning: ${warningHours}; of them not followed by a stock-out within ${HORIZON_H + 6} h (restocked in time, or a false alarm): ${falseHours}`,
);
