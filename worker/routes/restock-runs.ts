import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { loadPlanning } from '../coverage/engine.ts';
import { loadRunInputs } from '../db/restock-runs.ts';
import { addDays, localDay, localParts } from '../domain/local-time.ts';
import { DETOUR_FACTOR } from '../domain/nearest.ts';
import { hourProfiles, profileForecast } from '../domain/restock-demand.ts';
import { networkMatrix, straightLineMatrix } from '../domain/restock-distances.ts';
import { planRestockRun, type PlanStation } from '../domain/restock-plan.ts';
import { bearerAuth, json, problems } from '../schemas/common.ts';
import { RestockPlan, RestockPlanRequest } from '../schemas/restocks.ts';

/** POST /api/v1/restock-runs/plan: a van's loop with what to bring to each stop and a pick list. */
const app = createRouter();

/** A van in city streets with lights and parking, metres per minute (about 15 km/h). */
const DRIVE_M_PER_MIN = 250;
/** Days of hourly rollups behind the demand profile. */
const PROFILE_DAYS = 14;
const HOUR = 3600_000;

app.openapi(
  createRoute({
    method: 'post',
    path: '/plan',
    tags: ['Operations'],
    summary: 'Plan a restock run: stations to visit in order, what to bring to each, and the pick list',
    description:
      'Stations due (an item at or below its reorder point now or, by the forecast, before the next visit), most urgent first, as long as the ' +
      "van's capacity and the time available allow; the others are listed in `left_out` with the reason. The order is nearest neighbour " +
      'improved by 2-opt and Or-opt, on the walking network when one is loaded (else straight line × detour factor). Each stop gets up to par.',
    security: bearerAuth,
    middleware: [requireRole('staff', 'supervisor')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: RestockPlanRequest } } } },
    responses: { 200: json(RestockPlan, 'The plan'), ...problems(400, 401, 403, 415) },
  }),
  async (c) => {
    const q = c.req.valid('json');
    const { tz, walkSpeedMPerMin } = readConfig(c.env);
    const now = Date.now();
    const today = localDay(now, tz);
    const { stations, items, use } = await loadRunInputs(c.env.DB, q, { first: addDays(today, -PROFILE_DAYS), last: addDays(today, -1) });
    const forecast = profileForecast(hourProfiles(use, PROFILE_DAYS), (ms) => localParts(ms, tz).hour);
    const horizon = now + q.next_visit_h * HOUR;
    const byStation = new Map<string, PlanStation>(stations.map((s) => [s.id, { ...s, items: [] }]));
    for (const it of items) {
      if (it.on_hand === null && it.par_level === null) continue;
      const f = forecast(it.station_id, it.item, now, horizon);
      byStation.get(it.station_id)?.items.push({
        item: it.item,
        on_hand: it.on_hand ?? 0,
        par_level: it.par_level,
        reorder_point: it.reorder_point,
        forecast: f,
        rate_per_h: f / q.next_visit_h,
      });
    }
    const points = [q.depot, ...stations];
    const planning = await loadPlanning(c.env.DB);
    const net = planning.network;
    const m = net ? networkMatrix(net.network, (lon, lat) => net.index.snap(lon, lat), points) : null;
    const speed = q.mode === 'walk' ? walkSpeedMPerMin : DRIVE_M_PER_MIN;
    const plan = planRestockRun({
      stations: [...byStation.values()],
      dist: m ?? straightLineMatrix(points),
      capacity: q.capacity,
      available_min: q.available_min,
      service_min: q.service_min,
      speed_m_per_min: speed,
    });
    return c.json(
      {
        method: m ? ('network' as const) : ('straight_line' as const),
        ...(m ? {} : { detour_factor: DETOUR_FACTOR }),
        speed_m_per_min: speed,
        next_visit_h: q.next_visit_h,
        ...plan,
      },
      200,
    );
  },
);

export default app;
