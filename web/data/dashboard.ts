import type {
  BenchDetailT,
  BenchListT,
  BenchRangeT,
  BenchSeriesT,
  ConfigT,
  MapBaseT,
  MeT,
  MessageListT,
  OverviewT,
  StationDetailT,
  StationListT,
  StationSeriesT,
  SuppliesGroupT,
  SuppliesReportT,
} from '../../worker/schemas/dashboard.ts';
import type { Period } from '../../worker/domain/report-periods.ts';
import { apiGet } from './api.ts';

/** Typed fetchers for /api/v1/dashboard: the response types are the Worker's own schemas. */
const BASE = '/api/v1/dashboard';
const enc = encodeURIComponent;

export const fetchMe = (token: string, signal?: AbortSignal) => apiGet<MeT>(`${BASE}/me`, signal, token);
export const fetchConfig = (signal?: AbortSignal, token?: string) => apiGet<ConfigT>(`${BASE}/config`, signal, token);
export const fetchOverview = (signal?: AbortSignal) => apiGet<OverviewT>(`${BASE}/overview`, signal);
export const fetchStations = (signal?: AbortSignal) => apiGet<StationListT>(`${BASE}/stations`, signal);
export const fetchStation = (id: string, signal?: AbortSignal) => apiGet<StationDetailT>(`${BASE}/stations/${enc(id)}`, signal);
export const fetchStationSeries = (id: string, from: string, to: string, signal?: AbortSignal) =>
  apiGet<StationSeriesT>(`${BASE}/stations/${enc(id)}/series?from=${from}&to=${to}`, signal);
export const fetchBenches = (signal?: AbortSignal) => apiGet<BenchListT>(`${BASE}/benches`, signal);
export const fetchBench = (id: string, signal?: AbortSignal) => apiGet<BenchDetailT>(`${BASE}/benches/${enc(id)}`, signal);
export const fetchBenchSeries = (id: string, range: BenchRangeT, signal?: AbortSignal) =>
  apiGet<BenchSeriesT>(`${BASE}/benches/${enc(id)}/series?range=${range}`, signal);
export const fetchMessages = (device: string, limit: number, signal?: AbortSignal) =>
  apiGet<MessageListT>(`${BASE}/devices/${enc(device)}/messages?limit=${limit}`, signal);
export const fetchSupplies = (q: { from: string; to: string; group: SuppliesGroupT; period: Period }, signal?: AbortSignal) =>
  apiGet<SuppliesReportT>(`${BASE}/supplies?from=${q.from}&to=${q.to}&group=${q.group}&period=${q.period}`, signal);
export const fetchMapBase = (signal?: AbortSignal) => apiGet<MapBaseT>(`${BASE}/map`, signal);
