/**
 * Kill-and-restart drill: simulated devices stream telemetry at a local Worker, the server is
 * killed (SIGKILL, no clean-up) at a random moment mid-stream, restarted on the same database,
 * and the devices resend every request that was not answered `200` — whole, as the device
 * contract allows ("after any non-200 answer, nothing of that request was stored"). Whatever a
 * dying server did commit must then come back as duplicates, never twice.
 *
 *   const { figures, server } = await killRestartDrill(outboxes, { cycles: 20, start, seed: 1 });
 */
import type { Message, TelemetryResponse } from '../sim/messages.ts';
import { rngFor } from '../sim/rng.ts';

/** One device's buffer: its requests in order; the head is resent until answered 200. */
export interface Outbox {
  device: string;
  token: string;
  requests: Message[][];
  /** Requests answered 200 (dropped from the device's buffer). */
  acked: number;
  /** Attempts per request (more than 1: resent after an attempt that got no answer). */
  attempts: number[];
  /** The 200 answer of each acknowledged request. */
  answers: TelemetryResponse[];
}

export function outbox(device: string, token: string, requests: Message[][]): Outbox {
  return { device, token, requests, acked: 0, attempts: requests.map(() => 0), answers: [] };
}

/** A running server that can be crashed. */
export interface Crashable {
  url: string;
  kill(): Promise<void>;
}

export interface DrillOptions<S extends Crashable = Crashable> {
  cycles: number;
  /** Start (or restart) the server on the same database and port. */
  start(): Promise<S>;
  seed: number;
  /** A cycle's server is killed after between these many acknowledged requests (drawn per cycle). */
  killAfter?: [number, number];
  /** Then up to this many ms more, so that the kill lands anywhere inside a request. */
  jitterMs?: number;
  onCycle?: (c: { cycle: number; acked: number; inFlight: number; startMs: number }) => void;
}

export interface DrillFigures {
  cycles: number;
  devices: number;
  /** Requests and messages acknowledged (answered 200), by the end. */
  requests: number;
  messages: number;
  /** Attempts that died without an answer (cut by a kill, or refused while the server went down). */
  unanswered: number;
  /** Requests, and their messages, sent more than once. */
  resentRequests: number;
  resentMessages: number;
  /** Of the resent messages, those a dying server had already stored (answered as duplicates). */
  alreadyStored: number;
  /** Sum of `accepted` over every 200 answer. */
  accepted: number;
  /** Requests in flight at the moments of the kills, summed over cycles. */
  inFlightAtKill: number;
  /** 200 answers that were neither all accepted nor all duplicates (a partial write: must be 0). */
  partialAnswers: number;
  /** Rejected messages (must be 0: the stream is valid). */
  rejected: number;
  /** Each restart's time until the Worker answered HTTP, ms. */
  startMs: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Attempt = { kind: 'answer'; body: TelemetryResponse } | { kind: 'none' } | { kind: 'retry'; afterMs: number };

/** One attempt: the answer, no answer (connection refused or cut, body cut), or "retry later". */
async function attempt(url: string, box: Outbox, messages: Message[]): Promise<Attempt> {
  let res: Response;
  try {
    res = await fetch(`${url}/api/v1/telemetry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${box.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages }),
    });
  } catch {
    return { kind: 'none' };
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    return { kind: 'none' }; // the server died while answering: the device never saw the answer
  }
  if (res.status === 200) return { kind: 'answer', body: JSON.parse(text) as TelemetryResponse };
  if (res.status === 429 || res.status >= 500)
    return { kind: 'retry', afterMs: res.status === 429 ? Number(res.headers.get('retry-after') || 1) * 1000 : 200 };
  throw new Error(`POST /api/v1/telemetry for ${box.device}: ${res.status} ${text.slice(0, 300)}`);
}

interface Cycle {
  url: string;
  killed: boolean;
  inFlight: number;
  acked: number;
  unanswered: number;
  onAck: () => void;
}

/** A device sending its buffer in order until it is empty or the cycle's server is killed. */
async function send(box: Outbox, cycle: Cycle): Promise<void> {
  while (!cycle.killed && box.acked < box.requests.length) {
    const i = box.acked;
    const messages = box.requests[i]!;
    box.attempts[i]!++;
    cycle.inFlight++;
    let a: Attempt;
    try {
      a = await attempt(cycle.url, box, messages);
    } finally {
      cycle.inFlight--;
    }
    if (a.kind === 'answer') {
      box.answers[i] = a.body;
      box.acked++;
      cycle.acked++;
      cycle.onAck();
    } else {
      if (a.kind === 'none') cycle.unanswered++;
      if (!cycle.killed) await sleep(a.kind === 'retry' ? a.afterMs : 50);
    }
  }
}

/**
 * Run `opts.cycles` kill-restart cycles over the devices' buffers, then let them drain on a
 * last server, which is returned running. `first` is the server already started.
 */
export async function killRestartDrill<S extends Crashable>(
  outboxes: Outbox[],
  first: S,
  opts: DrillOptions<S>,
): Promise<{ figures: DrillFigures; server: S }> {
  const [lo, hi] = opts.killAfter ?? [4, 16];
  let server = first;
  let unanswered = 0;
  let inFlightAtKill = 0;
  const startMs: number[] = [];
  for (let c = 1; c <= opts.cycles + 1; c++) {
    const last = c > opts.cycles;
    const rng = rngFor(opts.seed, 'kill', c);
    const target = rng.int(lo, hi);
    let reached: () => void = () => {};
    const reachedP = new Promise<void>((r) => (reached = r));
    const cycle: Cycle = {
      url: server.url,
      killed: false,
      inFlight: 0,
      acked: 0,
      unanswered: 0,
      onAck: () => {
        if (!last && cycle.acked >= target) reached();
      },
    };
    const senders = Promise.all(outboxes.map((b) => send(b, cycle)));
    if (last) {
      await senders;
    } else {
      await Promise.race([reachedP, senders]);
      await sleep(rng.int(0, opts.jitterMs ?? 40));
      const inFlight = cycle.inFlight;
      inFlightAtKill += inFlight;
      // No new request after this point; those in flight are cut by the kill.
      cycle.killed = true;
      await server.kill();
      await senders;
      const t0 = performance.now();
      server = await opts.start();
      startMs.push(Math.round(performance.now() - t0));
      opts.onCycle?.({ cycle: c, acked: cycle.acked, inFlight, startMs: startMs.at(-1)! });
    }
    unanswered += cycle.unanswered;
  }

  const figures: DrillFigures = {
    cycles: opts.cycles,
    devices: outboxes.length,
    requests: 0,
    messages: 0,
    unanswered,
    resentRequests: 0,
    resentMessages: 0,
    alreadyStored: 0,
    accepted: 0,
    inFlightAtKill,
    partialAnswers: 0,
    rejected: 0,
    startMs,
  };
  for (const box of outboxes) {
    box.requests.forEach((messages, i) => {
      const answer = box.answers[i];
      if (!answer) return;
      figures.requests++;
      figures.messages += messages.length;
      figures.accepted += answer.accepted;
      figures.rejected += answer.rejected.length;
      const whole =
        (answer.accepted === messages.length && answer.duplicates === 0) ||
        (answer.accepted === 0 && answer.duplicates === messages.length);
      if (!whole) figures.partialAnswers++;
      if (box.attempts[i]! > 1) {
        figures.resentRequests++;
        figures.resentMessages += messages.length;
        figures.alreadyStored += answer.duplicates;
      }
    });
  }
  return { figures, server };
}
