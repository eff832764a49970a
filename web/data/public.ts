import type { z } from '@hono/zod-openapi';
import { apiGet, ApiFailure } from './api.ts';
import type { Nearby, PublicMap, PublicPlaces, PublicStationNow } from '../../worker/schemas/public.ts';
import type { PublicReportCreated, PublicReportState } from '../../worker/schemas/public-reports.ts';

/** Fetchers of the public page: no token is ever sent. */
export type NearbyT = z.infer<typeof Nearby>;
export type NearbyResultT = NearbyT['results'][number];
export type PlacesT = z.infer<typeof PublicPlaces>;
export type StationNowT = z.infer<typeof PublicStationNow>;
export type PublicMapT = z.infer<typeof PublicMap>;
export type ReportStateT = z.infer<typeof PublicReportState>;
export type Origin = { lat: number; lon: number; label?: string };

export const NEEDS = ['water', 'rest', 'towel', 'umbrella', 'medicine', 'charging'] as const;
export type NeedT = (typeof NEEDS)[number];

export const fetchPlaces = (signal?: AbortSignal) => apiGet<PlacesT>('/api/v1/public/places', signal, null);
export const fetchStationNow = (id: string, signal?: AbortSignal) =>
  apiGet<StationNowT>(`/api/v1/public/stations/${encodeURIComponent(id)}`, signal, null);
export const fetchPublicMap = (signal?: AbortSignal) => apiGet<PublicMapT>('/api/v1/public/map', signal, null);
export const fetchReportState = (id: string, signal?: AbortSignal) =>
  apiGet<ReportStateT>(`/api/v1/public/reports/${encodeURIComponent(id)}`, signal, null);

export function fetchNearby(o: Origin, need: NeedT, signal?: AbortSignal, limit = 5): Promise<NearbyT> {
  const q = new URLSearchParams({ lat: o.lat.toFixed(6), lon: o.lon.toFixed(6), need, limit: String(limit), route: '1' });
  return apiGet<NearbyT>(`/api/v1/public/nearby?${q}`, signal, null);
}

// ─── the last answer, kept on the phone for use without a signal ─────────────────────────────
const LAST = 'amenity.nearby.last';

export interface SavedAnswer {
  origin: Origin;
  need: NeedT;
  answer: NearbyT;
  /** when the phone received it (ms) */
  at: number;
}

export function saveAnswer(a: SavedAnswer): void {
  try {
    localStorage.setItem(LAST, JSON.stringify(a));
  } catch {
    // Storage full or blocked: the page still works online.
  }
}

export function lastAnswer(): SavedAnswer | null {
  try {
    const raw = localStorage.getItem(LAST);
    return raw ? (JSON.parse(raw) as SavedAnswer) : null;
  } catch {
    return null;
  }
}

// ─── reports ─────────────────────────────────────────────────────────────────────────────────
const MINE = 'amenity.reports';

export function myReports(): Array<{ id: string; site: string; at: number }> {
  try {
    return JSON.parse(localStorage.getItem(MINE) ?? '[]') as Array<{ id: string; site: string; at: number }>;
  } catch {
    return [];
  }
}

function remember(id: string, site: string): void {
  try {
    localStorage.setItem(MINE, JSON.stringify([{ id, site, at: Date.now() }, ...myReports()].slice(0, 20)));
  } catch {
    // Not remembered: the reference is still shown on screen.
  }
}

async function problem(res: Response): Promise<ApiFailure> {
  let detail = res.statusText;
  try {
    detail = ((await res.json()) as { detail?: string }).detail ?? detail;
  } catch {
    // not a problem document
  }
  return new ApiFailure(res.status, detail);
}

export async function sendReport(
  site: string,
  category: string,
  text: string,
  photo: File | null,
): Promise<{ id: string; photoError: ApiFailure | null }> {
  let res: Response;
  try {
    res = await fetch('/api/v1/public/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site, category, ...(text.trim() ? { text: text.trim() } : {}) }),
    });
  } catch (e) {
    throw new ApiFailure(0, String(e instanceof Error ? e.message : e));
  }
  if (res.status !== 201) throw await problem(res);
  const { id } = (await res.json()) as z.infer<typeof PublicReportCreated>;
  remember(id, site);
  let photoError: ApiFailure | null = null;
  if (photo) {
    try {
      const r = await fetch(`/api/v1/public/reports/${encodeURIComponent(id)}/photo`, {
        method: 'POST',
        headers: { 'content-type': photo.type || 'application/octet-stream' },
        body: photo,
      });
      if (r.status !== 201) photoError = await problem(r);
    } catch (e) {
      photoError = new ApiFailure(0, String(e instanceof Error ? e.message : e));
    }
  }
  return { id, photoError };
}
