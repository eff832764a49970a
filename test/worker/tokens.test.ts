import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../worker/auth/tokens.ts';
import { ApiToken, ApiTokenSecret } from '../../worker/schemas/tokens.ts';
import { asAdmin, call } from './helpers.ts';
import { ProblemSchema, type Problem } from '../../worker/schemas/common.ts';

async function create(name: string, role: string): Promise<Response> {
  return asAdmin('/api/v1/tokens', { method: 'POST', json: { name, role } });
}

async function problemOf(res: Response): Promise<Problem> {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return ProblemSchema.parse(await res.json());
}

describe('user API tokens', () => {
  it('creates a token shown once and stores only its hash', async () => {
    const res = await create('班组长 phone', 'staff');
    expect(res.status).toBe(201);
    const t = ApiTokenSecret.parse(await res.json());
    expect(t).toMatchObject({ name: '班组长 phone', role: 'staff', revoked_at: null });
    expect(t.token).toMatch(/^api_[A-Za-z0-9_-]{43}$/);
    const row = await env.DB.prepare('SELECT * FROM api_tokens WHERE id = ?').bind(t.id).first<Record<string, unknown>>();
    expect(row?.token_hash).toBe(await hashToken(t.token));
    expect(Object.values(row!)).not.toContain(t.token);
    const listed = ((await (await asAdmin('/api/v1/tokens')).json()) as { tokens: unknown[] }).tokens.map((x) =>
      ApiToken.strict().parse(x),
    );
    expect(listed).toContainEqual({ id: t.id, name: t.name, role: 'staff', created_at: t.created_at, revoked_at: null });
    expect(JSON.stringify(listed)).not.toContain(t.token);
    expect(JSON.stringify(listed)).not.toContain(row!.token_hash as string);
  });

  it('gives the token’s role: staff and planner get 403 on admin endpoints, admin passes', async () => {
    const staff = ApiTokenSecret.parse(await (await create('s', 'staff')).json()).token;
    const planner = ApiTokenSecret.parse(await (await create('p', 'planner')).json()).token;
    const admin = ApiTokenSecret.parse(await (await create('a', 'admin')).json()).token;
    for (const token of [staff, planner]) {
      const res = await call('/api/v1/tokens', { method: 'POST', token, json: { name: 'x', role: 'admin' } });
      expect(res.status).toBe(403);
      expect((await problemOf(res)).type).toBe('/problems/forbidden');
      expect((await call('/api/v1/tokens', { token })).status).toBe(403);
      expect((await call('/api/v1/stations', { token })).status).toBe(200);
    }
    expect((await call('/api/v1/tokens', { token: admin })).status).toBe(200);
    const made = await call('/api/v1/districts', { method: 'POST', token: admin, json: { id: 'by-api-admin', name: 'x' } });
    expect(made.status).toBe(201);
  });

  it('gives a supervisor (督查) every read, and no write that does not name the role', async () => {
    const sup = ApiTokenSecret.parse(await (await create('督查 王', 'supervisor')).json());
    expect(sup.role).toBe('supervisor');
    const row = await env.DB.prepare('SELECT role FROM api_tokens WHERE id = ?').bind(sup.id).first<{ role: string }>();
    expect(row?.role).toBe('supervisor');
    // Reads: staff/planner endpoints, a planner-only one and an admin-only one.
    for (const path of ['/api/v1/stations', '/api/v1/coverage', '/api/v1/tokens', '/api/v1/dashboard/me']) {
      expect((await call(path, { token: sup.token })).status, path).toBe(200);
    }
    // Writes: admin-only and planner-only endpoints stay closed.
    const reg = await call('/api/v1/districts', { method: 'POST', token: sup.token, json: { id: 'by-supervisor', name: 'x' } });
    expect(reg.status).toBe(403);
    expect((await problemOf(reg)).detail).toBe('This endpoint needs the role admin; your token has supervisor');
    const net = await call('/api/v1/network', { method: 'PUT', token: sup.token, json: { type: 'FeatureCollection', features: [] } });
    expect(net.status).toBe(403);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM districts WHERE id = 'by-supervisor'").first('n')).toBe(0);
  });

  it('revokes a token: it stops working at once, and is listed only on request', async () => {
    const t = ApiTokenSecret.parse(await (await create('to revoke', 'planner')).json());
    expect((await call('/api/v1/districts', { token: t.token })).status).toBe(200);
    const del = await asAdmin(`/api/v1/tokens/${t.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const after = await call('/api/v1/districts', { token: t.token });
    expect(after.status).toBe(401);
    expect((await problemOf(after)).type).toBe('/problems/unauthorized');
    const active = (await (await asAdmin('/api/v1/tokens')).json()) as { tokens: Array<{ id: string }> };
    expect(active.tokens.some((x) => x.id === t.id)).toBe(false);
    const all = (await (await asAdmin('/api/v1/tokens?include_revoked=true')).json()) as {
      tokens: Array<{ id: string; revoked_at: string | null }>;
    };
    expect(all.tokens.find((x) => x.id === t.id)?.revoked_at).toEqual(expect.any(String));
    expect((await asAdmin(`/api/v1/tokens/${t.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers 404 for an unknown token id, 400 for a bad role, 401 without a token', async () => {
    const nf = await asAdmin('/api/v1/tokens/tok_0000000000000000', { method: 'DELETE' });
    expect(nf.status).toBe(404);
    const bad = await create('x', 'root');
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).errors?.map((e) => e.pointer)).toEqual(['/role']);
    const noName = await asAdmin('/api/v1/tokens', { method: 'POST', json: { role: 'staff' } });
    expect((await problemOf(noName)).errors?.map((e) => e.pointer)).toEqual(['/name']);
    expect((await call('/api/v1/tokens')).status).toBe(401);
    expect((await call('/api/v1/tokens', { token: 'api_unknown' })).status).toBe(401);
    expect((await call('/api/v1/tokens/tok_0000000000000000', { method: 'DELETE' })).status).toBe(401);
  });
});
