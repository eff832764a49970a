/**
 * Notifications through Cloudflare Queues. Producer: alert changes are written first (an outbox
 * in alert_changes), then put on the queue after the request's batch; whatever a failed send
 * left behind, the scheduled handler puts on the queue a minute later. Consumer: delivers each
 * change to the channels of the teams concerned, at most once per (change, channel) by the
 * delivery log; a failed channel retries the message with exponential backoff, and after the
 * queue's max_retries the message goes to the dead-letter queue, whose consumer marks it dead.
 * Work-order escalations (双十 overdue) take the same road with their own outbox
 * (work_order_notices) and delivery log: a message carries `notice_id` instead of `change_id`.
 */
import { readConfig } from '../config.ts';
import {
  deliveriesOf,
  loadChange,
  markQueued,
  recipients,
  recordDelivery,
  unqueuedChanges,
  type DeliveryLog,
} from '../db/notifications.ts';
import { loadNotice, markNoticesQueued, noticeRecipients, unqueuedNotices } from '../db/work-order-notices.ts';
import { accepted, alertOutgoing, buildRequest, noticeOutgoing, type Channel, type Outgoing } from './channels.ts';

/** An alert change (`change_id`) or a work-order escalation notice (`notice_id`). */
export type NotifyMessage = { change_id: string } | { notice_id: string };

/** The queue names in wrangler.jsonc. */
export const DEAD_LETTER_QUEUE = 'amenity-alerts-dlq';

/** Seconds before the n-th retry (attempts = 1 on first delivery): 30 s, 1, 2, 4 … min, at most 10 min. */
export const backoffSeconds = (attempts: number): number => Math.min(600, 30 * 2 ** Math.max(0, attempts - 1));

/** Put changes (or notices) on the queue and mark them queued. Never throws: the outbox sweep retries. */
export async function enqueueChanges(env: Env, ids: string[], now: number, log: DeliveryLog = 'alert'): Promise<void> {
  if (!ids.length || !env.ALERT_QUEUE) return;
  const body = (id: string): NotifyMessage => (log === 'alert' ? { change_id: id } : { notice_id: id });
  try {
    for (let i = 0; i < ids.length; i += 100) {
      const part = ids.slice(i, i + 100);
      await env.ALERT_QUEUE.sendBatch(part.map((id) => ({ body: body(id), contentType: 'json' })));
      await (log === 'alert' ? markQueued : markNoticesQueued)(env.DB, part, now);
    }
  } catch (e) {
    console.error('notification enqueue failed; the scheduled handler retries', String(e));
  }
}

/** Scheduled: enqueue changes and notices of the last day that never reached the queue. */
export async function sweepOutbox(env: Env, now: number): Promise<void> {
  await enqueueChanges(env, await unqueuedChanges(env.DB, now - 86_400_000, 500), now);
  await enqueueChanges(env, await unqueuedNotices(env.DB, now - 86_400_000, 500), now, 'work_order');
}

/** What a delivery needs of one notification: its channels and its words. */
interface Loaded {
  channels: Channel[];
  outgoing: Outgoing;
}

async function load(env: Env, id: string, log: DeliveryLog): Promise<Loaded | null> {
  const { tz, notifyLocale } = readConfig(env);
  if (log === 'alert') {
    const n = await loadChange(env.DB, id);
    return n && { channels: await recipients(env.DB, n), outgoing: alertOutgoing(n, tz, notifyLocale) };
  }
  const n = await loadNotice(env.DB, id);
  return n && { channels: await noticeRecipients(env.DB, n), outgoing: noticeOutgoing(n, tz, notifyLocale) };
}

export type Fetcher = (req: Request) => Promise<Response>;

/** Deliver one change (or notice) to every channel that has not had it yet; true when all have it. */
export async function deliverChange(
  env: Env,
  changeId: string,
  fetcher: Fetcher,
  now: number,
  log: DeliveryLog = 'alert',
): Promise<boolean> {
  const n = await load(env, changeId, log);
  if (!n) return true; // nothing to say (a row that was never committed)
  const done = new Set((await deliveriesOf(env.DB, changeId, log)).filter((d) => d.status !== 'failed').map((d) => d.channel_id));
  let all = true;
  for (const ch of n.channels) {
    if (done.has(ch.id)) continue;
    let ok = false;
    let error: string | null = null;
    try {
      const res = await fetcher(await buildRequest(ch, n.outgoing, now));
      ({ ok, error } = await accepted(ch, res));
    } catch (e) {
      error = String(e instanceof Error ? e.message : e).slice(0, 300);
    }
    await recordDelivery(env.DB, changeId, ch.id, ok ? 'sent' : 'failed', error, now, log);
    if (!ok) all = false;
  }
  return all;
}

/** The message's id and which log it belongs to; null when it is not ours. */
function messageId(body: unknown): { id: string; log: DeliveryLog } | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.change_id === 'string') return { id: b.change_id, log: 'alert' };
  if (typeof b.notice_id === 'string') return { id: b.notice_id, log: 'work_order' };
  return null;
}

/** The queue consumer (both queues: the alerts queue and its dead-letter queue). */
export async function handleQueue(
  batch: MessageBatch<NotifyMessage>,
  env: Env,
  fetcher: Fetcher = (r) => fetch(r),
  now = Date.now,
): Promise<void> {
  for (const m of batch.messages) {
    const msg = messageId(m.body);
    if (!msg) {
      m.ack(); // not ours: nothing to deliver
      continue;
    }
    const { id, log } = msg;
    if (batch.queue === DEAD_LETTER_QUEUE) {
      await markDead(env, id, log, now());
      m.ack();
      continue;
    }
    try {
      if (await deliverChange(env, id, fetcher, now(), log)) m.ack();
      else m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    } catch (e) {
      console.error('alert notification delivery failed', id, String(e));
      m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    }
  }
}

/** Dead letter: every channel still without the change gets a 'dead' row (shown to admins). */
async function markDead(env: Env, changeId: string, log: DeliveryLog, now: number): Promise<void> {
  const n = await load(env, changeId, log);
  if (!n) return;
  const sent = new Set((await deliveriesOf(env.DB, changeId, log)).filter((d) => d.status === 'sent').map((d) => d.channel_id));
  for (const ch of n.channels)
    if (!sent.has(ch.id)) await recordDelivery(env.DB, changeId, ch.id, 'dead', 'gave up after the queue’s retries', now, log);
}
