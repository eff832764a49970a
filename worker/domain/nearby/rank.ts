import type { Network } from '../coverage/network.ts';
import type { EdgeIndex, Snap } from '../coverage/snap.ts';
import { DETOUR_FACTOR } from '../nearest.ts';
import type { SiteIndex, SitePoint } from './site-index.ts';
import { snapPoint, WalkSearch } from './walk-search.ts';

/**
 * Ranks the sites that serve a need by walking distance from an origin, looking at as few as it
 * can. Rings of growing radius r: the sites within r (straight line) are asked whether they serve
 * now (`serving`, one read per ring), and the walk is settled out to r. A walk is never shorter
 * than the straight line, so once `limit` serving sites are within r walking metres, no site
 * further out can beat them: the answer is final without looking at the rest of the province.
 */
export interface RankOptions<T extends SitePoint, L> {
  sites: SiteIndex<T>;
  network: { g: Network; index: EdgeIndex } | null;
  origin: { lat: number; lon: number };
  limit: number;
  /** give up beyond this many metres (straight line) */
  maxMetres: number;
  /** which of these sites serve now, with their live state */
  serving: (sites: T[]) => Promise<Map<string, L>>;
  /** also give each result its walking line */
  route: boolean;
}

export interface RankedSite<T, L> {
  site: T;
  live: L;
  /** walking metres along the network, or straight line × detour factor */
  walk_m: number;
  straight_m: number;
  /** [lon, lat] pairs from the origin to the site (with `route`) */
  route?: Array<[number, number]>;
}

export interface RankResult<T, L> {
  method: 'network' | 'straight_line';
  results: Array<RankedSite<T, L>>;
  /** sites asked about (serving or not): how much of the registry was looked at */
  examined: number;
}

export async function rankNearby<T extends SitePoint, L>(o: RankOptions<T, L>): Promise<RankResult<T, L>> {
  const { origin, limit } = o;
  const net = o.network && o.network.g.edgeU.length > 0 ? o.network : null;
  const originSnap = net ? net.index.snap(origin.lon, origin.lat) : null;
  const search = net && originSnap ? new WalkSearch(net.g, originSnap) : null;
  const seen = new Set<string>();
  const candidates: Array<{ site: T; live: L; straight: number; snap: Snap | null }> = [];
  let r = Math.max(250, o.sites.radiusFor(origin.lat, origin.lon, limit * 2) * 1.25);
  let examined = 0;
  for (;;) {
    // Access legs are measured on the mean sphere, straight lines on the ellipsoid (< 0.5 % apart):
    // look 1 % further than the walks accepted so that no site just inside is missed.
    const ring = o.sites.within(origin.lat, origin.lon, r * 1.01 + 1).filter((h) => !seen.has(h.site.id));
    for (const h of ring) seen.add(h.site.id);
    examined += ring.length;
    if (ring.length) {
      const live = await o.serving(ring.map((h) => h.site));
      for (const h of ring) {
        const l = live.get(h.site.id);
        if (l !== undefined)
          candidates.push({ site: h.site, live: l, straight: h.metres, snap: net ? net.index.snap(h.site.lon, h.site.lat) : null });
      }
    }
    const last = r >= o.maxMetres;
    let known: Array<RankedSite<T, L> & { via?: 'u' | 'v' | 'edge'; snap?: Snap }>;
    if (search && net) {
      // On the last ring, walks up to twice the straight-line limit still count (a river's detour).
      search.expandTo(last ? 2 * r : r);
      known = [];
      for (const c of candidates) {
        const snap = c.snap!;
        const d = search.to(snap);
        // Within r walking metres the figure is final and no unseen site can be nearer.
        if (d.metres !== Infinity && (d.metres <= r || (last && d.exact)))
          known.push({ site: c.site, live: c.live, walk_m: d.metres, straight_m: c.straight, via: d.via, snap });
      }
    } else {
      known = candidates.map((c) => ({ site: c.site, live: c.live, walk_m: c.straight * DETOUR_FACTOR, straight_m: c.straight }));
    }
    if (known.length >= limit || last) {
      known.sort((a, b) => a.walk_m - b.walk_m || (a.site.id < b.site.id ? -1 : 1));
      const top = known.slice(0, limit);
      const results = top.map(({ via, snap, ...k }) => {
        if (!o.route) return k;
        if (!search || !net || !snap || !originSnap || via === undefined)
          return {
            ...k,
            route: [
              [origin.lon, origin.lat],
              [k.site.lon, k.site.lat],
            ] as Array<[number, number]>,
          };
        const line: Array<[number, number]> = [[origin.lon, origin.lat], snapPoint(net.g, originSnap)];
        for (const n of search.nodePath(snap, via)) line.push([net.g.nodeLon[n]!, net.g.nodeLat[n]!]);
        line.push(snapPoint(net.g, snap), [k.site.lon, k.site.lat]);
        return { ...k, route: line };
      });
      return { method: search ? 'network' : 'straight_line', results, examined };
    }
    r = Math.min(o.maxMetres, r * 2);
  }
}
