/**
 * The restock run: which stations a van visits, in what order, what it brings to each, and the
 * pick list to load. Pure: stations, forecasts and the distance matrix come in as plain data.
 *
 * - A station is due when some item is at or below its reorder point now, or will be before the
 *   next visit by its forecast.
 * - Each due item is brought up to its par level (without a par level: the forecast until the
 *   next visit plus the reorder point). The least it must get is what keeps it above its reorder
 *   point until the next visit (capped at the par fill).
 * - Stations are taken most urgent first (fewest hours until an item runs out); one whose least
 *   load no longer fits the van, or whose detour no longer fits the time, is left out with the
 *   reason. The tour is then shortened (restock-route.ts) and the van's remaining room tops up
 *   the stops in visiting order, up to par.
 */
import { planTour, tourLength, type Matrix } from './restock-route.ts';

export interface PlanItem {
  item: string;
  on_hand: number;
  par_level: number | null;
  reorder_point: number | null;
  /** expected consumption until the next visit (restock-demand.ts) */
  forecast: number;
  /** expected consumption per hour now (for urgency); 0 when none */
  rate_per_h: number;
}

export interface PlanStation {
  id: string;
  name: string;
  lat: number;
  lon: number;
  items: PlanItem[];
}

export interface Capacity {
  /** item code → most the van carries of it */
  items?: Record<string, number>;
  /** most the van carries of all items together */
  total?: number;
}

export interface PlanInput {
  stations: PlanStation[];
  /** (stations.length + 1)² metres; node 0 is the depot, node i + 1 is stations[i] */
  dist: Matrix;
  capacity: Capacity;
  available_min: number;
  service_min: number;
  speed_m_per_min: number;
}

export interface PlannedStop {
  station: string;
  name: string;
  lat: number;
  lon: number;
  leg_m: number;
  arrive_min: number;
  bring: Record<string, number>;
  /** items at or below the reorder point by the next visit (why the stop is due) */
  due: string[];
  hours_to_empty: number | null;
}

export interface LeftOut {
  station: string;
  name: string;
  reason: 'capacity' | 'time' | 'unreachable';
  detail: string;
}

export interface RestockPlan {
  stops: PlannedStop[];
  left_out: LeftOut[];
  pick_list: Record<string, number>;
  distance_m: number;
  duration_min: number;
  /** stations that were not due */
  not_due: number;
}

interface Need {
  index: number;
  station: PlanStation;
  full: Record<string, number>;
  least: Record<string, number>;
  due: string[];
  hoursToEmpty: number;
}

/** What a station needs, or null when nothing is due before the next visit. */
export function stationNeed(s: PlanStation, index = 0): Need | null {
  const full: Record<string, number> = {};
  const least: Record<string, number> = {};
  const due: string[] = [];
  let hoursToEmpty = Infinity;
  for (const it of s.items) {
    const reorder = it.reorder_point ?? 0;
    const forecast = Math.max(0, it.forecast);
    const onHand = Math.max(0, it.on_hand);
    if (onHand - forecast > reorder) continue;
    const target = it.par_level ?? Math.ceil(forecast + reorder);
    const f = Math.max(0, Math.ceil(target - onHand));
    if (f === 0) continue;
    due.push(it.item);
    full[it.item] = f;
    least[it.item] = Math.min(f, Math.max(1, Math.ceil(forecast + reorder + 1 - onHand)));
    const h = it.rate_per_h > 0 ? onHand / it.rate_per_h : onHand === 0 ? 0 : Infinity;
    hoursToEmpty = Math.min(hoursToEmpty, h);
  }
  return due.length ? { index, station: s, full, least, due: due.sort(), hoursToEmpty } : null;
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** Room left after taking `load`, per item and in total; null when it does not fit. */
function take(
  room: { items: Map<string, number>; total: number },
  load: Record<string, number>,
): { items: Map<string, number>; total: number } | null {
  const items = new Map(room.items);
  for (const [k, q] of Object.entries(load)) {
    if (!items.has(k)) continue;
    const left = items.get(k)! - q;
    if (left < 0) return null;
    items.set(k, left);
  }
  const total = room.total - sum(load);
  return total < 0 ? null : { items, total };
}

/** Cheapest insertion of node n into a tour: the added metres and the position. */
function cheapestInsertion(dist: Matrix, tour: number[], n: number): { add: number; at: number } {
  let best = { add: Infinity, at: 0 };
  for (let i = 0; i <= tour.length; i++) {
    const a = i === 0 ? 0 : tour[i - 1]!;
    const b = i === tour.length ? 0 : tour[i]!;
    const add = dist[a]![n]! + dist[n]![b]! - dist[a]![b]!;
    if (add < best.add) best = { add, at: i };
  }
  return best;
}

const minutes = (metres: number, speed: number) => metres / speed;

export function planRestockRun(input: PlanInput): RestockPlan {
  const { dist, speed_m_per_min: speed, service_min: service, available_min: available } = input;
  const needs: Need[] = [];
  let notDue = 0;
  input.stations.forEach((s, i) => {
    const n = stationNeed(s, i + 1);
    if (n) needs.push(n);
    else notDue++;
  });
  // Most urgent first; ties: more to bring first, then id (deterministic).
  needs.sort((a, b) => a.hoursToEmpty - b.hoursToEmpty || sum(b.full) - sum(a.full) || (a.station.id < b.station.id ? -1 : 1));

  let room = { items: new Map(Object.entries(input.capacity.items ?? {})), total: input.capacity.total ?? Infinity };
  const tour: number[] = [];
  const taken = new Map<number, Need>();
  const leftOut: LeftOut[] = [];
  for (const n of needs) {
    const s = n.station;
    const after = take(room, n.least);
    if (!after) {
      leftOut.push({
        station: s.id,
        name: s.name,
        reason: 'capacity',
        detail: `needs at least ${fmtLoad(n.least)}; the van has ${fmtRoom(room, n.least)} left`,
      });
      continue;
    }
    const ins = cheapestInsertion(dist, tour, n.index);
    if (!Number.isFinite(ins.add)) {
      leftOut.push({ station: s.id, name: s.name, reason: 'unreachable', detail: 'no route to this station on the network' });
      continue;
    }
    const newMinutes = minutes(tourLength(dist, tour) + ins.add, speed) + service * (tour.length + 1);
    if (newMinutes > available) {
      leftOut.push({
        station: s.id,
        name: s.name,
        reason: 'time',
        detail: `the run would take ${Math.ceil(newMinutes)} min of the ${available} min available`,
      });
      continue;
    }
    tour.splice(ins.at, 0, n.index);
    taken.set(n.index, n);
    room = after;
  }

  const order = planTour(dist, tour);
  // Least loads are reserved; top up in visiting order, up to par, with what room is left.
  const bring = new Map<number, Record<string, number>>();
  for (const i of order) bring.set(i, { ...taken.get(i)!.least });
  for (const i of order) {
    const n = taken.get(i)!;
    const b = bring.get(i)!;
    for (const item of n.due) {
      let extra = n.full[item]! - b[item]!;
      if (room.items.has(item)) extra = Math.min(extra, room.items.get(item)!);
      extra = Math.max(0, Math.min(extra, room.total));
      if (!extra) continue;
      b[item] = b[item]! + extra;
      if (room.items.has(item)) room.items.set(item, room.items.get(item)! - extra);
      room.total -= extra;
    }
  }

  const stops: PlannedStop[] = [];
  const pick: Record<string, number> = {};
  let at = 0;
  let metres = 0;
  let clock = 0;
  for (const i of order) {
    const n = taken.get(i)!;
    const leg = dist[at]![i]!;
    metres += leg;
    clock += minutes(leg, speed);
    const b = bring.get(i)!;
    for (const [k, q] of Object.entries(b)) pick[k] = (pick[k] ?? 0) + q;
    stops.push({
      station: n.station.id,
      name: n.station.name,
      lat: n.station.lat,
      lon: n.station.lon,
      leg_m: Math.round(leg),
      arrive_min: Math.round(clock),
      bring: b,
      due: n.due,
      hours_to_empty: Number.isFinite(n.hoursToEmpty) ? Math.round(n.hoursToEmpty * 10) / 10 : null,
    });
    clock += service;
    at = i;
  }
  if (order.length) {
    metres += dist[at]![0]!;
    clock += minutes(dist[at]![0]!, speed);
  }
  return {
    stops,
    left_out: leftOut,
    pick_list: Object.fromEntries(Object.entries(pick).sort()),
    distance_m: Math.round(metres),
    duration_min: Math.round(clock),
    not_due: notDue,
  };
}

function fmtLoad(load: Record<string, number>): string {
  return Object.entries(load)
    .map(([k, q]) => `${q} ${k}`)
    .join(', ');
}

function fmtRoom(room: { items: Map<string, number>; total: number }, load: Record<string, number>): string {
  const parts = Object.keys(load)
    .filter((k) => room.items.has(k))
    .map((k) => `${room.items.get(k)} ${k}`);
  if (Number.isFinite(room.total)) parts.push(`${room.total} in total`);
  return parts.join(', ') || 'no room';
}
