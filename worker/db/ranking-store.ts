/** Ranking settings, published snapshots and the log of publications and recomputations. */
import { mergeConfig, type RankingConfig } from '../domain/ranking/weights.ts';

export type RankBy = 'district' | 'unit';

export async function loadConfig(db: D1Database): Promise<RankingConfig> {
  const row = await db.prepare(`SELECT value FROM ranking_settings WHERE key = 'config'`).first<{ value: string }>();
  return mergeConfig(row ? (JSON.parse(row.value) as Partial<RankingConfig>) : null);
}

export async function saveConfig(db: D1Database, cfg: RankingConfig, by: string, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO ranking_settings (key, value, updated_at, updated_by) VALUES ('config', ?1, ?2, ?3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .bind(JSON.stringify(cfg), now, by)
    .run();
}

export interface Snapshot<T> {
  body: T;
  published_at: number;
  published_by: string;
}

export async function loadSnapshot<T>(db: D1Database, month: string, by: RankBy): Promise<Snapshot<T> | null> {
  const row = await db
    .prepare('SELECT body, published_at, published_by FROM ranking_snapshots WHERE month = ? AND by = ?')
    .bind(month, by)
    .first<{ body: string; published_at: number; published_by: string }>();
  return row ? { body: JSON.parse(row.body) as T, published_at: row.published_at, published_by: row.published_by } : null;
}

/** Months with a published ranking, newest first. */
export async function publishedMonths(db: D1Database, by: RankBy, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT month FROM ranking_snapshots WHERE by = ? ORDER BY month DESC LIMIT ?')
    .bind(by, limit)
    .all<{ month: string }>();
  return results.map((r) => r.month);
}

export interface LogEntry {
  id: string;
  month: string;
  action: 'publish' | 'recompute';
  reason: string | null;
  at: number;
  by: string;
  before: Record<RankBy, Record<string, number | null>> | null;
  after: Record<RankBy, Record<string, number | null>>;
}

/**
 * Store both rankings of a month and the log entry in one batch (all or nothing). `expectPublished`
 * guards the race of two publications: the snapshot insert only replaces when asked to.
 */
export async function writeSnapshots(
  db: D1Database,
  month: string,
  bodies: Record<RankBy, unknown>,
  entry: LogEntry,
  replace: boolean,
): Promise<void> {
  const insert = db.prepare(
    replace
      ? `INSERT INTO ranking_snapshots (month, by, body, published_at, published_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (month, by) DO UPDATE SET body = excluded.body, published_at = excluded.published_at, published_by = excluded.published_by`
      : 'INSERT INTO ranking_snapshots (month, by, body, published_at, published_by) VALUES (?, ?, ?, ?, ?)',
  );
  await db.batch([
    insert.bind(month, 'district', JSON.stringify(bodies.district), entry.at, entry.by),
    insert.bind(month, 'unit', JSON.stringify(bodies.unit), entry.at, entry.by),
    db
      .prepare('INSERT INTO ranking_log (id, month, action, reason, at, by, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .bind(
        entry.id,
        month,
        entry.action,
        entry.reason,
        entry.at,
        entry.by,
        entry.before ? JSON.stringify(entry.before) : null,
        JSON.stringify(entry.after),
      ),
  ]);
}

export async function loadLog(db: D1Database, month: string): Promise<LogEntry[]> {
  const { results } = await db
    .prepare('SELECT id, month, action, reason, at, by, before, after FROM ranking_log WHERE month = ? ORDER BY at, id')
    .bind(month)
    .all<Omit<LogEntry, 'before' | 'after'> & { before: string | null; after: string }>();
  return results.map((r) => ({ ...r, before: r.before ? JSON.parse(r.before) : null, after: JSON.parse(r.after) }));
}
