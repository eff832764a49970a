import { describe, expect, it } from 'vitest';
import { asAdmin, call } from './helpers.ts';
import { createDistrict, createPark } from './fixtures.ts';

/** Provisioning answers exactly as the CONTRACT writes them. */

const send = (token: string, seq: number) =>
  call('/api/v1/telemetry', { method: 'POST', token, json: { messages: [{ seq, ts: Date.now() - 60_000, type: 'heartbeat' }] } });

describe('device provisioning answers', () => {
  it('POST /devices answers 201 {id, token} and rotation 200 {id, token}, nothing else', async () => {
    const park = await createPark('aud-dev-park', await createDistrict('aud-dev-d', 'D'));
    const res = await asAdmin('/api/v1/devices', { method: 'POST', json: { id: 'aud-bench-1', kind: 'bench', site: park } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(created).sort()).toEqual(['id', 'token']);
    expect(created.id).toBe('aud-bench-1');
    const rot = await asAdmin('/api/v1/devices/aud-bench-1/token', { method: 'POST' });
    expect(rot.status).toBe(200);
    const rotated = (await rot.json()) as Record<string, unknown>;
    expect(Object.keys(rotated).sort()).toEqual(['id', 'token']);
    expect(rotated.token).not.toBe(created.token);
    expect((await send(created.token as string, 1)).status).toBe(401);
    expect((await send(rotated.token as string, 2)).status).toBe(200);
  });

  it('PATCH {disabled: false} re-enables a disabled device; its old token stays dead and a rotation issues a new one (docs/security.md)', async () => {
    const park = await createPark('aud-dev-park2', await createDistrict('aud-dev-d2', 'D'));
    const res = await asAdmin('/api/v1/devices', { method: 'POST', json: { id: 'aud-bench-2', kind: 'bench', site: park } });
    const { token } = (await res.json()) as { token: string };
    const off = await asAdmin('/api/v1/devices/aud-bench-2', { method: 'PATCH', json: { disabled: true } });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ id: 'aud-bench-2', disabled: true });
    expect((await send(token, 1)).status).toBe(403);
    const on = await asAdmin('/api/v1/devices/aud-bench-2', { method: 'PATCH', json: { disabled: false } });
    expect(on.status).toBe(200);
    const body = (await on.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: 'aud-bench-2', disabled: false });
    expect(Object.keys(body).some((k) => /token/i.test(k))).toBe(false);
    expect((await send(token, 2)).status).toBe(401);
    const rotated = (await (await asAdmin('/api/v1/devices/aud-bench-2/token', { method: 'POST' })).json()) as { token: string };
    expect((await send(rotated.token, 2)).status).toBe(200);
  });
});
