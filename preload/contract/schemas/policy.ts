/**
 * The retention policy (resources/reference/retention-policy.json; docs/specification.md,
 * "Governance the software enforces"): every review cycle, grace, retention period, date ceiling
 * and age floor the software applies, each with its reason and source. Pure zod, shared by main
 * (which loads and enforces it), the contract (policy:get, policy:update) and the renderer's form.
 *
 * Each period has a `value` (what is applied) and a `limit`: for an `at_most` period the value may
 * be shortened, never raised past the limit; for an `at_least` one (an age floor, a minimum of
 * evidence) it may be raised, never lowered past it.
 */
import { z } from 'zod';

export const POLICY_PERIOD_KEYS = [
  'memberReviewMonths',
  'flagReviewMonths',
  'under18ReviewMonths',
  'networkReviewMonths',
  'bandAReviewMeetings',
  'reviewGraceDays',
  'evidenceWindowMonths',
  'evidenceMinimumItems',
  'endedRecordRetentionMonths',
  'inactivePersonRetentionMonths',
  'archivedNetworkRetentionMonths',
  'unlinkedOffenceRetentionMonths',
  'uncitedIntelligenceRetentionMonths',
  'evidenceCeilingYears',
  'overrideExpiryMonths',
  'restrictionMonths',
  'exportDestroyAfterDays',
  'minimumAgeYears',
] as const;
export type PolicyPeriodKey = (typeof POLICY_PERIOD_KEYS)[number];

export const POLICY_UNITS = ['days', 'months', 'years', 'meetings', 'items'] as const;
export type PolicyUnit = (typeof POLICY_UNITS)[number];

/** Periods that may be 0 (no grace at all); every other is at least 1. */
const MAY_BE_ZERO: ReadonlySet<PolicyPeriodKey> = new Set(['reviewGraceDays']);

const text = z.string().trim().min(1, { error: 'must not be empty' }).max(2000);

export const policyPeriod = z.strictObject({
  label: text,
  value: z.number().int({ error: 'must be a whole number' }).nonnegative({ error: 'must not be negative' }),
  limit: z.number().int({ error: 'must be a whole number' }).positive({ error: 'must be at least 1' }),
  bound: z.enum(['at_most', 'at_least']),
  unit: z.enum(POLICY_UNITS),
  reason: text,
  source: text,
});
export type PolicyPeriod = z.infer<typeof policyPeriod>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD' });

/** The periods, every key once; each value within its limit. */
export const policyPeriods = z
  .strictObject(Object.fromEntries(POLICY_PERIOD_KEYS.map((k) => [k, policyPeriod])) as Record<PolicyPeriodKey, typeof policyPeriod>)
  .superRefine((periods, ctx) => {
    for (const key of POLICY_PERIOD_KEYS) {
      const p = periods[key];
      if (!MAY_BE_ZERO.has(key) && p.value < 1) ctx.addIssue({ code: 'custom', path: [key, 'value'], message: 'must be at least 1' });
      if (p.bound === 'at_most' && p.value > p.limit) ctx.addIssue({ code: 'custom', path: [key, 'value'], message: `must be at most ${p.limit}` });
      if (p.bound === 'at_least' && p.value < p.limit) ctx.addIssue({ code: 'custom', path: [key, 'value'], message: `must be at least ${p.limit}` });
    }
    // A child's cycle is never longer than an adult's.
    const child = periods.under18ReviewMonths.value;
    if (child > periods.memberReviewMonths.value || child > periods.flagReviewMonths.value) {
      ctx.addIssue({ code: 'custom', path: ['under18ReviewMonths', 'value'], message: 'must not be longer than the adult review cycles' });
    }
  });

export const retentionPolicyFile = z.strictObject({
  id: text,
  version: text,
  kind: z.literal('retention_policy'),
  source: text,
  effectiveFrom: isoDate,
  periods: policyPeriods,
  /** Set on a version an administrator made in the vault: who, and the version it shortened. */
  changedBy: z.string().min(1).optional(),
  basedOn: z.string().min(1).optional(),
});
export type RetentionPolicy = z.infer<typeof retentionPolicyFile>;

/** What `policy:get` answers: the policy in force, when it applies, and every version the vault holds. */
export const policyView = z.object({
  policy: retentionPolicyFile,
  /** The shipped file's version this one is, or is based on. */
  shippedVersion: z.string(),
  versions: z.array(z.object({ version: z.string(), effectiveFrom: z.string(), loadedAt: z.string(), isAdministrator: z.boolean() })),
});
export type PolicyView = z.infer<typeof policyView>;

/** `policy:update`: the new value of each period an administrator changes (the rest stay). */
export const policyUpdate = z
  .object({
    values: z
      .partialRecord(z.enum(POLICY_PERIOD_KEYS), z.number({ error: 'Enter a whole number.' }).int('Enter a whole number.').min(0, 'Enter a number of 0 or more.').max(1000, 'Enter a number of at most 1000.'))
      .refine((v) => Object.keys(v).length > 0, 'Change at least one period.'),
  })
  .strict();
export type PolicyUpdate = z.input<typeof policyUpdate>;

const UNIT_WORDS: Readonly<Record<PolicyUnit, [string, string]>> = {
  days: ['day', 'days'],
  months: ['month', 'months'],
  years: ['year', 'years'],
  meetings: ['meeting', 'meetings'],
  items: ['item', 'items'],
};

/** "6 months", "1 day". */
export function periodText(value: number, unit: PolicyUnit): string {
  const [one, many] = UNIT_WORDS[unit];
  return `${value} ${value === 1 ? one : many}`;
}
