import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import geodesicLib from 'geographiclib-geodesic';
import { asAdmin, call } from './helpers.ts';
import { createDistrict, createStation, stationWithDevice } from './fixtures.ts';

/** POST /api/v1/stations/{id}/restocks: idempotent, counted once, attributed, closes the loop. */

const MIN = 60_000;
const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

interface RestockAnswer {
  id: string;
  station: string;
  items: Record<string, number>;
  by: string;
  at: string;
  duplicate: boolean;
  work_orders: string[];
  alerts_resolved: string[];
  stock: Record<string, number>;
}
interface Problem {
  status: number;
  type: string;
  detail: string;
  errors?: Array<{ pointer: string; message: string }>;
}
interface SuppliesRow {
  dispensed: number;
  restocked: number;
  dispensed_inferred: number;
  restocked_inferred: number;
}

let people = 0;
/** A staff token that belongs to a person (person_id set as the people admin will set it). */
async function staffOfPerson(): Promise<{ token: string; person: string }> {
  const person = `p-${++people}-${crypto.randomUUID().slice(0, 6)}`;
  await env.DB.prepare('INSERT INTO people (id, name, created_at) VALUES (?, ?, ?)').bind(person, `Wang ${people}`, Date.now()).run();
  const res = await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: `staff ${person}`, role: 'staff' } });
  const { id, token } = (await res.json()) as { id: string; token: string };
  await env.DB.prepare('UPDATE api_tokens SET person_id = ? WHERE id = ?').bind(person, id).run();
  return { token, person };
}

const restock = (token: string, station: string, json: unknown) =>
  call(`/api/v1/stations/${station}/restocks`, { method: 'POST', token, json });
const telemetry = (token: string, messages: unknown[]) => call('/api/v1/telemetry', { method: 'POST', token, json: { messages } });

async function supplies(station: string): Promise<SuppliesRow | undefined> {
  const today = beijingDay(Date.now());
  const res = await asAdmin(`/api/v1/supplies?from=${beijingDay(Date.now() - 86400_000)}&to=${today}&by=station&station=${station}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: Array<SuppliesRow & { key: string }> }).rows.find((r) => r.key === station);
}

describe('POST /api/v1/stations/{id}/restocks', () => {
  it('counts a restock once in /api/v1/supplies however often the same id is sent, attributed to the person', async () => {
    const { station } = await stationWithDevice();
    const { token, person } = await staffOfPerson();
    const body = { id: crypto.randomUUID(), items: { water: 24, towel: 10 }, note: 'van 2' };
    const first = await restock(token, station, body);
    expect(first.status, await first.clone().text()).toBe(201);
    const a = (await first.json()) as RestockAnswer;
    expect(a).toMatchObject({
      id: body.id,
      station,
      items: { water: 24, towel: 10 },
      by: person,
      duplicate: false,
      stock: { water: 24, towel: 10 },
    });
    // The same id again, items in another key order: the same content.
    for (let i = 0; i < 2; i++) {
      const again = await restock(token, station, { id: body.id, items: { towel: 10, water: 24 }, note: 'van 2' });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ id: body.id, duplicate: true, by: person, stock: { water: 24, towel: 10 } });
    }
    expect(await supplies(station)).toMatchObject({ restocked: 34, restocked_inferred: 0, dispensed: 0 });
    const stored = await env.DB.prepare('SELECT COUNT(*) AS n, MIN(by) AS by FROM restocks WHERE station_id = ?')
      .bind(station)
      .first<{ n: number; by: string }>();
    expect(stored).toEqual({ n: 1, by: person });
    const events = await env.DB.prepare('SELECT item, qty, by_ref FROM events WHERE device_id = ? ORDER BY item')
      .bind(`restocks~${station}`)
      .all();
    expect(events.results).toEqual([
      { item: 'towel', qty: 10, by_ref: person },
      { item: 'water', qty: 24, by_ref: person },
    ]);
    const view = (await (await asAdmin(`/api/v1/stations/${station}`)).json()) as { stock: Record<string, number> };
    expect(view.stock).toEqual({ water: 24, towel: 10 });
  });

  it('answers 409 for the same id with other content, and the first one stands', async () => {
    const { station } = await stationWithDevice();
    const other = await createStation(
      `${station}-b`,
      (await env.DB.prepare('SELECT district FROM stations WHERE id = ?').bind(station).first<{ district: string }>())!.district,
    );
    const { token } = await staffOfPerson();
    const id = crypto.randomUUID();
    expect((await restock(token, station, { id, items: { water: 12 } })).status).toBe(201);
    for (const [where, json] of [
      [station, { id, items: { water: 13 } }],
      [station, { id, items: { water: 12, towel: 1 } }],
      [station, { id, items: { water: 12 }, note: 'changed' }],
      [other, { id, items: { water: 12 } }],
    ] as const) {
      const res = await restock(token, where, json);
      expect(res.status).toBe(409);
      const p = (await res.json()) as Problem;
      expect(p.type).toBe('/problems/conflict');
      expect(p.detail).toContain(`Restock id "${id}" was already recorded with different content`);
    }
    expect(await supplies(station)).toMatchObject({ restocked: 12 });
    expect(await supplies(other)).toBeUndefined();
  });

  it('does not count a device level rise again after a staff restock, and infers the later drop', async () => {
    const { station, token: device } = await stationWithDevice();
    const { token } = await staffOfPerson();
    const t = Date.now();
    expect((await telemetry(device, [{ seq: 1, ts: t - 20 * MIN, type: 'stock', levels: { water: 10 } }])).status).toBe(200);
    expect((await restock(token, station, { id: crypto.randomUUID(), items: { water: 24 } })).status).toBe(201);
    const after = Date.now() + 1000;
    // The controller sees the 24 bottles (10 → 34), then 4 handed out without dispense events (34 → 30).
    const res = await telemetry(device, [
      { seq: 2, ts: after, type: 'stock', levels: { water: 34 } },
      { seq: 3, ts: after + 1000, type: 'stock', levels: { water: 30 } },
    ]);
    expect(await res.json()).toMatchObject({ accepted: 2 });
    expect(await supplies(station)).toMatchObject({ restocked: 24, restocked_inferred: 0, dispensed: 4, dispensed_inferred: 4 });
    const view = (await (await asAdmin(`/api/v1/stations/${station}`)).json()) as { stock: Record<string, number> };
    expect(view.stock).toEqual({ water: 30 });
  });

  it('counts a staff restock once whether the controller reading that shows it comes before or after the tap (2 h window)', async () => {
    const { token } = await staffOfPerson();
    const t = Date.now();
    const read = async (device: string, seq: number, ts: number, water: number) =>
      expect((await telemetry(device, [{ seq, ts, type: 'stock', levels: { water } }])).status).toBe(200);
    // After: 10 bottles, the tap (24 in), then the controller sees 34, then 30 (4 handed out).
    const after = await stationWithDevice();
    await read(after.token, 1, t - 30 * MIN, 10);
    expect((await restock(token, after.station, { id: crypto.randomUUID(), items: { water: 24 } })).status).toBe(201);
    await read(after.token, 2, Date.now() + 1000, 34);
    await read(after.token, 3, Date.now() + 2000, 30);
    // Before: the controller reports the 34 ten minutes before the staff tap "restocked".
    const before = await stationWithDevice();
    await read(before.token, 1, t - 30 * MIN, 10);
    await read(before.token, 2, t - 10 * MIN, 34);
    // (`restocked` includes what inference counted: here all of it.)
    expect(await supplies(before.station)).toMatchObject({ restocked: 24, restocked_inferred: 24 });
    const res = await restock(token, before.station, { id: crypto.randomUUID(), items: { water: 24 } });
    expect(res.status).toBe(201);
    expect(await supplies(before.station)).toMatchObject({ restocked: 24, restocked_inferred: 0, dispensed_inferred: 0 });
    await read(before.token, 3, Date.now() + 2000, 30);
    const expected = { restocked: 24, restocked_inferred: 0, dispensed: 4, dispensed_inferred: 4 };
    expect(await supplies(after.station)).toMatchObject(expected);
    expect(await supplies(before.station)).toMatchObject(expected);
    for (const s of [after.station, before.station]) {
      const view = (await (await asAdmin(`/api/v1/stations/${s}`)).json()) as { stock: Record<string, number> };
      expect(view.stock).toEqual({ water: 30 });
    }
    // The person keeps the restock: its event is the ledger's, attributed to them, dated at the matched reading.
    const ev = await env.DB.prepare("SELECT ts, by_ref FROM events WHERE device_id = ? AND type = 'restock'")
      .bind(`restocks~${before.station}`)
      .all<{ ts: number; by_ref: string }>();
    expect(ev.results).toEqual([{ ts: t - 10 * MIN, by_ref: ((await res.json()) as RestockAnswer).by }]);

    // A rise older than the window is another event: both count.
    const old = await stationWithDevice();
    await read(old.token, 1, t - 200 * MIN, 10);
    await read(old.token, 2, t - 150 * MIN, 34);
    expect((await restock(token, old.station, { id: crypto.randomUUID(), items: { water: 24 } })).status).toBe(201);
    expect(await supplies(old.station)).toMatchObject({ restocked: 48, restocked_inferred: 24 });
  });

  it('closes the open restock work orders of the station through the loop and resolves stock alerts the new stock clears', async () => {
    const { station, token: device } = await stationWithDevice();
    const district = (await env.DB.prepare('SELECT district FROM stations WHERE id = ?').bind(station).first<{ district: string }>())!
      .district;
    const other = await createStation(`${station}-o`, district);
    for (const [item, par, reorder] of [
      ['water', 48, 10],
      ['towel', 60, 50],
    ] as const) {
      expect(
        (await asAdmin(`/api/v1/stations/${station}/items/${item}`, { method: 'PUT', json: { par_level: par, reorder_point: reorder } }))
          .status,
      ).toBe(200);
    }
    const t = Date.now();
    await telemetry(device, [{ seq: 1, ts: t - 5 * MIN, type: 'stock', levels: { water: 2, towel: 0 } }]);
    const now = Date.now();
    const alert = (id: string, site: string, kind: string, item: string) =>
      env.DB.prepare(
        "INSERT INTO alerts (id, kind, site, site_kind, item, colour, opened_at, detail, updated_at) VALUES (?, ?, ?, 'station', ?, 'yellow', ?, 'test', ?)",
      ).bind(id, kind, site, item, now, now);
    const order = (id: string, site: string, kind: string, item: string | null, step: string, alertId: string | null = null) =>
      env.DB.prepare(
        "INSERT INTO work_orders (id, site, site_kind, kind, item, step, alert_id, created_at, created_by, updated_at, dispatched_at) VALUES (?, ?, 'station', ?, ?, ?, ?, ?, 'sup', ?, ?)",
      ).bind(id, site, kind, item, step, alertId, now, now, step === 'dispatched' ? now : null);
    const u = crypto.randomUUID().slice(0, 8);
    await env.DB.batch([
      // The alert engine has already opened its own alerts for these readings: set them aside, so
      // that the constructed ones below are the station's open alerts.
      env.DB.prepare('UPDATE alerts SET resolved_at = ? WHERE site IN (?, ?) AND resolved_at IS NULL').bind(now, station, other),
      alert(`a1-${u}`, station, 'below_reorder', 'water'),
      alert(`a2-${u}`, station, 'stock_out', 'towel'),
      alert(`a3-${u}`, other, 'below_reorder', 'water'),
      alert(`a4-${u}`, station, 'below_reorder', 'umbrella'),
      order(`w1-${u}`, station, 'restock', 'water', 'dispatched'),
      order(`w2-${u}`, station, 'restock', null, 'reported'),
      order(`w3-${u}`, station, 'repair', null, 'reported'),
      order(`w4-${u}`, station, 'restock', 'umbrella', 'registered'),
      order(`w5-${u}`, other, 'restock', 'water', 'dispatched'),
      order(`w6-${u}`, station, 'restock', 'water', 'closed'),
      // From alerts: a1 (water) resolves with this restock, a2 (towel) still holds after it.
      order(`w7-${u}`, station, 'restock', 'towel', 'dispatched', `a2-${u}`),
      order(`w8-${u}`, station, 'restock', 'water', 'registered', `a1-${u}`),
      env.DB.prepare(
        "INSERT INTO work_order_steps (order_id, seq, step, at, by) VALUES (?, 0, 'reported', ?, 'sup'), (?, 1, 'registered', ?, 'sup'), (?, 2, 'dispatched', ?, 'sup')",
      ).bind(`w1-${u}`, now, `w1-${u}`, now, `w1-${u}`, now),
    ]);
    const { token, person } = await staffOfPerson();
    // Water 2 + 30 = 32 is above its reorder point 10: its alert resolves. Towel 0 + 20 = 20 is still at or below
    // its reorder point 50: the stock_out alert stays open until the on-hand clears it.
    const res = await restock(token, station, { id: `run-${u}-1`, items: { water: 30, towel: 20 } });
    expect(res.status).toBe(201);
    const a = (await res.json()) as RestockAnswer;
    expect(a.stock).toEqual({ towel: 20, water: 32 });
    expect(a.work_orders).toEqual([`w1-${u}`, `w2-${u}`, `w7-${u}`, `w8-${u}`]);
    const orders = await env.DB.prepare(
      'SELECT id, step, dispatched_at, arrived_at, handled_at, closed_at, assignee_person FROM work_orders WHERE id LIKE ? ORDER BY id',
    )
      .bind(`%-${u}`)
      .all<{
        id: string;
        step: string;
        dispatched_at: number | null;
        arrived_at: number | null;
        handled_at: number | null;
        closed_at: number | null;
        assignee_person: string | null;
      }>();
    const at = Date.parse(a.at);
    const t_ = (x: number | null) => (x === null ? null : x === now ? 'before' : x === at ? 'restock' : x);
    expect(
      orders.results.map((o) => [
        o.id,
        o.step,
        t_(o.dispatched_at),
        t_(o.arrived_at),
        t_(o.handled_at),
        t_(o.closed_at),
        o.assignee_person,
      ]),
    ).toEqual([
      // Dispatched before: arrival and handling at the restock, then the passed check and closing.
      [`w1-${u}`, 'closed', 'before', 'restock', 'restock', 'restock', null],
      // Reported: registered and dispatched to the restocking person by the restock itself.
      [`w2-${u}`, 'closed', 'restock', 'restock', 'restock', 'restock', person],
      [`w3-${u}`, 'reported', null, null, null, null, null],
      [`w4-${u}`, 'registered', null, null, null, null, null],
      [`w5-${u}`, 'dispatched', 'before', null, null, null, null],
      [`w6-${u}`, 'closed', null, null, null, null, null],
      // Its towel alert still holds: handled, and the check and closing wait for the stock.
      [`w7-${u}`, 'handled', 'before', 'restock', 'restock', null, null],
      [`w8-${u}`, 'closed', 'restock', 'restock', 'restock', 'restock', person],
    ]);
    const steps = await env.DB.prepare(
      'SELECT order_id, seq, step, at, by, note, assignee, passed FROM work_order_steps WHERE order_id IN (?, ?, ?) ORDER BY order_id, seq',
    )
      .bind(`w1-${u}`, `w2-${u}`, `w7-${u}`)
      .all();
    const n = `restock run-${u}-1`;
    const row = (order: string, seq: number, step: string, note = n, assignee: string | null = null, passed: number | null = null) => ({
      order_id: `${order}-${u}`,
      seq,
      step,
      at,
      by: person,
      note,
      assignee,
      passed,
    });
    const checked = `${n} (checked by the restock: the items were put in on site)`;
    const closed = `${n} (closed by the restock)`;
    expect(steps.results).toEqual([
      { order_id: `w1-${u}`, seq: 0, step: 'reported', at: now, by: 'sup', note: null, assignee: null, passed: null },
      { order_id: `w1-${u}`, seq: 1, step: 'registered', at: now, by: 'sup', note: null, assignee: null, passed: null },
      { order_id: `w1-${u}`, seq: 2, step: 'dispatched', at: now, by: 'sup', note: null, assignee: null, passed: null },
      row('w1', 3, 'arrived'),
      row('w1', 4, 'handled'),
      row('w1', 5, 'checked', checked, null, 1),
      row('w1', 6, 'closed', closed),
      row('w2', 0, 'registered'),
      row('w2', 1, 'dispatched', n, person),
      row('w2', 2, 'arrived'),
      row('w2', 3, 'handled'),
      row('w2', 4, 'checked', checked, null, 1),
      row('w2', 5, 'closed', closed),
      row('w7', 0, 'arrived'),
      row('w7', 1, 'handled'),
    ]);
    // The order reads back through the API with the 双十 clock of the restock's own dispatch.
    const w2 = (await (await asAdmin(`/api/v1/work-orders/w2-${u}`)).json()) as {
      step: string;
      sla: { met: boolean; dispatch_to_arrival_s: number };
    };
    expect(w2).toMatchObject({ step: 'closed', sla: { met: true, dispatch_to_arrival_s: 0 } });
    const alerts = await env.DB.prepare('SELECT id, resolved_at IS NOT NULL AS resolved FROM alerts WHERE id LIKE ? ORDER BY id')
      .bind(`%-${u}`)
      .all();
    expect(alerts.results).toEqual([
      { id: `a1-${u}`, resolved: 1 },
      { id: `a2-${u}`, resolved: 0 },
      { id: `a3-${u}`, resolved: 0 },
      { id: `a4-${u}`, resolved: 0 },
    ]);
    // A second restock of towels past the reorder point clears the stock-out alert too; a resend changes nothing.
    const more = await restock(token, station, { id: `run-${u}-2`, items: { towel: 40 } });
    expect(((await more.json()) as RestockAnswer).alerts_resolved).toEqual([`a2-${u}`]);
    const again = await restock(token, station, { id: `run-${u}-2`, items: { towel: 40 } });
    expect(await again.json()).toMatchObject({ duplicate: true, alerts_resolved: [], work_orders: [], stock: { towel: 60 } });
  });

  it('refuses bad input with problems that point at the field, and needs a staff, supervisor or admin token', async () => {
    const district = await createDistrict(`d-r-${crypto.randomUUID().slice(0, 6)}`, 'R');
    const station = await createStation(`st-${district}`, district);
    const { token } = await staffOfPerson();
    const cases: Array<[unknown, string]> = [
      [{ id: 'x1', items: { water: 0 } }, '/items/water'],
      [{ id: 'x1', items: { water: 1.5 } }, '/items/water'],
      [{ id: 'x1', items: {} }, '/items'],
      [{ id: 'has space', items: { water: 1 } }, '/id'],
      [{ items: { water: 1 } }, '/id'],
      [{ id: 'x1', items: { 'Bad-Code': 1 } }, '/items/Bad-Code'],
      [{ id: 'x1', items: { zz_unknown: 1 } }, '/items/zz_unknown'],
      [{ id: 'x1', items: { water: 1 }, extra: true }, ''],
    ];
    for (const [json, pointer] of cases) {
      const res = await restock(token, station, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      const p = (await res.json()) as Problem;
      if (pointer)
        expect(
          p.errors?.map((e) => e.pointer),
          JSON.stringify(json),
        ).toContain(pointer);
    }
    expect((await restock(token, 'no-such-station', { id: 'x2', items: { water: 1 } })).status).toBe(404);
    expect((await call(`/api/v1/stations/${station}/restocks`, { method: 'POST', json: { id: 'x3', items: { water: 1 } } })).status).toBe(
      401,
    );
    const planner = (
      (await (await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'planner', role: 'planner' } })).json()) as { token: string }
    ).token;
    expect((await restock(planner, station, { id: 'x4', items: { water: 1 } })).status).toBe(403);
    const supervisor = await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'sup', role: 'supervisor' } });
    const sup = (await supervisor.json()) as { id: string; token: string };
    const bySup = await restock(sup.token, station, { id: 'x5', items: { water: 1 } });
    expect(bySup.status).toBe(201);
    // A token without a person is attributed to the token itself.
    expect(((await bySup.json()) as RestockAnswer).by).toBe(sup.id);
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM restocks WHERE id LIKE 'x%' AND station_id = ?")
        .bind(station)
        .first<{ n: number }>())!.n,
    ).toBe(1);
  });
});

describe('POST /api/v1/restock-runs/plan', () => {
  it('plans the due stations of a district with a pick list, in straight line × detour without a network, and leaves out what does not fit', async () => {
    const district = await createDistrict(`d-plan-${crypto.randomUUID().slice(0, 6)}`, 'Plan');
    const st = async (id: string, lat: number, water: number) => {
      await createStation(`${district}-${id}`, district, { lat, lon: 115.98 });
      await asAdmin(`/api/v1/stations/${district}-${id}/items/water`, { method: 'PUT', json: { par_level: 48, reorder_point: 10 } });
      if (water > 0) {
        const { token } = await staffOfPerson();
        expect((await restock(token, `${district}-${id}`, { id: `seed-${district}-${id}`, items: { water } })).status).toBe(201);
      }
    };
    await st('near', 36.451, 4); // due: 44 to par
    await st('far', 36.47, 6); // due: 42 to par
    await st('full', 36.452, 40); // not due
    const { token } = await staffOfPerson();
    const plan = async (json: unknown) => {
      const res = await call('/api/v1/restock-runs/plan', { method: 'POST', token, json });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as {
        method: string;
        stops: Array<{ station: string; bring: Record<string, number> }>;
        left_out: Array<{ station: string; reason: string }>;
        pick_list: Record<string, number>;
        not_due: number;
      };
    };
    const all = await plan({ depot: { lat: 36.45, lon: 115.98 }, district, capacity: { items: { water: 200 } } });
    expect(all.method).toBe('straight_line');
    expect(all.stops.map((s) => [s.station, s.bring])).toEqual([
      [`${district}-near`, { water: 44 }],
      [`${district}-far`, { water: 42 }],
    ]);
    expect(all.pick_list).toEqual({ water: 86 });
    expect(all.not_due).toBe(1);
    // No history, so no forecast: the least load lifts an item just above its reorder point (near: 11 − 4 = 7, far: 11 − 6 = 5).
    // Room for 10: the more urgent station (fewer on hand) is taken and topped up to 10; the other's 5 no longer fit.
    const small = await plan({ depot: { lat: 36.45, lon: 115.98 }, district, capacity: { total: 10 } });
    expect(small.stops.map((s) => [s.station, s.bring])).toEqual([[`${district}-near`, { water: 10 }]]);
    expect(small.left_out.map((l) => [l.station, l.reason])).toEqual([[`${district}-far`, 'capacity']]);
    const bad = await call('/api/v1/restock-runs/plan', { method: 'POST', token, json: { depot: { lat: 91, lon: 0 } } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Problem).errors?.map((e) => e.pointer)).toContain('/depot/lat');
  });
});

describe('the restock run on the walking network', () => {
  it('measures the legs along the network (round a river by its bridge), not the straight line', async () => {
    const geodesic = (a: number[], b: number[]) => geodesicLib.Geodesic.WGS84.Inverse(a[1]!, a[0]!, b[1]!, b[0]!).s12!;
    const depot = [115.98, 36.45];
    const bridgeS = [116.0, 36.45];
    const bridgeN = [116.0, 36.455];
    const across = [115.98, 36.455];
    const line = (coords: number[][]) => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } });
    const res = await asAdmin('/api/v1/network', {
      method: 'PUT',
      headers: { 'content-type': 'application/geo+json' },
      body: JSON.stringify({
        type: 'FeatureCollection',
        features: [line([depot, bridgeS]), line([bridgeS, bridgeN]), line([bridgeN, across])],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    try {
      const district = await createDistrict(`d-net-${crypto.randomUUID().slice(0, 6)}`, 'Net');
      const station = await createStation(`${district}-across`, district, { lat: across[1], lon: across[0] });
      await asAdmin(`/api/v1/stations/${station}/items/water`, { method: 'PUT', json: { par_level: 48, reorder_point: 10 } });
      const { token } = await staffOfPerson();
      expect((await restock(token, station, { id: `net-${district}`, items: { water: 4 } })).status).toBe(201);
      const plan = await call('/api/v1/restock-runs/plan', {
        method: 'POST',
        token,
        json: { depot: { lat: depot[1], lon: depot[0] }, stations: [station] },
      });
      expect(plan.status, await plan.clone().text()).toBe(200);
      const body = (await plan.json()) as { method: string; stops: Array<{ leg_m: number }>; distance_m: number };
      const way = geodesic(depot, bridgeS) + geodesic(bridgeS, bridgeN) + geodesic(bridgeN, across);
      expect(body.method).toBe('network');
      expect(body.stops).toHaveLength(1);
      expect(Math.abs(body.stops[0]!.leg_m - way)).toBeLessThanOrEqual(2);
      expect(Math.abs(body.distance_m - 2 * way)).toBeLessThanOrEqual(2);
      // Far more than the straight line across the river × the detour factor.
      expect(way).toBeGreaterThan(4 * geodesic(depot, across) * 1.3);
    } finally {
      await asAdmin('/api/v1/network', { method: 'DELETE' });
    }
  });
});
