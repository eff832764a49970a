import { describe, expect, it } from 'vitest';
import { notificationMarkdown, notificationTitle, type NotifyAlert } from '../../worker/domain/alerts/notify-format.ts';
import { ALERT_DETAIL_WORDS, ALERT_KIND_WORDS, alertWords } from '../../worker/domain/alerts/wording.ts';
import { ALERT_KINDS } from '../../worker/domain/alerts/kinds.ts';
import { byStanding, standing } from '../../worker/domain/alerts/standing.ts';
import type { Card } from '../../worker/domain/alerts/cards.ts';

const TZ = 'Asia/Shanghai';
/** 2026-07-21 at a local hour and minute in Shanghai (UTC+8). */
const at = (hour: number, minute = 0) => Date.UTC(2026, 6, 21, hour - 8, minute);

const change = (over: Partial<NotifyAlert['alert']> = {}): NotifyAlert => ({
  change_id: 'c1',
  change: 'opened',
  at: at(9, 5),
  colour: 'yellow',
  alert: {
    id: 'a1',
    kind: 'stock_out',
    site: 'st-01',
    site_kind: 'station',
    site_name: '人民广场驿站',
    district: '东昌府区',
    item: 'water',
    item_name_zh: '饮用水',
    item_name_en: 'Drinking water',
    opened_at: at(9, 5),
    deadline_at: at(11, 5),
    detail: 'water: none on hand',
    data: { on_hand: 0 },
    ...over,
  },
});

describe('notification words', () => {
  it('a stock-out in zh-CN: every line in Chinese, the detail from the data, times in the city', () => {
    expect(notificationMarkdown(change(), TZ)).toBe(
      [
        '### 【黄牌】缺货 · 人民广场驿站',
        '> 事件：**新告警**',
        '> 站点：人民广场驿站（驿站 st-01） · 东昌府区',
        '> 物品：饮用水',
        '> 详情：饮用水：已无库存',
        '> 发生：2026-07-21 09:05 · 处置时限 2026-07-21 11:05',
      ].join('\n'),
    );
  });

  it('the same change in English when the city notifies in English', () => {
    const n = { ...change(), colour: 'orange' as const, change: 'escalated' as const };
    expect(notificationTitle(n, 'en')).toBe('[Orange card] Out of stock · 人民广场驿站');
    expect(notificationMarkdown(n, TZ, 'en')).toBe(
      [
        '### [Orange card] Out of stock · 人民广场驿站',
        '> Event: **Escalated**',
        '> Site: 人民广场驿站 (station st-01) · 东昌府区',
        '> Item: Drinking water',
        '> Detail: Drinking water: none on hand',
        '> Opened: 2026-07-21 09:05 · deadline 2026-07-21 11:05',
      ].join('\n'),
    );
  });

  it('a predicted stock-out names the predicted empty time in local time; an alert without data falls back to its kind', () => {
    const fmt = { item: (c: string) => c, time: (iso: string) => iso.slice(11, 16), num: String, list: (xs: string[]) => xs.join('、') };
    const p = {
      kind: 'predicted_stock_out' as const,
      item: 'water',
      data: { on_hand: 12, empty_at: '2026-07-21T07:30:00.000Z', hours_left: 4.5 },
    };
    expect(alertWords('zh-CN', p, fmt)).toBe('water：现有 12，预计 07:30 用完（约 4.5 小时后）');
    expect(alertWords('en', p, fmt)).toBe('water: 12 on hand, predicted empty at 07:30 (in 4.5 h)');
    expect(alertWords('zh-CN', { kind: 'below_reorder', item: 'water', data: {} }, fmt)).toBe('低于补货点');
    expect(alertWords('zh-CN', { kind: 'offline', item: null, data: { last_seen: null, minutes: 90 } }, fmt)).toBe('登记后从未上报');
    expect(alertWords('en', { kind: 'fault', item: null, data: { codes: 'door,usb2' } }, { ...fmt, list: (xs) => xs.join(', ') })).toBe(
      'Active faults: door, usb2',
    );
  });

  it('every kind has its name and a detail template in both languages, with the same placeholders', () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const kind of ALERT_KINDS) {
      expect(ALERT_KIND_WORDS['zh-CN'][kind]).toMatch(/\p{Script=Han}/u);
      expect(ALERT_KIND_WORDS.en[kind]).not.toMatch(/\p{Script=Han}/u);
      expect(holes(ALERT_DETAIL_WORDS['zh-CN'][kind])).toEqual(holes(ALERT_DETAIL_WORDS.en[kind]));
    }
  });
});

describe('emergency rule: nothing urgent hides behind a card', () => {
  const card = (colour: Card['colour'], overdue = 0): Card => ({
    colour,
    since: colour === 'blue' ? null : 1,
    reasons: colour === 'blue' ? [] : [{ kind: 'stock_out', colour, recent: 1, open: 1, overdue }],
    history: [],
  });

  it('red current severity is urgent even on a blue card; an overdue alert is urgent; a yellow card alone is not', () => {
    expect(standing(card('blue'), { grade: 'red', reasons: ['stock_out'] }).urgent).toBe(true);
    expect(standing(card('orange', 1), { grade: 'blue', reasons: [] }).urgent).toBe(true);
    expect(standing(card('yellow'), { grade: 'orange', reasons: ['fault'] }).urgent).toBe(false);
  });

  it('sorts urgent sites first, then by card colour, then by current severity', () => {
    const s = (colour: Card['colour'], urgent: boolean, grade: 'blue' | 'yellow' | 'orange' | 'red', id: string) => ({
      id,
      card: { colour, urgent },
      health: { grade },
    });
    const list = [
      s('red', false, 'blue', 'a'),
      s('yellow', true, 'red', 'b'),
      s('blue', false, 'orange', 'c'),
      s('blue', false, 'blue', 'd'),
      s('orange', false, 'blue', 'e'),
    ];
    expect([...list].sort(byStanding).map((x) => x.id)).toEqual(['b', 'a', 'e', 'c', 'd']);
  });
});
