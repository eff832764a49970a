/** The public nearby answer: registry index + walking network + live state, ranked. */
import { allLayerInfo } from './planning.ts';
import { loadNetwork } from '../coverage/engine.ts';
import { benchesLive, registrySites, stationsLive } from './nearby.ts';
import { parseNeed } from '../domain/nearby/need.ts';
import { rankNearby } from '../domain/nearby/rank.ts';
import {
  benchServesNow,
  freePorts,
  stationServesNow,
  type BenchLive,
  type OfflineAfter,
  type StationLive,
} from '../domain/nearby/serves.ts';
import type { SitePoint } from '../domain/nearby/site-index.ts';
import { scheduledCloseAfter, stationOpen } from '../domain/opening-hours.ts';
import { DETOUR_FACTOR } from '../domain/nearest.ts';

export interface NearbyParams {
  lat: number;
  lon: number;
  need: string;
  limit: number;
  route: boolean;
}

export interface NearbySettings {
  tz: string;
  speed: number;
  offline: OfflineAfter;
  maxMetres: number;
}

export interface NearbyItem {
  kind: 'station' | 'bench';
  id: string;
  name: string;
  lat: number;
  lon: number;
  walk_m: number;
  walk_min: number;
  open: boolean;
  open_until: string | null;
  opening_hours: string;
  has: Record<string, number>;
  battery_soc?: number;
  data_age_s: number;
  route?: Array<[number, number]>;
}

export interface NearbyAnswer {
  method: 'network' | 'straight_line';
  speed_m_per_min: number;
  detour_factor: number | null;
  need: string;
  generated_at: string;
  results: NearbyItem[];
}

async function walkingNetwork(db: D1Database) {
  const info = (await allLayerInfo(db)).get('network');
  const loaded = info ? await loadNetwork(db, info) : null;
  return loaded ? { g: loaded.network, index: loaded.index } : null;
}

const age = (now: number, lastSeen: number | null) => Math.max(0, Math.round((now - (lastSeen ?? now)) / 1000));
const r5 = (x: number) => Math.round(x * 1e5) / 1e5;

export async function nearbyAnswer(db: D1Database, p: NearbyParams, s: NearbySettings, now: number): Promise<NearbyAnswer> {
  const need = parseNeed(p.need);
  const [sites, network] = await Promise.all([registrySites(db), walkingNetwork(db)]);
  const base = { origin: { lat: p.lat, lon: p.lon }, limit: p.limit, maxMetres: s.maxMetres, route: p.route, network };
  const walk = (m: number) => ({ walk_m: Math.round(m), walk_min: Math.round((m / s.speed) * 10) / 10 });
  const line = (r: Array<[number, number]> | undefined) => (r ? { route: r.map(([x, y]) => [r5(x), r5(y)] as [number, number]) } : {});
  /** The fields every kind of result starts with: where it is, how far a walk, open now. */
  const found = (r: { site: SitePoint; live: { name: string }; walk_m: number }) => ({
    id: r.site.id,
    name: r.live.name,
    lat: r.site.lat,
    lon: r.site.lon,
    ...walk(r.walk_m),
    open: true,
  });
  /** rankNearby's `serving`: the live rows of the candidate sites that serve now, by id. */
  const servingNow =
    <L extends { id: string }>(load: (db: D1Database, ids: string[]) => Promise<L[]>, serves: (l: L) => boolean) =>
    async (list: SitePoint[]) => {
      const ids = list.map((x) => x.id);
      return new Map((await load(db, ids)).filter(serves).map((l) => [l.id, l] as const));
    };
  let method: NearbyAnswer['method'];
  let results: NearbyItem[];
  if (need.kind === 'bench') {
    const ranked = await rankNearby<SitePoint, BenchLive>({
      ...base,
      sites: sites.benches,
      serving: servingNow(benchesLive, (b) => benchServesNow(b, now, s.offline.bench)),
    });
    method = ranked.method;
    results = ranked.results.map((r): NearbyItem => {
      const free = freePorts(r.live);
      return {
        kind: 'bench' as const,
        ...found(r),
        open_until: null,
        opening_hours: '24/7',
        has: free === null ? ({} as Record<string, number>) : { charging_ports: free },
        battery_soc: Math.round(r.live.battery_soc ?? 0),
        data_age_s: age(now, r.live.last_seen),
        ...line(r.route),
      };
    });
  } else {
    const ranked = await rankNearby<SitePoint, StationLive>({
      ...base,
      sites: sites.stations,
      serving: servingNow(stationsLive, (st) => stationServesNow(st, need.item, now, s.tz, s.offline.station)),
    });
    method = ranked.method;
    results = ranked.results.map((r): NearbyItem => {
      const until = stationOpen(r.live, now, s.tz) ? scheduledCloseAfter(r.live.opening_hours, now, s.tz) : null;
      return {
        kind: 'station' as const,
        ...found(r),
        open_until: until === null ? null : new Date(until).toISOString(),
        opening_hours: r.live.opening_hours,
        has: r.live.stock,
        data_age_s: age(now, r.live.last_seen),
        ...line(r.route),
      };
    });
  }
  return {
    method,
    speed_m_per_min: s.speed,
    detour_factor: method === 'straight_line' ? DETOUR_FACTOR : null,
    need: p.need,
    generated_at: new Date(now).toISOString(),
    results,
  };
}
