import { normalise, type Measures } from './parts.ts';
import { inBottom, lowStreak, rankRows, round2, weighted, type Flag } from './score.ts';
import {
  DIGITAL_PARTS,
  FINAL_PARTS,
  type DigitalPart,
  type FinalPart,
  type ManualSource,
  type RankingConfig,
  type WeightKind,
} from './weights.ts';

/** A district or responsible unit with what was measured and entered for the month. */
export interface Entity {
  key: string;
  name: string;
  kind: WeightKind;
  measures: Measures;
  manual: Partial<Record<ManualSource, number>>;
}

export interface PartFigure {
  /** the measured figure (share 0–1, or stock-out hours per station); null without data */
  value: number | null;
  /** 0–100; null without data */
  score: number | null;
  /** weight actually applied (0–1, after dropping parts without data) */
  weight: number;
}

export interface RankingRow {
  key: string;
  name: string;
  kind: WeightKind;
  score: number | null;
  rank: number | null;
  flag: Flag;
  /** months in a row, ending with this one, in the bottom places (0 = not in them now) */
  low_streak: number;
  /** low_streak reached the configured number of months */
  low_marked: boolean;
  parts: Record<FinalPart | DigitalPart, PartFigure>;
  figures: Measures;
}

/**
 * Final score = weighted(third-party, digital, departmental, assessment office) with the city's
 * weights; digital = weighted(parts normalised to 0–100) with the weights of the entity's kind.
 * Either way a part without data is dropped and the rest re-weighted (score.ts `weighted`).
 */
export function scoreEntity(e: Entity, cfg: RankingConfig): Omit<RankingRow, 'rank' | 'flag' | 'low_streak' | 'low_marked'> {
  const normal = normalise(e.measures, cfg);
  const digitalScores = Object.fromEntries(DIGITAL_PARTS.map((p) => [p, normal[p]?.score ?? null])) as Record<DigitalPart, number | null>;
  const digital = weighted(digitalScores, cfg.digital[e.kind]);
  const finalScores: Record<FinalPart, number | null> = {
    third_party: e.manual.third_party ?? null,
    digital: digital.score,
    departmental: e.manual.departmental ?? null,
    assessment_office: e.manual.assessment_office ?? null,
  };
  const final = weighted(finalScores, cfg.final);
  const parts = {} as Record<FinalPart | DigitalPart, PartFigure>;
  for (const p of FINAL_PARTS) parts[p] = { value: finalScores[p], score: finalScores[p], weight: round4(final.effective[p]) };
  for (const p of DIGITAL_PARTS) {
    const n = normal[p];
    parts[p] = { value: n ? round4(n.value) : null, score: n ? round2(n.score) : null, weight: round4(digital.effective[p]) };
  }
  return { key: e.key, name: e.name, kind: e.kind, score: final.score, parts, figures: e.measures };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Score, rank and flag a month's entities. `history`: earlier months' bottom-place membership,
 * newest first (see score.ts lowStreak).
 */
export function buildRanking(
  entities: readonly Entity[],
  cfg: RankingConfig,
  history: ReadonlyArray<ReadonlyMap<string, boolean>> = [],
): RankingRow[] {
  const ranked = rankRows(entities.map((e) => scoreEntity(e, cfg)));
  const count = ranked.filter((r) => r.rank !== null).length;
  return ranked.map((r) => {
    const streak = lowStreak(r.key, inBottom(r.rank, count, cfg.streak.bottom_n), history);
    return { ...r, low_streak: streak, low_marked: streak >= cfg.streak.months };
  });
}

/** Which keys of a finished ranking were in the bottom places (for the next months' streaks). */
export function bottomOf(rows: ReadonlyArray<Pick<RankingRow, 'key' | 'rank'>>, n: number): Map<string, boolean> {
  const count = rows.filter((r) => r.rank !== null).length;
  return new Map(rows.map((r) => [r.key, inBottom(r.rank, count, n)]));
}
