import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { escalateWorkOrders } from '../../worker/escalation.ts';
import { call } from './helpers.ts';
import { moveOk, openOrder, operations, type Ops } from './ops-fixtures.ts';

let ops: Ops;
beforeAll(async () => {
  ops = await operations();
});

/** 2026-07-21 10:00 in Liaocheng (UTC+8). */
const DAY = Date.parse('2026-07-21T02:00:00Z');

async function handledOrder(arrivalS: number, handlingS: number, closeAfterS: number | null): Promise<string> {
  let o = await openOrder(ops.sup.token, { site: ops.station, kind: 'repair' });
  await moveOk(o.id, ops.sup.token, { step: 'registered' });
  o = await moveOk(o.id, ops.sup.token, { step: 'dispatched', assignee: ops.team });
  await moveOk(o.id, ops.staffA.token, { step: 'arrived' });
  await moveOk(o.id, ops.staffA.token, { step: 'handled' });
  const d = DAY + 60_000;
  await env.DB.prepare(
    'UPDATE work_orders SET created_at = ?, dispatched_at = ?, arrived_at = ?, handled_at = ?, closed_at = ? WHERE id = ?',
  )
    .bind(DAY, d, d + arrivalS * 1000, d + (arrivalS + handlingS) * 1000, closeAfterS === null ? null : DAY + closeAfterS * 1000, o.id)
    .run();
  return o.id;
}

describe('双十 figures', () => {
  it('gives median, p90 and the share met per unit, team and district', async () => {
    // Arrival 300, 420, 540, 660, 900 s; handling 100…500 s; two arrivals miss the 600 s target.
    const cases: Array<[number, number, number | null]> = [
      [300, 100, 3600],
      [420, 200, 7200],
      [540, 300, null],
      [660, 400, 5400],
      [900, 500, 1800],
    ];
    for (const c of cases) await handledOrder(...c);
    for (const by of ['unit', 'team', 'district'] as const) {
      const res = await call(`/api/v1/work-orders/stats?from=2026-07-21&to=2026-07-21&by=${by}`, { token: ops.sup.token });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as { tz: string; rows: Array<Record<string, unknown>> };
      expect(body.tz).toBe('Asia/Shanghai');
      const key = { unit: ops.unit, team: ops.team, district: ops.district }[by];
      const row = body.rows.find((r) => r.key === key)!;
      expect(row).toMatchObject({
        orders: 5,
        // sorted 300 420 540 660 900: median the 3rd; p90 at rank 3.6 → 660 + 0.6 × 240
        dispatch_to_arrival: { n: 5, median: 540, p90: 804 },
        arrival_to_handled: { n: 5, median: 300, p90: 460 },
        // closed after 1800, 3600, 5400, 7200 s: median 4500; p90 at rank 2.7 → 5400 + 0.7 × 1800
        to_close: { n: 4, median: 4500, p90: 6660 },
        judged: 5,
        met: 3,
        met_share: 0.6,
        overdue: 0,
      });
      expect(row.name).toEqual(expect.stringContaining(by === 'district' ? 'District' : by === 'unit' ? 'Unit' : 'Team'));
    }
    // The day before holds none of them.
    const before = (await (
      await call(`/api/v1/work-orders/stats?from=2026-07-20&to=2026-07-20&by=unit`, { token: ops.sup.token })
    ).json()) as { rows: Array<{ key: string }> };
    expect(before.rows.find((r) => r.key === ops.unit)).toBeUndefined();
  });

  it('validates its query, and is for supervisors', async () => {
    expect((await call('/api/v1/work-orders/stats?from=2026-07-22&to=2026-07-21&by=unit', { token: ops.sup.token })).status).toBe(400);
    expect((await call('/api/v1/work-orders/stats?from=2026-07-21&to=2026-07-21&by=street', { token: ops.sup.token })).status).toBe(400);
    expect((await call('/api/v1/work-orders/stats?from=2026-07-21&to=2026-07-21&by=unit', { token: ops.staffA.token })).status).toBe(403);
  });
});

describe('escalation', () => {
  it('marks overdue dispatches escalated once; a new dispatch clears it', async () => {
    let o = await openOrder(ops.sup.token, { site: ops.station, kind: 'repair' });
    await moveOk(o.id, ops.sup.token, { step: 'registered' });
    o = await moveOk(o.id, ops.sup.token, { step: 'dispatched', assignee: ops.team });
    const dispatched = Date.parse(o.dispatched_at!);
    const read = async () =>
      (await env.DB.prepare('SELECT escalated_at FROM work_orders WHERE id = ?').bind(o.id).first<{ escalated_at: number | null }>())!
        .escalated_at;
    await escalateWorkOrders(dispatched + 9 * 60_000, env);
    expect(await read()).toBeNull();
    const at = dispatched + 11 * 60_000;
    await escalateWorkOrders(at, env);
    expect(await read()).toBe(at);
    await escalateWorkOrders(at + 60_000, env);
    expect(await read()).toBe(at);
    await moveOk(o.id, ops.staffA.token, { step: 'handled' });
    const back = await moveOk(o.id, ops.sup.token, { step: 'checked', passed: false });
    expect(back.escalated_at).toBeNull();
  });
});
