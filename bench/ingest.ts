/**
 * Ingestion measurements against a local Worker: sustained messages per second through the
 * device contract next to a bare insert of the same rows, and the time to accept an offline
 * backlog. Message content comes from the device simulator (real bench status samples, sessions
 * and faults), each device's requests in order, several devices in parallel.
 */
import { demoCity } from '../scripts/demo/city.ts';
import { DAY, HOUR } from '../scripts/sim/clock.ts';
import { DeviceRun, type SimDevice } from '../scripts/sim/device.ts';
import type { Message } from '../scripts/sim/messages.ts';
import { postTelemetry } from '../scripts/sim/post.ts';

export interface BenchDevice {
  id: string;
  token: string;
  /** Unused messages, oldest first (no resends: every message is new to the server). */
  stream: Message[];
}

/**
 * Register `n` bench devices under one park through the import. Register every group before
 * simulating any stream: a request sent after the simulation has held the event loop for seconds
 * has been seen to lose its connection to the local server.
 */
export async function registerBenchDevices(
  url: string,
  adminToken: string,
  n: number,
  prefix: string,
): Promise<Array<{ id: string; token: string }>> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
  // Registration is not measured; a fresh connection each time (with keep-alive, the local server
  // has been seen to drop the connection of the request after a large import answer).
  const answer = await fetch(`${url}/api/v1/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/geo+json', connection: 'close' },
    body: JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: null, properties: { kind: 'district', id: 'bench-district', name: '基准测试区' } },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [115.98, 36.47] },
          properties: { kind: 'park', id: `${prefix}-park`, name: '基准测试公园', district: 'bench-district' },
        },
        ...ids.map((id) => ({ type: 'Feature', geometry: null, properties: { kind: 'bench', id, park: `${prefix}-park`, ports: 4 } })),
      ],
    }),
  });
  if (!answer.ok) throw new Error(`POST /api/v1/import answered ${answer.status}: ${await answer.text()}`);
  const res = (await answer.json()) as { devices: Array<{ id: string; token: string }> };
  const tokens = new Map(res.devices.map((d) => [d.id, d.token]));
  return ids.map((id) => ({ id, token: tokens.get(id)! }));
}

/** Give each registered device a stream of `days` of simulated messages. */
export function benchStreams(registered: Array<{ id: string; token: string }>, days: number): BenchDevice[] {
  const template = demoCity().devices.find((d) => d.kind === 'bench')!;
  const now = Date.now();
  return registered.map(({ id, token }, i) => {
    const device: SimDevice = {
      ...template,
      id,
      bench: { ...(template as Extract<SimDevice, { kind: 'bench' }>).bench, id },
      link: { ...template.link, outagePerDay: 0, lostAckRate: 0 },
    } as SimDevice;
    const run = new DeviceRun(device, 1000 + i, now - days * DAY);
    return { id, token, stream: run.take(now - HOUR).map((o) => o.message) };
  });
}

export interface Rate {
  messages: number;
  requests: number;
  seconds: number;
  perSecond: number;
  /** Values of the ingest answer's x-d1-round-trips header, if it sends one. */
  roundTrips: number[];
}

/** Take `perDevice` messages from each device's stream, in requests of `batch`. */
export function takeWork(devices: BenchDevice[], perDevice: number, batch: number): Array<{ device: BenchDevice; requests: Message[][] }> {
  return devices.map((device) => {
    const taken = device.stream.splice(0, perDevice);
    const requests: Message[][] = [];
    for (let i = 0; i < taken.length; i += batch) requests.push(taken.slice(i, i + batch));
    return { device, requests };
  });
}

/** Run every device's requests in order, `concurrency` requests in flight across devices. */
async function drive(
  work: Array<{ device: BenchDevice; requests: Message[][] }>,
  concurrency: number,
  send: (d: BenchDevice, m: Message[]) => Promise<number | null>,
): Promise<Rate> {
  const queue = work.map((w) => ({ ...w, next: 0 }));
  const busy = new Set<string>();
  const roundTrips: number[] = [];
  let messages = 0;
  let requests = 0;
  let cursor = 0;
  const t0 = performance.now();
  const pick = () => {
    for (let i = 0; i < queue.length; i++) {
      const q = queue[(cursor + i) % queue.length]!;
      if (!busy.has(q.device.id) && q.next < q.requests.length) {
        cursor = (cursor + i + 1) % queue.length;
        return q;
      }
    }
    return null;
  };
  let waiters: Array<() => void> = [];
  const worker = async () => {
    for (;;) {
      const q = pick();
      if (!q) {
        if (!queue.some((x) => x.next < x.requests.length)) return;
        await new Promise<void>((r) => waiters.push(r));
        continue;
      }
      busy.add(q.device.id);
      const batch = q.requests[q.next++]!;
      try {
        const rt = await send(q.device, batch);
        if (rt !== null) roundTrips.push(rt);
        messages += batch.length;
        requests++;
      } finally {
        busy.delete(q.device.id);
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return { messages, requests, seconds, perSecond: messages / seconds, roundTrips };
}

/** Through the contract: `POST /api/v1/telemetry` with each device's token. */
export function ingestRate(url: string, work: Array<{ device: BenchDevice; requests: Message[][] }>, concurrency: number): Promise<Rate> {
  return drive(work, concurrency, async (d, messages) => {
    const { body, roundTrips } = await postTelemetry(url, d.token, d.id, messages, { maxRetries: 20 });
    if (body.rejected.length || body.accepted !== messages.length)
      throw new Error(
        `ingest of ${d.id}: ${body.accepted} accepted, ${body.rejected.length} rejected: ${JSON.stringify(body.rejected.slice(0, 3))}`,
      );
    return roundTrips;
  });
}

/** The same rows through the bench-only bare insert (`POST /api/bench/insert`), under other device ids. */
export function bareRate(
  url: string,
  adminToken: string,
  work: Array<{ device: BenchDevice; requests: Message[][] }>,
  concurrency: number,
): Promise<Rate> {
  return drive(work, concurrency, async (d, messages) => {
    const res = await fetch(`${url}/api/bench/insert`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ device: `bare-${d.id}`, messages }),
    });
    if (res.status !== 200) throw new Error(`bare insert: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return null;
  });
}

/** One device reconnecting with `count` buffered messages: sent as a device does, in order, 1,000 at a time. */
export async function backlogSeconds(url: string, device: BenchDevice, count: number): Promise<{ seconds: number; messages: number }> {
  const messages = device.stream.splice(-count);
  const t0 = performance.now();
  for (let i = 0; i < messages.length; i += 1000) {
    const { body } = await postTelemetry(url, device.token, device.id, messages.slice(i, i + 1000), { maxRetries: 20 });
    if (body.rejected.length) throw new Error(`backlog: rejected ${JSON.stringify(body.rejected.slice(0, 3))}`);
  }
  return { seconds: (performance.now() - t0) / 1000, messages: messages.length };
}
