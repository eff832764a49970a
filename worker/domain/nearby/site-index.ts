import Flatbush from 'flatbush';
import { M_PER_DEG } from '../coverage/geo.ts';
import { straightLineMetres } from '../nearest.ts';

/** A site's position, as the registry has it. */
export interface SitePoint {
  id: string;
  lat: number;
  lon: number;
}

/**
 * Flatbush over the sites' positions (degrees). A query asks for every site within r metres of a
 * point: the box searched is widened in longitude for the highest latitude it spans, so no site
 * within r is missed, then each hit is measured exactly (geodesic).
 */
export class SiteIndex<T extends SitePoint> {
  readonly sites: readonly T[];
  private readonly index: Flatbush | null;

  constructor(sites: readonly T[]) {
    this.sites = sites;
    if (sites.length === 0) {
      this.index = null;
      return;
    }
    const idx = new Flatbush(sites.length);
    for (const s of sites) idx.add(s.lon, s.lat, s.lon, s.lat);
    idx.finish();
    this.index = idx;
  }

  /** Sites within `r` metres of (lat, lon), with their straight-line distance, nearest first. */
  within(lat: number, lon: number, r: number): Array<{ site: T; metres: number }> {
    if (!this.index) return [];
    const ry = r / M_PER_DEG + 1e-9;
    const maxLat = Math.min(89.9, Math.abs(lat) + ry);
    // A little slack: the mean-sphere box against the WGS-84 ellipsoid differs by < 0.5 %.
    const rx = (1.01 * r) / (M_PER_DEG * Math.cos((maxLat * Math.PI) / 180));
    const out: Array<{ site: T; metres: number }> = [];
    for (const i of this.index.search(lon - rx, lat - 1.01 * ry, lon + rx, lat + 1.01 * ry)) {
      const site = this.sites[i]!;
      const metres = straightLineMetres(lat, lon, site.lat, site.lon);
      if (metres <= r) out.push({ site, metres });
    }
    return out.sort((a, b) => a.metres - b.metres || (a.site.id < b.site.id ? -1 : 1));
  }

  /** A first search radius: the straight-line distance of about the k-th nearest site. */
  radiusFor(lat: number, lon: number, k: number): number {
    if (!this.index) return 0;
    const ids = this.index.neighbors(lon, lat, k);
    const last = ids.at(-1);
    return last === undefined ? 0 : straightLineMetres(lat, lon, this.sites[last]!.lat, this.sites[last]!.lon);
  }
}
