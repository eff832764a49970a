import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Problem } from './schemas/common.ts';

/** One validation failure: where (a JSON pointer into `in`) and what is wrong. */
export interface FieldError {
  in?: 'body' | 'query' | 'path' | 'header';
  pointer: string;
  message: string;
}

/** Stable problem codes; the `type` URI of a problem is `/problems/<code>`. */
export type ProblemCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal'
  | 'invalid_transition'
  | 'alert_not_resolved';

const TITLES: Record<ProblemCode, string> = {
  bad_request: 'Bad request',
  validation_failed: 'Validation failed',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal: 'Internal server error',
  invalid_transition: 'Invalid work-order transition',
  alert_not_resolved: 'Alert not resolved',
};

const STATUS: Record<ProblemCode, ContentfulStatusCode> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  invalid_transition: 409,
  alert_not_resolved: 409,
};

/** The one error type handlers throw; `app.onError` turns it into RFC 9457 problem details. */
export class ApiError extends Error {
  readonly code: ProblemCode;
  readonly status: ContentfulStatusCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  constructor(code: ProblemCode, detail: string, opts: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.code = code;
    this.status = STATUS[code];
    this.errors = opts.errors;
    this.headers = opts.headers;
  }
}

/** The body of every error answer (the Problem schema's type). */
export type { Problem };

/**
 * Bounds of every problem answer, whatever the request held: a detail, pointer or message that
 * echoes input is cut, and at most MAX_PROBLEM_ERRORS field errors are listed. So no request can
 * make an error answer larger than about 100 KB (docs/security.md).
 */
export const MAX_DETAIL_CHARS = 1000;
export const MAX_ECHO_CHARS = 200;
export const MAX_PROBLEM_ERRORS = 100;

/** `s` cut to at most `max` characters (code points, so no half surrogate pair), marked with "…". */
export function clip(s: string, max = MAX_ECHO_CHARS): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut) + '…';
}

/** A value as JSON for an error message, cut to a few dozen characters. */
export function echo(v: unknown, max = 64): string {
  let text: string | undefined;
  try {
    text = typeof v === 'string' ? JSON.stringify(clip(v, max)) : JSON.stringify(v);
  } catch {
    text = undefined;
  }
  return clip(text ?? 'nothing', max);
}

export function problemBody(code: ProblemCode, detail: string, errors?: FieldError[], instance?: string): Problem {
  const listed = errors
    ?.slice(0, MAX_PROBLEM_ERRORS)
    .map((e) => ({ ...e, pointer: clip(e.pointer), message: clip(e.message, MAX_DETAIL_CHARS / 2) }));
  return {
    type: `/problems/${code}`,
    code,
    title: TITLES[code],
    status: STATUS[code],
    detail: clip(detail, MAX_DETAIL_CHARS),
    ...(instance ? { instance: clip(instance) } : {}),
    ...(listed?.length ? { errors: listed } : {}),
  };
}

/**
 * A request path fit for logs and answers: the ThingsBoard-style route carries the device token
 * in the path (`/api/v1/<token>/telemetry`), and a token is never written anywhere.
 */
export function redactPath(path: string): string {
  return path.replace(/^\/api\/v1\/[^/]+\/telemetry(\/?)$/, (m, slash: string) =>
    m.startsWith('/api/v1/public/') ? m : `/api/v1/{token}/telemetry${slash}`,
  );
}

export function problemResponse(c: Context, err: ApiError): Response {
  const body = problemBody(err.code, err.message, err.errors, redactPath(new URL(c.req.url).pathname));
  return new Response(JSON.stringify(body), {
    status: err.status,
    headers: { 'content-type': 'application/problem+json', ...(err.headers ?? {}) },
  });
}

/** RFC 6901: escape one path segment. */
export function pointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** zod issues → FieldErrors (structural type, so any zod version's issues fit). */
export function zodFieldErrors(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string; keys?: ReadonlyArray<string> }>,
  where: FieldError['in'] = 'body',
  prefix: ReadonlyArray<PropertyKey> = [],
): FieldError[] {
  return issues.flatMap((i) =>
    // An unknown field is reported at the field itself, not at the object holding it.
    i.code === 'unrecognized_keys' && i.keys?.length
      ? i.keys.map((k) => ({ in: where, pointer: pointer([...prefix, ...i.path, k]), message: `unknown field "${k}"` }))
      : [{ in: where, pointer: pointer([...prefix, ...i.path]), message: i.message }],
  );
}
