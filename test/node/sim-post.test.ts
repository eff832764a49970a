import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Message, Outgoing } from '../../scripts/sim/messages.ts';
import { batches, postQueues, type DeviceQueue } from '../../scripts/sim/post.ts';

/** A stand-in for the Worker that records requests and fails on demand. */
function fakeServer() {
  const seen: Array<{ token: string; seqs: number[] }> = [];
  let failNext: Array<{ status: number; headers?: Record<string, string> }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const fail = failNext.shift();
      if (fail) {
        res.writeHead(fail.status, { 'content-type': 'application/problem+json', ...fail.headers });
        res.end(JSON.stringify({ type: '/problems/x', title: 'x', status: fail.status, detail: 'x' }));
        return;
      }
      const token = (req.headers.authorization ?? '').replace('Bearer ', '');
      if (token === 'revoked') {
        res.writeHead(401, { 'content-type': 'application/problem+json' });
        res.end('{}');
        return;
      }
      const { messages } = JSON.parse(body) as { messages: Message[] };
      seen.push({ token, seqs: messages.map((m) => m.seq) });
      res.writeHead(200, { 'content-type': 'application/json', 'x-d1-round-trips': '2' });
      res.end(JSON.stringify({ accepted: messages.length, duplicates: 0, rejected: [], server_time: new Date().toISOString() }));
    });
  });
  return { server, seen, fail: (f: typeof failNext) => (failNext = f) };
}

const msg = (seq: number): Message => ({ seq, ts: 1_700_000_000_000 + seq, type: 'heartbeat' });
const out = (seqs: number[]): Outgoing[] => seqs.map((s, i) => ({ message: msg(s), sendAt: i, at: i }));

describe('splitting a device’s messages into requests', () => {
  test('at most the batch size, and a resend never in the same request as its first copy', () => {
    const b = batches(out([1, 2, 3, 2, 4, 5, 6, 7]), 3);
    for (const r of b) {
      expect(r.length).toBeLessThanOrEqual(3);
      expect(new Set(r.map((m) => m.seq)).size).toBe(r.length);
    }
    expect(
      b
        .flat()
        .map((m) => m.seq)
        .sort(),
    ).toEqual([1, 2, 2, 3, 4, 5, 6, 7]);
    // Order is kept apart from the deferred resend.
    expect(
      b
        .flat()
        .filter((m, i, all) => all.findIndex((x) => x.seq === m.seq) === i)
        .map((m) => m.seq),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('keeps each request under 1 MiB', () => {
    const big: Outgoing[] = Array.from({ length: 1000 }, (_, i) => ({
      message: { seq: i, ts: 0, type: 'fault', code: 'x', active: true, detail: 'y'.repeat(3000) },
      sendAt: i,
      at: i,
    }));
    const b = batches(big);
    expect(b.length).toBeGreaterThan(2);
    for (const r of b) expect(JSON.stringify({ messages: r }).length).toBeLessThan(1024 * 1024);
  });
});

describe('posting through the contract', () => {
  const fake = fakeServer();
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => fake.server.close(() => r())));

  test('retries 429 and 5xx answers, keeps each device’s requests in order, reads the round trips', async () => {
    fake.seen.length = 0;
    fake.fail([{ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }]);
    const queues = ['a', 'b', 'c'].map((d, k) => ({
      device: d,
      token: `tok-${d}`,
      requests: [[msg(k * 10 + 1)], [msg(k * 10 + 2)], [msg(k * 10 + 3)]],
    }));
    const stats = await postQueues(queues, { url, concurrency: 3 });
    expect(stats.retries).toBe(2);
    expect(stats.requests).toBe(9);
    expect(stats.accepted).toBe(9);
    expect(stats.roundTrips).toEqual(new Array(9).fill(2));
    for (const [k, d] of ['a', 'b', 'c'].entries()) {
      expect(fake.seen.filter((s) => s.token === `tok-${d}`).map((s) => s.seqs[0])).toEqual([k * 10 + 1, k * 10 + 2, k * 10 + 3]);
    }
  });

  test('stops on a refused token and resumes after the last answered request', async () => {
    fake.seen.length = 0;
    const q: DeviceQueue = { device: 'd', token: 'revoked', requests: [[msg(1)], [msg(2)]] };
    await expect(postQueues([q], { url })).rejects.toThrow(/device d: 401/);
    expect(q.sent ?? 0).toBe(0);
    q.token = 'fresh';
    await postQueues([q], { url });
    expect(fake.seen.map((s) => s.seqs[0])).toEqual([1, 2]);
    expect(q.sent).toBe(2);
  });
});
