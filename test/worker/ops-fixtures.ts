import { env } from 'cloudflare:test';
import { asAdmin, call } from './helpers.ts';
import { createDistrict, createStation } from './fixtures.ts';

/** A small city's operations: a unit, people with tokens, a team, a station. Unique ids per call. */

async function ok(res: Response, what: string): Promise<Response> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

export async function createUnit(id: string, extra: Record<string, unknown> = {}) {
  await ok(await asAdmin('/api/v1/units', { method: 'POST', json: { id, name: `Unit ${id}`, ...extra } }), `unit ${id}`);
  return id;
}

export async function createPerson(id: string, unit?: string) {
  await ok(
    await asAdmin('/api/v1/people', { method: 'POST', json: { id, name: `Person ${id}`, ...(unit ? { unit } : {}) } }),
    `person ${id}`,
  );
  return id;
}

export async function tokenFor(role: 'admin' | 'supervisor' | 'staff' | 'planner', person?: string): Promise<string> {
  const res = await ok(
    await asAdmin('/api/v1/tokens', {
      method: 'POST',
      json: { name: `${role} ${person ?? ''}`.trim(), role, ...(person ? { person } : {}) },
    }),
    `token ${role}`,
  );
  return ((await res.json()) as { token: string }).token;
}

export interface Ops {
  district: string;
  station: string;
  unit: string;
  team: string;
  sup: { person: string; token: string };
  /** In the team. */
  staffA: { person: string; token: string };
  /** Not in the team. */
  staffB: { person: string; token: string };
  planner: string;
}

let n = 0;
export async function operations(): Promise<Ops> {
  const tag = `${++n}${crypto.randomUUID().slice(0, 6)}`;
  const district = await createDistrict(`d-${tag}`, `District ${tag}`);
  const unit = await createUnit(`u-${tag}`, { kind: 'sanitation', district });
  const station = await createStation(`st-${tag}`, district);
  await ok(await asAdmin(`/api/v1/units/${unit}/sites`, { method: 'PUT', json: { stations: [station] } }), 'sites');
  const [sup, a, b] = await Promise.all([createPerson(`sup-${tag}`, unit), createPerson(`a-${tag}`, unit), createPerson(`b-${tag}`, unit)]);
  const team = `t-${tag}`;
  await ok(await asAdmin('/api/v1/teams', { method: 'POST', json: { id: team, name: `Team ${tag}`, unit, members: [a] } }), 'team');
  return {
    district,
    station,
    unit,
    team,
    sup: { person: sup, token: await tokenFor('supervisor', sup) },
    staffA: { person: a, token: await tokenFor('staff', a) },
    staffB: { person: b, token: await tokenFor('staff', b) },
    planner: await tokenFor('planner'),
  };
}

export interface OrderJson {
  id: string;
  site: string;
  step: string;
  kind: string;
  alert: string | null;
  unit: string | null;
  district: string | null;
  assignee: { kind: string; id: string } | null;
  dispatched_at: string | null;
  arrived_at: string | null;
  handled_at: string | null;
  closed_at: string | null;
  escalated_at: string | null;
  next: string[];
  steps: Array<{ step: string; at: string; by: string; note: string | null; assignee: string | null; passed: boolean | null }>;
  photos: Array<{ id: string; step: string; content_type: string; bytes: number; url: string; by: string }>;
  sla: {
    dispatch_to_arrival_s: number | null;
    arrival_to_handled_s: number | null;
    met: boolean | null;
    overdue: boolean;
    to_close_s: number | null;
    dispatches: number;
    due_at: string | null;
  };
}

export const post = (path: string, token: string, json: unknown) => call(path, { method: 'POST', token, json });

export async function openOrder(token: string, body: Record<string, unknown>): Promise<OrderJson> {
  return (await (await ok(await post('/api/v1/work-orders', token, body), 'open order')).json()) as OrderJson;
}

export async function move(id: string, token: string, body: Record<string, unknown>): Promise<Response> {
  return post(`/api/v1/work-orders/${id}/steps`, token, body);
}

export async function moveOk(id: string, token: string, body: Record<string, unknown>): Promise<OrderJson> {
  return (await (await ok(await move(id, token, body), `move ${JSON.stringify(body)}`)).json()) as OrderJson;
}

/** An open alert, as the alerts engine stores one. */
export async function insertAlert(site: string, kind = 'stock_out', item: string | null = 'water'): Promise<string> {
  const id = `al_${crypto.randomUUID().slice(0, 12)}`;
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO alerts (id, kind, site, site_kind, item, colour, opened_at, detail, updated_at) VALUES (?, ?, ?, 'station', ?, 'yellow', ?, 'test', ?)`,
  )
    .bind(id, kind, site, item, now, now)
    .run();
  return id;
}
