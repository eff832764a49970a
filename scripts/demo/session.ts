/**
 * The demo's life cycle against a running Worker, shared by `npm start` and `npm run simulate`:
 * load the demo city when the database is empty, backfill history through the simulator, then
 * keep posting live telemetry. Re-runs continue from where the posted data stops.
 */
import { api, ApiFailure } from '../lib/api.ts';
import { DAY, MINUTE } from '../sim/clock.ts';
import { Fleet, type PostStats } from '../sim/index.ts';
import { demoCity } from './city.ts';
import { loadDemoCity } from './load.ts';
import { readState, writeState, type DemoState } from './state.ts';

export interface SessionOptions {
  url: string;
  adminToken: string;
  statePath: string;
  /** Days of history for a fresh city (the server keeps MAX_AGE_DAYS, 90 by default). */
  days?: number;
  seed?: number;
  small?: boolean;
  log?: (line: string) => void;
}

export interface Session {
  fleet: Fleet | null;
  state: DemoState | null;
  /** True when this run loaded the city. */
  loaded: boolean;
}

interface DeviceRow {
  id: string;
  last_seen: string | null;
}

/**
 * Make sure the demo city is there and we hold a token for each of its devices. Returns no fleet
 * when the database holds someone else's registry (nothing is simulated into real data).
 */
export async function prepare(opts: SessionOptions): Promise<Session> {
  const log = opts.log ?? (() => {});
  const client = api(opts.url, opts.adminToken);
  const { devices } = await client.request<{ devices: DeviceRow[] }>('GET', '/api/v1/devices');
  let state = await readState(opts.statePath);
  const now = Date.now();

  if (devices.length === 0) {
    const seed = opts.seed ?? 20260721;
    log('Empty database: loading the demo city (Liaocheng-like, synthetic) through the API…');
    const loaded = await loadDemoCity(opts.url, opts.adminToken, { small: opts.small, seed, log: (l) => log(`  ${l}`) });
    // History starts a quarter of an hour inside the server's window (ts_too_old beyond it).
    const start = now - (opts.days ?? 90) * DAY + 15 * MINUTE;
    state = { version: 1, seed, start, postedUntil: start, small: !!opts.small, tokens: loaded.tokens };
    await writeState(opts.statePath, state);
    return { fleet: fleetOf(state), state, loaded: true };
  }

  const city = demoCity({ small: state?.small ?? opts.small, seed: state?.seed ?? opts.seed });
  const known = new Set(devices.map((d) => d.id));
  if (!city.devices.some((d) => known.has(d.id))) {
    log('The database holds a registry that is not the demo city: serving it without the simulator.');
    return { fleet: null, state: null, loaded: false };
  }
  if (!state) {
    // Tokens lost (the state file was deleted): rotate them, and simulate on from the newest data.
    const newest = Math.max(0, ...devices.map((d) => (d.last_seen ? Date.parse(d.last_seen) : 0)));
    const start = Math.max(newest, now - 90 * DAY + 15 * MINUTE);
    log('No local device tokens: rotating the demo devices’ tokens and continuing from the newest data.');
    state = { version: 1, seed: opts.seed ?? 20260721, start, postedUntil: start, small: !!opts.small, tokens: {} };
  }
  for (const d of city.devices) {
    if (!known.has(d.id) || state.tokens[d.id]) continue;
    state.tokens[d.id] = (await client.request<{ token: string }>('POST', `/api/v1/devices/${encodeURIComponent(d.id)}/token`)).token;
  }
  await writeState(opts.statePath, state);
  return { fleet: fleetOf(state, known), state, loaded: false };
}

function fleetOf(state: DemoState, registered?: Set<string>): Fleet {
  const city = demoCity({ small: state.small, seed: state.seed });
  const devices = city.devices.filter((d) => state.tokens[d.id] && (!registered || registered.has(d.id)));
  return new Fleet(
    devices.map((d) => ({ device: d, token: state.tokens[d.id]! })),
    { seed: state.seed, start: state.start },
  );
}

/** A rotated token when a device's token is refused (someone rotated it in the dashboard). */
export function tokenRotator(opts: SessionOptions, state: DemoState): (device: string) => Promise<string | null> {
  const client = api(opts.url, opts.adminToken);
  return async (device) => {
    try {
      const { token } = await client.request<{ token: string }>('POST', `/api/v1/devices/${encodeURIComponent(device)}/token`);
      state.tokens[device] = token;
      await writeState(opts.statePath, state);
      return token;
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 404) return null; // deleted: stop simulating it
      throw e;
    }
  };
}

export interface BackfillOptions {
  concurrency?: number;
  onProgress?: (p: { simulatedMs: number; totalMs: number; messages: number }) => void;
}

/** Post everything from where the data stops up to now. */
export async function backfill(opts: SessionOptions, session: Session, b: BackfillOptions = {}): Promise<PostStats | null> {
  const { fleet, state } = session;
  if (!fleet || !state) return null;
  // Replaying from the start re-creates each device's state (battery, stock, seq); what was
  // already posted is simulated and dropped.
  if (state.postedUntil > state.start) fleet.skipTo(state.postedUntil);
  const now = Date.now();
  const stats = await fleet.post(opts.url, now, {
    // More in flight only queues in workerd (one isolate, one SQLite writer) and slows it down.
    concurrency: b.concurrency ?? 4,
    chunkDays: 15,
    notBefore: now - 90 * DAY + 5 * MINUTE,
    onProgress: b.onProgress,
    onAuthError: tokenRotator(opts, state),
  });
  state.postedUntil = now;
  await writeState(opts.statePath, state);
  return stats;
}

/** Keep posting as devices transmit; returns a stop function that also saves the state. */
export function live(opts: SessionOptions, session: Session, everyMs = 30_000, onTick?: (s: PostStats) => void): () => Promise<void> {
  const { fleet, state } = session;
  if (!fleet || !state) return async () => {};
  const log = opts.log ?? (() => {});
  const stop = fleet.live(opts.url, {
    everyMs,
    concurrency: 4,
    onAuthError: tokenRotator(opts, state),
    onTick: (s) => {
      state.postedUntil = fleet.postedUntil;
      void writeState(opts.statePath, state);
      onTick?.(s);
    },
    onError: (err) => log(`live telemetry: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (retrying)`),
  });
  return async () => {
    await stop();
    state.postedUntil = fleet.postedUntil;
    await writeState(opts.statePath, state);
  };
}
