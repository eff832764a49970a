import { readConfig } from '../config.ts';
import { clip, MAX_ECHO_CHARS } from '../errors.ts';
import { canonicalJson } from '../domain/telemetry/canonical.ts';
import type { Outcome, Reading } from '../domain/telemetry/reading.ts';
import { localParts, zoneOffsetMs } from '../domain/local-time.ts';
import { touchDevice, writeIngest, type IngestRow } from '../db/ingest.ts';
import { alertsAfterIngest, alertsInIngest } from '../db/alerts-run.ts';
import type { TokenDevice } from '../db/devices.ts';
import type { IngestResultBody, Rejected } from '../schemas/telemetry.ts';

/**
 * From validated outcomes to the stored request and the contract's answer. Shared by the
 * envelope, SenML and ThingsBoard endpoints.
 */

/**
 * One message, in canonical JSON, may hold at most this many characters. Escaped for the batch's
 * JSON parameter it may double, and D1 takes at most 2 MB in one bound value.
 */
export const MAX_MESSAGE_CHARS = 256 * 1024;

const DAY_MS = 86_400_000;

/**
 * Local day/hour of an instant. The zone's offset is looked up twice per UTC day (at its first
 * and last second): when both agree, the whole day is shifted by it with plain arithmetic (a
 * formatter call per message was the largest share of a big request's JavaScript); on a day
 * whose offset changes, each quarter hour is looked up (every offset is a multiple of 15 min).
 */
export function hourOf(tz: string) {
  const offsets = new Map<number, number | null>();
  const quarters = new Map<number, { day: string; hour: number }>();
  return (ms: number): { day: string; hour: number } => {
    const utcDay = Math.floor(ms / DAY_MS);
    let offset = offsets.get(utcDay);
    if (offset === undefined) {
      const first = zoneOffsetMs(utcDay * DAY_MS, tz);
      offset = first === zoneOffsetMs(utcDay * DAY_MS + DAY_MS - 1000, tz) ? first : null;
      offsets.set(utcDay, offset);
    }
    if (offset !== null) {
      const local = new Date(ms + offset);
      return { day: local.toISOString().slice(0, 10), hour: local.getUTCHours() };
    }
    const q = Math.floor(ms / 900_000);
    let v = quarters.get(q);
    if (!v) {
      const p = localParts(q * 900_000, tz);
      v = { day: p.day, hour: p.hour };
      quarters.set(q, v);
    }
    return v;
  };
}

function conflictDetail(r: Reading): string {
  const what = r.seq !== undefined ? `seq ${r.seq}` : `"${r.name}" at ${new Date(r.ts).toISOString()}`;
  return `${what} was already received with different content; the first one stands`;
}

function rejectionOf(r: Reading, code: Rejected['code'], detail: string): Rejected {
  return { index: r.index, ...(r.seq !== undefined ? { seq: r.seq } : { key: r.name }), code, detail };
}

/** The batch was refused: most likely the token no longer belongs to the enabled device. */
export class BatchRefused extends Error {
  constructor(readonly cause: unknown) {
    super('the ingest batch was refused');
  }
}

/**
 * Store a request's outcomes in one batch whose first statement checks the token (`tokenHash`):
 * throws BatchRefused when the batch (or the seen-mark of an empty request) is refused. The
 * alert rules' reads ride at the end of that batch unless `alertsApart` (then they run after it,
 * on their own: the fallback should they ever be what failed the batch). Returns the answer, the
 * D1 round trips made, and how many of them were the alerts' own (writes when an alert changes).
 */
export async function ingest(
  env: Env,
  device: TokenDevice,
  tokenHash: string,
  outcomes: Outcome[],
  now: number,
  alertsApart = false,
): Promise<{ body: IngestResultBody; trips: number; alertTrips: number }> {
  const { tz } = readConfig(env);
  const at = hourOf(tz);
  const rejected: Rejected[] = [];
  let duplicates = 0;

  // Within one request, the first message of a key stands (as across requests).
  const byKey = new Map<string, { reading: Reading; body: string }>();
  const rows: IngestRow[] = [];
  /** The reading of each row, by position (a ThingsBoard entry is one index for several rows). */
  const readings: Reading[] = [];
  const items = new Set<string>();
  const faultCodes = new Set<string>();
  const types = new Set<string>();
  for (const o of outcomes) {
    if (!o.ok) {
      rejected.push(o.rejected);
      continue;
    }
    const r = o.reading;
    const body = canonicalJson({ ...r.fields, type: r.type, ts: r.ts, ...(r.seq !== undefined ? { seq: r.seq } : {}) });
    if (body.length > MAX_MESSAGE_CHARS) {
      rejected.push(
        rejectionOf(
          r,
          'invalid_message',
          `the message is ${Math.ceil(body.length / 1024)} KiB as stored; at most ${MAX_MESSAGE_CHARS / 1024} KiB per message`,
        ),
      );
      continue;
    }
    const first = byKey.get(r.key);
    if (first) {
      if (first.body === body) duplicates++;
      else rejected.push(rejectionOf(r, 'seq_conflict', conflictDetail(r)));
      continue;
    }
    byKey.set(r.key, { reading: r, body });
    readings.push(r);
    const { day, hour } = at(r.ts);
    const row: IngestRow = { i: r.index, k: r.key, ts: r.ts, t: r.type, d: day, h: hour, b: body };
    if (r.type === 'charging_session') {
      const s = at(r.fields.started_at as number);
      row.sd = s.day;
      row.sh = s.hour;
    }
    if (typeof r.fields.item === 'string') items.add(r.fields.item);
    if (r.type === 'stock') for (const item of Object.keys(r.fields.levels as object)) items.add(item);
    if (r.type === 'fault') faultCodes.add(r.fields.code as string);
    types.add(r.type);
    rows.push(row);
  }

  let accepted = 0;
  let trips = 0;
  let alertTrips = 0;
  if (rows.length) {
    const alerts = alertsApart ? null : alertsInIngest(env, device, now);
    const { stored, reads } = await writeIngest(
      env.DB,
      {
        deviceId: device.id,
        tokenHash,
        site: device.site,
        stationId: device.kind === 'station' ? device.site : null,
        ingestId: crypto.randomUUID(),
        now,
        rows,
        items: [...items],
        faultCodes: [...faultCodes],
        types,
      },
      alerts?.statements,
    ).catch((e: unknown) => {
      throw new BatchRefused(e);
    });
    trips++;
    accepted = rows.length - stored.length;
    for (const s of stored) {
      if (s.body === rows[s.row]!.b) duplicates++;
      else {
        const r = readings[s.row]!;
        rejected.push(rejectionOf(r, 'seq_conflict', conflictDetail(r)));
      }
    }
    // Same request: the alerts this telemetry changes are open (or resolved) when it answers.
    if (alerts) alertTrips = await alerts.finish(reads, accepted);
    else if (accepted) {
      await alertsAfterIngest(env, device, now);
      alertTrips = 2;
    }
  } else if (outcomes.length === 0 || rejected.length) {
    if (!(await touchDevice(env.DB, device.id, tokenHash, now))) throw new BatchRefused(null);
    trips++;
  }
  rejected.sort((a, b) => a.index - b.index);
  // The answer's bound: every echo of the request is cut (docs/security.md).
  const bounded = rejected.map((r) => ({
    ...r,
    ...(r.key !== undefined ? { key: clip(r.key, 64) } : {}),
    detail: clip(r.detail, MAX_ECHO_CHARS + 100),
  }));
  return {
    body: { accepted, duplicates, rejected: bounded, server_time: new Date(now).toISOString() },
    trips: trips + alertTrips,
    alertTrips,
  };
}
