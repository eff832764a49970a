/** The scheduled part of the alerts engine: every site, every kind, then the notification outbox. */
import { readConfig } from '../config.ts';
import { sweepOutbox, enqueueChanges } from '../notify/queue.ts';
import { recomputeProfiles, staleProfiles } from './alert-facts.ts';
import { alertEvaluation, evaluateAlerts, type Evaluated, type Scope } from './alerts.ts';

export async function scheduledAlerts(scheduledTime: number, env: Env): Promise<void> {
  const now = Math.max(scheduledTime, Date.now());
  const changes = await evaluateAlerts(env.DB, env, { stations: null, benches: null, solar: true }, now);
  await enqueueChanges(env, changes, now);
  await sweepOutbox(env, now);
}

type IngestingDevice = { id: string; kind: 'bench' | 'station'; site: string };

const scopeOf = (device: IngestingDevice): Scope =>
  device.kind === 'station' ? { stations: [device.site], benches: [], solar: false } : { stations: [], benches: [device.id], solar: false };

/**
 * After an ingest batch, in the same request: the rules of the device's site (a station's or the
 * bench's own), then the notifications of what changed. Never fails the request: the telemetry
 * is stored already, and the scheduled handler evaluates every site again within a minute.
 * Used when the reads could not ride in the ingest batch (alertsInIngest).
 */
export async function alertsAfterIngest(env: Env, device: IngestingDevice, now: number): Promise<void> {
  try {
    await enqueueChanges(env, await evaluateAlerts(env.DB, env, scopeOf(device), now), now);
  } catch (e) {
    console.error('alert evaluation after ingest failed; the scheduled handler catches up', String(e));
  }
}

/**
 * The alerts of an ingest request, evaluated in that request at no round trip of their own unless
 * an alert changes: the rules' reads travel at the end of the ingest batch (after its writes, so
 * they see the new telemetry), with, for a station, the check that its consumption profiles are
 * fresh. `finish` applies the rules to what they read and writes (one more round trip, plus the
 * notification's) only when an alert opens, changes or resolves; a stale profile (every few hours
 * per station) falls back to the full evaluation. Returns the round trips it made; never throws.
 */
export function alertsInIngest(
  env: Env,
  device: IngestingDevice,
  now: number,
): { statements: D1PreparedStatement[]; finish: (results: D1Result[], accepted: number) => Promise<number> } {
  const stale = device.kind === 'station' ? staleProfiles(env.DB, [device.site], now, 1) : null;
  const evaluation = alertEvaluation(env.DB, env, scopeOf(device), now);
  const statements = [...(stale?.statements ?? []), ...evaluation.statements];
  const finish = async (results: D1Result[], accepted: number): Promise<number> => {
    if (!accepted) return 0;
    try {
      const todo = stale ? stale.read(results.slice(0, 1)) : [];
      let evaluated: Evaluated;
      let trips = 0;
      if (todo.length) {
        // The profiles feed the stock rules: recompute them, then read again.
        await recomputeProfiles(env.DB, todo, now, readConfig(env).tz);
        const again = alertEvaluation(env.DB, env, scopeOf(device), now);
        evaluated = await again.finish(await env.DB.batch(again.statements));
        trips += 3;
      } else evaluated = await evaluation.finish(results.slice(stale ? 1 : 0));
      await enqueueChanges(env, evaluated.changes, now);
      const queued = evaluated.changes.length && env.ALERT_QUEUE ? Math.ceil(evaluated.changes.length / 100) : 0;
      return trips + evaluated.trips + queued;
    } catch (e) {
      console.error('alert evaluation after ingest failed; the scheduled handler catches up', String(e));
      return 0;
    }
  };
  return { statements, finish };
}
