/**
 * Disruption records (docs/specification.md, "Disruptions"): shared by the IPC contract, the renderer's claim
 * form and the CLI. Pure zod.
 */
import { z } from 'zod';
import { id, isoDay } from './matrix';
import { invisibleMessage, plainText } from '../text';
import {
  BUSINESS_GROUPS,
  DISRUPTION_LEVELS,
  DRUG_CLASSES,
  DURABILITY_OUTCOMES,
  FIREARM_LABELS,
  OUTCOME_LABELS,
  TACTIC_IDS,
  WORKFLOW_ACTIONS,
  type Tactic,
} from '../vocabulary';

// The code lists are the shared vocabulary's; they are named here too because the forms import
// them beside the record schemas built on them.
export {
  DISRUPTION_LEVEL_LABELS,
  DISRUPTION_LEVELS,
  DISRUPTION_STATUSES,
  DRUG_CLASSES,
  DURABILITY_OUTCOMES,
  FIREARM_TYPES,
  PLAN_STATUSES,
  TACTIC_IDS,
  TACTICS,
  WORKFLOW_ACTIONS,
  type Tactic,
} from '../vocabulary';

/**
 * A free-text field of a claim (../text.ts): one line, or paragraphs (tabs and line breaks kept)
 * for the narrative and the reasons. `schema` carries the field's own length rules and messages.
 */
const line = (schema: z.ZodString, label: string) => plainText(schema, { control: `${label}: remove control characters.`, invisible: invisibleMessage(label) });
const paragraphs = (schema: z.ZodString, label: string) =>
  plainText(schema, { control: `${label}: remove control characters.`, invisible: invisibleMessage(label) }, { isMultiline: true });

const count = (label: string) => z.number().int(`${label}: a whole number.`).min(0, `${label}: not negative.`).max(1_000_000, `${label}: too large.`);
const money = (label: string) => z.number().min(0, `${label}: not negative.`).max(1e12, `${label}: too large.`).multipleOf(0.01, `${label}: pounds and pence.`);

export const outcomes = z
  .object({
    arrests: count(OUTCOME_LABELS.arrests).default(0),
    charges: count(OUTCOME_LABELS.charges).default(0),
    convictions: count(OUTCOME_LABELS.convictions).default(0),
    custodyYears: z.number().min(0).max(100_000).default(0),
    firearms: z
      .object({
        handgun: count(FIREARM_LABELS.handgun).default(0),
        shotgun: count(FIREARM_LABELS.shotgun).default(0),
        automatic: count(FIREARM_LABELS.automatic).default(0),
        converted: count(FIREARM_LABELS.converted).default(0),
        imitation: count(FIREARM_LABELS.imitation).default(0),
      })
      .strict()
      .default({ handgun: 0, shotgun: 0, automatic: 0, converted: 0, imitation: 0 }),
    rounds: count(OUTCOME_LABELS.rounds).default(0),
    knives: count(OUTCOME_LABELS.knives).default(0),
    otherWeapons: count(OUTCOME_LABELS.otherWeapons).default(0),
    drugs: z
      .array(
        z
          .object({
            substance: line(z.string().trim().min(1, 'Name the substance.').max(60), 'Substance'),
            drugClass: z.enum(DRUG_CLASSES, 'Choose a class.'),
            grams: z.number().min(0).max(1e9),
          })
          .strict(),
      )
      .max(50)
      .default([]),
    cashSeized: money(OUTCOME_LABELS.cashSeized).default(0),
    assetsRestrained: money(OUTCOME_LABELS.assetsRestrained).default(0),
    confiscation: money(OUTCOME_LABELS.confiscation).default(0),
    vehicles: count(OUTCOME_LABELS.vehicles).default(0),
    premisesClosed: count(OUTCOME_LABELS.premisesClosed).default(0),
    safeguardingReferrals: count(OUTCOME_LABELS.safeguardingReferrals).default(0),
    childrenSafeguarded: count(OUTCOME_LABELS.childrenSafeguarded).default(0),
  })
  .strict();
export type Outcomes = z.output<typeof outcomes>;

export const disruptionDraft = z
  .object({
    primaryNetworkId: id,
    otherNetworkIds: z.array(id).max(20).default([]),
    operationReference: line(z.string().trim().max(40), 'Operation reference').default(''),
    activityStart: isoDay,
    activityEnd: isoDay,
    claimingBusinessGroup: z.enum(BUSINESS_GROUPS, 'Choose a business group.'),
    claimingUnit: line(z.string().trim().min(1, 'Enter the claiming unit.').max(120), 'Claiming unit'),
    claimedLevel: z.enum(DISRUPTION_LEVELS, 'Choose a level.'),
    tactics: z.array(z.enum(TACTIC_IDS as [Tactic, ...Tactic[]])).min(1, 'Choose at least one tactic.').max(10),
    outcomes: outcomes.default(outcomes.parse({})),
    impactNarrative: paragraphs(z.string().trim().min(20, 'Describe the impact in at least 20 characters.').max(5000), 'Impact'),
    intelIds: z.array(id).max(50).default([]),
    partnerReference: line(z.string().trim().max(60), 'Partner reference').nullable().default(null),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.activityEnd < v.activityStart) ctx.addIssue({ code: 'custom', path: ['activityEnd'], message: 'The end date is before the start date.' });
    if (v.otherNetworkIds.includes(v.primaryNetworkId)) ctx.addIssue({ code: 'custom', path: ['otherNetworkIds'], message: 'The primary network is already included.' });
  });
export type DisruptionDraft = z.input<typeof disruptionDraft>;
/** A draft once parsed: defaults filled in, text trimmed. */
export type ParsedDisruptionDraft = z.output<typeof disruptionDraft>;

export const transitionInput = z
  .object({
    id,
    action: z.enum(WORKFLOW_ACTIONS),
    /** Required to return or reject. */
    reason: paragraphs(z.string().trim().max(2000), 'Reason').default(''),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.action === 'return' || v.action === 'reject') && v.reason.length < 5) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Give a reason.' });
  });

export const durabilityInput = z
  .object({
    id,
    outcome: z.enum(DURABILITY_OUTCOMES),
    /** The new level when downgrading or upgrading. */
    level: z.enum(DISRUPTION_LEVELS).optional(),
    reason: paragraphs(z.string().trim().max(2000), 'Reason').default(''),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.outcome !== 'confirmed' && v.reason.length < 5) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Give a reason for the change of level.' });
    if (v.outcome !== 'confirmed' && !v.level) ctx.addIssue({ code: 'custom', path: ['level'], message: 'Choose the new level.' });
  });

/** A network as the disruption screens name it: "CN-2026-0001 Northside Crew". */
export const networkLabel = z.object({ id: z.string(), reference: z.string(), name: z.string() });

/** An intelligence item as the disruption screens show it: reference, grade, date and summary; never its source. */
export const intelligenceItem = z.object({
  id: z.string(),
  reference: z.string(),
  itemDate: z.string(),
  summary: z.string(),
  grading: z.string(),
  sourceGrade: z.number().nullable(),
  intelGrade: z.string().nullable(),
  handling: z.string().nullable(),
  legacyGrade: z.string().nullable(),
});
export type IntelligenceItem = z.infer<typeof intelligenceItem>;

/** The networks a claim is being written about (the primary and up to 20 others). */
export const evidenceInput = z.object({ networkIds: z.array(id).min(1).max(21) }).strict();

/** What the claim form offers to cite: the intelligence held against the chosen networks, without summaries. */
export const evidence = z.object({
  networks: z.array(networkLabel),
  intelligence: z.array(intelligenceItem.omit({ summary: true })),
});
