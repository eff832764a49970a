/**
 * The words of a notification: one alert change as a short zh-CN markdown message for the
 * WeCom and DingTalk group robots, and as JSON for plain webhooks. Pure.
 */
import { localParts } from '../local-time.ts';
import type { AlertColour, AlertKind } from './kinds.ts';

export interface NotifyAlert {
  change_id: string;
  change: 'opened' | 'escalated' | 'overdue' | 'resolved';
  at: number;
  colour: AlertColour;
  alert: {
    id: string;
    kind: AlertKind;
    site: string;
    site_kind: 'station' | 'bench';
    site_name: string | null;
    district: string | null;
    item: string | null;
    opened_at: number;
    deadline_at: number | null;
    detail: string;
  };
}

export const KIND_ZH: Record<AlertKind, string> = {
  below_reorder: '低于补货点',
  stock_out: '缺货',
  predicted_stock_out: '预计缺货',
  low_battery: '电量低',
  night_autonomy: '夜间电量不足',
  solar_underperformance: '太阳能板发电偏低',
  offline: '离线',
  fault: '故障',
  unknown_item: '未登记物品',
  expiring: '临近过期',
  unreturned: '雨伞未归还',
};
const CARD_ZH: Record<AlertColour, string> = { yellow: '黄牌', orange: '橙牌', red: '红牌' };
const CHANGE_ZH = { opened: '新告警', escalated: '升级', overdue: '超时未处置', resolved: '已解除' } as const;

/** A local "YYYY-MM-DD HH:MM" (the city's clock). */
export function localClock(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${p.day} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

export function notificationTitle(n: NotifyAlert): string {
  return `【${CARD_ZH[n.colour]}】${KIND_ZH[n.alert.kind]} · ${n.alert.site_name ?? n.alert.site}`;
}

/** Markdown both robots render (headings, bold, quotes; no tables). */
export function notificationMarkdown(n: NotifyAlert, tz: string): string {
  const a = n.alert;
  const lines = [
    `### ${notificationTitle(n)}`,
    `> 事件：**${CHANGE_ZH[n.change]}**`,
    `> 站点：${a.site_name ?? a.site}（${a.site_kind === 'station' ? '驿站' : '座椅'} ${a.site}）${a.district ? ` · ${a.district}` : ''}`,
    ...(a.item ? [`> 物品：${a.item}`] : []),
    `> 详情：${a.detail}`,
    `> 发生：${localClock(a.opened_at, tz)}${a.deadline_at !== null ? ` · 处置时限 ${localClock(a.deadline_at, tz)}` : ''}`,
  ];
  return lines.join('\n');
}

/** The body of a plain JSON webhook. */
export function webhookBody(n: NotifyAlert): Record<string, unknown> {
  const a = n.alert;
  return {
    change_id: n.change_id,
    change: n.change,
    at: new Date(n.at).toISOString(),
    alert: {
      id: a.id,
      kind: a.kind,
      site: a.site,
      site_kind: a.site_kind,
      site_name: a.site_name,
      district: a.district,
      item: a.item,
      colour: n.colour,
      opened_at: new Date(a.opened_at).toISOString(),
      deadline_at: a.deadline_at === null ? null : new Date(a.deadline_at).toISOString(),
      detail: a.detail,
    },
  };
}
