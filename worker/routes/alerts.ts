import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { deleteSetting, listAlerts, listSettingRows, loadCards, putSetting } from '../db/alerts.ts';
import { evaluateAlerts } from '../db/alerts.ts';
import {
  channelView,
  deleteChannel,
  deliveriesOf,
  getChannel,
  insertChannel,
  listChannels,
  patchChannel,
  teamExists,
} from '../db/notifications.ts';
import { DEFAULT_DEADLINE_MIN, DEFAULT_SETTINGS } from '../domain/alerts/settings.ts';
import { ApiError } from '../errors.ts';
import { enqueueChanges } from '../notify/queue.ts';
import { bearerAuth, IdParam, json, problems } from '../schemas/common.ts';
import {
  Alert,
  AlertDetail,
  AlertQuery,
  Card,
  CardQuery,
  Channel,
  ChannelCreate,
  ChannelPatch,
  SettingDelete,
  SettingPut,
  SettingsAnswer,
} from '../schemas/alerts.ts';

/**
 * Alerts (CONTRACT "Operations"), the four-colour cards behind them, the thresholds, and the
 * notification channels of each team. Staff, planners and supervisors read; admins configure.
 */
const app = createRouter();
const tags = ['Alerts'];
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The thresholds as GET and PUT /alerts/settings answer them: the defaults and the stored overrides. */
async function settingsAnswer(db: D1Database): Promise<z.infer<typeof SettingsAnswer>> {
  const defaults: Record<string, number> = { ...DEFAULT_SETTINGS };
  for (const [k, v] of Object.entries(DEFAULT_DEADLINE_MIN)) defaults[`deadline_min_${k}`] = v;
  const overrides = (await listSettingRows(db)).map((r) => ({ key: r.key, site: r.site || null, item: r.item || null, value: r.value }));
  return { defaults, overrides };
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/alerts',
    tags,
    summary: 'Alerts: open, resolved or all, by site, kind, colour or district',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: AlertQuery },
    responses: { 200: json(z.object({ alerts: z.array(Alert) }), 'Alerts, open first, newest first'), ...problems(400, 401, 403) },
  }),
  async (c) => c.json({ alerts: await listAlerts(c.env.DB, c.req.valid('query')) }, 200),
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/alerts/settings',
    tags,
    summary: 'Alert thresholds: the defaults and the overrides per site and item',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    responses: { 200: json(SettingsAnswer, 'Defaults and overrides'), ...problems(401, 403) },
  }),
  async (c) => c.json(await settingsAnswer(c.env.DB), 200),
);

app.openapi(
  createRoute({
    method: 'put',
    path: '/alerts/settings',
    tags,
    summary: 'Set a threshold, globally or for one site and/or item',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: SettingPut } } } },
    responses: { 200: json(SettingsAnswer, 'Defaults and overrides'), ...problems(400, 401, 403, 415) },
  }),
  async (c) => {
    const b = c.req.valid('json');
    await putSetting(c.env.DB, { key: b.key, site: b.site ?? '', item: b.item ?? '', value: b.value }, Date.now());
    return c.json(await settingsAnswer(c.env.DB), 200);
  },
);

app.openapi(
  createRoute({
    method: 'delete',
    path: '/alerts/settings',
    tags,
    summary: 'Remove a threshold override (the default applies again)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: SettingDelete } } } },
    responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const b = c.req.valid('json');
    if (!(await deleteSetting(c.env.DB, { key: b.key, site: b.site ?? '', item: b.item ?? '' })))
      throw new ApiError('not_found', `No override of ${b.key} for that site and item`);
    return c.body(null, 204);
  },
);

app.openapi(
  createRoute({
    method: 'post',
    path: '/alerts/evaluate',
    tags,
    summary: 'Evaluate every alert rule now (the scheduled handler does this every minute)',
    security: bearerAuth,
    middleware: [requireRole('admin', 'supervisor')] as const,
    responses: { 200: json(z.object({ changes: z.number().int() }), 'Changes to notify'), ...problems(401, 403) },
  }),
  async (c) => {
    const now = Date.now();
    const ids = await evaluateAlerts(c.env.DB, c.env, { stations: null, benches: null, solar: true }, now);
    await enqueueChanges(c.env, ids, now);
    return c.json({ changes: ids.length }, 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/alerts/{id}',
    tags,
    summary: 'One alert with its changes and their notification deliveries',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { params: IdParam },
    responses: { 200: json(AlertDetail, 'The alert'), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const [alert] = await listAlertsById(c.env.DB, id);
    if (!alert) throw new ApiError('not_found', `No alert "${id}"`);
    const changes = await c.env.DB.prepare('SELECT id, change, colour, at FROM alert_changes WHERE alert_id = ?1 ORDER BY at, id')
      .bind(id)
      .all<{ id: string; change: 'opened'; colour: 'yellow'; at: number }>();
    const deliveries = [];
    for (const ch of changes.results)
      for (const d of await deliveriesOf(c.env.DB, ch.id)) deliveries.push({ ...d, updated_at: iso(d.updated_at)! });
    return c.json({ ...alert, changes: changes.results.map((x) => ({ ...x, at: iso(x.at)! })), deliveries }, 200);
  },
);

async function listAlertsById(db: D1Database, id: string) {
  const site = await db.prepare('SELECT site, kind FROM alerts WHERE id = ?1').bind(id).first<{ site: string; kind: string }>();
  if (!site) return [];
  return (await listAlerts(db, { state: 'all', site: site.site, limit: 1000 })).filter((a) => a.id === id);
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/cards',
    tags,
    summary: 'Four-colour cards (一卡四色) of one site or of every site with a record, with reasons and history',
    security: bearerAuth,
    middleware: [requireRole('staff', 'planner')] as const,
    request: { query: CardQuery },
    responses: { 200: json(z.object({ cards: z.array(Card) }), 'Cards'), ...problems(400, 401, 403) },
  }),
  async (c) => {
    const { site } = c.req.valid('query');
    const cards = await loadCards(c.env.DB, site ? [site] : null, Date.now());
    return c.json(
      {
        cards: [...cards].map(([s, card]) => ({
          site: s,
          colour: card.colour,
          since: iso(card.since),
          reasons: card.reasons,
          history: card.history.map((h) => ({ ...h, at: iso(h.at)! })),
        })),
      },
      200,
    );
  },
);

// ─── Notification channels ──────────────────────────────────────────────────────────────────
const ctags = ['Notification channels'];

app.openapi(
  createRoute({
    method: 'get',
    path: '/channels',
    tags: ctags,
    summary: "Teams' notification channels (WeCom, DingTalk, signed webhooks)",
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { query: z.object({ team: z.string().min(1).max(64).optional() }) },
    responses: { 200: json(z.object({ channels: z.array(Channel) }), 'Channels'), ...problems(400, 401, 403) },
  }),
  async (c) => c.json({ channels: (await listChannels(c.env.DB, c.req.valid('query').team)).map(channelView) }, 200),
);

app.openapi(
  createRoute({
    method: 'post',
    path: '/channels',
    tags: ctags,
    summary: 'Add a channel to a team',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: ChannelCreate } } } },
    responses: { 201: json(Channel, 'The channel'), ...problems(400, 401, 403, 409, 415) },
  }),
  async (c) => {
    const b = c.req.valid('json');
    if (!(await teamExists(c.env.DB, b.team_id))) {
      throw new ApiError('validation_failed', `Invalid body: /team_id: no team "${b.team_id}"`, {
        errors: [{ in: 'body', pointer: '/team_id', message: `no team "${b.team_id}"` }],
      });
    }
    const id = b.id ?? crypto.randomUUID();
    if (await getChannel(c.env.DB, id)) throw new ApiError('conflict', `A channel with id "${id}" already exists`);
    await insertChannel(c.env.DB, id, b, Date.now());
    return c.json(channelView((await getChannel(c.env.DB, id))!), 201);
  },
);

app.openapi(
  createRoute({
    method: 'patch',
    path: '/channels/{id}',
    tags: ctags,
    summary: "Change a channel's URL, secret, kinds, minimum colour or disable it",
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ChannelPatch } } } },
    responses: { 200: json(Channel, 'The channel'), ...problems(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    if (!(await getChannel(c.env.DB, id))) throw new ApiError('not_found', `No channel "${id}"`);
    await patchChannel(c.env.DB, id, c.req.valid('json'));
    return c.json(channelView((await getChannel(c.env.DB, id))!), 200);
  },
);

app.openapi(
  createRoute({
    method: 'delete',
    path: '/channels/{id}',
    tags: ctags,
    summary: 'Remove a channel (and its delivery log)',
    security: bearerAuth,
    middleware: [requireRole('admin')] as const,
    request: { params: IdParam },
    responses: { 204: { description: 'Removed' }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deleteChannel(c.env.DB, id))) throw new ApiError('not_found', `No channel "${id}"`);
    return c.body(null, 204);
  },
);

export default app;
