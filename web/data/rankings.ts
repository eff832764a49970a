import { ApiFailure, apiGet, UNAUTHORIZED_EVENT } from './api.ts';
import { getToken } from '../lib/session.ts';
import type { SlaFigures } from '../../worker/domain/ranking/stats.ts';

/** Fetchers for the rankings page, the monthly report and the wall screen. */

export interface PartFigure {
  value: number | null;
  score: number | null;
  weight: number;
}
export interface RankingRowT {
  key: string;
  name: string;
  kind: string;
  score: number | null;
  rank: number | null;
  flag: 'red' | 'black' | null;
  low_streak: number;
  low_marked: boolean;
  parts: Record<string, PartFigure>;
  figures: Record<string, unknown>;
}
export interface RankingT {
  month: string;
  by: 'unit' | 'district';
  weights: Record<string, unknown>;
  computed_at: string;
  published: { at: string; by: string } | null;
  rows: RankingRowT[];
}
/** A team's or district's 双十 figures, as the monthly report computes them. */
export type SlaRowT = { key: string; name: string } & SlaFigures;
export interface ReportT {
  month: string;
  response_by_team: SlaRowT[];
  response_by_district: SlaRowT[];
  stock_out: Array<{ station: string; name: string; district: string; item: string; hours: number }>;
  alerts_by_kind: Array<{ kind: string; opened: number; sites: number; hours: number }>;
}
export interface SinceRowT {
  station: string;
  name: string;
  since: string | null;
  days_open: number;
  dispensed: number;
  visitors: number;
}
export interface UptimeRowT {
  site: string;
  kind: 'station' | 'bench';
  name: string;
  district: string;
  hours: number;
  up_hours: number;
}
export interface WallT {
  now: string;
  month: string;
  ranking: {
    month: string;
    provisional: boolean;
    unit: Array<Pick<RankingRowT, 'key' | 'name' | 'score' | 'rank' | 'flag'>>;
    district: Array<Pick<RankingRowT, 'key' | 'name' | 'score' | 'rank' | 'flag'>>;
  };
  supplies: Array<{ item: string; name_zh: string | null; name_en: string | null; dispensed: number }>;
  stations: Array<{ id: string; name: string; lat: number; lon: number; open: boolean }>;
}

export const fetchRanking = (month: string, by: string, signal?: AbortSignal) =>
  apiGet<RankingT>(`/api/v1/rankings?month=${encodeURIComponent(month)}&by=${encodeURIComponent(by)}`, signal);
export const fetchReport = (month: string, signal?: AbortSignal) =>
  apiGet<ReportT>(`/api/v1/monthly/report?month=${encodeURIComponent(month)}`, signal);
/** The report's long tables come on request: every station since opening, every site's uptime. */
export const fetchSinceOpening = (signal?: AbortSignal) =>
  apiGet<{ today: string; rows: SinceRowT[] }>('/api/v1/monthly/since-opening', signal).then((r) => r.rows);
export const fetchUptime = (month: string) =>
  apiGet<{ rows: UptimeRowT[] }>(`/api/v1/monthly/uptime?month=${encodeURIComponent(month)}`).then((r) => r.rows);
/** The wall screen asks without a token: its endpoint is public. */
export const fetchWall = (signal?: AbortSignal) => apiGet<WallT>('/api/v1/public/wall', signal, null);

/** A write (PUT / POST with JSON), answering like apiGet: an ApiFailure with the problem's detail. */
async function send<T>(method: 'PUT' | 'POST', path: string, body: unknown): Promise<T> {
  const token = getToken();
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body ?? {}),
  });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      detail = ((await res.json()) as { detail?: string }).detail ?? detail;
    } catch {
      // not a problem document
    }
    if (res.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    throw new ApiFailure(res.status, detail);
  }
  return (await res.json()) as T;
}

export const saveScores = (month: string, scores: Array<{ unit: string; source: string; score: number | null }>) =>
  send(`PUT`, `/api/v1/rankings/${month}/scores`, { scores });
export const publishMonth = (month: string) => send('POST', `/api/v1/rankings/${month}/publish`, {});
export const recomputeMonth = (month: string, reason: string) => send('POST', `/api/v1/rankings/${month}/recompute`, { reason });

/**
 * CSV through papaparse, with cells that a spreadsheet would run as a formula (= + - @ tab CR)
 * neutralised by a leading apostrophe (OWASP "CSV injection").
 */
export async function downloadCsv(name: string, rows: Array<Record<string, unknown>>): Promise<void> {
  const Papa = (await import('papaparse')).default;
  const safe = rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v])),
  );
  const blob = new Blob(['\ufeff' + Papa.unparse(safe, { newline: '\r\n' }) + '\r\n'], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
