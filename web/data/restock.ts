import { apiGet, apiPost } from './api.ts';
import type { RestockPlanRequestT, RestockPlanT, RestockT } from '../../worker/schemas/restocks.ts';

/** The restock run: plan it, and record each stop's restock (idempotent by the stop's client id). */
export const planRun = (req: RestockPlanRequestT): Promise<RestockPlanT> => apiPost<RestockPlanT>('/api/v1/restock-runs/plan', req);

export const recordRestock = (station: string, body: { id: string; items: Record<string, number>; note?: string }) =>
  apiPost<RestockT>(`/api/v1/stations/${encodeURIComponent(station)}/restocks`, body);

/** The stations' mean position: the van's default start until the reader sets or locates one. */
export async function stationsCentre(signal?: AbortSignal): Promise<{ lat: number; lon: number } | null> {
  const { stations } = await apiGet<{ stations: Array<{ lat: number; lon: number }> }>('/api/v1/stations', signal);
  if (!stations.length) return null;
  const lat = stations.reduce((a, s) => a + s.lat, 0) / stations.length;
  const lon = stations.reduce((a, s) => a + s.lon, 0) / stations.length;
  return { lat: Math.round(lat * 1e5) / 1e5, lon: Math.round(lon * 1e5) / 1e5 };
}
