import { createMiddleware } from 'hono/factory';
import { clientAddress } from '../auth/throttle.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/**
 * The public endpoints (no token) at the edge (docs/security.md): a GET answer is kept in the
 * Cache API for PUBLIC_CACHE_S seconds (default 30), so a crowd of phones reading the map costs one
 * database read per colo and half minute; what misses the cache counts against PUBLIC_RATE_LIMIT
 * per client address (a client varying the query to dodge the cache is limited).
 */
export const publicEdge = createMiddleware<AppEnv>(async (c, next) => {
  const seconds = Number(c.env.PUBLIC_CACHE_S ?? '30');
  const cacheable = c.req.method === 'GET' && Number.isFinite(seconds) && seconds > 0 && typeof caches !== 'undefined';
  // Only the URL keys the cache: public answers do not depend on any header.
  const key = new Request(c.req.url, { method: 'GET' });
  if (cacheable) {
    const hit = await caches.default.match(key);
    if (hit) {
      c.res = new Response(hit.body, hit);
      c.res.headers.set('x-edge-cache', 'hit');
      return;
    }
  }
  const client = clientAddress(c.req.raw);
  if (client && c.env.PUBLIC_RATE_LIMIT) {
    const { success } = await c.env.PUBLIC_RATE_LIMIT.limit({ key: client });
    if (!success)
      throw new ApiError('rate_limited', 'Too many requests from this client; retry after 60 s', { headers: { 'retry-after': '60' } });
  }
  await next();
  if (cacheable && c.res.status === 200) {
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set('cache-control', `public, max-age=${Math.floor(seconds)}`);
    c.res.headers.set('x-edge-cache', 'miss');
    c.executionCtx.waitUntil(caches.default.put(key, c.res.clone()));
  }
});
