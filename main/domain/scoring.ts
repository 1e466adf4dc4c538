/**
 * Harm scoring, model hm-1 (docs/scoring-method.md; "Harm scoring, model hm-1").
 *
 * Pure: no I/O, no clock, no database. The as-of date, the weight table and every record are
 * parameters, so the same input always gives the same score and any past score can be
 * reproduced from the record of what was passed in. The unit scored is a network; nothing here
 * gives a person a score or a band.
 *
 * Cut-offs (all dates are calendar days; differences are whole UTC days):
 * - Evidenced-harm window: an offence counts when `asOf − 36 calendar months < date ≤ asOf`.
 *   "asOf − 36 months" keeps the day of the month, clamped to the end of a shorter month
 *   (see `addMonths`). As of 2026-06-30 the window starts after 2023-06-30: an offence on
 *   2023-07-01 counts, one on 2023-06-30 does not. Offences dated after asOf never count.
 * - Serious-violence gate: a linked homicide or firearm discharge forces at least Band B when
 *   `asOf − 12 calendar months < date ≤ asOf` (as of 2026-06-30: from 2025-07-01 inclusive).
 *   An offence whose stage is NFA or acquitted does not trigger it; intelligence-only does,
 *   because the link itself has been confirmed by an analyst on graded intelligence.
 * - Override: in force while `asOf ≤ expiresOn` (and on or after `approvedOn` when given);
 *   expired from the day after `expiresOn`.
 */
import { z } from 'zod';
import { addMonths, compareIsoDates, formatUkDate, isIsoDate, toEpochDay } from '../../preload/contract/dates';
import {
  ASSESSED_DIMENSION_LABELS,
  ASSESSED_DIMENSIONS,
  BANDS,
  CAPABILITY_DIMENSION_LABELS,
  CAPABILITY_DIMENSIONS,
  INTEL_GRADES,
  SOURCE_GRADES,
  STAGE_LABELS,
  STAGES,
  WEAPONS,
  type ConfidenceLevel,
} from '../../preload/contract/vocabulary';
// The explanation's shape is the shared layer's schema (the network card carries it to the
// renderer, and main's output check holds every card to it); the domain builds exactly that.
import type {
  CapabilityExplanation,
  ConfidenceExplanation,
  GateExplanation,
  OffenceExclusion,
  OffenceExplanation,
  OverrideExplanation,
  OverrideStatus,
  RatingExplanation,
  ScoreExplanation,
  ScoreParts,
} from '../../preload/contract/schemas/explanation';

export const MODEL_ID = 'hm-1' as const;
/** Evidenced harm looks back this many calendar months from the as-of date. */
export const EH_WINDOW_MONTHS = 36;
/** A homicide or firearm discharge this recent forces at least Band B. */
export const SERIOUS_VIOLENCE_GATE_MONTHS = 12;
export const EH_PTS_MAX = 60;
export const AH_PTS_PER_RATING_POINT = 1.25;
/** Lower bounds of the bands; a score equal to a bound is in the higher band. */
export const BAND_THRESHOLDS = { A: 60, B: 40, C: 20 } as const;

// ---------------------------------------------------------------------------------------------
// Vocabularies
// ---------------------------------------------------------------------------------------------

// The code lists and their words are the shared vocabulary's (preload/contract/vocabulary.ts);
// the domain parses with enums built from those lists, in their order.

export const evidentialStage = z.enum(STAGES);
export type EvidentialStage = z.infer<typeof evidentialStage>;

/** `s` in `w × s × d`. Intelligence only, NFA and acquitted carry no evidenced harm. */
export const STAGE_FACTORS: Readonly<Record<EvidentialStage, number>> = {
  convicted: 1,
  charged: 0.8,
  arrested: 0.5,
  intelligence: 0,
  nfa: 0,
  acquitted: 0,
};

export const weaponInvolved = z.enum(WEAPONS);
export type WeaponInvolved = z.infer<typeof weaponInvolved>;

/** 3x5x2 source evaluation: 1 reliable, 2 untested, 3 not reliable. */
export const sourceGrade = z.literal(SOURCE_GRADES, { error: 'source grade must be 1, 2 or 3' });
export type SourceGrade = z.infer<typeof sourceGrade>;

/** 3x5x2 intelligence assessment A (known directly) to E (suspected false). */
export const intelligenceGrade = z.enum(INTEL_GRADES, {
  error: 'intelligence grade must be one of A, B, C, D or E',
});
export type IntelligenceGrade = z.infer<typeof intelligenceGrade>;

export const band = z.enum(BANDS);
export type Band = z.infer<typeof band>;

export type { ConfidenceLevel };

export const assessedDimension = z.enum(ASSESSED_DIMENSIONS);
export type AssessedDimension = z.infer<typeof assessedDimension>;

export const capabilityDimension = z.enum(CAPABILITY_DIMENSIONS);
export type CapabilityDimension = z.infer<typeof capabilityDimension>;

// ---------------------------------------------------------------------------------------------
// Input schemas
// ---------------------------------------------------------------------------------------------

export const isoDate = z
  .string({ error: 'must be a date written YYYY-MM-DD' })
  .refine(isIsoDate, { error: 'must be a real calendar date written YYYY-MM-DD' });

const id = z.string({ error: 'must be a non-empty text id' }).min(1, { error: 'must not be empty' });

export const categoryId = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a snake_case offence category id' });

export const weightTable = z
  .strictObject({
    id,
    version: id,
    weights: z.record(
      categoryId,
      z.number({ error: 'weight must be a finite number of harm-days' }).nonnegative({
        error: 'weight must not be negative',
      }),
    ),
  })
  .refine((t) => Object.keys(t.weights).length > 0, {
    error: 'weight table has no categories',
    path: ['weights'],
  });
export type WeightTable = z.infer<typeof weightTable>;

export const scoredOffence = z.strictObject({
  id,
  category: categoryId,
  date: isoDate,
  stage: evidentialStage,
  weapon: weaponInvolved,
  /** Optional: a category other than `homicide` may still record a homicide. */
  isHomicide: z.boolean().optional(),
});
export type ScoredOffence = z.infer<typeof scoredOffence>;

export const gradedItem = z.strictObject({
  id,
  source: sourceGrade,
  intelligence: intelligenceGrade,
});
export type GradedItem = z.infer<typeof gradedItem>;

export const assessedRating = z.strictObject({
  dimension: assessedDimension,
  value: z
    .int({ error: 'assessed rating must be a whole number from 0 to 4' })
    .min(0, { error: 'assessed rating must be from 0 to 4' })
    .max(4, { error: 'assessed rating must be from 0 to 4' }),
  supportingItems: z.array(gradedItem).default([]),
});
export type AssessedRating = z.infer<typeof assessedRating>;

export const capabilityRating = z.strictObject({
  dimension: capabilityDimension,
  value: z
    .int({ error: 'capability rating must be a whole number from 0 to 3' })
    .min(0, { error: 'capability rating must be from 0 to 3' })
    .max(3, { error: 'capability rating must be from 0 to 3' }),
});
export type CapabilityRating = z.infer<typeof capabilityRating>;

/** An intelligence item held against the network, for the confidence rating. */
export const confidenceItem = z.strictObject({
  id,
  /** Identity of the source (not its grade): two items from one source are one source. */
  sourceId: id,
  source: sourceGrade,
  intelligence: intelligenceGrade,
});
export type ConfidenceItem = z.infer<typeof confidenceItem>;

/**
 * A band override as stored. Missing approver, reason or expiry make the override invalid
 * (reported in the explanation) rather than rejecting the whole scoring run, so one bad
 * override cannot stop a rescore of the matrix.
 */
export const bandOverride = z.strictObject({
  band,
  reason: z.string().nullish(),
  authorId: z.string().nullish(),
  approverId: z.string().nullish(),
  /** Role the approver held when approving; only `supervisor` may approve. */
  approverRole: z.string().nullish(),
  expiresOn: isoDate.nullish(),
  /** When given, the override is not in force before this date (keeps past scores reproducible). */
  approvedOn: isoDate.nullish(),
});
export type BandOverride = z.infer<typeof bandOverride>;

export const scoringInput = z
  .strictObject({
    asOf: isoDate,
    weightTable,
    /** Offences with a confirmed link to the network. The same offence may appear once per link. */
    offences: z.array(scoredOffence),
    assessed: z.array(assessedRating),
    capability: z.array(capabilityRating),
    intelligenceItems: z.array(confidenceItem).default([]),
    override: bandOverride.nullish(),
  })
  .superRefine((input, ctx) => {
    requireEachDimensionOnce(
      input.assessed.map((r) => r.dimension),
      assessedDimension.options,
      'assessed',
      ctx,
    );
    requireEachDimensionOnce(
      input.capability.map((r) => r.dimension),
      capabilityDimension.options,
      'capability',
      ctx,
    );

    const known = input.weightTable.weights;
    input.offences.forEach((offence, i) => {
      if (!Object.hasOwn(known, offence.category)) {
        ctx.addIssue({
          code: 'custom',
          path: ['offences', i, 'category'],
          message: `unknown offence category "${offence.category}" (not in weight table ${input.weightTable.id} version ${input.weightTable.version})`,
        });
      }
    });

    // The same id passed twice must describe the same offence (one per member link);
    // differing copies mean the caller joined the wrong rows, and silently keeping one
    // would make the score depend on row order.
    requireConsistentDuplicates(input.offences, 'offences', offenceKey, ctx);
    requireConsistentDuplicates(input.intelligenceItems, 'intelligenceItems', itemKey, ctx);
  });
export type ScoringInput = z.input<typeof scoringInput>;
export type ParsedScoringInput = z.output<typeof scoringInput>;

function requireEachDimensionOnce(
  given: readonly string[],
  expected: readonly string[],
  field: string,
  ctx: z.RefinementCtx,
): void {
  for (const dimension of expected) {
    const count = given.filter((d) => d === dimension).length;
    if (count !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message:
          count === 0
            ? `missing the "${dimension}" rating (all five ratings are required)`
            : `the "${dimension}" rating is given ${count} times (give it once)`,
      });
    }
  }
}

function offenceKey(o: ScoredOffence): string {
  return JSON.stringify([o.category, o.date, o.stage, o.weapon, o.isHomicide ?? null]);
}

function itemKey(i: ConfidenceItem): string {
  return JSON.stringify([i.sourceId, i.source, i.intelligence]);
}

function requireConsistentDuplicates<T extends { id: string }>(
  rows: readonly T[],
  field: string,
  key: (row: T) => string,
  ctx: z.RefinementCtx,
): void {
  const first = new Map<string, string>();
  rows.forEach((row, i) => {
    const k = key(row);
    const seen = first.get(row.id);
    if (seen === undefined) first.set(row.id, k);
    else if (seen !== k) {
      ctx.addIssue({
        code: 'custom',
        path: [field, i],
        message: `"${row.id}" appears more than once with different details`,
      });
    }
  });
}

export interface ScoringIssue {
  path: string;
  message: string;
}

/** Thrown when scoring input fails validation; `issues` lists every problem found. */
export class ScoringInputError extends Error {
  readonly issues: readonly ScoringIssue[];
  constructor(issues: readonly ScoringIssue[]) {
    super(`Scoring input rejected: ${issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ')}`);
    this.name = 'ScoringInputError';
    this.issues = issues;
  }
}

/** Validate scoring input; throws `ScoringInputError` listing every problem. */
export function parseScoringInput(input: unknown): ParsedScoringInput {
  const result = scoringInput.safeParse(input);
  if (!result.success) {
    throw new ScoringInputError(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Output types
// ---------------------------------------------------------------------------------------------


export interface HarmScore {
  model: typeof MODEL_ID;
  asOf: string;
  weightTable: { id: string; version: string };
  score: number;
  scoreBand: Band;
  band: Band;
  effectiveBand: Band;
  confidence: ConfidenceLevel;
  explanation: ScoreExplanation;
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

export const BAND_RANK: Readonly<Record<Band, number>> = { below_threshold: 0, C: 1, B: 2, A: 3 };

/** The band for a score alone: A ≥ 60, B ≥ 40, C ≥ 20, otherwise below threshold. */
export function bandForScore(score: number): Band {
  if (!Number.isFinite(score)) throw new RangeError(`Score is not a finite number: ${score}`);
  if (score >= BAND_THRESHOLDS.A) return 'A';
  if (score >= BAND_THRESHOLDS.B) return 'B';
  if (score >= BAND_THRESHOLDS.C) return 'C';
  return 'below_threshold';
}

/** `d = 0.5 ^ (age_months / 12)` with `age_months = age_days / 365.25 × 12`. */
export function recencyDecay(ageDays: number): number {
  const ageMonths = (ageDays / 365.25) * 12;
  return Math.pow(0.5, ageMonths / 12);
}

/** `EH_pts = min(60, 12 × log10(1 + EH))`. */
export function evidencedHarmPoints(eh: number): number {
  return Math.min(EH_PTS_MAX, 12 * Math.log10(1 + eh));
}

/** Source 1–2 and intelligence A–C: enough to support an assessed rating of 2 or more. */
export function isRatingSupport(item: { source: number; intelligence: string }): boolean {
  return item.source <= 2 && ['A', 'B', 'C'].includes(item.intelligence);
}

/** Source 1–2 and intelligence A–B: counts towards confidence. */
export function isConfidenceGrade(item: { source: number; intelligence: string }): boolean {
  return item.source <= 2 && ['A', 'B'].includes(item.intelligence);
}

function isHomicideOffence(o: ScoredOffence): boolean {
  return o.isHomicide === true || o.category === 'homicide';
}

/**
 * Day number of an ISO date (`toEpochDay`), remembered: a full rescore converts the same few
 * thousand dates hundreds of thousands of times. Bounded, so odd inputs cannot grow it for ever.
 */
const epochDays = new Map<string, number>();
export function epochDay(date: string): number {
  let day = epochDays.get(date);
  if (day === undefined) {
    day = toEpochDay(date);
    if (epochDays.size >= 50_000) epochDays.clear();
    epochDays.set(date, day);
  }
  return day;
}

// Plain code-unit order, not localeCompare, so the order does not depend on the machine's locale.
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Score one network as of a date under model hm-1. Validates `input` first and throws
 * `ScoringInputError` on bad input.
 */
export function scoreNetwork(input: unknown): HarmScore {
  return scoreParsed(parseScoringInput(input));
}

/**
 * Score input the caller has already made well-formed: the vault's scoring read
 * (`store/scores.repo.ts`), whose stages, weapons, grades, rating values and dimensions come from
 * CHECK-constrained columns and whose shape is built in code, with the weight table validated once
 * when the reference data loads. Skips the zod parse, which at force scale cost several times the
 * scoring itself (BENCHMARKS.md, "Full rescore"). Everything else must use `scoreNetwork`.
 *
 * The one thing the schema does not constrain is still checked, cheaply, because it would
 * otherwise give a wrong number (NaN) rather than an error: an offence category missing from the
 * weight table. (A malformed date already throws in the date arithmetic.)
 */
export function scoreTrustedInput(input: ParsedScoringInput): HarmScore {
  const weights = input.weightTable.weights;
  for (let i = 0; i < input.offences.length; i++) {
    const category = input.offences[i]!.category;
    if (!Object.hasOwn(weights, category)) {
      throw new ScoringInputError([
        {
          path: `offences.${i}.category`,
          message: `unknown offence category "${category}" (not in weight table ${input.weightTable.id} version ${input.weightTable.version})`,
        },
      ]);
    }
  }
  return scoreParsed(input);
}

function scoreParsed(parsed: ParsedScoringInput): HarmScore {
  const { asOf } = parsed;
  const weights = parsed.weightTable.weights;
  const windowStartsAfter = addMonths(asOf, -EH_WINDOW_MONTHS);
  const gateStartsAfter = addMonths(asOf, -SERIOUS_VIOLENCE_GATE_MONTHS);

  // 1. Evidenced harm. Each offence's explanation is built as one literal (same fields, same
  // order, same values as before), with the day arithmetic done on day numbers and the reasons
  // that depend only on the as-of date written once: a full rescore explains some 500,000
  // offences, and per-offence spreads, date re-parsing and date formatting were most of its cost.
  const asOfDay = epochDay(asOf);
  const windowStartDay = epochDay(windowStartsAfter);
  const futureReason = `Dated after the as-of date (${formatUkDate(asOf)}).`;
  const outsideReason = `Outside the ${EH_WINDOW_MONTHS}-month window (counts only after ${formatUkDate(windowStartsAfter)}).`;
  const dateDays: number[] = new Array<number>(parsed.offences.length);
  const seen = new Set<string>();
  const offences: OffenceExplanation[] = parsed.offences.map((o, i) => {
    const w = weights[o.category] as number;
    const s = STAGE_FACTORS[o.stage];
    const dateDay = epochDay(o.date);
    dateDays[i] = dateDay;
    const ageDays = asOfDay - dateDay;
    const isHomicide = isHomicideOffence(o);
    if (seen.has(o.id)) {
      return {
        id: o.id, category: o.category, date: o.date, stage: o.stage, weapon: o.weapon, isHomicide, w, s, ageDays,
        d: null,
        contribution: 0,
        isInWindow: false,
        isIncluded: false,
        exclusion: 'duplicate' as const,
        reason: 'Already counted: the same offence is linked through another member.',
      };
    }
    seen.add(o.id);
    if (ageDays < 0) {
      return {
        id: o.id, category: o.category, date: o.date, stage: o.stage, weapon: o.weapon, isHomicide, w, s, ageDays,
        d: null,
        contribution: 0,
        isInWindow: false,
        isIncluded: false,
        exclusion: 'future_dated' as const,
        reason: futureReason,
      };
    }
    if (dateDay <= windowStartDay) {
      return {
        id: o.id, category: o.category, date: o.date, stage: o.stage, weapon: o.weapon, isHomicide, w, s, ageDays,
        d: null,
        contribution: 0,
        isInWindow: false,
        isIncluded: false,
        exclusion: 'outside_window' as const,
        reason: outsideReason,
      };
    }
    const d = recencyDecay(ageDays);
    if (s === 0) {
      return {
        id: o.id, category: o.category, date: o.date, stage: o.stage, weapon: o.weapon, isHomicide, w, s, ageDays,
        d,
        contribution: 0,
        isInWindow: true,
        isIncluded: false,
        exclusion: 'stage_scores_zero' as const,
        reason: `${STAGE_LABELS[o.stage]}: this evidential stage scores 0.`,
      };
    }
    return {
      id: o.id, category: o.category, date: o.date, stage: o.stage, weapon: o.weapon, isHomicide, w, s, ageDays,
      d,
      contribution: w * s * d,
      isInWindow: true,
      isIncluded: true,
      exclusion: null,
      reason: 'Counted.',
    };
  });

  // Sum in a canonical order (by id) so that the same offences read back in a different row
  // order give a bit-for-bit identical score; floating-point addition is not associative.
  const eh = offences
    .filter((o) => o.isIncluded)
    .sort((a, b) => compareIds(a.id, b.id))
    .reduce((sum, o) => sum + o.contribution, 0);
  const ehPts = evidencedHarmPoints(eh);

  // 2. Assessed harm, in the canonical dimension order.
  const assessed: RatingExplanation[] = assessedDimension.options.map((dimension) => {
    const rating = parsed.assessed.find((r) => r.dimension === dimension) as AssessedRating;
    const supportingItems = rating.supportingItems.map((item) => ({
      ...item,
      isQualifying: isRatingSupport(item),
    }));
    const needsSupport = rating.value >= 2;
    const isSupported = !needsSupport || supportingItems.some((i) => i.isQualifying);
    const isFlaggedUnsupported = needsSupport && !isSupported;
    return {
      dimension,
      label: ASSESSED_DIMENSION_LABELS[dimension],
      value: rating.value,
      countedValue: isFlaggedUnsupported ? 1 : rating.value,
      needsSupport,
      isSupported,
      isFlaggedUnsupported,
      supportingItems,
      reason: !needsSupport
        ? 'A rating of 0 or 1 needs no supporting intelligence.'
        : isSupported
          ? 'Supported by intelligence graded source 1 or 2 with intelligence A to C.'
          : 'Unsupported: a rating of 2 or more needs an item graded source 1 or 2 with intelligence A to C, so it counts as 1.',
    };
  });
  const ah = assessed.reduce((sum, r) => sum + r.countedValue, 0);
  const ahPts = AH_PTS_PER_RATING_POINT * ah;

  // 3. Capability.
  const capability: CapabilityExplanation[] = capabilityDimension.options.map((dimension) => ({
    dimension,
    label: CAPABILITY_DIMENSION_LABELS[dimension],
    value: (parsed.capability.find((r) => r.dimension === dimension) as CapabilityRating).value,
  }));
  const cap = capability.reduce((sum, r) => sum + r.value, 0);
  const capPts = cap;

  // 4. Score, at full precision.
  const score = ehPts + ahPts + capPts;

  // 5. Confidence.
  const confidence = assessConfidence(offences, parsed.intelligenceItems);

  // 6. Band and gates. Both gates refer to Band B, so their order does not change the result.
  const scoreBand = bandForScore(score);
  const lowConfidenceCap = applyLowConfidenceCap(scoreBand, confidence.level);
  const seriousViolenceFloor = applySeriousViolenceFloor(
    lowConfidenceCap.bandAfter,
    parsed.offences,
    dateDays,
    asOfDay,
    gateStartsAfter,
  );
  const computedBand = seriousViolenceFloor.bandAfter;

  const override = assessOverride(parsed.override ?? null, asOf);
  const effectiveBand = override.status === 'in_force' && override.band ? override.band : computedBand;

  const parts: ScoreParts = {
    eh,
    ehPts,
    ah,
    ahPts,
    cap,
    capPts,
    score,
    scoreBand,
    band: computedBand,
    effectiveBand,
    confidence: confidence.level,
  };
  const weightTableRef = { id: parsed.weightTable.id, version: parsed.weightTable.version };

  return {
    model: MODEL_ID,
    asOf,
    weightTable: weightTableRef,
    score,
    scoreBand,
    band: computedBand,
    effectiveBand,
    confidence: confidence.level,
    explanation: {
      model: MODEL_ID,
      weightTable: weightTableRef,
      asOf,
      window: {
        months: EH_WINDOW_MONTHS,
        startsAfter: windowStartsAfter,
        gateMonths: SERIOUS_VIOLENCE_GATE_MONTHS,
        gateStartsAfter,
      },
      offences,
      assessed,
      capability,
      confidence,
      gates: [lowConfidenceCap, seriousViolenceFloor],
      override,
      parts,
    },
  };
}

function assessConfidence(
  offences: readonly OffenceExplanation[],
  items: readonly ConfidenceItem[],
): ConfidenceExplanation {
  const convictedOffenceIds = offences
    .filter((o) => o.isIncluded && o.stage === 'convicted')
    .map((o) => o.id);

  const qualifying = new Map<string, ConfidenceItem>();
  for (const item of items) {
    if (isConfidenceGrade(item) && !qualifying.has(item.id)) qualifying.set(item.id, item);
  }
  const qualifyingItemIds = [...qualifying.keys()];
  const distinctQualifyingSourceIds = [...new Set([...qualifying.values()].map((i) => i.sourceId))];

  let level: ConfidenceLevel;
  let reason: string;
  if (convictedOffenceIds.length > 0) {
    level = 'high';
    reason = `High: ${convictedOffenceIds.length} convicted offence(s) in the window.`;
  } else if (distinctQualifyingSourceIds.length >= 2) {
    level = 'high';
    reason = `High: items from ${distinctQualifyingSourceIds.length} distinct sources graded source 1–2 and intelligence A–B.`;
  } else if (qualifyingItemIds.length >= 1) {
    level = 'medium';
    reason =
      qualifyingItemIds.length === 1
        ? 'Medium: one item graded source 1–2 and intelligence A–B, and no convicted offence in the window.'
        : 'Medium: items graded source 1–2 and intelligence A–B all come from one source, and no convicted offence in the window.';
  } else {
    level = 'low';
    reason =
      'Low: no convicted offence in the window and no item graded source 1–2 with intelligence A–B.';
  }
  return { level, reason, convictedOffenceIds, qualifyingItemIds, distinctQualifyingSourceIds };
}

function applyLowConfidenceCap(before: Band, confidence: ConfidenceLevel): GateExplanation {
  const isTriggered = confidence === 'low';
  const after: Band = isTriggered && BAND_RANK[before] > BAND_RANK.B ? 'B' : before;
  return {
    gate: 'low_confidence_cap',
    isTriggered,
    hasChangedBand: after !== before,
    bandBefore: before,
    bandAfter: after,
    offenceIds: [],
    reason: !isTriggered
      ? 'Not applied: confidence is not Low.'
      : after !== before
        ? 'Low confidence caps the band at B (intelligence development required).'
        : 'Low confidence caps the band at B (intelligence development required); the band was already B or lower.',
  };
}

function applySeriousViolenceFloor(
  before: Band,
  offences: readonly ScoredOffence[],
  dateDays: readonly number[],
  asOfDay: number,
  startsAfter: string,
): GateExplanation {
  const startDay = epochDay(startsAfter);
  const offenceIds = [
    ...new Set(
      offences
        .filter(
          (o, i) =>
            (isHomicideOffence(o) || o.weapon === 'firearm_discharged') &&
            o.stage !== 'nfa' &&
            o.stage !== 'acquitted' &&
            dateDays[i]! > startDay &&
            dateDays[i]! <= asOfDay,
        )
        .map((o) => o.id),
    ),
  ];
  const isTriggered = offenceIds.length > 0;
  const after: Band = isTriggered && BAND_RANK[before] < BAND_RANK.B ? 'B' : before;
  return {
    gate: 'serious_violence_floor',
    isTriggered,
    hasChangedBand: after !== before,
    bandBefore: before,
    bandAfter: after,
    offenceIds,
    reason: !isTriggered
      ? `Not applied: no linked homicide or firearm discharge after ${formatUkDate(startsAfter)}.`
      : after !== before
        ? `A linked homicide or firearm discharge in the last ${SERIOUS_VIOLENCE_GATE_MONTHS} months forces at least Band B.`
        : `A linked homicide or firearm discharge in the last ${SERIOUS_VIOLENCE_GATE_MONTHS} months forces at least Band B; the band was already B or higher.`,
  };
}

/** Whether a band override is in force as of a day, and why (or why not). */
export function assessOverride(override: BandOverride | null, asOf: string): OverrideExplanation {
  if (!override) return { status: 'none', band: null, expiresOn: null, reasons: [] };

  const problems: string[] = [];
  if (!override.reason?.trim()) problems.push('No reason is given.');
  if (!override.authorId) problems.push('No author is recorded.');
  if (!override.approverId) problems.push('It has not been approved.');
  else if (override.approverId === override.authorId)
    problems.push('The approver is the author; another person must approve it.');
  if (override.approverId && override.approverRole !== 'supervisor')
    problems.push('The approver does not hold the supervisor role.');
  if (!override.expiresOn) problems.push('No expiry date is set.');

  const base = { band: override.band, expiresOn: override.expiresOn ?? null };
  if (problems.length > 0) return { ...base, status: 'invalid', reasons: problems };

  const expiresOn = override.expiresOn as string;
  if (override.approvedOn && compareIsoDates(asOf, override.approvedOn) < 0) {
    return {
      ...base,
      status: 'not_yet_in_force',
      reasons: [`Approved on ${formatUkDate(override.approvedOn)}, after the as-of date.`],
    };
  }
  if (compareIsoDates(asOf, expiresOn) > 0) {
    return { ...base, status: 'expired', reasons: [`Expired after ${formatUkDate(expiresOn)}.`] };
  }
  return { ...base, status: 'in_force', reasons: [`In force until ${formatUkDate(expiresOn)}.`] };
}
