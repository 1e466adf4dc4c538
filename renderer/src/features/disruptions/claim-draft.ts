/**
 * The claim form's state and how it becomes a draft: what was typed, kept as text, read into
 * the contract's `disruptionDraft` shape. Errors are keyed by the whole path
 * ("outcomes.drugs.0.grams"), as main keys its `fields`, so a problem in one drug row sits beside
 * that row's field. Dates are typed the UK way and numbers may carry thousands separators or a
 * £; both are read here before the schema sees them.
 */
import type { Dispatch, SetStateAction } from 'react';
import type { z } from 'zod';
import type { DisruptionRecord } from '../../../../preload/contract';
import { FIREARM_TYPES, type DisruptionDraft } from '../../../../preload/contract/schemas/disruptions';
import { ApiError } from '../../app/api';
import type { FieldErrors } from '../../app/forms';
import { formatDay, readDays } from '../../components/dates';
import { OUTCOME_GROUPS, type OutcomeKind } from './labels';

export interface DrugRow {
  /** Stable key for React while rows are added and removed. */
  key: number;
  substance: string;
  drugClass: string;
  grams: string;
}

export interface FormState {
  primaryNetworkId: string;
  otherNetworkIds: string[];
  operationReference: string;
  activityStart: string;
  activityEnd: string;
  claimingBusinessGroup: string;
  claimingUnit: string;
  claimedLevel: string;
  tactics: string[];
  /** Outcome texts by path: "arrests", "firearms.handgun". */
  outcomes: Record<string, string>;
  drugs: DrugRow[];
  impactNarrative: string;
  intelIds: string[];
  partnerReference: string;
}

const SCALAR_OUTCOMES = OUTCOME_GROUPS.flatMap((g) => g.fields);

let nextDrugKey = 1;

/** A key for a new drug row, unique while the page is open. */
export function newDrugKey(): number {
  return nextDrugKey++;
}

function numberText(n: unknown): string {
  return typeof n === 'number' && n !== 0 ? String(n) : '';
}

export function fromRecord(r: DisruptionRecord | undefined, networkId: string | undefined): FormState {
  const o = (r?.outcomes ?? {}) as Record<string, unknown>;
  const firearms = (o.firearms ?? {}) as Record<string, unknown>;
  const outcomes: Record<string, string> = {};
  for (const f of SCALAR_OUTCOMES) outcomes[f.key] = numberText(o[f.key]);
  for (const t of FIREARM_TYPES) outcomes[`firearms.${t}`] = numberText(firearms[t]);
  const drugs = ((o.drugs ?? []) as { substance: string; drugClass: string; grams: number }[]).map((d) => ({
    key: newDrugKey(),
    substance: d.substance,
    drugClass: d.drugClass,
    grams: numberText(d.grams),
  }));
  return {
    primaryNetworkId: r?.primaryNetworkId ?? networkId ?? '',
    otherNetworkIds: r?.otherNetworkIds ?? [],
    operationReference: r?.operationReference ?? '',
    activityStart: formatDay(r?.activityStart),
    activityEnd: formatDay(r?.activityEnd),
    claimingBusinessGroup: r?.claimingBusinessGroup ?? '',
    claimingUnit: r?.claimingUnit ?? '',
    claimedLevel: r?.claimedLevel ?? '',
    tactics: r?.tactics ?? [],
    outcomes,
    drugs,
    impactNarrative: r?.impactNarrative ?? '',
    intelIds: r?.intelIds ?? [],
    partnerReference: r?.partnerReference ?? '',
  };
}

const NUMBER_PATTERN = /^\d+(\.\d+)?$/;

/** "1,250", "£1,250.50", "" (nothing: 0) -> a number; null when it is not a number at all. */
export function readNumber(text: string): number | null {
  const plain = text.trim().replace(/^£/, '').replace(/,/g, '');
  if (plain === '') return 0;
  return NUMBER_PATTERN.test(plain) ? Number(plain) : null;
}

const NOT_A_NUMBER: Record<OutcomeKind, string> = {
  count: 'Enter a whole number, such as 3, or leave it empty for none.',
  years: 'Enter years as a number, such as 4.5, or leave it empty for none.',
  money: 'Enter pounds, such as 1,250 or 1,250.50, or leave it empty for none.',
};

/** Every issue of a failed parse, keyed by its full path; main's `fields` are keyed the same way. */
export function pathErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[issue.path.map(String).join('.') || '_'] ??= issue.message;
  return out;
}

export function envelopePathErrors(e: unknown): FieldErrors {
  if (!(e instanceof ApiError)) return {};
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(e.fields)) out[key.replace(/^draft\./, '')] ??= message;
  return out;
}

/** Build the draft from what was typed; number and date problems come back keyed like the schema. */
export function toDraft(form: FormState): { draft: DisruptionDraft; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const { days, errors: dayErrors } = readDays({ activityStart: form.activityStart, activityEnd: form.activityEnd }, ['activityStart', 'activityEnd']);
  Object.assign(errors, dayErrors);
  const num = (path: string, text: string, kind: OutcomeKind): number => {
    const n = readNumber(text);
    if (n === null) {
      errors[`outcomes.${path}`] = NOT_A_NUMBER[kind];
      return 0;
    }
    return n;
  };
  const outcomes: Record<string, unknown> = {};
  for (const f of SCALAR_OUTCOMES) outcomes[f.key] = num(f.key, form.outcomes[f.key] ?? '', f.kind);
  outcomes.firearms = Object.fromEntries(FIREARM_TYPES.map((t) => [t, num(`firearms.${t}`, form.outcomes[`firearms.${t}`] ?? '', 'count')]));
  outcomes.drugs = form.drugs.map((d, i) => {
    const g = readNumber(d.grams);
    if (g === null) errors[`outcomes.drugs.${i}.grams`] = 'Enter grams as a number, such as 250.';
    return { substance: d.substance, drugClass: d.drugClass, grams: g ?? 0 };
  });
  const draft = {
    primaryNetworkId: form.primaryNetworkId,
    otherNetworkIds: form.otherNetworkIds.filter((n) => n !== form.primaryNetworkId),
    operationReference: form.operationReference,
    activityStart: days.activityStart ?? '',
    activityEnd: days.activityEnd ?? '',
    claimingBusinessGroup: form.claimingBusinessGroup,
    claimingUnit: form.claimingUnit,
    claimedLevel: form.claimedLevel,
    tactics: form.tactics,
    outcomes,
    impactNarrative: form.impactNarrative,
    intelIds: form.intelIds,
    partnerReference: form.partnerReference.trim() === '' ? null : form.partnerReference,
  } as DisruptionDraft;
  return { draft, errors };
}

/** The schema's own words for an empty choice are "Invalid input"; say what to do instead. */
export const PLAIN_REQUIRED: Record<string, string> = {
  primaryNetworkId: 'Choose the primary network.',
};

export type SetForm = Dispatch<SetStateAction<FormState>>;

/** Drops the errors of the fields named, once the person edits them. */
export type ClearErrors = (...keys: string[]) => void;
