/**
 * The words of an alert in zh-CN and English, made from its structured fields (kind, item, data)
 * rather than the stored English `detail`: the dashboard's catalogue takes these templates
 * (web/i18n/alerts.ts) and the WeCom / DingTalk messages fill them in the city's notification
 * language. Pure; `{name}` placeholders, filled by `fillWords`.
 */
import type { AlertColour, AlertKind } from './kinds.ts';

export type Locale = 'zh-CN' | 'en';

/** A template per kind; `offline_never` is an offline site that never sent anything. */
export type WordingKey = AlertKind | 'offline_never';

export const ALERT_KIND_WORDS: Record<Locale, Record<AlertKind, string>> = {
  en: {
    below_reorder: 'At or below reorder point',
    stock_out: 'Out of stock',
    predicted_stock_out: 'Will run out soon',
    low_battery: 'Low battery',
    night_autonomy: 'Battery will not last the night',
    solar_underperformance: 'Panel harvesting too little',
    offline: 'Offline',
    fault: 'Fault',
    unknown_item: 'Unregistered item',
    expiring: 'Expiring soon',
    unreturned: 'Umbrellas not returned',
  },
  'zh-CN': {
    below_reorder: '低于补货点',
    stock_out: '缺货',
    predicted_stock_out: '预计即将缺货',
    low_battery: '电量低',
    night_autonomy: '电量撑不过今晚',
    solar_underperformance: '太阳能板发电偏低',
    offline: '离线',
    fault: '故障',
    unknown_item: '未登记物品',
    expiring: '临近过期',
    unreturned: '雨伞未归还',
  },
};

export const ALERT_DETAIL_WORDS: Record<Locale, Record<WordingKey, string>> = {
  en: {
    below_reorder: '{item}: {on_hand} on hand, reorder point {reorder_point}',
    stock_out: '{item}: none on hand',
    predicted_stock_out: '{item}: {on_hand} on hand, predicted empty at {empty_at} (in {hours_left} h)',
    low_battery: 'Battery at {battery_soc} %',
    night_autonomy: 'Charge {charge_wh} Wh for an expected {need_wh} Wh until sunrise in {hours_to_sunrise} h',
    solar_underperformance: 'Harvested {solar_wh} Wh today; median of {peers} benches nearby {peers_median_wh} Wh',
    offline: 'No message since {last_seen}',
    offline_never: 'No message since it was registered',
    fault: 'Active faults: {codes}',
    unknown_item: 'Item code "{code}" is not registered',
    expiring: '{item}: {qty} on hand expire on {expires}',
    unreturned: '{item}: {count} lent and not returned (oldest {oldest})',
  },
  'zh-CN': {
    below_reorder: '{item}：现有 {on_hand}，补货点 {reorder_point}',
    stock_out: '{item}：已无库存',
    predicted_stock_out: '{item}：现有 {on_hand}，预计 {empty_at} 用完（约 {hours_left} 小时后）',
    low_battery: '电量 {battery_soc}%',
    night_autonomy: '现有电量 {charge_wh} Wh，距日出 {hours_to_sunrise} 小时预计需 {need_wh} Wh',
    solar_underperformance: '今日发电 {solar_wh} Wh，附近 {peers} 个座椅的中位数为 {peers_median_wh} Wh',
    offline: '自 {last_seen} 起无消息',
    offline_never: '登记后从未上报',
    fault: '当前故障：{codes}',
    unknown_item: '物品代码“{code}”未登记',
    expiring: '{item}：现有 {qty} 件于 {expires} 到期',
    unreturned: '{item}：{count} 把借出未还（最早 {oldest}）',
  },
};

export const CARD_WORDS: Record<Locale, Record<AlertColour, string>> = {
  en: { yellow: 'Yellow card', orange: 'Orange card', red: 'Red card' },
  'zh-CN': { yellow: '黄牌', orange: '橙牌', red: '红牌' },
};

/** Instants in `data` (formatted as times), and the other fields (numbers or text as they are). */
const TIME_FIELDS = new Set(['empty_at', 'last_seen', 'oldest']);

export interface WordingFormat {
  /** An item's name in the reader's language. */
  item: (code: string) => string;
  /** An instant (ISO 8601) as a local time. */
  time: (iso: string) => string;
  num: (n: number) => string;
  /** A list of codes ("a、b" / "a, b"). */
  list: (xs: string[]) => string;
}

export interface AlertFacts {
  kind: AlertKind;
  item: string | null;
  data: Record<string, unknown>;
}

export function wordingKey(a: AlertFacts): WordingKey {
  return a.kind === 'offline' && (a.data.last_seen === null || a.data.last_seen === undefined) ? 'offline_never' : a.kind;
}

/** The template's values from the alert's fields, formatted for the reader. */
export function wordingParams(a: AlertFacts, f: WordingFormat): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.data)) {
    if (typeof v === 'number') out[k] = f.num(v);
    else if (typeof v === 'string') out[k] = TIME_FIELDS.has(k) ? f.time(v) : v;
  }
  if (typeof a.data.codes === 'string') out.codes = f.list(a.data.codes.split(','));
  if (a.item !== null) {
    out.item = f.item(a.item);
    out.code = a.item;
  }
  return out;
}

/** Fill `{name}` placeholders; null when the alert lacks one of them (an older row without data). */
export function fillWords(template: string, params: Record<string, string>): string | null {
  let missing = false;
  const s = template.replace(/\{(\w+)\}/g, (_m, k: string) => {
    const v = params[k];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? null : s;
}

/** The alert in words: its detail template filled, or its kind's name when the data is incomplete. */
export function alertWords(locale: Locale, a: AlertFacts, f: WordingFormat): string {
  return fillWords(ALERT_DETAIL_WORDS[locale][wordingKey(a)], wordingParams(a, f)) ?? ALERT_KIND_WORDS[locale][a.kind];
}
