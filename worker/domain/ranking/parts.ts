import type { DigitalPart, RankingConfig } from './weights.ts';
import type { SlaFigures } from './stats.ts';

/**
 * What the system measured for one district or unit in one month, before normalisation.
 * Each part is null when there is nothing to measure (no sites of that kind, no orders…).
 */
export interface Measures {
  /** population-weighted share within 15 minutes' walk of a live amenity, 0–1 */
  coverage: { share: number; population: number; source: 'recorded' | 'computed'; hours: number } | null;
  /** station hours inside opening hours, and those of them open and stocked */
  station_uptime: { opening_hours: number; up_hours: number } | null;
  /** bench hours in the month, and those with a mean charge above the threshold */
  bench_uptime: { hours: number; charged_hours: number } | null;
  /** stock-out hours summed over a scope's stations and items */
  stock_out: { stations: number; hours: number } | null;
  sla: SlaFigures | null;
  /** citizens' reports opened in the month: how many reached handled, and closed (answered) */
  reports: { opened: number; handled: number; answered: number } | null;
  /** The records behind the figures, so each can be traced (not used in the scoring). */
  sources?: MeasureSources;
}

/**
 * Ids of the data each part rests on: the districts whose coverage counts, the stations and
 * benches measured, the stock-out and offline alerts that took time off, the work orders
 * dispatched in the month (双十) and the citizens' reports' orders (处置率, 反馈率).
 */
export interface MeasureSources {
  districts: string[];
  stations: string[];
  benches: string[];
  alerts: string[];
  orders: string[];
  reports: string[];
}

export interface PartScore {
  /** the measured figure the score comes from (a share 0–1, or hours per station) */
  value: number;
  /** 0–100 */
  score: number;
}

const pct = (share: number) => clamp(share * 100);
const clamp = (x: number) => Math.min(100, Math.max(0, x));

/**
 * Every part on 0–100, higher is better:
 * - coverage, uptimes, 双十 share met, 处置率, 反馈率: the share × 100;
 * - stock-out: 100 × (1 − hours per station / cap), at least 0 (cap: RankingConfig.stock_out_cap_hours).
 * A part with nothing to measure is null (and dropped from the weighting).
 */
export function normalise(m: Measures, cfg: RankingConfig): Record<DigitalPart, PartScore | null> {
  const share = (num: number, den: number): PartScore | null => (den > 0 ? { value: num / den, score: pct(num / den) } : null);
  let stock: PartScore | null = null;
  if (m.stock_out && m.stock_out.stations > 0) {
    const perStation = m.stock_out.hours / m.stock_out.stations;
    stock = { value: perStation, score: clamp(100 * (1 - perStation / cfg.stock_out_cap_hours)) };
  }
  return {
    coverage: m.coverage && m.coverage.population > 0 ? { value: m.coverage.share, score: pct(m.coverage.share) } : null,
    station_uptime: m.station_uptime ? share(m.station_uptime.up_hours, m.station_uptime.opening_hours) : null,
    bench_uptime: m.bench_uptime ? share(m.bench_uptime.charged_hours, m.bench_uptime.hours) : null,
    stock_out: stock,
    sla: m.sla && m.sla.share_met !== null ? { value: m.sla.share_met, score: pct(m.sla.share_met) } : null,
    handling: m.reports ? share(m.reports.handled, m.reports.opened) : null,
    feedback: m.reports ? share(m.reports.answered, m.reports.opened) : null,
  };
}
