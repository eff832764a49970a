import type { LevelFigure } from '../domain/coverage/aggregate.ts';

export interface TrendInsert {
  at: number;
  day: string;
  hour: number;
  kind: 'station' | 'bench' | 'all';
  method: string;
  speed: number;
  population: number;
  amenities: number;
  levels: LevelFigure[];
}

export async function insertTrend(db: D1Database, rows: TrendInsert[]): Promise<void> {
  if (!rows.length) return;
  const stmt = db.prepare(
    `INSERT INTO coverage_trend (at, day, hour, kind, method, speed_m_per_min, population, amenities, levels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, at) DO UPDATE SET method = excluded.method, speed_m_per_min = excluded.speed_m_per_min, population = excluded.population, amenities = excluded.amenities, levels = excluded.levels`,
  );
  await db.batch(
    rows.map((r) => stmt.bind(r.at, r.day, r.hour, r.kind, r.method, r.speed, r.population, r.amenities, JSON.stringify(r.levels))),
  );
}

interface TrendRow {
  at: number;
  day: string;
  hour: number;
  method: string;
  speed_m_per_min: number;
  population: number;
  amenities: number;
  levels: string;
}

export async function listTrend(db: D1Database, kind: string, fromDay: string, toDay: string) {
  const { results } = await db
    .prepare(
      'SELECT at, day, hour, method, speed_m_per_min, population, amenities, levels FROM coverage_trend WHERE kind = ? AND day >= ? AND day <= ? ORDER BY at',
    )
    .bind(kind, fromDay, toDay)
    .all<TrendRow>();
  return results.map((r) => ({ ...r, at: new Date(r.at).toISOString(), levels: JSON.parse(r.levels) as LevelFigure[] }));
}
