/**
 * Reviews of member links, gang flags and networks (docs/specification.md, "Governance the
 * software enforces"): what is due, the evidence a review judges, and the review itself. Main
 * judges the evidence (main/domain/review-rules.ts); the dialog shows main's sentence.
 */
import { z } from 'zod';

export const REVIEW_KINDS = ['membership', 'gang_flag', 'network'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const REVIEW_OUTCOMES = ['retain', 'end'] as const;

const recordId = z.string().min(1).max(64);
const reviewKind = z.enum(REVIEW_KINDS);

export const dueInput = z.object({ withinDays: z.number().int().min(0).max(90).optional() }).strict();

/** One record due (or soon due) for review. Names only as the record's own screen shows them. */
export const dueRow = z.object({
  kind: reviewKind,
  id: z.string(),
  /** A person's reference, an offence's crime reference, or a network's reference. */
  reference: z.string(),
  /** The person's or network's name, as the network card shows it; null for an offence. */
  label: z.string().nullable(),
  networkId: z.string().nullable(),
  networkReference: z.string().nullable(),
  dueOn: z.string(),
  isOverdue: z.boolean(),
  isUnder18: z.boolean(),
});
export type DueRow = z.infer<typeof dueRow>;

export const evidenceInput = z
  .object({
    kind: reviewKind,
    id: recordId,
    /** The items ticked as re-checked; omitted: judge every item the record can be reviewed on. */
    intelIds: z.array(recordId).max(500).optional(),
  })
  .strict();

export const reviewEvidenceItem = z.object({
  id: z.string(),
  reference: z.string(),
  itemDate: z.string(),
  grading: z.string(),
  /** "B2", "5x5x5: 3" and so on; no summary text. */
  grade: z.string(),
  isQualifying: z.boolean(),
  isInWindow: z.boolean(),
  /** Cited by the record itself (rather than held against its network or re-checked at an earlier review). */
  isCited: z.boolean(),
});

export const reviewEvidence = z.object({
  kind: reviewKind,
  id: z.string(),
  reference: z.string(),
  networkReference: z.string().nullable(),
  dueOn: z.string(),
  isUnder18: z.boolean(),
  windowFrom: z.string(),
  needed: z.number().int(),
  items: z.array(reviewEvidenceItem),
  /** The items judged (those given, or all). */
  judged: z.array(z.string()),
  isMet: z.boolean(),
  missing: z.array(z.string()),
  sentence: z.string(),
  /** What retaining would set the next review to; null when nothing may retain it. */
  nextReviewOn: z.string().nullable(),
  /** Why nothing may retain it (the evidence ceiling has passed), or null. */
  ceilingRefusal: z.string().nullable(),
  /** What ending does: "ended", "removed" or "archived". */
  endsAs: z.string(),
});
export type ReviewEvidence = z.infer<typeof reviewEvidence>;

export const reviewRecord = z.object({
  id: z.string(),
  subjectKind: reviewKind,
  subjectId: z.string(),
  reviewedOn: z.string(),
  reviewedAt: z.string(),
  reviewerId: z.string(),
  outcome: z.enum(REVIEW_OUTCOMES),
  reason: z.string(),
  retainedWithoutEvidence: z.boolean(),
  nextReviewOn: z.string().nullable(),
  policyVersion: z.string(),
  intelIds: z.array(z.string()),
});

export const reviewResult = z.object({ review: reviewRecord, status: z.string(), sentence: z.string() });
