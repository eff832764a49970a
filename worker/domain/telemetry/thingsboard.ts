import { namedReading } from './named.ts';
import type { Outcome, Window } from './reading.ts';

export type ThingsBoardResult = { ok: true; outcomes: Outcome[] } | { ok: false; pointer: string; message: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * ThingsBoard's device HTTP API bodies: flat {key: value} at server time, {ts, values}, or an
 * array of those. `index` is the entry's position (0 for a single object).
 */
export function parseThingsBoard(body: unknown, w: Window): ThingsBoardResult {
  const entries = Array.isArray(body) ? body : [body];
  if (entries.length === 0) return { ok: true, outcomes: [] };
  const outcomes: Outcome[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const at = Array.isArray(body) ? `/${i}` : '';
    if (!isPlainObject(e)) return { ok: false, pointer: at, message: 'each entry must be an object: {"key": value} or {"ts": ms, "values": {...}}' };
    let ts = w.now;
    let values: Record<string, unknown> = e;
    if ('values' in e) {
      if (!isPlainObject(e.values)) return { ok: false, pointer: `${at}/values`, message: 'values must be an object of key → value' };
      if (typeof e.ts !== 'number' || !Number.isSafeInteger(e.ts) || e.ts < 0) return { ok: false, pointer: `${at}/ts`, message: 'ts must be integer epoch milliseconds' };
      ts = e.ts;
      values = e.values;
    }
    for (const [key, value] of Object.entries(values)) {
      outcomes.push(namedReading(i, key, value, undefined, ts, w));
    }
  }
  return { ok: true, outcomes };
}
