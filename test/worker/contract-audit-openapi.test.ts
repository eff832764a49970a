import { describe, expect, it } from 'vitest';
import { asAdmin, call } from './helpers.ts';

/** The OpenAPI document read against the CONTRACT and against what the Worker really answers. */

type Json = Record<string, any>;

async function doc(): Promise<Json> {
  return (await (await call('/api/openapi.json')).json()) as Json;
}

function schema(d: Json, s: Json): Json {
  return s.$ref ? d.components.schemas[s.$ref.split('/').pop()] : s;
}

describe('OpenAPI document against the contract', () => {
  it('documents Retry-After on every 429 and WWW-Authenticate on the telemetry 401', async () => {
    const d = await doc();
    for (const [path, item] of Object.entries(d.paths as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        const r429 = (op as Json).responses?.['429'];
        if (r429) expect(r429.headers?.['Retry-After'], `${method} ${path}`).toBeDefined();
      }
    }
    expect(d.paths['/api/v1/telemetry'].post.responses['429']).toBeDefined();
    expect(d.paths['/api/v1/telemetry'].post.responses['401'].headers['WWW-Authenticate']).toBeDefined();
  });

  it('describes SenML records with boolean, string and data values (vb, vs, vd), as RFC 8428 has them', async () => {
    const d = await doc();
    const rec = d.components.schemas.SenmlRecord as Json;
    expect(Object.keys(rec.properties)).toEqual(expect.arrayContaining(['bn', 'bt', 'bu', 'bv', 'n', 'u', 'v', 'vb', 'vs', 'vd', 't']));
    expect(rec.properties.vb.type).toBe('boolean');
  });

  it('describes ThingsBoard ts as epoch ms, a number or a string of digits', async () => {
    const d = await doc();
    const body = d.paths['/api/v1/{token}/telemetry'].post.requestBody.content['application/json'].schema;
    const text = JSON.stringify(schema(d, body));
    expect(text).toContain('"ts":{"anyOf":[{"type":"integer"');
    expect(text).toMatch(/"pattern":"\^-\?\\\\d\{1,16\}\$"/);
  });

  it('lists 415 wherever a JSON body is required, since another content type is 415', async () => {
    const d = await doc();
    const missing: string[] = [];
    for (const [path, item] of Object.entries(d.paths as Json)) {
      if (!/^\/api\/v1\/(devices|districts|parks|stations|telemetry|\{token\})/.test(path)) continue;
      for (const [method, op] of Object.entries(item as Json)) {
        if ((op as Json).requestBody?.required && !(op as Json).responses['415']) missing.push(`${method} ${path}`);
      }
    }
    expect(missing).toEqual([]);
    const res = await asAdmin('/api/v1/districts', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"id":"x","name":"y"}',
    });
    expect(res.status).toBe(415);
  });

  it('lets the envelope name any device (a wrong one is 403, not a schema error)', async () => {
    const d = await doc();
    const env = d.components.schemas.TelemetryEnvelope as Json;
    expect(env.properties.device.type).toBe('string');
    expect(env.properties.device.pattern).toBeUndefined();
  });
});
