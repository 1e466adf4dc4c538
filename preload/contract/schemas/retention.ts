/**
 * The retention run and its forecast (main/services/retention.service.ts; docs/user-guide.md,
 * "Retention"). Ids, references, kinds and days only: never a name.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates';
import { ERASE_KINDS } from '../vocabulary';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-06-30.')
  .refine((d) => isIsoDate(d), 'That is not a real date.');

/** Run the retention steps for a day. A day other than today, or `dryRun`, only reports what would happen. */
export const retentionRunInput = z
  .object({
    asOf: day.optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

/** What the forecast looks ahead over: `days` days from the day after `from` (today by default). */
export const retentionForecastInput = z
  .object({
    from: day.optional(),
    days: z.number().int().min(1, 'Look at least 1 day ahead.').max(90, 'Look at most 90 days ahead.').optional(),
  })
  .strict();

export const RETENTION_STEPS = ['lapse', 'archive', 'erase'] as const;
export type RetentionStep = (typeof RETENTION_STEPS)[number];

export const RETENTION_REASONS = ['review_overdue', 'below_threshold', 'ended_retention', 'inactive_person', 'archived_retention', 'unlinked_offence', 'uncited_intelligence', 'evidence_ceiling'] as const;
export type RetentionReason = (typeof RETENTION_REASONS)[number];

/** One thing the run does (or would do): the step, the kind of record, its id and reference, why, and the day. */
export const retentionItem = z.object({
  day: z.string(),
  step: z.enum(RETENTION_STEPS),
  kind: z.enum(ERASE_KINDS),
  id: z.string(),
  reference: z.string(),
  reason: z.enum(RETENTION_REASONS),
  /** The date the reason runs from: the review due date, below threshold since, ended on, latest evidence. */
  since: z.string(),
});
export type RetentionItem = z.infer<typeof retentionItem>;

export const retentionRunResult = z.object({
  day: z.string(),
  isDryRun: z.boolean(),
  policyVersion: z.string(),
  lapsed: z.number().int(),
  archived: z.number().int(),
  erased: z.number().int(),
  items: z.array(retentionItem),
  summary: z.string(),
});
export type RetentionRunResult = z.infer<typeof retentionRunResult>;

export const retentionForecast = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ day: z.string(), lapsed: z.number().int(), archived: z.number().int(), erased: z.number().int() })),
  items: z.array(retentionItem),
  totals: z.object({ lapsed: z.number().int(), archived: z.number().int(), erased: z.number().int() }),
});
export type RetentionForecast = z.infer<typeof retentionForecast>;
