/**
 * The words of a work-order escalation (双十 overdue): a short zh-CN markdown message for the
 * WeCom and DingTalk group robots and JSON for plain webhooks, as alert changes have in
 * alerts/notify-format.ts. Pure.
 */
import { localClock } from './alerts/notify-format.ts';

export type OverdueStage = 'arrival' | 'handling';

export interface WorkOrderNotice {
  notice_id: string;
  stage: OverdueStage;
  /** Which dispatch of the order (1 = the first; each failed check adds one). */
  dispatch_no: number;
  /** The missed deadline and when it was found missed (ms). */
  due_at: number;
  at: number;
  order: {
    id: string;
    kind: string;
    site: string;
    site_kind: 'station' | 'bench';
    site_name: string | null;
    district: string | null;
    item: string | null;
    assignee: { kind: 'team' | 'person'; id: string; name: string | null } | null;
    dispatched_at: number;
    arrived_at: number | null;
  };
}

const STAGE_ZH: Record<OverdueStage, string> = { arrival: '到场超时', handling: '处置超时' };
const KIND_ZH: Record<string, string> = { restock: '补货', repair: '维修', report: '群众反映', cleaning: '清洁', other: '其他' };

export function noticeTitle(n: WorkOrderNotice): string {
  return `【超时】${STAGE_ZH[n.stage]} · ${n.order.site_name ?? n.order.site}`;
}

/** Markdown both robots render (headings, bold, quotes; no tables). */
export function noticeMarkdown(n: WorkOrderNotice, tz: string): string {
  const o = n.order;
  const who = o.assignee ? `${o.assignee.name ?? o.assignee.id}（${o.assignee.id}）` : '未指派';
  return [
    `### ${noticeTitle(n)}`,
    `> 事件：**双十${STAGE_ZH[n.stage]}**（第 ${n.dispatch_no} 次派遣）`,
    `> 工单：${o.id} · ${KIND_ZH[o.kind] ?? o.kind}${o.item ? ` · ${o.item}` : ''}`,
    `> 站点：${o.site_name ?? o.site}（${o.site_kind === 'station' ? '驿站' : '座椅'} ${o.site}）${o.district ? ` · ${o.district}` : ''}`,
    `> 承办：${who}`,
    `> 派遣：${localClock(o.dispatched_at, tz)}${o.arrived_at !== null ? ` · 到场 ${localClock(o.arrived_at, tz)}` : ''} · ${n.stage === 'arrival' ? '到场' : '处置'}时限 ${localClock(n.due_at, tz)}`,
  ].join('\n');
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The body of a plain JSON webhook. */
export function noticeWebhookBody(n: WorkOrderNotice): Record<string, unknown> {
  const o = n.order;
  return {
    notice_id: n.notice_id,
    event: 'work_order_overdue',
    stage: n.stage,
    dispatch_no: n.dispatch_no,
    at: iso(n.at),
    due_at: iso(n.due_at),
    work_order: { ...o, dispatched_at: iso(o.dispatched_at), arrived_at: iso(o.arrived_at) },
  };
}
