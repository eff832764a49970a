/**
 * One simulated device over time: its physical model (bench or station) and its link, advanced a
 * local day at a time. Deterministic for (seed, spec, start): the same run gives the same messages.
 */
import { initialBenchState, simulateBenchDay, type BenchSpec, type BenchState } from './bench.ts';
import { addDays, CITY_TZ, localDay, simDay } from './clock.ts';
import { initialLinkState, transmitDay, type LinkSpec, type LinkState } from './link.ts';
import type { Outgoing } from './messages.ts';
import { hash32, rngFor } from './rng.ts';
import { initialStationState, simulateStationDay, type StationSpec, type StationState } from './station.ts';
import { dayWeather, type DayWeather } from './weather.ts';

export type SimDevice =
  | { id: string; kind: 'bench'; bench: BenchSpec; link: LinkSpec }
  | { id: string; kind: 'station'; station: StationSpec; link: LinkSpec };

const weatherCache = new Map<string, DayWeather>();
export function weatherOf(seed: number, day: string): DayWeather {
  const key = `${seed}|${day}`;
  let w = weatherCache.get(key);
  if (!w) {
    w = dayWeather(seed, day);
    weatherCache.set(key, w);
  }
  return w;
}

export class DeviceRun {
  readonly device: SimDevice;
  private readonly seed: number;
  private readonly start: number;
  private readonly tz: string;
  private model: BenchState | StationState;
  private link: LinkState;
  /** The next local day to simulate. */
  private day: string;
  /** Simulated, not yet taken, sorted by sendAt. */
  private queue: Outgoing[] = [];
  private readonly phase: number;

  constructor(device: SimDevice, seed: number, start: number, tz = CITY_TZ) {
    this.device = device;
    this.seed = seed;
    this.start = start;
    this.tz = tz;
    const init = rngFor(seed, device.id, 'init');
    this.model = device.kind === 'bench' ? initialBenchState(device.bench, init) : initialStationState(device.station, init);
    this.link = initialLinkState(start, init);
    this.day = localDay(start, tz);
    this.phase = hash32(device.id) % device.link.uploadEvery;
  }

  /** Simulate whole days until every reading up to `until` (true time) exists. */
  advanceTo(until: number): void {
    if (!Number.isFinite(until)) throw new RangeError('advanceTo needs a finite instant');
    while (simDay(this.day, this.tz).start <= until) {
      const d = simDay(this.day, this.tz);
      const w = weatherOf(this.seed, this.day);
      const rng = rngFor(this.seed, this.device.id, this.day);
      const out =
        this.device.kind === 'bench'
          ? simulateBenchDay(this.device.bench, this.model as BenchState, d, w, rng)
          : simulateStationDay(this.device.station, this.model as StationState, d, w, rng, this.tz);
      this.model = out.state;
      const readings = out.readings.filter((r) => r.at >= this.start);
      const sent = transmitDay(
        this.device.link,
        this.link,
        d,
        readings,
        rngFor(this.seed, this.device.id, this.day, 'link'),
        this.phase,
        this.tz,
      );
      this.link = sent.state;
      this.queue = mergeBySendAt(this.queue, sent.outgoing);
      this.day = addDays(this.day, 1);
    }
  }

  /** Remove and return what the device has transmitted by `until` (sendAt ≤ until), in order. */
  take(until: number): Outgoing[] {
    this.advanceTo(until);
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.sendAt <= until) n++;
    return this.queue.splice(0, n);
  }

  /**
   * Everything that has happened by `until`, transmitted yet or not (a test flushing a device's
   * backlog); readings after `until` stay queued.
   */
  takeAll(until = Infinity): Outgoing[] {
    if (Number.isFinite(until)) this.advanceTo(until);
    const now: Outgoing[] = [];
    const later: Outgoing[] = [];
    for (const o of this.queue) (o.at <= until ? now : later).push(o);
    this.queue = later;
    return now;
  }

  /** Messages simulated but not yet transmitted (an outage in progress). */
  get pending(): number {
    return this.queue.length;
  }
}

function mergeBySendAt(a: Outgoing[], b: Outgoing[]): Outgoing[] {
  if (!a.length) return b;
  if (!b.length) return a;
  const out: Outgoing[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.sendAt <= b[j]!.sendAt ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
