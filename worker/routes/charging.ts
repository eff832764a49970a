import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { charging, fillDays, type ChargingRow } from '../db/reports.ts';
import { bearerAuth, problems } from '../schemas/common.ts';
import { ChargingAnswer, ChargingQuery } from '../schemas/reports.ts';

const app = createRouter();

const zero = (key: string): ChargingRow => ({ key, name: null, sessions: 0, energy_wh: 0, solar_wh: 0 });

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Reports'],
    summary: 'Bench charging sessions, energy delivered and solar energy harvested over local days',
    description: 'Dates are local days in the city time zone, both inclusive. A session counts on the local day it started.',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: ChargingQuery },
    responses: { 200: { description: 'Report', content: { 'application/json': { schema: ChargingAnswer } } }, ...problems(400, 401, 403) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    let rows = await charging(c.env.DB, q);
    if (q.by === 'day') rows = fillDays(q.from, q.to, rows, zero);
    const totals = { sessions: 0, energy_wh: 0, solar_wh: 0 };
    for (const r of rows) {
      totals.sessions += r.sessions;
      totals.energy_wh += r.energy_wh;
      totals.solar_wh += r.solar_wh;
    }
    return c.json({ from: q.from, to: q.to, tz: readConfig(c.env).tz, by: q.by, rows, totals }, 200);
  },
);

export default app;
