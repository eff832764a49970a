import { MESSAGE_SCHEMAS, MESSAGE_TYPES, type MessageType, type Rejected } from '../../schemas/telemetry.ts';
import { clip, echo, pointer } from '../../errors.ts';
import { parseInstant, parseTimestamp } from './timestamp.ts';
import { windowRejection, type Outcome, type Window } from './reading.ts';

/** Fields holding timestamps besides `ts`; stored canonically as epoch ms. */
const TIME_FIELDS = ['started_at', 'ended_at'] as const;

/** Deeper than this a message is refused: nothing in the contract nests past 3 levels, and deep JSON would exhaust the stack. */
const MAX_DEPTH = 32;

function tooDeep(value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_DEPTH) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function reject(index: number, seq: number | undefined, code: Rejected['code'], detail: string): Outcome {
  return { ok: false, rejected: { index, ...(seq !== undefined ? { seq } : {}), code, detail } };
}

/**
 * Validate one envelope message on its own and bring it to canonical form. Checks run from the
 * most basic (is it an object, its seq, ts, type) to the fields and the time window, so the
 * first failing rule is the one reported.
 */
export function normalizeEnvelopeMessage(raw: unknown, index: number, w: Window): Outcome {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return reject(index, undefined, 'invalid_message', 'a message must be a JSON object');
  const m = raw as Record<string, unknown>;
  const seq = m.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return reject(index, undefined, 'invalid_seq', `seq must be an integer with 0 ≤ seq < 2^53; got ${echo(seq)}`);
  }
  if (tooDeep(raw)) return reject(index, seq, 'invalid_message', `a message may be nested at most ${MAX_DEPTH} levels deep`);
  const ts = parseTimestamp(m.ts);
  const before1970 = ts === null ? parseInstant(m.ts) : null;
  if (before1970 !== null) return reject(index, seq, 'ts_too_old', windowRejection(before1970, w)?.detail ?? 'ts is before 1970');
  if (ts === null)
    return reject(
      index,
      seq,
      'invalid_ts',
      `ts must be RFC 3339 with an offset (e.g. 2026-07-21T14:00:00+08:00) or integer epoch milliseconds; got ${echo(m.ts)}`,
    );
  if (typeof m.type !== 'string' || !(MESSAGE_TYPES as string[]).includes(m.type)) {
    return reject(index, seq, 'unknown_type', `type must be one of ${MESSAGE_TYPES.join(', ')}; got ${echo(m.type)}`);
  }
  const type = m.type as MessageType;
  const parsed = MESSAGE_SCHEMAS[type].safeParse(m);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const detail =
      issues
        .slice(0, 3)
        .map((i) => `${clip(pointer(i.path), 80) || '/'}: ${i.message}`)
        .join('; ') + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : '');
    return reject(index, seq, 'invalid_field', `${type}: ${detail}`);
  }
  const fields: Record<string, unknown> = { ...(parsed.data as Record<string, unknown>), ts };
  if (type === 'stock') {
    // The validated input itself: JSON.parse keeps every key as an own property, "__proto__" too.
    const levels = m.levels as Record<string, number>;
    if (Object.keys(levels).length === 0) return reject(index, seq, 'invalid_field', 'stock: /levels: levels needs at least one item');
    fields.levels = levels;
  }
  if (type === 'charging_session') {
    const started = parseTimestamp(m.started_at);
    const ended = parseTimestamp(m.ended_at);
    // The schema checks the RFC 3339 shape; a date like 30 February passes it but is no instant.
    if (started === null)
      return reject(index, seq, 'invalid_field', `charging_session: /started_at: ${echo(m.started_at)} is not a real date and time`);
    if (ended === null)
      return reject(index, seq, 'invalid_field', `charging_session: /ended_at: ${echo(m.ended_at)} is not a real date and time`);
    if (ended < started) return reject(index, seq, 'invalid_field', 'charging_session: /ended_at: must not be before started_at');
    if (ended > ts) return reject(index, seq, 'invalid_field', 'charging_session: /ended_at: must not be after ts');
    fields.started_at = started;
    fields.ended_at = ended;
  }
  for (const f of TIME_FIELDS) if (typeof fields[f] === 'string') fields[f] = parseTimestamp(fields[f]);
  const late = windowRejection(ts, w);
  if (late) return reject(index, seq, late.code, late.detail);
  return { ok: true, reading: { index, key: String(seq), seq, ts, type, fields } };
}

/** The envelope's outer shape: anything else is a whole-request 400. */
export function envelopeShapeError(body: unknown): { pointer: string; message: string } | null {
  if (Array.isArray(body))
    return {
      pointer: '',
      message:
        'the body must be a JSON object {"device"?, "messages": [...]}; a SenML pack (an array) needs Content-Type: application/senml+json',
    };
  if (body === null || typeof body !== 'object')
    return { pointer: '', message: 'the body must be a JSON object {"device"?, "messages": [...]}' };
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.messages)) return { pointer: '/messages', message: 'messages must be an array' };
  // Any string is the envelope's shape; one that does not name the token's device is a 403 (CONTRACT).
  if (b.device !== undefined && typeof b.device !== 'string')
    return { pointer: '/device', message: 'device must be a string, the device id' };
  return null;
}
