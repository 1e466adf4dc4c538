/**
 * Counting rules for the corporate return (docs/scoring-method.md; "Disruptions" and
 * "Returns and exports"; issue 4). Rule set `count-1`, recorded in every return.
 *
 * Pure: plain disruption records and a period in, counts out. Disclosure control is applied
 * afterwards by the return builder (./disclosure.ts); nothing here is fit to leave the vault raw.
 *
 * Decisions, and why:
 *
 * 1. WHICH DATE PLACES A DISRUPTION IN A PERIOD: the validation date. docs/specification.md counts "distinct
 *    networks with at least one validated disruption in the period" and says "only validated
 *    disruptions count in any return": the validation is the event that makes a claim count.
 *    The activity dates cannot be used: the level can only be judged after the activity, and
 *    validation often follows weeks later, so counting by activity date would restate every
 *    closed month as late validations arrive (a figure already given to a meeting would change).
 *    By validation date, a return for a closed period gives the same answer whenever it is run,
 *    and re-running last year's return reproduces it. The cost, accepted and stated in the
 *    return: activity in late March validated in April counts in the new financial year.
 * 2. WHICH LEVEL: the level that stood at the end of the period. That is the validated level,
 *    unless a durability review recorded on or before the last day of the period changed it
 *    (`levelAfterReview`). A review after the period does not rewrite the period; it shows as a
 *    downgrade or upgrade in the period in which it was recorded (decision 6).
 * 3. WHAT COUNTS AS DISRUPTED: major, moderate and minor. "A disruption is achieved when a
 *    network cannot operate at its normal level for a significant time"; an activity validated
 *    at `none` achieved none, and `negative` made the network more capable. Networks whose
 *    validated activity in the period is all `none` or `negative` are reported separately
 *    ("assessed, not disrupted"), at the higher of the two, and are not in the disrupted total.
 *    Order, highest first: major > moderate > minor > none > negative.
 * 4. WHICH NETWORKS: every network a record names (the primary and the others). A record names
 *    the networks it disrupted; the primary only marks the lead one. Each distinct network is
 *    counted once, at its highest level across all the period's validated records.
 * 5. BY CLAIMING BUSINESS GROUP: a network disrupted by records of two groups counts once in
 *    each group (at the highest level among that group's records) and once in the overall
 *    total, so the groups can add up to more than the total. The return says so beside the table.
 * 6. REJECTED, DOWNGRADED, UPGRADED: claims rejected on a day in the period (`rejectedOn`), and
 *    durability reviews recorded in the period (`reviewedOn`) that downgraded or upgraded the
 *    level. Returned claims are not rejections: they come back for amendment.
 * 7. DISRUPTION EVENTS: validated records in the period at a disrupting level (decision 3),
 *    where records with the same partner reference AND the same primary network are one event
 *    (the same operation claimed twice, e.g. by the force and a partner, or by two groups).
 *    Partner references are compared ignoring case and surrounding spaces. Records with no
 *    partner reference are never merged. An event's level is the highest of its records'.
 * 8. BAND A SHARE: Band A networks (the set given by the caller, e.g. Band A at the end of the
 *    period) with a disruption counted in (4), over the size of that set.
 */
import { z } from 'zod';
import { compareIsoDates, isIsoDate } from '../../preload/contract/dates';
import type { Period } from '../../preload/contract/periods';
import { contains } from '../../preload/contract/periods';

export const COUNTING_RULES = {
  id: 'count-1',
  description:
    'Disruptions count in the period in which they were validated, at the level standing at the end of the period; a network counts once at its highest level (major, moderate or minor; none and negative are not disruptions); records sharing a partner reference and primary network are one event.',
} as const;

import {
  DISRUPTING_LEVELS,
  DISRUPTION_LEVELS,
  DISRUPTION_STATUSES,
  DURABILITY_OUTCOMES,
  LEVEL_RANK,
  type DisruptingLevel,
  type DisruptionLevel,
  type DisruptionStatus,
  type DurabilityOutcome,
} from '../../preload/contract/vocabulary';

const isoDay = z.string().refine(isIsoDate, { error: 'must be a real date written YYYY-MM-DD' });
const text = z.string().min(1, { error: 'must not be empty' });

export const countedDisruption = z
  .strictObject({
    id: text,
    networkIds: z.array(text),
    primaryNetworkId: text,
    partnerReference: z.string().nullish(),
    claimingBusinessGroup: text,
    status: z.enum(DISRUPTION_STATUSES),
    validatedOn: isoDay.nullish(),
    /** Day the claim was rejected, for "claims rejected in the period". */
    rejectedOn: isoDay.nullish(),
    activityStart: isoDay,
    activityEnd: isoDay,
    /** The level as validated. */
    level: z.enum(DISRUPTION_LEVELS),
    durabilityOutcome: z.enum(DURABILITY_OUTCOMES).nullish(),
    levelAfterReview: z.enum(DISRUPTION_LEVELS).nullish(),
    /** Day the durability review was recorded. */
    reviewedOn: isoDay.nullish(),
  })
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string): void => {
      ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (compareIsoDates(r.activityStart, r.activityEnd) > 0) {
      issue('activityEnd', 'the activity ends before it starts');
    }
    if (r.status === 'validated' && !r.validatedOn) {
      issue('validatedOn', 'a validated disruption needs its validation date');
    }
    if (r.status === 'rejected' && !r.rejectedOn) {
      issue('rejectedOn', 'a rejected claim needs the date it was rejected');
    }
    if (r.durabilityOutcome) {
      if (r.status !== 'validated') issue('durabilityOutcome', 'only a validated disruption is reviewed');
      if (!r.reviewedOn) issue('reviewedOn', 'a durability review needs the date it was recorded');
      if (!r.levelAfterReview) issue('levelAfterReview', 'a durability review needs the level it left');
      else {
        const change = LEVEL_RANK[r.levelAfterReview] - LEVEL_RANK[r.level];
        const expected: Record<DurabilityOutcome, boolean> = {
          confirmed: change === 0,
          downgraded: change < 0,
          upgraded: change > 0,
        };
        if (!expected[r.durabilityOutcome]) {
          issue(
            'levelAfterReview',
            `the review ${r.durabilityOutcome} the level, but it went from ${r.level} to ${r.levelAfterReview}`,
          );
        }
      }
    } else if (r.levelAfterReview || r.reviewedOn) {
      issue('durabilityOutcome', 'a review level or date is given without a review outcome');
    }
  });
export type CountedDisruption = z.input<typeof countedDisruption>;

/** Thrown when records cannot be counted; lists every problem by record id. */
export class CountingInputError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`Disruption records rejected: ${issues.join('; ')}`);
    this.name = 'CountingInputError';
    this.issues = issues;
  }
}

export type LevelCounts = Record<DisruptingLevel, number> & { total: number };

export interface GroupCounts {
  businessGroup: string;
  networks: LevelCounts;
  events: LevelCounts;
}

export interface CountedNetwork {
  networkId: string;
  /** Highest level across the period's validated records. */
  level: DisruptionLevel;
  /** Ids of the records that placed it, sorted. */
  disruptionIds: string[];
}

export interface DisruptionCounts {
  rules: typeof COUNTING_RULES;
  period: { id: string; from: string; to: string };
  /** Distinct networks at their highest disrupting level. */
  networksDisrupted: LevelCounts;
  /** Networks with validated activity in the period but none at a disrupting level. */
  networksAssessedNotDisrupted: { none: number; negative: number; total: number };
  /** One entry per claiming business group with a validated record in the period, by code. */
  byBusinessGroup: GroupCounts[];
  /** Disruption events (decision 7) by level. */
  events: LevelCounts;
  /** How many validated records were folded into another by partner reference. */
  duplicateRecordsMerged: number;
  claimsRejected: number;
  claimsDowngraded: number;
  claimsUpgraded: number;
  bandA: { networks: number; disrupted: number; share: number | null };
  /** Every network with validated activity in the period (disrupted or not), by id. */
  networks: CountedNetwork[];
}

function emptyLevels(): LevelCounts {
  return { major: 0, moderate: 0, minor: 0, total: 0 };
}

function isDisrupting(level: DisruptionLevel): level is DisruptingLevel {
  return LEVEL_RANK[level] >= LEVEL_RANK.minor;
}

function higher(a: DisruptionLevel, b: DisruptionLevel): DisruptionLevel {
  return LEVEL_RANK[b] > LEVEL_RANK[a] ? b : a;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Validate records; throws `CountingInputError` naming each bad record and field. */
export function parseCountedDisruptions(records: readonly unknown[]): CountedDisruptionParsed[] {
  const issues: string[] = [];
  const parsed: CountedDisruptionParsed[] = [];
  const ids = new Set<string>();
  records.forEach((record, i) => {
    const result = countedDisruption.safeParse(record);
    const label =
      typeof record === 'object' && record !== null && typeof (record as { id?: unknown }).id === 'string'
        ? `record ${(record as { id: string }).id}`
        : `record ${i + 1}`;
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push(`${label}: ${issue.path.map(String).join('.') || '(record)'} ${issue.message}`);
      }
      return;
    }
    if (ids.has(result.data.id)) issues.push(`${label}: appears more than once`);
    ids.add(result.data.id);
    parsed.push(result.data);
  });
  if (issues.length > 0) throw new CountingInputError(issues);
  return parsed;
}
export type CountedDisruptionParsed = z.output<typeof countedDisruption>;

/** The level a record stood at on `day` (decision 2). */
export function levelOn(record: CountedDisruptionParsed, day: string): DisruptionLevel {
  if (
    record.durabilityOutcome &&
    record.levelAfterReview &&
    record.reviewedOn &&
    compareIsoDates(record.reviewedOn, day) <= 0
  ) {
    return record.levelAfterReview;
  }
  return record.level;
}

/** Networks a record names: the primary and the others, each once (decision 4). */
function networksOf(record: CountedDisruptionParsed): string[] {
  return [...new Set([record.primaryNetworkId, ...record.networkIds])];
}

function eventKey(record: CountedDisruptionParsed): string {
  const reference = record.partnerReference?.trim().toUpperCase();
  // No partner reference: the record is its own event.
  return reference
    ? JSON.stringify(['ref', reference, record.primaryNetworkId])
    : JSON.stringify(['id', record.id]);
}

function countEvents(records: readonly { key: string; level: DisruptingLevel }[]): {
  events: LevelCounts;
  merged: number;
} {
  const byKey = new Map<string, DisruptingLevel>();
  for (const { key, level } of records) {
    const seen = byKey.get(key);
    byKey.set(key, seen ? (higher(seen, level) as DisruptingLevel) : level);
  }
  const events = emptyLevels();
  for (const level of byKey.values()) {
    events[level] += 1;
    events.total += 1;
  }
  return { events, merged: records.length - byKey.size };
}

function countNetworks(levels: ReadonlyMap<string, DisruptionLevel>): LevelCounts {
  const counts = emptyLevels();
  for (const level of levels.values()) {
    if (isDisrupting(level)) {
      counts[level] += 1;
      counts.total += 1;
    }
  }
  return counts;
}

/**
 * Count disruptions for a period under rule set count-1 (see the module comment).
 * `bandANetworkIds` is the Band A population the share is taken over.
 */
export function countDisruptions(
  records: readonly unknown[],
  period: Pick<Period, 'id' | 'from' | 'to'>,
  bandANetworkIds: readonly string[] = [],
): DisruptionCounts {
  const parsed = parseCountedDisruptions(records);
  const inPeriod = parsed.filter(
    (r) => r.status === 'validated' && r.validatedOn && contains(period, r.validatedOn),
  );

  const networkLevels = new Map<string, DisruptionLevel>();
  const networkRecords = new Map<string, string[]>();
  const groupLevels = new Map<string, Map<string, DisruptionLevel>>();
  const eventRecords: { key: string; level: DisruptingLevel; group: string }[] = [];

  for (const record of inPeriod) {
    const level = levelOn(record, period.to);
    const group = record.claimingBusinessGroup;
    if (!groupLevels.has(group)) groupLevels.set(group, new Map());
    const inGroup = groupLevels.get(group)!;
    for (const networkId of networksOf(record)) {
      const seen = networkLevels.get(networkId);
      networkLevels.set(networkId, seen ? higher(seen, level) : level);
      const ids = networkRecords.get(networkId);
      if (ids) ids.push(record.id);
      else networkRecords.set(networkId, [record.id]);
      const seenInGroup = inGroup.get(networkId);
      inGroup.set(networkId, seenInGroup ? higher(seenInGroup, level) : level);
    }
    if (isDisrupting(level)) eventRecords.push({ key: eventKey(record), level, group });
  }

  const notDisrupted = { none: 0, negative: 0, total: 0 };
  for (const level of networkLevels.values()) {
    if (level === 'none' || level === 'negative') {
      notDisrupted[level] += 1;
      notDisrupted.total += 1;
    }
  }

  const { events, merged } = countEvents(eventRecords);

  const byBusinessGroup: GroupCounts[] = [...groupLevels.keys()].sort(compareText).map((group) => ({
    businessGroup: group,
    networks: countNetworks(groupLevels.get(group)!),
    events: countEvents(eventRecords.filter((e) => e.group === group)).events,
  }));

  const inRange = (day: string | null | undefined): boolean => !!day && contains(period, day);
  const claimsRejected = parsed.filter((r) => r.status === 'rejected' && inRange(r.rejectedOn)).length;
  const reviewed = parsed.filter((r) => r.status === 'validated' && inRange(r.reviewedOn));
  const claimsDowngraded = reviewed.filter((r) => r.durabilityOutcome === 'downgraded').length;
  const claimsUpgraded = reviewed.filter((r) => r.durabilityOutcome === 'upgraded').length;

  const bandA = new Set(bandANetworkIds);
  const bandADisrupted = [...bandA].filter((id) => {
    const level = networkLevels.get(id);
    return level !== undefined && isDisrupting(level);
  }).length;

  return {
    rules: COUNTING_RULES,
    period: { id: period.id, from: period.from, to: period.to },
    networksDisrupted: countNetworks(networkLevels),
    networksAssessedNotDisrupted: notDisrupted,
    byBusinessGroup,
    events,
    duplicateRecordsMerged: merged,
    claimsRejected,
    claimsDowngraded,
    claimsUpgraded,
    bandA: {
      networks: bandA.size,
      disrupted: bandADisrupted,
      share: bandA.size === 0 ? null : bandADisrupted / bandA.size,
    },
    networks: [...networkLevels.keys()].sort(compareText).map((networkId) => ({
      networkId,
      level: networkLevels.get(networkId)!,
      disruptionIds: [...new Set(networkRecords.get(networkId))].sort(compareText),
    })),
  };
}
