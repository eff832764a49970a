/**
 * The walking network as GeoJSON, when the planning API has one loaded; null otherwise (the map
 * then draws only parks, district labels and the amenities themselves).
 */
import { getToken } from '../lib/session.ts';

export interface LineFeatureCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: { type: 'LineString' | 'MultiLineString'; coordinates: unknown } | null; properties?: unknown }>;
}

export async function fetchNetworkGeoJson(signal?: AbortSignal): Promise<LineFeatureCollection | null> {
  try {
    const token = getToken();
    const res = await fetch('/api/v1/network', { headers: { accept: 'application/geo+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal });
    if (!res.ok) return null;
    const body = (await res.json()) as { type?: string; features?: unknown };
    return body.type === 'FeatureCollection' && Array.isArray(body.features) ? (body as LineFeatureCollection) : null;
  } catch {
    return null;
  }
}
