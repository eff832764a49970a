/**
 * Work-order benchmark against a local Worker on a fresh D1: open and run N orders through the
 * API (the seven steps, as phones would), then time what the board and the ranking read — the
 * list (all, overdue first), a filtered list, the 双十 figures — and a 5 MB photo upload to local
 * R2. Prints numbers; asserts nothing.
 *
 *   npx node bench/work-orders.ts [--orders 400]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyMigrations, startDev } from '../scripts/lib/wrangler.ts';

const { values: args } = parseArgs({ options: { orders: { type: 'string', default: '400' } } });
const N = Number(args.orders);
const log = (s: string) => process.stdout.write(`${s}\n`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const persistTo = await mkdtemp(join(tmpdir(), 'amenity-bench-wo-'));
const adminToken = `bench-${randomBytes(12).toString('hex')}`;
await applyMigrations(persistTo, { quiet: true });
const server = await startDev({ mode: 'serve', persistTo, quiet: true, vars: { ADMIN_TOKEN: adminToken } });
try {
  const call = async (path: string, token: string, body?: unknown, type = 'application/json'): Promise<Response> => {
    const res = await fetch(server.url + path, {
      method: body === undefined ? 'GET' : path.endsWith('/sites') ? 'PUT' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) },
      body:
        body === undefined ? undefined : body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const admin = (path: string, body?: unknown) => call(path, adminToken, body);
  await admin('/api/v1/districts', { id: 'd1', name: 'D1' });
  const stations = Array.from({ length: 20 }, (_, i) => `st-${i}`);
  for (const s of stations) await admin('/api/v1/stations', { id: s, name: s, district: 'd1', lat: 36.45, lon: 115.98 });
  await admin('/api/v1/units', { id: 'u1', name: 'U1', district: 'd1' });
  await admin('/api/v1/units/u1/sites', { stations });
  await admin('/api/v1/people', { id: 'sup', name: 'Sup' });
  await admin('/api/v1/people', { id: 'w1', name: 'W1' });
  await admin('/api/v1/teams', { id: 't1', name: 'T1', unit: 'u1', members: ['w1'] });
  const token = async (role: string, person: string) =>
    ((await (await admin('/api/v1/tokens', { name: person, role, person })).json()) as { token: string }).token;
  const sup = await token('supervisor', 'sup');
  const staff = await token('staff', 'w1');

  const moveTimes: number[] = [];
  const t0 = performance.now();
  let lastId = '';
  for (let i = 0; i < N; i++) {
    const o = (await (
      await call('/api/v1/work-orders', sup, { site: stations[i % stations.length], kind: i % 3 ? 'repair' : 'restock' })
    ).json()) as { id: string };
    lastId = o.id;
    const moves: Array<[string, Record<string, unknown>]> = [
      [sup, { step: 'registered' }],
      [sup, { step: 'dispatched', assignee: 't1' }],
      [staff, { step: 'arrived' }],
      [staff, { step: 'handled' }],
    ];
    for (const [tok, body] of moves.slice(0, 1 + (i % 4))) {
      const a = performance.now();
      await call(`/api/v1/work-orders/${o.id}/steps`, tok, body);
      moveTimes.push(performance.now() - a);
    }
  }
  const loadS = (performance.now() - t0) / 1000;
  const timed = async (path: string, token: string, runs = 7) => {
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const a = performance.now();
      await (await call(path, token)).arrayBuffer();
      xs.push(performance.now() - a);
    }
    return median(xs);
  };
  const today = new Date().toISOString().slice(0, 10);
  const list = await timed('/api/v1/work-orders?state=all&limit=1000', sup);
  const filtered = await timed('/api/v1/work-orders?state=open&unit=u1&kind=repair&step=dispatched', sup);
  const mine = await timed('/api/v1/work-orders?mine=true', staff);
  const stats = await timed(`/api/v1/work-orders/stats?from=${today}&to=${today}&by=unit`, sup);
  const one = await timed(`/api/v1/work-orders/${lastId}`, sup);
  const photo = new Uint8Array(5 * 1024 * 1024);
  photo.set([0xff, 0xd8, 0xff, 0xe0]);
  const dispatched = (await (await call('/api/v1/work-orders?step=dispatched&limit=1', sup)).json()) as {
    work_orders: Array<{ id: string }>;
  };
  const ups: number[] = [];
  for (let i = 0; i < 3; i++) {
    const a = performance.now();
    await call(`/api/v1/work-orders/${dispatched.work_orders[0]!.id}/photos`, staff, photo, 'image/jpeg');
    ups.push(performance.now() - a);
  }
  log(`orders opened and moved through the API: ${N} (${moveTimes.length} moves) in ${loadS.toFixed(1)} s`);
  log(`one step (POST /steps), median: ${median(moveTimes).toFixed(1)} ms`);
  log(
    `GET /work-orders all ${N}: ${list.toFixed(1)} ms · filtered board: ${filtered.toFixed(1)} ms · mine: ${mine.toFixed(1)} ms · one order: ${one.toFixed(1)} ms`,
  );
  log(`GET /work-orders/stats by unit over ${N}: ${stats.toFixed(1)} ms`);
  log(`5 MB photo upload to local R2, median of 3: ${median(ups).toFixed(0)} ms`);
} finally {
  await server.stop();
  await rm(persistTo, { recursive: true, force: true });
}
