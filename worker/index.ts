import { HTTPException } from 'hono/http-exception';
import { createRouter } from './app.ts';
import { ApiError, problemResponse, redactPath, type ProblemCode } from './errors.ts';
import telemetry from './routes/telemetry.ts';
import devices from './routes/devices.ts';
import districts from './routes/districts.ts';
import parks from './routes/parks.ts';
import stations from './routes/stations.ts';
import items from './routes/items.ts';
import tokens from './routes/tokens.ts';
import importRoute from './routes/import.ts';
import supplies from './routes/supplies.ts';
import charging from './routes/charging.ts';
import publicMap from './routes/public.ts';
import dashboard from './routes/dashboard.ts';
import network from './routes/network.ts';
import population from './routes/population.ts';
import coverage from './routes/coverage.ts';
import { docsRoutes, openApiDocument } from './routes/docs.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { publicEdge } from './middleware/public-edge.ts';
import bench from './routes/bench.ts';
import rankings from './routes/rankings.ts';
import monthly from './routes/monthly.ts';
import wall from './routes/wall.ts';
import restocks from './routes/restocks.ts';
import restockRuns from './routes/restock-runs.ts';
import units from './routes/units.ts';
import teams from './routes/teams.ts';
import people from './routes/people.ts';
import workOrders from './routes/work-orders.ts';
import { onSchedule } from './scheduled.ts';
import alerts from './routes/alerts.ts';
import { handleQueue, type NotifyMessage } from './notify/queue.ts';

const app = createRouter();

app.use('*', securityHeaders);

app.use('/api/*', async (c, next) => {
  c.set('requestId', c.req.header('cf-ray') ?? crypto.randomUUID());
  await next();
});

app.route('/api/v1', telemetry); // POST /telemetry and the ThingsBoard-style /{token}/telemetry
app.route('/api/v1/devices', devices);
app.route('/api/v1/districts', districts);
app.route('/api/v1/parks', parks);
app.route('/api/v1/stations', stations);
app.route('/api/v1/stations', restocks); // POST /stations/{id}/restocks
app.route('/api/v1/items', items);
app.route('/api/v1/tokens', tokens);
app.route('/api/v1/import', importRoute);
app.route('/api/v1/supplies', supplies);
app.route('/api/v1/charging', charging);
app.use('/api/v1/public/*', publicEdge); // edge cache + per-client limit
app.route('/api/v1/public', publicMap);
app.route('/api/v1/dashboard', dashboard);
app.route('/api/v1/network', network);
app.route('/api/v1/population', population);
app.route('/api/v1/coverage', coverage);
app.route('/api/v1/rankings', rankings);
app.route('/api/v1/monthly', monthly);
app.route('/api/v1/public/wall', wall); // no token: the lobby wall screen
app.route('/api/v1/restock-runs', restockRuns);
app.route('/api/v1', alerts); // /alerts, /cards, /channels
app.route('/api/v1/units', units);
app.route('/api/v1/teams', teams);
app.route('/api/v1/people', people);
app.route('/api/v1/work-orders', workOrders);
app.route('/api/bench', bench); // only for `npm run bench`; answers 404 unless BENCH_ROUTES=1
app.route(
  '/api',
  docsRoutes(() => openApiDocument(app)),
); // /api/openapi.json, /api/docs
for (const path of ['/s/*', '/service-map']) app.get(path, (c) => c.env.ASSETS.fetch(new Request(new URL('/nearby', c.req.url)))); // the public page's other paths

const patterns = new Map<string, RegExp>();
function routePattern(path: string): RegExp {
  let re = patterns.get(path);
  if (!re) {
    const segments = path
      .split('/')
      .map((s) => (s.startsWith(':') ? '[^/]+' : s === '*' ? '.*' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    patterns.set(path, (re = new RegExp(`^${segments.join('/')}$`)));
  }
  return re;
}

/** The methods some route answers at `path`: a known resource asked another way is a 405 (RFC 9110), not a 404. */
function allowedMethods(path: string): string[] {
  const methods = new Set<string>();
  for (const r of app.routes) if (r.method !== 'ALL' && routePattern(r.path).test(path)) methods.add(r.method);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

app.notFound((c) => {
  const path = new URL(c.req.url).pathname;
  const allow = allowedMethods(path);
  if (allow.length) {
    return problemResponse(
      c,
      new ApiError('method_not_allowed', `${c.req.method} is not allowed on ${redactPath(path)}; use ${allow.join(' or ')}`, {
        headers: { allow: allow.join(', ') },
      }),
    );
  }
  return problemResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${path}`));
});

const HTTP_CODES: Record<number, ProblemCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

app.onError((err, c) => {
  if (err instanceof ApiError) return problemResponse(c, err);
  if (err instanceof HTTPException && HTTP_CODES[err.status]) {
    return problemResponse(c, new ApiError(HTTP_CODES[err.status]!, err.message || 'Bad request'));
  }
  console.error(
    JSON.stringify({
      requestId: c.get('requestId'),
      path: redactPath(new URL(c.req.url).pathname),
      error: String(err),
      stack: (err as Error).stack,
    }),
  );
  return problemResponse(c, new ApiError('internal', `Internal error; request id ${c.get('requestId') ?? 'unknown'}`));
});

export { app };

/**
 * "application/json ; charset=utf-8" is a valid media type (RFC 9110 allows white space before
 * ";"), but Hono's JSON validator refuses it: tidy it before routing.
 */
function tidyContentType(req: Request): Request {
  const type = req.headers.get('content-type');
  if (!type || !/\s;/.test(type)) return req;
  const headers = new Headers(req.headers);
  headers.set('content-type', type.replace(/\s*;\s*/g, '; '));
  return new Request(req, { headers });
}

export default {
  fetch: (req, env, ctx) => app.fetch(tidyContentType(req), env, ctx),
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(onSchedule(controller.scheduledTime, env));
  },
  queue: (batch, env) => handleQueue(batch as MessageBatch<NotifyMessage>, env),
} satisfies ExportedHandler<Env>;
