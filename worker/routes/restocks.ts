import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../app.ts';
import { requireRole } from '../auth/roles.ts';
import { readConfig } from '../config.ts';
import { localParts } from '../domain/local-time.ts';
import { attribution, canonicalItems, getRestock, recordRestock, unknownItems, type RestockRecord } from '../db/restocks.ts';
import { stationExists } from '../db/stations.ts';
import { ApiError } from '../errors.ts';
import { bearerAuth, IdParam, json, problems } from '../schemas/common.ts';
import { Restock, RestockCreate } from '../schemas/restocks.ts';

/** POST /api/v1/stations/{id}/restocks (mounted beside the stations sub-app). */
const app = createRouter();

const sameContent = (a: RestockRecord, station: string, items: Record<string, number>, note: string | null) =>
  a.station === station && canonicalItems(a.items) === canonicalItems(items) && (a.note ?? null) === note;

async function duplicateOrConflict(db: D1Database, r: RestockRecord, station: string, items: Record<string, number>, note: string | null) {
  if (!sameContent(r, station, items, note)) {
    throw new ApiError(
      'conflict',
      `Restock id "${r.id}" was already recorded with different content (station ${r.station}, items ${canonicalItems(r.items)}); the first one stands`,
    );
  }
  const stock = Object.fromEntries(
    (
      await db
        .prepare(
          'SELECT item, on_hand FROM station_items WHERE station_id = ?1 AND item IN (SELECT value FROM json_each(?2)) ORDER BY item',
        )
        .bind(station, JSON.stringify(Object.keys(items)))
        .all<{ item: string; on_hand: number }>()
    ).results.map((x) => [x.item, x.on_hand]),
  );
  return { ...view(r), duplicate: true, work_orders: [], alerts_resolved: [], stock };
}

const view = (r: RestockRecord) => ({
  id: r.id,
  station: r.station,
  items: r.items,
  note: r.note,
  by: r.by,
  at: new Date(r.at).toISOString(),
});

app.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/restocks',
    tags: ['Operations'],
    summary: 'Record a restock of a station (idempotent by the client-made id)',
    description:
      'Counts as restocked in /api/v1/supplies exactly once however often the same `id` is sent: a resend answers 200 with `"duplicate": true`; ' +
      "the same `id` with other content is a 409. The items enter the station's stock and level-drop inference as restock events, so a device " +
      "level reading that rises by the same amount afterwards is not counted again. Resolves the station's stock alerts for items now above the reorder point and closes its open restock work orders for these items " +
      'through the seven steps (each attributed to the restocking person; an order whose alert still holds stops at "handled").',
    security: bearerAuth,
    middleware: [requireRole('staff', 'supervisor')] as const,
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: RestockCreate } } } },
    responses: {
      201: json(Restock, 'Recorded'),
      200: json(Restock, 'Already recorded with the same content (duplicate: true)'),
      ...problems(400, 401, 403, 404, 409, 415),
    },
  }),
  async (c) => {
    const { id: station } = c.req.valid('param');
    const body = c.req.valid('json');
    const note = body.note ? body.note : null;
    const db = c.env.DB;
    if (!(await stationExists(db, station))) throw new ApiError('not_found', `No station with id "${station}"`);
    const before = await getRestock(db, body.id);
    if (before) return c.json(await duplicateOrConflict(db, before, station, body.items, note), 200);
    const unknown = await unknownItems(db, Object.keys(body.items));
    if (unknown.length) {
      throw new ApiError(
        'validation_failed',
        `Unknown item code${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: register the item first (POST /api/v1/items)`,
        {
          errors: unknown.map((u) => ({ in: 'body', pointer: `/items/${u}`, message: 'is not a registered item code' })),
        },
      );
    }
    const caller = c.get('caller')!;
    const at = Date.now();
    const { day, hour } = localParts(at, readConfig(c.env).tz);
    const record: RestockRecord = { id: body.id, station, items: body.items, note, by: await attribution(db, caller.id), at };
    try {
      const done = await recordRestock(db, { ...record, tokenId: caller.id, day, hour });
      return c.json({ ...view(record), duplicate: false, ...done }, 201);
    } catch (err) {
      // A concurrent request recorded the same id first: the batch wrote nothing; answer as a resend.
      const raced = await getRestock(db, body.id);
      if (raced) return c.json(await duplicateOrConflict(db, raced, station, body.items, note), 200);
      throw err;
    }
  },
);

export default app;
