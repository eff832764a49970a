import { describe, expect, it } from 'vitest';
import { call } from './helpers.ts';

type Json = Record<string, unknown>;

async function openapi(): Promise<Json> {
  const res = await call('/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  return (await res.json()) as Json;
}

/** Every operation and endpoint of the CONTRACT, as method + path. */
const CONTRACT: Array<[string, string]> = [
  ['post', '/api/v1/telemetry'],
  ['post', '/api/v1/{token}/telemetry'],
  ['post', '/api/v1/devices'],
  ['post', '/api/v1/devices/{id}/token'],
  ['patch', '/api/v1/devices/{id}'],
  ['post', '/api/v1/districts'],
  ['post', '/api/v1/parks'],
  ['post', '/api/v1/stations'],
  ['get', '/api/v1/stations/{id}'],
  ['get', '/api/v1/supplies'],
  ['get', '/api/v1/charging'],
  ['put', '/api/v1/network'],
  ['put', '/api/v1/population'],
  ['get', '/api/v1/coverage'],
];

/** The registry's own endpoints. */
const REGISTRY: Array<[string, string]> = [
  ['get', '/api/v1/districts'],
  ['patch', '/api/v1/districts/{id}'],
  ['get', '/api/v1/parks'],
  ['patch', '/api/v1/parks/{id}'],
  ['get', '/api/v1/stations'],
  ['patch', '/api/v1/stations/{id}'],
  ['put', '/api/v1/stations/{id}/items/{item}'],
  ['get', '/api/v1/items'],
  ['post', '/api/v1/items'],
  ['patch', '/api/v1/items/{code}'],
  ['post', '/api/v1/tokens'],
  ['get', '/api/v1/tokens'],
  ['delete', '/api/v1/tokens/{id}'],
  ['post', '/api/v1/import'],
  ['get', '/api/v1/public/map'],
  ['get', '/api/v1/public/nearest'],
  ['get', '/api/openapi.json'],
  ['get', '/api/docs'],
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Resolve a local $ref (#/components/…) in the document. */
function resolve(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const seg of ref.slice(2).split('/')) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Json)[key] : undefined;
  }
  return node;
}

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refs(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  it('has the OpenAPI 3.1 shape: info, paths, responses, parameters, refs and security that resolve', async () => {
    const doc = await openapi();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const info = doc.info as Json;
    expect(typeof info.title).toBe('string');
    expect(typeof info.version).toBe('string');
    expect(info.description).toContain('Device token');
    expect(info.description).toContain('User API token');
    const schemes = (doc.components as Json).securitySchemes as Json;
    expect(schemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.deviceToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const tagNames = (doc.tags as Array<{ name: string }>).map((t) => t.name);

    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      if (!path.startsWith('/')) problems.push(`${path}: must start with /`);
      if (/:\w+/.test(path)) problems.push(`${path}: Hono-style parameter in an OpenAPI path`);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      for (const [method, op] of Object.entries(item as Json)) {
        if (!METHODS.includes(method)) continue;
        const o = op as Json;
        const where = `${method.toUpperCase()} ${path}`;
        const responses = o.responses as Json | undefined;
        if (!responses || !Object.keys(responses).length) problems.push(`${where}: no responses`);
        for (const [code, r] of Object.entries(responses ?? {})) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${where}: response code ${code}`);
          if (typeof (r as Json).description !== 'string') problems.push(`${where} ${code}: no description`);
        }
        const params = [...(((item as Json).parameters as Json[] | undefined) ?? []), ...((o.parameters as Json[] | undefined) ?? [])];
        for (const p of params) {
          if (!['query', 'header', 'path', 'cookie'].includes(p.in as string))
            problems.push(`${where}: parameter ${String(p.name)} in ${String(p.in)}`);
          if (p.in === 'path' && p.required !== true) problems.push(`${where}: path parameter ${String(p.name)} not required`);
        }
        for (const t of templated)
          if (!params.some((p) => p.in === 'path' && p.name === t)) problems.push(`${where}: path parameter {${t}} not declared`);
        for (const req of (o.security as Json[] | undefined) ?? [])
          for (const name of Object.keys(req)) if (!schemes[name]) problems.push(`${where}: unknown security scheme ${name}`);
        for (const t of (o.tags as string[] | undefined) ?? []) if (!tagNames.includes(t)) problems.push(`${where}: tag ${t} not listed`);
      }
    }
    for (const ref of refs(doc)) if (resolve(doc, ref) === undefined) problems.push(`unresolved $ref ${ref}`);
    expect(problems).toEqual([]);
  });

  it('lists every registry endpoint', async () => {
    const paths = (await openapi()).paths as Record<string, Json>;
    const missing = REGISTRY.filter(([m, p]) => !paths[p]?.[m]).map(([m, p]) => `${m.toUpperCase()} ${p}`);
    expect(missing).toEqual([]);
  });

  it('lists every CONTRACT endpoint', async () => {
    const paths = (await openapi()).paths as Record<string, Json>;
    const missing = CONTRACT.filter(([m, p]) => !paths[p]?.[m]).map(([m, p]) => `${m.toUpperCase()} ${p}`);
    expect(missing).toEqual([]);
  });

  it('marks admin endpoints with bearer auth and public ones without', async () => {
    const paths = (await openapi()).paths as Record<string, Record<string, Json>>;
    expect(paths['/api/v1/stations']!.post!.security).toEqual([{ bearerAuth: [] }]);
    expect(paths['/api/v1/import']!.post!.security).toEqual([{ bearerAuth: [] }]);
    expect(paths['/api/v1/public/map']!.get!.security).toBeUndefined();
    const importBody = (paths['/api/v1/import']!.post!.requestBody as Json).content as Json;
    expect(Object.keys(importBody).sort()).toEqual(['application/geo+json', 'application/json', 'text/csv']);
  });
});

describe('Swagger UI page', () => {
  it('loads Swagger UI from our own assets, never a CDN, pointed at the document', async () => {
    const res = await call('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('src="/vendor/swagger-ui/swagger-ui-bundle.js"');
    expect(html).toContain('href="/vendor/swagger-ui/swagger-ui.css"');
    expect(html).not.toMatch(/https?:\/\//);
    // Started by a script file of its own (the page's CSP allows no inline script).
    expect(html).toContain('src="/api/docs/init.js"');
    const init = await (await call('/api/docs/init.js')).text();
    expect(init).toContain("url: '/api/openapi.json'");
    expect(init).not.toMatch(/https?:\/\//);
  });
});
