import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from './helpers.ts';
import { moveOk, openOrder, operations, type Ops, type OrderJson } from './ops-fixtures.ts';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 1, 2, 3, 4, 0xff, 0xd9]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 9, 9]);
const WEBP = new Uint8Array(
  [...'RIFF']
    .map((c) => c.charCodeAt(0))
    .concat(
      [20, 0, 0, 0],
      [...'WEBPVP8 '].map((c) => c.charCodeAt(0)),
      [1, 2, 3, 4],
    ),
);
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n');

let ops: Ops;
let order: OrderJson;
beforeAll(async () => {
  ops = await operations();
  order = await openOrder(ops.sup.token, { site: ops.station, kind: 'repair' });
  await moveOk(order.id, ops.sup.token, { step: 'registered' });
  order = await moveOk(order.id, ops.sup.token, { step: 'dispatched', assignee: ops.team });
});

const upload = (id: string, body: Uint8Array, type: string, token = ops.staffA.token, qs = '') =>
  call(`/api/v1/work-orders/${id}/photos${qs}`, { method: 'POST', token, body, headers: { 'content-type': type } });

async function problem(res: Response, status: number): Promise<{ code: string; detail: string }> {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as { code: string; detail: string };
}

describe('photo evidence', () => {
  it('stores a JPEG, PNG or WebP in R2 and streams it back with its type', async () => {
    for (const [bytes, type] of [
      [JPEG, 'image/jpeg'],
      [PNG, 'image/png'],
      [WEBP, 'image/webp'],
    ] as const) {
      const res = await upload(order.id, bytes, type);
      expect(res.status, await res.clone().text()).toBe(201);
      const o = (await res.json()) as OrderJson;
      const photo = o.photos.at(-1)!;
      expect(photo).toMatchObject({ step: 'handled', content_type: type, bytes: bytes.length, by: ops.staffA.person });
      const back = await call(photo.url, { token: ops.sup.token });
      expect(back.status).toBe(200);
      expect(back.headers.get('content-type')).toBe(type);
      expect(new Uint8Array(await back.arrayBuffer())).toEqual(bytes);
      const row = await env.DB.prepare('SELECT r2_key FROM work_order_photos WHERE id = ?').bind(photo.id).first<{ r2_key: string }>();
      const object = await env.PHOTOS.get(row!.r2_key);
      expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);
    }
  });

  it('checks the bytes, not only the header: a renamed file is 415', async () => {
    expect((await problem(await upload(order.id, PDF, 'image/jpeg'), 415)).detail).toContain('not a JPEG, PNG or WebP');
    expect((await problem(await upload(order.id, PNG, 'image/jpeg'), 415)).detail).toContain('image/png, not image/jpeg');
    expect((await problem(await upload(order.id, JPEG, 'image/gif'), 415)).code).toBe('unsupported_media_type');
    expect((await problem(await upload(order.id, JPEG, 'application/octet-stream'), 415)).code).toBe('unsupported_media_type');
    expect((await problem(await upload(order.id, new Uint8Array(0), 'image/jpeg'), 400)).detail).toContain('empty');
  });

  it('refuses more than 5 MB with 413, and takes exactly 5 MB', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(JPEG.subarray(0, 4));
    expect((await problem(await upload(order.id, big, 'image/jpeg'), 413)).code).toBe('payload_too_large');
    const max = big.subarray(0, 5 * 1024 * 1024);
    expect((await upload(order.id, max, 'image/jpeg')).status).toBe(201);
  });

  it('takes photos only while handling and checking, and only from the order’s people', async () => {
    const fresh = await openOrder(ops.sup.token, { site: ops.station });
    expect((await problem(await upload(fresh.id, JPEG, 'image/jpeg', ops.sup.token), 409)).detail).toContain('reported');
    expect((await problem(await upload(order.id, JPEG, 'image/jpeg', ops.staffB.token), 403)).code).toBe('forbidden');
    expect((await problem(await upload(order.id, JPEG, 'image/jpeg', ops.planner), 403)).code).toBe('forbidden');
    expect((await problem(await upload(order.id, JPEG, 'image/jpeg', ops.staffA.token, '?step=checked'), 409)).detail).toContain(
      'dispatched',
    );
    expect(
      (
        await call('/api/v1/work-orders/nope/photos', {
          method: 'POST',
          token: ops.sup.token,
          body: JPEG,
          headers: { 'content-type': 'image/jpeg' },
        })
      ).status,
    ).toBe(404);
    expect((await call(`/api/v1/work-orders/${order.id}/photos/ph_nope`, { token: ops.sup.token })).status).toBe(404);
  });

  it('tags the check’s photos with checked', async () => {
    const o = await openOrder(ops.sup.token, { site: ops.station });
    await moveOk(o.id, ops.sup.token, { step: 'registered' });
    await moveOk(o.id, ops.sup.token, { step: 'dispatched', assignee: ops.team });
    await moveOk(o.id, ops.staffA.token, { step: 'handled' });
    const res = await upload(o.id, JPEG, 'image/jpeg', ops.sup.token, '?step=checked');
    expect(res.status).toBe(201);
    expect(((await res.json()) as OrderJson).photos.map((p) => p.step)).toEqual(['checked']);
  });
});
