/**
 * The retention policy as the rules read it (docs/specification.md, "Governance the software
 * enforces"; resources/reference/retention-policy.json). Pure: the versions, the day and the dates
 * are given. The service (services/policy.service.ts) loads the versions from the vault.
 *
 * - The policy in force on a day is the version with the latest `effectiveFrom` on or before it
 *   (an administrator's version beats the shipped file it was made from on the same day).
 * - An administrator may shorten any period (raise a floor) and lengthen none beyond the shipped
 *   file's limit; each change is a new version, applying from the day it is made.
 * - Every date the software sets or accepts has a ceiling here, with the sentence that refuses it.
 */
import { addDays, addMonths, compareIsoDates, formatUkDate } from '../../preload/contract/dates';
import {
  POLICY_PERIOD_KEYS,
  periodText,
  policyPeriods,
  type PolicyPeriodKey,
  type RetentionPolicy,
} from '../../preload/contract/schemas/policy';

/** The review cycles the register rules count (domain/register-rules.ts). */
export interface ReviewCycles {
  memberMonths: number;
  flagMonths: number;
  under18Months: number;
  networkMonths: number;
}

export function reviewCycles(p: RetentionPolicy): ReviewCycles {
  return {
    memberMonths: p.periods.memberReviewMonths.value,
    flagMonths: p.periods.flagReviewMonths.value,
    under18Months: p.periods.under18ReviewMonths.value,
    networkMonths: p.periods.networkReviewMonths.value,
  };
}

/** The version in force on a day: latest effectiveFrom on or before it; on a tie, the later one given. */
export function policyInForce(versions: readonly RetentionPolicy[], day: string): RetentionPolicy {
  let best: RetentionPolicy | null = null;
  for (const v of versions) {
    if (compareIsoDates(v.effectiveFrom, day) > 0) continue;
    if (!best || compareIsoDates(v.effectiveFrom, best.effectiveFrom) >= 0) best = v;
  }
  // Before the first version's date, the earliest applies: the register is never without a policy.
  if (!best) best = [...versions].sort((a, b) => compareIsoDates(a.effectiveFrom, b.effectiveFrom))[0]!;
  return best;
}

/** Why a new value for a period is refused, or null. The limit is the shipped file's, never the vault's. */
export function periodValueRefusal(shipped: RetentionPolicy, key: PolicyPeriodKey, value: number): string | null {
  const p = shipped.periods[key];
  const min = key === 'reviewGraceDays' ? 0 : 1;
  if (!Number.isInteger(value) || value < min) return `Enter a whole number of at least ${min}.`;
  if (p.bound === 'at_most' && value > p.limit) return `${p.label} can be at most ${periodText(p.limit, p.unit)}: a period may be shortened, never lengthened beyond its maximum.`;
  if (p.bound === 'at_least' && value < p.limit) return `${p.label} can be no less than ${periodText(p.limit, p.unit)}: a floor may be raised, never lowered.`;
  return null;
}

/**
 * An administrator's change: a new version from the one in force, or the refusals by field
 * (`values.<key>`). Applies from `today`.
 */
export function changedPolicy(
  shipped: RetentionPolicy,
  current: RetentionPolicy,
  values: Partial<Record<PolicyPeriodKey, number>>,
  ctx: { today: string; userId: string; version: string },
): { policy: RetentionPolicy; changed: PolicyPeriodKey[] } | { fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const periods = structuredClone(current.periods);
  const changed: PolicyPeriodKey[] = [];
  for (const key of POLICY_PERIOD_KEYS) {
    const value = values[key];
    if (value === undefined) continue;
    const refusal = periodValueRefusal(shipped, key, value);
    if (refusal) fields[`values.${key}`] = refusal;
    else if (periods[key].value !== value) {
      periods[key] = { ...periods[key], value, limit: shipped.periods[key].limit };
      changed.push(key);
    }
  }
  if (Object.keys(fields).length === 0) {
    const check = policyPeriods.safeParse(periods);
    if (!check.success) {
      for (const i of check.error.issues) fields[`values.${String(i.path[0])}`] ??= i.message === 'must not be longer than the adult review cycles' ? 'A child\u2019s review cycle cannot be longer than an adult\u2019s.' : `This value ${i.message}.`;
    }
  }
  if (Object.keys(fields).length > 0) return { fields };
  return {
    policy: { ...current, version: ctx.version, effectiveFrom: ctx.today, periods, changedBy: ctx.userId, basedOn: shipped.version },
    changed,
  };
}

/* ---- Date ceilings ------------------------------------------------------------------------ */

/** The last day a period from `today` reaches. */
export function periodEnd(today: string, value: number, unit: 'days' | 'months' | 'years'): string {
  if (unit === 'days') return addDays(today, value);
  return addMonths(today, unit === 'years' ? value * 12 : value);
}

/** An override's expiry: after today, and no more than the policy's longest override ahead. */
export function overrideExpiryRefusal(p: RetentionPolicy, expiresOn: string, today: string): string | null {
  if (compareIsoDates(expiresOn, today) <= 0) return 'The expiry date must be in the future.';
  const months = p.periods.overrideExpiryMonths.value;
  const last = addMonths(today, months);
  if (compareIsoDates(expiresOn, last) > 0) return `An override can run for at most ${periodText(months, 'months')}, to ${formatUkDate(last)}.`;
  return null;
}

/** A restriction's end (DPA 2018 s.47(2)): after today, and no more than the policy's longest restriction ahead. */
export function restrictionUntilRefusal(p: RetentionPolicy, until: string, today: string): string | null {
  if (compareIsoDates(until, today) <= 0) return 'The end of the restriction must be in the future.';
  const months = p.periods.restrictionMonths.value;
  const last = addMonths(today, months);
  if (compareIsoDates(until, last) > 0) return `A record can be restricted for at most ${periodText(months, 'months')}, to ${formatUkDate(last)}.`;
  return null;
}

/** An export's destroy-after date: no later than the policy allows from the day it is written. */
export function destroyAfterRefusal(p: RetentionPolicy, destroyAfter: string, today: string): string | null {
  const days = p.periods.exportDestroyAfterDays.value;
  const last = addDays(today, days);
  if (compareIsoDates(destroyAfter, last) > 0) return `An export must be destroyed within ${periodText(days, 'days')}, by ${formatUkDate(last)}.`;
  return null;
}

/**
 * A review date the software is about to set: never more than the longest cycle that applies
 * ahead of today (a review date in 2126 is refused, whatever produced it).
 */
export function reviewDateRefusal(reviewOn: string, today: string, months: number): string | null {
  const last = addMonths(today, months);
  if (compareIsoDates(reviewOn, last) > 0) return `A review can be set at most ${periodText(months, 'months')} ahead, to ${formatUkDate(last)}.`;
  return null;
}

/** The earliest date any record of the register may carry. */
export const EARLIEST_RECORD_DATE = '1900-01-01';

/** A date of something that has happened (a birth, an item, an offence, a link's start): not in the future, not before 1900. */
export function pastDateRefusal(what: string, day: string, today: string): string | null {
  if (compareIsoDates(day, today) > 0) return `${what} cannot be in the future.`;
  if (compareIsoDates(day, EARLIEST_RECORD_DATE) < 0) return `${what} cannot be before ${formatUkDate(EARLIEST_RECORD_DATE)}.`;
  return null;
}

/** The day after which nothing supported by evidence dated `latestEvidence` may be kept without re-validation. */
export function evidenceCeilingOn(p: RetentionPolicy, latestEvidence: string): string {
  return addMonths(latestEvidence, p.periods.evidenceCeilingYears.value * 12);
}

/** The first day of the evidence window at review on `today`. */
export function evidenceWindowFrom(p: RetentionPolicy, today: string): string {
  return addMonths(today, -p.periods.evidenceWindowMonths.value);
}
