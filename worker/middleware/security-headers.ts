import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { API_CSP, COMMON_HEADERS, PAGE_CSP } from '../security-policy.ts';

/** Sets the headers after the handler ran (also on problem answers from onError / notFound). */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const h = c.res.headers;
  // A response straight from fetch() or the Cache API may be immutable: copy it once.
  try {
    h.set('x-content-type-options', 'nosniff');
  } catch {
    c.res = new Response(c.res.body, c.res);
  }
  for (const [k, v] of Object.entries(COMMON_HEADERS)) c.res.headers.set(k, v);
  const type = c.res.headers.get('content-type') ?? '';
  c.res.headers.set('content-security-policy', type.startsWith('text/html') ? PAGE_CSP : API_CSP);
});
