/**
 * The overview's period figures from per-day sums (worker/db/daily-totals.ts): today, the last 7
 * and 30 days against the periods before them, the 30-day trend, and the districts' 30 days. Pure.
 */
import { addDays } from './local-time.ts';
import { trailingWindow } from './report-periods.ts';

/** One local day's sums. */
export interface DayFigures {
  day: string;
  /** item → distributed (every device) */
  supply: Record<string, number>;
  /** district → distributed (station controllers at stations) */
  districtSupply: Record<string, number>;
  sessions: number;
  energyWh: number;
  /** district → [sessions, energy Wh] (benches in parks) */
  districtCharging: Record<string, [number, number]>;
}

export interface PeriodSums {
  /** item → distributed per period */
  supply: Map<string, { d1: number; d7: number; p7: number; d30: number; p30: number }>;
  charging: { s1: number; e1: number; s7: number; e7: number; s30: number; e30: number };
  /** the last 30 days, by day and item (the items with rollup rows that day) */
  trend: Array<{ day: string; item: string; n: number }>;
  districtSupply30: Map<string, number>;
  districtCharging30: Map<string, { sessions: number; energy_wh: number }>;
}

export function periodSums(days: readonly DayFigures[], today: string): PeriodSums {
  const w7 = trailingWindow(today, 7);
  const w30 = trailingWindow(today, 30);
  const supply: PeriodSums['supply'] = new Map();
  const charging = { s1: 0, e1: 0, s7: 0, e7: 0, s30: 0, e30: 0 };
  const trend: PeriodSums['trend'] = [];
  const districtSupply30 = new Map<string, number>();
  const districtCharging30 = new Map<string, { sessions: number; energy_wh: number }>();
  const first = addDays(today, -59);
  for (const d of [...days].sort((a, b) => (a.day < b.day ? -1 : 1))) {
    if (d.day < first || d.day > today) continue;
    const inD7 = d.day >= w7.from;
    const inP7 = d.day >= w7.prevFrom && d.day < w7.from;
    const inD30 = d.day >= w30.from;
    for (const [item, n] of Object.entries(d.supply).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const s = supply.get(item) ?? { d1: 0, d7: 0, p7: 0, d30: 0, p30: 0 };
      if (d.day === today) s.d1 += n;
      if (inD7) s.d7 += n;
      if (inP7) s.p7 += n;
      if (inD30) s.d30 += n;
      else s.p30 += n;
      supply.set(item, s);
      if (inD30) trend.push({ day: d.day, item, n });
    }
    if (!inD30) continue;
    if (d.day === today) {
      charging.s1 += d.sessions;
      charging.e1 += d.energyWh;
    }
    if (inD7) {
      charging.s7 += d.sessions;
      charging.e7 += d.energyWh;
    }
    charging.s30 += d.sessions;
    charging.e30 += d.energyWh;
    for (const [k, n] of Object.entries(d.districtSupply)) districtSupply30.set(k, (districtSupply30.get(k) ?? 0) + n);
    for (const [k, [se, en]] of Object.entries(d.districtCharging)) {
      const c = districtCharging30.get(k) ?? { sessions: 0, energy_wh: 0 };
      c.sessions += se;
      c.energy_wh += en;
      districtCharging30.set(k, c);
    }
  }
  return { supply, charging, trend, districtSupply30, districtCharging30 };
}

/** Per item, the hours up to and including `hour` of a day's [hour, item, distributed] list. */
export function soFar(byHour: ReadonlyArray<readonly [number, string, number]>, hour: number): Array<{ item: string; n: number }> {
  const by = new Map<string, number>();
  for (const [h, item, n] of byHour) if (h <= hour) by.set(item, (by.get(item) ?? 0) + n);
  return [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([item, n]) => ({ item, n }));
}
