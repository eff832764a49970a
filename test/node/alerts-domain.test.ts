import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { forecastStockOut, hourOfWeekProfile, slotOf } from '../../worker/domain/forecast.ts';
import { kindLadder, siteCard, type HistoryAlert } from '../../worker/domain/alerts/cards.ts';
import { Settings } from '../../worker/domain/alerts/settings.ts';
import { stationConditions, type StationFacts } from '../../worker/domain/alerts/station-rules.ts';
import { benchConditions, solarConditions } from '../../worker/domain/alerts/bench-rules.ts';
import { reconcile, type OpenAlert } from '../../worker/domain/alerts/reconcile.ts';
import { dingtalkSign, webhookSignature } from '../../worker/notify/channels.ts';

const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const flat = (perHour: number) => new Array(168).fill(perHour);
/** 2026-07-21 (a Tuesday) at a local hour in Shanghai (UTC+8). */
const at = (hour: number, day = 21) => Date.UTC(2026, 6, day, hour - 8);

describe('stock-out forecast', () => {
  it('a station using 4 an hour with 20 left is predicted empty in 5 hours', () => {
    const now = at(9);
    const f = forecastStockOut({ onHand: 20, now, tz: TZ, profile: flat(4) });
    expect(f.hoursLeft).toBeCloseTo(5, 9);
    expect(f.emptyAt).toBe(now + 5 * HOUR);
  });

  it('the hours the station is closed use nothing: 20 left at 18:00, 4 an hour, open 08-20 → empty at 11:00 next day', () => {
    const f = forecastStockOut({ onHand: 20, now: at(18), tz: TZ, profile: flat(4), openingHours: 'Mo-Su 08:00-20:00' });
    // 8 used by 20:00, 12 left; closed until 08:00; 3 more hours.
    expect(f.emptyAt).toBe(at(11, 22));
  });

  it('the trend scales the profile: twice the usual demand empties 20 in 2.5 h', () => {
    const f = forecastStockOut({ onHand: 20, now: at(9), tz: TZ, profile: flat(4), trend: 2 });
    expect(f.hoursLeft).toBeCloseTo(2.5, 9);
  });

  it('a burst the profile does not know of (a downpour) carries on, halving every 2 h: 3 left at 2 an hour → empty in 1 + 1/√2 h', () => {
    // Hour 0 at 2/h uses 2 (1 left); hour 1 runs at 2 × 0.5^(1/2) = √2 per hour, so the last one goes after 1/√2 h.
    const f = forecastStockOut({ onHand: 3, now: at(9), tz: TZ, profile: flat(0), burstRate: 2, maxHours: 6 });
    expect(f.hoursLeft).toBeCloseTo(1 + 1 / Math.SQRT2, 9);
  });

  it('a fading burst does not empty a full stand, and never outweighs a higher usual demand', () => {
    // All a 2/h burst can still take: 2 / (1 − 2^(−1/2)) ≈ 6.8 items, far short of 20.
    expect(forecastStockOut({ onHand: 20, now: at(9), tz: TZ, profile: flat(0), burstRate: 2 }).emptyAt).toBeNull();
    expect(forecastStockOut({ onHand: 20, now: at(9), tz: TZ, profile: flat(4), burstRate: 1 }).hoursLeft).toBeCloseTo(5, 9);
  });

  it('a burst takes nothing while the station is closed', () => {
    const f = forecastStockOut({ onHand: 3, now: at(20), tz: TZ, profile: flat(0), burstRate: 2, openingHours: 'Mo-Su 08:00-20:00' });
    // By 08:00 the burst has faded to 2 × 0.5^6 = 1/32 an hour: 3 items would take days.
    expect(f.emptyAt).toBeNull();
  });

  it('the hour-of-week profile averages each slot over the days it occurred', () => {
    // Two Tuesdays; 6 at 10:00 on the first, 2 on the second; nothing else.
    const p = hourOfWeekProfile(
      [
        { day: '2026-07-14', hour: 10, qty: 6 },
        { day: '2026-07-21', hour: 10, qty: 2 },
      ],
      ['2026-07-14', '2026-07-15', '2026-07-21'],
    );
    expect(p[slotOf('2026-07-21', 10)]).toBe(4);
    expect(p[slotOf('2026-07-15', 10)]).toBe(0);
    expect(p.reduce((a, b) => a + b, 0)).toBe(4);
  });
});

const stationFacts = (over: Partial<StationFacts> = {}): StationFacts => ({
  id: 'st-1',
  opening_hours: '24/7',
  last_seen: at(9),
  since: at(0, 1),
  has_devices: true,
  faults: [],
  items: [],
  batches: [],
  loans: [],
  ...over,
});

describe('station rules', () => {
  const cfg = new Settings();
  const none = new Set<string>();

  it('predicted_stock_out names the predicted empty time, within the 6-hour horizon only', () => {
    const now = at(9);
    const item = { item: 'water', on_hand: 20, reorder_point: 5, registered: true, profile: flat(4), trend: 1 };
    const [c] = stationConditions(stationFacts({ items: [item] }), cfg, none, now, TZ);
    expect(c).toMatchObject({ kind: 'predicted_stock_out', item: 'water' });
    expect(c!.data.empty_at).toBe(new Date(now + 5 * HOUR).toISOString());
    expect(c!.detail).toContain(new Date(now + 5 * HOUR).toISOString());
    // 40 left lasts 10 h: no alert.
    expect(stationConditions(stationFacts({ items: [{ ...item, on_hand: 40 }] }), cfg, none, now, TZ)).toEqual([]);
  });

  it('expiring counts only batches still on hand (first in, first out)', () => {
    const now = at(9);
    const facts = stationFacts({
      items: [{ item: 'medicine_kit', on_hand: 10, reorder_point: null, registered: true, profile: null, trend: 1 }],
      batches: [
        { item: 'medicine_kit', ts: now - 60 * DAY, qty: 20, expires: '2026-08-01' }, // older: used up by now
        { item: 'medicine_kit', ts: now - 5 * DAY, qty: 10, expires: '2027-03-01' },
      ],
    });
    expect(stationConditions(facts, cfg, none, now, TZ)).toEqual([]);
    facts.items[0]!.on_hand = 14; // 4 of the older batch are still there
    const [c] = stationConditions(facts, cfg, none, now, TZ);
    expect(c).toMatchObject({ kind: 'expiring', item: 'medicine_kit', data: { qty: 4, expires: '2026-08-01' } });
  });

  it('unreturned: returns settle the oldest loans first; a loan older than 3 days is late', () => {
    const now = at(9);
    const facts = stationFacts({
      loans: [
        { item: 'umbrella', ts: now - 5 * DAY, type: 'lend', qty: 2 },
        { item: 'umbrella', ts: now - 4 * DAY, type: 'lend', qty: 1 },
        { item: 'umbrella', ts: now - 1 * DAY, type: 'return', qty: 2 },
      ],
    });
    const [c] = stationConditions(facts, cfg, none, now, TZ);
    expect(c).toMatchObject({ kind: 'unreturned', item: 'umbrella', data: { count: 1 } });
  });

  it('offline after an hour without a message; unknown items are listed', () => {
    const facts = stationFacts({
      last_seen: at(7),
      items: [{ item: 'fan', on_hand: 3, reorder_point: null, registered: false, profile: null, trend: 1 }],
    });
    const kinds = stationConditions(facts, cfg, none, at(9), TZ)
      .map((c) => c.kind)
      .sort();
    expect(kinds).toEqual(['offline', 'unknown_item']);
  });
});

describe('bench rules', () => {
  const cfg = new Settings();
  const bench = {
    id: 'b-1',
    lat: 36.45,
    lon: 115.98,
    last_seen: at(21),
    since: at(0, 1),
    battery_soc: 30,
    night_load_w: 60,
    faults: [],
    solar_today_wh: 300,
  };

  it('night autonomy: 30 % of 1200 Wh is short of 60 W until sunrise (with 20 % reserve); 90 % is enough', () => {
    const now = at(21); // 21:00, sunrise ~05:20
    const [c] = benchConditions(bench, cfg, new Set(), now);
    expect(c!.kind).toBe('night_autonomy');
    const hours = c!.data.hours_to_sunrise as number;
    expect(hours).toBeGreaterThan(7.5);
    expect(hours).toBeLessThan(9);
    expect(c!.data.charge_wh).toBe(360);
    expect(Math.abs((c!.data.need_wh as number) - 60 * hours * 1.2)).toBeLessThan(5);
    expect(benchConditions({ ...bench, battery_soc: 90 }, cfg, new Set(), now)).toEqual([]);
    // In the morning sun the same charge raises nothing.
    expect(benchConditions(bench, cfg, new Set(), at(10))).toEqual([]);
  });

  it('solar underperformance against the median of benches nearby', () => {
    const peers = [
      { id: 'a', lat: 36.45, lon: 115.98, solar_today_wh: 400 },
      { id: 'b', lat: 36.451, lon: 115.981, solar_today_wh: 420 },
      { id: 'c', lat: 36.452, lon: 115.982, solar_today_wh: 380 },
      { id: 'dirty', lat: 36.4505, lon: 115.9805, solar_today_wh: 120 },
      { id: 'far', lat: 37.5, lon: 117, solar_today_wh: 10 },
    ];
    const found = solarConditions(peers, cfg, new Set());
    expect(found.map((c) => c.site)).toEqual(['dirty']);
    expect(found[0]!.data).toEqual({ solar_wh: 120, peers_median_wh: 400, peers: 3 });
  });
});

const alert = (id: string, opened: number, resolved: number | null, deadline: number | null = null): HistoryAlert => ({
  id,
  kind: 'stock_out',
  item: 'water',
  opened_at: opened,
  resolved_at: resolved,
  deadline_at: deadline,
});
const ladder = { windowDays: 7, cleanDays: 3 };

describe('four-colour card ladder (一卡四色)', () => {
  const t0 = at(9, 1);
  it('first problem yellow, the same again within the window orange, repeated and past its deadline red', () => {
    const a1 = alert('a1', t0, t0 + HOUR);
    expect(kindLadder('stock_out', [a1], t0 + 2 * HOUR, ladder).card.colour).toBe('yellow');
    const a2 = alert('a2', t0 + DAY, null, t0 + DAY + 2 * HOUR);
    expect(kindLadder('stock_out', [a1, a2], t0 + DAY + HOUR, ladder).card.colour).toBe('orange');
    const l = kindLadder('stock_out', [a1, a2], t0 + DAY + 3 * HOUR, ladder);
    expect(l.card.colour).toBe('red');
    expect(l.history.map((h) => [h.colour, h.reason])).toEqual([
      ['yellow', 'first'],
      ['orange', 'repeat'],
      ['red', 'overdue_repeat'],
    ]);
  });

  it('steps down one colour per clean period, never while an alert is open', () => {
    const a1 = alert('a1', t0, t0 + HOUR);
    const a2 = alert('a2', t0 + DAY, t0 + DAY + 5 * HOUR, t0 + DAY + 2 * HOUR);
    const resolved = t0 + DAY + 5 * HOUR;
    expect(kindLadder('stock_out', [a1, a2], resolved + 3 * DAY - 1, ladder).card.colour).toBe('red');
    expect(kindLadder('stock_out', [a1, a2], resolved + 3 * DAY, ladder).card.colour).toBe('orange');
    expect(kindLadder('stock_out', [a1, a2], resolved + 9 * DAY, ladder).card.colour).toBe('blue');
    const stillOpen = alert('a3', t0, null);
    expect(kindLadder('stock_out', [stillOpen], t0 + 30 * DAY, ladder).card.colour).toBe('yellow');
  });

  it("a site's card is the worst of its kinds, with the reasons", () => {
    const c = siteCard(
      [
        alert('a1', t0, null),
        { ...alert('f1', t0, null), kind: 'fault', item: null },
        { ...alert('f2', t0 + HOUR, null), kind: 'fault', item: null },
      ],
      t0 + 2 * HOUR,
      ladder,
    );
    expect(c.colour).toBe('orange');
    expect(c.reasons.map((r) => [r.kind, r.colour])).toEqual([
      ['fault', 'orange'],
      ['stock_out', 'yellow'],
    ]);
    expect(c.since).toBe(t0 + HOUR);
  });
});

describe('reconcile', () => {
  const settings = new Settings();
  const base = { settings, ladder: () => ladder, history: [], inScope: () => true };
  let n = 0;
  const newId = () => `id${++n}`;
  const cond = {
    site: 's',
    site_kind: 'station' as const,
    kind: 'stock_out' as const,
    item: 'water',
    detail: 'water: none on hand',
    data: { on_hand: 0 },
  };
  const open = (over: Partial<OpenAlert> = {}): OpenAlert => ({
    id: 'A',
    kind: 'stock_out',
    site: 's',
    site_kind: 'station',
    item: 'water',
    colour: 'yellow',
    opened_at: at(8),
    clear_since: null,
    deadline_at: at(10),
    detail: cond.detail,
    data: JSON.stringify(cond.data),
    overdue_noted: false,
    ...over,
  });

  it('opens once, keeps, marks clear, resolves after the dwell, and marks overdue once', () => {
    const w1 = reconcile({ ...base, now: at(9), conditions: [cond], open: [], newId });
    expect(w1.map((w) => w.change?.change)).toEqual(['opened']);
    expect(w1[0]!.open!.colour).toBe('yellow');
    expect(reconcile({ ...base, now: at(9), conditions: [cond], open: [open()], newId })).toEqual([]);
    expect(reconcile({ ...base, now: at(9), conditions: [], open: [open()], newId })).toEqual([
      { update: { id: 'A', detail: cond.detail, data: JSON.stringify(cond.data), clear_since: at(9) } },
    ]);
    expect(reconcile({ ...base, now: at(9) + 9 * 60_000, conditions: [], open: [open({ clear_since: at(9) })], newId })).toEqual([]);
    const res = reconcile({ ...base, now: at(9) + 10 * 60_000, conditions: [], open: [open({ clear_since: at(9) })], newId });
    expect(res.map((w) => [w.resolve?.id, w.change?.change])).toEqual([['A', 'resolved']]);
    const late = reconcile({ ...base, now: at(11), conditions: [cond], open: [open()], newId });
    expect(late.map((w) => w.change?.change)).toEqual(['overdue']);
    expect(reconcile({ ...base, now: at(11), conditions: [cond], open: [open({ overdue_noted: true })], newId })).toEqual([]);
  });
});

describe('notification signatures', () => {
  it('DingTalk: base64 HMAC-SHA256 of timestamp + "\\n" + secret, keyed by the secret', async () => {
    const secret = 'SECabc123';
    const ts = 1753077720000;
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    expect(await dingtalkSign(secret, ts)).toBe(expected);
  });

  it('webhook: sha256= hex HMAC of timestamp + "." + body', async () => {
    const body = '{"a":1}';
    expect(await webhookSignature('k', 1753077720, body)).toBe(
      `sha256=${createHmac('sha256', 'k').update(`1753077720.${body}`).digest('hex')}`,
    );
  });
});
