import { exports } from 'cloudflare:workers';

/** At least 32 characters: the Worker refuses a shorter ADMIN_TOKEN (docs/security.md). */
export const ADMIN = 'test-admin-token-0123456789abcdef';

/** Call the Worker's own fetch, as a client would. */
export function call(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return exports.default.fetch(new Request(`https://amenity.test${path}`, { ...init, headers, body }));
}

export const asAdmin = (path: string, init: RequestInit & { json?: unknown } = {}) => call(path, { ...init, token: ADMIN });
