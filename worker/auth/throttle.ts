import { ApiError } from '../errors.ts';

/**
 * Failed authentications are throttled per client (docs/security.md): each failure counts against
 * AUTH_FAIL_RATE_LIMIT keyed by the client's address; past the limit the client is refused with
 * 429 for a minute, valid tokens included, before any database look-up. The binding only counts;
 * the "refused until" mark is kept in this isolate (a client hopping isolates is still counted).
 *
 * The client is Cloudflare's `CF-Connecting-IP`, which a client cannot set. A request without it
 * (a test calling the Worker directly) is not throttled.
 */
const BLOCK_MS = 60_000;
const refusedUntil = new Map<string, number>();

export function clientAddress(req: Request): string | null {
  return req.headers.get('cf-connecting-ip');
}

function throttled(): ApiError {
  return new ApiError('rate_limited', 'Too many failed authentications from this client; retry after 60 s', {
    headers: { 'retry-after': '60' },
  });
}

/** Throws 429 while this client is refused for failed authentications. */
export function refuseThrottled(req: Request, now = Date.now()): void {
  const client = clientAddress(req);
  if (!client) return;
  const until = refusedUntil.get(client);
  if (until === undefined) return;
  if (until > now) throw throttled();
  refusedUntil.delete(client);
}

/** Count one failed authentication; returns the error to answer (the 401, or 429 past the limit). */
export async function failedAuthentication(env: Env, req: Request, unauthorized: ApiError, now = Date.now()): Promise<ApiError> {
  const client = clientAddress(req);
  if (!client || !env.AUTH_FAIL_RATE_LIMIT) return unauthorized;
  const { success } = await env.AUTH_FAIL_RATE_LIMIT.limit({ key: client });
  if (success) return unauthorized;
  if (refusedUntil.size > 10_000) refusedUntil.clear(); // bounded memory under a wide attack
  refusedUntil.set(client, now + BLOCK_MS);
  return throttled();
}
