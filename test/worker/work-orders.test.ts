import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call } from './helpers.ts';
import { insertAlert, move, moveOk, openOrder, operations, post, type Ops, type OrderJson } from './ops-fixtures.ts';

interface Problem {
  type: string;
  code: string;
  status: number;
  detail: string;
  errors?: Array<{ pointer: string; message: string }>;
}

async function problem(res: Response, status: number): Promise<Problem> {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as Problem;
}

const STEPS = ['reported', 'registered', 'dispatched', 'handled', 'checked', 'closed', 'evaluated'] as const;
const MOVES = [...STEPS, 'arrived'] as const;

let ops: Ops;
beforeAll(async () => {
  ops = await operations();
});

/** An order brought legally to `step` (arrival recorded when `arrived`). */
async function orderAt(step: (typeof STEPS)[number], arrived = false): Promise<OrderJson> {
  const sup = ops.sup.token;
  let o = await openOrder(sup, { site: ops.station, kind: 'repair' });
  const path: Array<Record<string, unknown>> = [
    { step: 'registered' },
    { step: 'dispatched', assignee: ops.team },
    { step: 'arrived' },
    { step: 'handled' },
    { step: 'checked', passed: true },
    { step: 'closed' },
    { step: 'evaluated' },
  ];
  for (const m of path) {
    if (o.step === step && !(step === 'dispatched' && arrived && m.step === 'arrived')) break;
    o = await moveOk(o.id, m.step === 'arrived' || m.step === 'handled' ? ops.staffA.token : sup, m);
  }
  expect(o.step).toBe(step);
  return o;
}

describe('opening a work order', () => {
  it('answers 201 with the order at reported, one step attributed to the caller’s person', async () => {
    const before = Date.now();
    const res = await post('/api/v1/work-orders', ops.sup.token, { site: ops.station, kind: 'restock', item: 'water', note: '缺货' });
    expect(res.status).toBe(201);
    const o = (await res.json()) as OrderJson;
    expect(o).toMatchObject({
      site: ops.station,
      step: 'reported',
      kind: 'restock',
      unit: ops.unit,
      district: ops.district,
      next: ['registered'],
    });
    expect(o.id).toMatch(/^wo_/);
    expect(o.steps).toHaveLength(1);
    expect(o.steps[0]).toMatchObject({ step: 'reported', by: ops.sup.person, note: '缺货' });
    expect(Date.parse(o.steps[0]!.at)).toBeGreaterThanOrEqual(before - 1);
    expect(o.sla).toMatchObject({ dispatch_to_arrival_s: null, arrival_to_handled_s: null, met: null, overdue: false });
    const stored = await env.DB.prepare('SELECT step, created_by, site_kind FROM work_orders WHERE id = ?').bind(o.id).first();
    expect(stored).toEqual({ step: 'reported', created_by: ops.sup.person, site_kind: 'station' });
  });

  it('refuses an unknown site, a missing site and unknown fields at the field', async () => {
    expect((await problem(await post('/api/v1/work-orders', ops.sup.token, { site: 'nowhere' }), 400)).errors).toEqual([
      { in: 'body', pointer: '/site', message: expect.stringContaining('nowhere') },
    ]);
    expect((await problem(await post('/api/v1/work-orders', ops.sup.token, { kind: 'repair' }), 400)).errors?.[0]?.pointer).toBe('/site');
    expect(
      (await problem(await post('/api/v1/work-orders', ops.sup.token, { site: ops.station, colour: 'red' }), 400)).errors?.[0]?.pointer,
    ).toBe('/colour');
    expect(
      (await problem(await post('/api/v1/work-orders', ops.sup.token, { site: ops.station, kind: 'party' }), 400)).errors?.[0]?.pointer,
    ).toBe('/kind');
  });
});

describe('the seven steps', () => {
  it('runs the whole loop, each step timestamped and attributed to whoever made it', async () => {
    const sup = ops.sup.token;
    const o = await openOrder(sup, { site: ops.station, kind: 'repair' });
    await moveOk(o.id, sup, { step: 'registered' });
    const d = await moveOk(o.id, sup, { step: 'dispatched', assignee: ops.team, note: '派遣一班' });
    expect(d.assignee).toEqual({ kind: 'team', id: ops.team, name: expect.any(String) });
    expect(d.next).toEqual(['arrived', 'handled']);
    const a = await moveOk(o.id, ops.staffA.token, { step: 'arrived' });
    expect(a.step).toBe('dispatched');
    expect(a.arrived_at).not.toBeNull();
    expect(a.next).toEqual(['handled']);
    await moveOk(o.id, ops.staffA.token, { step: 'handled', note: '已更换' });
    await moveOk(o.id, sup, { step: 'checked', passed: true });
    await moveOk(o.id, sup, { step: 'closed' });
    const done = await moveOk(o.id, sup, { step: 'evaluated', note: '满意' });
    expect(done.step).toBe('evaluated');
    expect(done.next).toEqual([]);
    expect(done.steps.map((s) => [s.step, s.by])).toEqual([
      ['reported', ops.sup.person],
      ['registered', ops.sup.person],
      ['dispatched', ops.sup.person],
      ['arrived', ops.staffA.person],
      ['handled', ops.staffA.person],
      ['checked', ops.sup.person],
      ['closed', ops.sup.person],
      ['evaluated', ops.sup.person],
    ]);
    expect(done.steps[2]).toMatchObject({ assignee: ops.team, note: '派遣一班' });
    expect(done.steps[5]!.passed).toBe(true);
    const ats = done.steps.map((s) => Date.parse(s.at));
    expect(ats).toEqual([...ats].sort((x, y) => x - y));
    // The row's timestamps are the steps' own.
    const row = await env.DB.prepare('SELECT dispatched_at, arrived_at, handled_at, closed_at FROM work_orders WHERE id = ?')
      .bind(o.id)
      .first<Record<string, number>>();
    expect(row).toEqual({ dispatched_at: ats[2], arrived_at: ats[3], handled_at: ats[4], closed_at: ats[6] });
    expect(done.sla.dispatch_to_arrival_s).toBe(Math.round((ats[3]! - ats[2]!) / 1000));
    expect(done.sla.to_close_s).toBe(Math.round((ats[6]! - ats[0]!) / 1000));
    expect(done.sla.met).toBe(true);
  });

  it('refuses every move but the next one with 409 invalid_transition, from every step', async () => {
    const legal: Record<string, string[]> = {
      reported: ['registered'],
      registered: ['dispatched'],
      dispatched: ['arrived', 'handled'],
      'dispatched+arrived': ['handled'],
      handled: ['checked'],
      checked: ['closed'],
      closed: ['evaluated'],
      evaluated: [],
    };
    let refused = 0;
    for (const state of Object.keys(legal)) {
      const [step, arrived] = state.split('+') as [(typeof STEPS)[number], string | undefined];
      const o = await orderAt(step, arrived !== undefined);
      expect(o.next).toEqual(legal[state]);
      for (const m of MOVES) {
        if (legal[state]!.includes(m)) continue;
        const body: Record<string, unknown> = { step: m, ...(m === 'dispatched' ? { assignee: ops.team } : {}) };
        const p = await problem(await move(o.id, ops.sup.token, body), 409);
        expect(p.type).toBe('/problems/invalid_transition');
        expect(p.code).toBe('invalid_transition');
        expect(p.detail).toContain(`"${m}"`);
        refused++;
      }
      const after = await env.DB.prepare(
        'SELECT step, (SELECT COUNT(*) FROM work_order_steps WHERE order_id = ?1) AS n FROM work_orders WHERE id = ?1',
      )
        .bind(o.id)
        .first<{ step: string; n: number }>();
      expect(after!.step).toBe(step);
      expect(after!.n).toBe(o.steps.length);
    }
    expect(refused).toBe(8 * 8 - 8); // 8 states × 8 moves, less the 8 legal ones
  }, 60_000);

  it('needs an existing assignee to dispatch, and takes assignee and passed only where they belong', async () => {
    const o = await orderAt('registered');
    expect((await problem(await move(o.id, ops.sup.token, { step: 'dispatched' }), 400)).errors?.[0]?.pointer).toBe('/assignee');
    expect((await problem(await move(o.id, ops.sup.token, { step: 'dispatched', assignee: 'ghost' }), 400)).errors).toEqual([
      { in: 'body', pointer: '/assignee', message: expect.stringContaining('ghost') },
    ]);
    const r = await orderAt('reported');
    expect((await problem(await move(r.id, ops.sup.token, { step: 'registered', assignee: ops.team }), 400)).errors?.[0]?.pointer).toBe(
      '/assignee',
    );
    expect((await problem(await move(r.id, ops.sup.token, { step: 'registered', passed: true }), 400)).errors?.[0]?.pointer).toBe(
      '/passed',
    );
    const toPerson = await moveOk(o.id, ops.sup.token, { step: 'dispatched', assignee: ops.staffB.person });
    expect(toPerson.assignee).toMatchObject({ kind: 'person', id: ops.staffB.person });
  });

  it('a failed check goes back to dispatched, restarts the clock and keeps the history (回头看)', async () => {
    const o = await orderAt('handled');
    const firstDispatch = o.dispatched_at!;
    const back = await moveOk(o.id, ops.sup.token, { step: 'checked', passed: false, note: '未清理干净' });
    expect(back.step).toBe('dispatched');
    expect(back.arrived_at).toBeNull();
    expect(back.handled_at).toBeNull();
    expect(Date.parse(back.dispatched_at!)).toBeGreaterThanOrEqual(Date.parse(firstDispatch));
    expect(back.sla).toMatchObject({ dispatch_to_arrival_s: null, arrival_to_handled_s: null, dispatches: 2 });
    expect(back.assignee).toMatchObject({ id: ops.team });
    expect(back.steps.slice(-2)).toEqual([
      expect.objectContaining({ step: 'checked', passed: false, note: '未清理干净', by: ops.sup.person }),
      expect.objectContaining({ step: 'dispatched', assignee: ops.team, by: ops.sup.person }),
    ]);
    // The earlier arrival and handling stay in the history.
    expect(back.steps.map((s) => s.step)).toEqual(['reported', 'registered', 'dispatched', 'arrived', 'handled', 'checked', 'dispatched']);
    // The loop runs again to the end.
    await moveOk(o.id, ops.staffA.token, { step: 'arrived' });
    await moveOk(o.id, ops.staffA.token, { step: 'handled' });
    const passed = await moveOk(o.id, ops.sup.token, { step: 'checked', passed: true });
    expect(passed.step).toBe('checked');
    // A failed check may hand the order to someone else.
    const other = await orderAt('handled');
    const reassigned = await moveOk(other.id, ops.sup.token, { step: 'checked', passed: false, assignee: ops.staffB.person });
    expect(reassigned.assignee).toMatchObject({ kind: 'person', id: ops.staffB.person });
  });
});

describe('the 双十 clock on stored times', () => {
  /** Put constructed instants on an order, as if its steps had happened then. */
  async function setTimes(id: string, t: { dispatched_at: number; arrived_at: number | null; handled_at: number | null; step: string }) {
    await env.DB.prepare('UPDATE work_orders SET dispatched_at = ?, arrived_at = ?, handled_at = ?, step = ? WHERE id = ?')
      .bind(t.dispatched_at, t.arrived_at, t.handled_at, t.step, id)
      .run();
  }
  const get = async (id: string) => (await (await call(`/api/v1/work-orders/${id}`, { token: ops.sup.token })).json()) as OrderJson;

  it('reports both intervals and whether each met its 10-minute target', async () => {
    const o = await orderAt('handled');
    const t0 = Date.parse('2026-07-21T02:00:00Z');
    await setTimes(o.id, { dispatched_at: t0, arrived_at: t0 + 7 * 60_000, handled_at: t0 + 16 * 60_000 + 30_000, step: 'handled' });
    expect((await get(o.id)).sla).toMatchObject({ dispatch_to_arrival_s: 420, arrival_to_handled_s: 570, met: true, overdue: false });
    await setTimes(o.id, { dispatched_at: t0, arrived_at: t0 + 7 * 60_000, handled_at: t0 + 17 * 60_000 + 1000, step: 'handled' });
    expect((await get(o.id)).sla).toMatchObject({ dispatch_to_arrival_s: 420, arrival_to_handled_s: 601, met: false });
    await setTimes(o.id, { dispatched_at: t0, arrived_at: t0 + 10 * 60_000 + 1000, handled_at: t0 + 12 * 60_000, step: 'handled' });
    expect((await get(o.id)).sla).toMatchObject({ dispatch_to_arrival_s: 601, arrival_to_handled_s: 119, met: false });
  });

  it('a running clock past its deadline is overdue, listed first and found by overdue=true', async () => {
    const late = await orderAt('dispatched');
    const now = Date.now();
    await setTimes(late.id, { dispatched_at: now - 11 * 60_000, arrived_at: null, handled_at: null, step: 'dispatched' });
    const fresh = await orderAt('dispatched');
    const l = await get(late.id);
    expect(l.sla).toMatchObject({ overdue: true, met: false, dispatch_to_arrival_s: null });
    expect(Date.parse(l.sla.due_at!)).toBe(now - 60_000);
    expect((await get(fresh.id)).sla).toMatchObject({ overdue: false, met: null });
    const list = (await (await call(`/api/v1/work-orders?overdue=true&site=${ops.station}`, { token: ops.sup.token })).json()) as {
      work_orders: OrderJson[];
    };
    expect(list.work_orders.map((w) => w.id)).toContain(late.id);
    expect(list.work_orders.map((w) => w.id)).not.toContain(fresh.id);
    const all = (await (await call(`/api/v1/work-orders?state=open&site=${ops.station}`, { token: ops.sup.token })).json()) as {
      work_orders: OrderJson[];
    };
    const firstNotOverdue = all.work_orders.findIndex((w) => !w.sla.overdue);
    expect(all.work_orders.slice(firstNotOverdue).some((w) => w.sla.overdue)).toBe(false);
    // Arrived late: the second stage's clock runs from arrival.
    await setTimes(late.id, { dispatched_at: now - 30 * 60_000, arrived_at: now - 5 * 60_000, handled_at: null, step: 'dispatched' });
    expect((await get(late.id)).sla).toMatchObject({ dispatch_to_arrival_s: 1500, overdue: false, met: false });
  });

  it('uses the targets set for the order’s kind', async () => {
    const put = await call('/api/v1/work-orders/sla-targets/cleaning', {
      method: 'PUT',
      token: ADMIN,
      json: { dispatch_to_arrival_s: 1800, arrival_to_handled_s: 3600 },
    });
    expect(put.status).toBe(200);
    const o = await openOrder(ops.sup.token, { site: ops.station, kind: 'cleaning' });
    const t0 = Date.parse('2026-07-21T02:00:00Z');
    await setTimes(o.id, { dispatched_at: t0, arrived_at: t0 + 20 * 60_000, handled_at: t0 + 70 * 60_000, step: 'handled' });
    expect((await get(o.id)).sla).toMatchObject({ dispatch_to_arrival_s: 1200, arrival_to_handled_s: 3000, met: true });
    const targets = (await (await call('/api/v1/work-orders/sla-targets', { token: ops.sup.token })).json()) as {
      targets: Array<{ kind: string; dispatch_to_arrival_s: number; default: boolean }>;
    };
    expect(targets.targets.find((t) => t.kind === 'cleaning')).toMatchObject({ dispatch_to_arrival_s: 1800, default: false });
    expect(targets.targets.find((t) => t.kind === 'repair')).toMatchObject({ dispatch_to_arrival_s: 600, default: true });
  });
});

describe('orders from alerts', () => {
  it('opens in one click, and a second click answers the same order (200), not a second one', async () => {
    const alert = await insertAlert(ops.station, 'stock_out', 'water');
    const first = await post('/api/v1/work-orders', ops.sup.token, { alert });
    expect(first.status).toBe(201);
    const o = (await first.json()) as OrderJson;
    expect(o).toMatchObject({ site: ops.station, alert, kind: 'restock', step: 'reported' });
    const second = await post('/api/v1/work-orders', ops.staffA.token, { alert, site: ops.station });
    expect(second.status).toBe(200);
    expect(((await second.json()) as OrderJson).id).toBe(o.id);
    const n = await env.DB.prepare('SELECT COUNT(*) AS n FROM work_orders WHERE alert_id = ?').bind(alert).first<{ n: number }>();
    expect(n!.n).toBe(1);
    const linked = (await (await call(`/api/v1/work-orders?alert=${alert}`, { token: ops.sup.token })).json()) as {
      work_orders: OrderJson[];
    };
    expect(linked.work_orders.map((w) => w.id)).toEqual([o.id]);
  });

  it('refuses an unknown alert, and a site that is not the alert’s', async () => {
    expect((await problem(await post('/api/v1/work-orders', ops.sup.token, { alert: 'al_nope' }), 400)).errors?.[0]?.pointer).toBe(
      '/alert',
    );
    const alert = await insertAlert(ops.station, 'offline', null);
    expect((await problem(await post('/api/v1/work-orders', ops.sup.token, { alert, site: 'elsewhere' }), 400)).errors?.[0]?.pointer).toBe(
      '/site',
    );
  });

  it('closes only when the alert is resolved or a note gives the reason', async () => {
    const alert = await insertAlert(ops.station, 'fault', null);
    let o = await openOrder(ops.sup.token, { alert });
    for (const m of [{ step: 'registered' }, { step: 'dispatched', assignee: ops.team }]) o = await moveOk(o.id, ops.sup.token, m);
    for (const m of [{ step: 'arrived' }, { step: 'handled' }]) o = await moveOk(o.id, ops.staffA.token, m);
    o = await moveOk(o.id, ops.sup.token, { step: 'checked' });
    const p = await problem(await move(o.id, ops.sup.token, { step: 'closed' }), 409);
    expect(p).toMatchObject({ type: '/problems/alert_not_resolved', code: 'alert_not_resolved' });
    expect(p.detail).toContain('note');
    expect((await (await call(`/api/v1/work-orders/${o.id}`, { token: ops.sup.token })).json()) as OrderJson).toMatchObject({
      step: 'checked',
    });
    const closed = await moveOk(o.id, ops.sup.token, { step: 'closed', note: '设备厂家远程复位，告警待自动恢复' });
    expect(closed.step).toBe('closed');
    // With the alert resolved, no reason is needed; and a new order may be opened for it no more.
    const alert2 = await insertAlert(ops.station, 'low_battery', null);
    let o2 = await openOrder(ops.sup.token, { alert: alert2 });
    for (const m of [{ step: 'registered' }, { step: 'dispatched', assignee: ops.team }]) o2 = await moveOk(o2.id, ops.sup.token, m);
    o2 = await moveOk(o2.id, ops.staffA.token, { step: 'handled' });
    o2 = await moveOk(o2.id, ops.sup.token, { step: 'checked' });
    await env.DB.prepare('UPDATE alerts SET resolved_at = ? WHERE id = ?').bind(Date.now(), alert2).run();
    expect((await moveOk(o2.id, ops.sup.token, { step: 'closed' })).step).toBe('closed');
    expect((await problem(await post('/api/v1/work-orders', ops.sup.token, { alert: alert2 }), 409)).detail).toContain('resolved');
  });
});

describe('roles', () => {
  it('planners have no part in work orders', async () => {
    expect((await problem(await call('/api/v1/work-orders', { token: ops.planner }), 403)).code).toBe('forbidden');
    expect((await problem(await post('/api/v1/work-orders', ops.planner, { site: ops.station }), 403)).code).toBe('forbidden');
  });

  it('staff report, and record arrival and handling only on orders of their own or their team', async () => {
    const reported = await post('/api/v1/work-orders', ops.staffB.token, { site: ops.station, kind: 'cleaning' });
    expect(reported.status).toBe(201);
    const mine = (await reported.json()) as OrderJson;
    expect(mine.steps[0]!.by).toBe(ops.staffB.person);
    expect((await problem(await move(mine.id, ops.staffB.token, { step: 'registered' }), 403)).detail).toContain('supervisor');
    const o = await orderAt('dispatched');
    expect((await problem(await move(o.id, ops.staffB.token, { step: 'arrived' }), 403)).detail).toContain('not assigned');
    expect((await problem(await move(o.id, ops.staffA.token, { step: 'dispatched', assignee: ops.team }), 403)).code).toBe('forbidden');
    expect((await moveOk(o.id, ops.staffA.token, { step: 'arrived' })).steps.at(-1)!.by).toBe(ops.staffA.person);
    const h = await moveOk(o.id, ops.staffA.token, { step: 'handled' });
    expect((await problem(await move(h.id, ops.staffA.token, { step: 'checked' }), 403)).code).toBe('forbidden');
    // Staff see their orders: team A's, not B's team-less view.
    expect((await call(`/api/v1/work-orders/${o.id}`, { token: ops.staffB.token })).status).toBe(403);
    expect((await call(`/api/v1/work-orders/${o.id}`, { token: ops.staffA.token })).status).toBe(200);
    const listA = (await (await call('/api/v1/work-orders', { token: ops.staffA.token })).json()) as { work_orders: OrderJson[] };
    expect(listA.work_orders.length).toBeGreaterThan(0);
    expect(listA.work_orders.every((w) => w.assignee?.id === ops.team || w.assignee?.id === ops.staffA.person)).toBe(true);
    const listB = (await (await call('/api/v1/work-orders?mine=true', { token: ops.staffB.token })).json()) as { work_orders: OrderJson[] };
    expect(listB.work_orders.map((w) => w.id)).not.toContain(o.id);
  });

  it('a staff token that belongs to no person cannot list “mine”', async () => {
    const res = await call('/api/v1/tokens', { method: 'POST', token: ADMIN, json: { name: 'shared phone', role: 'staff' } });
    const { token } = (await res.json()) as { token: string };
    expect((await problem(await call('/api/v1/work-orders', { token }), 403)).detail).toContain('no person');
    expect((await problem(await call('/api/v1/work-orders?mine=true', { token: ops.sup.token.replace(/.$/, '') }), 401)).code).toBe(
      'unauthorized',
    );
  });

  it('the supervisor filters the board by unit, team, district, kind and step', async () => {
    const o = await orderAt('dispatched');
    const q = async (qs: string) =>
      ((await (await call(`/api/v1/work-orders?${qs}`, { token: ops.sup.token })).json()) as { work_orders: OrderJson[] }).work_orders.map(
        (w) => w.id,
      );
    expect(await q(`unit=${ops.unit}&step=dispatched`)).toContain(o.id);
    expect(await q(`team=${ops.team}`)).toContain(o.id);
    expect(await q(`assignee=${ops.team}`)).toContain(o.id);
    expect(await q(`district=${ops.district}&kind=repair`)).toContain(o.id);
    expect(await q(`district=${ops.district}&kind=restock`)).not.toContain(o.id);
    expect(await q(`unit=other-unit`)).toEqual([]);
    expect(await q(`step=closed&site=${ops.station}`)).not.toContain(o.id);
    expect((await problem(await call('/api/v1/work-orders?step=done', { token: ops.sup.token }), 400)).errors?.[0]?.pointer).toBe('/step');
  });
});
