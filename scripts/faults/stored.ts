/**
 * Read what a local D1 (wrangler's `--persist-to` directory) holds, straight from its SQLite
 * file, read-only: the fault drill counts every stored row of every message, which no API lists
 * in full (the API shows a device's newest 100).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** The SQLite file of the Worker's one D1 database under a persist directory. */
export function localD1File(persistTo: string): string {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
  return join(dir, files[0]!);
}

/** Stored rows per (device, message key), per table: the ledger and each typed projection. */
export interface StoredRows {
  /** table → "device/key" → number of rows (stock_levels: one row per item of a message). */
  tables: Record<string, Map<string, number>>;
}

const TABLES = ['messages', 'events', 'stock_levels', 'samples', 'sessions', 'fault_events'] as const;

export function storedRows(persistTo: string, devices: readonly string[]): StoredRows {
  const db = new DatabaseSync(localD1File(persistTo), { readOnly: true });
  try {
    const tables: StoredRows['tables'] = {};
    const list = JSON.stringify(devices);
    for (const t of TABLES) {
      const counts = new Map<string, number>();
      const rows = db
        .prepare(
          `SELECT device_id AS d, key AS k, COUNT(*) AS n FROM ${t} WHERE device_id IN (SELECT value FROM json_each(?)) GROUP BY d, k`,
        )
        .all(list) as Array<{ d: string; k: string; n: number }>;
      for (const r of rows) counts.set(`${r.d}/${r.k}`, Number(r.n));
      tables[t] = counts;
    }
    return { tables };
  } finally {
    db.close();
  }
}
