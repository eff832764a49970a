import type { z } from '@hono/zod-openapi';
import { apiGet } from './api.ts';
import type { Alert, Card } from '../../worker/schemas/alerts.ts';

export type AlertT = z.infer<typeof Alert>;
export type CardT = z.infer<typeof Card>;

export interface AlertQueryT {
  state?: 'open' | 'resolved' | 'all';
  site?: string;
  kind?: string;
  colour?: string;
  district?: string;
}

export function fetchAlerts(q: AlertQueryT, signal?: AbortSignal): Promise<{ alerts: AlertT[] }> {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  return apiGet(`/api/v1/alerts?${p}`, signal);
}

export async function fetchCard(site: string, signal?: AbortSignal): Promise<CardT | null> {
  const r = await apiGet<{ cards: CardT[] }>(`/api/v1/cards?site=${encodeURIComponent(site)}`, signal);
  return r.cards[0] ?? null;
}
