/**
 * Disruption records (domain.md "Disruptions"): shared by the IPC contract, the renderer's claim
 * form and the CLI. Pure zod.
 */
import { z } from 'zod';
import { BUSINESS_GROUPS, id, isoDay } from './matrix';
import { DISRUPTION_LEVELS, DURABILITY_OUTCOMES } from '../vocabulary';

export { DISRUPTION_LEVEL_LABELS, DISRUPTION_LEVELS, DISRUPTION_STATUSES } from '../vocabulary';

/** Tactics, with the 4P group each belongs to. */
export const TACTICS = {
  criminal_justice: { label: 'Criminal justice (arrest, charge, conviction)', group: 'pursue' },
  ancillary_orders: { label: 'Ancillary orders (SCPO, gang injunction, CBO)', group: 'pursue' },
  financial: { label: 'Financial (cash seizure, account freezing, restraint, confiscation)', group: 'pursue' },
  regulatory_licensing: { label: 'Regulatory and licensing', group: 'pursue' },
  housing: { label: 'Housing', group: 'pursue' },
  vehicles_travel_immigration: { label: 'Vehicles, travel and immigration', group: 'pursue' },
  tax: { label: 'Tax', group: 'pursue' },
  prevent: { label: 'Prevent (diversion or exit programme)', group: 'prevent' },
  protect: { label: 'Protect (safeguarding, target hardening)', group: 'protect' },
  partner_led: { label: 'Partner-led', group: 'prepare' },
} as const;
export type Tactic = keyof typeof TACTICS;
export const TACTIC_IDS = Object.keys(TACTICS) as Tactic[];

export const FIREARM_TYPES = ['handgun', 'shotgun', 'automatic', 'converted', 'imitation'] as const;
export const DRUG_CLASSES = ['A', 'B', 'C'] as const;

const count = (label: string) => z.number().int(`${label}: a whole number.`).min(0, `${label}: not negative.`).max(1_000_000, `${label}: too large.`);
const money = (label: string) => z.number().min(0, `${label}: not negative.`).max(1e12, `${label}: too large.`).multipleOf(0.01, `${label}: pounds and pence.`);

export const outcomes = z
  .object({
    arrests: count('Arrests').default(0),
    charges: count('Charges').default(0),
    convictions: count('Convictions').default(0),
    custodyYears: z.number().min(0).max(100_000).default(0),
    firearms: z
      .object({
        handgun: count('Handguns').default(0),
        shotgun: count('Shotguns').default(0),
        automatic: count('Automatic weapons').default(0),
        converted: count('Converted weapons').default(0),
        imitation: count('Imitation weapons').default(0),
      })
      .strict()
      .default({ handgun: 0, shotgun: 0, automatic: 0, converted: 0, imitation: 0 }),
    rounds: count('Rounds of ammunition').default(0),
    knives: count('Knives').default(0),
    otherWeapons: count('Other weapons').default(0),
    drugs: z
      .array(
        z
          .object({
            substance: z.string().trim().min(1, 'Name the substance.').max(60),
            drugClass: z.enum(DRUG_CLASSES, 'Choose a class.'),
            grams: z.number().min(0).max(1e9),
          })
          .strict(),
      )
      .max(50)
      .default([]),
    cashSeized: money('Cash seized').default(0),
    assetsRestrained: money('Assets restrained').default(0),
    confiscation: money('Confiscation').default(0),
    vehicles: count('Vehicles').default(0),
    premisesClosed: count('Premises closed').default(0),
    safeguardingReferrals: count('Safeguarding referrals').default(0),
    childrenSafeguarded: count('Children safeguarded').default(0),
  })
  .strict();
export type Outcomes = z.output<typeof outcomes>;

export const disruptionDraft = z
  .object({
    primaryNetworkId: id,
    otherNetworkIds: z.array(id).max(20).default([]),
    operationReference: z.string().trim().max(40).default(''),
    activityStart: isoDay,
    activityEnd: isoDay,
    claimingBusinessGroup: z.enum(BUSINESS_GROUPS, 'Choose a business group.'),
    claimingUnit: z.string().trim().min(1, 'Enter the claiming unit.').max(120),
    claimedLevel: z.enum(DISRUPTION_LEVELS, 'Choose a level.'),
    tactics: z.array(z.enum(TACTIC_IDS as [Tactic, ...Tactic[]])).min(1, 'Choose at least one tactic.').max(10),
    outcomes: outcomes.default(outcomes.parse({})),
    impactNarrative: z.string().trim().min(20, 'Describe the impact in at least 20 characters.').max(5000),
    intelIds: z.array(id).max(50).default([]),
    partnerReference: z.string().trim().max(60).nullable().default(null),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.activityEnd < v.activityStart) ctx.addIssue({ code: 'custom', path: ['activityEnd'], message: 'The end date is before the start date.' });
    if (v.otherNetworkIds.includes(v.primaryNetworkId)) ctx.addIssue({ code: 'custom', path: ['otherNetworkIds'], message: 'The primary network is already included.' });
  });
export type DisruptionDraft = z.input<typeof disruptionDraft>;

export const WORKFLOW_ACTIONS = ['submit', 'endorse', 'validate', 'return', 'reject'] as const;

export const transitionInput = z
  .object({
    id,
    action: z.enum(WORKFLOW_ACTIONS),
    /** Required to return or reject. */
    reason: z.string().trim().max(2000).default(''),
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
    reason: z.string().trim().max(2000).default(''),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.outcome !== 'confirmed' && v.reason.length < 5) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Give a reason for the change of level.' });
    if (v.outcome !== 'confirmed' && !v.level) ctx.addIssue({ code: 'custom', path: ['level'], message: 'Choose the new level.' });
  });

export const PLAN_STATUSES = ['none', 'draft', 'agreed', 'in_progress', 'under_review'] as const;
