/** The scheduled part of the alerts engine: every site, every kind, then the notification outbox. */
import { sweepOutbox, enqueueChanges } from '../notify/queue.ts';
import { evaluateAlerts } from './alerts.ts';

export async function scheduledAlerts(scheduledTime: number, env: Env): Promise<void> {
  const now = Math.max(scheduledTime, Date.now());
  const changes = await evaluateAlerts(env.DB, env, { stations: null, benches: null, solar: true }, now);
  await enqueueChanges(env, changes, now);
  await sweepOutbox(env, now);
}

/**
 * After an ingest batch, in the same request: the rules of the device's site (a station's or the
 * bench's own), then the notifications of what changed. Never fails the request: the telemetry
 * is stored already, and the scheduled handler evaluates every site again within a minute.
 */
export async function alertsAfterIngest(
  env: Env,
  device: { id: string; kind: 'bench' | 'station'; site: string },
  now: number,
): Promise<void> {
  try {
    const scope =
      device.kind === 'station'
        ? { stations: [device.site], benches: [], solar: false }
        : { stations: [], benches: [device.id], solar: false };
    await enqueueChanges(env, await evaluateAlerts(env.DB, env, scope, now), now);
  } catch (e) {
    console.error('alert evaluation after ingest failed; the scheduled handler catches up', String(e));
  }
}
