/**
 * Station-wide level-drop inference, measured: a station with two controllers (one reports
 * levels every 15 minutes, the other the dispenses) sends 60 days of backlog in requests of
 * 1,000 messages, then live traffic of one message per request. Prints the time per request;
 * asserts nothing. Also times a restock run plan over the stations.
 *
 *   npx node bench/station-ingest.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api } from '../scripts/lib/api.ts';
import { applyMigrations, startDev } from '../scripts/lib/wrangler.ts';

const MIN = 60_000;
const DAYS = 60;
const log = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function post(url: string, token: string, messages: unknown[]): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${url}/api/v1/telemetry`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages }),
  });
  const body = (await res.json()) as { accepted: number };
  if (res.status !== 200 || body.accepted !== messages.length)
    throw new Error(`refused: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return performance.now() - t0;
}

const persistTo = await mkdtemp(join(tmpdir(), 'amenity-bench-'));
const adminToken = `bench-${randomBytes(12).toString('hex')}`;
await applyMigrations(persistTo, { quiet: true });
const server = await startDev({ mode: 'serve', persistTo, quiet: true, vars: { ADMIN_TOKEN: adminToken } });
try {
  const a = api(server.url, adminToken);
  await a.request('POST', '/api/v1/districts', { id: 'bd', name: 'Bench district' });
  const tokens: string[] = [];
  for (let s = 0; s < 8; s++) {
    await a.request('POST', '/api/v1/stations', {
      id: `bs${s}`,
      name: `Bench station ${s}`,
      district: 'bd',
      lat: 36.45 + s * 0.003,
      lon: 115.98 + s * 0.002,
    });
    await a.request('PUT', `/api/v1/stations/bs${s}/items/water`, { par_level: 96, reorder_point: 24 });
    if (s === 0) {
      for (const id of ['levels', 'dispenser'])
        tokens.push(
          (await a.request<{ token: string }>('POST', '/api/v1/devices', { id: `bs0-${id}`, kind: 'station', site: 'bs0' })).token,
        );
    }
  }
  const [levels, dispenser] = tokens as [string, string];
  const start = Date.now() - DAYS * 86400_000;
  const levelMsgs: unknown[] = [];
  const eventMsgs: unknown[] = [];
  let water = 96;
  for (let t = start, i = 0; t < Date.now() - 2 * 86400_000; t += 5 * MIN, i++) {
    if (i % 3 === 0) levelMsgs.push({ seq: levelMsgs.length, ts: t, type: 'stock', levels: { water, towel: 20 } });
    if (i % 2 === 0) {
      const qty = 1 + (i % 3);
      if (water - qty < 10) {
        eventMsgs.push({ seq: eventMsgs.length, ts: t, type: 'restock', item: 'water', qty: 96 - water });
        water = 96;
      }
      water -= qty;
      eventMsgs.push({ seq: eventMsgs.length, ts: t + 1000, type: 'dispense', item: 'water', qty });
    }
  }
  log(`backlog: ${levelMsgs.length} level readings from one controller, ${eventMsgs.length} events from the other, ${DAYS - 2} days`);
  const backlog: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < Math.max(levelMsgs.length, eventMsgs.length); i += 1000) {
    if (i < eventMsgs.length) backlog.push(await post(server.url, dispenser, eventMsgs.slice(i, i + 1000)));
    if (i < levelMsgs.length) backlog.push(await post(server.url, levels, levelMsgs.slice(i, i + 1000)));
  }
  log(
    `backlog of 1,000-message requests: ${backlog.length} requests, median ${median(backlog).toFixed(0)} ms, max ${Math.max(...backlog).toFixed(0)} ms, total ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const live: number[] = [];
  let seqL = levelMsgs.length;
  let seqE = eventMsgs.length;
  for (let k = 0; k < 60; k++) {
    const t = Date.now() - 2 * 86400_000 + k * 5 * MIN;
    live.push(await post(server.url, dispenser, [{ seq: seqE++, ts: t, type: 'dispense', item: 'water', qty: 1 }]));
    live.push(await post(server.url, levels, [{ seq: seqL++, ts: t + 1000, type: 'stock', levels: { water: 90 - k, towel: 20 } }]));
  }
  log(
    `live, one message per request (${live.length} requests): median ${median(live).toFixed(1)} ms, p90 ${[...live].sort((x, y) => x - y)[Math.floor(live.length * 0.9)]!.toFixed(1)} ms`,
  );
  const plans: number[] = [];
  for (let k = 0; k < 10; k++) {
    const p0 = performance.now();
    await a.request('POST', '/api/v1/restock-runs/plan', { depot: { lat: 36.45, lon: 115.98 } }).catch(() => undefined);
    plans.push(performance.now() - p0);
  }
  log(`restock run plan over 8 stations (no network loaded): median ${median(plans).toFixed(1)} ms`);
} finally {
  await server.stop();
  await rm(persistTo, { recursive: true, force: true });
}
