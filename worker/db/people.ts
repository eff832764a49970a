/** People: staff, handlers and supervisors, each in a unit; tokens and work-order steps name them. */
import { ApiError } from '../errors.ts';

export interface PersonView {
  id: string;
  name: string;
  unit: string | null;
  phone: string | null;
  teams: string[];
  created_at: string;
}

interface PersonRow {
  id: string;
  name: string;
  unit_id: string | null;
  phone: string | null;
  teams: string;
  created_at: number;
}

const SELECT = `SELECT p.id, p.name, p.unit_id, p.phone, p.created_at,
  (SELECT json_group_array(team_id) FROM (SELECT team_id FROM team_members m WHERE m.person_id = p.id ORDER BY team_id)) AS teams
  FROM people p`;

function rowToPerson(r: PersonRow): PersonView {
  return {
    id: r.id,
    name: r.name,
    unit: r.unit_id,
    phone: r.phone,
    teams: JSON.parse(r.teams) as string[],
    created_at: new Date(r.created_at).toISOString(),
  };
}

export async function listPeople(db: D1Database, filter: { unit?: string }): Promise<PersonView[]> {
  const { results } = await db
    .prepare(`${SELECT} WHERE (?1 IS NULL OR p.unit_id = ?1) ORDER BY p.id`)
    .bind(filter.unit ?? null)
    .all<PersonRow>();
  return results.map(rowToPerson);
}

export async function getPerson(db: D1Database, id: string): Promise<PersonView | null> {
  const row = await db.prepare(`${SELECT} WHERE p.id = ?`).bind(id).first<PersonRow>();
  return row ? rowToPerson(row) : null;
}

export async function personExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS x FROM people WHERE id = ?').bind(id).first()) !== null;
}

/** The people among `ids` that are not registered. */
export async function unknownPeople(db: D1Database, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const { results } = await db
    .prepare('SELECT j.value AS id FROM json_each(?1) j WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = j.value)')
    .bind(JSON.stringify(ids))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

export async function requirePeople(db: D1Database, ids: readonly string[], pointer: string): Promise<void> {
  const missing = await unknownPeople(db, ids);
  if (missing.length) {
    throw new ApiError(
      'validation_failed',
      `Unknown ${missing.length === 1 ? 'person' : 'people'} ${missing.map((m) => `"${m}"`).join(', ')}`,
      {
        errors: missing.map((m) => ({
          in: 'body' as const,
          pointer: `${pointer}/${ids.indexOf(m)}`,
          message: `no person with id "${m}"; create it first with POST /api/v1/people`,
        })),
      },
    );
  }
}

export async function insertPerson(
  db: D1Database,
  p: { id: string; name: string; unit?: string | null; phone?: string | null },
  now = Date.now(),
): Promise<boolean> {
  const r = await db
    .prepare('INSERT INTO people (id, name, unit_id, phone, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
    .bind(p.id, p.name, p.unit ?? null, p.phone ?? null, now)
    .run();
  return r.meta.changes > 0;
}

export async function patchPerson(
  db: D1Database,
  id: string,
  p: { name?: string; unit?: string | null; phone?: string | null },
): Promise<void> {
  await db
    .prepare(
      `UPDATE people SET name = COALESCE(?2, name), unit_id = CASE WHEN ?3 THEN ?4 ELSE unit_id END, phone = CASE WHEN ?5 THEN ?6 ELSE phone END WHERE id = ?1`,
    )
    .bind(id, p.name ?? null, p.unit !== undefined ? 1 : 0, p.unit ?? null, p.phone !== undefined ? 1 : 0, p.phone ?? null)
    .run();
}
