import { createRoute } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { createRouter } from '../app.ts';
import { readConfig } from '../config.ts';
import { listItems } from '../db/items.ts';
import { publicBenches } from '../db/public-map.ts';
import { loadStations, stationPlace, type StationView } from '../db/stations.ts';
import { LIVE_BENCH_MIN_SOC } from '../db/coverage-amenities.ts';
import { listDistricts } from '../db/districts.ts';
import { benchServes, DETOUR_FACTOR, rankNearest, stationServes } from '../domain/nearest.ts';
import { Nearby, NearbyQuery, Nearest, NearestQuery, PublicMap, PublicPlaces, PublicStationNow } from '../schemas/public.ts';
import { getStation } from '../db/stations.ts';
import { getDistrict } from '../db/districts.ts';
import { scheduledCloseAfter } from '../domain/opening-hours.ts';
import { isStale } from '../domain/nearby/serves.ts';
import { ApiError } from '../errors.ts';
import { IdParam, json, problems } from '../schemas/common.ts';
import { publicPlaces } from '../db/public-places.ts';
import { nearbyAnswer } from '../db/nearby-answer.ts';
import { NEARBY_MAX_M, offlineAfter } from '../public-config.ts';
import reports from './public-reports.ts';

/**
 * The public convenience map (便民服务地图), without authentication. Only what a citizen or a
 * worker needs is copied out field by field: never tokens, staff names, fault codes or
 * device internals.
 */
const app = createRouter();
const tags = ['Public'];

app.use('*', cors({ origin: '*', allowMethods: ['GET', 'POST'] }));
app.use('*', async (c, next) => {
  await next();
  if (c.res.status === 200 && !c.res.headers.has('cache-control')) c.header('cache-control', 'public, max-age=30');
});

function publicStation(s: StationView) {
  return {
    ...stationPlace(s),
    open: s.open,
    health: s.health.grade,
    items: { ...s.stock },
    updated_at: s.updated_at,
  };
}

app.openapi(
  createRoute({
    method: 'get',
    path: '/map',
    tags,
    summary: 'Every station and bench with what is available now (no authentication)',
    responses: { 200: json(PublicMap, 'The public map') },
  }),
  async (c) => {
    const now = Date.now();
    const [stations, benches, items, districts] = await Promise.all([
      loadStations(c.env.DB, {}, now, readConfig(c.env).tz),
      publicBenches(c.env.DB, now),
      listItems(c.env.DB, { registered: true }),
      listDistricts(c.env.DB),
    ]);
    return c.json(
      {
        generated_at: new Date(now).toISOString(),
        item_names: Object.fromEntries(items.map((i) => [i.code, { name_zh: i.name_zh, name_en: i.name_en, unit: i.unit }])),
        districts: districts.map((d) => ({ id: d.id, name: d.name })),
        stations: stations.map(publicStation),
        benches,
      },
      200,
    );
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/nearest',
    tags,
    summary: 'Nearest stations open now that hold an item (or charged benches with a free port), with walking minutes (no authentication)',
    description: `Straight-line (geodesic) distance; walking minutes = distance × ${DETOUR_FACTOR} (detour factor) ÷ the configured walking speed (default 75 m/min).`,
    request: { query: NearestQuery },
    responses: { 200: json(Nearest, 'Nearest open stations holding the item, nearest first'), ...problems(400) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const now = Date.now();
    const cfg = readConfig(c.env);
    const rank = { limit: q.limit, speedMPerMin: cfg.walkSpeedMPerMin };
    const answer = {
      method: 'straight_line' as const,
      detour_factor: DETOUR_FACTOR,
      speed_m_per_min: cfg.walkSpeedMPerMin,
      origin: { lat: q.lat, lon: q.lon },
      kind: q.kind,
      item: q.item ?? null,
    };
    if (q.kind === 'bench') {
      const benches = (await publicBenches(c.env.DB, now)).filter((b) => benchServes(b, LIVE_BENCH_MIN_SOC));
      const ranked = rankNearest(benches, q, rank);
      return c.json(
        { ...answer, stations: [], benches: ranked.map((r) => ({ ...r.site, distance_m: r.distance_m, walk_minutes: r.walk_minutes })) },
        200,
      );
    }
    const stations = (await loadStations(c.env.DB, {}, now, cfg.tz)).filter((s) => stationServes(s, q.item));
    const ranked = rankNearest(stations, q, rank);
    return c.json(
      {
        ...answer,
        stations: ranked.map((r) => ({
          ...publicStation(r.site),
          qty: q.item === undefined ? null : (r.site.stock[q.item] ?? 0),
          distance_m: r.distance_m,
          walk_minutes: r.walk_minutes,
        })),
        benches: [],
      },
      200,
    );
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/nearby',
    tags,
    summary: 'Sites open now that meet a need, fastest walk first (no authentication)',
    description:
      `Only sites open now (a recent report, else the opening hours in the city time zone) that meet the need and whose data is fresh ` +
      `(a message within OFFLINE_AFTER_MIN_STATION / OFFLINE_AFTER_MIN_BENCH minutes, default 30 / 60). Ranked by walking metres along the ` +
      `walking network when one is loaded (the coverage graph and access legs), else straight line × ${DETOUR_FACTOR}; looks up to ${NEARBY_MAX_M / 1000} km away.`,
    request: { query: NearbyQuery },
    responses: { 200: json(Nearby, 'Fastest first'), ...problems(400) },
  }),
  async (c) => {
    const started = performance.now();
    const q = c.req.valid('query');
    const cfg = readConfig(c.env);
    const answer = await nearbyAnswer(
      c.env.DB,
      q,
      { tz: cfg.tz, speed: cfg.walkSpeedMPerMin, offline: offlineAfter(c.env), maxMetres: NEARBY_MAX_M },
      Date.now(),
    );
    c.header('cache-control', 'public, max-age=15');
    // The Worker's own time for the answer (the province benchmark reads it). Workers advance the
    // clock only across I/O, so CPU work after the last D1 read is not in it.
    c.header('server-timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
    return c.json(answer, 200);
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/places',
    tags,
    summary: 'Landmarks (stations and parks), item names and map settings for the public page (no authentication)',
    responses: { 200: json(PublicPlaces, 'Places by district and name') },
  }),
  async (c) => {
    const cfg = readConfig(c.env);
    const [places, items] = await Promise.all([publicPlaces(c.env.DB), listItems(c.env.DB, { registered: true })]);
    c.header('cache-control', 'public, max-age=300');
    return c.json(
      {
        city_name: c.env.CITY_NAME ?? '',
        tz: cfg.tz,
        map_tile_url: cfg.mapTileUrl,
        item_names: Object.fromEntries(items.map((i) => [i.code, { name_zh: i.name_zh, name_en: i.name_en }])),
        places,
      },
      200,
    );
  },
);

app.openapi(
  createRoute({
    method: 'get',
    path: '/stations/{id}',
    tags,
    summary: 'One station now, for its QR page: open, what it has, opening hours, data age (no authentication)',
    request: { params: IdParam },
    responses: { 200: json(PublicStationNow, 'The station now'), ...problems(404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const now = Date.now();
    const cfg = readConfig(c.env);
    const s = await getStation(c.env.DB, id, now, cfg.tz);
    if (!s) throw new ApiError('not_found', `No station "${id}"`);
    const district = await getDistrict(c.env.DB, s.district);
    const lastSeen = s.last_seen === null ? null : Date.parse(s.last_seen);
    const until = s.open ? scheduledCloseAfter(s.opening_hours, now, cfg.tz) : null;
    return c.json(
      {
        ...publicStation(s),
        district_name: district?.name ?? s.district,
        open_until: until === null ? null : new Date(until).toISOString(),
        data_age_s: lastSeen === null ? null : Math.max(0, Math.round((now - lastSeen) / 1000)),
        stale: isStale(lastSeen, offlineAfter(c.env).station, now),
      },
      200,
    );
  },
);

app.route('/reports', reports);

export default app;
