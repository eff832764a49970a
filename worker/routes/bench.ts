import { createMiddleware } from 'hono/factory';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { bareInsert, type BareRow } from '../db/bench.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/**
 * Benchmark-only routes, for `npm run bench`: the floor that telemetry ingestion is measured
 * against. They exist only when the var BENCH_ROUTES is "1" (the benchmark starts its own local
 * Worker with it); otherwise every path here answers 404 like any unknown route. Not in the
 * OpenAPI document: no client should depend on them. Even then they write the real ledger, so
 * they need the admin's token like any other write.
 */
const app = createRouter();

app.use(
  '*',
  createMiddleware<AppEnv>(async (c, next) => {
    if (c.env.BENCH_ROUTES !== '1') throw new ApiError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
    await next();
  }),
  requireRole('admin'),
);

interface BareMessage {
  seq?: unknown;
  ts?: unknown;
  type?: unknown;
}

// POST /api/bench/insert  {"device": "...", "messages": [...]}  (the telemetry envelope)
app.post('/insert', async (c) => {
  const body = (await c.req.json()) as { device?: string; messages?: BareMessage[] };
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const rows: BareRow[] = messages.map((m) => ({
    k: String(m.seq),
    ts: typeof m.ts === 'number' ? m.ts : Date.parse(String(m.ts)),
    t: String(m.type),
    b: JSON.stringify(m),
  }));
  const now = Date.now();
  await bareInsert(c.env.DB, String(body.device ?? 'bench'), rows, now);
  c.header('x-d1-round-trips', '1');
  return c.json({ inserted: rows.length }, 200);
});

export default app;
