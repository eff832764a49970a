import { apiBlob, apiGet, apiPost } from './api.ts';
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
  properties: {
    population: number;
    district: string | null;
    name: string | null;
    minutes: number | null;
    level: number | null;
    nearest: string | null;
    access_m: number | null;
  };
}

export interface AreaCollection {
  type: 'FeatureCollection';
  amenity: string;
  minutes: number;
  features: Array<{
    type: 'Feature';
    geometry: { type: 'Point' | 'LineString'; coordinates: unknown };
    properties: Record<string, unknown>;
  }>;
}

export function selectionQuery(s: Selection): string {
  const q = new URLSearchParams({ kind: s.kind, live: String(s.live), levels: s.levels.join(',') });
  if (s.speed !== null) q.set('speed', String(s.speed));
  if (s.item) q.set('item', s.item);
  return q.toString();
}

function selectionBody(s: Selection): Record<string, unknown> {
  return {
    kind: s.kind,
    live: s.live,
    levels: s.levels,
    ...(s.speed !== null ? { speed: s.speed } : {}),
    ...(s.item ? { item: s.item } : {}),
  };
}

export const fetchCoverage = (s: Selection, signal?: AbortSignal) => apiGet<CoverageT>(`${BASE}?${selectionQuery(s)}`, signal);
export const fetchUnits = (s: Selection, signal?: AbortSignal) =>
  apiGet<{ features: UnitFeature[] }>(`${BASE}/units?format=geojson&${selectionQuery(s)}`, signal);
export const fetchArea = (amenity: string, minutes: number, speed: number | null, signal?: AbortSignal) =>
  apiGet<AreaCollection>(
    `${BASE}/area?${new URLSearchParams({ amenity, minutes: String(minutes), ...(speed !== null ? { speed: String(speed) } : {}) })}`,
    signal,
  );
export const fetchTrend = (kind: Kind, from: string, to: string, signal?: AbortSignal) =>
  apiGet<TrendT>(`${BASE}/trend?${new URLSearchParams({ kind, from, to })}`, signal);

export const postWhatIf = (s: Selection, change: { add: Array<{ lon: number; lat: number }>; remove: string[] }, signal?: AbortSignal) =>
  apiPost<WhatIfT>(`${BASE}/what-if`, { ...selectionBody(s), ...change }, signal);

export const postSuggest = (
  s: Selection,
  req: { k: number; level: number; min_spacing_m: number; grid_spacing_m?: number },
  signal?: AbortSignal,
) => apiPost<SuggestT>(`${BASE}/suggest`, { ...selectionBody(s), ...req }, signal);

/** The units as a file (CSV or GeoJSON), fetched with the token. */
export const fetchUnitsFile = (s: Selection, format: 'csv' | 'geojson') => apiBlob(`${BASE}/units?format=${format}&${selectionQuery(s)}`);
