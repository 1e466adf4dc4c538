/**
 * Words and formats for disruption records (domain.md "Disruptions"), in British English: levels,
 * workflow statuses and steps, tactics grouped by the 4Ps, the outcome fields with how each is
 * typed and shown, plan statuses, and money as £1,234.
 */
import {
  DISRUPTION_LEVEL_LABELS,
  DISRUPTION_LEVELS,
  FIREARM_TYPES,
  PLAN_STATUSES,
  TACTICS,
  TACTIC_IDS,
  type Tactic,
} from '../../../../preload/contract/schemas/disruptions';
import { fixed } from '../../components/numbers';

export type Level = (typeof DISRUPTION_LEVELS)[number];
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const levelLabel = (level: string | null | undefined): string => (level ? (DISRUPTION_LEVEL_LABELS[level as Level] ?? level) : '');

/** Higher is a bigger disruption; for sorting level columns (negative made things worse). */
export const LEVEL_RANK: Record<Level, number> = { negative: 0, none: 1, minor: 2, moderate: 3, major: 4 };

/** What each level means, shown beside the choice (domain.md). */
export const LEVEL_MEANINGS: Record<Level, string> = {
  major: 'dismantled, or unable to operate normally for 12 months or more',
  moderate: 'significant reduction for 3 to 12 months',
  minor: 'short-lived or partial, under 3 months',
  none: 'no lasting effect on the network',
  negative: 'the activity made the network more capable or harmful',
};

export const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  endorsed: 'Endorsed',
  validated: 'Validated',
  returned: 'Returned',
  rejected: 'Rejected',
};
export const statusLabel = (status: string): string => STATUS_LABELS[status] ?? status;

/** Workflow steps as the timeline names them. */
export const STEP_LABELS: Record<string, string> = {
  submit: 'Submitted',
  endorse: 'Endorsed',
  validate: 'Validated',
  return: 'Returned',
  reject: 'Rejected',
  review: 'Durability review',
};

export const DURABILITY_LABELS: Record<string, string> = { confirmed: 'Confirmed', downgraded: 'Downgraded', upgraded: 'Upgraded' };

export const FOUR_P = ['pursue', 'prevent', 'protect', 'prepare'] as const;
export type FourP = (typeof FOUR_P)[number];
export const FOUR_P_LABELS: Record<FourP, string> = { pursue: 'Pursue', prevent: 'Prevent', protect: 'Protect', prepare: 'Prepare' };

/** Tactics under their 4P heading, in the order the schema lists them. */
export const TACTICS_BY_GROUP: { group: FourP; tactics: Tactic[] }[] = FOUR_P.map((group) => ({
  group,
  tactics: TACTIC_IDS.filter((t) => TACTICS[t].group === group),
}));

export const tacticLabel = (t: string): string => TACTICS[t as Tactic]?.label ?? t;

export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  none: 'No plan',
  draft: 'Draft plan',
  agreed: 'Plan agreed',
  in_progress: 'Plan in progress',
  under_review: 'Plan under review',
};

export const FIREARM_LABELS: Record<(typeof FIREARM_TYPES)[number], string> = {
  handgun: 'Handguns',
  shotgun: 'Shotguns',
  automatic: 'Automatic weapons',
  converted: 'Converted weapons',
  imitation: 'Imitation weapons',
};

/** How an outcome is typed and shown: whole numbers, years to one decimal, or pounds. */
export type OutcomeKind = 'count' | 'years' | 'money';

/** The outcome fields other than firearms and drugs, grouped as the form shows them. */
export const OUTCOME_GROUPS: { legend: string; fields: { key: string; label: string; kind: OutcomeKind }[] }[] = [
  {
    legend: 'Criminal justice',
    fields: [
      { key: 'arrests', label: 'Arrests', kind: 'count' },
      { key: 'charges', label: 'Charges', kind: 'count' },
      { key: 'convictions', label: 'Convictions', kind: 'count' },
      { key: 'custodyYears', label: 'Custody (years)', kind: 'years' },
    ],
  },
  {
    legend: 'Weapons',
    fields: [
      { key: 'rounds', label: 'Rounds of ammunition', kind: 'count' },
      { key: 'knives', label: 'Knives', kind: 'count' },
      { key: 'otherWeapons', label: 'Other weapons', kind: 'count' },
    ],
  },
  {
    legend: 'Money and property',
    fields: [
      { key: 'cashSeized', label: 'Cash seized (£)', kind: 'money' },
      { key: 'assetsRestrained', label: 'Assets restrained (£)', kind: 'money' },
      { key: 'confiscation', label: 'Confiscation (£)', kind: 'money' },
      { key: 'vehicles', label: 'Vehicles', kind: 'count' },
      { key: 'premisesClosed', label: 'Premises closed', kind: 'count' },
    ],
  },
  {
    legend: 'Safeguarding',
    fields: [
      { key: 'safeguardingReferrals', label: 'Safeguarding referrals', kind: 'count' },
      { key: 'childrenSafeguarded', label: 'Children safeguarded', kind: 'count' },
    ],
  },
];

/** "£1,234", or "£1,234.50" when there are pence. */
export function money(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return `£${fixed(value, Number.isInteger(value) ? 0 : 2)}`;
}

/** An outcome value as shown: grouped thousands, years to one decimal, pounds with a £. */
export function outcomeText(value: number, kind: OutcomeKind): string {
  if (kind === 'money') return money(value);
  if (kind === 'years') return fixed(value, Number.isInteger(value) ? 0 : 1);
  return fixed(value, 0);
}

/** Grams as "1,250 g" (or kg above 10,000 g, as seizures are reported). */
export function grams(value: number): string {
  return value >= 10_000 ? `${fixed(value / 1000, 1)} kg` : `${fixed(value, Number.isInteger(value) ? 0 : 1)} g`;
}
