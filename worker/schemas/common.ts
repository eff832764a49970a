import { z } from '@hono/zod-openapi';

/** The roles of API tokens (CONTRACT "Operations"). */
export const ROLES = ['admin', 'supervisor', 'staff', 'planner'] as const;
export type Role = (typeof ROLES)[number];

/** Ids of districts, parks, stations and devices (CONTRACT: ^[A-Za-z0-9_.-]{1,64}$). */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must match ^[A-Za-z0-9_.-]{1,64}$')
  .openapi({ example: 'bench-0007' });

/**
 * An id in a request path: any text, looked up as given. One that no resource has, whatever its
 * form, is a 404 (the resource is not there), never a 400.
 */
export const IdPath = z.string().min(1).openapi({ example: 'bench-0007' });

/** Supply item codes (CONTRACT: ^[a-z0-9_]{1,32}$). */
export const ItemCode = z
  .string()
  .regex(/^[a-z0-9_]{1,32}$/, 'must match ^[a-z0-9_]{1,32}$')
  .openapi({ example: 'water' });

export const Lat = z.number().min(-90).max(90).openapi({ description: 'WGS-84 latitude', example: 36.4563 });
export const Lon = z.number().min(-180).max(180).openapi({ description: 'WGS-84 longitude', example: 115.985 });

/** A local calendar day, YYYY-MM-DD. */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s),
    'is not a real calendar date',
  )
  .openapi({ example: '2026-07-21' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    code: z.string().optional().openapi({ description: 'Stable code, the last segment of type', example: 'invalid_transition' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ in: z.enum(['body', 'query', 'path', 'header']).optional(), pointer: z.string(), message: z.string() }))
      .optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof ProblemSchema>;

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid input (errors point at each field)',
  401: 'Missing or unknown token',
  403: 'The token may not do this',
  404: 'Not found',
  409: 'Already exists',
  413: 'Too large',
  415: 'Unsupported content type',
  429: 'Rate limited (see Retry-After)',
};

/** Headers that come with a problem of this status. */
const PROBLEM_HEADERS: Record<number, Record<string, { description: string; schema: { type: 'string' | 'integer' } }>> = {
  401: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds to wait before sending again', schema: { type: 'integer' } } },
};

/** OpenAPI response entries for problem answers. */
export function problems(...statuses: number[]) {
  const out: Record<
    number,
    {
      description: string;
      headers?: Record<string, { description: string; schema: { type: 'string' | 'integer' } }>;
      content: { 'application/problem+json': { schema: typeof ProblemSchema } };
    }
  > = {};
  for (const s of statuses) {
    out[s] = {
      description: PROBLEM_TEXT[s] ?? 'Problem',
      ...(PROBLEM_HEADERS[s] ? { headers: PROBLEM_HEADERS[s] } : {}),
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  }
  return out;
}

/** Security requirement for routes that take a user API token (or ADMIN_TOKEN). */
export const bearerAuth = [{ bearerAuth: [] }];

/** An OpenAPI response entry with a JSON body. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

/** `{id}` in a request path. */
export const IdParam = z.object({ id: IdPath });
