import { readConfig } from '../config.ts';
import { localDay, startOfLocalDay } from '../domain/local-time.ts';

/**
 * Raw telemetry retention: the de-duplication ledger and the typed rows older than
 * RAW_RETENTION_DAYS are deleted; the hourly and daily rollups (and everything else) are kept for
 * ever. The cut is a whole local day, so an hour's raw rows go all together, and the window is
 * never shorter than MAX_AGE_DAYS + 2 (see Config.rawRetentionDays): ingest recomputes a touched
 * hour's rollups from its raw rows, so only hours no reading can reach any more may lose them.
 *
 * The work is bounded: each statement deletes at most `chunk` rows of one table, and one run
 * issues at most `maxStatements` statements, each its own small write, so ingest requests
 * interleave with them. A backlog (retention switched on for an old database) is worked off over
 * the following hours.
 */

/** Raw tables, their primary key, and the index that finds a device's old rows without a scan. */
const TABLES = [
  { table: 'messages', key: 'device_id, key', index: 'messages_ts', old: 'ts < ?1' },
  { table: 'events', key: 'device_id, key', index: 'events_hour', old: 'day < ?2' },
  { table: 'stock_levels', key: 'device_id, key, item', index: 'stock_levels_hour', old: 'day < ?2' },
  { table: 'samples', key: 'device_id, key', index: 'samples_hour', old: 'day < ?2' },
  { table: 'sessions', key: 'device_id, key', index: 'sessions_hour', old: 'day < ?2' },
  { table: 'fault_events', key: 'device_id, key', index: 'fault_events_ts', old: 'ts < ?1' },
] as const;

export type RawTable = (typeof TABLES)[number]['table'];

/**
 * One bounded delete: the devices drive the loop (CROSS JOIN), so each device's old rows are an
 * index range and a device with none costs one seek. ?1 cut instant, ?2 cut local day, ?3 chunk.
 */
const deleteSql = (t: (typeof TABLES)[number]) =>
  `DELETE FROM ${t.table} WHERE (${t.key}) IN (
    SELECT ${t.key.replace(/(\w+)/g, 'r.$1')} FROM devices d CROSS JOIN ${t.table} r INDEXED BY ${t.index}
    ON r.device_id = d.id AND r.${t.old} LIMIT ?3)`;

export interface Compaction {
  /** the first local day kept */
  keptFrom: string;
  deleted: Record<RawTable, number>;
  statements: number;
  /** true when the statement budget ran out before every old row was gone */
  more: boolean;
}

export async function compactRawTelemetry(
  db: D1Database,
  now: number,
  retentionDays: number,
  tz: string,
  opts: { chunk?: number; maxStatements?: number } = {},
): Promise<Compaction> {
  const chunk = opts.chunk ?? 1000;
  const budget = opts.maxStatements ?? 60;
  const keptFrom = localDay(now - retentionDays * 86_400_000, tz);
  const cutMs = startOfLocalDay(keptFrom, tz);
  const deleted = Object.fromEntries(TABLES.map((t) => [t.table, 0])) as Record<RawTable, number>;
  let statements = 0;
  let more = false;
  for (const t of TABLES) {
    const stmt = db.prepare(deleteSql(t));
    for (;;) {
      if (statements >= budget) {
        more = true;
        break;
      }
      const res = await stmt.bind(cutMs, keptFrom, chunk).run();
      statements++;
      const n = res.meta.changes ?? 0;
      deleted[t.table] += n;
      if (n < chunk) break;
    }
    if (more) break;
  }
  return { keptFrom, deleted, statements, more };
}

/** The hourly job (scheduled.ts). */
export async function scheduledCompaction(scheduledTime: number, env: Env): Promise<void> {
  const cfg = readConfig(env);
  const r = await compactRawTelemetry(env.DB, scheduledTime, cfg.rawRetentionDays, cfg.tz);
  const total = Object.values(r.deleted).reduce((a, b) => a + b, 0);
  if (total > 0 || r.more) console.log('raw compaction', JSON.stringify(r));
}
