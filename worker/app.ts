import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.ts';
import { ApiError, zodFieldErrors, type FieldError } from './errors.ts';

const WHERE: Record<string, FieldError['in']> = { json: 'body', form: 'body', query: 'query', param: 'path', header: 'header' };

/**
 * Every sub-app is made here so that a request failing its zod schema always becomes the same
 * 400 problem, with one error per issue pointing at the field.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const where = WHERE[result.target] ?? 'body';
        const errors = zodFieldErrors(result.error.issues, where);
        const first = errors[0];
        throw new ApiError(
          'validation_failed',
          first
            ? `Invalid ${where}: ${first.pointer || '(root)'}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`
            : `Invalid ${where}`,
          { errors },
        );
      }
      return undefined;
    },
  });
}
