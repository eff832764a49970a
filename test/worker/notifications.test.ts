import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../worker/db/alerts.ts';
import { handleQueue, backoffSeconds, type NotifyMessage } from '../../worker/notify/queue.ts';
import { asAdmin, call, problem } from './helpers.ts';
import { stationWithDevice } from './fixtures.ts';

const MIN = 60_000;

/** A local receiver: records every request and answers as told. */
function receiver(answer: (req: Request, n: number) => Response = () => Response.json({ errcode: 0, errmsg: 'ok' })) {
  const got: Array<{ url: string; headers: Headers; body: string }> = [];
  const fetcher = async (req: Request) => {
    got.push({ url: req.url, headers: req.headers, body: await req.text() });
    return answer(req, got.length);
  };
  return { got, fetcher };
}

async function hmac(secret: string, msg: string): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', key, new TextEncoder().encode(msg));
}

let teamN = 0;
async function team(): Promise<string> {
  const id = `team-${++teamN}-${crypto.randomUUID().slice(0, 6)}`;
  await env.DB.prepare('INSERT INTO teams (id, name, created_at) VALUES (?1, ?2, ?3)').bind(id, `Team ${teamN}`, Date.now()).run();
  return id;
}

async function channel(body: Record<string, unknown>): Promise<string> {
  const res = await asAdmin('/api/v1/channels', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/**
 * A station with an empty item: one stock_out alert opened (and put on the queue by the ingest
 * request). Returns a change of that alert that only this test delivers: the queue's background
 * consumer may already be handling the ingest's own message.
 */
async function openedChange(): Promise<{ station: string; change: string; queued: string }> {
  const { station, token } = await stationWithDevice();
  await asAdmin(`/api/v1/stations/${station}/items/water`, { method: 'PUT', json: { par_level: 40, reorder_point: 10 } });
  const res = await call('/api/v1/telemetry', {
    method: 'POST',
    token,
    json: { messages: [{ seq: 1, ts: Date.now() - MIN, type: 'stock', levels: { water: 0 } }] },
  });
  expect(res.status).toBe(200);
  const row = await env.DB.prepare(
    `SELECT c.id, c.alert_id FROM alert_changes c JOIN alerts a ON a.id = c.alert_id WHERE a.site = ?1 AND c.change = 'opened'`,
  )
    .bind(station)
    .first<{ id: string; alert_id: string }>();
  const change = crypto.randomUUID();
  await env.DB.prepare(`INSERT INTO alert_changes (id, alert_id, change, colour, at) VALUES (?1, ?2, 'opened', 'yellow', ?3)`)
    .bind(change, row!.alert_id, Date.now())
    .run();
  return { station, change, queued: row!.id };
}

async function deliver(change: string, fetcher: (r: Request) => Promise<Response>, attempts = 1, queue = 'amenity-alerts') {
  const batch = createMessageBatch<NotifyMessage>(queue, [
    { id: `m-${change}-${attempts}`, timestamp: new Date(), attempts, body: { change_id: change } },
  ]);
  const ctx = createExecutionContext();
  await handleQueue(batch, env, fetcher);
  return getQueueResult(batch, ctx);
}

describe('notifications', () => {
  it('an opened alert is put on the queue in the ingest request (outbox marked queued)', async () => {
    const { queued } = await openedChange();
    const row = await env.DB.prepare('SELECT queued_at FROM alert_changes WHERE id = ?1')
      .bind(queued)
      .first<{ queued_at: number | null }>();
    expect(row!.queued_at).not.toBeNull();
  });

  it('WeCom gets a markdown message, DingTalk a signed one, a webhook a signed JSON body — exactly once per change', async () => {
    const t = await team();
    const wecom = await channel({ team_id: t, type: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc' });
    const ding = await channel({
      team_id: t,
      type: 'dingtalk',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=tok',
      secret: 'SECsecret',
    });
    const hook = await channel({ team_id: t, type: 'webhook', url: 'https://ops.example/hook', secret: 'hook-key' });
    const { station, change } = await openedChange();
    const r = receiver();
    const result = await deliver(change, r.fetcher);
    expect(result.explicitAcks).toEqual([`m-${change}-1`]);
    const toWecom = r.got.filter((g) => g.url.startsWith('https://qyapi'));
    const toDing = r.got.filter((g) => g.url.startsWith('https://oapi'));
    const toHook = r.got.filter((g) => g.url === 'https://ops.example/hook');
    expect([toWecom.length, toDing.length, toHook.length]).toEqual([1, 1, 1]);

    const w = JSON.parse(toWecom[0]!.body) as { msgtype: string; markdown: { content: string } };
    expect(w.msgtype).toBe('markdown');
    expect(w.markdown.content.split('\n')[0]).toBe(`### 【黄牌】缺货 · Station ${station}`);
    expect(w.markdown.content).toContain('> 事件：**新告警**');
    expect(w.markdown.content).toContain('> 物品：饮用水');
    expect(w.markdown.content).toContain('> 详情：饮用水：已无库存');

    const u = new URL(toDing[0]!.url);
    const ts = u.searchParams.get('timestamp')!;
    const expected = btoa(String.fromCharCode(...new Uint8Array(await hmac('SECsecret', `${ts}\nSECsecret`))));
    expect(u.searchParams.get('sign')).toBe(expected);
    expect(u.searchParams.get('access_token')).toBe('tok');
    const d = JSON.parse(toDing[0]!.body) as { msgtype: string; markdown: { title: string; text: string } };
    expect(d.markdown.title).toBe(`【黄牌】缺货 · Station ${station}`);
    expect(d.markdown.text).toBe(w.markdown.content);

    const h = toHook[0]!;
    const sts = h.headers.get('x-amenity-timestamp')!;
    const hex = [...new Uint8Array(await hmac('hook-key', `${sts}.${h.body}`))].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(h.headers.get('x-amenity-signature')).toBe(`sha256=${hex}`);
    expect(h.headers.get('x-amenity-delivery')).toBe(change);
    const body = JSON.parse(h.body) as { change_id: string; change: string; alert: Record<string, unknown> };
    expect(body).toMatchObject({
      change_id: change,
      change: 'opened',
      alert: { kind: 'stock_out', site: station, item: 'water', colour: 'yellow' },
    });

    // The same message delivered again (the queue is at-least-once): nobody hears twice.
    const again = receiver();
    await deliver(change, again.fetcher, 2);
    expect(again.got).toHaveLength(0);
    const log = await env.DB.prepare(
      'SELECT channel_id, status FROM notification_deliveries WHERE change_id = ?1 AND channel_id IN (?2, ?3, ?4)',
    )
      .bind(change, wecom, ding, hook)
      .all<{ channel_id: string; status: string }>();
    expect(log.results.map((x) => x.status)).toEqual(['sent', 'sent', 'sent']);
    expect(new Set(log.results.map((x) => x.channel_id))).toEqual(new Set([wecom, ding, hook]));
  });

  it('a failing receiver is retried with backoff, only the failed channel again, and the dead-letter queue marks it dead', async () => {
    const t = await team();
    const good = await channel({ team_id: t, type: 'wecom', url: 'https://good.example/wecom' });
    const bad = await channel({ team_id: t, type: 'wecom', url: 'https://bad.example/wecom' });
    const { change } = await openedChange();
    const r = receiver((req) =>
      req.url.startsWith('https://bad') ? Response.json({ errcode: 93000, errmsg: 'invalid webhook url' }) : Response.json({ errcode: 0 }),
    );
    const first = await deliver(change, r.fetcher, 1);
    // (The test runtime reports which messages were retried, not their delay: the backoff is checked on its own.)
    expect(first.retryMessages.map((m) => m.msgId)).toEqual([`m-${change}-1`]);
    expect(first.explicitAcks).toEqual([]);
    const second = await deliver(change, r.fetcher, 3);
    expect(second.retryMessages.map((m) => m.msgId)).toEqual([`m-${change}-3`]);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(backoffSeconds)).toEqual([30, 60, 120, 240, 480, 600, 600, 600]);
    // The good channel heard it once; the bad one was tried twice.
    expect(r.got.filter((g) => g.url.startsWith('https://good'))).toHaveLength(1);
    expect(r.got.filter((g) => g.url.startsWith('https://bad'))).toHaveLength(2);
    const failed = await env.DB.prepare(
      'SELECT status, attempts, last_error FROM notification_deliveries WHERE change_id = ?1 AND channel_id = ?2',
    )
      .bind(change, bad)
      .first();
    expect(failed).toEqual({ status: 'failed', attempts: 2, last_error: 'errcode 93000: invalid webhook url' });

    const dead = await deliver(change, r.fetcher, 1, 'amenity-alerts-dlq');
    expect(dead.explicitAcks).toEqual([`m-${change}-1`]);
    // (Channels of other tests' city-wide teams hear it too; this test's two are the point.)
    const rows = await env.DB.prepare(
      'SELECT channel_id, status FROM notification_deliveries WHERE change_id = ?1 AND channel_id IN (?2, ?3)',
    )
      .bind(change, good, bad)
      .all<{ channel_id: string; status: string }>();
    expect(Object.fromEntries(rows.results.map((x) => [x.channel_id, x.status]))).toEqual({ [good]: 'sent', [bad]: 'dead' });
  });

  it('overdue past the deadline is a change of its own, notified once', async () => {
    const { station, queued: change } = await openedChange();
    const later = Date.now() + 3 * 60 * MIN; // stock_out deadline is 2 h
    const kinds = async (ids: string[]) =>
      (
        await env.DB.prepare(
          `SELECT a.kind, c.change, c.colour FROM alert_changes c JOIN alerts a ON a.id = c.alert_id WHERE c.id IN (SELECT value FROM json_each(?1)) ORDER BY a.kind`,
        )
          .bind(JSON.stringify(ids))
          .all()
      ).results;
    // Three hours on, without a message: the stock-out is overdue (a first problem: orange) and the station is offline.
    const ids = await evaluateAlerts(env.DB, env, { stations: [station], benches: [], solar: false }, later);
    expect(await kinds(ids)).toEqual([
      { kind: 'offline', change: 'opened', colour: 'yellow' },
      { kind: 'stock_out', change: 'overdue', colour: 'orange' },
    ]);
    expect(ids).not.toContain(change);
    const again = await evaluateAlerts(env.DB, env, { stations: [station], benches: [], solar: false }, later + MIN);
    expect(await kinds(again)).toEqual([]);
  });

  it('channels: https only; plain http is refused at /url except to this machine', async () => {
    const t = await team();
    for (const url of ['http://x.example/hook', 'ftp://x.example/', 'http://10.0.0.5/send', 'javascript:alert(1)']) {
      const res = await asAdmin('/api/v1/channels', { method: 'POST', json: { team_id: t, type: 'webhook', url } });
      const p = await problem(res, 400);
      expect(p.errors?.[0]?.pointer, url).toBe('/url');
    }
    const refused = await asAdmin('/api/v1/channels', {
      method: 'POST',
      json: { team_id: t, type: 'webhook', url: 'http://x.example/hook' },
    });
    expect(((await refused.json()) as { detail: string }).detail).toContain('https');
    expect(
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM notification_channels WHERE url LIKE ?')
        .bind('%x.example/hook%')
        .first<{ n: number }>())!.n,
    ).toBe(0);
    for (const url of ['https://x.example/hook', 'http://127.0.0.1:9/send', 'http://localhost:9/send', 'http://[::1]:9/send']) {
      const res = await asAdmin('/api/v1/channels', { method: 'POST', json: { team_id: t, type: 'webhook', url } });
      expect(res.status, url).toBe(201);
    }
  });

  it('channels: a team that does not exist is a 400 at /team_id; secrets are never shown back', async () => {
    const res = await asAdmin('/api/v1/channels', { method: 'POST', json: { team_id: 'nope', type: 'wecom', url: 'https://x.example/' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ pointer: string }> }).errors[0]!.pointer).toBe('/team_id');
    const t = await team();
    const ok = await asAdmin('/api/v1/channels', {
      method: 'POST',
      json: { team_id: t, type: 'dingtalk', url: 'https://x.example/', secret: 'SECx' },
    });
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ has_secret: true, type: 'dingtalk' });
    expect(JSON.stringify(body)).not.toContain('SECx');
  });
});
