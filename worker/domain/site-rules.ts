/**
 * The registry's field rules, shared by the JSON API's zod schemas and the bulk-import parser so
 * that a site accepted by one is accepted by the other. Pure.
 */
import { isValidDay } from './local-time.ts';
import { openingHoursError } from './opening-hours.ts';

/** Ids of districts, parks, stations and devices (CONTRACT). */
export const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;
/** Supply item codes (CONTRACT). */
export const ITEM_RE = /^[a-z0-9_]{1,32}$/;
export const NAME_MAX = 200;
export const PORTS_MAX = 64;
/** A boundary bigger than this is refused: D1 binds at most 2 MB per value, and maps stay fast. */
export const BOUNDARY_MAX_BYTES = 1_000_000;

/** Why `value` is not a usable opening_hours string, or null. */
export function openingHoursProblem(value: string): string | null {
  const err = openingHoursError(value);
  return err === null ? null : `invalid opening_hours "${value}": ${err}`;
}

export function dayProblem(value: string): string | null {
  return isValidDay(value) ? null : 'must be a real calendar date YYYY-MM-DD';
}

function isPosition(p: unknown): boolean {
  return (
    Array.isArray(p) &&
    p.length >= 2 &&
    typeof p[0] === 'number' &&
    typeof p[1] === 'number' &&
    Number.isFinite(p[0]) &&
    Number.isFinite(p[1]) &&
    p[0] >= -180 &&
    p[0] <= 180 &&
    p[1] >= -90 &&
    p[1] <= 90
  );
}

function isRing(r: unknown): boolean {
  return Array.isArray(r) && r.length >= 4 && r.every(isPosition);
}

function isPolygonCoords(c: unknown): boolean {
  return Array.isArray(c) && c.length >= 1 && c.every(isRing);
}

/**
 * Why a district boundary is unusable, or null. A boundary is a GeoJSON Polygon or MultiPolygon
 * in WGS-84 ([lon, lat] positions; every ring at least four positions).
 */
export function boundaryProblem(g: unknown): string | null {
  if (typeof g !== 'object' || g === null || Array.isArray(g)) return 'must be a GeoJSON Polygon or MultiPolygon geometry';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (type === 'Polygon') {
    if (!isPolygonCoords(coordinates)) return 'Polygon coordinates must be rings of at least 4 [lon, lat] positions within WGS-84 range';
  } else if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0 || !coordinates.every(isPolygonCoords)) {
      return 'MultiPolygon coordinates must be polygons of rings of at least 4 [lon, lat] positions within WGS-84 range';
    }
  } else {
    return 'must be a GeoJSON Polygon or MultiPolygon geometry';
  }
  const bytes = new TextEncoder().encode(JSON.stringify(g)).length;
  return bytes > BOUNDARY_MAX_BYTES
    ? `boundary is ${Math.round(bytes / 1000)} kB; simplify it to under ${BOUNDARY_MAX_BYTES / 1000} kB`
    : null;
}
