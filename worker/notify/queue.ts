/**
 * Notifications through Cloudflare Queues. Producer: alert changes are written first (an outbox
 * in alert_changes), then put on the queue after the request's batch; whatever a failed send
 * left behind, the scheduled handler puts on the queue a minute later. Consumer: delivers each
 * change to the channels of the teams concerned, at most once per (change, channel) by the
 * delivery log; a failed channel retries the message with exponential backoff, and after the
 * queue's max_retries the message goes to the dead-letter queue, whose consumer marks it dead.
 */
import { readConfig } from '../config.ts';
import { deliveriesOf, loadChange, markQueued, recipients, recordDelivery, unqueuedChanges } from '../db/notifications.ts';
import { accepted, buildRequest } from './channels.ts';

export interface NotifyMessage {
  change_id: string;
}

/** The queue names in wrangler.jsonc. */
export const DEAD_LETTER_QUEUE = 'amenity-alerts-dlq';

/** Seconds before the n-th retry (attempts = 1 on first delivery): 30 s, 1, 2, 4 … min, at most 10 min. */
export const backoffSeconds = (attempts: number): number => Math.min(600, 30 * 2 ** Math.max(0, attempts - 1));

/** Put changes on the queue and mark them queued. Never throws: the outbox sweep retries. */
export async function enqueueChanges(env: Env, ids: string[], now: number): Promise<void> {
  if (!ids.length || !env.ALERT_QUEUE) return;
  try {
    for (let i = 0; i < ids.length; i += 100) {
      const part = ids.slice(i, i + 100);
      await env.ALERT_QUEUE.sendBatch(part.map((id) => ({ body: { change_id: id } satisfies NotifyMessage, contentType: 'json' })));
      await markQueued(env.DB, part, now);
    }
  } catch (e) {
    console.error('alert notification enqueue failed; the scheduled handler retries', String(e));
  }
}

/** Scheduled: enqueue changes of the last day that never reached the queue. */
export async function sweepOutbox(env: Env, now: number): Promise<void> {
  const ids = await unqueuedChanges(env.DB, now - 86_400_000, 500);
  await enqueueChanges(env, ids, now);
}

export type Fetcher = (req: Request) => Promise<Response>;

/** Deliver one change to every channel that has not had it yet; true when all have it. */
export async function deliverChange(env: Env, changeId: string, fetcher: Fetcher, now: number): Promise<boolean> {
  const n = await loadChange(env.DB, changeId);
  if (!n) return true; // nothing to say (a change row that was never committed)
  const done = new Set((await deliveriesOf(env.DB, changeId)).filter((d) => d.status !== 'failed').map((d) => d.channel_id));
  const { tz, notifyLocale } = readConfig(env);
  let all = true;
  for (const ch of await recipients(env.DB, n)) {
    if (done.has(ch.id)) continue;
    let ok = false;
    let error: string | null = null;
    try {
      const res = await fetcher(await buildRequest(ch, n, now, tz, notifyLocale));
      ({ ok, error } = await accepted(ch, res));
    } catch (e) {
      error = String(e instanceof Error ? e.message : e).slice(0, 300);
    }
    await recordDelivery(env.DB, changeId, ch.id, ok ? 'sent' : 'failed', error, now);
    if (!ok) all = false;
  }
  return all;
}

/** The queue consumer (both queues: the alerts queue and its dead-letter queue). */
export async function handleQueue(
  batch: MessageBatch<NotifyMessage>,
  env: Env,
  fetcher: Fetcher = (r) => fetch(r),
  now = Date.now,
): Promise<void> {
  for (const m of batch.messages) {
    const id = m.body?.change_id;
    if (typeof id !== 'string') {
      m.ack(); // not ours: nothing to deliver
      continue;
    }
    if (batch.queue === DEAD_LETTER_QUEUE) {
      await markDead(env, id, now());
      m.ack();
      continue;
    }
    try {
      if (await deliverChange(env, id, fetcher, now())) m.ack();
      else m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    } catch (e) {
      console.error('alert notification delivery failed', id, String(e));
      m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    }
  }
}

/** Dead letter: every channel still without the change gets a 'dead' row (shown to admins). */
async function markDead(env: Env, changeId: string, now: number): Promise<void> {
  const n = await loadChange(env.DB, changeId);
  if (!n) return;
  const sent = new Set((await deliveriesOf(env.DB, changeId)).filter((d) => d.status === 'sent').map((d) => d.channel_id));
  for (const ch of await recipients(env.DB, n))
    if (!sent.has(ch.id)) await recordDelivery(env.DB, changeId, ch.id, 'dead', 'gave up after the queue’s retries', now);
}
