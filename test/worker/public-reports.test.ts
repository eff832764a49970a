import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { PhotoStored, PublicReportCreated, PublicReportState } from '../../worker/schemas/public-reports.ts';
import { asAdmin, call, insideOneWindow } from './helpers.ts';

let ipSeq = 0;
/** Each test its own client address, so the per-client limit of one does not bleed into another. */
const freshIp = () => `198.51.100.${++ipSeq}`;

const report = (json: unknown, ip: string) => call('/api/v1/public/reports', { method: 'POST', json, headers: { 'cf-connecting-ip': ip } });

beforeAll(async () => {
  for (const [path, json] of [
    ['/api/v1/districts', { id: 'rp-d', name: '东昌府区' }],
    ['/api/v1/parks', { id: 'rp-park', name: '印象公园', district: 'rp-d', lat: 36.45, lon: 115.98 }],
    ['/api/v1/stations', { id: 'rp-s1', name: '一号驿站', district: 'rp-d', lat: 36.45, lon: 115.99 }],
    ['/api/v1/devices', { id: 'rp-bench', kind: 'bench', site: 'rp-park' }],
  ] as const) {
    expect((await asAdmin(path, { method: 'POST', json })).status).toBe(201);
  }
});

describe('POST /api/v1/public/reports', () => {
  it('stores the report and opens a work order at reported, with one step by the public', async () => {
    const res = await report({ site: 'rp-s1', category: 'empty', text: '  没水了  ' }, freshIp());
    expect(res.status).toBe(201);
    const body = PublicReportCreated.parse(await res.json());
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const order = await env.DB.prepare('SELECT * FROM work_orders WHERE id = ?').bind(body.work_order).first<Record<string, unknown>>();
    expect(order).toMatchObject({
      site: 'rp-s1',
      site_kind: 'station',
      kind: 'report',
      report_id: body.id,
      step: 'reported',
      created_by: 'public',
    });
    const steps = await env.DB.prepare('SELECT step, by FROM work_order_steps WHERE order_id = ?').bind(body.work_order).all();
    expect(steps.results).toEqual([{ step: 'reported', by: 'public' }]);
    const stored = await env.DB.prepare('SELECT site, category, text FROM public_reports WHERE id = ?').bind(body.id).first();
    expect(stored).toEqual({ site: 'rp-s1', category: 'empty', text: '没水了' });
  });

  it('takes a bench as the site, and gives every report its own unguessable id', async () => {
    const ip = freshIp();
    const a = PublicReportCreated.parse(await (await report({ site: 'rp-bench', category: 'broken' }, ip)).json());
    const b = PublicReportCreated.parse(await (await report({ site: 'rp-bench', category: 'broken' }, ip)).json());
    expect(a.id).not.toBe(b.id);
    expect((await env.DB.prepare('SELECT site_kind FROM work_orders WHERE id = ?').bind(a.work_order).first())!.site_kind).toBe('bench');
  });

  it('refuses an unknown site, a bad category and unknown fields with 400 naming the field; stores nothing', async () => {
    const before = (await env.DB.prepare('SELECT COUNT(*) AS n FROM work_orders').first<{ n: number }>())!.n;
    for (const [json, pointer] of [
      [{ site: 'nowhere', category: 'empty' }, '/site'],
      [{ site: 'rp-s1', category: 'smelly' }, '/category'],
      [{ site: 'rp-s1', category: 'other', text: 'x'.repeat(1001) }, '/text'],
      [{ site: 'rp-s1', category: 'other', name: '张三' }, '/name'],
    ] as const) {
      const res = await report(json, freshIp());
      expect(res.status).toBe(400);
      const p = (await res.json()) as { code?: string; errors: Array<{ pointer: string }> };
      expect(p.errors[0]!.pointer).toBe(pointer);
    }
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM work_orders').first<{ n: number }>())!.n).toBe(before);
  });

  it('limits each client: the sixth report in a minute is a 429 with Retry-After; another client still gets through', async () => {
    const ip = freshIp();
    await insideOneWindow(60);
    for (let i = 0; i < 5; i++) expect((await report({ site: 'rp-s1', category: 'dirty' }, ip)).status).toBe(201);
    const res = await report({ site: 'rp-s1', category: 'dirty' }, ip);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(((await res.json()) as { type: string }).type).toMatch(/rate_limited$/);
    expect((await report({ site: 'rp-s1', category: 'dirty' }, freshIp())).status).toBe(201);
  }, 30_000);
});

describe('GET /api/v1/public/reports/{id}', () => {
  it('follows the work order: received, being handled, done; nothing internal', async () => {
    const { id, work_order } = PublicReportCreated.parse(
      await (await report({ site: 'rp-s1', category: 'closed', text: '中午没开门' }, freshIp())).json(),
    );
    const state = async () => {
      const res = await call(`/api/v1/public/reports/${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const text = await res.text();
      expect(text).not.toMatch(/张三|养护|note|assignee|team|public_token|wo-/);
      return PublicReportState.parse(JSON.parse(text));
    };
    expect(await state()).toMatchObject({ id, site: 'rp-s1', category: 'closed', state: 'received', photo: false });
    for (const [step, expected] of [
      ['registered', 'received'],
      ['dispatched', 'being_handled'],
      ['handled', 'being_handled'],
      ['checked', 'being_handled'],
      ['closed', 'done'],
      ['evaluated', 'done'],
    ] as const) {
      await env.DB.prepare("UPDATE work_orders SET step = ?, note = '张三 养护班 internal note', assignee_person = NULL WHERE id = ?")
        .bind(step, work_order)
        .run();
      expect((await state()).state).toBe(expected);
    }
  });

  it('is a 404 for an id no report has', async () => {
    expect((await call('/api/v1/public/reports/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });
});

describe('POST /api/v1/public/reports/{id}/photo', () => {
  const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
  const photo = (id: string, body: BodyInit, type: string, ip = freshIp()) =>
    call(`/api/v1/public/reports/${id}/photo`, { method: 'POST', body, headers: { 'content-type': type, 'cf-connecting-ip': ip } });

  it('stores a real image in R2 once, checked by its bytes', async () => {
    const { id } = PublicReportCreated.parse(await (await report({ site: 'rp-s1', category: 'broken' }, freshIp())).json());
    // A PNG's bytes sent as image/jpeg: stored as what it is.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect((await photo(id, new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]), 'image/gif')).status).toBe(415); // GIF: not a camera photo
    expect((await photo(id, new TextEncoder().encode('<svg onload=alert(1)>'), 'image/svg+xml')).status).toBe(415);
    expect((await photo(id, JPEG, 'text/plain')).status).toBe(415);
    const res = await photo(id, png, 'image/jpeg');
    expect(res.status).toBe(201);
    expect(PhotoStored.parse(await res.json())).toEqual({ id, photo: true, bytes: png.length, type: 'image/png' });
    const row = await env.DB.prepare('SELECT photo_key FROM public_reports WHERE id = ?').bind(id).first<{ photo_key: string }>();
    const obj = await env.PHOTOS.get(row!.photo_key);
    expect(new Uint8Array(await obj!.arrayBuffer())).toEqual(png);
    expect(obj!.httpMetadata?.contentType).toBe('image/png');
    expect((await photo(id, JPEG, 'image/jpeg')).status).toBe(409);
    expect((await call(`/api/v1/public/reports/${id}`).then((r) => r.json())) as { photo: boolean }).toMatchObject({ photo: true });
  });

  it('refuses more than 5 MB with 413, and an unknown report with 404', async () => {
    const { id } = PublicReportCreated.parse(await (await report({ site: 'rp-s1', category: 'broken' }, freshIp())).json());
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(JPEG.subarray(0, 4));
    expect((await photo(id, big, 'image/jpeg')).status).toBe(413);
    expect((await photo('AAAAAAAAAAAAAAAAAAAAAA', JPEG, 'image/jpeg')).status).toBe(404);
  });
});
