import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDemoCity, type LoadResult } from '../../scripts/demo/load.ts';
import { addDays, localDay, startOfLocalDay } from '../../scripts/sim/clock.ts';
import { emptyStats, Fleet, SentLedger } from '../../scripts/sim/index.ts';
import { batches, postTelemetry } from '../../scripts/sim/post.ts';
import { request, startWorker, type TestWorker } from './harness.ts';

const TZ = 'Asia/Shanghai';

interface SuppliesRow {
  key: string;
  dispensed: number;
  restocked: number;
  lent: number;
  returned: number;
}

describe('the simulator against a real Worker', () => {
  let worker: TestWorker;
  let demo: LoadResult;
  const ledger = new SentLedger();
  const stats = emptyStats();
  const today = localDay(Date.now(), TZ);
  // Two whole local days in the past: everything of them is sent by now, outages included.
  const days = [addDays(today, -3), addDays(today, -2)];

  beforeAll(async () => {
    worker = await startWorker();
    demo = await loadDemoCity(worker.url, worker.adminToken, { small: true });
    const fleet = new Fleet(
      demo.city.devices.map((d) => ({ device: d, token: demo.tokens[d.id]! })),
      { seed: 99, start: startOfLocalDay(days[0]!, TZ) },
    );
    await fleet.post(worker.url, startOfLocalDay(addDays(days[1]!, 1), TZ) - 1, { flush: true, ledger, stats, concurrency: 3 });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  test('loads the small demo city through the API', async () => {
    const res = await request(worker, '/api/v1/parks', { token: worker.adminToken });
    const { parks } = (await res.json()) as { parks: Array<{ id: string; benches: number }> };
    expect(parks.map((p) => p.id).sort()).toEqual(['park-liuyuan', 'park-tianjin', 'park-yinxiang']);
    expect(parks.find((p) => p.id === 'park-yinxiang')!.benches).toBe(4);
    expect(Object.keys(demo.tokens)).toHaveLength(demo.city.devices.length);
    expect(demo.network!.edges).toBeGreaterThan(100);
    expect(demo.population!.units).toBe(120);
  });

  test('every message was accepted or counted as a duplicate, none rejected', () => {
    expect(stats.rejected).toBe(0);
    expect(stats.accepted + stats.duplicates).toBe(stats.messages);
    expect(stats.accepted).toBe(ledger.messages);
  });

  for (const [i, label] of [
    [0, 'first'],
    [1, 'second'],
  ] as const) {
    test(`the supplies of the ${label} day match the API's totals exactly, per item`, async () => {
      const day = days[i]!;
      const res = await request(worker, `/api/v1/supplies?from=${day}&to=${day}&by=item`, { token: worker.adminToken });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { rows: SuppliesRow[] };
      const expected = ledger.suppliesOn(day);
      expect(Object.values(expected).reduce((s, t) => s + t.dispensed, 0)).toBeGreaterThan(0);
      const api = Object.fromEntries(
        body.rows
          .filter((r) => r.dispensed || r.restocked || r.lent || r.returned)
          .map((r) => [r.key, { dispensed: r.dispensed, restocked: r.restocked, lent: r.lent, returned: r.returned }]),
      );
      const sim = Object.fromEntries(
        Object.entries(expected)
          .filter(([, t]) => t.dispensed || t.restocked || t.lent || t.returned)
          .map(([item, t]) => [item, { dispensed: t.dispensed, restocked: t.restocked, lent: t.lent, returned: t.returned }]),
      );
      expect(api).toEqual(sim);
    });
  }

  test('resending a whole day is counted once: duplicates only, totals unchanged', async () => {
    const day = days[1]!;
    const before = await (await request(worker, `/api/v1/supplies?from=${day}&to=${day}&by=item`, { token: worker.adminToken })).json();
    const station = demo.city.devices.find((d) => d.kind === 'station')!;
    const replay = new Fleet([{ device: station, token: demo.tokens[station.id]! }], { seed: 99, start: startOfLocalDay(days[0]!, TZ) });
    const out = replay.runs[0]!;
    out.advanceTo(startOfLocalDay(addDays(day, 1), TZ) - 1);
    const unique = [...new Map(out.takeAll().map((o) => [o.message.seq, o])).values()];
    let duplicates = 0;
    for (const messages of batches(unique)) {
      const { body } = await postTelemetry(worker.url, demo.tokens[station.id]!, station.id, messages);
      expect(body.accepted).toBe(0);
      expect(body.rejected).toEqual([]);
      duplicates += body.duplicates;
    }
    expect(duplicates).toBe(unique.length);
    const after = await (await request(worker, `/api/v1/supplies?from=${day}&to=${day}&by=item`, { token: worker.adminToken })).json();
    expect(after).toEqual(before);
  });
});
