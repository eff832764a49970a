import { z } from '@hono/zod-openapi';
import { ROLES } from '../auth/roles.ts';

export const TokenCreate = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ description: 'Who or what holds it', example: '东昌府区养护班组 phone' }),
    role: z.enum(ROLES),
    person: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must match ^[A-Za-z0-9_.-]{1,64}$')
      .optional()
      .openapi({
        description: 'The person (POST /api/v1/people) who holds it: their steps and restocks are attributed to them',
        example: 'p-wang',
      }),
  })
  .strict()
  .openapi('ApiTokenCreate');

export const ApiToken = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    person: z.string().optional().openapi({ description: 'The person holding it; absent when none' }),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiToken', { description: 'A user API token, without its secret' });

export const ApiTokenSecret = ApiToken.extend({
  token: z.string().openapi({ description: 'The secret: shown this once, only its hash is kept' }),
}).openapi('ApiTokenSecret');

export const TokenIdParam = z.object({ id: z.string().min(1).max(64).openapi({ example: 'tok_0123456789abcdef' }) });
