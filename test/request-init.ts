/** A request as the tests write one: an optional bearer token and an optional JSON body. */
export type TestRequestInit = RequestInit & { token?: string; json?: unknown };

/**
 * The fetch options of such a request, used by the Worker-side tests (the Worker's own fetch) and
 * the node-side ones (a local `wrangler dev`) alike.
 */
export function requestInit(init: TestRequestInit): RequestInit {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return { ...init, headers, body };
}
