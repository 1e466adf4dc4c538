/**
 * Words and formats for disruption records (docs/specification.md, "Disruptions"), in British English: levels,
 * workflow statuses and steps, tactics grouped by the 4Ps, the outcome fields with how each is
 * typed and shown, plan statuses, and money as £1,234.
 */
import * as vocabulary from '../../../../preload/contract/vocabulary';
import { FOUR_P, TACTIC_IDS, TACTICS, type DisruptionLevel, type FourP, type PlanStatus, type Tactic } from '../../../../preload/contract/vocabulary';
import { fixed } from '../../components/numbers';

export { FIREARM_LABELS, FOUR_P, FOUR_P_LABELS, LEVEL_MEANINGS, LEVEL_RANK, PLAN_STATUS_LABELS } from '../../../../preload/contract/vocabulary';
export type { FourP, PlanStatus };
export type Level = DisruptionLevel;

export const levelLabel = (level: string | null | undefined): string => (level ? (vocabulary.DISRUPTION_LEVEL_LABELS[level as Level] ?? level) : '');

/** Words looked up by a string the contract leaves unnarrowed. */
type ByCode = Readonly<Record<string, string>>;

export const STATUS_LABELS: ByCode = vocabulary.DISRUPTION_STATUS_LABELS;
export const statusLabel = (status: string): string => STATUS_LABELS[status] ?? status;

/** Workflow steps as the timeline names them. */
export const STEP_LABELS: ByCode = vocabulary.WORKFLOW_STEP_LABELS;

export const DURABILITY_LABELS: ByCode = vocabulary.DURABILITY_OUTCOME_LABELS;

/** Tactics under their 4P heading, in the order the vocabulary lists them. */
export const TACTICS_BY_GROUP: { group: FourP; tactics: Tactic[] }[] = FOUR_P.map((group) => ({
  group,
  tactics: TACTIC_IDS.filter((t) => TACTICS[t].group === group),
}));

export const tacticLabel = (t: string): string => TACTICS[t as Tactic]?.label ?? t;

/** How an outcome is typed and shown: whole numbers, years to one decimal, or pounds. */
export type OutcomeKind = 'count' | 'years' | 'money';

/** The units a field's label carries on the form: "Cash seized (£)", "Custody (years)". */
const UNIT_SUFFIX: Record<OutcomeKind, string> = { count: '', years: ' (years)', money: ' (£)' };
const outcome = (key: vocabulary.OutcomeField, kind: OutcomeKind) => ({ key, label: `${vocabulary.OUTCOME_LABELS[key]}${UNIT_SUFFIX[kind]}`, kind });

/** The outcome fields other than firearms and drugs, grouped as the form shows them. */
export const OUTCOME_GROUPS: { legend: string; fields: { key: string; label: string; kind: OutcomeKind }[] }[] = [
  {
    legend: 'Criminal justice',
    fields: [
      outcome('arrests', 'count'),
      outcome('charges', 'count'),
      outcome('convictions', 'count'),
      outcome('custodyYears', 'years'),
    ],
  },
  {
    legend: 'Weapons',
    fields: [
      outcome('rounds', 'count'),
      outcome('knives', 'count'),
      outcome('otherWeapons', 'count'),
    ],
  },
  {
    legend: 'Money and property',
    fields: [
      outcome('cashSeized', 'money'),
      outcome('assetsRestrained', 'money'),
      outcome('confiscation', 'money'),
      outcome('vehicles', 'count'),
      outcome('premisesClosed', 'count'),
    ],
  },
  {
    legend: 'Safeguarding',
    fields: [
      outcome('safeguardingReferrals', 'count'),
      outcome('childrenSafeguarded', 'count'),
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
