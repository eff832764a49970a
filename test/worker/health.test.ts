import { describe, expect, it } from 'vitest';
import { asAdmin, call } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';

const MIN = 60_000;

async function send(token: string, messages: unknown[]) {
  const res = await call('/api/v1/telemetry', { method: 'POST', token, json: { messages } });
  expect(res.status).toBe(200);
}

async function stationHealth(id: string) {
  const res = await asAdmin(`/api/v1/stations/${id}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { health: { grade: string; reasons: string[] } }).health;
}

async function publicBenchGrade(id: string) {
  const res = await call('/api/v1/public/map');
  const body = (await res.json()) as { benches: Array<{ id: string; health: string }> };
  return body.benches.find((b) => b.id === id)?.health;
}

describe('health grades agree on what an active fault is', () => {
  it('a station reporting fault codes in its status is orange until a status clears them', async () => {
    const { station, token } = await stationWithDevice();
    await send(token, [{ seq: 1, ts: Date.now() - 2 * MIN, type: 'status', open: true, fault_codes: ['door_jam'] }]);
    expect(await stationHealth(station)).toEqual({ grade: 'orange', reasons: ['fault'] });
    await send(token, [{ seq: 2, ts: Date.now() - MIN, type: 'status', open: true, fault_codes: [] }]);
    expect((await stationHealth(station)).grade).toBe('blue');
  });

  it('a bench with a raised fault message is orange on the public map until the fault is cleared', async () => {
    const { device, token } = await benchWithDevice();
    await send(token, [{ seq: 1, ts: Date.now() - 3 * MIN, type: 'fault', code: 'usb_port_2', active: true, detail: 'over-current' }]);
    expect(await publicBenchGrade(device)).toBe('orange');
    await send(token, [{ seq: 2, ts: Date.now() - MIN, type: 'fault', code: 'usb_port_2', active: false }]);
    expect(await publicBenchGrade(device)).toBe('blue');
  });
});
