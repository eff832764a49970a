import type { MessageType, Rejected } from '../../schemas/telemetry.ts';
import { humanDuration } from './timestamp.ts';

/** One accepted-for-storage message in canonical form, whatever wire format it came in. */
export interface Reading {
  /** Position in the request (envelope message, SenML record, ThingsBoard entry). */
  index: number;
  /** De-duplication key: the seq in decimal, or '<name>@<ms>' for SenML / ThingsBoard. */
  key: string;
  seq?: number;
  /** SenML name / ThingsBoard key. */
  name?: string;
  ts: number;
  type: MessageType;
  /** Canonical fields (timestamps as epoch ms). */
  fields: Record<string, unknown>;
}

export type Outcome = { ok: true; reading: Reading } | { ok: false; rejected: Rejected };

export interface Window {
  now: number;
  maxAgeDays: number;
  maxFutureMs: number;
}

/** The time-window rule of the contract: not more than 5 min ahead, not older than MAX_AGE_DAYS. */
export function windowRejection(ts: number, w: Window): Pick<Rejected, 'code' | 'detail'> | null {
  if (ts - w.now > w.maxFutureMs) {
    return {
      code: 'ts_in_future',
      detail: `ts is ${humanDuration(ts - w.now)} ahead of server time (${new Date(w.now).toISOString()}); at most ${humanDuration(w.maxFutureMs)} is allowed`,
    };
  }
  if (w.now - ts > w.maxAgeDays * 86400_000) {
    return {
      code: 'ts_too_old',
      detail: `ts is ${humanDuration(w.now - ts)} old; readings older than MAX_AGE_DAYS = ${w.maxAgeDays} days are not accepted`,
    };
  }
  return null;
}
