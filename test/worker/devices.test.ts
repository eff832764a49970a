import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { asAdmin, call } from './helpers.ts';
import { createDistrict, createPark, createStation } from './fixtures.ts';
import { ProblemSchema } from '../../worker/schemas/common.ts';

async function sha256hex(s: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('device provisioning', () => {
  it('registers a bench with its own coordinates, shows the token once and keeps only its hash', async () => {
    const district = await createDistrict('dev-reg-d', '高新区');
    const park = await createPark('dev-reg-park', district);
    const res = await asAdmin('/api/v1/devices', {
      method: 'POST',
      json: { id: 'bench-0007', kind: 'bench', site: park, lat: 36.4512, lon: 115.9876, ports: 4 },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; token: string };
    expect(body.id).toBe('bench-0007');
    expect(body.token.length).toBeGreaterThanOrEqual(40);
    const row = await env.DB.prepare('SELECT token_hash, lat, lon, ports FROM devices WHERE id = ?')
      .bind('bench-0007')
      .first<Record<string, unknown>>();
    expect(row).toEqual({ token_hash: await sha256hex(body.token), lat: 36.4512, lon: 115.9876, ports: 4 });
    const listed = await asAdmin('/api/v1/devices/bench-0007');
    const view = await listed.text();
    expect(view).not.toContain(body.token);
    expect(view).not.toContain(await sha256hex(body.token));
  });

  it('answers 409 for a duplicate id', async () => {
    const district = await createDistrict('dev-dup-d', 'D');
    const station = await createStation('dev-dup-st', district);
    const first = await asAdmin('/api/v1/devices', { method: 'POST', json: { id: 'st-ctl-1', kind: 'station', site: station } });
    expect(first.status).toBe(201);
    const again = await asAdmin('/api/v1/devices', { method: 'POST', json: { id: 'st-ctl-1', kind: 'station', site: station } });
    expect(again.status).toBe(409);
    expect(ProblemSchema.parse(await again.json()).detail).toContain('st-ctl-1');
  });

  it('answers 400 pointing at /site for an unknown park or a station given as a bench site', async () => {
    const district = await createDistrict('dev-site-d', 'D');
    const station = await createStation('dev-site-st', district);
    const res = await asAdmin('/api/v1/devices', { method: 'POST', json: { id: 'bench-x', kind: 'bench', site: station } });
    expect(res.status).toBe(400);
    const p = ProblemSchema.parse(await res.json());
    expect(p.errors).toEqual([{ in: 'body', pointer: '/site', message: expect.stringContaining('no park') }]);
  });

  it.each([
    [{ id: 'bad id!', kind: 'bench', site: 'p' }, '/id'],
    [{ id: 'b1', kind: 'kiosk', site: 'p' }, '/kind'],
    [{ id: 'b1', kind: 'bench', site: 'p', lat: 91, lon: 0 }, '/lat'],
    [{ id: 'b1', kind: 'bench', site: 'p', lat: 36 }, '/lon'],
    [{ id: 'b1', kind: 'bench' }, '/site'],
    [{ id: 'b1', kind: 'bench', site: 'p', colour: 'red' }, '/colour'],
  ])('answers 400 for an invalid field (%j → %s)', async (json, ptr) => {
    const res = await asAdmin('/api/v1/devices', { method: 'POST', json });
    expect(res.status).toBe(400);
    const p = ProblemSchema.parse(await res.json());
    expect(p.errors?.map((e) => e.pointer)).toContain(ptr);
  });

  it('needs an admin: 401 without a token, 403 for a staff token', async () => {
    expect((await call('/api/v1/devices', { method: 'POST', json: { id: 'b', kind: 'bench', site: 'p' } })).status).toBe(401);
    const t = await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'Wang (staff)', role: 'staff' } });
    expect(t.status).toBe(201);
    const staff = ((await t.json()) as { token: string }).token;
    const res = await call('/api/v1/devices', { method: 'POST', token: staff, json: { id: 'b', kind: 'bench', site: 'p' } });
    expect(res.status).toBe(403);
    expect(ProblemSchema.parse(await res.json()).detail).toContain('admin');
  });

  it('answers 404 for rotating or patching an unknown device', async () => {
    expect((await asAdmin('/api/v1/devices/nope/token', { method: 'POST' })).status).toBe(404);
    expect((await asAdmin('/api/v1/devices/nope', { method: 'PATCH', json: { disabled: true } })).status).toBe(404);
  });
});
