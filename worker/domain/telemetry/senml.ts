import { clip, echo } from '../../errors.ts';
import { isKnownName, namedReading } from './named.ts';
import type { Outcome, Window } from './reading.ts';

/** RFC 8428 §4.5.3: resolved times below 2^28 s are relative to "now". */
const RELATIVE_LIMIT_S = 2 ** 28;

/** Longest base name or name: a device URN and the longest known name fit well within it. */
export const MAX_NAME_CHARS = 256;

export type SenmlResult = { ok: true; outcomes: Outcome[] } | { ok: false; status: 400 | 403; pointer: string; message: string };

/**
 * Resolve a SenML pack (base fields carry forward to later records, as RFC 8428 says) into
 * readings of the token's device. A pack naming another device is a 403, like the envelope's
 * `device` field.
 */
export function parseSenml(pack: unknown, deviceId: string, w: Window): SenmlResult {
  if (!Array.isArray(pack)) return { ok: false, status: 400, pointer: '', message: 'a SenML pack must be a JSON array of records' };
  const prefixes = [`urn:dev:${deviceId}:`, `${deviceId}:`];
  let bn = '';
  let bt = 0;
  let bu: string | undefined;
  let bv = 0;
  const outcomes: Outcome[] = [];
  for (let i = 0; i < pack.length; i++) {
    const r = pack[i] as Record<string, unknown>;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      outcomes.push({ ok: false, rejected: { index: i, code: 'invalid_message', detail: 'a SenML record must be a JSON object' } });
      continue;
    }
    if (r.bn !== undefined) {
      if (typeof r.bn !== 'string') return { ok: false, status: 400, pointer: `/${i}/bn`, message: 'bn must be a string' };
      // Every record's name starts with bn and may be echoed in a rejection: a long one is refused whole.
      if (r.bn.length > MAX_NAME_CHARS)
        return { ok: false, status: 400, pointer: `/${i}/bn`, message: `bn is ${r.bn.length} characters; at most ${MAX_NAME_CHARS}` };
      bn = r.bn;
    }
    if (r.bt !== undefined) {
      if (typeof r.bt !== 'number' || !Number.isFinite(r.bt))
        return { ok: false, status: 400, pointer: `/${i}/bt`, message: 'bt must be a number' };
      bt = r.bt;
    }
    if (r.bu !== undefined) bu = typeof r.bu === 'string' ? r.bu : undefined;
    if (r.bv !== undefined && typeof r.bv === 'number') bv = r.bv;
    const hasValue = r.v !== undefined || r.vb !== undefined || r.vs !== undefined || r.vd !== undefined;
    if (r.n === undefined && !hasValue) continue; // a record carrying base fields only
    // The URN scheme and namespace are case-insensitive (RFC 8141): "URN:DEV:" is "urn:dev:".
    if (typeof r.n === 'string' && r.n.length > MAX_NAME_CHARS) {
      outcomes.push({
        ok: false,
        rejected: {
          index: i,
          key: clip(r.n, 64),
          code: 'unknown_name',
          detail: `n is ${r.n.length} characters; a name has at most ${MAX_NAME_CHARS}`,
        },
      });
      continue;
    }
    const full = (bn + (typeof r.n === 'string' ? r.n : '')).replace(/^urn:dev:/i, 'urn:dev:');
    const prefix = prefixes.find((p) => full.startsWith(p));
    // A base name written without its trailing colon ("urn:dev:bench-0007" + "battery_soc") still
    // names this device when a known name follows it directly.
    const bare = prefix
      ? undefined
      : prefixes.map((p) => p.slice(0, -1)).find((p) => full.startsWith(p) && isKnownName(full.slice(p.length)));
    let name: string;
    if (prefix) name = full.slice(prefix.length);
    else if (bare) name = full.slice(bare.length);
    else if (
      full.startsWith('urn:dev:') ||
      (!isKnownName(full) && /^[A-Za-z0-9_.-]{1,64}:/.test(full) && isKnownName(full.slice(full.indexOf(':') + 1)))
    ) {
      return {
        ok: false,
        status: 403,
        pointer: `/${i}/${r.n !== undefined && r.bn === undefined ? 'n' : 'bn'}`,
        message: `the record names ${echo(full, 100)}, which is not this token's device "${deviceId}"`,
      };
    } else name = full;
    if (r.t !== undefined && (typeof r.t !== 'number' || !Number.isFinite(r.t))) {
      outcomes.push({
        ok: false,
        rejected: { index: i, key: name, code: 'invalid_ts', detail: `${echo(name)}: t must be a number of seconds; got ${echo(r.t)}` },
      });
      continue;
    }
    const t = bt + ((r.t as number | undefined) ?? 0);
    const seconds = t < RELATIVE_LIMIT_S ? w.now / 1000 + t : t;
    const ts = Math.round(seconds * 1000);
    const unit = typeof r.u === 'string' ? r.u : bu;
    const value =
      r.v !== undefined ? (typeof r.v === 'number' ? r.v + bv : r.v) : r.vb !== undefined ? r.vb : r.vs !== undefined ? r.vs : r.vd;
    if (!hasValue) {
      outcomes.push({
        ok: false,
        rejected: { index: i, key: name, code: 'invalid_field', detail: `${echo(name)}: the record has no value (v)` },
      });
      continue;
    }
    outcomes.push(namedReading(i, name, value, unit, ts, w));
  }
  return { ok: true, outcomes };
}
