import geodesicLib from 'geographiclib-geodesic';

/**
 * Geometry for coverage. Edge lengths are geodesic (WGS-84, geographiclib) so that a planner's
 * GIS measuring the same lines agrees to the millimetre; access legs and the position of a point
 * along a segment use a local equirectangular frame centred on the point, which is exact to well
 * under a metre over the few hundred metres an access leg spans.
 */
const WGS84 = geodesicLib.Geodesic.WGS84;
const DISTANCE = geodesicLib.Geodesic.DISTANCE;

/**
 * Straight line × detour factor estimates walking distance where no walking network is used (the
 * phone's nearest list, and coverage without a network). 1.3 is the usual ratio of network to
 * crow-fly distance in urban street grids (circuity studies report 1.2–1.4, e.g. Levinson &
 * El-Geneidy 2009; Boeing 2019 for Chinese cities ≈ 1.1–1.3).
 */
export const DETOUR_FACTOR = 1.3;

/** Metres per degree on the WGS-84 mean sphere (R = 6 371 008.8 m). */
export const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/** Geodesic length of one segment in metres. */
export function geodesicLength(lon1: number, lat1: number, lon2: number, lat2: number): number {
  if (lon1 === lon2 && lat1 === lat2) return 0;
  return WGS84.Inverse(lat1, lon1, lat2, lon2, DISTANCE).s12 ?? 0;
}

/** Metres per degree of longitude (kx) and latitude (ky) around latitude `lat`. */
export function localScale(lat: number): { kx: number; ky: number } {
  return { kx: M_PER_DEG * Math.cos((lat * Math.PI) / 180), ky: M_PER_DEG };
}

/** Straight-line distance in metres between two nearby points (local frame at the first). */
export function localDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const kx = M_PER_DEG * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  const dx = (lon2 - lon1) * kx;
  const dy = (lat2 - lat1) * M_PER_DEG;
  return Math.sqrt(dx * dx + dy * dy);
}

export interface SegmentProjection {
  /** Distance from the point to the nearest point of the segment, metres. */
  dist: number;
  /** Position of that nearest point along the segment, 0 at (ax, ay) … 1 at (bx, by). */
  t: number;
}

/** Nearest point of segment A–B to point P, all in degrees, measured in P's local frame. */
export function projectOnSegment(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  kx: number,
  ky: number,
): SegmentProjection {
  const ux = (bx - ax) * kx;
  const uy = (by - ay) * ky;
  const wx = (px - ax) * kx;
  const wy = (py - ay) * ky;
  const len2 = ux * ux + uy * uy;
  let t = len2 > 0 ? (wx * ux + wy * uy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const dx = wx - t * ux;
  const dy = wy - t * uy;
  return { dist: Math.sqrt(dx * dx + dy * dy), t };
}
