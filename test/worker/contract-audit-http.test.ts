import { describe, expect, it } from 'vitest';
import { asAdmin, call, problem } from './helpers.ts';
import { benchWithDevice } from './fixtures.ts';

/**
 * HTTP semantics a generic client relies on: a known resource asked with a method it does not
 * support is 405 with Allow (RFC 9110 §15.5.6), not 404; an unknown resource stays 404.
 */

describe('405 Method Not Allowed, with Allow', () => {
  it('GET, PUT and DELETE on POST /api/v1/telemetry', async () => {
    const { token } = await benchWithDevice();
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await call('/api/v1/telemetry', { method, token });
      expect(res.headers.get('allow')).toBe('POST');
      const p = await problem(res, 405);
      expect(p.type).toBe('/problems/method_not_allowed');
      expect(p.detail).toContain(method);
    }
  });

  it('HEAD on a POST endpoint is 405 without a body', async () => {
    const res = await call('/api/v1/telemetry', { method: 'HEAD' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.text()).toBe('');
  });

  it('GET on the ThingsBoard path', async () => {
    const { token } = await benchWithDevice();
    const res = await call(`/api/v1/${token}/telemetry`);
    expect(res.headers.get('allow')).toBe('POST');
    await problem(res, 405);
  });

  it('lists every method of the resource, HEAD with GET', async () => {
    const res = await asAdmin('/api/v1/stations/st-x', { method: 'DELETE' });
    expect(res.headers.get('allow')).toBe('GET, HEAD, PATCH');
    await problem(res, 405);
    const supplies = await asAdmin('/api/v1/supplies', { method: 'POST', json: {} });
    expect(supplies.headers.get('allow')).toBe('GET, HEAD');
    await problem(supplies, 405);
  });

  it('HEAD on a GET endpoint is answered like GET, without a body', async () => {
    const res = await call('/api/openapi.json', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('an unknown path is still 404', async () => {
    const p = await problem(await call('/api/v1/nothing-here'), 404);
    expect(p.type).toBe('/problems/not_found');
    await problem(await call('/api/v1/telemetry/extra', { method: 'POST' }), 404);
  });
});

describe('ids in the path', () => {
  it('an id no resource can have is simply not found (404, as documented), not a 400', async () => {
    const bad = encodeURIComponent('no such id!') + 'x'.repeat(70);
    for (const [method, path, json] of [
      ['GET', `/api/v1/stations/${bad}`],
      ['PATCH', `/api/v1/stations/${bad}`, { name: 'x' }],
      ['GET', `/api/v1/parks/${bad}`],
      ['GET', `/api/v1/districts/${bad}`],
      ['GET', `/api/v1/devices/${bad}`],
      ['POST', `/api/v1/devices/${bad}/token`],
      ['PATCH', `/api/v1/devices/${bad}`, { disabled: true }],
    ] as Array<[string, string, unknown?]>) {
      const res = await asAdmin(path, { method, ...(json ? { json } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});

describe('which whole-request error comes first', () => {
  it('a request without a valid device token is 401 whatever its content type', async () => {
    const body = JSON.stringify({ messages: [] });
    for (const headers of [{ 'content-type': 'text/plain;charset=UTF-8' }, {}] as Array<Record<string, string>>) {
      await problem(await call('/api/v1/telemetry', { method: 'POST', headers, body }), 401);
      await problem(await call('/api/v1/telemetry', { method: 'POST', token: 'dev_unknown', headers, body }), 401);
      await problem(await call('/api/v1/dev_unknown/telemetry', { method: 'POST', headers, body }), 401);
    }
  });

  it('a known device with another content type is 415', async () => {
    const { token } = await benchWithDevice();
    const p = await problem(
      await call('/api/v1/telemetry', { method: 'POST', token, headers: { 'content-type': 'text/plain' }, body: '{"messages":[]}' }),
      415,
    );
    expect(p.detail).toContain('application/json');
  });
});

describe('media type syntax', () => {
  it('takes white space around ";" before parameters (RFC 9110 media-type) on every JSON endpoint', async () => {
    const res = await asAdmin('/api/v1/districts', {
      method: 'POST',
      headers: { 'content-type': 'application/json ; charset=utf-8' },
      body: JSON.stringify({ id: 'ws-d', name: 'W' }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { token } = await benchWithDevice();
    const t = await call('/api/v1/telemetry', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json ;charset=UTF-8' },
      body: '{"messages":[]}',
    });
    expect(t.status).toBe(200);
  });
});
