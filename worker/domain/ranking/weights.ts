/**
 * The ranking's configuration: weights of the digital parts per kind of unit, the weights that
 * combine the digital score with the hand-entered ones, and the targets the parts are measured
 * against. Pure data; the defaults are documented in docs/rankings.md.
 */

/** The digital (system-data) parts, each normalised to 0–100. */
export const DIGITAL_PARTS = ['coverage', 'station_uptime', 'bench_uptime', 'stock_out', 'sla', 'handling', 'feedback'] as const;
export type DigitalPart = (typeof DIGITAL_PARTS)[number];

/** The sources of the final score: the digital score and the three entered by hand. */
export const FINAL_PARTS = ['third_party', 'digital', 'departmental', 'assessment_office'] as const;
export type FinalPart = (typeof FINAL_PARTS)[number];
export const MANUAL_SOURCES = ['third_party', 'departmental', 'assessment_office'] as const;
export type ManualSource = (typeof MANUAL_SOURCES)[number];

/** units.kind, plus 'district' for the ranking of districts. */
export const WEIGHT_KINDS = ['street_office', 'sanitation', 'park_management', 'other', 'district'] as const;
export type WeightKind = (typeof WEIGHT_KINDS)[number];

export type PartWeights = Record<DigitalPart, number>;

export interface RankingConfig {
  /** Final score: third-party inspection, digital, departments, assessment office (Jinshui: 40/40/15/5). */
  final: Record<FinalPart, number>;
  /** Digital parts per kind of unit (the source's weights differ by kind). */
  digital: Record<WeightKind, PartWeights>;
  /** Stock-out hours per station in a month at which the stock-out part reaches 0. */
  stock_out_cap_hours: number;
  /** A bench hour counts as charged when its mean state of charge is above this (%). */
  bench_min_soc: number;
  /** A unit in the last `bottom_n` places this many months running is marked. */
  streak: { bottom_n: number; months: number };
}

export const DEFAULT_CONFIG: RankingConfig = {
  final: { third_party: 40, digital: 40, departmental: 15, assessment_office: 5 },
  digital: {
    // Street offices answer for the whole neighbourhood: reach and response weigh most.
    street_office: { coverage: 25, station_uptime: 15, bench_uptime: 10, stock_out: 10, sla: 20, handling: 10, feedback: 10 },
    // Sanitation offices run the stations: open, stocked, quick to respond.
    sanitation: { coverage: 10, station_uptime: 25, bench_uptime: 5, stock_out: 25, sla: 20, handling: 10, feedback: 5 },
    // Park management keeps the benches charged.
    park_management: { coverage: 10, station_uptime: 10, bench_uptime: 35, stock_out: 5, sla: 20, handling: 10, feedback: 10 },
    other: { coverage: 20, station_uptime: 15, bench_uptime: 15, stock_out: 15, sla: 15, handling: 10, feedback: 10 },
    district: { coverage: 25, station_uptime: 15, bench_uptime: 10, stock_out: 10, sla: 20, handling: 10, feedback: 10 },
  },
  stock_out_cap_hours: 72,
  bench_min_soc: 20,
  streak: { bottom_n: 3, months: 3 },
};

/** A stored partial configuration laid over the defaults, key by key. */
export function mergeConfig(stored: Partial<RankingConfig> | null | undefined): RankingConfig {
  if (!stored) return DEFAULT_CONFIG;
  const digital = { ...DEFAULT_CONFIG.digital };
  for (const k of WEIGHT_KINDS) if (stored.digital?.[k]) digital[k] = { ...DEFAULT_CONFIG.digital[k], ...stored.digital[k] };
  return {
    final: { ...DEFAULT_CONFIG.final, ...stored.final },
    digital,
    stock_out_cap_hours: stored.stock_out_cap_hours ?? DEFAULT_CONFIG.stock_out_cap_hours,
    bench_min_soc: stored.bench_min_soc ?? DEFAULT_CONFIG.bench_min_soc,
    streak: { ...DEFAULT_CONFIG.streak, ...stored.streak },
  };
}
