import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/wrangler.ts';
import { request, startWorker, type TestWorker } from './harness.ts';

/**
 * End to end through the real queue: the Worker served locally (its queue producer and consumer
 * run in the local runtime) tells a local WeCom-style robot about an alert once per change. The
 * receiver is a node:http server registered as a team's WeCom channel through the admin API.
 */
const TZ = 'Asia/Shanghai';
const MIN = 60_000;

interface Got {
  path: string;
  body: { msgtype: string; markdown: { content: string } };
}

let worker: TestWorker;
let receiver: Server;
let robotUrl = '';
const got: Got[] = [];

beforeAll(async () => {
  const port = await freePort();
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => {
      raw += d;
    });
    req.on('end', () => {
      got.push({ path: req.url ?? '', body: JSON.parse(raw) as Got['body'] });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  robotUrl = `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=local-test`;
  worker = await startWorker();
});

afterAll(async () => {
  await worker?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function admin(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  return request(worker, path, { ...init, token: worker.adminToken });
}

async function created(res: Response): Promise<Record<string, unknown>> {
  if (res.status >= 300) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Wait until `ready()` holds (the queue delivers within a few seconds locally); the test's timeout bounds it. */
async function until(ready: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await ready())) await new Promise((r) => setTimeout(r, 200));
}

/** A local time as the message writes it: YYYY-MM-DD HH:mm in the city's zone. */
const local = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));

interface AlertOut {
  id: string;
  kind: string;
  colour: string;
  opened_at: string;
  deadline_at: string;
}
interface AlertDetailOut {
  changes: Array<{ id: string; change: string; colour: string }>;
  deliveries: Array<{ change_id: string; status: string }>;
}

describe('a notification reaches a local WeCom-style receiver once per change', () => {
  it('opening sends one message, a duplicate post nothing more, the escalation past the deadline one more', async () => {
    await created(await admin('/api/v1/districts', { method: 'POST', json: { id: 'dcf', name: '东昌府区' } }));
    await created(
      await admin('/api/v1/stations', {
        method: 'POST',
        json: { id: 'st-rm', name: '人民广场驿站', district: 'dcf', lat: 36.456, lon: 115.985 },
      }),
    );
    const { token } = (await created(
      await admin('/api/v1/devices', { method: 'POST', json: { id: 'st-rm-1', kind: 'station', site: 'st-rm' } }),
    )) as {
      token: string;
    };
    await created(await admin('/api/v1/teams', { method: 'POST', json: { id: 'patrol', name: '巡查一班' } }));
    const ch = await created(
      await admin('/api/v1/channels', { method: 'POST', json: { team_id: 'patrol', type: 'wecom', url: robotUrl } }),
    );
    expect(ch).toMatchObject({ type: 'wecom', url: robotUrl, disabled: false });
    // A stock-out here is overdue 3 s after it opens, so the escalation comes without waiting hours.
    await created(
      await admin('/api/v1/alerts/settings', { method: 'PUT', json: { key: 'deadline_min_stock_out', site: 'st-rm', value: 0.05 } }),
    );

    const post = { messages: [{ seq: 1, ts: Date.now() - MIN, type: 'stock', levels: { water: 0 } }] };
    const first = await request(worker, '/api/v1/telemetry', { method: 'POST', token, json: post });
    expect(await first.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    await until(() => got.length >= 1);

    const alerts = ((await (await admin('/api/v1/alerts?site=st-rm')).json()) as { alerts: AlertOut[] }).alerts;
    expect(alerts.map((a) => [a.kind, a.colour])).toEqual([['stock_out', 'yellow']]);
    const a = alerts[0]!;
    expect(got).toHaveLength(1);
    expect(got[0]!.path).toBe('/cgi-bin/webhook/send?key=local-test');
    expect(got[0]!.body).toEqual({
      msgtype: 'markdown',
      markdown: {
        content: [
          '### 【黄牌】缺货 · 人民广场驿站',
          '> 事件：**新告警**',
          '> 站点：人民广场驿站（驿站 st-rm） · 东昌府区',
          '> 物品：饮用水',
          '> 详情：饮用水：已无库存',
          `> 发生：${local(a.opened_at)} · 处置时限 ${local(a.deadline_at)}`,
        ].join('\n'),
      },
    });

    // The same request again (a device resending after a lost answer): a duplicate, no change, no message.
    const again = await request(worker, '/api/v1/telemetry', { method: 'POST', token, json: post });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 });

    // Past the deadline: the evaluation marks it overdue and raises it to orange: one more message.
    await until(() => Date.now() > Date.parse(a.deadline_at) + 500);
    const ev = await created(await admin('/api/v1/alerts/evaluate', { method: 'POST' }));
    expect(ev).toEqual({ changes: 1 });
    await until(() => got.length >= 2);
    expect(got[1]!.body.markdown.content).toBe(
      [
        '### 【橙牌】缺货 · 人民广场驿站',
        '> 事件：**超时未处置**',
        '> 站点：人民广场驿站（驿站 st-rm） · 东昌府区',
        '> 物品：饮用水',
        '> 详情：饮用水：已无库存',
        `> 发生：${local(a.opened_at)} · 处置时限 ${local(a.deadline_at)}`,
      ].join('\n'),
    );

    // The delivery log agrees: two changes, each sent once to the one channel, and nothing else arrived.
    const detail = async () => (await (await admin(`/api/v1/alerts/${a.id}`)).json()) as AlertDetailOut;
    await until(async () => (await detail()).deliveries.filter((d) => d.status === 'sent').length === 2);
    const d = await detail();
    expect(d.changes.map((c) => [c.change, c.colour])).toEqual([
      ['opened', 'yellow'],
      ['overdue', 'orange'],
    ]);
    expect(d.deliveries.map((x) => [x.change_id, x.status]).sort()).toEqual(d.changes.map((c) => [c.id, 'sent']).sort());
    expect(got).toHaveLength(2);
  });
});
