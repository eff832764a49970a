import type { PersonT, TeamT, UnitT } from '../../worker/schemas/responsibility.ts';
import type { WorkOrderCreateT, WorkOrderMoveT, WorkOrderSummaryT, WorkOrderT } from '../../worker/schemas/work-orders.ts';
import { apiBlob, apiGet, apiPost } from './api.ts';

/** Work orders, and the units, teams and people the board filters and dispatches by. */

export interface OrderFilter {
  state?: 'open' | 'all';
  unit?: string;
  team?: string;
  district?: string;
  kind?: string;
  mine?: boolean;
}

export async function fetchOrders(f: OrderFilter, signal?: AbortSignal): Promise<WorkOrderSummaryT[]> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '' && v !== false) q.set(k, String(v));
  return (await apiGet<{ work_orders: WorkOrderSummaryT[] }>(`/api/v1/work-orders?${q}`, signal)).work_orders;
}

export const fetchOrder = (id: string, signal?: AbortSignal) => apiGet<WorkOrderT>(`/api/v1/work-orders/${encodeURIComponent(id)}`, signal);
export const openOrder = (body: WorkOrderCreateT) => apiPost<WorkOrderT>('/api/v1/work-orders', body);
export const moveOrder = (id: string, body: WorkOrderMoveT) =>
  apiPost<WorkOrderT>(`/api/v1/work-orders/${encodeURIComponent(id)}/steps`, body);
export const uploadPhoto = (id: string, file: Blob, step?: 'handled' | 'checked') =>
  apiPost<WorkOrderT>(`/api/v1/work-orders/${encodeURIComponent(id)}/photos${step ? `?step=${step}` : ''}`, file);
export const fetchPhoto = (url: string, signal?: AbortSignal) => apiBlob(url, signal);

export const fetchUnits = async (signal?: AbortSignal) => (await apiGet<{ units: UnitT[] }>('/api/v1/units', signal)).units;
export const fetchTeams = async (signal?: AbortSignal) => (await apiGet<{ teams: TeamT[] }>('/api/v1/teams', signal)).teams;
export const fetchPeople = async (signal?: AbortSignal) => (await apiGet<{ people: PersonT[] }>('/api/v1/people', signal)).people;
