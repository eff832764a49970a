/** User API tokens (admin, staff, planner): only the hash is stored; the secret is shown once. */
import type { Role } from '../auth/roles.ts';
import { isoOrNull } from '../domain/local-time.ts';

export interface ApiTokenView {
  id: string;
  name: string;
  role: Role;
  /** Absent when the token belongs to no person (the shape tokens had before people existed). */
  person?: string;
  created_at: string;
  revoked_at: string | null;
}

interface ApiTokenRow {
  id: string;
  name: string;
  role: Role;
  person_id: string | null;
  created_at: number;
  revoked_at: number | null;
}

function rowToToken(r: ApiTokenRow): ApiTokenView {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    ...(r.person_id ? { person: r.person_id } : {}),
    created_at: new Date(r.created_at).toISOString(),
    revoked_at: isoOrNull(r.revoked_at),
  };
}

export async function insertApiToken(
  db: D1Database,
  t: { id: string; name: string; role: Role; person?: string },
  tokenHash: string,
  now = Date.now(),
): Promise<ApiTokenView> {
  await db
    .prepare('INSERT INTO api_tokens (id, name, role, token_hash, person_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(t.id, t.name, t.role, tokenHash, t.person ?? null, now)
    .run();
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    ...(t.person ? { person: t.person } : {}),
    created_at: new Date(now).toISOString(),
    revoked_at: null,
  };
}

export async function listApiTokens(db: D1Database, includeRevoked: boolean): Promise<ApiTokenView[]> {
  const { results } = await db
    .prepare(
      'SELECT id, name, role, person_id, created_at, revoked_at FROM api_tokens WHERE (?1 OR revoked_at IS NULL) ORDER BY created_at, id',
    )
    .bind(includeRevoked ? 1 : 0)
    .all<ApiTokenRow>();
  return results.map(rowToToken);
}

/** Revoke a token (it stops working with this write). 'unknown' when no such id; revoking twice is harmless. */
export async function revokeApiToken(db: D1Database, id: string, now = Date.now()): Promise<'revoked' | 'unknown'> {
  const r = await db.prepare('UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1').bind(id, now).run();
  return r.meta.changes > 0 ? 'revoked' : 'unknown';
}
