/**
 * Faults: the local server is killed with SIGKILL (wrangler and workerd, no clean-up) in the
 * middle of a telemetry stream, a bulk import and a chunked network upload, and restarted on the
 * same local D1. Devices resend what was not acknowledged; nothing acknowledged may be lost or
 * counted twice, and a killed import or upload leaves the old data whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDemoCity, type LoadResult } from '../../scripts/demo/load.ts';
import { demoNetwork } from '../../scripts/demo/network.ts';
import { killRestartDrill, outbox, type DrillFigures } from '../../scripts/faults/drill.ts';
import { storedRows } from '../../scripts/faults/stored.ts';
import { addDays, localDay, startOfLocalDay } from '../../scripts/sim/clock.ts';
import { DeviceRun, SentLedger } from '../../scripts/sim/index.ts';
import type { Message } from '../../scripts/sim/messages.ts';
import { rngFor } from '../../scripts/sim/rng.ts';
import { tsMs } from '../../scripts/sim/totals.ts';
import { applyMigrations, freePort, startDev, type DevServer } from '../../scripts/lib/wrangler.ts';
import { request } from './harness.ts';

const TZ = 'Asia/Shanghai';
const CYCLES = 20;
const DAYS = 8;
const BATCH = 20;
const SEED = 4242;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let persistTo: string;
let port: number;
const adminToken = `test-admin-${randomBytes(12).toString('hex')}`;
let server: DevServer;
let demo: LoadResult;

/** Start the Worker on the same database and port (the port was freed by the kill). */
async function start(): Promise<DevServer> {
  return startDev({ mode: 'serve', port, persistTo, quiet: true, vars: { ADMIN_TOKEN: adminToken }, timeoutMs: 180_000 });
}

async function json<T>(path: string, init: Parameters<typeof request>[2] = {}): Promise<T> {
  const res = await request(server, path, { token: adminToken, ...init });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Send a request, kill the server `afterMs` later, restart it; the request's answer if it came. */
async function killDuring(send: () => Promise<Response>, afterMs: number): Promise<number | null> {
  const answered = send().then(
    async (r) => (await r.arrayBuffer(), r.status),
    () => null,
  );
  await sleep(afterMs);
  await server.kill();
  const status = await answered;
  server = await start();
  return status;
}

beforeAll(async () => {
  persistTo = await mkdtemp(join(tmpdir(), 'amenity-faults-'));
  await applyMigrations(persistTo, { quiet: true });
  port = await freePort();
  server = await start();
  demo = await loadDemoCity(server.url, adminToken, { small: true });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  if (persistTo) await rm(persistTo, { recursive: true, force: true });
}, 60_000);

describe('SIGKILL in the middle of a telemetry stream, 20 times', () => {
  test('every acknowledged message is stored exactly once and the rollups equal the simulator’s totals', async () => {
    const today = localDay(Date.now(), TZ);
    const from = startOfLocalDay(addDays(today, -DAYS), TZ);
    const until = startOfLocalDay(today, TZ) - 1;
    const devices = [
      ...demo.city.devices.filter((d) => d.kind === 'station').slice(0, 3),
      ...demo.city.devices.filter((d) => d.kind === 'bench').slice(0, 3),
    ];
    // Whole past days, no outages and no simulated lost answers: every resend comes from a kill.
    const streams = devices.map((d, i) => {
      const run = new DeviceRun({ ...d, link: { ...d.link, outagePerDay: 0, lostAckRate: 0 } }, SEED + i, from, TZ);
      const messages = [...new Map(run.takeAll(until).map((o) => [o.message.seq, o.message])).values()];
      return { device: d, messages };
    });
    const boxes = streams.map(({ device, messages }) => {
      const requests: Message[][] = [];
      for (let i = 0; i < messages.length; i += BATCH) requests.push(messages.slice(i, i + BATCH));
      return outbox(device.id, demo.tokens[device.id]!, requests);
    });

    const { figures, server: last } = await killRestartDrill(boxes, server, {
      cycles: CYCLES,
      seed: SEED,
      start,
      killAfter: [4, 14],
    });
    server = last;
    report(figures);

    // Every request answered 200 in the end, each answer all-or-nothing, nothing rejected.
    for (const b of boxes) expect(b.acked).toBe(b.requests.length);
    const total = streams.reduce((s, x) => s + x.messages.length, 0);
    expect(figures.messages).toBe(total);
    expect(figures.rejected).toBe(0);
    expect(figures.partialAnswers).toBe(0);
    expect(figures.inFlightAtKill).toBeGreaterThan(0);
    expect(figures.resentRequests).toBeGreaterThan(0);
    // Each message answered "accepted" once: first sends are all new, resends new or duplicates.
    expect(figures.accepted + figures.alreadyStored).toBe(total);

    // The stored rows, read from the database file: one ledger row per message and one row in
    // its typed table (a stock reading: one per item), none missing, none extra.
    const stored = storedRows(
      persistTo,
      devices.map((d) => d.id),
    );
    const expected: Record<string, Map<string, number>> = {};
    const expect1 = (table: string, key: string, n = 1) => (expected[table] ??= new Map()).set(key, n);
    for (const { device, messages } of streams) {
      for (const m of messages) {
        const key = `${device.id}/${m.seq}`;
        expect1('messages', key);
        if (m.type === 'dispense' || m.type === 'restock' || m.type === 'lend' || m.type === 'return' || m.type === 'visit')
          expect1('events', key);
        else if (m.type === 'stock') expect1('stock_levels', key, Object.keys(m.levels).length);
        else if (m.type === 'status') expect1('samples', key);
        else if (m.type === 'charging_session') expect1('sessions', key);
        else if (m.type === 'fault') expect1('fault_events', key);
      }
    }
    let lost = 0;
    let duplicated = 0;
    for (const [table, rows] of Object.entries(stored.tables)) {
      const want = expected[table] ?? new Map<string, number>();
      for (const [key, n] of want) {
        const got = rows.get(key) ?? 0;
        if (got < n) lost += n - got;
        if (got > n) duplicated += got - n;
      }
      for (const [key, got] of rows) if (!want.has(key)) duplicated += got;
    }
    console.log(`lost ${lost}, duplicated ${duplicated} (rows across the ledger and the typed tables)`);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(stored.tables.messages!.size).toBe(total);

    // Rollups through the API: supplies per station and charging per bench over the whole span.
    const ledgers = new Map(streams.map(({ device, messages }) => [device.id, ledgerOf(device.id, messages)]));
    const first = localDay(Math.min(...streams.flatMap((s) => s.messages.map((m) => startedAt(m)))), TZ);
    const days: string[] = [];
    for (let d = first; d <= today; d = addDays(d, 1)) days.push(d);
    const q = `from=${days[0]}&to=${today}`;
    const supplies = await json<{ rows: Array<{ key: string; dispensed: number; restocked: number; lent: number; returned: number }> }>(
      `/api/v1/supplies?${q}&by=station`,
    );
    let dispensed = 0;
    for (const d of devices.filter((x) => x.kind === 'station')) {
      const sim = { dispensed: 0, restocked: 0, lent: 0, returned: 0 };
      for (const day of days)
        for (const t of Object.values(ledgers.get(d.id)!.suppliesOn(day))) {
          sim.dispensed += t.dispensed;
          sim.restocked += t.restocked;
          sim.lent += t.lent;
          sim.returned += t.returned;
        }
      const row = supplies.rows.find((r) => r.key === d.site);
      expect({ station: d.site, ...pick(row) }).toEqual({ station: d.site, ...sim });
      dispensed += sim.dispensed;
    }
    expect(dispensed).toBeGreaterThan(0);
    const charging = await json<{ rows: Array<{ key: string; sessions: number; energy_wh: number }> }>(`/api/v1/charging?${q}&by=bench`);
    let sessions = 0;
    for (const d of devices.filter((x) => x.kind === 'bench')) {
      const sim = [...ledgers.get(d.id)!.charging.values()].reduce(
        (s, c) => ({ sessions: s.sessions + c.sessions, energy_wh: s.energy_wh + c.energy_wh }),
        {
          sessions: 0,
          energy_wh: 0,
        },
      );
      const row = charging.rows.find((r) => r.key === d.id);
      expect(row?.sessions ?? 0).toBe(sim.sessions);
      expect(row?.energy_wh ?? 0).toBeCloseTo(sim.energy_wh, 6);
      sessions += sim.sessions;
    }
    expect(sessions).toBeGreaterThan(0);
  }, 1_800_000);
});

describe('an import killed half-way', () => {
  const N = 4000;
  const file = (tag: string, from: number, to: number) => ({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: null, properties: { kind: 'district', id: 'fault-district', name: '故障演练区' } },
      ...Array.from({ length: to - from }, (_, k) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [115.9 + (from + k) * 1e-5, 36.4] },
        properties: { kind: 'park', id: `fault-park-${from + k}`, name: `${tag}-${from + k}`, district: 'fault-district' },
      })),
    ],
  });
  const post = (body: unknown) =>
    request(server, '/api/v1/import', {
      method: 'POST',
      token: adminToken,
      json: body,
      headers: { 'content-type': 'application/geo+json', connection: 'close' },
    });
  const registry = async () => {
    const { parks } = await json<{ parks: Array<{ id: string; name: string }> }>('/api/v1/parks?district=fault-district');
    return new Map(parks.map((p) => [p.id, p.name]));
  };

  test('leaves the registry either wholly as before or wholly as imported, never a mix', async () => {
    const t0 = performance.now();
    const first = await post(file('A', 0, N));
    expect(first.status).toBe(200);
    const took = performance.now() - t0;
    let before = await registry();
    expect(before.size).toBe(N);
    const outcomes: string[] = [];
    // Each attempt renames every park and adds N more, killed at a different point of the request.
    for (const [i, tag] of (['B', 'C', 'D'] as const).entries()) {
      const size = N * (i + 2);
      const body = file(tag, 0, size);
      // Somewhere between the body arriving and the batch committing: an import of `size` rows
      // takes at most size / N times the first one (less: part of that was fixed cost).
      const delay = Math.round(((took * size) / N) * rngFor(SEED, 'import', i).uniform(0.2, 0.7));
      const status = await killDuring(() => post(body), delay);
      const after = await registry();
      const whole = (names: Map<string, string>, t: string, n: number) =>
        names.size === n && [...names.values()].every((name) => name.startsWith(`${t}-`));
      const old = [...before.values()][0]!.split('-')[0]!;
      const isOld = whole(after, old, before.size);
      const isNew = whole(after, tag, size);
      expect(isOld || isNew, `after a kill at ${delay} ms: ${after.size} parks`).toBe(true);
      if (status === 200) expect(isNew).toBe(true);
      outcomes.push(`${delay} ms: ${isNew ? 'new' : 'old'}${status === null ? '' : ` (answered ${status})`}`);
      before = after;
    }
    console.log(`imports of ${2 * N}–${4 * N} sites killed at ${outcomes.join('; ')} (the first, of ${N}, took ${Math.round(took)} ms)`);
  }, 900_000);
});

describe('a chunked network upload killed half-way', () => {
  test('the previous network stays whole and coverage still walks it', async () => {
    // The coverage answer without the moment it was computed.
    const coverage = async () => {
      const { computed_at: _, ...rest } = await json<{ method: string; computed_at?: string }>('/api/v1/coverage?levels=5,10,15');
      return rest;
    };
    // The whole city's network (larger than the small demo's), in four parts per upload.
    const parts = 4;
    const upload = async (seed: number, killIn?: { part: number; afterMs: number }) => {
      const features = demoNetwork({ seed }).features;
      const per = Math.ceil(features.length / parts);
      const { id } = await json<{ id: string }>('/api/v1/network/uploads', { method: 'POST' });
      const part = (n: number) => () =>
        request(server, `/api/v1/network/uploads/${id}/parts/${n}?first=${n * per}`, {
          method: 'PUT',
          token: adminToken,
          json: { type: 'FeatureCollection', features: features.slice(n * per, (n + 1) * per) },
          headers: { 'content-type': 'application/geo+json' },
        });
      const t0 = performance.now();
      for (let n = 0; n < parts; n++) {
        if (killIn?.part === n) return { id, features: features.length, partMs: 0, killed: await killDuring(part(n), killIn.afterMs) };
        expect((await part(n)()).status).toBe(200);
      }
      return { id, features: features.length, partMs: (performance.now() - t0) / parts, killed: undefined };
    };
    const commit = (id: string) => () => request(server, `/api/v1/network/uploads/${id}/commit`, { method: 'POST', token: adminToken });

    // A first upload, committed: the layer to keep, and how long a part and a commit take.
    const first = await upload(SEED);
    const t0 = performance.now();
    expect((await commit(first.id)()).status).toBe(200);
    const commitMs = performance.now() - t0;
    const oldNet = await json<{ version: number; edges: number; nodes: number; features: number }>('/api/v1/network');
    expect(oldNet.features).toBe(first.features);
    const oldCoverage = await coverage();
    expect(oldCoverage.method).toBe('network');
    const unchanged = async (what: string) => {
      const now = await json<{ version: number; edges: number; nodes: number }>('/api/v1/network');
      expect(now, what).toEqual(expect.objectContaining({ version: oldNet.version, edges: oldNet.edges, nodes: oldNet.nodes }));
      expect(await coverage(), what).toEqual(oldCoverage);
    };

    // Killed while the second part of another network is being sent.
    const partKill = Math.round(first.partMs * 0.5);
    await upload(SEED + 1, { part: 1, afterMs: partKill });
    await unchanged('after a kill during a part');

    // Killed while the commit builds and stores the new network.
    const second = await upload(SEED + 1);
    const delay = Math.round(commitMs * rngFor(SEED, 'commit').uniform(0.2, 0.9));
    const status = await killDuring(commit(second.id), delay);
    const now = await json<{ version: number; edges: number; features: number }>('/api/v1/network');
    if (now.version === oldNet.version) {
      await unchanged('after a kill during the commit');
    } else {
      // The commit made it before the kill: the new network, whole.
      expect(now.features).toBe(second.features);
      expect((await coverage()).method).toBe('network');
    }
    console.log(
      `network upload killed ${partKill} ms into a part and ${delay} ms into a commit (one took ${Math.round(commitMs)} ms): ` +
        `${now.version === oldNet.version ? 'old network kept' : 'new network complete'}${status === null ? '' : `, answered ${status}`}`,
    );
  }, 900_000);
});

function ledgerOf(device: string, messages: Message[]): SentLedger {
  const l = new SentLedger(TZ);
  l.record(device, messages);
  return l;
}

function startedAt(m: Message): number {
  return m.type === 'charging_session' ? tsMs(m.started_at) : tsMs(m.ts);
}

function pick(row: { dispensed: number; restocked: number; lent: number; returned: number } | undefined) {
  return { dispensed: row?.dispensed ?? 0, restocked: row?.restocked ?? 0, lent: row?.lent ?? 0, returned: row?.returned ?? 0 };
}

function report(f: DrillFigures): void {
  const starts = [...f.startMs].sort((a, b) => a - b);
  console.log(
    [
      `kill-restart drill: ${f.cycles} SIGKILLs, ${f.devices} devices`,
      `acknowledged ${f.messages} messages in ${f.requests} requests; ${f.inFlightAtKill} requests in flight at the kills, ${f.unanswered} attempts without an answer`,
      `resent ${f.resentMessages} messages in ${f.resentRequests} requests, ${f.alreadyStored} of them already stored by the killed server (answered as duplicates)`,
      `restart to first answer: median ${starts[Math.floor(starts.length / 2)]} ms, max ${starts.at(-1)} ms`,
    ].join('\n'),
  );
}
