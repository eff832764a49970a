/**
 * A solar smart bench: panel → charge controller → battery → USB / wireless ports. Pure: one call
 * simulates one local day from the bench's state and returns the new state and the readings the
 * bench's firmware would report (true times; the device link stamps and transmits them).
 */
import { hourOf, MINUTE, type SimDay } from './clock.ts';
import type { Reading } from './messages.ts';
import type { Rng } from './rng.ts';
import { panelWatts, sunPosition, type Sun } from './solar.ts';
import { airTemp, type DayWeather } from './weather.ts';

export interface BenchSpec {
  id: string;
  lat: number;
  lon: number;
  /** Rated panel power, W. */
  panelW: number;
  /** Usable battery energy, Wh (12.8 V LiFePO4 pack). */
  capacityWh: number;
  ports: number;
  /** Stands on or beside a square where people dance in the evening (广场舞): speakers charge here. */
  danceSquare: boolean;
  /** Relative footfall, 1 = an average pocket park. */
  popularity: number;
  /** Dust builds up faster and nobody cleans it (the bench that fails silently). */
  neglected?: boolean;
}

export interface ActiveSession {
  port: number;
  startedAt: number;
  plannedEnd: number;
  /** Draw at the start, W (phones taper as they fill; speakers do not). */
  watts: number;
  taper: boolean;
  energyWh: number;
  peakW: number;
}

export interface BenchState {
  socWh: number;
  /** Dirt on the panel, 0–1. */
  soiling: number;
  /** Days until staff next wipe the panel. */
  cleanInDays: number;
  /** Ports out of order until the given instant. */
  brokenPorts: Record<number, number>;
  sessions: ActiveSession[];
  /** Low-voltage disconnect: output off until the battery recovers. */
  cutOff: boolean;
  /** Battery exhausted: everything off, nothing reported. */
  dark: boolean;
  activeFaults: string[];
}

/** Internal integration step and the firmware's status interval. */
const STEP = 5 * MINUTE;
export const BENCH_STATUS_EVERY = 10 * MINUTE;
const STANDBY_W = 1.8; // controller, 4G modem, wireless-pad idle
const NIGHT_LIGHT_W = 6; // seat and ambient LED strips in the evening
const CHARGE_EFF = 0.92;
const CUT_OFF_SOC = 5;
const RECONNECT_SOC = 15;
const DARK_SOC = 1;
const WAKE_SOC = 8;

export function initialBenchState(spec: BenchSpec, rng: Rng): BenchState {
  return {
    socWh: spec.capacityWh * rng.uniform(0.55, 0.9),
    soiling: rng.uniform(0, 0.08),
    cleanInDays: rng.int(3, 30),
    brokenPorts: {},
    sessions: [],
    cutOff: false,
    dark: false,
    activeFaults: [],
  };
}

/** Expected charging sessions starting per hour, by local hour. */
function arrivalsPerHour(spec: BenchSpec, hour: number, d: SimDay, w: DayWeather, rainingNow: boolean): number {
  let base: number;
  if (hour < 6) base = 0.01;
  else if (hour < 9)
    base = 0.35; // morning walkers, commuters
  else if (hour < 12) base = 0.3;
  else if (hour < 14) base = 0.4;
  else if (hour < 17) base = 0.3;
  else if (hour < 19) base = 0.5;
  else if (hour < 22)
    base = spec.danceSquare ? 1.6 : 0.55; // dance squares: speakers before and during the dance
  else base = 0.08;
  if (spec.danceSquare && hour >= 6 && hour < 8) base += 0.4; // morning exercise groups
  let f = spec.popularity * (d.weekend ? 1.3 : 1);
  if (rainingNow) f *= 0.15;
  const t = airTemp(w, hour);
  if (t < 0) f *= 0.35;
  else if (t < 8) f *= 0.6;
  else if (t > 34 && hour >= 11 && hour < 17) f *= 0.5; // nobody sits in the midday sun in a heat wave
  return base * f;
}

/** The sun stands the same for every bench within a few km: memoise per step and 0.1° cell. */
const sunCache = new Map<string, Sun>();
function sunAt(ms: number, lat: number, lon: number): Sun {
  const cellLat = Math.round(lat * 10) / 10;
  const cellLon = Math.round(lon * 10) / 10;
  const key = `${ms}|${cellLat}|${cellLon}`;
  let s = sunCache.get(key);
  if (s === undefined) {
    if (sunCache.size > 200_000) sunCache.clear();
    s = sunPosition(ms, cellLat, cellLon);
    sunCache.set(key, s);
  }
  return s;
}

/** Seat LEDs: from dusk to 23:00, and from 05:00 until it is light. */
function lightsOn(sunAltitude: number, hour: number): boolean {
  return sunAltitude < -0.05 && (hour >= 12 ? hour < 23 : hour >= 5);
}

function batteryVolts(socPct: number, netW: number): number {
  // LiFePO4 4S: flat plateau around 13.2 V, steep ends; charging lifts, load sags the terminal.
  const s = socPct / 100;
  const ocv = 12.0 + 1.2 * s + 0.4 * Math.max(0, s - 0.9) * 10 - 0.6 * Math.max(0, 0.1 - s) * 10;
  return round2(ocv + netW * 0.004);
}

function sessionWatts(s: ActiveSession, ms: number): number {
  if (!s.taper) return s.watts;
  const progress = Math.min(1, (ms - s.startedAt) / Math.max(1, s.plannedEnd - s.startedAt));
  return s.watts * (1 - 0.6 * progress);
}

export function simulateBenchDay(
  spec: BenchSpec,
  state: BenchState,
  d: SimDay,
  w: DayWeather,
  rng: Rng,
): { state: BenchState; readings: Reading[] } {
  const readings: Reading[] = [];
  const s: BenchState = structuredClone(state);

  // Panel dirt: dust every day, rain washes, staff wipe on their round.
  // A neglected panel also gathers caked dirt (bird droppings, building dust) that rain leaves.
  s.soiling = Math.min(0.9, s.soiling + (spec.neglected ? 0.015 : 0.003) * rng.uniform(0.5, 1.5));
  if (w.rain && w.rain.mm >= 5) s.soiling *= spec.neglected ? 0.85 : 0.35;
  if (!spec.neglected && --s.cleanInDays <= 0) {
    s.soiling = 0.01;
    s.cleanInDays = rng.int(20, 35);
  }

  // A port breaks now and then (vandalism, water in the socket) and is repaired in a few days.
  for (const [port, until] of Object.entries(s.brokenPorts)) {
    if (until <= d.start) {
      delete s.brokenPorts[Number(port)];
      readings.push({
        at: d.start + rng.int(9 * 60, 16 * 60) * MINUTE,
        type: 'fault',
        code: `port_${port}_fault`,
        active: false,
        detail: 'repaired',
      });
    }
  }
  if (rng.chance(1 / 250)) {
    const port = rng.int(1, spec.ports);
    if (!s.brokenPorts[port]) {
      const at = d.start + rng.int(0, 1439) * MINUTE;
      s.brokenPorts[port] = d.start + rng.int(1, 5) * 86_400_000;
      readings.push({ at, type: 'fault', code: `port_${port}_fault`, active: true, detail: 'no current on the port' });
    }
  }

  // Arrivals for the day, each with what is plugged in.
  const arrivals: Array<{ at: number; minutes: number; watts: number; taper: boolean }> = [];
  for (let h = 0; h < 24; h++) {
    const rainingNow = w.rain !== null && h >= w.rain.from && h < w.rain.to;
    const n = rng.poisson(arrivalsPerHour(spec, h, d, w, rainingNow));
    for (let i = 0; i < n; i++) {
      const at = d.start + (h * 60 + rng.next() * 60) * MINUTE;
      const speaker = spec.danceSquare && h >= 17 && h < 22 ? rng.chance(0.6) : rng.chance(0.08);
      arrivals.push(
        speaker
          ? { at, minutes: rng.uniform(45, 150), watts: rng.uniform(8, 15), taper: false }
          : { at, minutes: rng.uniform(15, 80), watts: rng.uniform(5, 10), taper: true },
      );
    }
  }
  arrivals.sort((a, b) => a.at - b.at);
  let next = 0;

  const flickerOn = w.cloud > 0.25 && w.cloud < 0.85;
  for (let t = d.start; t < d.end; t += STEP) {
    const tEnd = t + STEP;
    const hour = hourOf(d, t);
    const air = airTemp(w, hour);
    const sun = sunAt(t + STEP / 2, spec.lat, spec.lon);
    const solar = panelWatts(
      { panelW: spec.panelW, soiling: s.soiling, airC: air },
      sun,
      w.rain && hour >= w.rain.from && hour < w.rain.to ? 0.95 : w.cloud,
      flickerOn ? rng.uniform(0.55, 1.15) : 1,
    );

    // New arrivals take the lowest free working port; none free (or output cut off): they leave.
    while (next < arrivals.length && arrivals[next]!.at < tEnd) {
      const a = arrivals[next++]!;
      if (s.cutOff) continue;
      const busy = new Set(s.sessions.map((x) => x.port));
      let port = 0;
      for (let p = 1; p <= spec.ports; p++)
        if (!busy.has(p) && !s.brokenPorts[p]) {
          port = p;
          break;
        }
      if (!port) continue;
      s.sessions.push({
        port,
        startedAt: a.at,
        plannedEnd: a.at + a.minutes * MINUTE,
        watts: round2(a.watts),
        taper: a.taper,
        energyWh: 0,
        peakW: 0,
      });
    }

    // Energy of this step: sessions only for the part of the step they are plugged in.
    let sessionsWh = 0;
    for (const x of s.sessions) {
      const from = Math.max(t, x.startedAt);
      const to = Math.min(tEnd, x.plannedEnd);
      if (to <= from) continue;
      const wNow = sessionWatts(x, (from + to) / 2);
      const wh = (wNow * (to - from)) / 3_600_000;
      x.energyWh += wh;
      x.peakW = Math.max(x.peakW, wNow);
      sessionsWh += wh;
    }
    const lights = lightsOn(sun.altitude, hour);
    // Deep-discharge protection switches the controller and modem off: the bench goes dark
    // (no lights, no reports) until the sun has put some charge back.
    const socBefore = (100 * s.socWh) / spec.capacityWh;
    if (!s.dark && socBefore < DARK_SOC) s.dark = true;
    else if (s.dark && socBefore > WAKE_SOC) s.dark = false;
    const baseW = s.dark ? 0 : STANDBY_W + (lights ? NIGHT_LIGHT_W : 0);
    const inWh = (solar * CHARGE_EFF * STEP) / 3_600_000;
    const outWh = (baseW * STEP) / 3_600_000 + sessionsWh;
    s.socWh = Math.min(spec.capacityWh, Math.max(0, s.socWh + inWh - outWh));
    const soc = (100 * s.socWh) / spec.capacityWh;

    // Low-voltage disconnect ends every session at once; output returns once recharged.
    if (!s.cutOff && soc < CUT_OFF_SOC) {
      s.cutOff = true;
      for (const x of s.sessions) x.plannedEnd = Math.min(x.plannedEnd, tEnd);
    } else if (s.cutOff && soc > RECONNECT_SOC) s.cutOff = false;
    setFault(s, readings, 'battery_low', soc < 15, soc > 30, tEnd, `state of charge ${soc.toFixed(0)} %`);

    // Finished sessions: one record each, sent when the port is released.
    const still: ActiveSession[] = [];
    for (const x of s.sessions) {
      if (x.plannedEnd <= tEnd) {
        readings.push({
          at: x.plannedEnd + rng.int(1, 30) * 1000,
          type: 'charging_session',
          port: x.port,
          startedAt: x.startedAt,
          endedAt: x.plannedEnd,
          energy_wh: round2(x.energyWh),
          peak_w: round2(x.peakW),
        });
      } else still.push(x);
    }
    s.sessions = still;

    // The status sample every 10 minutes (at the end of a step on the interval).
    if ((tEnd - d.start) % BENCH_STATUS_EVERY === 0 && !s.dark) {
      const loadW = baseW + s.sessions.reduce((sum, x) => sum + sessionWatts(x, tEnd), 0);
      const enclosure = air + 18 * Math.min(1, solar / Math.max(1, spec.panelW)) + rng.normal(0, 0.3);
      setFault(s, readings, 'over_temp', enclosure > 65, enclosure < 55, tEnd, `enclosure ${enclosure.toFixed(0)} °C`);
      readings.push({
        at: tEnd,
        type: 'status',
        battery_soc: round1(soc),
        battery_v: batteryVolts(soc, solar * CHARGE_EFF - loadW),
        solar_w: round1(solar),
        load_w: round1(loadW),
        temp_c: round1(enclosure),
        ports_in_use: s.sessions.length,
        fault_codes: [...s.activeFaults, ...Object.keys(s.brokenPorts).map((p) => `port_${p}_fault`)].sort(),
      });
    }
  }
  readings.sort((a, b) => a.at - b.at);
  return { state: s, readings };
}

/** Raise a fault when `raise` holds, clear it when `clear` holds (hysteresis), as a message. */
function setFault(s: BenchState, out: Reading[], code: string, raise: boolean, clear: boolean, at: number, detail: string): void {
  const active = s.activeFaults.includes(code);
  if (!active && raise) {
    s.activeFaults.push(code);
    out.push({ at, type: 'fault', code, active: true, detail });
  } else if (active && clear) {
    s.activeFaults = s.activeFaults.filter((c) => c !== code);
    out.push({ at, type: 'fault', code, active: false, detail });
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
