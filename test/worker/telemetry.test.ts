import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { asAdmin, call, problem as expectProblem, insideOneWindow } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';
import type { Problem } from '../../worker/schemas/common.ts';
import { IngestResult, type IngestResultBody } from '../../worker/schemas/telemetry.ts';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function post(token: string | undefined, body: unknown, contentType = 'application/json') {
  return call('/api/v1/telemetry', {
    method: 'POST',
    token,
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function ingestOk(token: string, body: unknown, contentType?: string): Promise<IngestResultBody> {
  const res = await post(token, body, contentType);
  expect(res.status, await res.clone().text()).toBe(200);
  return IngestResult.parse(await res.json());
}

async function problem(res: Response, status: number): Promise<Problem> {
  const p = await expectProblem(res, status);
  expect(p.title).toBeTruthy();
  expect(p.type).toMatch(/^\/problems\//);
  return p;
}

async function storedCount(device: string): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM messages WHERE device_id = ?').bind(device).first<{ n: number }>())!.n;
}

describe('POST /api/v1/telemetry: the envelope', () => {
  it('accepts the contract example, stores each message and answers the counts and server time', async () => {
    const { device, token } = await benchWithDevice();
    const t = Date.now() - 10 * MIN;
    const before = Date.now();
    const out = await ingestOk(token, {
      device,
      messages: [
        {
          seq: 1042,
          ts: iso(t),
          type: 'status',
          battery_soc: 78.5,
          battery_v: 12.6,
          solar_w: 35.2,
          load_w: 5.1,
          temp_c: 31.0,
          ports_in_use: 1,
          fault_codes: [],
        },
        {
          seq: 1043,
          ts: t + 2 * MIN,
          type: 'charging_session',
          port: 2,
          started_at: iso(t - 40 * MIN),
          ended_at: iso(t + 2 * MIN),
          energy_wh: 4.2,
        },
      ],
    });
    expect(out).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    expect(Date.parse(out.server_time)).toBeGreaterThanOrEqual(before - 1000);
    const rows = await env.DB.prepare('SELECT key, ts, type FROM messages WHERE device_id = ? ORDER BY key').bind(device).all();
    expect(rows.results).toEqual([
      { key: '1042', ts: t, type: 'status' },
      { key: '1043', ts: t + 2 * MIN, type: 'charging_session' },
    ]);
    const state = await env.DB.prepare('SELECT battery_soc, solar_w, ports_in_use, last_seen FROM devices WHERE id = ?')
      .bind(device)
      .first<Record<string, number>>();
    expect(state).toMatchObject({ battery_soc: 78.5, solar_w: 35.2, ports_in_use: 1 });
    expect(state!.last_seen).toBeGreaterThanOrEqual(before);
  });

  it('reads ts with any offset and as epoch ms to the same instant', async () => {
    const { device, token } = await stationWithDevice();
    const base =
      Date.UTC(2026, 0, 1) > Date.now() - 80 * 86400_000
        ? Date.UTC(2026, 0, 1)
        : Math.floor((Date.now() - 2 * 86400_000) / 3600_000) * 3600_000;
    const shanghai = new Date(base + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
    const newYork = new Date(base - 5 * 3600_000).toISOString().slice(0, 19) + '-05:00';
    await ingestOk(token, {
      messages: [
        { seq: 1, ts: shanghai, type: 'heartbeat' },
        { seq: 2, ts: newYork, type: 'heartbeat' },
        { seq: 3, ts: base, type: 'heartbeat' },
        { seq: 4, ts: iso(base).replace('Z', 'z').replace('T', 't'), type: 'heartbeat' },
      ],
    });
    const ts = await env.DB.prepare('SELECT DISTINCT ts FROM messages WHERE device_id = ?').bind(device).all();
    expect(ts.results).toEqual([{ ts: base }]);
  });

  it('counts a resent message once: same seq and content is a duplicate, even with ts written another way', async () => {
    const { device, token } = await stationWithDevice();
    const t = Math.floor((Date.now() - 60 * MIN) / 1000) * 1000;
    const first = [{ seq: 7, ts: iso(t), type: 'dispense', item: 'water', qty: 3 }];
    expect(await ingestOk(token, { messages: first })).toMatchObject({ accepted: 1, duplicates: 0 });
    const again = await ingestOk(token, { messages: [{ qty: 3, item: 'water', type: 'dispense', ts: t, seq: 7 }] });
    expect(again).toMatchObject({ accepted: 0, duplicates: 1, rejected: [] });
    const sum = await env.DB.prepare('SELECT SUM(dispensed) AS n FROM item_hourly WHERE device_id = ?').bind(device).first<{ n: number }>();
    expect(sum!.n).toBe(3);
  });

  it('rejects the same seq with other content as seq_conflict, and the first one stands', async () => {
    const { device, token } = await stationWithDevice();
    const t = Date.now() - 30 * MIN;
    await ingestOk(token, { messages: [{ seq: 9, ts: t, type: 'dispense', item: 'water', qty: 2 }] });
    const out = await ingestOk(token, {
      messages: [
        { seq: 9, ts: t, type: 'dispense', item: 'water', qty: 5 },
        { seq: 10, ts: t, type: 'dispense', item: 'towel', qty: 1 },
      ],
    });
    expect(out.accepted).toBe(1);
    expect(out.rejected).toEqual([{ index: 0, seq: 9, code: 'seq_conflict', detail: expect.stringContaining('first one stands') }]);
    const body = await env.DB.prepare("SELECT body FROM messages WHERE device_id = ? AND key = '9'").bind(device).first<{ body: string }>();
    expect(JSON.parse(body!.body).qty).toBe(2);
  });

  it('inside one request, a repeated seq is a duplicate or a conflict with the first occurrence', async () => {
    const { token } = await stationWithDevice();
    const t = Date.now() - 5 * MIN;
    const out = await ingestOk(token, {
      messages: [
        { seq: 1, ts: t, type: 'visit', count: 4 },
        { seq: 1, ts: t, type: 'visit', count: 4 },
        { seq: 1, ts: t, type: 'visit', count: 5 },
      ],
    });
    expect(out.accepted).toBe(1);
    expect(out.duplicates).toBe(1);
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([[2, 'seq_conflict']]);
  });

  it('rejects ts more than 5 minutes ahead (ts_in_future) and older than MAX_AGE_DAYS (ts_too_old), and keeps the rest', async () => {
    const { device, token } = await stationWithDevice();
    const now = Date.now();
    const out = await ingestOk(token, {
      messages: [
        { seq: 1, ts: now + 3 * 3600_000, type: 'heartbeat' },
        { seq: 2, ts: now + 4 * MIN, type: 'heartbeat' },
        { seq: 3, ts: now - 91 * 86400_000, type: 'heartbeat' },
        { seq: 4, ts: now - 89 * 86400_000, type: 'heartbeat' },
      ],
    });
    expect(out.accepted).toBe(2);
    expect(out.rejected).toEqual([
      { index: 0, seq: 1, code: 'ts_in_future', detail: expect.stringMatching(/3 h.* ahead of server time/) },
      { index: 2, seq: 3, code: 'ts_too_old', detail: expect.stringContaining('MAX_AGE_DAYS = 90') },
    ]);
    expect(await storedCount(device)).toBe(2);
  });

  it.each([
    ['not an object', 5, 'invalid_message', 'JSON object'],
    ['a negative seq', { seq: -1, ts: 0, type: 'heartbeat' }, 'invalid_seq', '0 ≤ seq < 2^53'],
    ['seq of 2^53', { seq: 2 ** 53, ts: 0, type: 'heartbeat' }, 'invalid_seq', '2^53'],
    ['a fractional seq', { seq: 1.5, ts: 0, type: 'heartbeat' }, 'invalid_seq', 'integer'],
    ['ts without an offset', { seq: 1, ts: '2026-07-21T14:00:00', type: 'heartbeat' }, 'invalid_ts', 'offset'],
    ['ts on 30 February', { seq: 1, ts: '2026-02-30T14:00:00+08:00', type: 'heartbeat' }, 'invalid_ts', 'RFC 3339'],
    ['an unknown type', { seq: 1, ts: 'NOW', type: 'selfie' }, 'unknown_type', 'type must be one of'],
    ['battery_soc over 100', { seq: 1, ts: 'NOW', type: 'status', battery_soc: 101 }, 'invalid_field', '/battery_soc'],
    ['temp_c below -50', { seq: 1, ts: 'NOW', type: 'status', temp_c: -51 }, 'invalid_field', '/temp_c'],
    ['a status with no field', { seq: 1, ts: 'NOW', type: 'status' }, 'invalid_field', 'at least one of'],
    ['fractional ports_in_use', { seq: 1, ts: 'NOW', type: 'status', ports_in_use: 1.5 }, 'invalid_field', '/ports_in_use'],
    ['a stock level with a bad item code', { seq: 1, ts: 'NOW', type: 'stock', levels: { Water: 3 } }, 'invalid_field', '/levels'],
    ['a negative stock level', { seq: 1, ts: 'NOW', type: 'stock', levels: { water: -1 } }, 'invalid_field', '/levels/water'],
    ['dispense qty 0', { seq: 1, ts: 'NOW', type: 'dispense', item: 'water', qty: 0 }, 'invalid_field', '/qty'],
    [
      'restock with a bad expiry',
      { seq: 1, ts: 'NOW', type: 'restock', item: 'medicine_kit', qty: 1, expires: '2027-13-01' },
      'invalid_field',
      '/expires',
    ],
    ['a visit with a negative count', { seq: 1, ts: 'NOW', type: 'visit', count: -2 }, 'invalid_field', '/count'],
    ['a fault without active', { seq: 1, ts: 'NOW', type: 'fault', code: 'E1' }, 'invalid_field', '/active'],
    [
      'port 0',
      { seq: 1, ts: 'NOW', type: 'charging_session', port: 0, started_at: 'BEFORE', ended_at: 'NOW', energy_wh: 1 },
      'invalid_field',
      '/port',
    ],
    [
      'ended_at before started_at',
      { seq: 1, ts: 'NOW', type: 'charging_session', port: 1, started_at: 'NOW', ended_at: 'BEFORE', energy_wh: 1 },
      'invalid_field',
      'before started_at',
    ],
    [
      'ended_at after ts',
      { seq: 1, ts: 'BEFORE', type: 'charging_session', port: 1, started_at: 'BEFORE', ended_at: 'NOW', energy_wh: 1 },
      'invalid_field',
      'after ts',
    ],
  ])('rejects a message with %s (%s)', async (_what, message, code, detail) => {
    const { device, token } = await benchWithDevice();
    const now = iso(Date.now() - MIN);
    const before = iso(Date.now() - 30 * MIN);
    const m = JSON.parse(JSON.stringify(message).replaceAll('"NOW"', JSON.stringify(now)).replaceAll('"BEFORE"', JSON.stringify(before)));
    const out = await ingestOk(token, { messages: [{ seq: 100, ts: now, type: 'heartbeat' }, m] });
    expect(out.accepted).toBe(1);
    expect(out.rejected).toHaveLength(1);
    expect(out.rejected[0]!.index).toBe(1);
    expect(out.rejected[0]!.code).toBe(code);
    expect(out.rejected[0]!.detail).toContain(detail);
    expect(await storedCount(device)).toBe(1);
  });

  it('stores an item code the registry does not know and lists it for an admin to name', async () => {
    const { station, token } = await stationWithDevice();
    const out = await ingestOk(token, {
      messages: [{ seq: 1, ts: Date.now() - MIN, type: 'stock', levels: { water: 10, cooling_towel: 6 } }],
    });
    expect(out.accepted).toBe(1);
    const item = await env.DB.prepare("SELECT registered FROM items WHERE code = 'cooling_towel'").first<{ registered: number }>();
    expect(item!.registered).toBe(0);
    const onHand = await env.DB.prepare('SELECT item, on_hand FROM station_items WHERE station_id = ? ORDER BY item').bind(station).all();
    expect(onHand.results).toEqual([
      { item: 'cooling_towel', on_hand: 6 },
      { item: 'water', on_hand: 10 },
    ]);
    const listed = await asAdmin('/api/v1/items?unregistered=true');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).toContain('cooling_towel');
  });

  it('keeps the newest state when a late backlog arrives (battery, open/closed)', async () => {
    const bench = await benchWithDevice();
    const t = Date.now() - 10 * MIN;
    await ingestOk(bench.token, { messages: [{ seq: 2, ts: t, type: 'status', battery_soc: 80 }] });
    await ingestOk(bench.token, { messages: [{ seq: 1, ts: t - 60 * MIN, type: 'status', battery_soc: 20, temp_c: 30 }] });
    const b = await env.DB.prepare('SELECT battery_soc, temp_c, state_at FROM devices WHERE id = ?').bind(bench.device).first();
    expect(b).toEqual({ battery_soc: 80, temp_c: null, state_at: t });

    const st = await stationWithDevice();
    await ingestOk(st.token, { messages: [{ seq: 5, ts: t, type: 'status', open: false }] });
    await ingestOk(st.token, { messages: [{ seq: 4, ts: t - 2 * 60 * MIN, type: 'status', open: true }] });
    const s = await env.DB.prepare('SELECT open, open_at, updated_at FROM stations WHERE id = ?').bind(st.station).first();
    expect(s).toEqual({ open: 0, open_at: t, updated_at: t });
  });

  it('rejects a single message over 256 KiB (D1 cannot bind it once escaped) and keeps the others', async () => {
    const { device, token } = await benchWithDevice();
    const out = await ingestOk(token, {
      messages: [
        { seq: 1, ts: Date.now() - MIN, type: 'heartbeat', blob: '"'.repeat(300_000) },
        { seq: 2, ts: Date.now() - MIN, type: 'heartbeat' },
      ],
    });
    expect(out.accepted).toBe(1);
    expect(out.rejected).toEqual([{ index: 0, seq: 1, code: 'invalid_message', detail: expect.stringContaining('at most 256 KiB') }]);
    expect(await storedCount(device)).toBe(1);
  });

  it('keeps fields firmware adds beyond the contract', async () => {
    const { device, token } = await benchWithDevice();
    await ingestOk(token, { messages: [{ seq: 1, ts: Date.now() - MIN, type: 'status', battery_soc: 50, humidity: 61 }] });
    const row = await env.DB.prepare('SELECT body FROM messages WHERE device_id = ?').bind(device).first<{ body: string }>();
    expect(JSON.parse(row!.body)).toMatchObject({ battery_soc: 50, humidity: 61 });
  });
});

describe('POST /api/v1/telemetry: whole-request errors are problem details and store nothing', () => {
  const good = () => ({ messages: [{ seq: 1, ts: Date.now() - MIN, type: 'heartbeat' }] });

  it('401 without a token', async () => {
    const p = await problem(await post(undefined, good()), 401);
    expect(p.detail).toContain('Missing device token');
  });

  it('401 for an unknown token', async () => {
    const p = await problem(await post('dev_nope', good()), 401);
    expect(p.detail).toContain('Unknown device token');
  });

  it('401 for a token replaced by rotation, while the new one works', async () => {
    const { device, token } = await benchWithDevice();
    const rot = await asAdmin(`/api/v1/devices/${device}/token`, { method: 'POST' });
    expect(rot.status).toBe(200);
    const fresh = ((await rot.json()) as { id: string; token: string }).token;
    expect(fresh).not.toBe(token);
    await problem(await post(token, good()), 401);
    expect((await ingestOk(fresh, good())).accepted).toBe(1);
  });

  it('403 for a disabled device, and the PATCH answer holds no token', async () => {
    const { device, token } = await benchWithDevice();
    const res = await asAdmin(`/api/v1/devices/${device}`, { method: 'PATCH', json: { disabled: true } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: device, disabled: true });
    expect(JSON.stringify(body)).not.toMatch(/token/i);
    const p = await problem(await post(token, good()), 403);
    expect(p.detail).toContain('disabled');
    expect(await storedCount(device)).toBe(0);
  });

  it('403 when `device` names another device than the token', async () => {
    const { device, token } = await benchWithDevice();
    const p = await problem(await post(token, { device: 'bench-other', ...good() }), 403);
    expect(p.detail).toContain('bench-other');
    expect(await storedCount(device)).toBe(0);
  });

  it('400 for a body that is not JSON', async () => {
    const { device, token } = await benchWithDevice();
    const p = await problem(await post(token, '{"messages": [', 'application/json'), 400);
    expect(p.detail).toContain('not valid JSON');
    expect(await storedCount(device)).toBe(0);
  });

  it.each([
    [[1, 2], ''],
    [{ msgs: [] }, '/messages'],
    [{ messages: {} }, '/messages'],
    [{ device: 7, messages: [] }, '/device'],
  ])('400 for a body that is not the envelope (%j), pointing at %s', async (body, ptr) => {
    const { token } = await benchWithDevice();
    const p = await problem(await post(token, body), 400);
    expect(p.errors?.[0]?.pointer).toBe(ptr);
  });

  it('413 for more than 1,000 messages', async () => {
    const { device, token } = await benchWithDevice();
    const t = Date.now() - MIN;
    const messages = Array.from({ length: 1001 }, (_, i) => ({ seq: i, ts: t, type: 'heartbeat' }));
    const p = await problem(await post(token, { messages }), 413);
    expect(p.detail).toContain('1001 messages');
    expect(await storedCount(device)).toBe(0);
  });

  it('413 for a body over 1 MiB', async () => {
    const { device, token } = await benchWithDevice();
    const pad = 'x'.repeat(1024 * 1024);
    const p = await problem(
      await post(token, { messages: [{ seq: 1, ts: Date.now(), type: 'fault', code: 'E', active: true, detail: pad }] }),
      413,
    );
    expect(p.detail).toContain('1 MiB');
    expect(await storedCount(device)).toBe(0);
  });

  it('415 for another content type', async () => {
    const { token } = await benchWithDevice();
    const p = await problem(await post(token, JSON.stringify(good()), 'text/plain'), 415);
    expect(p.detail).toContain('application/json');
  });

  it('accepts a content type with a charset parameter', async () => {
    const { token } = await benchWithDevice();
    expect((await ingestOk(token, good(), 'application/json; charset=utf-8')).accepted).toBe(1);
  });

  it('429 with Retry-After once a device exceeds its rate, and stores nothing of that request', async () => {
    const { device, token } = await benchWithDevice();
    let limited: Response | null = null;
    let sent = 0;
    // The limiter counts per fixed 10 s window; start the burst at a window's start, and 300 tries
    // pass the limit of 120 even across a window edge.
    await insideOneWindow(10, 9_500);
    for (let i = 0; i < 300 && !limited; i++) {
      const res = await post(token, { messages: [{ seq: i, ts: Date.now() - MIN, type: 'heartbeat' }] });
      if (res.status === 429) limited = res;
      else {
        expect(res.status).toBe(200);
        sent++;
      }
    }
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    await problem(limited!, 429);
    expect(await storedCount(device)).toBe(sent);
  }, 60_000); // 300 requests: on a shared machine this takes more than the default 5 s
});
