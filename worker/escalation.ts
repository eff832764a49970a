/**
 * Escalation of overdue work orders (双十): the scheduled handler writes one notice per order,
 * dispatch and overdue stage (arrival, then handling) and puts it on the alert channels' queue;
 * the consumer delivers it once per channel, retrying with backoff like an alert change
 * (worker/notify/queue.ts). The board colours overdue orders live, whatever the cron's cadence.
 */
import { escalateOverdue } from './db/work-order-notices.ts';
import { defaultTargets } from './db/work-orders.ts';
import { enqueueChanges } from './notify/queue.ts';

export async function escalateWorkOrders(scheduledTime: number, env: Env): Promise<void> {
  const notices = await escalateOverdue(env.DB, defaultTargets(env), scheduledTime);
  for (const n of notices)
    console.log(
      JSON.stringify({ event: 'work_order_escalated', id: n.order.id, stage: n.stage, notice: n.id, due_at: n.order.sla.due_at }),
    );
  // Anything this leaves unqueued (a failed send) the outbox sweep of scheduledAlerts sends later.
  await enqueueChanges(
    env,
    notices.map((n) => n.id),
    scheduledTime,
    'work_order',
  );
}
