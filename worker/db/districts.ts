/** Districts: the city's administrative areas that parks and stations belong to. */
import { ApiError } from '../errors.ts';

export interface DistrictView {
  id: string;
  name: string;
  parks: number;
  stations: number;
  has_boundary: boolean;
  created_at: string;
}

interface DistrictRow {
  id: string;
  name: string;
  parks: number;
  stations: number;
  has_boundary: number;
  created_at: number;
}

const SELECT = `SELECT d.id, d.name, d.created_at, d.boundary IS NOT NULL AS has_boundary,
  (SELECT COUNT(*) FROM parks p WHERE p.district = d.id) AS parks,
  (SELECT COUNT(*) FROM stations s WHERE s.district = d.id) AS stations
  FROM districts d`;

function rowToDistrict(r: DistrictRow): DistrictView {
  return {
    id: r.id,
    name: r.name,
    parks: r.parks,
    stations: r.stations,
    has_boundary: r.has_boundary === 1,
    created_at: new Date(r.created_at).toISOString(),
  };
}

export async function listDistricts(db: D1Database): Promise<DistrictView[]> {
  const { results } = await db.prepare(`${SELECT} ORDER BY d.id`).all<DistrictRow>();
  return results.map(rowToDistrict);
}

export async function getDistrict(
  db: D1Database,
  id: string,
): Promise<(DistrictView & { boundary: Record<string, unknown> | null }) | null> {
  const row = await db
    .prepare(`${SELECT.replace('SELECT d.id', 'SELECT d.boundary, d.id')} WHERE d.id = ?`)
    .bind(id)
    .first<DistrictRow & { boundary: string | null }>();
  if (!row) return null;
  return { ...rowToDistrict(row), boundary: row.boundary === null ? null : (JSON.parse(row.boundary) as Record<string, unknown>) };
}

export async function districtExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS x FROM districts WHERE id = ?').bind(id).first()) !== null;
}

/** Insert a new district; false when the id is taken. */
export async function insertDistrict(
  db: D1Database,
  d: { id: string; name: string; boundary?: object },
  now = Date.now(),
): Promise<boolean> {
  const r = await db
    .prepare('INSERT INTO districts (id, name, boundary, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
    .bind(d.id, d.name, d.boundary ? JSON.stringify(d.boundary) : null, now)
    .run();
  return r.meta.changes > 0;
}

export async function patchDistrict(db: D1Database, id: string, p: { name?: string; boundary?: object | null }): Promise<boolean> {
  const r = await db
    .prepare('UPDATE districts SET name = COALESCE(?2, name), boundary = CASE WHEN ?3 THEN ?4 ELSE boundary END WHERE id = ?1')
    .bind(id, p.name ?? null, p.boundary !== undefined ? 1 : 0, p.boundary ? JSON.stringify(p.boundary) : null)
    .run();
  return r.meta.changes > 0;
}

/** A 400 pointing at the body's `district` unless the district exists. */
export async function requireDistrict(db: D1Database, id: string): Promise<void> {
  if (!(await districtExists(db, id))) {
    throw new ApiError('validation_failed', `Unknown district "${id}"`, {
      errors: [{ in: 'body', pointer: '/district', message: `no district with id "${id}"; create it first with POST /api/v1/districts` }],
    });
  }
}
