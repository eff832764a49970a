import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { escalateWorkOrders } from '../../worker/escalation.ts';
import { handleQueue, type NotifyMessage } from '../../worker/notify/queue.ts';
import { asAdmin } from './helpers.ts';
import { moveOk, openOrder, operations, type Ops } from './ops-fixtures.ts';

/**
 * Escalation of overdue work orders through the alert channels: one notice per order, dispatch
 * and overdue stage, delivered once per channel, never before the deadline. The scheduled run is
 * called without a queue binding so that only this test's consumer (with a recording receiver)
 * delivers; one test checks the queue itself.
 */
const MIN = 60_000;
/** 2026-07-21 10:00 in Liaocheng (UTC+8). */
const D = Date.parse('2026-07-21T02:00:00Z');
const noQueue = { ...env, ALERT_QUEUE: undefined } as unknown as Env;

let ops: Ops;
let hook: string;
let robot: string;
beforeAll(async () => {
  ops = await operations();
  const make = async (json: Record<string, unknown>) => {
    const res = await asAdmin('/api/v1/channels', { method: 'POST', json });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  hook = await make({ team_id: ops.team, type: 'webhook', url: `https://ops.example/hook/${ops.team}` });
  robot = await make({ team_id: ops.team, type: 'wecom', url: `https://qyapi.weixin.qq.com/send?key=${ops.team}` });
});

function receiver(answer: (req: Request) => Response = () => Response.json({ errcode: 0, errmsg: 'ok' })) {
  const got: Array<{ url: string; headers: Headers; body: string }> = [];
  const fetcher = async (req: Request) => {
    got.push({ url: req.url, headers: req.headers, body: await req.text() });
    return answer(req);
  };
  const mine = () => got.filter((g) => g.url.includes(ops.team));
  return { got, mine, fetcher };
}

async function deliver(notice: string, fetcher: (r: Request) => Promise<Response>, attempts = 1) {
  const batch = createMessageBatch<NotifyMessage>('amenity-alerts', [
    { id: `m-${notice}-${attempts}`, timestamp: new Date(), attempts, body: { notice_id: notice } },
  ]);
  const ctx = createExecutionContext();
  await handleQueue(batch, env, fetcher);
  return getQueueResult(batch, ctx);
}

/** A repair order dispatched to `assignee` at D (stored time). */
async function dispatchedAtD(assignee: string): Promise<string> {
  const o = await openOrder(ops.sup.token, { site: ops.station, kind: 'repair' });
  await moveOk(o.id, ops.sup.token, { step: 'registered' });
  await moveOk(o.id, ops.sup.token, { step: 'dispatched', assignee });
  await env.DB.prepare('UPDATE work_orders SET dispatched_at = ?1 WHERE id = ?2').bind(D, o.id).run();
  return o.id;
}

interface NoticeRow {
  id: string;
  stage: string;
  dispatch_no: number;
  due_at: number;
  at: number;
  queued_at: number | null;
}
const notices = async (order: string) =>
  (
    await env.DB.prepare('SELECT id, stage, dispatch_no, due_at, at, queued_at FROM work_order_notices WHERE order_id = ?1 ORDER BY at')
      .bind(order)
      .all<NoticeRow>()
  ).results;

describe('work-order escalation notices', () => {
  it('arrival overdue, then handling overdue: one notice each, not before the deadline, exact bodies, delivered once', async () => {
    const id = await dispatchedAtD(ops.team);
    // Before and exactly at the arrival deadline (D + 10 min): nothing.
    await escalateWorkOrders(D + 9 * MIN, noQueue);
    await escalateWorkOrders(D + 10 * MIN, noQueue);
    expect(await notices(id)).toEqual([]);
    await escalateWorkOrders(D + 11 * MIN, noQueue);
    await escalateWorkOrders(D + 12 * MIN, noQueue);
    const [arrival, ...rest] = await notices(id);
    expect(rest).toEqual([]);
    expect(arrival).toMatchObject({ stage: 'arrival', dispatch_no: 1, due_at: D + 10 * MIN, at: D + 11 * MIN, queued_at: null });

    const r = receiver();
    const result = await deliver(arrival!.id, r.fetcher);
    expect(result.explicitAcks).toEqual([`m-${arrival!.id}-1`]);
    const [toHook, toRobot, ...more] = [...r.mine()].sort((a, b) => (a.url.includes('hook') ? -1 : b.url.includes('hook') ? 1 : 0));
    expect(more).toEqual([]);
    expect(toHook!.headers.get('x-amenity-delivery')).toBe(arrival!.id);
    expect(JSON.parse(toHook!.body)).toEqual({
      notice_id: arrival!.id,
      event: 'work_order_overdue',
      stage: 'arrival',
      dispatch_no: 1,
      at: '2026-07-21T02:11:00.000Z',
      due_at: '2026-07-21T02:10:00.000Z',
      work_order: {
        id,
        kind: 'repair',
        site: ops.station,
        site_kind: 'station',
        site_name: `Station ${ops.station}`,
        district: ops.district,
        item: null,
        assignee: { kind: 'team', id: ops.team, name: `Team ${ops.team.slice(2)}` },
        dispatched_at: '2026-07-21T02:00:00.000Z',
        arrived_at: null,
      },
    });
    expect(JSON.parse(toRobot!.body)).toEqual({
      msgtype: 'markdown',
      markdown: {
        content: [
          `### 【超时】到场超时 · Station ${ops.station}`,
          '> 事件：**双十到场超时**（第 1 次派遣）',
          `> 工单：${id} · 维修`,
          `> 站点：Station ${ops.station}（驿站 ${ops.station}） · ${ops.district}`,
          `> 承办：Team ${ops.team.slice(2)}（${ops.team}）`,
          '> 派遣：2026-07-21 10:00 · 到场时限 2026-07-21 10:10',
        ].join('\n'),
      },
    });
    // The queue is at-least-once: the same message again reaches nobody.
    const again = receiver();
    await deliver(arrival!.id, again.fetcher, 2);
    expect(again.mine()).toEqual([]);

    // Arrived (late) at D + 15 min: the handling deadline is D + 25 min.
    await moveOk(id, ops.staffA.token, { step: 'arrived' });
    await env.DB.prepare('UPDATE work_orders SET arrived_at = ?1 WHERE id = ?2')
      .bind(D + 15 * MIN, id)
      .run();
    await escalateWorkOrders(D + 20 * MIN, noQueue);
    await escalateWorkOrders(D + 25 * MIN, noQueue);
    expect(await notices(id)).toHaveLength(1);
    await escalateWorkOrders(D + 26 * MIN, noQueue);
    await escalateWorkOrders(D + 40 * MIN, noQueue);
    const all = await notices(id);
    expect(all.map((n) => [n.stage, n.due_at])).toEqual([
      ['arrival', D + 10 * MIN],
      ['handling', D + 25 * MIN],
    ]);
    const h = receiver();
    await deliver(all[1]!.id, h.fetcher);
    const md = h.mine().find((g) => g.url.includes('qyapi'))!;
    expect((JSON.parse(md.body) as { markdown: { content: string } }).markdown.content.split('\n')).toEqual([
      `### 【超时】处置超时 · Station ${ops.station}`,
      '> 事件：**双十处置超时**（第 1 次派遣）',
      `> 工单：${id} · 维修`,
      `> 站点：Station ${ops.station}（驿站 ${ops.station}） · ${ops.district}`,
      `> 承办：Team ${ops.team.slice(2)}（${ops.team}）`,
      '> 派遣：2026-07-21 10:00 · 到场 2026-07-21 10:15 · 处置时限 2026-07-21 10:25',
    ]);
    const log = await env.DB.prepare(
      'SELECT notice_id, channel_id, status, attempts FROM work_order_notice_deliveries WHERE notice_id IN (?1, ?2) ORDER BY notice_id, channel_id',
    )
      .bind(all[0]!.id, all[1]!.id)
      .all();
    const two = [hook, robot].sort();
    expect(log.results.map((x) => x.channel_id)).toEqual([...two, ...two]);
    expect(log.results.every((x) => x.status === 'sent' && x.attempts === 1)).toBe(true);

    // Handled: the clock stops; no more notices however late it gets.
    await moveOk(id, ops.staffA.token, { step: 'handled' });
    await escalateWorkOrders(D + 120 * MIN, noQueue);
    expect(await notices(id)).toHaveLength(2);
  });

  it('speaks English when NOTIFY_LOCALE is en', async () => {
    const id = await dispatchedAtD(ops.team);
    await escalateWorkOrders(D + 11 * MIN, noQueue);
    const [n] = await notices(id);
    const r = receiver();
    const batch = createMessageBatch<NotifyMessage>('amenity-alerts', [
      { id: `m-en-${n!.id}`, timestamp: new Date(), attempts: 1, body: { notice_id: n!.id } },
    ]);
    await handleQueue(batch, { ...env, NOTIFY_LOCALE: 'en' } as Env, r.fetcher);
    const md = r.mine().find((g) => g.url.includes('qyapi'))!;
    expect((JSON.parse(md.body) as { markdown: { content: string } }).markdown.content.split('\n')).toEqual([
      `### [Overdue] Arrival overdue · Station ${ops.station}`,
      '> Event: **双十 arrival overdue** (dispatch 1)',
      `> Work order: ${id} · repair`,
      `> Site: Station ${ops.station} (station ${ops.station}) · ${ops.district}`,
      `> Assigned to: Team ${ops.team.slice(2)} (${ops.team})`,
      '> Dispatched: 2026-07-21 10:00 · arrival due 2026-07-21 10:10',
    ]);
  });

  it('a failed check starts a new round: its overdue arrival is a notice of its own', async () => {
    const id = await dispatchedAtD(ops.team);
    await escalateWorkOrders(D + 11 * MIN, noQueue);
    await moveOk(id, ops.staffA.token, { step: 'handled' });
    await moveOk(id, ops.sup.token, { step: 'checked', passed: false });
    const now = Date.now();
    await escalateWorkOrders(now + 5 * MIN, noQueue);
    expect((await notices(id)).map((n) => [n.stage, n.dispatch_no])).toEqual([['arrival', 1]]);
    await escalateWorkOrders(now + 11 * MIN, noQueue);
    expect((await notices(id)).map((n) => [n.stage, n.dispatch_no])).toEqual([
      ['arrival', 1],
      ['arrival', 2],
    ]);
  });

  it('a failing channel is retried with backoff and only it hears again', async () => {
    const id = await dispatchedAtD(ops.team);
    await escalateWorkOrders(D + 11 * MIN, noQueue);
    const [n] = await notices(id);
    let down = true;
    const r = receiver((req) => (down && req.url.includes('hook') ? new Response('busy', { status: 503 }) : Response.json({ errcode: 0 })));
    const first = await deliver(n!.id, r.fetcher, 1);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual([`m-${n!.id}-1`]);
    down = false;
    const second = await deliver(n!.id, r.fetcher, 2);
    expect(second.explicitAcks).toEqual([`m-${n!.id}-2`]);
    expect(r.mine().filter((g) => g.url.includes('hook'))).toHaveLength(2);
    expect(r.mine().filter((g) => g.url.includes('qyapi'))).toHaveLength(1);
    const row = await env.DB.prepare('SELECT status, attempts FROM work_order_notice_deliveries WHERE notice_id = ?1 AND channel_id = ?2')
      .bind(n!.id, hook)
      .first();
    expect(row).toEqual({ status: 'sent', attempts: 2 });
  });

  it('an order dispatched to a person outside any team goes to the channels of the site unit’s teams; another unit hears nothing', async () => {
    const other = `t-other-${ops.team}`;
    await asAdmin('/api/v1/units', { method: 'POST', json: { id: `u-other-${ops.team}`, name: 'Other', kind: 'other' } });
    await asAdmin('/api/v1/teams', { method: 'POST', json: { id: other, name: 'Other', unit: `u-other-${ops.team}`, members: [] } });
    const res = await asAdmin('/api/v1/channels', {
      method: 'POST',
      json: { team_id: other, type: 'webhook', url: `https://other.example/${other}` },
    });
    expect(res.status).toBe(201);
    const id = await dispatchedAtD(ops.staffB.person);
    await escalateWorkOrders(D + 11 * MIN, noQueue);
    const [n] = await notices(id);
    const r = receiver();
    await deliver(n!.id, r.fetcher);
    expect(r.got.filter((g) => g.url.includes('other.example'))).toEqual([]);
    expect(
      r
        .mine()
        .map((g) => g.url)
        .sort(),
    ).toEqual([`https://ops.example/hook/${ops.team}`, `https://qyapi.weixin.qq.com/send?key=${ops.team}`]);
  });

  it('with the queue bound, the scheduled run puts the notice on it (outbox marked queued)', async () => {
    const id = await dispatchedAtD(ops.team);
    await escalateWorkOrders(D + 11 * MIN, env);
    const [n] = await notices(id);
    expect(n!.queued_at).toBe(D + 11 * MIN);
  });
});
