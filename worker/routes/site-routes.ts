import { createRoute, type z } from '@hono/zod-openapi';
import { requireRole } from '../auth/roles.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, IdParam, json, problems } from '../schemas/common.ts';

/**
 * The shape districts, parks and stations share: POST / registers one (admin), GET /{id} reads it
 * (any staff or planner token), PATCH /{id} changes it (admin). Each route file writes its own
 * handlers and list route; the definitions, roles and problem lists are written once here.
 */
export function siteRoutes<C extends z.ZodType, P extends z.ZodType, V extends z.ZodType>(site: {
  /** "district", "park", "station": the word in summaries and problem details. */
  noun: string;
  create: C;
  patch: P;
  /** What POST, GET /{id} and PATCH answer. */
  view: V;
  summaries: { create: string; get: string; patch: string };
}) {
  const tags = ['Sites'];
  const body = <S extends z.ZodType>(schema: S) => ({ required: true, content: { 'application/json': { schema } } });
  return {
    create: createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: site.summaries.create,
      security: bearerAuth,
      middleware: [requireRole('admin')] as const,
      request: { body: body(site.create) },
      responses: { 201: json(site.view, `The stored ${site.noun}`), ...problems(400, 401, 403, 409, 415) },
    }),
    get: createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      summary: site.summaries.get,
      security: bearerAuth,
      middleware: [requireRole('staff', 'planner')] as const,
      request: { params: IdParam },
      responses: { 200: json(site.view, `The ${site.noun}`), ...problems(401, 403, 404) },
    }),
    patch: createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      summary: site.summaries.patch,
      security: bearerAuth,
      middleware: [requireRole('admin')] as const,
      request: { params: IdParam, body: body(site.patch) },
      responses: { 200: json(site.view, `The updated ${site.noun}`), ...problems(400, 401, 403, 404, 415) },
    }),
    /** 404 for an id that names no such site. */
    missing: (id: string) => new ApiError('not_found', `No ${site.noun} "${id}"`),
    /** 409 for an id already taken. */
    taken: (id: string) => new ApiError('conflict', `A ${site.noun} with id "${id}" already exists`),
  };
}
