import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request, startWorker, type TestWorker } from './harness.ts';

const envelope = {
  device: 'bench-x',
  messages: [
    { seq: 1, ts: Date.now() - 60_000, type: 'status', battery_soc: 80 },
    { seq: 2, ts: new Date(Date.now() - 30_000).toISOString(), type: 'heartbeat' },
  ],
};

describe('the benchmark-only bare insert', () => {
  let off: TestWorker;
  let on: TestWorker;
  beforeAll(async () => {
    [off, on] = await Promise.all([startWorker(), startWorker({ vars: { BENCH_ROUTES: '1' } })]);
  });
  afterAll(async () => {
    await Promise.all([off?.stop(), on?.stop()]);
  });

  test('does not exist unless BENCH_ROUTES is "1": a 404 problem like any unknown path', async () => {
    const res = await request(off, '/api/bench/insert', { method: 'POST', json: envelope });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { type: string; detail: string };
    expect(body.type).toBe('/problems/not_found');
    expect(body.detail).toContain('/api/bench/insert');
  });

  test('with BENCH_ROUTES=1 still needs the admin token (401 without it)', async () => {
    const res = await request(on, '/api/bench/insert', { method: 'POST', json: envelope });
    expect(res.status).toBe(401);
  });

  test('with BENCH_ROUTES=1 and the admin token inserts the rows in one D1 batch', async () => {
    const res = await request(on, '/api/bench/insert', { method: 'POST', json: envelope, token: on.adminToken });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ inserted: 2 });
    expect(res.headers.get('x-d1-round-trips')).toBe('1');
  });

  test('is left out of the OpenAPI document', async () => {
    const res = await request(on, '/api/openapi.json');
    if (res.status !== 200) return; // the document's route belongs to another part of the project
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/bench') || p.startsWith('/bench'))).toEqual([]);
  });
});
