import { z } from '@hono/zod-openapi';
import { DIGITAL_PARTS, FINAL_PARTS, MANUAL_SOURCES, WEIGHT_KINDS } from '../domain/ranking/weights.ts';
import { MONTH_RE } from '../domain/ranking/month.ts';
import { Id } from './common.ts';

export const Month = z.string().regex(MONTH_RE, 'must be a month YYYY-MM').openapi({ example: '2026-06' });
const By = z.enum(['district', 'unit']);

export const RankingQuery = z.object({
  month: Month.optional().openapi({
    description: 'The local calendar month; default: the last full month',
    param: { name: 'month', in: 'query' },
  }),
  by: By.default('unit').openapi({ param: { name: 'by', in: 'query' } }),
});

export const MonthParam = z.object({ month: Month.openapi({ param: { name: 'month', in: 'path' } }) });

export const HistoryQuery = z.object({
  by: By.default('unit').openapi({ param: { name: 'by', in: 'query' } }),
  months: z.coerce
    .number()
    .int()
    .min(1)
    .max(24)
    .default(6)
    .openapi({ description: 'How many months back from `to`', param: { name: 'months', in: 'query' } }),
  to: Month.optional().openapi({ description: 'The newest month; default: the last full month', param: { name: 'to', in: 'query' } }),
});

const PartFigure = z.object({
  value: z
    .number()
    .nullable()
    .openapi({ description: 'The measured figure: a share 0–1, stock-out hours per station, or the entered score' }),
  score: z.number().nullable().openapi({ description: '0–100; null without data (the part is then dropped and the rest re-weighted)' }),
  weight: z.number().openapi({ description: 'Weight applied, 0–1, after dropping parts without data' }),
});

export const RankingRowSchema = z.object({
  key: z.string(),
  name: z.string(),
  kind: z.enum(WEIGHT_KINDS),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  flag: z.enum(['red', 'black']).nullable(),
  low_streak: z.number().int().openapi({ description: 'Months in a row, ending with this one, in the bottom places' }),
  low_marked: z.boolean(),
  parts: z.record(z.enum([...FINAL_PARTS, ...DIGITAL_PARTS]), PartFigure),
  figures: z
    .record(z.string(), z.unknown())
    .openapi({ description: 'The raw measures behind each part (hours, counts, response-time medians and p90)' }),
});

export const RankingAnswer = z
  .object({
    month: z.string(),
    by: By,
    weights: z.record(z.string(), z.unknown()),
    computed_at: z.string(),
    published: z
      .object({ at: z.string(), by: z.string() })
      .nullable()
      .openapi({ description: 'Set once the month is published: the answer is then the stored snapshot' }),
    rows: z.array(RankingRowSchema),
  })
  .openapi('Ranking');

export const ScoresBody = z
  .object({
    scores: z
      .array(
        z.object({
          unit: Id,
          source: z
            .enum(MANUAL_SOURCES)
            .openapi({ description: 'third_party (第三方督查), departmental (部门考核), assessment_office (考核办)' }),
          score: z.number().min(0).max(100).nullable().openapi({ description: '0–100; null removes the entry' }),
          note: z.string().max(500).optional(),
        }),
      )
      .min(1)
      .max(500),
  })
  .openapi('RankingScores');

export const ScoresAnswer = z.object({
  month: z.string(),
  published: z.boolean().openapi({ description: 'true: the month is published; the entered scores apply at the next recompute' }),
  scores: z.array(
    z.object({
      unit: z.string(),
      source: z.enum(MANUAL_SOURCES),
      score: z.number(),
      note: z.string().nullable(),
      entered_by: z.string(),
      entered_at: z.string(),
    }),
  ),
});

export const RecomputeBody = z.object({ reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(1000) });

export const PublishAnswer = z.object({
  month: z.string(),
  published: z.object({ at: z.string(), by: z.string() }),
  log: z.array(
    z.object({
      id: z.string(),
      action: z.enum(['publish', 'recompute']),
      reason: z.string().nullable(),
      at: z.string(),
      by: z.string(),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
});

export const HistoryAnswer = z.object({
  by: By,
  months: z.array(
    z.object({
      month: z.string(),
      published: z.boolean(),
      rows: z.array(
        RankingRowSchema.pick({ key: true, name: true, score: true, rank: true, flag: true, low_streak: true, low_marked: true }),
      ),
    }),
  ),
});

const Weights = (keys: readonly string[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.number().min(0).max(1000)]))).partial();
export const SettingsBody = z
  .object({
    final: Weights(FINAL_PARTS),
    digital: z.object(Object.fromEntries(WEIGHT_KINDS.map((k) => [k, Weights(DIGITAL_PARTS)]))).partial(),
    stock_out_cap_hours: z.number().positive().max(744),
    bench_min_soc: z.number().min(0).max(100),
    streak: z.object({ bottom_n: z.number().int().min(1).max(100), months: z.number().int().min(1).max(12) }).partial(),
  })
  .partial()
  .strict()
  .openapi('RankingSettings');
