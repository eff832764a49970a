/**
 * Rules for a solar bench (site = the bench's device id). Pure, like the station rules: current
 * state and thresholds in, conditions out; open alerts are held to their clearing threshold.
 */
import { getTimes } from 'suncalc';
import { alertKey, type Condition } from './kinds.ts';
import type { Settings } from './settings.ts';

const HOUR = 3_600_000;

export interface BenchFacts {
  id: string;
  lat: number;
  lon: number;
  last_seen: number | null;
  since: number;
  battery_soc: number | null;
  /** Mean evening and night load (W) over the last days, or the current load, or null. */
  night_load_w: number | null;
  faults: string[];
  /** Solar energy harvested today (local day), Wh, or null when it sent no solar sample today. */
  solar_today_wh: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Night window at the bench: from `lead` hours before sunset until the next sunrise. */
export function hoursUntilSunrise(lat: number, lon: number, now: number, leadHours: number): number | null {
  const today = getTimes(new Date(now), lat, lon);
  const sunset = today.sunset?.getTime() ?? NaN;
  const sunrise = today.sunrise?.getTime() ?? NaN;
  if (Number.isNaN(sunset) || Number.isNaN(sunrise)) return null; // polar day or night
  if (now < sunrise) return (sunrise - now) / HOUR; // before dawn
  if (now < sunset - leadHours * HOUR) return null; // daytime: the sun still charges it
  const next = getTimes(new Date(now + 24 * HOUR), lat, lon).sunrise?.getTime() ?? NaN;
  return Number.isNaN(next) ? null : (next - now) / HOUR;
}

export function benchConditions(b: BenchFacts, cfg: Settings, open: ReadonlySet<string>, now: number): Condition[] {
  const out: Condition[] = [];
  const add = (kind: Condition['kind'], detail: string, data: Condition['data']) =>
    out.push({ site: b.id, site_kind: 'bench', kind, item: null, detail, data });
  const isOpen = (kind: string) => open.has(alertKey({ site: b.id, kind, item: null }));

  const last = b.last_seen ?? b.since;
  if (now - last > cfg.get('offline_min_bench', b.id) * 60_000) {
    add('offline', b.last_seen === null ? `no message since registration ${iso(b.since)}` : `no message since ${iso(b.last_seen)}`, {
      last_seen: b.last_seen === null ? null : iso(b.last_seen),
      minutes: Math.floor((now - last) / 60_000),
    });
  }
  if (b.faults.length) add('fault', `active faults: ${b.faults.join(', ')}`, { codes: b.faults.join(',') });

  if (b.battery_soc !== null) {
    const soc = b.battery_soc;
    const holds = isOpen('low_battery') ? soc < cfg.get('low_battery_clear_pct', b.id) : soc < cfg.get('low_battery_pct', b.id);
    if (holds) add('low_battery', `battery at ${soc.toFixed(0)} %`, { battery_soc: soc });

    const hours = hoursUntilSunrise(b.lat, b.lon, now, cfg.get('night_lead_hours', b.id));
    if (hours !== null && b.night_load_w !== null && b.night_load_w > 0) {
      const have = (soc / 100) * cfg.get('battery_wh', b.id);
      const need = b.night_load_w * hours * cfg.get('night_reserve', b.id);
      // Once open, it clears only with 10 % to spare (hysteresis).
      if (isOpen('night_autonomy') ? have < need * 1.1 : have < need) {
        add('night_autonomy', `charge ${have.toFixed(0)} Wh for an expected ${need.toFixed(0)} Wh until sunrise in ${hours.toFixed(1)} h`, {
          charge_wh: Math.round(have),
          need_wh: Math.round(need),
          hours_to_sunrise: Math.round(hours * 10) / 10,
        });
      }
    }
  }
  return out;
}

export interface SolarPeer {
  id: string;
  lat: number;
  lon: number;
  solar_today_wh: number | null;
}

function km(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6371;
}

/**
 * solar_underperformance: a bench harvesting far less than the benches near it on the same day
 * (a dirty or shaded panel; an overcast day lowers them all). Needs every bench of the area.
 */
export function solarConditions(benches: readonly SolarPeer[], cfg: Settings, open: ReadonlySet<string>): Condition[] {
  const out: Condition[] = [];
  for (const b of benches) {
    if (b.solar_today_wh === null) continue;
    const radius = cfg.get('solar_radius_km', b.id);
    const peers = benches.filter((p) => p.id !== b.id && p.solar_today_wh !== null && km(b, p) <= radius).map((p) => p.solar_today_wh!);
    if (peers.length < cfg.get('solar_min_peers', b.id)) continue;
    peers.sort((x, y) => x - y);
    const m = peers.length;
    const median = m % 2 ? peers[(m - 1) / 2]! : (peers[m / 2 - 1]! + peers[m / 2]!) / 2;
    if (median < cfg.get('solar_min_wh', b.id)) continue;
    const ratio = cfg.get('solar_ratio', b.id);
    // Once open, it clears only at 1.2 × the ratio (hysteresis).
    const limit = open.has(alertKey({ site: b.id, kind: 'solar_underperformance', item: null })) ? ratio * 1.2 : ratio;
    if (b.solar_today_wh < median * limit) {
      out.push({
        site: b.id,
        site_kind: 'bench',
        kind: 'solar_underperformance',
        item: null,
        detail: `harvested ${b.solar_today_wh.toFixed(0)} Wh today; median of ${m} benches nearby ${median.toFixed(0)} Wh`,
        data: { solar_wh: Math.round(b.solar_today_wh), peers_median_wh: Math.round(median), peers: m },
      });
    }
  }
  return out;
}
