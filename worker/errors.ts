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
  | 'internal';

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

export function problemBody(code: ProblemCode, detail: string, errors?: FieldError[], instance?: string): Problem {
  return {
    type: `/problems/${code}`,
    title: TITLES[code],
    status: STATUS[code],
    detail,
    ...(instance ? { instance } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}

export function problemResponse(c: Context, err: ApiError): Response {
  const body = problemBody(err.code, err.message, err.errors, new URL(c.req.url).pathname);
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
