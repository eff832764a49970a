import type { OfflineAfter } from './domain/nearby/serves.ts';

/**
 * Offline thresholds per site kind, minutes: a site silent for longer is stale. The same vars
 * (and defaults) the offline alerts use, so "offline" means one thing.
 */
export function offlineAfter(env: Partial<Env>): OfflineAfter {
  const read = (raw: unknown, fallback: number) => {
    const n = Number(raw);
    return raw !== undefined && raw !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
  };
  const vars = env as Record<string, unknown>;
  return { station: read(vars.OFFLINE_AFTER_MIN_STATION, 30), bench: read(vars.OFFLINE_AFTER_MIN_BENCH, 60) };
}

/** The furthest a nearby answer looks, straight-line metres (a two-hour walk and more). */
export const NEARBY_MAX_M = 15_000;
