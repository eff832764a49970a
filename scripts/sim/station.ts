/**
 * An outdoor-worker rest station (户外劳动者驿站): free water and towels, umbrellas to lend, a
 * medicine box; staff restock it on their rounds. Pure: one call simulates one local day.
 */
import { scheduledOpen } from '../../worker/domain/opening-hours.ts';
import { CITY_TZ, HOUR, MINUTE, type SimDay } from './clock.ts';
import type { Reading } from './messages.ts';
import type { Rng } from './rng.ts';
import { airTemp, raining, type DayWeather } from './weather.ts';

export interface StationItem {
  par: number;
  reorder: number;
}

export interface StationSpec {
  id: string;
  openingHours: string;
  /** Relative demand, 1 = an average station; People's Square is busier. */
  busy: number;
  items: Record<string, StationItem>;
  /** Staff id used in restock messages (the round that serves this station). */
  crew: string;
}

export interface StationState {
  onHand: Record<string, number>;
  /** Umbrellas out on loan: when each comes back (null = never). */
  loans: Array<{ back: number | null; qty: number }>;
  /** A restock round is on its way (true-time instant), or null. */
  restockAt: number | null;
  /** The water dispenser jams now and then; staff hand water out by hand, unrecorded. */
  jammedUntil: number | null;
  open: boolean | null;
}

export function initialStationState(spec: StationSpec, rng: Rng): StationState {
  const onHand: Record<string, number> = {};
  for (const [item, p] of Object.entries(spec.items)) onHand[item] = Math.max(p.reorder + 1, Math.round(p.par * rng.uniform(0.6, 1)));
  return { onHand, loans: [], restockAt: null, jammedUntil: null, open: null };
}

/** Mean hand-outs per open hour for an average station, by item and local hour. */
function demandPerHour(item: string, hour: number, w: DayWeather, d: SimDay): number {
  const t = airTemp(w, hour + 0.5);
  const wet = raining(w, hour);
  // Sanitation crews start before dawn; riders and police peak around meals and the afternoon heat.
  const shape = hour < 5 ? 0.15 : hour < 8 ? 0.9 : hour < 11 ? 0.8 : hour < 14 ? 1.3 : hour < 17 ? 1.2 : hour < 20 ? 0.8 : 0.3;
  const weekday = d.weekend ? 0.75 : 1;
  switch (item) {
    case 'water': {
      const heat = t > 26 ? 1 + (t - 26) * 0.16 : t < 10 ? 0.45 : 0.7 + (t - 10) * 0.019;
      return 0.75 * shape * heat * weekday * (wet ? 0.6 : 1);
    }
    case 'towel':
      return 0.25 * shape * (t > 28 ? 1.8 : t > 20 ? 1.1 : 0.5) * weekday;
    case 'medicine_kit':
      return 0.04 * shape * (t > 33 ? 2.5 : 1); // plasters, heatstroke remedies (藿香正气水)
    case 'sunscreen':
      return t > 25 && !wet && w.cloud < 0.6 && hour >= 9 && hour < 16 ? 0.12 : 0;
    case 'raincoat':
      return wet ? 0.35 : 0;
    default:
      return 0.05 * shape;
  }
}

/** Umbrellas: lent while it rains (and just before, when the sky darkens). */
function umbrellaLendsPerHour(hour: number, w: DayWeather): number {
  if (raining(w, hour)) return 0.9;
  if (w.rain && hour === w.rain.from - 1) return 0.3;
  return 0;
}

export function simulateStationDay(
  spec: StationSpec,
  state: StationState,
  d: SimDay,
  w: DayWeather,
  rng: Rng,
  tz = CITY_TZ,
): { state: StationState; readings: Reading[] } {
  const s: StationState = structuredClone(state);
  const readings: Reading[] = [];
  const staffIn = d.weekend ? 9 : 8;
  const staffOut = d.weekend ? 16 : 18;

  for (let h = 0; h < 24; h++) {
    const hourStart = d.start + h * HOUR;
    const hourEnd = hourStart + HOUR;
    const open = scheduledOpen(spec.openingHours, hourStart + 30 * MINUTE, tz);
    const temp = Math.round((airTemp(w, h) + (open ? -2 : 1) + rng.normal(0, 0.3)) * 10) / 10;

    if (open !== s.open) {
      readings.push({ at: hourStart + rng.int(0, 4) * MINUTE, type: 'status', open, temp_c: temp });
      s.open = open;
    }

    // Dispenser jams: raised, then cleared by a technician some hours later.
    if (s.jammedUntil === null && open && rng.chance(1 / (24 * 120))) {
      s.jammedUntil = hourStart + rng.int(2, 20) * HOUR;
      readings.push({
        at: hourStart + rng.int(0, 59) * MINUTE,
        type: 'fault',
        code: 'dispenser_jam',
        active: true,
        detail: 'water dispenser stuck',
      });
    }
    if (s.jammedUntil !== null && s.jammedUntil <= hourEnd) {
      readings.push({ at: Math.max(hourStart, s.jammedUntil), type: 'fault', code: 'dispenser_jam', active: false });
      s.jammedUntil = null;
    }

    let handedOut = 0;
    if (open) {
      for (const item of Object.keys(spec.items)) {
        if (item === 'umbrella') continue; // lent and returned, never handed out
        const n = rng.poisson(spec.busy * demandPerHour(item, h, w, d));
        for (let i = 0; i < n; i++) {
          const qty = item === 'water' && rng.chance(0.12) ? 2 : 1;
          if ((s.onHand[item] ?? 0) < qty) continue; // stocked out: the worker leaves empty-handed
          s.onHand[item]! -= qty;
          handedOut++;
          // While the dispenser is jammed staff still hand water out, but nothing records it.
          if (item === 'water' && s.jammedUntil !== null) continue;
          readings.push({ at: within(hourStart, rng.next()), type: 'dispense', item, qty });
        }
      }
      if (spec.items.umbrella) {
        const lends = rng.poisson(spec.busy * umbrellaLendsPerHour(h, w));
        for (let i = 0; i < lends && (s.onHand.umbrella ?? 0) > 0; i++) {
          const at = within(hourStart, rng.next());
          s.onHand.umbrella! -= 1;
          s.loans.push({ back: rng.chance(0.9) ? at + rng.uniform(4, 96) * HOUR : null, qty: 1 });
          readings.push({ at, type: 'lend', item: 'umbrella', qty: 1 });
        }
        // Borrowed umbrellas come back while the station is open.
        const keep: StationState['loans'] = [];
        for (const loan of s.loans) {
          if (loan.back !== null && loan.back < hourEnd) {
            s.onHand.umbrella = (s.onHand.umbrella ?? 0) + loan.qty;
            readings.push({
              at: Math.min(within(hourStart, 1), Math.max(hourStart, loan.back)),
              type: 'return',
              item: 'umbrella',
              qty: loan.qty,
            });
          } else keep.push(loan);
        }
        s.loans = keep;
      }
      const rest = rng.poisson(spec.busy * (h >= 11 && h < 15 ? 2.5 : 1) * (airTemp(w, h) > 30 || raining(w, h) ? 1.8 : 1));
      readings.push({ at: hourEnd - rng.int(1, 120) * 1000, type: 'visit', count: handedOut + rest });
    }

    // Staff: called out when something falls to its reorder point; they come within working hours.
    const low = Object.entries(spec.items).some(([item, p]) => (s.onHand[item] ?? 0) <= p.reorder);
    if (low && s.restockAt === null) {
      let at = hourEnd + rng.uniform(0.5, 4) * HOUR;
      const localHour = h + (at - hourEnd) / HOUR + 1;
      if (localHour >= staffOut)
        at = d.end + (staffIn + rng.uniform(0, 2)) * HOUR; // next morning
      else if (localHour < staffIn) at = d.start + (staffIn + rng.uniform(0, 1.5)) * HOUR;
      s.restockAt = at;
    }
    if (s.restockAt !== null && s.restockAt < hourEnd) {
      const at = s.restockAt;
      for (const [item, p] of Object.entries(spec.items)) {
        const onHand = s.onHand[item] ?? 0;
        // Umbrellas on loan still count toward par; lost ones (never coming back) are replaced.
        const out = item === 'umbrella' ? s.loans.filter((l) => l.back !== null).length : 0;
        const qty = p.par - onHand - out;
        if (qty <= 0 || onHand > p.par * 0.75) continue;
        s.onHand[item] = onHand + qty;
        readings.push({
          at: Math.min(within(hourStart, 1), Math.max(hourStart, at) + rng.int(0, 300) * 1000),
          type: 'restock',
          item,
          qty,
          by: spec.crew,
          ...(item === 'medicine_kit' ? { expires: expiry(d.day, rng) } : {}),
        });
      }
      s.restockAt = null;
    }

    // Now and then an item goes missing without a record (taken by hand): the level drop shows it.
    if (rng.chance(1 / (24 * 20)) && (s.onHand.water ?? 0) > 3) s.onHand.water! -= rng.int(1, 3);

    // The shelf sensor's absolute count, hourly, and an hourly status with the room temperature.
    readings.push({ at: hourEnd - 1000, type: 'stock', levels: { ...s.onHand } });
    readings.push({ at: hourStart + 30 * MINUTE, type: 'status', open, temp_c: temp });
  }
  readings.sort((a, b) => a.at - b.at);
  return { state: s, readings };
}

/**
 * An instant in the hour starting at `hourStart`, fraction `f` of the way, kept before the hourly
 * stock reading (at the hour's last second): what the shelf sensor counts has already happened.
 */
function within(hourStart: number, f: number): number {
  return hourStart + f * (HOUR - 2000);
}

function expiry(day: string, rng: Rng): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + rng.int(180, 540));
  return d.toISOString().slice(0, 10);
}
