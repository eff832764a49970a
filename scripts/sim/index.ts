/**
 * The simulator's entry point for scripts and tests: play a fleet of devices from a start instant
 * and post what they transmit through the device contract.
 *
 *   const fleet = new Fleet(city.devices.map((d) => ({ device: d, token: tokens[d.id] })), { seed, start });
 *   await fleet.post(url, Date.now(), { onProgress });      // backfill up to now
 *   fleet.live(url, { everyMs: 30_000 });                     // then keep posting
 */
import { CITY_TZ, DAY } from './clock.ts';
import { DeviceRun, type SimDevice } from './device.ts';
import { tsMs } from './totals.ts';
import { batches, DeviceAuthError, emptyStats, MAX_BATCH, postQueues, type DeviceQueue, type PostStats } from './post.ts';
import type { SentLedger } from './totals.ts';

export { DeviceRun, type SimDevice } from './device.ts';
export { SentLedger, type SupplyTotals } from './totals.ts';
export { emptyStats, type PostStats } from './post.ts';

export interface FleetDevice {
  device: SimDevice;
  token: string;
}

export interface FleetOptions {
  seed: number;
  /** First instant simulated (true time, epoch ms). */
  start: number;
  tz?: string;
}

export interface PostRunOptions {
  batchSize?: number;
  concurrency?: number;
  /** Post in chunks of this many simulated days (bounded memory, steady progress). */
  chunkDays?: number;
  /** Drop messages whose ts is before this (the server would refuse them as ts_too_old). */
  notBefore?: number;
  /**
   * Send everything that happened by `until`, even what a device still holds back (an outage or
   * its upload cadence): tests compare whole days.
   */
  flush?: boolean;
  ledger?: SentLedger;
  stats?: PostStats;
  /** Progress: simulated time posted so far (ms since start) and messages posted. */
  onProgress?: (p: { simulatedMs: number; totalMs: number; messages: number }) => void;
  /** A device's token was refused (401/403): return a fresh one (rotate it) or null to skip it. */
  onAuthError?: (device: string) => Promise<string | null>;
}

export class Fleet {
  readonly runs: DeviceRun[];
  private readonly tokens = new Map<string, string>();
  /** Everything with sendAt ≤ this has been collected. */
  private collectedUntil: number;
  /** Requests a failed post left unsent (server down): sent first next time, like a device would. */
  private unsent: DeviceQueue[] = [];

  constructor(devices: FleetDevice[], opts: FleetOptions) {
    this.collectedUntil = opts.start;
    this.runs = devices.map((d) => new DeviceRun(d.device, opts.seed, opts.start, opts.tz ?? CITY_TZ));
    for (const d of devices) this.tokens.set(d.device.id, d.token);
  }

  get postedUntil(): number {
    return this.collectedUntil;
  }

  /** Skip posting up to `until` (already stored by an earlier run): simulate and drop. */
  skipTo(until: number): void {
    for (const r of this.runs) r.take(until);
    this.collectedUntil = Math.max(this.collectedUntil, until);
  }

  private collect(until: number, opts: PostRunOptions): { queues: DeviceQueue[]; messages: number } {
    let messages = 0;
    const queues: DeviceQueue[] = [];
    for (const r of this.runs) {
      let out = opts.flush ? r.takeAll(until) : r.take(until);
      if (opts.notBefore !== undefined) out = out.filter((o) => tsMs(o.message.ts) >= opts.notBefore!);
      if (!out.length) continue;
      messages += out.length;
      queues.push({ device: r.device.id, token: this.tokens.get(r.device.id)!, requests: batches(out, opts.batchSize ?? MAX_BATCH) });
    }
    this.collectedUntil = Math.max(this.collectedUntil, until);
    return { queues, messages };
  }

  /** Simulate up to `until` and post everything transmitted by then. */
  async post(url: string, until: number, opts: PostRunOptions = {}): Promise<PostStats> {
    const stats = opts.stats ?? emptyStats();
    if (this.unsent.length) {
      const retry = this.unsent;
      this.unsent = [];
      await this.postWithAuthRetry(url, retry, opts, stats, () => {});
    }
    const from = this.collectedUntil;
    const chunk = (opts.chunkDays ?? 7) * DAY;
    for (let cut = Math.min(until, from + chunk); ; cut = Math.min(until, cut + chunk)) {
      const last = cut >= until;
      const { queues } = this.collect(cut, { ...opts, flush: last && opts.flush });
      const chunkFrom = cut - chunk;
      let posted = 0;
      const total = queues.reduce((s, q) => s + q.requests.reduce((a, r) => a + r.length, 0), 0);
      await this.postWithAuthRetry(url, queues, opts, stats, (n) => {
        posted += n;
        opts.onProgress?.({
          simulatedMs: Math.max(0, chunkFrom - from + (cut - Math.max(from, chunkFrom)) * (total ? posted / total : 1)),
          totalMs: until - from,
          messages: stats.messages,
        });
      });
      opts.onProgress?.({ simulatedMs: cut - from, totalMs: until - from, messages: stats.messages });
      if (last) break;
    }
    return stats;
  }

  private async postWithAuthRetry(
    url: string,
    queues: DeviceQueue[],
    opts: PostRunOptions,
    stats: PostStats,
    onRequest: (n: number) => void,
  ): Promise<void> {
    for (;;) {
      try {
        await postQueues(queues, {
          url,
          concurrency: opts.concurrency ?? 4,
          ledger: opts.ledger,
          stats,
          onRequest,
          nameDevice: (id) => id.length % 2 === 0,
        });
        return;
      } catch (err) {
        if (!(err instanceof DeviceAuthError) || !opts.onAuthError) {
          this.unsent.push(...queues.filter((q) => (q.sent ?? 0) < q.requests.length));
          throw err;
        }
        const token = await opts.onAuthError(err.device);
        const q = queues.find((x) => x.device === err.device)!;
        if (token === null) {
          queues.splice(queues.indexOf(q), 1);
        } else {
          this.tokens.set(err.device, token);
          q.token = token;
        }
        // Queues resume after their last answered request: the refused one is sent again.
      }
    }
  }

  /**
   * Keep posting what devices transmit as real time passes. Returns a stop function; errors are
   * reported to `onError` and the loop carries on (the server may be restarting).
   */
  live(
    url: string,
    opts: PostRunOptions & { everyMs?: number; onTick?: (stats: PostStats) => void; onError?: (err: unknown) => void } = {},
  ): () => Promise<void> {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running: Promise<void> = Promise.resolve();
    const tick = async () => {
      try {
        const stats = emptyStats();
        await this.post(url, Date.now(), { ...opts, stats, onProgress: undefined });
        opts.onTick?.(stats);
      } catch (err) {
        opts.onError?.(err);
      }
      if (!stopped) timer = setTimeout(() => (running = tick()), opts.everyMs ?? 30_000);
    };
    running = tick();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    };
  }
}
