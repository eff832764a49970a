import { createRoute, type z } from '@hono/zod-openapi';
import { requireRole } from '../auth/roles.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, IdParam, json, problems, type Role } from '../schemas/common.ts';

/**
 * The shape districts, parks, stations, units, teams and people share: POST / registers one
 * (admin), GET /{id} reads it, PATCH /{id} changes it (admin). Each route file writes its own
 * handlers and list route; the definitions, roles and problem lists are written once here.
 */
export function recordRoutes<C extends z.ZodType, P extends z.ZodType, V extends z.ZodType>(record: {
  /** "district", "unit", "person": the word in summaries and problem details. */
  noun: string;
  create: C;
  patch: P;
  /** What POST, GET /{id} and PATCH answer. */
  view: V;
  summaries: { create: string; get: string; patch: string };
  /** The OpenAPI group; "Sites" unless told. */
  tags?: string[];
  /** Who may read one besides admins (supervisors read everything); staff and planners unless told. */
  readers?: Role[];
}) {
  const tags = record.tags ?? ['Sites'];
  const readers = record.readers ?? ['staff', 'planner'];
  const missing = (id: string) => new ApiError('not_found', `No ${record.noun} "${id}"`);
  const body = <S extends z.ZodType>(schema: S) => ({ required: true, content: { 'application/json': { schema } } });
  return {
    create: createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: record.summaries.create,
      security: bearerAuth,
      middleware: [requireRole('admin')] as const,
      request: { body: body(record.create) },
      responses: { 201: json(record.view, `The stored ${record.noun}`), ...problems(400, 401, 403, 409, 415) },
    }),
    get: createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: record.summaries.get,
      security: bearerAuth,
      middleware: [requireRole(...readers)] as const,
      request: { params: IdParam },
      responses: { 200: json(record.view, `The ${record.noun}`), ...problems(401, 403, 404) },
    }),
    patch: createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      summary: record.summaries.patch,
      security: bearerAuth,
      middleware: [requireRole('admin')] as const,
      request: { params: IdParam, body: body(record.patch) },
      responses: { 200: json(record.view, `The updated ${record.noun}`), ...problems(400, 401, 403, 404, 415) },
    }),
    /** 404 for an id that names no such record. */
    missing,
    /** The record read, or the 404 when there is none. */
    found: <T>(value: T | null | undefined, id: string): T => {
      if (!value) throw missing(id);
      return value;
    },
    /** 409 for an id already taken. */
    taken: (id: string) => new ApiError('conflict', `A ${record.noun} with id "${id}" already exists`),
  };
}
