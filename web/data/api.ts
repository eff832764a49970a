import { getToken } from '../lib/session.ts';

/** A failed API call, carrying the RFC 9457 problem when the server sent one. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly kind: 'network' | 'unauthorized' | 'forbidden' | 'not_found' | 'bad_request' | 'server';
  constructor(status: number, detail: string) {
    super(detail);
    this.status = status;
    this.kind =
      status === 0 ? 'network' : status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status < 500 ? 'bad_request' : 'server';
  }
}

/** Any 401 means the stored token stopped working: the shell listens and asks again. */
export const UNAUTHORIZED_EVENT = 'api-unauthorized';

export async function apiGet<T>(path: string, signal?: AbortSignal, token = getToken()): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiFailure(0, String(e instanceof Error ? e.message : e));
  }
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const body = (await res.json()) as { detail?: string };
      if (body.detail) detail = body.detail;
    } catch {
      // Not a problem document; keep the status text.
    }
    if (res.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    throw new ApiFailure(res.status, detail);
  }
  return (await res.json()) as T;
}

/**
 * POST a JSON body (or a Blob as itself, with its own type: a photo). Resolves with the status
 * and body of any 2xx answer (a caller may need to tell 201 from 200); throws ApiFailure
 * otherwise, with status 0 when the network failed (the caller may retry: nothing was confirmed).
 */
export async function apiPost<T>(path: string, body: unknown, token = getToken()): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const isBlob = body instanceof Blob;
  headers['content-type'] = isBlob ? body.type || 'application/octet-stream' : 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: isBlob ? body : JSON.stringify(body) });
  } catch (e) {
    throw new ApiFailure(0, String(e instanceof Error ? e.message : e));
  }
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const problem = (await res.json()) as { detail?: string };
      if (problem.detail) detail = problem.detail;
    } catch {
      // Not a problem document; keep the status text.
    }
    if (res.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    throw new ApiFailure(res.status, detail);
  }
  return { status: res.status, body: (await res.json()) as T };
}

/** An authorised binary resource (a photo) as a Blob, for an object URL. */
export async function apiBlob(path: string, signal?: AbortSignal, token = getToken()): Promise<Blob> {
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal });
  if (!res.ok) throw new ApiFailure(res.status, res.statusText);
  return res.blob();
}
