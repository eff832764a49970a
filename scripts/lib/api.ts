/** A small client for the project's own HTTP API (admin token), used by the demo loader and scripts. */

export class ApiFailure extends Error {
  readonly status: number;
  readonly body: string;
  constructor(method: string, path: string, status: number, body: string) {
    super(`${method} ${path} answered ${status}: ${body.slice(0, 800)}`);
    this.status = status;
    this.body = body;
  }
}

export interface Api {
  url: string;
  request<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
}

/** `fetcher`: the global fetch, or another way to reach the Worker (a test's own binding). */
export function api(url: string, token: string, fetcher: typeof fetch = (i, init) => fetch(i, init)): Api {
  return {
    url,
    async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      let payload: string | undefined;
      if (body !== undefined) {
        headers['content-type'] = contentType;
        payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const res = await fetcher(`${url}${path}`, { method, headers, body: payload });
      const text = await res.text();
      if (!res.ok) throw new ApiFailure(method, path, res.status, text);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

/** POST something that may already exist: a 409 (already there) is fine, so loaders can re-run. */
export async function createOrKeep(client: Api, path: string, body: object): Promise<void> {
  try {
    await client.request('POST', path, body);
  } catch (e) {
    if (!(e instanceof ApiFailure) || e.status !== 409) throw e;
  }
}
