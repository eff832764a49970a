/**
 * What the simulator sent, counted the way the contract says the server must count it: each
 * (device, seq) once however often it was resent; supply movements by the local day of their
 * `ts`; and, like the server, level drops between two stock readings that the events in between
 * do not explain (items handed out by hand, a jammed dispenser) counted as inferred hand-outs.
 */
import { CITY_TZ, localDay } from './clock.ts';
import type { Message } from './messages.ts';

export interface SupplyTotals {
  /** Dispense events plus unexplained level drops (as the API's supplies report counts them). */
  dispensed: number;
  /** Restock events plus unexplained level rises. */
  restocked: number;
  lent: number;
  returned: number;
  dispensed_inferred: number;
  restocked_inferred: number;
}

export function tsMs(ts: string | number): number {
  return typeof ts === 'number' ? ts : Date.parse(ts);
}

interface StockReading {
  ts: number;
  /** The server orders readings with equal ts by their key, the seq in decimal. */
  key: string;
  level: number;
}

interface ItemEvent {
  ts: number;
  type: 'dispense' | 'restock' | 'lend' | 'return';
  qty: number;
}

interface DeviceLog {
  seen: Set<number>;
  stock: Map<string, StockReading[]>;
  events: Map<string, ItemEvent[]>;
}

const zero = (): SupplyTotals => ({ dispensed: 0, restocked: 0, lent: 0, returned: 0, dispensed_inferred: 0, restocked_inferred: 0 });

export class SentLedger {
  private readonly devices = new Map<string, DeviceLog>();
  /** day → sessions / energy, by the local day a session started */
  readonly charging = new Map<string, { sessions: number; energy_wh: number }>();
  messages = 0;
  private readonly tz: string;

  constructor(tz = CITY_TZ) {
    this.tz = tz;
  }

  /** Record messages the server accepted (or answered as duplicates). */
  record(device: string, messages: readonly Message[]): void {
    let log = this.devices.get(device);
    if (!log) this.devices.set(device, (log = { seen: new Set(), stock: new Map(), events: new Map() }));
    for (const m of messages) {
      if (log.seen.has(m.seq)) continue;
      log.seen.add(m.seq);
      this.messages++;
      if (m.type === 'dispense' || m.type === 'restock' || m.type === 'lend' || m.type === 'return') {
        push(log.events, m.item, { ts: tsMs(m.ts), type: m.type, qty: m.qty });
      } else if (m.type === 'stock') {
        for (const [item, level] of Object.entries(m.levels)) push(log.stock, item, { ts: tsMs(m.ts), key: String(m.seq), level });
      } else if (m.type === 'charging_session') {
        const day = localDay(tsMs(m.started_at), this.tz);
        const c = this.charging.get(day) ?? { sessions: 0, energy_wh: 0 };
        c.sessions++;
        c.energy_wh += m.energy_wh;
        this.charging.set(day, c);
      }
    }
  }

  /** Supply totals per item for one local day, summed over every device. */
  suppliesOn(day: string): Record<string, SupplyTotals> {
    const out: Record<string, SupplyTotals> = {};
    const add = (item: string) => (out[item] ??= zero());
    for (const log of this.devices.values()) {
      for (const [item, events] of log.events) {
        for (const e of events) {
          if (localDay(e.ts, this.tz) !== day) continue;
          const t = add(item);
          if (e.type === 'dispense') t.dispensed += e.qty;
          else if (e.type === 'restock') t.restocked += e.qty;
          else if (e.type === 'lend') t.lent += e.qty;
          else t.returned += e.qty;
        }
      }
      for (const [item, readings] of log.stock) {
        const sorted = [...readings].sort((a, b) => a.ts - b.ts || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        const events = log.events.get(item) ?? [];
        for (let i = 1; i < sorted.length; i++) {
          const cur = sorted[i]!;
          if (localDay(cur.ts, this.tz) !== day) continue;
          const prev = sorted[i - 1]!;
          let explained = 0;
          for (const e of events)
            if (e.ts > prev.ts && e.ts <= cur.ts) explained += e.type === 'dispense' || e.type === 'lend' ? -e.qty : e.qty;
          const u = cur.level - prev.level - explained;
          if (u === 0) continue;
          const t = add(item);
          if (u < 0) {
            t.dispensed_inferred -= u;
            t.dispensed -= u;
          } else {
            t.restocked_inferred += u;
            t.restocked += u;
          }
        }
      }
    }
    return out;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
