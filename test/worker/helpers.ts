import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { ProblemSchema, type Problem } from '../../worker/schemas/common.ts';
import { requestInit, type TestRequestInit } from '../request-init.ts';

/** At least 32 characters: the Worker refuses a shorter ADMIN_TOKEN (docs/security.md). */
export const ADMIN = 'test-admin-token-0123456789abcdef';

/** Call the Worker's own fetch, as a client would. */
export function call(path: string, init: TestRequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`https://amenity.test${path}`, requestInit(init)));
}

export const asAdmin = (path: string, init: RequestInit & { json?: unknown } = {}) => call(path, { ...init, token: ADMIN });

/** An error answer: its status, the problem media type, and the body read with the Problem schema. */
export async function problem(res: Response, status = 400): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const p = ProblemSchema.parse(await res.json());
  expect(p.status).toBe(status);
  return p;
}
