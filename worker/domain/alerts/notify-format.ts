/**
 * The words of a notification: one alert change as a short markdown message for the WeCom and
 * DingTalk group robots, in the city's notification language (`NOTIFY_LOCALE`: zh-CN by default,
 * or en), and as JSON for plain webhooks. The alert's line is made from its kind, item and data
 * with the same templates the dashboard uses (./wording.ts), never the stored English `detail`.
 * Pure.
 */
import { localParts } from '../local-time.ts';
import type { AlertColour, AlertKind } from './kinds.ts';
import { ALERT_KIND_WORDS, alertWords, CARD_WORDS, type Locale } from './wording.ts';

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
    /** The item's registered names (null: not named). */
    item_name_zh: string | null;
    item_name_en: string | null;
    opened_at: number;
    deadline_at: number | null;
    detail: string;
    data: Record<string, unknown>;
  };
}

const LABELS = {
  'zh-CN': {
    change: { opened: '新告警', escalated: '升级', overdue: '超时未处置', resolved: '已解除' },
    site_kind: { station: '驿站', bench: '座椅' },
    event: '事件',
    site: '站点',
    item: '物品',
    detail: '详情',
    opened: '发生',
    deadline: '处置时限',
    sep: '：',
    list: '、',
    paren: (s: string) => `（${s}）`,
  },
  en: {
    change: { opened: 'New alert', escalated: 'Escalated', overdue: 'Past its deadline', resolved: 'Resolved' },
    site_kind: { station: 'station', bench: 'bench' },
    event: 'Event',
    site: 'Site',
    item: 'Item',
    detail: 'Detail',
    opened: 'Opened',
    deadline: 'deadline',
    sep: ': ',
    list: ', ',
    paren: (s: string) => ` (${s})`,
  },
} as const;

/** A local "YYYY-MM-DD HH:MM" (the city's clock). */
export function localClock(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${p.day} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

function itemName(a: NotifyAlert['alert'], locale: Locale): string {
  if (a.item === null) return '';
  return (locale === 'zh-CN' ? (a.item_name_zh ?? a.item_name_en) : (a.item_name_en ?? a.item_name_zh)) ?? a.item;
}

export function notificationTitle(n: NotifyAlert, locale: Locale = 'zh-CN'): string {
  const name = n.alert.site_name ?? n.alert.site;
  return locale === 'zh-CN'
    ? `【${CARD_WORDS[locale][n.colour]}】${ALERT_KIND_WORDS[locale][n.alert.kind]} · ${name}`
    : `[${CARD_WORDS[locale][n.colour]}] ${ALERT_KIND_WORDS[locale][n.alert.kind]} · ${name}`;
}

/** Markdown both robots render (headings, bold, quotes; no tables). */
export function notificationMarkdown(n: NotifyAlert, tz: string, locale: Locale = 'zh-CN'): string {
  const a = n.alert;
  const L = LABELS[locale];
  const words = alertWords(locale, a, {
    item: () => itemName(a, locale),
    time: (iso) => localClock(Date.parse(iso), tz),
    num: (x) => String(Math.round(x * 10) / 10),
    list: (xs) => xs.join(L.list),
  });
  const lines = [
    `### ${notificationTitle(n, locale)}`,
    `> ${L.event}${L.sep}**${L.change[n.change]}**`,
    `> ${L.site}${L.sep}${a.site_name ?? a.site}${L.paren(`${L.site_kind[a.site_kind]} ${a.site}`)}${a.district ? ` · ${a.district}` : ''}`,
    ...(a.item ? [`> ${L.item}${L.sep}${itemName(a, locale)}`] : []),
    `> ${L.detail}${L.sep}${words}`,
    `> ${L.opened}${L.sep}${localClock(a.opened_at, tz)}${a.deadline_at !== null ? ` · ${L.deadline} ${localClock(a.deadline_at, tz)}` : ''}`,
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
      data: a.data,
    },
  };
}
