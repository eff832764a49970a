import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { readConfig } from '../config.ts';
import { listItems } from '../db/items.ts';
import { publishedMonths } from '../db/ranking-store.ts';
import { supplies } from '../db/reports.ts';
import { loadStations } from '../db/stations.ts';
import { localDay } from '../domain/local-time.ts';
import { json } from '../schemas/common.ts';
import { lastFullMonth, rankingFor } from './rankings.ts';
import { newRankingMemo } from '../db/ranking-month.ts';

/**
 * The lobby wall screen's data, without a token: only what a public screen shows anyway. The
 * ranking is the newest published month (names, scores, ranks, flags; no parts, no entered
 * scores); until a month is published, the last full month computed now, marked provisional.
 * Stations: name, position and open now. Supplies: this month's totals per item.
 * A computed ranking is kept in the isolate for 10 minutes, so a screen polling every minute (or
 * anyone calling this) costs one computation per isolate per 10 minutes.
 */
const app = createRouter();
const CACHE_MS = 10 * 60_000;
let cached: { key: string; at: number; body: WallRanking } | null = null;

type WallRanking = z.infer<typeof WallRankingSchema>;
const WallRow = z.object({
  key: z.string(),
  name: z.string(),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  flag: z.enum(['red', 'black']).nullable(),
});
const WallRankingSchema = z.object({ month: z.string(), provisional: z.boolean(), unit: z.array(WallRow), district: z.array(WallRow) });
const WallAnswer = z
  .object({
    now: z.string(),
    month: z.string().openapi({ description: 'The current local month (supplies)' }),
    ranking: WallRankingSchema,
    supplies: z.array(
      z.object({ item: z.string(), name_zh: z.string().nullable(), name_en: z.string().nullable(), dispensed: z.number() }),
    ),
    stations: z.array(z.object({ id: z.string(), name: z.string(), lat: z.number(), lon: z.number(), open: z.boolean() })),
  })
  .openapi('Wall');

async function wallRanking(env: Env, now: number, tz: string): Promise<WallRanking> {
  const month = (await publishedMonths(env.DB, 'unit', 1))[0];
  const key = month ?? `provisional:${lastFullMonth(now, tz)}`;
  if (cached && cached.key === key && (month || now - cached.at < CACHE_MS)) return cached.body;
  const m = month ?? lastFullMonth(now, tz);
  const slim = (rows: Awaited<ReturnType<typeof rankingFor>>['rows']) =>
    rows.map(({ key, name, score, rank, flag }) => ({ key, name, score, rank, flag }));
  const memo = newRankingMemo();
  // Scores and flags only: the wall lists no sources.
  const [unit, district] = [await rankingFor(env, m, 'unit', now, memo, false), await rankingFor(env, m, 'district', now, memo, false)];
  const body = { month: m, provisional: !month, unit: slim(unit.rows), district: slim(district.rows) };
  cached = { key, at: now, body };
  return body;
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Public'],
    summary: 'What the lobby wall screen shows: the ranking with flags, items handed out this month, stations open now (no authentication)',
    responses: { 200: json(WallAnswer, 'Wall data') },
  }),
  async (c) => {
    const now = Date.now();
    const tz = readConfig(c.env).tz;
    const today = localDay(now, tz);
    const month = today.slice(0, 7);
    const [ranking, rows, items, stations] = await Promise.all([
      wallRanking(c.env, now, tz),
      supplies(c.env.DB, { from: `${month}-01`, to: today, by: 'item' }),
      listItems(c.env.DB, {}),
      loadStations(c.env.DB, {}, now, tz),
    ]);
    const names = new Map(items.map((i) => [i.code, i]));
    c.header('cache-control', 'public, max-age=30');
    return c.json(
      {
        now: new Date(now).toISOString(),
        month,
        ranking,
        supplies: rows
          .map((r) => ({
            item: r.key,
            name_zh: names.get(r.key)?.name_zh ?? null,
            name_en: names.get(r.key)?.name_en ?? null,
            dispensed: r.dispensed,
          }))
          .sort((a, b) => b.dispensed - a.dispensed),
        stations: stations.map((s) => ({ id: s.id, name: s.name, lat: s.lat, lon: s.lon, open: s.open })),
      },
      200,
    );
  },
);

export default app;
