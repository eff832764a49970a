import { namedReading } from './named.ts';
import type { Outcome, Window } from './reading.ts';

/** `entries`: the body's messages ({key: value} objects), which the 1,000-message limit counts. */
export type ThingsBoardResult = { ok: true; entries: number; outcomes: Outcome[] } | { ok: false; pointer: string; message: string };

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

const OPEN_WORDS = new Map<unknown, boolean>([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  [1, true],
  [0, false],
]);

/**
 * ThingsBoard casts string values that spell a number (its type casting, on by default), and
 * its firmware often sends them so; for the one boolean key, `open`, "true"/"false" and 1/0.
 */
export function castThingsBoardValue(key: string, value: unknown): unknown {
  if (key === 'open') return OPEN_WORDS.get(value) ?? value;
  if (typeof value !== 'string') return value;
  if (key === 'fault_codes') return value;
  return JSON_NUMBER.test(value) ? Number(value) : value;
}

/** Epoch ms as a number or, as ThingsBoard also reads it, a string of digits. */
function epochMs(ts: unknown): number | null {
  const n = typeof ts === 'string' && /^-?\d{1,16}$/.test(ts) ? Number(ts) : ts;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * ThingsBoard's device HTTP API bodies: flat {key: value} at server time, {ts, values}, or an
 * array of those. `index` is the entry's position (0 for a single object).
 */
export function parseThingsBoard(body: unknown, w: Window): ThingsBoardResult {
  const entries = Array.isArray(body) ? body : [body];
  if (entries.length === 0) return { ok: true, entries: 0, outcomes: [] };
  const outcomes: Outcome[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const at = Array.isArray(body) ? `/${i}` : '';
    if (!isPlainObject(e))
      return { ok: false, pointer: at, message: 'each entry must be an object: {"key": value} or {"ts": ms, "values": {...}}' };
    let ts = w.now;
    let values: Record<string, unknown> = e;
    if ('values' in e) {
      if (!isPlainObject(e.values)) return { ok: false, pointer: `${at}/values`, message: 'values must be an object of key → value' };
      const ms = epochMs(e.ts);
      if (ms === null) return { ok: false, pointer: `${at}/ts`, message: 'ts must be integer epoch milliseconds' };
      ts = ms;
      values = e.values;
    }
    for (const [key, value] of Object.entries(values)) {
      outcomes.push(namedReading(i, key, castThingsBoardValue(key, value), undefined, ts, w));
    }
  }
  return { ok: true, entries: entries.length, outcomes };
}
