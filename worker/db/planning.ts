/**
 * Planning layers (walking network, population, the units' joins to the network) stored as
 * chunked blobs. Writing a layer: its chunks go in under a new version nobody reads yet, then one
 * batch points the layer at it and drops the old chunks, so a failed upload leaves the previous
 * layer whole (an abandoned version's chunks are swept at the next write).
 */
export type Layer = 'network' | 'population' | 'unit_snaps';

/*
 * Chunks travel as base64 text: D1 hands a BLOB back as a JavaScript array of numbers (one
 * element per byte), which costs ~0.2 s per MB to rebuild; a base64 string decodes natively.
 */
interface Base64Codec {
  fromBase64?: (s: string) => Uint8Array;
}

export function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function fromBase64(s: string): Uint8Array {
  const native = (Uint8Array as unknown as Base64Codec).fromBase64;
  if (typeof native === 'function') return native(s);
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** 1 MB of bytes is 1.33 MB of base64: below D1's 2 MB limit per row and per bound value. */
export const CHUNK_BYTES = 1_000_000;
/** Chunks inserted per batch while staging a layer (a batch is one request to D1). */
const CHUNKS_PER_BATCH = 4;

export interface LayerInfo<M = Record<string, unknown>> {
  layer: Layer;
  version: number;
  meta: M;
  bytes: number;
  chunks: number;
  updated_at: number;
}

interface LayerRow {
  layer: Layer;
  version: number;
  meta: string;
  bytes: number;
  chunks: number;
  updated_at: number;
}

const rowToInfo = <M>(r: LayerRow): LayerInfo<M> => ({ ...r, meta: JSON.parse(r.meta) as M });

export async function layerInfo<M = Record<string, unknown>>(db: D1Database, layer: Layer): Promise<LayerInfo<M> | null> {
  const r = await db
    .prepare('SELECT layer, version, meta, bytes, chunks, updated_at FROM planning_layers WHERE layer = ?')
    .bind(layer)
    .first<LayerRow>();
  return r ? rowToInfo<M>(r) : null;
}

export async function allLayerInfo(db: D1Database): Promise<Map<Layer, LayerInfo>> {
  const { results } = await db.prepare('SELECT layer, version, meta, bytes, chunks, updated_at FROM planning_layers').all<LayerRow>();
  return new Map(results.map((r) => [r.layer, rowToInfo(r)]));
}

/** A new version number: later than any stored (versions key the in-memory caches). */
async function nextVersion(db: D1Database, after = 0): Promise<number> {
  const r = await db.prepare('SELECT MAX(version) AS v FROM planning_chunks').first<{ v: number | null }>();
  const r2 = await db.prepare('SELECT MAX(version) AS v FROM planning_layers').first<{ v: number | null }>();
  return Math.max(Date.now(), (r?.v ?? 0) + 1, (r2?.v ?? 0) + 1, after + 1);
}

const isUniqueViolation = (e: unknown) => /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(String(e));

/**
 * Store `bytes` as the layer's new version. Safe against concurrent writers of the same layer
 * (docs/security.md): a version is claimed by inserting its first chunk (two writers that picked
 * the same number collide on the primary key and the second takes the next); the layer only ever
 * points at a version whose every chunk is present (checked in the same statement that moves
 * the pointer), and only forward, to a higher version; old chunks are dropped only below the
 * version the layer points at, never a writer's still in progress above it. `current` is false
 * when a newer version took the layer first: this one was then dropped.
 */
export async function writeLayer(
  db: D1Database,
  layer: Layer,
  bytes: Uint8Array,
  meta: Record<string, unknown>,
  now = Date.now(),
): Promise<LayerInfo & { current: boolean }> {
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  const insert = db.prepare('INSERT INTO planning_chunks (layer, version, seq, data) VALUES (?, ?, ?, ?)');
  const chunk = (version: number, i: number) =>
    insert.bind(layer, version, i, toBase64(bytes.subarray(i * CHUNK_BYTES, Math.min(bytes.length, (i + 1) * CHUNK_BYTES))));
  let version = await nextVersion(db);
  for (let attempt = 0; ; attempt++) {
    try {
      await chunk(version, 0).run();
      break;
    } catch (e) {
      if (attempt >= 8 || !isUniqueViolation(e)) throw e;
      version = await nextVersion(db, version);
    }
  }
  for (let s = 1; s < chunks; s += CHUNKS_PER_BATCH) {
    const batch: D1PreparedStatement[] = [];
    for (let i = s; i < Math.min(chunks, s + CHUNKS_PER_BATCH); i++) batch.push(chunk(version, i));
    await db.batch(batch);
  }
  const metaText = JSON.stringify(meta);
  const results = await db.batch<{ version: number }>([
    db
      .prepare(
        `INSERT INTO planning_layers (layer, version, meta, bytes, chunks, updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE (SELECT COUNT(*) FROM planning_chunks WHERE layer = ?1 AND version = ?2) = ?5
         ON CONFLICT (layer) DO UPDATE SET version = excluded.version, meta = excluded.meta, bytes = excluded.bytes, chunks = excluded.chunks, updated_at = excluded.updated_at
         WHERE excluded.version > planning_layers.version`,
      )
      .bind(layer, version, metaText, bytes.length, chunks, now),
    db
      .prepare(
        'DELETE FROM planning_chunks WHERE layer = ?1 AND version <= ?2 AND version IS NOT (SELECT version FROM planning_layers WHERE layer = ?1)',
      )
      .bind(layer, version),
    db.prepare('SELECT version FROM planning_layers WHERE layer = ?').bind(layer),
  ]);
  const current = results[2]?.results[0]?.version === version;
  return { layer, version, meta, bytes: bytes.length, chunks, updated_at: now, current };
}

/** Drop a layer (e.g. derived data that no longer matches its inputs). */
export async function deleteLayer(db: D1Database, layer: Layer): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM planning_layers WHERE layer = ?').bind(layer),
    db.prepare('DELETE FROM planning_chunks WHERE layer = ?').bind(layer),
  ]);
}

function toBytes(v: unknown): Uint8Array {
  if (typeof v === 'string') return fromBase64(v);
  throw new Error('planning chunk is not base64 text');
}

/** The layer's bytes at `version`, reassembled from its chunks (null if that version is gone). */
export async function readLayerBytes(db: D1Database, info: LayerInfo): Promise<Uint8Array | null> {
  const out = new Uint8Array(info.bytes);
  let got = 0;
  // One chunk per statement, a few statements per batch: every result stays small.
  const stmt = db.prepare('SELECT data FROM planning_chunks WHERE layer = ? AND version = ? AND seq = ?');
  for (let s = 0; s < info.chunks; s += CHUNKS_PER_BATCH) {
    const seqs = Array.from({ length: Math.min(CHUNKS_PER_BATCH, info.chunks - s) }, (_, k) => s + k);
    const rows = await db.batch<{ data: unknown }>(seqs.map((i) => stmt.bind(info.layer, info.version, i)));
    for (let k = 0; k < seqs.length; k++) {
      const r = rows[k]?.results[0];
      if (!r) return null;
      const b = toBytes(r.data);
      out.set(b, seqs[k]! * CHUNK_BYTES);
      got += b.length;
    }
  }
  return got === info.bytes ? out : null;
}

// ─── Staged (chunked) uploads ────────────────────────────────────────────────────────────────
// A network too large for one request is sent in parts. Each part is validated and stored
// compactly under layer `upload:<id>` (version = part number; seq -1 holds the part's summary,
// written last, so a part counts only once it is whole). Nothing is visible until commit.

const stagedLayer = (id: string) => `upload:${id}`;
/** The upload itself: version -1, seq -1 holds when it was opened. */
const OPENED = -1;

export interface PartSummary {
  part: number;
  first: number;
  features: number;
  excluded: number;
  bytes: number;
  chunks: number;
}

export async function openUpload(db: D1Database, id: string, now = Date.now()): Promise<void> {
  await db
    .prepare('INSERT INTO planning_chunks (layer, version, seq, data) VALUES (?, ?, -1, ?)')
    .bind(stagedLayer(id), OPENED, JSON.stringify({ opened_at: now }))
    .run();
}

export async function uploadExists(db: D1Database, id: string): Promise<boolean> {
  return (
    (await db
      .prepare('SELECT 1 AS x FROM planning_chunks WHERE layer = ? AND version = ? AND seq = -1')
      .bind(stagedLayer(id), OPENED)
      .first()) !== null
  );
}

export async function writePart(
  db: D1Database,
  id: string,
  s: Omit<PartSummary, 'bytes' | 'chunks'>,
  bytes: Uint8Array,
): Promise<PartSummary> {
  const layer = stagedLayer(id);
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  await db.prepare('DELETE FROM planning_chunks WHERE layer = ? AND version = ?').bind(layer, s.part).run();
  const insert = db.prepare('INSERT INTO planning_chunks (layer, version, seq, data) VALUES (?, ?, ?, ?)');
  for (let c = 0; c < chunks; c += CHUNKS_PER_BATCH) {
    const batch: D1PreparedStatement[] = [];
    for (let i = c; i < Math.min(chunks, c + CHUNKS_PER_BATCH); i++)
      batch.push(insert.bind(layer, s.part, i, toBase64(bytes.subarray(i * CHUNK_BYTES, Math.min(bytes.length, (i + 1) * CHUNK_BYTES)))));
    await db.batch(batch);
  }
  const summary: PartSummary = { ...s, bytes: bytes.length, chunks };
  await insert.bind(layer, s.part, -1, JSON.stringify(summary)).run();
  return summary;
}

export async function listParts(db: D1Database, id: string): Promise<PartSummary[]> {
  const { results } = await db
    .prepare('SELECT data FROM planning_chunks WHERE layer = ? AND seq = -1 AND version >= 0 ORDER BY version')
    .bind(stagedLayer(id))
    .all<{ data: string }>();
  return results.map((r) => JSON.parse(r.data) as PartSummary);
}

export async function readPart(db: D1Database, id: string, p: PartSummary): Promise<Uint8Array | null> {
  return readLayerBytes(db, {
    layer: stagedLayer(id) as Layer,
    version: p.part,
    meta: {},
    bytes: p.bytes,
    chunks: p.chunks,
    updated_at: 0,
  });
}

export async function dropUpload(db: D1Database, id: string): Promise<void> {
  await db.prepare('DELETE FROM planning_chunks WHERE layer = ?').bind(stagedLayer(id)).run();
}

/** Staged uploads opened before `before` and never committed. */
export async function sweepUploads(db: D1Database, before: number): Promise<number> {
  const { results } = await db
    .prepare("SELECT layer, data FROM planning_chunks WHERE layer LIKE 'upload:%' AND version = ? AND seq = -1")
    .bind(OPENED)
    .all<{ layer: string; data: string }>();
  const stale = results.filter((r) => (JSON.parse(r.data) as { opened_at: number }).opened_at < before).map((r) => r.layer);
  if (stale.length) await db.batch(stale.map((l) => db.prepare('DELETE FROM planning_chunks WHERE layer = ?').bind(l)));
  return stale.length;
}
