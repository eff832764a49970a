import { z } from '@hono/zod-openapi';
import { IdPath } from './common.ts';

export const ReportCategory = z.enum(['empty', 'broken', 'dirty', 'closed', 'other']).openapi({
  description: 'empty: out of stock (缺货); broken; dirty; closed: closed when it should be open; other',
});

export const NewPublicReport = z
  .object({
    site: IdPath.max(64).openapi({ description: 'A station id, or a bench id', example: 'station-01' }),
    category: ReportCategory,
    text: z.string().trim().max(1000).optional().openapi({ description: 'What is wrong, in the reporter’s words (≤ 1000 characters)' }),
  })
  .strict()
  .openapi('NewPublicReport');

export const PublicReportCreated = z
  .object({
    id: z.string().openapi({ description: 'The reporter’s reference: unguessable, for GET /api/v1/public/reports/{id}' }),
    work_order: z.string().openapi({ description: 'The work order it opened, at step reported' }),
  })
  .openapi('PublicReportCreated');

export const PublicReportState = z
  .object({
    id: z.string(),
    site: z.string(),
    category: ReportCategory,
    state: z
      .enum(['received', 'being_handled', 'done'])
      .openapi({ description: 'received (reported, registered); being_handled (dispatched … checked); done (closed, evaluated)' }),
    photo: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('PublicReportState');

export const PhotoStored = z
  .object({ id: z.string(), photo: z.literal(true), bytes: z.number().int(), type: z.string() })
  .openapi('ReportPhotoStored');
