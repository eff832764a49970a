import { getToken } from '../lib/session.ts';

/** A failed API call, carrying the RFC 9457 problem when the server sent one. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly kind: 'network' | 'unauthorized' | 'forbidden' | 'not_found' | 'bad_request' | 'server';
  constructor(status: number, detail: string) {
    super(detail);
    this.status = status;
    this.kind =
      status === 0
        ? 'network'
        : status === 401
          ? 'unauthorized'
          : status === 403
            ? 'forbidden'
            : status === 404
              ? 'not_found'
              : status < 500
                ? 'bad_request'
                : 'server';
  }
}

/** Any 401 means the stored token stopped working: the shell listens and asks again. */
export const UNAUTHORIZED_EVENT = 'api-unauthorized';

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON when present; a Blob (a photo) is sent as itself, with its own type. */
  body?: unknown;
  signal?: AbortSignal;
  token?: string | null;
}

/**
 * The one way the dashboard calls the API: the bearer token, JSON bodies, and a failure turned
 * into an `ApiFailure` with the problem's `detail` (a 401 also tells the shell). Aborts pass through.
 */
export async function apiRequest(path: string, req: ApiRequest = {}): Promise<Response> {
  const token = req.token === undefined ? getToken() : req.token;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const blob = req.body instanceof Blob ? req.body : null;
  if (req.body !== undefined) headers['content-type'] = blob ? blob.type || 'application/octet-stream' : 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: req.method ?? 'GET',
      headers,
      body: blob ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
      signal: req.signal,
    });
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
  return res;
}

export async function apiGet<T>(path: string, signal?: AbortSignal, token = getToken()): Promise<T> {
  return (await (await apiRequest(path, { signal, token })).json()) as T;
}

export async function apiPost<T>(path: string, body: unknown, signal?: AbortSignal, token = getToken()): Promise<T> {
  return (await (await apiRequest(path, { method: 'POST', body, signal, token })).json()) as T;
}

/** A file the API serves (an export), as a Blob for the page to save. */
export async function apiBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  return (await apiRequest(path, { signal })).blob();
}
