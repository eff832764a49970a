/**
 * Alert thresholds: built-in defaults, overridden per site, per item or both by rows an admin
 * manages (PUT /api/v1/alerts/settings). The most specific override wins. Pure.
 */
import type { AlertKind } from './kinds.ts';

export const DEFAULT_SETTINGS = {
  /** No message from any of a station's devices for this long: offline. */
  offline_min_station: 60,
  /** No message from a bench for this long: offline. */
  offline_min_bench: 60,
  /** Battery below this state of charge (%) opens low_battery … */
  low_battery_pct: 20,
  /** … and it clears only above this one (hysteresis). */
  low_battery_clear_pct: 25,
  /** below_reorder clears only this many units above the reorder point (hysteresis). */
  reorder_clear_margin: 2,
  /** predicted_stock_out when the forecast empties the item within this many hours … */
  predict_hours: 6,
  /** … and it clears only when the forecast is further away than this. */
  predict_clear_hours: 9,
  /** expiring: a medicine batch on hand expires within this many days. */
  expiring_days: 30,
  /** unreturned: an umbrella lent this many days ago has not come back. */
  unreturned_days: 3,
  /** Usable bench battery energy (Wh) for night autonomy. */
  battery_wh: 1200,
  /** night_autonomy when the charge is below expected load until sunrise times this. */
  night_reserve: 1.2,
  /** Night autonomy is judged from this many hours before sunset until sunrise. */
  night_lead_hours: 2,
  /** solar_underperformance: harvest today below this share of the nearby benches' median … */
  solar_ratio: 0.5,
  /** … among benches within this radius (km) … */
  solar_radius_km: 3,
  /** … when at least this many have reported … */
  solar_min_peers: 3,
  /** … and the median harvested at least this much today (Wh): an overcast day says nothing. */
  solar_min_wh: 50,
  /** A condition must stay clear this long before its alert resolves (no flapping). */
  clear_dwell_min: 10,
  /** Card ladder: the same problem again within this many days climbs a step. */
  card_window_days: 7,
  /** Card ladder: a clean period of this many days steps the card down one colour. */
  card_clean_days: 3,
} as const;

export type SettingKey = keyof typeof DEFAULT_SETTINGS | `deadline_min_${AlertKind}`;

/** How long an alert may stay open before it is overdue, by kind (minutes). */
export const DEFAULT_DEADLINE_MIN: Record<AlertKind, number> = {
  stock_out: 120,
  below_reorder: 24 * 60,
  predicted_stock_out: 6 * 60,
  low_battery: 12 * 60,
  night_autonomy: 12 * 60,
  solar_underperformance: 3 * 24 * 60,
  offline: 4 * 60,
  fault: 24 * 60,
  unknown_item: 3 * 24 * 60,
  expiring: 7 * 24 * 60,
  unreturned: 7 * 24 * 60,
};

export interface SettingRow {
  key: string;
  site: string;
  item: string;
  value: number;
}

export function isSettingKey(k: string): k is SettingKey {
  if (k in DEFAULT_SETTINGS) return true;
  return k.startsWith('deadline_min_') && k.slice('deadline_min_'.length) in DEFAULT_DEADLINE_MIN;
}

/** Look-up over the override rows, falling back to the defaults. */
export class Settings {
  private readonly rows = new Map<string, number>();
  constructor(rows: readonly SettingRow[] = []) {
    for (const r of rows) this.rows.set(`${r.key}|${r.site}|${r.item}`, r.value);
  }

  get(key: SettingKey, site: string | null = null, item: string | null = null): number {
    const s = site ?? '';
    const i = item ?? '';
    for (const k of [`${key}|${s}|${i}`, `${key}|${s}|`, `${key}||${i}`, `${key}||`]) {
      const v = this.rows.get(k);
      if (v !== undefined) return v;
    }
    if (key.startsWith('deadline_min_')) return DEFAULT_DEADLINE_MIN[key.slice('deadline_min_'.length) as AlertKind];
    return DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS];
  }

  deadlineMs(kind: AlertKind, site: string): number {
    return this.get(`deadline_min_${kind}`, site) * 60_000;
  }
}
