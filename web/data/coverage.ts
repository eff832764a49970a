import { apiGet, ApiFailure, UNAUTHORIZED_EVENT } from './api.ts';
import { getToken } from '../lib/session.ts';
import type { Coverage, Suggest, Trend, WhatIf } from '../../worker/schemas/planning.ts';

/** Typed fetchers for the coverage screen (GET/POST /api/v1/coverage…). */
const BASE = '/api/v1/coverage';

export type Kind = 'station' | 'bench' | 'all';
export interface Selection {
  kind: Kind;
  live: boolean;
  /** m/min; null = the configured default */
  speed: number | null;
  item: string;
  levels: number[];
}

export type CoverageT = Coverage;
export type WhatIfT = WhatIf;
export type SuggestT = Suggest;
export type TrendT = Trend;

export interface UnitFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { population: number; district: string | null; name: string | null; minutes: number | null; level: number | null; nearest: string | null; access_m: number | null };
}

export interface AreaCollection {
  type: 'FeatureCollection';
  amenity: string;
  minutes: number;
  features: Array<{ type: 'Feature'; geometry: { type: 'Point' | 'LineString'; coordinates: unknown }; properties: Record<string, unknown> }>;
}

export function selectionQuery(s: Selection): string {
  const q = new URLSearchParams({ kind: s.kind, live: String(s.live), levels: s.levels.join(',') });
  if (s.speed !== null) q.set('speed', String(s.speed));
  if (s.item) q.set('item', s.item);
  return q.toString();
}

function selectionBody(s: Selection): Record<string, unknown> {
  return { kind: s.kind, live: s.live, levels: s.levels, ...(s.speed !== null ? { speed: s.speed } : {}), ...(s.item ? { item: s.item } : {}) };
}

export const fetchCoverage = (s: Selection, signal?: AbortSignal) => apiGet<CoverageT>(`${BASE}?${selectionQuery(s)}`, signal);
export const fetchUnits = (s: Selection, signal?: AbortSignal) => apiGet<{ features: UnitFeature[] }>(`${BASE}/units?format=geojson&${selectionQuery(s)}`, signal);
export const fetchArea = (amenity: string, minutes: number, speed: number | null, signal?: AbortSignal) =>
  apiGet<AreaCollection>(`${BASE}/area?${new URLSearchParams({ amenity, minutes: String(minutes), ...(speed !== null ? { speed: String(speed) } : {}) })}`, signal);
export const fetchTrend = (kind: Kind, from: string, to: string, signal?: AbortSignal) => apiGet<TrendT>(`${BASE}/trend?${new URLSearchParams({ kind, from, to })}`, signal);

async function apiPost<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body), signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiFailure(0, String(e instanceof Error ? e.message : e));
  }
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const p = (await res.json()) as { detail?: string };
      if (p.detail) detail = p.detail;
    } catch {
      // not a problem document
    }
    if (res.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    throw new ApiFailure(res.status, detail);
  }
  return (await res.json()) as T;
}

export const postWhatIf = (s: Selection, change: { add: Array<{ lon: number; lat: number }>; remove: string[] }, signal?: AbortSignal) =>
  apiPost<WhatIfT>(`${BASE}/what-if`, { ...selectionBody(s), ...change }, signal);

export const postSuggest = (s: Selection, req: { k: number; level: number; min_spacing_m: number; grid_spacing_m?: number }, signal?: AbortSignal) =>
  apiPost<SuggestT>(`${BASE}/suggest`, { ...selectionBody(s), ...req }, signal);

/** Download the units (CSV or GeoJSON) with the token, as a file. */
export async function downloadUnits(s: Selection, format: 'csv' | 'geojson'): Promise<void> {
  const token = getToken();
  const res = await fetch(`${BASE}/units?format=${format}&${selectionQuery(s)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ApiFailure(res.status, res.statusText);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `coverage-units.${format === 'csv' ? 'csv' : 'geojson'}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
