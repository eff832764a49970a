/**
 * The device's side of the wire: it numbers its messages (seq), stamps them with its own clock
 * (which drifts a little), uploads on a fixed cadence, and when the modem loses the network it
 * stores and forwards: the backlog goes out when it reconnects, some firmware newest-first. Now and
 * then an upload's answer is lost, so the device sends the same messages again (duplicates).
 */
import { zoneOffsetMs } from '../../worker/domain/local-time.ts';
import { CITY_TZ, HOUR, MINUTE, type SimDay } from './clock.ts';
import type { Message, Outgoing, Reading } from './messages.ts';
import type { Rng } from './rng.ts';

export interface LinkSpec {
  /** How the firmware writes `ts`: RFC 3339 with the local offset, or epoch milliseconds. */
  tsFormat: 'rfc3339' | 'ms';
  /** Upload cadence, ms. */
  uploadEvery: number;
  /** After an outage, send the newest readings first (so the dashboard is current at once). */
  lifoBacklog: boolean;
  /** Chance per day that the modem drops off the network for a while. */
  outagePerDay: number;
  /** Chance that an upload's answer is lost and the device resends it with the next upload. */
  lostAckRate: number;
}

export interface LinkState {
  nextSeq: number;
  /** Device clock minus true time, whole seconds (ms). */
  skewMs: number;
  outage: { from: number; until: number } | null;
}

const MAX_SKEW_MS = 90_000;

/**
 * Seq numbers start from the start instant in seconds: a device's counter only grows, and a
 * simulation started later never reuses a number an earlier one sent for another message.
 */
export function initialLinkState(startMs: number, rng: Rng): LinkState {
  return { nextSeq: Math.floor(startMs / 1000), skewMs: rng.int(-40, 40) * 1000, outage: null };
}

export function formatTs(ms: number, format: LinkSpec['tsFormat'], offsetMs: number): string | number {
  if (format === 'ms') return Math.round(ms);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMs).toISOString().slice(0, 19);
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(offsetMs) / MINUTE;
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function stamp(r: Reading, seq: number, fmt: (ms: number) => string | number, skew: number): Message {
  const { at, startedAt, endedAt, ...rest } = r;
  const m = { seq, ts: fmt(at + skew), ...rest } as Message;
  if (m.type === 'charging_session') {
    m.started_at = fmt(startedAt! + skew);
    m.ended_at = fmt(endedAt! + skew);
  }
  return m;
}

/**
 * Stamp one day's readings (sorted by time) and decide when each is transmitted. `phase` spreads
 * devices over the upload interval so they do not all post at the same instant.
 */
export function transmitDay(
  link: LinkSpec,
  state: LinkState,
  d: SimDay,
  readings: readonly Reading[],
  rng: Rng,
  phase: number,
  tz = CITY_TZ,
): { state: LinkState; outgoing: Outgoing[] } {
  const s: LinkState = { ...state, outage: state.outage ? { ...state.outage } : null };
  // Clocks drift by a few seconds a day; a third of the days the device resyncs from server_time.
  s.skewMs = rng.chance(0.33) ? rng.int(-2, 2) * 1000 : Math.max(-MAX_SKEW_MS, Math.min(MAX_SKEW_MS, s.skewMs + rng.int(-4, 4) * 1000));
  if (s.outage && s.outage.until <= d.start) s.outage = null;
  if (!s.outage && rng.chance(link.outagePerDay)) {
    const from = d.start + rng.next() * (d.end - d.start);
    s.outage = { from, until: from + Math.min(30 * HOUR, 10 * MINUTE + rng.exponential(3 * HOUR)) };
  }
  const offset = zoneOffsetMs(d.start, tz);
  const fmt = (ms: number) => formatTs(ms, link.tsFormat, offset);

  const outgoing: Outgoing[] = [];
  for (const r of readings) {
    const message = stamp(r, s.nextSeq++, fmt, s.skewMs);
    let sendAt: number;
    if (s.outage && r.at >= s.outage.from && r.at < s.outage.until) {
      const age = s.outage.until - r.at;
      sendAt = s.outage.until + (link.lifoBacklog ? age / 1000 : (r.at - s.outage.from) / 1000);
    } else {
      sendAt = Math.ceil((r.at + 1000 - phase) / link.uploadEvery) * link.uploadEvery + phase;
    }
    outgoing.push({ message, sendAt: Math.round(sendAt), at: r.at });
  }

  // Lost answers: the whole upload goes again with the next one (same seq, same content).
  const resent: Outgoing[] = [];
  let slot = NaN;
  let lost = false;
  for (const o of outgoing) {
    if (o.sendAt !== slot) {
      slot = o.sendAt;
      lost = rng.chance(link.lostAckRate);
    }
    if (lost) resent.push({ message: o.message, sendAt: o.sendAt + link.uploadEvery, at: o.at });
  }
  outgoing.push(...resent);
  outgoing.sort((a, b) => a.sendAt - b.sendAt);
  return { state: s, outgoing };
}
