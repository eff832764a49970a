import type { TokenDevice } from '../db/devices.ts';

/**
 * Devices by token hash, remembered in this isolate so that a device's next request needs no
 * look-up before its one D1 batch: the batch itself checks the token (AUTH_GUARD in
 * worker/db/ingest.ts), so an entry that went stale (token rotated, device disabled) costs one
 * refused batch, never a wrong write. Bounded: the oldest entries go first.
 */
const MAX_ENTRIES = 20_000;
const TTL_MS = 10 * 60_000;
const byHash = new Map<string, { device: TokenDevice; until: number }>();

export function cachedDevice(tokenHash: string, now = Date.now()): TokenDevice | null {
  const e = byHash.get(tokenHash);
  if (!e) return null;
  if (e.until < now) {
    byHash.delete(tokenHash);
    return null;
  }
  return e.device;
}

export function rememberDevice(tokenHash: string, device: TokenDevice, now = Date.now()): void {
  if (byHash.size >= MAX_ENTRIES) byHash.delete(byHash.keys().next().value!);
  byHash.set(tokenHash, { device, until: now + TTL_MS });
}

export function forgetDevice(tokenHash: string): void {
  byHash.delete(tokenHash);
}
