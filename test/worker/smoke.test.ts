import { describe, expect, it } from 'vitest';
import { call } from './helpers.ts';

describe('the API', () => {
  it('answers an unknown API path with a 404 problem', async () => {
    const res = await call('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { type: string; status: number; detail: string };
    expect(body.status).toBe(404);
    expect(body.type).toBe('/problems/not_found');
    expect(body.detail).toContain('/api/v1/nope');
  });
});
