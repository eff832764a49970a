/**
 * The province fleet's behaviour, one device-hour at a time: the readings a device would send in
 * that hour and the rollup rows ingest would compute from them. The same function serves the
 * whole year; for hours inside the raw-retention window it also hands out the raw rows (ledger
 * and typed projections), so the stored rollups are exactly the sums of the stored raw rows.
 *
 * Simplifications (documented in the README): stock readings always agree with the events
 * between them (level-drop inference finds nothing, inferred_out/in stay 0); no faults; the city
 * is at UTC+8 without daylight saving (Asia/Shanghai, the default CITY_TZ).
 */
import { canonicalJson } from '../../worker/domain/telemetry/canonical.ts';
import { Rng } from '../sim/rng.ts';

export const HOUR = 3_600_000;
export const TZ_OFFSET = 8 * HOUR;
export const ITEMS = ['water', 'towel', 'umbrella'] as const;
const PAR: Record<(typeof ITEMS)[number], number> = { water: 48, towel: 20, umbrella: 12 };
const STATION_STATUS_MIN = 15;
const BENCH_STATUS_MIN = 10;

export interface DeviceSpec {
  id: string;
  kind: 'station' | 'bench';
  /** 24/7, or open 07:00–21:00 */
  allDay: boolean;
  seed: number;
}

/** What a device carries from one hour to the next. */
export interface DeviceState {
  rng: Rng;
  seq: number;
  stock: Record<string, number>;
  lentOut: number;
  soc: number;
  lastSolarW: number;
  lastTs: number;
}

export function initialState(d: DeviceSpec): DeviceState {
  return { rng: new Rng(d.seed), seq: 0, stock: { ...PAR }, lentOut: 0, soc: 70, lastSolarW: 0, lastTs: 0 };
}

export interface HourlyRow {
  visitors: number;
  sessions: number;
  energy_wh: number;
  solar_wh: number;
  batt_min: number | null;
  batt_sum: number;
  batt_n: number;
  load_sum: number;
  load_n: number;
  samples: number;
}

export interface ItemHourRow {
  item: string;
  dispensed: number;
  restocked: number;
  lent: number;
  returned: number;
}

/** Raw rows, as ingest stores them (columns in table order). */
export interface RawSink {
  message(key: string, ts: number, type: string, body: string): void;
  event(key: string, ts: number, type: string, item: string | null, qty: number): void;
  stock(key: string, item: string, ts: number, level: number): void;
  sample(
    key: string,
    ts: number,
    soc: number | null,
    solarW: number | null,
    loadW: number | null,
    portsInUse: number | null,
    open: number | null,
    solarWh: number,
  ): void;
  session(key: string, port: number, startedAt: number, endedAt: number, energyWh: number): void;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Local calendar of an instant (UTC+8). */
export function localDayHour(ms: number): { day: string; hour: number } {
  const d = new Date(ms + TZ_OFFSET);
  return { day: d.toISOString().slice(0, 10), hour: d.getUTCHours() };
}

/**
 * One device-hour starting at `start` (a local hour boundary). `rainy` is the day's weather.
 * Returns the device_hourly row and the item_hourly rows (only items with a count).
 */
export function simulateHour(
  d: DeviceSpec,
  s: DeviceState,
  start: number,
  rainy: boolean,
  sink?: RawSink,
): { hourly: HourlyRow; items: ItemHourRow[] } {
  const { hour } = localDayHour(start);
  const rng = s.rng;
  const h: HourlyRow = {
    visitors: 0,
    sessions: 0,
    energy_wh: 0,
    solar_wh: 0,
    batt_min: null,
    batt_sum: 0,
    batt_n: 0,
    load_sum: 0,
    load_n: 0,
    samples: 0,
  };
  const items = new Map<string, ItemHourRow>();
  const item = (code: string) => {
    let r = items.get(code);
    if (!r) items.set(code, (r = { item: code, dispensed: 0, restocked: 0, lent: 0, returned: 0 }));
    return r;
  };
  const key = () => String(++s.seq);
  const msg = (k: string, ts: number, body: Record<string, unknown>) =>
    sink?.message(k, ts, body.type as string, canonicalJson({ seq: Number(k), ts, ...body }));

  if (d.kind === 'station') {
    const open = d.allDay || (hour >= 7 && hour < 21);
    // Restock each morning the water runs low (the van's round): an event, then the stock reading shows it.
    if (hour === 9) {
      for (const code of ITEMS) {
        const need = PAR[code] - s.stock[code]! - (code === 'umbrella' ? s.lentOut : 0);
        if (need >= PAR[code] / 3) {
          const ts = start + 5 * 60_000;
          const k = key();
          msg(k, ts, { type: 'restock', item: code, qty: need });
          sink?.event(k, ts, 'restock', code, need);
          s.stock[code]! += need;
          item(code).restocked += need;
        }
      }
    }
    if (open) {
      const peak = hour >= 11 && hour < 14 ? 4 : hour >= 7 && hour < 21 ? 2 : 0.3;
      const visitors = rng.poisson(rainy ? peak * 1.3 : peak);
      for (let v = 0; v < visitors; v++) {
        const ts = start + Math.floor(((v + rng.next()) / (visitors + 1)) * HOUR);
        const takes: Array<[string, 'dispense' | 'lend']> = [];
        if (rng.next() < 0.7) takes.push(['water', 'dispense']);
        if (rng.next() < 0.2) takes.push(['towel', 'dispense']);
        if (rainy && rng.next() < 0.4) takes.push(['umbrella', 'lend']);
        for (const [code, type] of takes) {
          if (s.stock[code]! < 1) continue;
          const k = key();
          msg(k, ts, { type, item: code, qty: 1 });
          sink?.event(k, ts, type, code, 1);
          s.stock[code]! -= 1;
          if (type === 'lend') {
            s.lentOut++;
            item(code).lent++;
          } else item(code).dispensed++;
        }
      }
      // Lent umbrellas come back on dry days.
      if (!rainy && s.lentOut > 0 && rng.next() < 0.3) {
        const ts = start + 30 * 60_000;
        const k = key();
        msg(k, ts, { type: 'return', item: 'umbrella', qty: 1 });
        sink?.event(k, ts, 'return', 'umbrella', 1);
        s.lentOut--;
        s.stock.umbrella! += 1;
        item('umbrella').returned++;
      }
      if (visitors > 0) {
        const ts = start + HOUR - 60_000;
        const k = key();
        msg(k, ts, { type: 'visit', count: visitors });
        sink?.event(k, ts, 'visit', null, visitors);
        h.visitors = visitors;
      }
    }
    for (let m = 0; m < 60; m += STATION_STATUS_MIN) {
      const ts = start + m * 60_000 + 30_000;
      const k = key();
      msg(k, ts, { type: 'status', open });
      sink?.sample(k, ts, null, null, null, null, open ? 1 : 0, 0);
      h.samples++;
    }
    // The hour's stock reading, after its events.
    const ts = start + HOUR - 30_000;
    const k = key();
    msg(k, ts, { type: 'stock', levels: { ...s.stock } });
    for (const code of ITEMS) sink?.stock(k, code, ts, s.stock[code]!);
  } else {
    // Sun between 06:00 and 18:00, dimmed on rainy days; evening charging at the squares.
    for (let m = 0; m < 60; m += BENCH_STATUS_MIN) {
      const ts = start + m * 60_000 + 15_000;
      const t = hour + m / 60;
      const sun = t > 6 && t < 18 ? Math.sin(((t - 6) / 12) * Math.PI) : 0;
      const solarW = r1(sun * (rainy ? 15 : 60) * (0.8 + 0.4 * rng.next()));
      const loadW = r1(1.5 + (hour >= 18 && hour < 22 ? 8 * rng.next() : 2 * rng.next()));
      s.soc = Math.min(100, Math.max(5, s.soc + (solarW - loadW) * 0.05));
      const soc = r1(s.soc);
      // Trapezoid since the previous solar sample, when at most 20 minutes before (as ingest integrates).
      const solarWh = s.lastTs && ts - s.lastTs <= 20 * 60_000 ? ((s.lastSolarW + solarW) / 2) * ((ts - s.lastTs) / HOUR) : 0;
      s.lastSolarW = solarW;
      s.lastTs = ts;
      const ports = hour >= 18 && hour < 22 ? Math.floor(rng.next() * 3) : 0;
      const k = key();
      msg(k, ts, { type: 'status', battery_soc: soc, solar_w: solarW, load_w: loadW, ports_in_use: ports });
      sink?.sample(k, ts, soc, solarW, loadW, ports, null, solarWh);
      h.samples++;
      h.batt_min = h.batt_min === null ? soc : Math.min(h.batt_min, soc);
      h.batt_sum += soc;
      h.batt_n++;
      h.load_sum += loadW;
      h.load_n++;
      h.solar_wh += solarWh;
    }
    const sessions = rng.poisson(hour >= 18 && hour < 22 ? 1.5 : hour >= 8 && hour < 18 ? 0.3 : 0.02);
    for (let i = 0; i < sessions; i++) {
      const startedAt = start + Math.floor(rng.next() * 40) * 60_000;
      const endedAt = startedAt + (10 + Math.floor(rng.next() * 50)) * 60_000;
      const energy = r1(3 + rng.next() * 15);
      const port = 1 + Math.floor(rng.next() * 4);
      const k = key();
      msg(k, endedAt, { type: 'charging_session', port, started_at: startedAt, ended_at: endedAt, energy_wh: energy });
      sink?.session(k, port, startedAt, endedAt, energy);
      h.sessions++;
      h.energy_wh += energy;
    }
  }
  return { hourly: h, items: [...items.values()] };
}

export const PAR_LEVELS = PAR;
