/**
 * Escalation of overdue work orders (双十): the scheduled handler marks every order whose running
 * stage is past its deadline as escalated (once per dispatch) and hands them to the notification
 * hook. The board colours overdue orders live, whatever the cron's cadence.
 */
import { defaultTargets, escalateOverdue, type OrderSummary } from './db/work-orders.ts';

/**
 * HOOK for the alert channels (WeCom, DingTalk, webhooks through Queues), which are built
 * separately: when their `enqueue` exists, call it here with one message per order. Until then
 * escalations are logged, and visible on the board and in `GET /api/v1/work-orders?overdue=true`.
 */
export async function notifyWorkOrderEscalation(_env: Env, orders: readonly OrderSummary[]): Promise<void> {
  for (const o of orders) {
    console.log(
      JSON.stringify({
        event: 'work_order_escalated',
        id: o.id,
        site: o.site,
        kind: o.kind,
        assignee: o.assignee?.id ?? null,
        due_at: o.sla.due_at,
      }),
    );
  }
}

export async function escalateWorkOrders(scheduledTime: number, env: Env): Promise<void> {
  const escalated = await escalateOverdue(env.DB, defaultTargets(env), scheduledTime);
  if (escalated.length) await notifyWorkOrderEscalation(env, escalated);
}
