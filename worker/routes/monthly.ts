import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { alertsByKind, saveTotals, sinceOpeningRows, unknownStations } from '../db/monthly-totals.ts';
import { loadMonthData, measuresOf, newRankingMemo, rankingConfig, slaSample } from '../db/ranking-month.ts';
import { round } from '../db/dashboard-state.ts';
import { defaultTargets } from '../db/work-orders.ts';
import { localDay } from '../domain/local-time.ts';
import { parseTotalsCsv, parseTotalsJson, type TotalsParse } from '../domain/monthly-totals.ts';
import { slaFigures } from '../domain/ranking/stats.ts';
import { sinceOpening } from '../domain/since-opening.ts';
import { ApiError } from '../errors.ts';
import { mediaType } from '../http.ts';
import { bearerAuth, Id, json, problems } from '../schemas/common.ts';
import { Month } from '../schemas/rankings.ts';
import { SinceAnswer } from '../schemas/reports.ts';
import { lastFullMonth, notFuture, rankingFor } from './rankings.ts';

const app = createRouter();
const MAX_BYTES = 5 * 1024 * 1024;

const TotalsJson = z.object({ rows: z.array(z.record(z.string(), z.unknown())).max(50_000) });
const TotalsAnswer = z.object({ rows: z.number().int(), stations: z.number().int(), months: z.array(z.string()) });

app.openAPIRegistry.registerPath({
  method: 'put',
  path: '/api/v1/monthly/totals',
  tags: ['Reports'],
  summary: 'Import monthly totals per station and item for history older than the ingest window (admin, supervisor)',
  description:
    'CSV with header `station,month,item,dispensed,visitors` (or 驿站,月份,物品,发放,人次), or JSON `{"rows": [...]}` with the same keys. A row without item gives only the month\'s visitors. Upserts per (station, month, item); a month with imported totals uses them instead of the rollups in "since opening" figures. Any bad cell: 400 with errors at /rows/<line>/<column>, nothing stored.',
  security: bearerAuth,
  request: {
    body: {
      required: true,
      content: {
        'text/csv': { schema: z.string().openapi({ example: 'station,month,item,dispensed,visitors\nst-001,2025-06,water,1200,3400' }) },
        'application/json': { schema: TotalsJson },
      },
    },
  },
  responses: { 200: json(TotalsAnswer, 'Stored'), ...problems(400, 401, 403, 413, 415) },
});

app.put('/totals', requireRole('supervisor'), async (c) => {
  const type = mediaType(c.req.header('content-type'));
  if (Number(c.req.header('content-length') ?? 0) > MAX_BYTES)
    throw new ApiError('payload_too_large', `Body is larger than ${MAX_BYTES} bytes`);
  const text = await c.req.text();
  if (text.length > MAX_BYTES) throw new ApiError('payload_too_large', `Body is larger than ${MAX_BYTES} bytes`);
  const maxMonth = localDay(Date.now(), readConfig(c.env).tz).slice(0, 7);
  let parsed: TotalsParse;
  if (type === 'text/csv') parsed = parseTotalsCsv(text, maxMonth);
  else if (type === 'application/json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new ApiError('validation_failed', 'Invalid body: not JSON', { errors: [{ in: 'body', pointer: '', message: 'not JSON' }] });
    }
    const r = TotalsJson.safeParse(doc);
    if (!r.success)
      throw new ApiError('validation_failed', 'Invalid body: expected {"rows": [...]} (at most 50,000)', {
        errors: [{ in: 'body', pointer: '/rows', message: 'must be an array of row objects' }],
      });
    parsed = parseTotalsJson(r.data.rows, maxMonth);
  } else throw new ApiError('unsupported_media_type', `Send text/csv or application/json, not ${type || 'no content type'}`);
  const errors = parsed.errors.map((e) => ({ in: 'body' as const, ...e }));
  if (!errors.length && parsed.rows.length === 0) errors.push({ in: 'body', pointer: '/rows', message: 'no rows' });
  if (errors.length)
    throw new ApiError(
      'validation_failed',
      `Invalid body: ${errors[0]!.pointer}: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}; nothing was stored`,
      { errors: errors.slice(0, 200) },
    );
  const missing = new Set(
    await unknownStations(
      c.env.DB,
      parsed.rows.map((r) => r.station),
    ),
  );
  if (missing.size) {
    throw new ApiError('validation_failed', `Invalid body: unknown station ${[...missing].slice(0, 5).join(', ')}; nothing was stored`, {
      errors: parsed.rows
        .flatMap((r, i) =>
          missing.has(r.station)
            ? [{ in: 'body' as const, pointer: `/rows/${type === 'text/csv' ? i + 2 : i}/station`, message: `no station ${r.station}` }]
            : [],
        )
        .slice(0, 200),
    });
  }
  await saveTotals(c.env.DB, parsed.rows, Date.now());
  return c.json(
    {
      rows: parsed.rows.length,
      stations: new Set(parsed.rows.map((r) => r.station)).size,
      months: [...new Set(parsed.rows.map((r) => r.month))].sort(),
    },
    200,
  );
});

app.openapi(
  createRoute({
    method: 'get',
    path: '/since-opening',
    tags: ['Reports'],
    summary: 'Items handed out and visitors (人次) per station since it opened, and days open',
    description:
      'From stations.opened_on (or the first day with data): imported monthly totals where a month has them, else the daily rollups.',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: z.object({ station: Id.optional().openapi({ param: { name: 'station', in: 'query' } }) }) },
    responses: { 200: json(SinceAnswer, 'Per station'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const today = localDay(Date.now(), readConfig(c.env).tz);
    const r = await sinceOpeningRows(c.env.DB, c.req.valid('query').station ?? null);
    return c.json({ today, rows: sinceOpening(r.stations, r.rolled, r.imported, r.rolledVisitors, r.importedVisitors, today) }, 200);
  },
);

const Sla = z.object({
  key: z.string(),
  name: z.string(),
  orders: z.number().int(),
  decided: z.number().int(),
  met: z.number().int(),
  share_met: z.number().nullable(),
  arrival_median_s: z.number().nullable(),
  arrival_p90_s: z.number().nullable(),
  handling_median_s: z.number().nullable(),
  handling_p90_s: z.number().nullable(),
});
const UptimeRow = z.object({
  site: z.string(),
  kind: z.enum(['station', 'bench']),
  name: z.string(),
  district: z.string(),
  hours: z.number().openapi({ description: "Hours it should have served: a station's open hours, a bench's hours in service" }),
  up_hours: z.number().openapi({
    description:
      "A station: open hours without an open stock-out or offline alert; a bench: hours its battery was above the ranking's minimum charge",
  }),
});
const ReportAnswer = z.object({
  month: z.string(),
  tz: z.string(),
  ranking: z.object({ unit: z.unknown(), district: z.unknown() }),
  response_by_team: z.array(Sla),
  response_by_district: z.array(Sla),
  stock_out: z.array(z.object({ station: z.string(), name: z.string(), district: z.string(), item: z.string(), hours: z.number() })),
  alerts_by_kind: z.array(z.object({ kind: z.string(), opened: z.number().int(), sites: z.number().int(), hours: z.number() })),
  reports: z.object({ opened: z.number().int(), handled: z.number().int(), answered: z.number().int() }).nullable(),
});
const MonthQuery = z.object({ month: Month.optional().openapi({ param: { name: 'month', in: 'query' } }) });

/** The month asked for (default: the last full one); a month that has not begun is refused. */
function reportMonth(asked: string | undefined, now: number, tz: string): string {
  const month = asked ?? lastFullMonth(now, tz);
  notFuture(month, now, tz, 'query');
  return month;
}

/** What the report's figures are worked out from: the month's sites, alerts and orders (and its streak months'). */
function monthOf(env: Env, month: string, now: number, memo = newRankingMemo()) {
  const cfgEnv = readConfig(env);
  return rankingConfig(env.DB, memo).then((cfg) =>
    loadMonthData(env.DB, month, cfg, now, cfgEnv.tz, cfgEnv.walkSpeedMPerMin, defaultTargets(env), memo),
  );
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/report',
    tags: ['Reports'],
    summary: 'The monthly report: ranking with parts, response times per team and district, stock-out hours, alerts by kind',
    description:
      "The long per-site tables are their own endpoints, so that the report loads fast on a phone: every site's uptime at `/monthly/uptime`, every station since opening at `/monthly/since-opening`.",
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { query: MonthQuery },
    responses: { 200: json(ReportAnswer, 'The report'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const now = Date.now();
    const tz = readConfig(c.env).tz;
    const month = reportMonth(c.req.valid('query').month, now, tz);
    // The month (and the two before it, for streaks) is read once for the report and both rankings.
    // Everything is asked for at once, so the round trips to D1 overlap.
    const memo = newRankingMemo();
    const monthData = monthOf(c.env, month, now, memo);
    const [data, unit, district, alerts] = await Promise.all([
      monthData,
      rankingFor(c.env, month, 'unit', now, memo),
      rankingFor(c.env, month, 'district', now, memo),
      monthData.then((d) => alertsByKind(c.env.DB, d.window.start, d.window.end, d.until)),
    ]);
    const dispatched = data.orders.filter(
      (o) => o.dispatched_at !== null && o.dispatched_at >= data.window.start && o.dispatched_at < data.window.end,
    );
    const group = (keyOf: (o: (typeof dispatched)[number]) => [string, string] | null) => {
      const m = new Map<string, { name: string; orders: typeof dispatched }>();
      for (const o of dispatched) {
        const k = keyOf(o);
        if (!k) continue;
        const g = m.get(k[0]) ?? { name: k[1], orders: [] };
        g.orders.push(o);
        m.set(k[0], g);
      }
      return [...m]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, g]) => ({
          key,
          name: g.name,
          ...slaFigures(g.orders.map((o) => slaSample(o, now))),
        }));
    };
    const all = measuresOf(data, now, new Set());
    return c.json(
      {
        month,
        tz,
        ranking: { unit, district },
        response_by_team: group((o) => (o.assignee_team ? [o.assignee_team, o.team_name ?? o.assignee_team] : ['', '—'])),
        response_by_district: group((o) => {
          const s = data.sites.get(o.site);
          return s ? [s.district, s.district] : null;
        }),
        stock_out: data.stations.flatMap((s) =>
          Object.entries(s.stock_out).map(([item, hours]) => ({
            station: s.site.id,
            name: s.site.name,
            district: s.site.district,
            item,
            hours: round(hours, 2),
          })),
        ),
        alerts_by_kind: alerts.map((a) => ({ ...a, hours: round(a.hours, 2) })),
        reports: all.reports,
      },
      200,
    );
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/uptime',
    tags: ['Reports'],
    summary: "Every site's uptime in a month: hours it should have served and hours it did (the monthly report's per-site table)",
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { query: MonthQuery },
    responses: {
      200: json(z.object({ month: z.string(), tz: z.string(), rows: z.array(UptimeRow) }), 'One row per site in service'),
      ...problems(400, 401, 403),
    },
  }),
  async (c) => {
    const now = Date.now();
    const tz = readConfig(c.env).tz;
    const month = reportMonth(c.req.valid('query').month, now, tz);
    const data = await monthOf(c.env, month, now);
    return c.json(
      {
        month,
        tz,
        rows: [
          ...data.stations.map((s) => ({
            site: s.site.id,
            kind: 'station' as const,
            name: s.site.name,
            district: s.site.district,
            hours: s.opening_hours,
            up_hours: round(s.up_hours, 2),
          })),
          ...data.benches.map((b) => ({
            site: b.site.id,
            kind: 'bench' as const,
            name: b.site.name,
            district: b.site.district,
            hours: b.hours,
            up_hours: b.charged_hours,
          })),
        ],
      },
      200,
    );
  },
);

export default app;
