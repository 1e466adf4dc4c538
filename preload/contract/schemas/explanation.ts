/**
 * The score taken apart, model hm-1 (docs/scoring-method.md): what main/domain/scoring.ts builds
 * beside every score and the network card shows. The domain takes its types from these schemas,
 * so the explanation has one shape everywhere, and main's output check refuses a card whose
 * explanation has drifted from it (an extra, missing or mistyped field). Built entirely by main
 * from the records; it names offences by id and category, never people. Pure zod.
 * Keys are listed in the order the domain writes them.
 */
import { z } from 'zod';
import {
  ASSESSED_DIMENSIONS,
  BANDS,
  CAPABILITY_DIMENSIONS,
  CONFIDENCE_LEVELS,
  GATES,
  INTEL_GRADES,
  OVERRIDE_STANDINGS,
  SOURCE_GRADES,
  STAGES,
  WEAPONS,
} from '../vocabulary';

const band = z.enum(BANDS);
const confidenceLevel = z.enum(CONFIDENCE_LEVELS);

export const offenceExplanation = z.strictObject({
  id: z.string(),
  category: z.string(),
  date: z.string(),
  stage: z.enum(STAGES),
  weapon: z.enum(WEAPONS),
  isHomicide: z.boolean(),
  /** Weight in harm-days from the weight table. */
  w: z.number(),
  /** Evidential stage factor. */
  s: z.number(),
  /** Whole days from the offence date to the as-of date (negative when future-dated). */
  ageDays: z.int(),
  /** Recency decay; null when the offence is not in the window (or is a duplicate). */
  d: z.number().nullable(),
  contribution: z.number(),
  isInWindow: z.boolean(),
  isIncluded: z.boolean(),
  exclusion: z.enum(['duplicate', 'future_dated', 'outside_window', 'stage_scores_zero']).nullable(),
  reason: z.string(),
});
export type OffenceExplanation = z.infer<typeof offenceExplanation>;
export type OffenceExclusion = NonNullable<OffenceExplanation['exclusion']>;

export const ratingExplanation = z.strictObject({
  dimension: z.enum(ASSESSED_DIMENSIONS),
  label: z.string(),
  value: z.int(),
  /** The value that went into the sum: 1 for an unsupported rating of 2 or more. */
  countedValue: z.int(),
  needsSupport: z.boolean(),
  isSupported: z.boolean(),
  isFlaggedUnsupported: z.boolean(),
  supportingItems: z.array(
    z.strictObject({
      id: z.string(),
      source: z.literal(SOURCE_GRADES),
      intelligence: z.enum(INTEL_GRADES),
      isQualifying: z.boolean(),
    }),
  ),
  reason: z.string(),
});
export type RatingExplanation = z.infer<typeof ratingExplanation>;

export const capabilityExplanation = z.strictObject({
  dimension: z.enum(CAPABILITY_DIMENSIONS),
  label: z.string(),
  value: z.int(),
});
export type CapabilityExplanation = z.infer<typeof capabilityExplanation>;

export const confidenceExplanation = z.strictObject({
  level: confidenceLevel,
  reason: z.string(),
  convictedOffenceIds: z.array(z.string()),
  /** Items graded source 1–2 and intelligence A–B. */
  qualifyingItemIds: z.array(z.string()),
  distinctQualifyingSourceIds: z.array(z.string()),
});
export type ConfidenceExplanation = z.infer<typeof confidenceExplanation>;

export const gateExplanation = z.strictObject({
  gate: z.enum(GATES),
  isTriggered: z.boolean(),
  hasChangedBand: z.boolean(),
  bandBefore: band,
  bandAfter: band,
  offenceIds: z.array(z.string()),
  reason: z.string(),
});
export type GateExplanation = z.infer<typeof gateExplanation>;

export const overrideExplanation = z.strictObject({
  status: z.enum(OVERRIDE_STANDINGS),
  band: band.nullable(),
  expiresOn: z.string().nullable(),
  /** Why the override is or is not in force; every problem is listed when invalid. */
  reasons: z.array(z.string()),
});
export type OverrideExplanation = z.infer<typeof overrideExplanation>;
export type OverrideStatus = OverrideExplanation['status'];

export const scoreParts = z.strictObject({
  /** Evidenced harm in harm-days, Σ w·s·d. */
  eh: z.number(),
  ehPts: z.number(),
  /** Σ of the five assessed ratings as counted (unsupported ones as 1). */
  ah: z.number(),
  ahPts: z.number(),
  cap: z.number(),
  capPts: z.number(),
  /** Full precision; show to one decimal. */
  score: z.number(),
  /** Band from the score alone, before gates. */
  scoreBand: band,
  /** Computed band: the score band after the gates. */
  band,
  /** The band in use: the override while it is in force, otherwise `band`. */
  effectiveBand: band,
  confidence: confidenceLevel,
});
export type ScoreParts = z.infer<typeof scoreParts>;

export const scoreExplanation = z.strictObject({
  model: z.literal('hm-1'),
  weightTable: z.strictObject({ id: z.string(), version: z.string() }),
  asOf: z.string(),
  window: z.strictObject({
    months: z.int(),
    /** Offences dated after this day (exclusive) and on or before `asOf` count. */
    startsAfter: z.string(),
    gateMonths: z.int(),
    gateStartsAfter: z.string(),
  }),
  offences: z.array(offenceExplanation),
  assessed: z.array(ratingExplanation),
  capability: z.array(capabilityExplanation),
  confidence: confidenceExplanation,
  gates: z.array(gateExplanation),
  override: overrideExplanation,
  parts: scoreParts,
});
export type ScoreExplanation = z.infer<typeof scoreExplanation>;
