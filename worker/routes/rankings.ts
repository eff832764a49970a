import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { computeRanking, newRankingMemo, rankingConfig, rankingSnapshot, type RankingBody, type RankingMemo } from '../db/ranking-month.ts';
import { defaultTargets } from '../db/work-orders.ts';
import { loadConfig, loadLog, loadSnapshot, saveConfig, writeSnapshots, type LogEntry, type RankBy } from '../db/ranking-store.ts';
import { manualScores, saveManualScores } from '../db/rankings.ts';
import { localDay } from '../domain/local-time.ts';
import { monthsBefore } from '../domain/ranking/month.ts';
import { mergeConfig, type RankingConfig } from '../domain/ranking/weights.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, json, problems } from '../schemas/common.ts';
import {
  HistoryAnswer,
  HistoryQuery,
  MonthParam,
  PublishAnswer,
  RankingAnswer,
  RankingQuery,
  RecomputeBody,
  ScoresAnswer,
  ScoresBody,
  SettingsBody,
} from '../schemas/rankings.ts';

const app = createRouter();

/** The city's current local month and the last full one before it. */
export function currentMonth(now: number, tz: string): string {
  return localDay(now, tz).slice(0, 7);
}
export const lastFullMonth = (now: number, tz: string) => monthsBefore(currentMonth(now, tz), 1);

/** A month that has not begun in the city is refused (a ranking, a report of it would be empty). */
export function notFuture(month: string, now: number, tz: string, where: 'query' | 'path'): void {
  if (month > currentMonth(now, tz)) {
    throw new ApiError('validation_failed', `Invalid ${where}: /month: ${month} has not begun in the city's time zone (${tz})`, {
      errors: [{ in: where, pointer: '/month', message: 'must not be a future month' }],
    });
  }
}

const published = (s: { published_at: number; published_by: string }) => ({
  at: new Date(s.published_at).toISOString(),
  by: s.published_by,
});

/** The ranking as served: the stored snapshot of a published month, else computed from the data now. */
export async function rankingFor(
  env: Env,
  month: string,
  by: RankBy,
  now: number,
  memo: RankingMemo = newRankingMemo(),
  withSources = true,
): Promise<RankingBody & { published: { at: string; by: string } | null }> {
  // The configuration is read alongside the snapshot (one small row), so a computed month waits
  // for one round trip less; both once per request (a history asks for them for every month).
  const [snap, rankingCfg] = await Promise.all([rankingSnapshot(env.DB, month, by, memo), rankingConfig(env.DB, memo)]);
  if (snap) return { ...snap.body, published: published(snap) };
  const cfg = readConfig(env);
  const body = await computeRanking(
    env.DB,
    month,
    by,
    rankingCfg,
    now,
    cfg.tz,
    cfg.walkSpeedMPerMin,
    defaultTargets(env),
    memo,
    withSources,
  );
  return { ...body, published: null };
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Rankings'],
    summary: 'Monthly ranking of districts or responsible units, with flags and parts',
    description:
      'Final score = third-party 40 % + digital 40 % + departments 15 % + assessment office 5 % (configurable); digital = coverage, station uptime, bench uptime, stock-out hours, 双十 share met, 处置率, 反馈率, each 0–100, weighted per kind of unit. A part without data is dropped and the others re-weighted. Competition ranks (equal scores share a rank); red flag for ranks 1–2, black for the last. A published month answers its stored snapshot. Formula: docs/rankings.md.',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { query: RankingQuery },
    responses: { 200: json(RankingAnswer, 'The ranking'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const now = Date.now();
    const tz = readConfig(c.env).tz;
    const month = q.month ?? lastFullMonth(now, tz);
    notFuture(month, now, tz, 'query');
    return c.json(await rankingFor(c.env, month, q.by, now), 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/history',
    tags: ['Rankings'],
    summary: 'Ranks and flags over recent months',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { query: HistoryQuery },
    responses: { 200: json(HistoryAnswer, 'One entry per month, newest first'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const now = Date.now();
    const tz = readConfig(c.env).tz;
    const to = q.to ?? lastFullMonth(now, tz);
    notFuture(to, now, tz, 'query');
    // One memo for the request: month i's streak reads months i+1 and i+2, which the history also
    // lists. The months are asked for at once, so their round trips to D1 overlap.
    const memo = newRankingMemo();
    const rankings = await Promise.all(
      Array.from({ length: q.months }, (_, i) => rankingFor(c.env, monthsBefore(to, i), q.by, now, memo, false)),
    );
    const months = rankings.map((r) => ({
      month: r.month,
      published: r.published !== null,
      rows: r.rows.map(({ key, name, score, rank, flag, low_streak, low_marked }) => ({
        key,
        name,
        score,
        rank,
        flag,
        low_streak,
        low_marked,
      })),
    }));
    return c.json({ by: q.by, months }, 200);
  },
);

async function scoresOf(db: D1Database, month: string) {
  return (await manualScores(db, month)).map((s) => ({
    unit: s.unit_id,
    source: s.source,
    score: s.score,
    note: s.note,
    entered_by: s.entered_by,
    entered_at: new Date(s.entered_at).toISOString(),
  }));
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/{month}/scores',
    tags: ['Rankings'],
    summary: 'Scores entered by hand for a month',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { params: MonthParam },
    responses: { 200: json(ScoresAnswer, 'Entered scores'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const { month } = c.req.valid('param');
    const snap = await loadSnapshot(c.env.DB, month, 'unit');
    return c.json({ month, published: snap !== null, scores: await scoresOf(c.env.DB, month) }, 200);
  },
);

app.openapi(
  createRoute({
    method: 'put',
    path: '/{month}/scores',
    tags: ['Rankings'],
    summary: 'Enter third-party inspection, departmental and assessment-office scores per unit (supervisor)',
    description:
      'Upserts each (unit, source); a null score removes it. All or nothing: an unknown unit is a 400 and nothing is stored. On a published month the scores are stored but the published ranking changes only by an explicit recompute.',
    security: bearerAuth,
    middleware: [requireRole('supervisor')] as const,
    request: { params: MonthParam, body: { required: true, content: { 'application/json': { schema: ScoresBody } } } },
    responses: { 200: json(ScoresAnswer, "The month's entered scores"), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const { month } = c.req.valid('param');
    const body = c.req.valid('json');
    const now = Date.now();
    notFuture(month, now, readConfig(c.env).tz, 'path');
    const seen = new Set<string>();
    body.scores.forEach((s, i) => {
      const k = `${s.unit}|${s.source}`;
      if (seen.has(k))
        throw new ApiError('validation_failed', `Invalid body: /scores/${i}: ${s.unit} ${s.source} is given twice`, {
          errors: [{ in: 'body', pointer: `/scores/${i}`, message: 'duplicate (unit, source)' }],
        });
      seen.add(k);
    });
    const missing = await saveManualScores(c.env.DB, month, body.scores, c.get('caller')!.id, now);
    if (missing.length) {
      const errors = body.scores.flatMap((s, i) =>
        missing.includes(s.unit) ? [{ in: 'body' as const, pointer: `/scores/${i}/unit`, message: `no unit ${s.unit}` }] : [],
      );
      throw new ApiError('validation_failed', `Invalid body: unknown unit ${missing.join(', ')}; nothing was stored`, { errors });
    }
    const snap = await loadSnapshot(c.env.DB, month, 'unit');
    return c.json({ month, published: snap !== null, scores: await scoresOf(c.env.DB, month) }, 200);
  },
);

const scoreMap = (b: RankingBody) => Object.fromEntries(b.rows.map((r) => [r.key, r.score]));

async function freeze(c: Context<AppEnv>, month: string, action: 'publish' | 'recompute', reason: string | null) {
  const now = Date.now();
  const cfg = readConfig(c.env);
  notFuture(month, now, cfg.tz, 'path');
  const before = await loadSnapshot<RankingBody>(c.env.DB, month, 'unit');
  const beforeD = await loadSnapshot<RankingBody>(c.env.DB, month, 'district');
  if (action === 'publish' && (before || beforeD))
    throw new ApiError('conflict', `${month} is already published; POST /api/v1/rankings/${month}/recompute with a reason to replace it`);
  if (action === 'recompute' && !before) throw new ApiError('conflict', `${month} is not published; publish it first`);
  const rc: RankingConfig = await loadConfig(c.env.DB);
  const memo = newRankingMemo();
  const bodies = {
    district: await computeRanking(c.env.DB, month, 'district', rc, now, cfg.tz, cfg.walkSpeedMPerMin, defaultTargets(c.env), memo),
    unit: await computeRanking(c.env.DB, month, 'unit', rc, now, cfg.tz, cfg.walkSpeedMPerMin, defaultTargets(c.env), memo),
  };
  const entry: LogEntry = {
    id: crypto.randomUUID(),
    month,
    action,
    reason,
    at: now,
    by: c.get('caller')!.id,
    before: before && beforeD ? { district: scoreMap(beforeD.body), unit: scoreMap(before.body) } : null,
    after: { district: scoreMap(bodies.district), unit: scoreMap(bodies.unit) },
  };
  try {
    await writeSnapshots(c.env.DB, month, bodies, entry, action === 'recompute');
  } catch (e) {
    if (action === 'publish' && /UNIQUE|constraint/i.test(String(e))) throw new ApiError('conflict', `${month} was published meanwhile`);
    throw e;
  }
  const log = (await loadLog(c.env.DB, month)).map((l) => ({ ...l, at: new Date(l.at).toISOString() }));
  return c.json({ month, published: { at: new Date(now).toISOString(), by: entry.by }, log }, 200);
}

app.openapi(
  createRoute({
    method: 'post',
    path: '/{month}/publish',
    tags: ['Rankings'],
    summary: 'Publish (freeze) a month: both rankings are stored and served unchanged afterwards (supervisor)',
    security: bearerAuth,
    middleware: [requireRole('supervisor')] as const,
    request: { params: MonthParam },
    responses: { 200: json(PublishAnswer, "Published, with the month's log"), ...problems(400, 401, 403, 409) },
  }),
  async (c) => freeze(c, c.req.valid('param').month, 'publish', null),
);

app.openapi(
  createRoute({
    method: 'post',
    path: '/{month}/recompute',
    tags: ['Rankings'],
    summary: 'Recompute a published month from the data now; logged with the reason and the scores before and after (supervisor)',
    security: bearerAuth,
    middleware: [requireRole('supervisor')] as const,
    request: { params: MonthParam, body: { required: true, content: { 'application/json': { schema: RecomputeBody } } } },
    responses: { 200: json(PublishAnswer, "Recomputed, with the month's log"), ...problems(400, 401, 403, 409) },
  }),
  async (c) => freeze(c, c.req.valid('param').month, 'recompute', c.req.valid('json').reason),
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/{month}/log',
    tags: ['Rankings'],
    summary: 'Publications and recomputations of a month',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    request: { params: MonthParam },
    responses: { 200: json(PublishAnswer.pick({ month: true, log: true }), 'The log'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const { month } = c.req.valid('param');
    const log = (await loadLog(c.env.DB, month)).map((l) => ({ ...l, at: new Date(l.at).toISOString() }));
    return c.json({ month, log }, 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/settings',
    tags: ['Rankings'],
    summary: 'Weights and targets in force',
    security: bearerAuth,
    middleware: [requireRole('planner')] as const,
    responses: { 200: json(SettingsBody, 'The configuration (defaults where not set)'), ...problems(401, 403) },
  }),
  async (c) => c.json(await loadConfig(c.env.DB), 200),
);

app.openapi(
  createRoute({
    method: 'put',
    path: '/settings',
    tags: ['Rankings'],
    summary: 'Set weights and targets (admin); keys left out keep their current value',
    security: bearerAuth,
    middleware: [requireRole()] as const,
    request: { body: { required: true, content: { 'application/json': { schema: SettingsBody } } } },
    responses: { 200: json(SettingsBody, 'The configuration now in force'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const current = await loadConfig(c.env.DB);
    const next = mergeConfig({
      ...current,
      ...body,
      final: { ...current.final, ...body.final },
      digital: { ...current.digital, ...(body.digital as Partial<RankingConfig['digital']>) },
      streak: { ...current.streak, ...body.streak },
    } as Partial<RankingConfig>);
    if (!Object.values(next.final).some((w) => w > 0))
      throw new ApiError('validation_failed', 'Invalid body: /final: at least one weight must be above 0', {
        errors: [{ in: 'body', pointer: '/final', message: 'all weights are 0' }],
      });
    await saveConfig(c.env.DB, next, c.get('caller')!.id, Date.now());
    return c.json(next, 200);
  },
);

export default app;
