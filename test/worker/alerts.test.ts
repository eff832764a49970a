import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../worker/db/alerts.ts';
import { asAdmin, call } from './helpers.ts';
import { benchWithDevice, stationWithDevice } from './fixtures.ts';

const MIN = 60_000;

interface AlertOut {
  id: string;
  kind: string;
  site: string;
  site_kind: string;
  item: string | null;
  colour: string;
  opened_at: string;
  resolved_at: string | null;
  detail: string;
  data: Record<string, unknown>;
}

async function send(token: string, messages: unknown[]) {
  const res = await call('/api/v1/telemetry', { method: 'POST', token, json: { messages } });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ accepted: number; duplicates: number }>;
}

async function alerts(query: string): Promise<AlertOut[]> {
  const res = await asAdmin(`/api/v1/alerts?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { alerts: AlertOut[] }).alerts;
}

async function setReorder(station: string, item: string, par: number, reorder: number) {
  const res = await asAdmin(`/api/v1/stations/${station}/items/${item}`, {
    method: 'PUT',
    json: { par_level: par, reorder_point: reorder },
  });
  expect(res.status).toBe(200);
}

const evaluateStation = (station: string, now: number) =>
  evaluateAlerts(env.DB, env, { stations: [station], benches: [], solar: false }, now);

describe('stock alerts are evaluated in the request that stores the telemetry', () => {
  it('a level at the reorder point opens below_reorder at once; an empty item opens stock_out instead', async () => {
    const { station, token } = await stationWithDevice();
    await setReorder(station, 'water', 40, 10);
    await send(token, [{ seq: 1, ts: Date.now() - 5 * MIN, type: 'stock', levels: { water: 10, towel: 0 } }]);
    const open = await alerts(`site=${station}`);
    expect(open.map((a) => [a.kind, a.item]).sort()).toEqual([
      ['below_reorder', 'water'],
      ['stock_out', 'towel'],
    ]);
    const below = open.find((a) => a.kind === 'below_reorder')!;
    expect(below).toMatchObject({ site_kind: 'station', colour: 'yellow', resolved_at: null });
    expect(below.data).toEqual({ on_hand: 10, reorder_point: 10 });
  });

  it('one open alert per (site, kind, item) however often the condition is evaluated, and a duplicate request changes nothing', async () => {
    const { station, token } = await stationWithDevice();
    await setReorder(station, 'water', 40, 10);
    const msg = [{ seq: 1, ts: Date.now() - 5 * MIN, type: 'stock', levels: { water: 5 } }];
    await send(token, msg);
    const again = await send(token, msg);
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    await send(token, [{ seq: 2, ts: Date.now() - 4 * MIN, type: 'dispense', item: 'water', qty: 1 }]);
    await evaluateStation(station, Date.now());
    const list = await alerts(`site=${station}&state=all&kind=below_reorder`);
    expect(list).toHaveLength(1);
    expect(list[0]!.data).toEqual({ on_hand: 4, reorder_point: 10 });
  });

  it('a level hovering around the reorder point does not flap; it resolves once clear past the margin for the dwell time', async () => {
    const { station, token } = await stationWithDevice();
    await setReorder(station, 'water', 40, 10);
    const t0 = Date.now() - 30 * MIN;
    await send(token, [{ seq: 1, ts: t0, type: 'stock', levels: { water: 10 } }]);
    // 11 is above the reorder point but inside the clearing margin (2): still holds.
    await send(token, [{ seq: 2, ts: t0 + MIN, type: 'stock', levels: { water: 11 } }]);
    await send(token, [{ seq: 3, ts: t0 + 2 * MIN, type: 'stock', levels: { water: 10 } }]);
    await send(token, [{ seq: 4, ts: t0 + 3 * MIN, type: 'stock', levels: { water: 11 } }]);
    let all = await alerts(`site=${station}&state=all&kind=below_reorder`);
    expect(all).toHaveLength(1);
    expect(all[0]!.resolved_at).toBeNull();
    // Restocked to 30: clear, but it must stay clear for 10 minutes before it resolves.
    await send(token, [{ seq: 5, ts: t0 + 4 * MIN, type: 'stock', levels: { water: 30 } }]);
    const now = Date.now();
    await evaluateStation(station, now + 5 * MIN);
    expect((await alerts(`site=${station}&state=open&kind=below_reorder`)).length).toBe(1);
    await evaluateStation(station, now + 11 * MIN);
    all = await alerts(`site=${station}&state=all&kind=below_reorder`);
    expect(all).toHaveLength(1);
    expect(all[0]!.resolved_at).not.toBeNull();
  });

  it('a clear reading between two low ones within the dwell keeps the same alert open (no close and reopen)', async () => {
    const { station, token } = await stationWithDevice();
    await setReorder(station, 'water', 40, 10);
    const t0 = Date.now() - 20 * MIN;
    await send(token, [{ seq: 1, ts: t0, type: 'stock', levels: { water: 3 } }]);
    await send(token, [{ seq: 2, ts: t0 + MIN, type: 'stock', levels: { water: 35 } }]);
    await send(token, [{ seq: 3, ts: t0 + 2 * MIN, type: 'stock', levels: { water: 4 } }]);
    const all = await alerts(`site=${station}&state=all&kind=below_reorder`);
    expect(all).toHaveLength(1);
    expect(all[0]!.resolved_at).toBeNull();
  });

  it('an out-of-order older reading does not reopen a cleared stock-out', async () => {
    const { station, token } = await stationWithDevice();
    const t0 = Date.now() - 60 * MIN;
    await send(token, [{ seq: 2, ts: t0 + 10 * MIN, type: 'stock', levels: { towel: 20 } }]);
    await send(token, [{ seq: 1, ts: t0, type: 'stock', levels: { towel: 0 } }]); // late, older
    expect(await alerts(`site=${station}&state=all&kind=stock_out`)).toEqual([]);
  });
});

describe('predicted_stock_out', () => {
  it('a burst the usual profile does not know of (umbrellas in a downpour) warns before the stand is empty', async () => {
    const { station, token } = await stationWithDevice();
    await setReorder(station, 'umbrella', 20, 2);
    const now = Date.now();
    const DAY = 24 * 60 * MIN;
    // Ten quiet days: one umbrella lent a day, the usual profile is about 1/24 an hour.
    const history = Array.from({ length: 10 }, (_, i) => ({ seq: i + 1, ts: now - (i + 2) * DAY, type: 'lend', item: 'umbrella', qty: 1 }));
    await send(token, [{ seq: 100, ts: now - 13 * DAY, type: 'stock', levels: { umbrella: 20 } }, ...history]);
    // The last two and a half hours: ten lent, six left. On the profile alone that lasts days;
    // at the burst's rate (about 3 an hour, halving every 2 h) it is gone in about 3 h.
    const burst = Array.from({ length: 10 }, (_, i) => ({
      seq: 200 + i,
      ts: now - (150 - 14 * i) * MIN,
      type: 'lend',
      item: 'umbrella',
      qty: 1,
    }));
    await send(token, [{ seq: 199, ts: now - 155 * MIN, type: 'stock', levels: { umbrella: 16 } }, ...burst]);
    await send(token, [{ seq: 300, ts: now - 2 * MIN, type: 'stock', levels: { umbrella: 6 } }]);
    await evaluateStation(station, now);
    const [predicted] = await alerts(`site=${station}&kind=predicted_stock_out`);
    expect(predicted).toMatchObject({ item: 'umbrella', resolved_at: null });
    expect(predicted!.data.on_hand).toBe(6);
    expect(predicted!.data.hours_left).toBeGreaterThan(1);
    expect(predicted!.data.hours_left).toBeLessThan(6);
  });
});

describe('contract: GET /api/v1/alerts', () => {
  it('answers the contract fields and filters by state, site and kind; a bad kind is a 400 problem', async () => {
    const { station, token } = await stationWithDevice();
    await send(token, [{ seq: 1, ts: Date.now() - MIN, type: 'stock', levels: { water: 0 } }]);
    const [a] = await alerts(`state=open&site=${station}&kind=stock_out`);
    expect(Object.keys(a!)).toEqual(
      expect.arrayContaining(['id', 'kind', 'site', 'site_kind', 'item', 'colour', 'opened_at', 'resolved_at', 'detail']),
    );
    expect(a).toMatchObject({ kind: 'stock_out', site: station, site_kind: 'station', item: 'water', colour: 'yellow', resolved_at: null });
    expect(Date.parse(a!.opened_at)).toBeGreaterThan(Date.now() - MIN);
    expect(await alerts(`state=resolved&site=${station}`)).toEqual([]);
    const bad = await asAdmin('/api/v1/alerts?kind=flood');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ pointer: string }> }).errors[0]!.pointer).toBe('/kind');
    expect((await call('/api/v1/alerts')).status).toBe(401);
  });
});

describe('bench alerts', () => {
  it('low battery opens under 20 % and clears only above 25 % (hysteresis)', async () => {
    const { device, token } = await benchWithDevice();
    await send(token, [{ seq: 1, ts: Date.now() - 10 * MIN, type: 'status', battery_soc: 18 }]);
    expect((await alerts(`site=${device}&kind=low_battery`)).length).toBe(1);
    await send(token, [{ seq: 2, ts: Date.now() - 9 * MIN, type: 'status', battery_soc: 23 }]);
    await evaluateAlerts(env.DB, env, { stations: [], benches: [device], solar: false }, Date.now() + 30 * MIN);
    expect((await alerts(`site=${device}&kind=low_battery`)).length).toBe(1);
    await send(token, [{ seq: 3, ts: Date.now() - 8 * MIN, type: 'status', battery_soc: 60 }]);
    await evaluateAlerts(env.DB, env, { stations: [], benches: [device], solar: false }, Date.now() + 30 * MIN);
    expect((await alerts(`site=${device}&kind=low_battery&state=resolved`)).length).toBe(1);
  });

  it('a raised fault opens fault; offline opens when the scheduled evaluation finds no message for an hour', async () => {
    const { device, token } = await benchWithDevice();
    await send(token, [{ seq: 1, ts: Date.now() - 3 * MIN, type: 'fault', code: 'usb_port_2', active: true }]);
    const [f] = await alerts(`site=${device}&kind=fault`);
    expect(f!.detail).toBe('active faults: usb_port_2');
    await evaluateAlerts(env.DB, env, { stations: [], benches: [device], solar: false }, Date.now() + 61 * MIN);
    const [o] = await alerts(`site=${device}&kind=offline`);
    expect(o).toMatchObject({ site_kind: 'bench', item: null });
  });
});
