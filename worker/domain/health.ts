/**
 * Four-colour grading (一卡四色) of stations and benches: blue = normal, yellow = first warning,
 * orange = repeated / worse, red = serious. Pure; reasons are codes the UI translates.
 */
export const GRADES = ['blue', 'yellow', 'orange', 'red'] as const;
export type Grade = (typeof GRADES)[number];

export type HealthReason =
  | 'never_seen'
  | 'offline_30m'
  | 'offline_2h'
  | 'offline_24h'
  | 'stock_out'
  | 'below_reorder'
  | 'several_below_reorder'
  | 'fault'
  | 'battery_low'
  | 'battery_very_low'
  | 'battery_critical';

export interface Health {
  grade: Grade;
  reasons: HealthReason[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;

function worst(found: Array<[Grade, HealthReason]>): Health {
  let grade: Grade = 'blue';
  for (const [g] of found) if (GRADES.indexOf(g) > GRADES.indexOf(grade)) grade = g;
  return { grade, reasons: found.map(([, r]) => r) };
}

function offline(lastSeen: number | null, now: number): Array<[Grade, HealthReason]> {
  if (lastSeen === null) return [['red', 'never_seen']];
  const age = now - lastSeen;
  if (age > 24 * HOUR) return [['red', 'offline_24h']];
  if (age > 2 * HOUR) return [['orange', 'offline_2h']];
  if (age > 30 * MIN) return [['yellow', 'offline_30m']];
  return [];
}

export interface StationHealthInput {
  lastSeen: number | null;
  activeFaults: number;
  items: Array<{ on_hand: number | null; reorder_point: number | null }>;
}

/**
 * Station: red when offline a day or any item is out; orange when offline 2 h, faulty, or two
 * or more items at / below their reorder point; yellow for one such item or 30 min offline.
 */
export function stationHealth(s: StationHealthInput, now: number): Health {
  const found = offline(s.lastSeen, now);
  const known = s.items.filter((i) => i.on_hand !== null);
  if (known.some((i) => i.on_hand! <= 0)) found.push(['red', 'stock_out']);
  const low = known.filter((i) => i.on_hand! > 0 && i.reorder_point !== null && i.on_hand! <= i.reorder_point).length;
  if (low >= 2) found.push(['orange', 'several_below_reorder']);
  else if (low === 1) found.push(['yellow', 'below_reorder']);
  if (s.activeFaults > 0) found.push(['orange', 'fault']);
  return worst(found);
}

export interface BenchHealthInput {
  lastSeen: number | null;
  activeFaults: number;
  batterySoc: number | null;
}

/** Bench: battery below 10 % red, below 20 % orange, below 40 % yellow; faults orange. */
export function benchHealth(b: BenchHealthInput, now: number): Health {
  const found = offline(b.lastSeen, now);
  if (b.batterySoc !== null) {
    if (b.batterySoc < 10) found.push(['red', 'battery_critical']);
    else if (b.batterySoc < 20) found.push(['orange', 'battery_very_low']);
    else if (b.batterySoc < 40) found.push(['yellow', 'battery_low']);
  }
  if (b.activeFaults > 0) found.push(['orange', 'fault']);
  return worst(found);
}
