/** Teams (班组): who a work order is dispatched to; members are people. */

export interface TeamView {
  id: string;
  name: string;
  unit: string | null;
  members: Array<{ id: string; name: string }>;
  created_at: string;
}

interface TeamRow {
  id: string;
  name: string;
  unit_id: string | null;
  members: string;
  created_at: number;
}

const SELECT = `SELECT t.id, t.name, t.unit_id, t.created_at,
  (SELECT json_group_array(json_object('id', id, 'name', name)) FROM
     (SELECT p.id, p.name FROM team_members m JOIN people p ON p.id = m.person_id WHERE m.team_id = t.id ORDER BY p.id)) AS members
  FROM teams t`;

function rowToTeam(r: TeamRow): TeamView {
  return {
    id: r.id,
    name: r.name,
    unit: r.unit_id,
    members: JSON.parse(r.members) as TeamView['members'],
    created_at: new Date(r.created_at).toISOString(),
  };
}

export async function listTeams(db: D1Database, filter: { unit?: string }): Promise<TeamView[]> {
  const { results } = await db
    .prepare(`${SELECT} WHERE (?1 IS NULL OR t.unit_id = ?1) ORDER BY t.id`)
    .bind(filter.unit ?? null)
    .all<TeamRow>();
  return results.map(rowToTeam);
}

export async function getTeam(db: D1Database, id: string): Promise<TeamView | null> {
  const row = await db.prepare(`${SELECT} WHERE t.id = ?`).bind(id).first<TeamRow>();
  return row ? rowToTeam(row) : null;
}

export async function teamExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS x FROM teams WHERE id = ?').bind(id).first()) !== null;
}

function membersStatements(db: D1Database, team: string, members: readonly string[]): D1PreparedStatement[] {
  return [
    db
      .prepare('DELETE FROM team_members WHERE team_id = ?1 AND person_id NOT IN (SELECT value FROM json_each(?2))')
      .bind(team, JSON.stringify(members)),
    db
      .prepare('INSERT INTO team_members (team_id, person_id) SELECT ?1, value FROM json_each(?2) WHERE 1 ON CONFLICT DO NOTHING')
      .bind(team, JSON.stringify(members)),
  ];
}

/** Team and members in one batch; false when the id is taken. */
export async function insertTeam(
  db: D1Database,
  t: { id: string; name: string; unit?: string | null; members?: readonly string[] },
  now = Date.now(),
): Promise<boolean> {
  if (await teamExists(db, t.id)) return false;
  try {
    await db.batch([
      db.prepare('INSERT INTO teams (id, name, unit_id, created_at) VALUES (?, ?, ?, ?)').bind(t.id, t.name, t.unit ?? null, now),
      ...membersStatements(db, t.id, t.members ?? []),
    ]);
  } catch (e) {
    if (String(e).includes('UNIQUE')) return false;
    throw e;
  }
  return true;
}

export async function patchTeam(db: D1Database, id: string, p: { name?: string; unit?: string | null }): Promise<void> {
  await db
    .prepare('UPDATE teams SET name = COALESCE(?2, name), unit_id = CASE WHEN ?3 THEN ?4 ELSE unit_id END WHERE id = ?1')
    .bind(id, p.name ?? null, p.unit !== undefined ? 1 : 0, p.unit ?? null)
    .run();
}

export async function setTeamMembers(db: D1Database, id: string, members: readonly string[]): Promise<void> {
  await db.batch(membersStatements(db, id, members));
}
