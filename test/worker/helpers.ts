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

/** POST as admin, expecting 201: the stored record (a device's answer carries its token). */
export async function created(path: string, json: unknown): Promise<Record<string, unknown>> {
  const res = await asAdmin(path, { method: 'POST', json });
  expect(res.status, `${path} ${JSON.stringify(json)}`).toBe(201);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Wait, if need be, until the rate limiter's current window has `needMs` left. Local rate limits
 * count in windows aligned to the wall clock (like Cloudflare's), so a burst that straddles a
 * window's end is counted half in each and never reaches the limit: a test that expects the Nth
 * request to be refused must send its burst inside one window.
 */
export async function insideOneWindow(periodS: number, needMs = 12_000): Promise<void> {
  const left = periodS * 1000 - (Date.now() % (periodS * 1000));
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

/** Haversine on the mean sphere: an independent check of the geodesic distance (within 0.5 %). */
export function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(a));
}
