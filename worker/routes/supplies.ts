import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { supplies, fillDays, type SuppliesRow } from '../db/reports.ts';
import { bearerAuth, problems } from '../schemas/common.ts';
import { SuppliesAnswer, SuppliesQuery } from '../schemas/reports.ts';

const app = createRouter();

const zero = (key: string): SuppliesRow => ({
  key,
  name: null,
  dispensed: 0,
  restocked: 0,
  lent: 0,
  returned: 0,
  dispensed_inferred: 0,
  restocked_inferred: 0,
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Reports'],
    summary: 'Supplies dispensed, restocked, lent and returned over local days',
    description:
      'Dates are local days in the city time zone, both inclusive. Read from the daily rollups. `by=day` lists every day of the range (zero-filled) when it spans at most ten years.',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: SuppliesQuery },
    responses: { 200: { description: 'Report', content: { 'application/json': { schema: SuppliesAnswer } } }, ...problems(400, 401, 403) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    let rows = await supplies(c.env.DB, q);
    if (q.by === 'day') rows = fillDays(q.from, q.to, rows, zero);
    const totals = { dispensed: 0, restocked: 0, lent: 0, returned: 0 };
    for (const r of rows) for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += r[k];
    return c.json({ from: q.from, to: q.to, tz: readConfig(c.env).tz, by: q.by, rows, totals }, 200);
  },
);

export default app;
