import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';

/**
 * The OpenAPI 3.1 document of the whole API and a Swagger UI page for it. The document is built
 * where the app is assembled (worker/index.ts passes `openApiDocument(app)` in), so this module
 * never imports the root app back. Swagger UI is served from our own assets
 * (/vendor/swagger-ui/), never a CDN: city networks are often offline from the internet.
 */
const tags = ['Docs'];

/** Version of the /api/v1 contract this document describes. */
const API_VERSION = '1.0.0';

function registerSecuritySchemes(app: ReturnType<typeof createRouter>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A user API token (`api_…`, roles admin, staff or planner), created by an admin with POST /api/v1/tokens, or the ADMIN_TOKEN secret. ' +
      'Admin may do everything; staff and planners read the registry and their reports.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'deviceToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A device token (`dev_…`), issued once when an admin registers the device (POST /api/v1/devices) or rotates its token. Only for sending telemetry.',
  });
}

const DESCRIPTION = `Telemetry, registry and planning API of the amenity network monitor: solar smart benches (太阳能智能座椅) in pocket parks and outdoor-worker rest stations (户外劳动者驿站).

**Authentication.** Two kinds of bearer token, never interchangeable:
- *Device token* (\`Authorization: Bearer dev_…\`): identifies one bench or station controller; it may only send telemetry (\`POST /api/v1/telemetry\`, or in the path for ThingsBoard-style firmware). The server keeps only its SHA-256.
- *User API token* (\`Authorization: Bearer api_…\`): a person or system with a role — **admin** (everything: registry, devices, tokens, imports), **staff** (restocking and field work: reads), **planner** (coverage and planning data). The first admin token is the \`ADMIN_TOKEN\` secret.

The public map and nearest-station endpoints need no token.

**Errors** are RFC 9457 \`application/problem+json\` with \`type\`, \`title\`, \`status\`, \`detail\` and, for validation, \`errors: [{in, pointer, message}]\` pointing at each bad field (JSON pointer). Nothing a client sends causes a 5xx, and a refused request writes nothing.

**Time.** Instants are UTC (ISO 8601 or epoch ms); days and hours in reports are the city's local calendar (\`CITY_TZ\`, default Asia/Shanghai).`;

const TAG_TEXT: Record<string, string> = {
  Telemetry: 'Devices send readings (envelope, SenML, ThingsBoard-style)',
  Devices: 'Register benches and station controllers; rotate and disable their tokens',
  Sites: 'Districts, pocket parks and stations; bulk import from GeoJSON or CSV',
  Items: 'Supply items stocked at stations, including codes first seen in telemetry',
  'API tokens': 'User API tokens and their roles',
  Public: 'Convenience service map (便民服务地图) and nearest station, without a token',
  Docs: 'This document',
};

export type OpenApiDocument = ReturnType<ReturnType<typeof createRouter>['getOpenAPI31Document']>;
/** What the document is read from: the assembled app. */
export type OpenApiSource = Pick<ReturnType<typeof createRouter>, 'getOpenAPI31Document'>;

/** The document of `root`, with the API's description and the tags its operations use. */
export function openApiDocument(root: OpenApiSource): OpenApiDocument {
  const doc = root.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Amenity network monitor API',
      version: API_VERSION,
      description: DESCRIPTION,
    },
    servers: [{ url: '/', description: 'This Worker' }],
  });
  const used = new Set<string>();
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item ?? {})) {
      if (op && typeof op === 'object' && 'tags' in op && Array.isArray(op.tags)) for (const t of op.tags) used.add(String(t));
    }
  }
  doc.tags = [...used].sort().map((name) => (TAG_TEXT[name] ? { name, description: TAG_TEXT[name] } : { name }));
  return doc;
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Amenity network monitor API</title>
<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
</head>
<body style="margin: 0">
<div id="swagger-ui"></div>
<script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

/*
 * Swagger UI's start, as a file of its own: the page's Content-Security-Policy allows no inline
 * script. No persistAuthorization: a bearer token typed into the page must not outlive it in
 * localStorage, where any script on this origin could read it.
 */
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false, tryItOutEnabled: false });\n`;

/**
 * The /api/openapi.json and /api/docs routes. `document` is called on first request and its
 * answer kept: routes do not change at run time.
 */
export function docsRoutes(document: () => OpenApiDocument) {
  const app = createRouter();
  registerSecuritySchemes(app);
  let cached: OpenApiDocument | null = null;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/openapi.json',
      tags,
      summary: 'The OpenAPI 3.1 document of this API',
      responses: {
        200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
      },
    }),
    (c) => c.json((cached ??= document()) as unknown as Record<string, unknown>, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/docs',
      tags,
      summary: 'Interactive API documentation (Swagger UI)',
      responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
    }),
    (c) => c.html(PAGE, 200),
  );

  // A static file of the page, not an API operation: not in the document.
  app.get('/docs/init.js', (c) =>
    c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }),
  );

  return app;
}
