/**
 * For `npm run bench` only: the same message rows ingestion writes to its ledger, as one bare
 * INSERT in one D1 batch: no token lookup, no validation, no de-duplication answer, no
 * projections, no rollups. All rows travel in one bound JSON value (json_each), as in ingestion.
 */
const BARE_INSERT = `INSERT OR IGNORE INTO messages (device_id, key, ts, type, body, ingest_id, received_at)
  SELECT ?1, j.value->>'k', j.value->>'ts', j.value->>'t', j.value->>'b', ?2, ?3 FROM json_each(?4) j`;

export interface BareRow {
  k: string;
  ts: number;
  t: string;
  b: string;
}

export async function bareInsert(db: D1Database, device: string, rows: BareRow[], now = Date.now()): Promise<void> {
  await db.batch([db.prepare(BARE_INSERT).bind(device, crypto.randomUUID(), now, JSON.stringify(rows))]);
}
