/** Responsible units (包片): 街道办事处, 环卫所, park management... and the sites each answers for. */
import { ApiError } from '../errors.ts';

export type UnitKind = 'street_office' | 'sanitation' | 'park_management' | 'other';

export interface UnitView {
  id: string;
  name: string;
  kind: UnitKind;
  district: string | null;
  stations: number;
  parks: number;
  benches: number;
  created_at: string;
}

type UnitRow = Omit<UnitView, 'created_at'> & { created_at: number };

const SELECT = `SELECT u.id, u.name, u.kind, u.district, u.created_at,
  (SELECT COUNT(*) FROM stations s WHERE s.unit_id = u.id) AS stations,
  (SELECT COUNT(*) FROM parks p WHERE p.unit_id = u.id) AS parks,
  (SELECT COUNT(*) FROM devices d WHERE d.kind = 'bench' AND d.unit_id = u.id) AS benches
  FROM units u`;

const rowToUnit = (r: UnitRow): UnitView => ({ ...r, created_at: new Date(r.created_at).toISOString() });

export async function listUnits(db: D1Database): Promise<UnitView[]> {
  const { results } = await db.prepare(`${SELECT} ORDER BY u.id`).all<UnitRow>();
  return results.map(rowToUnit);
}

export async function getUnit(db: D1Database, id: string): Promise<UnitView | null> {
  const row = await db.prepare(`${SELECT} WHERE u.id = ?`).bind(id).first<UnitRow>();
  return row ? rowToUnit(row) : null;
}

export async function unitExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS x FROM units WHERE id = ?').bind(id).first()) !== null;
}

/** A 400 pointing at `pointer` when the unit is not registered. */
export async function requireUnit(db: D1Database, id: string, pointer = '/unit'): Promise<void> {
  if (!(await unitExists(db, id))) {
    throw new ApiError('validation_failed', `Unknown unit "${id}"`, {
      errors: [{ in: 'body', pointer, message: `no unit with id "${id}"; create it first with POST /api/v1/units` }],
    });
  }
}

/** false when the id is taken. */
export async function insertUnit(
  db: D1Database,
  u: { id: string; name: string; kind?: UnitKind; district?: string | null },
  now = Date.now(),
): Promise<boolean> {
  const r = await db
    .prepare('INSERT INTO units (id, name, kind, district, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
    .bind(u.id, u.name, u.kind ?? 'other', u.district ?? null, now)
    .run();
  return r.meta.changes > 0;
}

export async function patchUnit(
  db: D1Database,
  id: string,
  p: { name?: string; kind?: UnitKind; district?: string | null },
): Promise<void> {
  await db
    .prepare(
      'UPDATE units SET name = COALESCE(?2, name), kind = COALESCE(?3, kind), district = CASE WHEN ?4 THEN ?5 ELSE district END WHERE id = ?1',
    )
    .bind(id, p.name ?? null, p.kind ?? null, p.district !== undefined ? 1 : 0, p.district ?? null)
    .run();
}

export interface UnitSites {
  unit: string;
  stations: string[];
  parks: string[];
  benches: string[];
}

export async function unitSites(db: D1Database, id: string): Promise<UnitSites> {
  const [s, p, b] = await db.batch<{ id: string }>([
    db.prepare('SELECT id FROM stations WHERE unit_id = ? ORDER BY id').bind(id),
    db.prepare('SELECT id FROM parks WHERE unit_id = ? ORDER BY id').bind(id),
    db.prepare("SELECT id FROM devices WHERE kind = 'bench' AND unit_id = ? ORDER BY id").bind(id),
  ]);
  return { unit: id, stations: s!.results.map((r) => r.id), parks: p!.results.map((r) => r.id), benches: b!.results.map((r) => r.id) };
}

const SITE_TABLES = {
  stations: { table: 'stations', where: '1' },
  parks: { table: 'parks', where: '1' },
  benches: { table: 'devices', where: "kind = 'bench'" },
} as const;
export type SiteList = keyof typeof SITE_TABLES;

/** The ids of `list` that are not registered sites of that kind. Ids travel as one JSON value. */
export async function unknownSites(db: D1Database, list: SiteList, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const { table, where } = SITE_TABLES[list];
  const { results } = await db
    .prepare(`SELECT j.value AS id FROM json_each(?1) j WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = j.value AND ${where})`)
    .bind(JSON.stringify(ids))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * Make exactly `ids` the unit's sites of that kind: release the ones it had that are not listed,
 * claim the listed ones (from whichever unit had them). Two statements for the caller's batch.
 */
export function setUnitSitesStatements(db: D1Database, unit: string, list: SiteList, ids: readonly string[]): D1PreparedStatement[] {
  const { table, where } = SITE_TABLES[list];
  const json = JSON.stringify(ids);
  return [
    db
      .prepare(`UPDATE ${table} SET unit_id = NULL WHERE unit_id = ?1 AND ${where} AND id NOT IN (SELECT value FROM json_each(?2))`)
      .bind(unit, json),
    db.prepare(`UPDATE ${table} SET unit_id = ?1 WHERE ${where} AND id IN (SELECT value FROM json_each(?2))`).bind(unit, json),
  ];
}
