import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { asAdmin, call } from './helpers.ts';
import { stationWithDevice } from './fixtures.ts';

/**
 * The device token is checked inside the one ingest batch (worker/db/ingest.ts AUTH_GUARD): a
 * device already seen by this isolate costs one D1 round trip per request, and a token that went
 * bad since (rotated, device disabled) writes nothing and answers 401 / 403.
 */
const send = (token: string, seq: number) =>
  call('/api/v1/telemetry', {
    method: 'POST',
    token,
    json: { messages: [{ seq, ts: Date.now() - 60_000, type: 'dispense', item: 'water', qty: 2 }] },
  });

async function stored(device: string): Promise<number> {
  return (await env.DB.prepare('SELECT COUNT(*) AS n FROM messages WHERE device_id = ?').bind(device).first<{ n: number }>())!.n;
}

describe('the token check inside the ingest batch', () => {
  it('costs one round trip once the device is known, and stores the message', async () => {
    const { device, token } = await stationWithDevice();
    const first = await send(token, 1);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-d1-round-trips')).toBe('2');
    const second = await send(token, 2);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-d1-round-trips')).toBe('1');
    expect(await stored(device)).toBe(2);
  });

  it('a token rotated after the device was seen writes nothing and answers 401; the new token works', async () => {
    const { device, token } = await stationWithDevice();
    expect((await send(token, 1)).status).toBe(200);
    const rotated = (await (await asAdmin(`/api/v1/devices/${device}/token`, { method: 'POST' })).json()) as { token: string };
    const res = await send(token, 2);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await stored(device)).toBe(1);
    const rollup = await env.DB.prepare('SELECT TOTAL(dispensed) AS n FROM item_daily WHERE device_id = ?')
      .bind(device)
      .first<{ n: number }>();
    expect(rollup!.n).toBe(2);
    expect((await send(rotated.token, 2)).status).toBe(200);
    expect(await stored(device)).toBe(2);
  });

  it('a device disabled after it was seen writes nothing and answers 403, an empty request included', async () => {
    const { device, token } = await stationWithDevice();
    expect((await send(token, 1)).status).toBe(200);
    const seen = (await env.DB.prepare('SELECT last_seen FROM devices WHERE id = ?').bind(device).first<{ last_seen: number }>())!
      .last_seen;
    expect((await asAdmin(`/api/v1/devices/${device}`, { method: 'PATCH', json: { disabled: true } })).status).toBe(200);
    expect((await send(token, 2)).status).toBe(403);
    const empty = await call('/api/v1/telemetry', { method: 'POST', token, json: { messages: [] } });
    expect(empty.status).toBe(403);
    expect(await stored(device)).toBe(1);
    expect(
      (await env.DB.prepare('SELECT last_seen FROM devices WHERE id = ?').bind(device).first<{ last_seen: number }>())!.last_seen,
    ).toBe(seen);
  });

  it('a device moved to another station after it was seen writes to the new station', async () => {
    const a = await stationWithDevice();
    const b = await stationWithDevice();
    expect((await send(a.token, 1)).status).toBe(200);
    expect((await asAdmin(`/api/v1/devices/${a.device}`, { method: 'PATCH', json: { site: b.station } })).status).toBe(200);
    const res = await send(a.token, 2);
    expect(res.status).toBe(200);
    const updated = await env.DB.prepare(
      "SELECT station_id FROM station_items WHERE item = 'water' AND station_id IN (?, ?) ORDER BY station_id",
    )
      .bind(a.station, b.station)
      .all<{ station_id: string }>();
    expect(updated.results.map((r) => r.station_id)).toContain(b.station);
  });

  it('an unknown token writes nothing and answers 401', async () => {
    const before = (await env.DB.prepare('SELECT COUNT(*) AS n FROM messages').first<{ n: number }>())!.n;
    const res = await send('dev_never-issued', 1);
    expect(res.status).toBe(401);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM messages').first<{ n: number }>())!.n).toBe(before);
  });
});
