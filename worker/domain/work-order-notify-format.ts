/**
 * The words of a work-order escalation (双十 overdue): a short markdown message for the WeCom
 * and DingTalk group robots in the notification language (NOTIFY_LOCALE: zh-CN or en), and JSON
 * for plain webhooks, as alert changes have in alerts/notify-format.ts. Pure.
 */
import { localClock } from './alerts/notify-format.ts';
import type { Locale } from './alerts/wording.ts';

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

const WORDS = {
  'zh-CN': {
    stage: { arrival: '到场超时', handling: '处置超时' },
    kind: { restock: '补货', repair: '维修', report: '群众反映', cleaning: '清洁', other: '其他' } as Record<string, string>,
    site_kind: { station: '驿站', bench: '座椅' },
    title: (stage: string, site: string) => `【超时】${stage} · ${site}`,
    event: (stage: string, n: number) => `> 事件：**双十${stage}**（第 ${n} 次派遣）`,
    order: '工单',
    site: '站点',
    who: '承办',
    unassigned: '未指派',
    dispatched: '派遣',
    arrived: '到场',
    due: { arrival: '到场时限', handling: '处置时限' },
    sep: '：',
    paren: (s: string) => `（${s}）`,
  },
  en: {
    stage: { arrival: 'Arrival overdue', handling: 'Handling overdue' },
    kind: { restock: 'restock', repair: 'repair', report: 'citizen report', cleaning: 'cleaning', other: 'other' } as Record<
      string,
      string
    >,
    site_kind: { station: 'station', bench: 'bench' },
    title: (stage: string, site: string) => `[Overdue] ${stage} · ${site}`,
    event: (stage: string, n: number) => `> Event: **双十 ${stage.toLowerCase()}** (dispatch ${n})`,
    order: 'Work order',
    site: 'Site',
    who: 'Assigned to',
    unassigned: 'nobody',
    dispatched: 'Dispatched',
    arrived: 'arrived',
    due: { arrival: 'arrival due', handling: 'handling due' },
    sep: ': ',
    paren: (s: string) => ` (${s})`,
  },
} as const;

export function noticeTitle(n: WorkOrderNotice, locale: Locale = 'zh-CN'): string {
  return WORDS[locale].title(WORDS[locale].stage[n.stage], n.order.site_name ?? n.order.site);
}

/** Markdown both robots render (headings, bold, quotes; no tables), in the notification language. */
export function noticeMarkdown(n: WorkOrderNotice, tz: string, locale: Locale = 'zh-CN'): string {
  const o = n.order;
  const W = WORDS[locale];
  const who = o.assignee ? `${o.assignee.name ?? o.assignee.id}${W.paren(o.assignee.id)}` : W.unassigned;
  return [
    `### ${noticeTitle(n, locale)}`,
    W.event(W.stage[n.stage], n.dispatch_no),
    `> ${W.order}${W.sep}${o.id} · ${W.kind[o.kind] ?? o.kind}${o.item ? ` · ${o.item}` : ''}`,
    `> ${W.site}${W.sep}${o.site_name ?? o.site}${W.paren(`${W.site_kind[o.site_kind]} ${o.site}`)}${o.district ? ` · ${o.district}` : ''}`,
    `> ${W.who}${W.sep}${who}`,
    `> ${W.dispatched}${W.sep}${localClock(o.dispatched_at, tz)}${o.arrived_at !== null ? ` · ${W.arrived} ${localClock(o.arrived_at, tz)}` : ''} · ${W.due[n.stage]} ${localClock(n.due_at, tz)}`,
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
