import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.ts';
import type { AppEnv, Caller } from '../env.ts';
import { failedAuthentication, refuseThrottled } from './throttle.ts';
import { bearer, hashToken, timingSafeEqual } from './tokens.ts';

import { ROLES, type Role } from '../schemas/common.ts';

export { ROLES, type Role };

/**
 * The ADMIN_TOKEN secret is refused when shorter than this (docs/security.md): `npm start` makes a
 * 256-bit one, and the Worker never accepts a short, guessable one as the admin's key.
 */
export const MIN_ADMIN_TOKEN_CHARS = 32;

/** Resolve a user API token (or the ADMIN_TOKEN secret) to its caller; null when unknown. */
export async function resolveCaller(db: D1Database, adminSecret: string | undefined, token: string): Promise<Caller | null> {
  if (adminSecret && adminSecret.length >= MIN_ADMIN_TOKEN_CHARS && timingSafeEqual(token, adminSecret))
    return { id: 'admin-secret', role: 'admin', person: null };
  const row = await db
    .prepare('SELECT id, role, person_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL')
    .bind(await hashToken(token))
    .first<{ id: string; role: Role; person_id: string | null }>();
  return row ? { id: row.id, role: row.role, person: row.person_id } : null;
}

/**
 * Guard a route: the caller must hold one of `roles`. Admin may do everything; a supervisor
 * (督查) reads everything (any GET or HEAD), and writes only where a route names the role.
 * 401 when the token is missing or unknown, 403 when the role does not fit.
 */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    if (!token)
      throw new ApiError('unauthorized', 'Missing "Authorization: Bearer <token>" header', { headers: { 'www-authenticate': 'Bearer' } });
    refuseThrottled(c.req.raw);
    const caller = await resolveCaller(c.env.DB, c.env.ADMIN_TOKEN, token);
    if (!caller) {
      const secret = c.env.ADMIN_TOKEN;
      const short = secret && secret.length < MIN_ADMIN_TOKEN_CHARS && timingSafeEqual(token, secret);
      const detail = short
        ? `The ADMIN_TOKEN secret is shorter than ${MIN_ADMIN_TOKEN_CHARS} characters and is not accepted; set a longer one (wrangler secret put ADMIN_TOKEN)`
        : 'Unknown or revoked API token';
      throw await failedAuthentication(
        c.env,
        c.req.raw,
        new ApiError('unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } }),
      );
    }
    const supervisorReads = caller.role === 'supervisor' && (c.req.method === 'GET' || c.req.method === 'HEAD');
    if (caller.role !== 'admin' && !supervisorReads && !roles.includes(caller.role)) {
      throw new ApiError(
        'forbidden',
        `This endpoint needs the role ${['admin', ...roles.filter((r) => r !== 'admin')].join(' or ')}; your token has ${caller.role}`,
      );
    }
    c.set('caller', caller);
    await next();
  });
}
