import { describe, expect, test } from 'vitest';
import { initialBenchState, simulateBenchDay, type BenchSpec } from '../../scripts/sim/bench.ts';
import { addDays, simDay, startOfLocalDay } from '../../scripts/sim/clock.ts';
import { DeviceRun, type SimDevice } from '../../scripts/sim/device.ts';
import type { ChargingSessionMessage, Reading, StatusMessage } from '../../scripts/sim/messages.ts';
import { rngFor } from '../../scripts/sim/rng.ts';
import { panelWatts, sunPosition } from '../../scripts/sim/solar.ts';
import { initialStationState, simulateStationDay, type StationSpec } from '../../scripts/sim/station.ts';
import type { DayWeather } from '../../scripts/sim/weather.ts';
import { dayWeather } from '../../scripts/sim/weather.ts';
import { normalizeEnvelopeMessage } from '../../worker/domain/telemetry/envelope.ts';

const TZ = 'Asia/Shanghai';
const LAT = 36.46;
const LON = 115.98;

const bench: BenchSpec = { id: 'b', lat: LAT, lon: LON, panelW: 80, capacityWh: 512, ports: 4, danceSquare: true, popularity: 1 };
const station: StationSpec = {
  id: 's',
  openingHours: 'Mo-Su 06:00-22:00',
  busy: 1.5,
  crew: 'crew-1',
  items: {
    water: { par: 48, reorder: 12 },
    towel: { par: 20, reorder: 5 },
    umbrella: { par: 12, reorder: 3 },
    medicine_kit: { par: 10, reorder: 3 },
  },
};
const weather = (day: string, over: Partial<DayWeather> = {}): DayWeather => ({
  day,
  tMax: 28,
  tMin: 18,
  cloud: 0.3,
  rain: null,
  heat: false,
  ...over,
});

/** Local noon / midnight instants of a day in the city. */
const at = (day: string, hour: number) => startOfLocalDay(day, TZ) + hour * 3_600_000;

describe('solar input follows the sun', () => {
  test('nothing at night, most at noon, more energy in June than in December', () => {
    const p = { panelW: 100, soiling: 0, airC: 20 };
    const w = (day: string, hour: number) => panelWatts(p, sunPosition(at(day, hour), LAT, LON), 0);
    const dailyWh = (day: string) => {
      let wh = 0;
      for (let m = 0; m < 24 * 60; m += 10) wh += (w(day, m / 60) * 10) / 60;
      return wh;
    };
    expect(w('2026-06-21', 0)).toBe(0);
    expect(w('2026-06-21', 12.2)).toBeGreaterThan(w('2026-06-21', 8));
    expect(w('2026-06-21', 12.2)).toBeLessThan(100);
    // A tilted panel gets more at a winter noon than a flat one would, but the days are short.
    expect(dailyWh('2026-06-21')).toBeGreaterThan(dailyWh('2026-12-21') * 1.3);
    expect(dailyWh('2026-12-21')).toBeGreaterThan(150); // a 100 W panel on a clear winter day
  });

  test('clouds and dirt take their share', () => {
    const alt = sunPosition(at('2026-06-21', 12.2), LAT, LON);
    const clear = panelWatts({ panelW: 100, soiling: 0, airC: 20 }, alt, 0);
    // Overcast lets a quarter through (Kasten–Czeplak); the cooler cell loses a little less to heat.
    const overcast = panelWatts({ panelW: 100, soiling: 0, airC: 20 }, alt, 1);
    expect(overcast / clear).toBeGreaterThan(0.25);
    expect(overcast / clear).toBeLessThan(0.3);
    expect(panelWatts({ panelW: 100, soiling: 0.5, airC: 20 }, alt, 0)).toBeCloseTo(clear * 0.5, 5);
  });
});

describe('a solar bench', () => {
  const day = '2026-07-18'; // a Saturday
  const run = (spec: BenchSpec, w: DayWeather, seed: number) =>
    simulateBenchDay(spec, initialBenchState(spec, rngFor(seed, 'init')), simDay(day, TZ), w, rngFor(seed, day));

  test('reports every 10 minutes with values inside the contract ranges', () => {
    const { readings } = run(bench, weather(day), 1);
    const status = readings.filter((r) => r.type === 'status') as Array<Reading & StatusMessage>;
    expect(status).toHaveLength(144);
    for (const s of status) {
      expect(s.battery_soc).toBeGreaterThanOrEqual(0);
      expect(s.battery_soc).toBeLessThanOrEqual(100);
      expect(s.ports_in_use).toBeLessThanOrEqual(bench.ports);
      expect(s.solar_w).toBeGreaterThanOrEqual(0);
    }
    const night = status.filter((s) => new Date(s.at).getUTCHours() === 18); // 02:00 local
    expect(night.every((s) => s.solar_w === 0)).toBe(true);
  });

  test('the battery drains at night and charges by day', () => {
    const quiet = { ...bench, popularity: 0 };
    const { readings } = run(quiet, weather(day, { cloud: 0 }), 2);
    const soc = (hour: number) =>
      (readings.find((r) => r.type === 'status' && r.at >= at(day, hour)) as unknown as StatusMessage).battery_soc!;
    expect(soc(5)).toBeLessThan(soc(0)); // night: lights and modem only
    const state = initialBenchState(quiet, rngFor(2, 'init'));
    const empty = simulateBenchDay(
      quiet,
      { ...state, socWh: quiet.capacityWh * 0.3 },
      simDay(day, TZ),
      weather(day, { cloud: 0 }),
      rngFor(2, day),
    );
    const s = (hour: number) =>
      (empty.readings.find((r) => r.type === 'status' && r.at >= at(day, hour)) as unknown as StatusMessage).battery_soc!;
    expect(s(16)).toBeGreaterThan(s(7) + 10);
  });

  test('charging sessions peak in the evening at a dance square and are sound records', () => {
    const byHour = new Array(24).fill(0);
    for (let seed = 0; seed < 30; seed++) {
      const { readings } = run(bench, weather(day), seed);
      for (const r of readings) {
        if (r.type !== 'charging_session') continue;
        const c = r as Reading & ChargingSessionMessage;
        expect(r.endedAt!).toBeGreaterThanOrEqual(r.startedAt!);
        expect(r.at).toBeGreaterThanOrEqual(r.endedAt!);
        expect(c.energy_wh).toBeGreaterThanOrEqual(0);
        expect(c.port).toBeGreaterThanOrEqual(1);
        expect(c.port).toBeLessThanOrEqual(bench.ports);
        byHour[Math.floor((r.startedAt! - at(day, 0)) / 3_600_000)]++;
      }
    }
    const evening = byHour[19] + byHour[20] + byHour[21];
    const afternoon = byHour[14] + byHour[15] + byHour[16];
    expect(evening).toBeGreaterThan(afternoon * 2);
  });

  test('weekends bring more sessions than weekdays, rain far fewer', () => {
    const count = (d: string, w: DayWeather) => {
      let n = 0;
      for (let seed = 0; seed < 30; seed++) {
        const r = simulateBenchDay(bench, initialBenchState(bench, rngFor(seed, 'init')), simDay(d, TZ), w, rngFor(seed, d));
        n += r.readings.filter((x) => x.type === 'charging_session').length;
      }
      return n;
    };
    expect(count('2026-07-18', weather('2026-07-18'))).toBeGreaterThan(count('2026-07-15', weather('2026-07-15')));
    expect(count('2026-07-15', weather('2026-07-15', { rain: { from: 0, to: 24, mm: 30 } }))).toBeLessThan(
      count('2026-07-15', weather('2026-07-15')) / 3,
    );
  });
});

describe('a rest station', () => {
  const day = '2026-07-15';
  const run = (w: DayWeather, seed: number, state = initialStationState(station, rngFor(seed, 'init'))) =>
    simulateStationDay(station, state, simDay(day, TZ), w, rngFor(seed, day), TZ);
  const total = (readings: Reading[], type: string, item: string) =>
    readings.filter((r) => r.type === type && 'item' in r && r.item === item).reduce((s, r) => s + ('qty' in r ? (r.qty as number) : 0), 0);

  test('hands out more water in a heat wave than on a mild day', () => {
    let hot = 0;
    let mild = 0;
    for (let seed = 0; seed < 20; seed++) {
      const full = {
        onHand: { water: 1000, towel: 100, umbrella: 12, medicine_kit: 10 },
        loans: [],
        restockAt: null,
        jammedUntil: null,
        open: null,
      };
      hot += total(run(weather(day, { tMax: 38, tMin: 27, heat: true }), seed, structuredClone(full)).readings, 'dispense', 'water');
      mild += total(run(weather(day, { tMax: 22, tMin: 14 }), seed, structuredClone(full)).readings, 'dispense', 'water');
    }
    expect(hot).toBeGreaterThan(mild * 1.8);
  });

  test('stock never goes negative and every hourly count is explained by the events', () => {
    let state = initialStationState(station, rngFor(5, 'init'));
    let d = '2026-07-01';
    for (let i = 0; i < 20; i++, d = addDays(d, 1)) {
      const out = simulateStationDay(station, state, simDay(d, TZ), dayWeather(5, d), rngFor(5, d), TZ);
      let prev: Record<string, number> | null = null;
      let since: Record<string, number> = {};
      for (const r of out.readings) {
        if (r.type === 'stock') {
          for (const [item, level] of Object.entries(r.levels)) {
            expect(level).toBeGreaterThanOrEqual(0);
            // The count may be lower than the events explain (taken by hand), never higher.
            if (prev) expect(level).toBeLessThanOrEqual(prev[item]! + (since[item] ?? 0));
          }
          prev = r.levels;
          since = {};
        } else if (r.type === 'dispense' || r.type === 'lend') since[r.item] = (since[r.item] ?? 0) - r.qty;
        else if (r.type === 'restock' || r.type === 'return') since[r.item] = (since[r.item] ?? 0) + r.qty;
      }
      state = out.state;
    }
  });

  test('lends umbrellas only around rain, hands none out, and gets most back', () => {
    const dry = run(weather(day), 3).readings;
    expect(dry.filter((r) => r.type === 'lend')).toHaveLength(0);
    expect(total(dry, 'dispense', 'umbrella')).toBe(0);
    let state = initialStationState(station, rngFor(3, 'init'));
    let lent = 0;
    let returned = 0;
    let d = '2026-07-10';
    for (let i = 0; i < 12; i++, d = addDays(d, 1)) {
      const w = weather(d, i < 2 ? { rain: { from: 8, to: 18, mm: 25 } } : {});
      const out = simulateStationDay(station, state, simDay(d, TZ), w, rngFor(3, d), TZ);
      for (const r of out.readings) {
        if (r.type === 'lend') {
          lent += r.qty;
          expect(i).toBeLessThan(2);
          expect((r.at - at(d, 0)) / 3_600_000).toBeGreaterThanOrEqual(7);
          expect((r.at - at(d, 0)) / 3_600_000).toBeLessThan(18);
        }
        if (r.type === 'return') returned += r.qty;
      }
      state = out.state;
    }
    expect(lent).toBeGreaterThan(5);
    expect(returned).toBeGreaterThanOrEqual(lent * 0.6);
    expect(returned).toBeLessThanOrEqual(lent);
  });

  test('is silent while closed apart from its sensors', () => {
    const { readings } = run(weather(day), 4);
    for (const r of readings) {
      const hour = (r.at - at(day, 0)) / 3_600_000;
      if (hour < 6 || hour >= 22) expect(['stock', 'status', 'fault']).toContain(r.type);
    }
  });
});

describe('the device link', () => {
  const devices: SimDevice[] = [
    {
      id: 'bench-x',
      kind: 'bench',
      bench,
      link: { tsFormat: 'rfc3339', uploadEvery: 600_000, lifoBacklog: true, outagePerDay: 0.5, lostAckRate: 0.05 },
    },
    {
      id: 'kiosk-x',
      kind: 'station',
      station,
      link: { tsFormat: 'ms', uploadEvery: 300_000, lifoBacklog: false, outagePerDay: 0.5, lostAckRate: 0.05 },
    },
  ];
  const start = at('2026-07-01', 0);
  const until = at('2026-07-08', 0);

  test('is reproducible for a seed and differs for another', () => {
    const a = new DeviceRun(devices[0]!, 11, start).take(until);
    const b = new DeviceRun(devices[0]!, 11, start).take(until);
    const c = new DeviceRun(devices[0]!, 12, start).take(until);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  test('flushes what has happened by an instant, outage backlog included, and keeps the rest', () => {
    const run = new DeviceRun(devices[0]!, 21, start);
    const cut = at('2026-07-04', 12);
    const sent = run.take(cut);
    const flushed = run.takeAll(cut);
    expect(flushed.every((o) => o.at <= cut && o.sendAt > cut)).toBe(true);
    expect(run.pending).toBeGreaterThan(0); // the afternoon of July 4, simulated but not happened by `cut`
    const later = run.take(until);
    expect(later.every((o) => o.at > cut)).toBe(true);
    const fresh = new DeviceRun(devices[0]!, 21, start);
    expect(sent.length + flushed.length + later.length + run.pending).toBe(fresh.take(until).length + fresh.pending);
  });

  for (const device of devices) {
    test(`${device.kind}: numbers, stamps, buffers and resends like firmware`, () => {
      const out = new DeviceRun(device, 21, start).take(until);
      const bySeq = new Map<number, string>();
      let dups = 0;
      let late = 0;
      let lastSeq = -1;
      let outOfOrder = 0;
      for (const o of out) {
        const m = o.message;
        const body = JSON.stringify(m);
        const first = bySeq.get(m.seq);
        if (first !== undefined) {
          expect(body).toBe(first); // a resend carries the same content
          dups++;
        } else bySeq.set(m.seq, body);
        if (m.seq < lastSeq) outOfOrder++;
        lastSeq = Math.max(lastSeq, m.seq);
        const ts = typeof m.ts === 'number' ? m.ts : Date.parse(m.ts);
        expect(typeof m.ts).toBe(device.link.tsFormat === 'ms' ? 'number' : 'string');
        // The device clock is off by at most 90 s, and a message is never sent before it exists.
        expect(o.sendAt).toBeGreaterThanOrEqual(ts - 91_000);
        if (o.sendAt - ts > 3 * device.link.uploadEvery) late++;
        // What the device sends passes the server's own validation at the moment it is sent.
        const v = normalizeEnvelopeMessage(JSON.parse(body), 0, { now: o.sendAt, maxAgeDays: 90, maxFutureMs: 5 * 60_000 });
        expect(v.ok ? 'ok' : JSON.stringify(v.rejected)).toBe('ok');
      }
      expect(dups).toBeGreaterThan(0);
      expect(late).toBeGreaterThan(0); // an outage's backlog, sent after it
      if (device.link.lifoBacklog) expect(outOfOrder).toBeGreaterThan(0);
      const seqs = [...bySeq.keys()].sort((x, y) => x - y);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs[0]).toBe(Math.floor(start / 1000));
      for (let i = 1; i < out.length; i++) expect(out[i]!.sendAt).toBeGreaterThanOrEqual(out[i - 1]!.sendAt);
    });
  }
});
