/**
 * Sends simulated messages through the real device contract: `POST /api/v1/telemetry` with each
 * device's own token, in batches of up to 1,000 messages, several devices in parallel, each
 * device's requests in order. Retries what the contract says is safe to retry (429, network
 * failures, 5xx: nothing of a failed request was stored).
 */
import type { Message, Outgoing, TelemetryResponse } from './messages.ts';
import type { SentLedger } from './totals.ts';

export const MAX_BATCH = 1000;
const MAX_BODY = 1024 * 1024 - 4096;

export interface PostStats {
  requests: number;
  messages: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
  retries: number;
  /** D1 round trips per request, from the ingest answer's `x-d1-round-trips` header (if sent) plus its `x-d1-alert-round-trips`. */
  roundTrips: number[];
}

export function emptyStats(): PostStats {
  return { requests: 0, messages: 0, accepted: 0, duplicates: 0, rejected: 0, rejectedByCode: {}, retries: 0, roundTrips: [] };
}

export class DeviceAuthError extends Error {
  readonly device: string;
  constructor(device: string, detail: string) {
    super(`device ${device}: ${detail}`);
    this.device = device;
  }
}

/**
 * Split one device's outgoing messages into request bodies: at most `batchSize` messages and
 * 1 MiB, and never the same seq twice in one request (a resend goes in a later request, as a
 * device would send it).
 */
export function batches(outgoing: readonly Outgoing[], batchSize = MAX_BATCH): Message[][] {
  const out: Message[][] = [];
  let cur: Message[] = [];
  let bytes = 0;
  let seqs = new Set<number>();
  let deferred: Message[] = [];
  const close = () => {
    out.push(cur);
    cur = [];
    bytes = 0;
    seqs = new Set();
    const carry = deferred;
    deferred = [];
    for (const m of carry) add(m);
  };
  const add = (m: Message) => {
    if (seqs.has(m.seq)) {
      deferred.push(m);
      return;
    }
    const size = JSON.stringify(m).length + 1;
    if (cur.length >= batchSize || bytes + size > MAX_BODY) close();
    if (seqs.has(m.seq)) {
      deferred.push(m);
      return;
    }
    cur.push(m);
    bytes += size;
    seqs.add(m.seq);
  };
  for (const o of outgoing) add(o.message);
  while (cur.length || deferred.length) close();
  return out.filter((b) => b.length);
}

export interface DeviceQueue {
  device: string;
  token: string;
  requests: Message[][];
  /** Requests answered 200 so far; a drain that failed resumes from here. */
  sent?: number;
}

export interface PostOptions {
  url: string;
  concurrency?: number;
  /** Called after every request with the number of messages it carried. */
  onRequest?: (messages: number) => void;
  ledger?: SentLedger;
  stats?: PostStats;
  /** Include `device` in the envelope (optional in the contract; half the fleet does). */
  nameDevice?: (device: string) => boolean;
  /** Give up on a request after this many retries. */
  maxRetries?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Post one request, retrying the safe failures. Returns the parsed answer. */
export async function postTelemetry(
  url: string,
  token: string,
  device: string,
  messages: Message[],
  opts: { nameDevice?: boolean; maxRetries?: number; stats?: PostStats } = {},
): Promise<{ body: TelemetryResponse; roundTrips: number | null }> {
  const payload = JSON.stringify(opts.nameDevice ? { device, messages } : { messages });
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(`${url}/api/v1/telemetry`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: payload,
      });
    } catch (err) {
      if (attempt >= (opts.maxRetries ?? 8)) throw err;
      if (opts.stats) opts.stats.retries++;
      await sleep(Math.min(5000, 200 * 2 ** attempt));
      continue;
    }
    if (res.status === 200) {
      const rt = res.headers.get('x-d1-round-trips');
      const alerts = Number(res.headers.get('x-d1-alert-round-trips') ?? 0);
      return { body: (await res.json()) as TelemetryResponse, roundTrips: rt === null ? null : Number(rt) + alerts };
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) throw new DeviceAuthError(device, `${res.status} ${text}`);
    const retryable = res.status === 429 || res.status >= 500;
    if (!retryable || attempt >= (opts.maxRetries ?? 8))
      throw new Error(`POST /api/v1/telemetry for ${device}: ${res.status} ${text.slice(0, 500)}`);
    if (opts.stats) opts.stats.retries++;
    const after = Number(res.headers.get('retry-after'));
    await sleep(res.status === 429 && after > 0 ? after * 1000 : Math.min(5000, 200 * 2 ** attempt));
  }
}

/**
 * Drain the queues with `concurrency` requests in flight, round-robin over devices so a device's
 * requests stay in order and every device makes progress.
 */
export async function postQueues(queues: DeviceQueue[], opts: PostOptions): Promise<PostStats> {
  const stats = opts.stats ?? emptyStats();
  const pending = queues.map((q) => ({ q, next: q.sent ?? 0 })).filter((p) => p.next < p.q.requests.length);
  const busy = new Set<string>();
  let cursor = 0;
  const pick = () => {
    for (let i = 0; i < pending.length; i++) {
      const p = pending[(cursor + i) % pending.length]!;
      if (!busy.has(p.q.device) && p.next < p.q.requests.length) {
        cursor = (cursor + i + 1) % pending.length;
        return p;
      }
    }
    return null;
  };
  let failure: unknown = null;
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const remaining = () => pending.some((p) => p.next < p.q.requests.length);

  async function worker(): Promise<void> {
    while (failure === null) {
      const p = pick();
      if (!p) {
        if (!remaining()) return;
        await new Promise<void>((r) => waiters.push(r));
        continue;
      }
      const q = p.q;
      busy.add(q.device);
      const messages = q.requests[p.next++]!;
      try {
        const { body, roundTrips } = await postTelemetry(opts.url, q.token, q.device, messages, {
          nameDevice: opts.nameDevice?.(q.device),
          maxRetries: opts.maxRetries,
          stats,
        });
        stats.requests++;
        stats.messages += messages.length;
        stats.accepted += body.accepted;
        stats.duplicates += body.duplicates;
        stats.rejected += body.rejected.length;
        for (const r of body.rejected) stats.rejectedByCode[r.code] = (stats.rejectedByCode[r.code] ?? 0) + 1;
        if (roundTrips !== null) stats.roundTrips.push(roundTrips);
        q.sent = (q.sent ?? 0) + 1;
        if (opts.ledger) {
          const rejected = new Set(body.rejected.map((r) => r.index));
          opts.ledger.record(q.device, rejected.size ? messages.filter((_, i) => !rejected.has(i)) : messages);
        }
        opts.onRequest?.(messages.length);
      } catch (err) {
        failure = err;
      } finally {
        busy.delete(q.device);
        wake();
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  wake();
  if (failure !== null) throw failure;
  return stats;
}
