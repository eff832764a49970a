import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { Item } from '../../worker/schemas/items.ts';
import { asAdmin, call, problem } from './helpers.ts';

async function list(query = ''): Promise<Array<ReturnType<typeof Item.parse>>> {
  const res = await asAdmin(`/api/v1/items${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: unknown[] }).items.map((i) => Item.parse(i));
}

/** As ingestion stores a code it does not know yet. */
async function seenInTelemetry(code: string, at = Date.parse('2026-07-21T06:00:00Z')): Promise<void> {
  await env.DB.prepare('INSERT INTO items (code, registered, first_seen) VALUES (?, 0, ?)').bind(code, at).run();
}

describe('items', () => {
  it('lists the seeded items as registered', async () => {
    const items = await list();
    expect(items.map((i) => i.code)).toEqual(
      expect.arrayContaining(['water', 'towel', 'umbrella', 'medicine_kit', 'sunscreen', 'raincoat']),
    );
    expect(items.find((i) => i.code === 'water')).toEqual({
      code: 'water',
      name_zh: '饮用水',
      name_en: 'Drinking water',
      unit: 'bottle',
      registered: true,
      first_seen: null,
    });
  });

  it('lists codes first seen in telemetry with ?unregistered=true, and only them', async () => {
    await seenInTelemetry('ice_pack');
    const waiting = await list('?unregistered=true');
    expect(waiting).toEqual([
      { code: 'ice_pack', name_zh: null, name_en: null, unit: null, registered: false, first_seen: '2026-07-21T06:00:00.000Z' },
    ]);
    const registered = await list('?unregistered=false');
    expect(registered.every((i) => i.registered)).toBe(true);
    expect(registered.some((i) => i.code === 'ice_pack')).toBe(false);
  });

  it('registers a new item (201) and refuses a registered code (409)', async () => {
    const body = { code: 'huoxiang', name_zh: '藿香正气水', name_en: 'Huoxiang Zhengqi liquid', unit: 'box' };
    const res = await asAdmin('/api/v1/items', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ...body, registered: true, first_seen: null });
    const p = await problem(await asAdmin('/api/v1/items', { method: 'POST', json: body }), 409);
    expect(p.detail).toContain('PATCH');
    await problem(await asAdmin('/api/v1/items', { method: 'POST', json: { ...body, code: 'water' } }), 409);
  });

  it('POST names a code first seen in telemetry, keeping when it was first seen', async () => {
    await seenInTelemetry('cooling_towel');
    const res = await asAdmin('/api/v1/items', {
      method: 'POST',
      json: { code: 'cooling_towel', name_zh: '冰巾', name_en: 'Cooling towel', unit: 'piece' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ registered: true, first_seen: '2026-07-21T06:00:00.000Z', name_zh: '冰巾' });
  });

  it('PATCH registers an unknown code once it has both names and a unit', async () => {
    await seenInTelemetry('fan');
    const p = await problem(await asAdmin('/api/v1/items/fan', { method: 'PATCH', json: { name_zh: '扇子' } }), 400);
    expect(p.errors?.map((e) => e.pointer).sort()).toEqual(['/name_en', '/unit']);
    expect((await list('?unregistered=true')).some((i) => i.code === 'fan')).toBe(true);
    const res = await asAdmin('/api/v1/items/fan', { method: 'PATCH', json: { name_zh: '扇子', name_en: 'Hand fan', unit: 'piece' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: 'fan', registered: true, name_en: 'Hand fan' });
    expect((await list('?unregistered=true')).some((i) => i.code === 'fan')).toBe(false);
    const rename = await asAdmin('/api/v1/items/fan', { method: 'PATCH', json: { unit: 'pair' } });
    expect(await rename.json()).toMatchObject({ unit: 'pair', name_zh: '扇子' });
  });

  it('validates codes and fields', async () => {
    const p = await problem(
      await asAdmin('/api/v1/items', { method: 'POST', json: { code: 'Bad-Code', name_zh: 'x', name_en: 'x', unit: 'x' } }),
      400,
    );
    expect(p.errors?.map((e) => e.pointer)).toEqual(['/code']);
    const q = await problem(await asAdmin('/api/v1/items', { method: 'POST', json: { code: 'ok', name_zh: '', name_en: 'x' } }), 400);
    expect(q.errors?.map((e) => e.pointer).sort()).toEqual(['/name_zh', '/unit']);
    await problem(await asAdmin('/api/v1/items/nothing_here', { method: 'PATCH', json: { unit: 'x' } }), 404);
    const r = await problem(await asAdmin('/api/v1/items/UPPER', { method: 'PATCH', json: { unit: 'x' } }), 400);
    expect(r.errors?.[0]).toMatchObject({ in: 'path', pointer: '/code' });
  });

  it('lets staff read items but only admins change them', async () => {
    const t = await asAdmin('/api/v1/tokens', { method: 'POST', json: { name: 'staff', role: 'staff' } });
    const { token } = (await t.json()) as { token: string };
    expect((await call('/api/v1/items', { token })).status).toBe(200);
    await problem(await call('/api/v1/items', { method: 'POST', token, json: { code: 'zz', name_zh: 'x', name_en: 'x', unit: 'x' } }), 403);
    await problem(await call('/api/v1/items/water', { method: 'PATCH', token, json: { unit: 'x' } }), 403);
    await problem(await call('/api/v1/items'), 401);
  });
});
