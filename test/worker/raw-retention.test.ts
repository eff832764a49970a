import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../worker/config.ts';
import { compactRawTelemetry } from '../../worker/db/raw-retention.ts';
import { onSchedule } from '../../worker/scheduled.ts';

const TZ = 'Asia/Shanghai'; // UTC+8, no daylight saving: local midnight is 16:00 UTC the day before
const HOUR = 3_600_000;
const RAW = ['messages', 'events', 'stock_levels', 'samples', 'sessions', 'fault_events'] as const;
const ROLLUPS = ['item_hourly', 'item_daily', 'device_hourly', 'device_daily'] as const;

/** Local wall time in Shanghai → epoch ms. */
const shanghai = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h - 8, min);

/** One reading's raw rows in every raw table, placed at local time `ts` (day/hour as ingest stores them). */
function rawRows(device: string, key: string, ts: number): D1PreparedStatement[] {
  const local = new Date(ts + 8 * HOUR);
  const day = local.toISOString().slice(0, 10);
  const hour = local.getUTCHours();
  return [
    env.DB.prepare(
      `INSERT INTO messages (device_id, key, ts, type, body, ingest_id, received_at) VALUES (?, ?, ?, 'status', '{}', 'i', ?)`,
    ).bind(device, key, ts, ts),
    env.DB.prepare(
      `INSERT INTO events (device_id, key, ts, day, hour, type, item, qty) VALUES (?, ?, ?, ?, ?, 'dispense', 'water', 1)`,
    ).bind(device, key, ts, day, hour),
    env.DB.prepare(`INSERT INTO stock_levels (device_id, key, item, ts, day, hour, level) VALUES (?, ?, 'water', ?, ?, ?, 10)`).bind(
      device,
      key,
      ts,
      day,
      hour,
    ),
    env.DB.prepare(`INSERT INTO samples (device_id, key, ts, day, hour, battery_soc) VALUES (?, ?, ?, ?, ?, 80)`).bind(
      device,
      key,
      ts,
      day,
      hour,
    ),
    env.DB.prepare(
      `INSERT INTO sessions (device_id, key, port, started_at, ended_at, energy_wh, day, hour) VALUES (?, ?, 1, ?, ?, 5, ?, ?)`,
    ).bind(device, key, ts, ts + 60_000, day, hour),
    env.DB.prepare(`INSERT INTO fault_events (device_id, key, ts, code, active) VALUES (?, ?, ?, 'E1', 1)`).bind(device, key, ts),
  ];
}

function rollupRows(device: string, day: string, hour: number): D1PreparedStatement[] {
  return [
    env.DB.prepare(`INSERT INTO item_hourly (device_id, item, day, hour, dispensed) VALUES (?, 'water', ?, ?, 3)`).bind(device, day, hour),
    env.DB.prepare(`INSERT INTO item_daily (device_id, item, day, dispensed) VALUES (?, 'water', ?, 3)`).bind(device, day),
    env.DB.prepare(`INSERT INTO device_hourly (device_id, day, hour, samples) VALUES (?, ?, ?, 3)`).bind(device, day, hour),
    env.DB.prepare(`INSERT INTO device_daily (device_id, day, samples) VALUES (?, ?, 3)`).bind(device, day),
  ];
}

const count = async (table: string) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
const keys = async (table: string) =>
  (await env.DB.prepare(`SELECT DISTINCT device_id || '/' || key AS k FROM ${table} ORDER BY k`).all<{ k: string }>()).results.map(
    (r) => r.k,
  );

// Now: 2026-11-30 09:17 UTC = 17:17 in Shanghai. 100 days back is 2026-08-22 17:17 local, so the
// first local day kept is 2026-08-22.
const NOW = Date.UTC(2026, 10, 30, 9, 17);

describe('raw telemetry retention', () => {
  beforeEach(async () => {
    // The test file's database persists between its tests: start each from the same rows.
    await env.DB.batch([
      ...['devices', ...RAW, ...ROLLUPS].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
      ...['bench-a', 'station-a'].map((id) =>
        env.DB.prepare(`INSERT INTO devices (id, kind, site, created_at) VALUES (?, ?, 'site', 0)`).bind(
          id,
          id.startsWith('bench') ? 'bench' : 'station',
        ),
      ),
      // Old: days before the cut, up to the last minute of the local day before it.
      ...rawRows('bench-a', 'old1', shanghai(2026, 8, 1, 10)),
      ...rawRows('bench-a', 'old2', shanghai(2026, 8, 21, 23, 59)),
      ...rawRows('station-a', 'old3', shanghai(2026, 8, 20, 12)),
      ...rawRows('station-a', 'old4', shanghai(2026, 8, 21, 0, 0)),
      ...rawRows('station-a', 'old5', shanghai(2026, 5, 2, 8)),
      // Kept: from local midnight of the first day kept on.
      ...rawRows('bench-a', 'new1', shanghai(2026, 8, 22, 0, 0)),
      ...rawRows('station-a', 'new2', shanghai(2026, 11, 30, 17)),
      ...rollupRows('bench-a', '2026-08-01', 10),
      ...rollupRows('station-a', '2026-05-02', 8),
      ...rollupRows('station-a', '2026-11-30', 17),
    ]);
  });

  it('deletes raw rows before the first local day kept, in bounded chunks, and never touches rollups', async () => {
    const rollupsBefore = await Promise.all(ROLLUPS.map(count));
    const r = await compactRawTelemetry(env.DB, NOW, 100, TZ, { chunk: 2 });
    expect(r.keptFrom).toBe('2026-08-22');
    // Five old rows per table, two per statement: 2 + 2 + 1, the last one short.
    for (const t of RAW) expect(r.deleted[t]).toBe(5);
    expect(r.statements).toBe(RAW.length * 3);
    expect(r.more).toBe(false);
    for (const t of RAW) expect(await keys(t)).toEqual(['bench-a/new1', 'station-a/new2']);
    expect(await Promise.all(ROLLUPS.map(count))).toEqual(rollupsBefore);
    const daily = await env.DB.prepare(`SELECT device_id, day, dispensed FROM item_daily ORDER BY day`).all();
    expect(daily.results).toEqual([
      { device_id: 'station-a', day: '2026-05-02', dispensed: 3 },
      { device_id: 'bench-a', day: '2026-08-01', dispensed: 3 },
      { device_id: 'station-a', day: '2026-11-30', dispensed: 3 },
    ]);
    // Nothing old is left: a second run deletes nothing.
    const again = await compactRawTelemetry(env.DB, NOW, 100, TZ, { chunk: 2 });
    expect(Object.values(again.deleted)).toEqual(RAW.map(() => 0));
  });

  it('stops at its statement budget and finishes on the next run', async () => {
    const first = await compactRawTelemetry(env.DB, NOW, 100, TZ, { chunk: 2, maxStatements: 4 });
    expect(first.statements).toBe(4);
    expect(first.more).toBe(true);
    expect(first.deleted.messages).toBe(5);
    expect(first.deleted.events).toBe(2);
    expect(await count('events')).toBe(5);
    const second = await compactRawTelemetry(env.DB, NOW, 100, TZ, { chunk: 2 });
    expect(second.deleted.events).toBe(3);
    expect(second.more).toBe(false);
    for (const t of RAW) expect(await count(t)).toBe(2);
  });

  it('never keeps less than MAX_AGE_DAYS + 2, whatever RAW_RETENTION_DAYS says', () => {
    expect(readConfig({ MAX_AGE_DAYS: '90', RAW_RETENTION_DAYS: '30' }).rawRetentionDays).toBe(92);
    expect(readConfig({ MAX_AGE_DAYS: '90', RAW_RETENTION_DAYS: '400' }).rawRetentionDays).toBe(400);
    expect(readConfig({ MAX_AGE_DAYS: '90' }).rawRetentionDays).toBe(120);
    expect(readConfig({ MAX_AGE_DAYS: '7', RAW_RETENTION_DAYS: 'x' }).rawRetentionDays).toBe(120);
  });

  it('runs from the cron at minute 17 of each hour with the configured window', async () => {
    const days = readConfig(env).rawRetentionDays; // wrangler.jsonc: 120
    expect(days).toBe(120);
    // 120 days before 2026-11-30 17:17 local is 2026-08-02 17:17: the first day kept is 2026-08-02,
    // so only the row of 2026-08-01 and the one of 2026-05-02 go.
    await onSchedule(Date.UTC(2026, 10, 30, 9, 16), env);
    expect(await count('messages')).toBe(7);
    await onSchedule(NOW, env);
    expect(await keys('samples')).toEqual(['bench-a/new1', 'bench-a/old2', 'station-a/new2', 'station-a/old3', 'station-a/old4']);
    expect(await keys('messages')).toEqual(['bench-a/new1', 'bench-a/old2', 'station-a/new2', 'station-a/old3', 'station-a/old4']);
    expect(await count('device_daily')).toBe(3);
  });
});
