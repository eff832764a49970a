/**
 * Rules for a rest station: given its current state and the thresholds, the conditions that hold
 * now. `open` says which alerts are open already: an open one is held to the clearing threshold
 * (hysteresis), a new one must cross the opening threshold. Pure.
 */
import { forecastStockOut } from '../forecast.ts';
import { addDays, localDay } from '../local-time.ts';
import { alertKey, type Condition } from './kinds.ts';
import type { Settings } from './settings.ts';

const DAY = 86_400_000;

export interface StationItemFacts {
  item: string;
  on_hand: number | null;
  reorder_point: number | null;
  /** false: a code first seen in telemetry that no admin has named yet. */
  registered: boolean;
  /** Hour-of-week profile (168 means), or null when there is no history. */
  profile: number[] | null;
  /** Trend factor from the last hours (1 = as usual). */
  trend: number;
  /** Items an hour over the last few hours (see forecast.ts recentRate); a burst the profile misses. */
  burst?: number;
}

export interface StationFacts {
  id: string;
  opening_hours: string;
  /** Newest message from any of its devices (server time), or null. */
  last_seen: number | null;
  /** When the station (or its first device) was registered: offline counts from there. */
  since: number;
  /** Whether it has any enabled device (no device: nothing to be offline). */
  has_devices: boolean;
  faults: string[];
  items: StationItemFacts[];
  /** Restocks that carried an expiry date, any order. */
  batches: Array<{ item: string; ts: number; qty: number; expires: string }>;
  /** Lends and returns, any order. */
  loans: Array<{ item: string; ts: number; type: 'lend' | 'return'; qty: number }>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function stationConditions(s: StationFacts, cfg: Settings, open: ReadonlySet<string>, now: number, tz: string): Condition[] {
  const out: Condition[] = [];
  const add = (kind: Condition['kind'], item: string | null, detail: string, data: Condition['data']) =>
    out.push({ site: s.id, site_kind: 'station', kind, item, detail, data });
  const isOpen = (kind: string, item: string | null) => open.has(alertKey({ site: s.id, kind, item }));

  if (s.has_devices) {
    const limit = cfg.get('offline_min_station', s.id) * 60_000;
    const last = s.last_seen ?? s.since;
    if (now - last > limit) {
      add(
        'offline',
        null,
        s.last_seen === null ? `no message since registration ${iso(s.since)}` : `no message since ${iso(s.last_seen)}`,
        {
          last_seen: s.last_seen === null ? null : iso(s.last_seen),
          minutes: Math.floor((now - last) / 60_000),
        },
      );
    }
  }
  if (s.faults.length) add('fault', null, `active faults: ${s.faults.join(', ')}`, { codes: s.faults.join(',') });

  for (const it of s.items) {
    if (!it.registered) add('unknown_item', it.item, `item code "${it.item}" is not in the registry; name it with POST /api/v1/items`, {});
    if (it.on_hand === null) continue;
    const q = it.on_hand;
    if (q <= 0) {
      add('stock_out', it.item, `${it.item}: none on hand`, { on_hand: q });
      continue; // an empty item is a stock-out, not also "below reorder" or "predicted"
    }
    if (it.reorder_point !== null) {
      const margin = cfg.get('reorder_clear_margin', s.id, it.item);
      const holds = isOpen('below_reorder', it.item) ? q < it.reorder_point + margin : q <= it.reorder_point;
      if (holds)
        add('below_reorder', it.item, `${it.item}: ${q} on hand, reorder point ${it.reorder_point}`, {
          on_hand: q,
          reorder_point: it.reorder_point,
        });
    }
    if (it.profile) {
      const horizon = cfg.get(isOpen('predicted_stock_out', it.item) ? 'predict_clear_hours' : 'predict_hours', s.id, it.item);
      const f = forecastStockOut({
        onHand: q,
        now,
        tz,
        profile: it.profile,
        trend: it.trend,
        burstRate: it.burst,
        openingHours: s.opening_hours,
        maxHours: horizon,
      });
      if (f.emptyAt !== null && f.hoursLeft !== null) {
        add(
          'predicted_stock_out',
          it.item,
          `${it.item}: ${q} on hand; predicted empty at ${iso(f.emptyAt)} (in ${f.hoursLeft.toFixed(1)} h)`,
          {
            on_hand: q,
            empty_at: iso(f.emptyAt),
            hours_left: Math.round(f.hoursLeft * 10) / 10,
            rate_per_hour: Math.round(f.ratePerOpenHour * 100) / 100,
          },
        );
      }
    }
  }

  for (const c of expiringBatches(s, cfg, now, tz)) out.push(c);
  for (const c of unreturnedLoans(s, cfg, now)) out.push(c);
  return out;
}

/**
 * Batches still on hand, first in first out: the stock on hand is the newest restocks, so a batch
 * is (partly) there while on_hand exceeds what the restocks after it brought.
 */
function expiringBatches(s: StationFacts, cfg: Settings, now: number, tz: string): Condition[] {
  const out: Condition[] = [];
  const today = localDay(now, tz);
  const byItem = new Map<string, StationFacts['batches']>();
  for (const b of s.batches) {
    let l = byItem.get(b.item);
    if (!l) byItem.set(b.item, (l = []));
    l.push(b);
  }
  for (const [item, list] of byItem) {
    const onHand = s.items.find((i) => i.item === item)?.on_hand ?? 0;
    list.sort((a, b) => b.ts - a.ts); // newest first
    const limit = addDays(today, cfg.get('expiring_days', s.id, item));
    let newer = 0;
    let soonest: { expires: string; qty: number } | null = null;
    for (const b of list) {
      if (onHand <= newer) break; // this batch and older ones are used up
      const there = Math.min(b.qty, onHand - newer);
      if (b.expires <= limit && (!soonest || b.expires < soonest.expires)) soonest = { expires: b.expires, qty: there };
      newer += b.qty;
    }
    if (soonest) {
      out.push({
        site: s.id,
        site_kind: 'station',
        kind: 'expiring',
        item,
        detail: `${item}: ${soonest.qty} on hand ${soonest.expires < today ? 'expired' : 'expire'} on ${soonest.expires}`,
        data: { qty: soonest.qty, expires: soonest.expires },
      });
    }
  }
  return out;
}

/** Lends not matched by returns (returns settle the oldest loans first) older than the limit. */
function unreturnedLoans(s: StationFacts, cfg: Settings, now: number): Condition[] {
  const out: Condition[] = [];
  const items = new Set(s.loans.map((l) => l.item));
  for (const item of items) {
    const ev = s.loans.filter((l) => l.item === item).sort((a, b) => a.ts - b.ts || (a.type === 'lend' ? -1 : 1));
    const outstanding: Array<{ ts: number; qty: number }> = [];
    for (const e of ev) {
      if (e.type === 'lend') outstanding.push({ ts: e.ts, qty: e.qty });
      else {
        let q = e.qty;
        while (q > 0 && outstanding.length) {
          const first = outstanding[0]!;
          const take = Math.min(q, first.qty);
          first.qty -= take;
          q -= take;
          if (first.qty === 0) outstanding.shift();
        }
      }
    }
    const limit = now - cfg.get('unreturned_days', s.id, item) * DAY;
    const late = outstanding.filter((o) => o.ts <= limit);
    const n = late.reduce((a, o) => a + o.qty, 0);
    if (n > 0) {
      const oldest = late[0]!.ts;
      out.push({
        site: s.id,
        site_kind: 'station',
        kind: 'unreturned',
        item,
        detail: `${item}: ${n} lent before ${iso(limit)} not returned (oldest ${iso(oldest)})`,
        data: { count: n, oldest: iso(oldest) },
      });
    }
  }
  return out;
}
