/**
 * The register's own rules (docs/specification.md, "Core records", "Governance the software enforces"), stated
 * once for every path that records the register: the matrix service (a record made on screen) and
 * the import (a register brought in from a document). Pure: the day, the dates of birth, the
 * intelligence and the retention policy's review cycles (domain/retention-policy.ts) are given.
 *
 * - Age is counted in whole years on a day; a person is under 18 until their 18th birthday.
 * - Nobody under the policy's minimum age (10, the age of criminal responsibility in England and
 *   Wales) on the link's date is linked other than as victim / at risk, or flagged.
 * - A member link other than victim / at risk needs two or more qualifying graded items from
 *   distinct sources, or a self-admission that cites the item recording it: nobody is linked on
 *   association alone. A source graded 3 (not reliable) or intelligence graded D or E (not known,
 *   suspected false) never counts. A victim / at-risk link is safeguarding only, and never scores.
 * - Reviews, on the policy's cycles: member links every 6 months (3 for a person under 18 on the
 *   day), networks every 12. A gang flag is reviewed 6 months after it is proposed or confirmed,
 *   3 months after a confirmed flag on an under-18.
 * - An offence → network link cites at least one graded item.
 * - A gang flag's criteria are two qualifying graded items from distinct sources, or a
 *   self-admission citing its item; a person whose only current link is victim / at risk is never
 *   flagged; a confirmed flag on an offence that names a network proposes that offence → network
 *   link, for an analyst to confirm, unless the two are linked already.
 */
import { addMonths, compareIsoDates } from '../../preload/contract/dates';
import type {
  FlagCriteria,
  Grading,
  HandlingCode,
  IntelligenceGrade,
  MemberRole,
  MembershipBasis,
  SourceGrade,
} from '../../preload/contract/vocabulary';
import type { ReviewCycles } from './retention-policy';

export type { ReviewCycles };

/* ---- Age ------------------------------------------------------------------------------------- */

/** Whole years of age on a day (both YYYY-MM-DD); null when the date of birth is not known. */
export function ageOn(dateOfBirth: string | null, day: string): number | null {
  if (!dateOfBirth) return null;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Under 18 on the day; a person whose date of birth is not known is not marked. */
export function isUnder18(dateOfBirth: string | null, day: string): boolean {
  const age = ageOn(dateOfBirth, day);
  return age !== null && age < 18;
}

/**
 * Why a person may not be linked (other than as victim / at risk) or flagged on a day: under the
 * policy's minimum age then. Null when they may be, or when their date of birth is not known.
 */
export function ageFloorRefusal(dateOfBirth: string | null, day: string, minimumAge: number, what: 'link' | 'flag'): string | null {
  const age = ageOn(dateOfBirth, day);
  if (age === null || age >= minimumAge) return null;
  return what === 'link'
    ? `Nobody under ${minimumAge} on the link's date can be linked to a network other than as victim / at risk: this person was ${age} then.`
    : `Nobody under ${minimumAge} can be given a gang flag: this person is ${age}.`;
}

/* ---- Graded sources -------------------------------------------------------------------------- */

/** What the rules read of an intelligence item. */
export interface GradedItem {
  grading: Grading;
  sourceGrade: number | null;
  intelGrade: string | null;
  sourceRef: string;
}

/** An item counts as graded when it carries a 3x5x2 source and intelligence grade, or a recorded 5x5x5 grade. */
export function isGraded(item: GradedItem): boolean {
  return item.grading === '5x5x5' || (item.sourceGrade !== null && item.intelGrade !== null);
}

/** Distinct sources among the graded items: items with the same source (any case, any spacing around it) are one. */
export function distinctGradedSources(items: readonly GradedItem[]): number {
  const sources = new Set<string>();
  for (const i of items) if (isGraded(i)) sources.add(i.sourceRef.trim().toLowerCase());
  return sources.size;
}

/**
 * An item counts towards "two independent graded sources" when it is graded and neither its
 * source is graded 3 (not reliable) nor the intelligence D (not known) or E (suspected false).
 * A 5x5x5 grade is kept as recorded and counts as graded, as it always has.
 */
export function isQualifying(item: GradedItem): boolean {
  if (!isGraded(item)) return false;
  if (item.grading !== '3x5x2') return true;
  return item.sourceGrade !== 3 && item.intelGrade !== 'D' && item.intelGrade !== 'E';
}

/** Distinct sources among the qualifying items (as distinctGradedSources, counting only qualifying items). */
export function distinctQualifyingSources(items: readonly GradedItem[]): number {
  const sources = new Set<string>();
  for (const i of items) if (isQualifying(i)) sources.add(i.sourceRef.trim().toLowerCase());
  return sources.size;
}

/** An item's grading as recorded: its scheme, and the grades of that scheme. */
export interface Grades {
  grading: Grading;
  sourceGrade: SourceGrade | null;
  intelGrade: IntelligenceGrade | null;
  handling: HandlingCode | null;
  legacyGrade: string | null;
}

/** The grading fields an item keeps: those of its own scheme, the other scheme's cleared. */
export function gradingFields(d: Grades): Grades {
  const isCurrent = d.grading === '3x5x2';
  return {
    grading: d.grading,
    sourceGrade: isCurrent ? d.sourceGrade : null,
    intelGrade: isCurrent ? d.intelGrade : null,
    handling: isCurrent ? d.handling : null,
    legacyGrade: isCurrent ? null : d.legacyGrade,
  };
}

/* ---- Networks -------------------------------------------------------------------------------- */

/** A network's next review: 12 months (the policy's cycle) after its last review, or after today when it has had none. */
export function networkReviewOn(lastReviewedOn: string | null, today: string, cycles: ReviewCycles): string {
  return addMonths(lastReviewedOn ?? today, cycles.networkMonths);
}

/** Other boroughs of operation: each once, never the lead borough. */
export function otherBoroughsOf(leadBorough: string, otherBoroughs: readonly string[]): string[] {
  return [...new Set(otherBoroughs)].filter((b) => b !== leadBorough);
}

/* ---- Member links ---------------------------------------------------------------------------- */

export const MEMBER_LINK_BASIS_REFUSAL =
  'A member link needs at least two graded intelligence items from independent sources, or a self-admission. No one is linked on association or location alone. A source graded 3 or intelligence graded D or E does not count.';

export const SELF_ADMISSION_CITATION_REFUSAL = 'A self-admission must cite the intelligence item that records it.';

/**
 * The basis a member link is held on, or null when it has none and may not be made: safeguarding
 * for a victim / at-risk link (whatever else is given), then a self-admission citing at least one
 * item (the one that records it), then two or more qualifying graded items from distinct sources.
 */
export function memberLinkBasis(role: MemberRole, isSelfAdmission: boolean, items: readonly GradedItem[]): MembershipBasis | null {
  if (role === 'victim_at_risk') return 'safeguarding';
  if (isSelfAdmission) return items.length > 0 ? 'self_admission' : null;
  return distinctQualifyingSources(items) >= 2 ? 'graded_sources' : null;
}

/** The refusal of a link with no basis: the self-admission's own sentence when it cites nothing. */
export function memberLinkBasisRefusal(isSelfAdmission: boolean, items: readonly GradedItem[]): string {
  return isSelfAdmission && items.length === 0 ? SELF_ADMISSION_CITATION_REFUSAL : MEMBER_LINK_BASIS_REFUSAL;
}

/** Months between a member link's reviews, on the policy's cycles: under 18 on the day, else the adult cycle. */
export function memberReviewMonths(dateOfBirth: string | null, today: string, cycles: ReviewCycles): number {
  return isUnder18(dateOfBirth, today) ? cycles.under18Months : cycles.memberMonths;
}

/**
 * A member link's review date, counted from its last validation (today when it is validated now;
 * an import may give an earlier one), on the cycle for the person's age today
 * (docs/import-schema.md).
 */
export function memberReviewOn(dateOfBirth: string | null, validatedOn: string | null, today: string, cycles: ReviewCycles): string {
  return addMonths(validatedOn ?? today, memberReviewMonths(dateOfBirth, today, cycles));
}

/**
 * A current link's review date after its person's date of birth is corrected: its last validation
 * (the review date less the cycle it was set on, for the old date of birth on `today`) plus the
 * cycle for the corrected one. A child's link falls due sooner; an adult's, later.
 */
export function redatedMemberReviewOn(reviewOn: string, oldDateOfBirth: string | null, newDateOfBirth: string | null, today: string, cycles: ReviewCycles): string {
  const validatedOn = addMonths(reviewOn, -memberReviewMonths(oldDateOfBirth, today, cycles));
  return addMonths(validatedOn, memberReviewMonths(newDateOfBirth, today, cycles));
}

/** A confirmed flag's review date after a date-of-birth correction, as redatedMemberReviewOn on the flag cycles. */
export function redatedFlagReviewOn(reviewOn: string, oldDateOfBirth: string | null, newDateOfBirth: string | null, today: string, cycles: ReviewCycles): string {
  const months = (dob: string | null) => (isUnder18(dob, today) ? cycles.under18Months : cycles.flagMonths);
  return addMonths(addMonths(reviewOn, -months(oldDateOfBirth)), months(newDateOfBirth));
}

/** Overdue: the review day has passed (a review due today is not yet overdue). */
export function isReviewOverdue(reviewOn: string, today: string): boolean {
  return compareIsoDates(reviewOn, today) < 0;
}

/* ---- Offence links --------------------------------------------------------------------------- */

export const OFFENCE_LINK_SUPPORT_REFUSAL = 'Cite at least one graded intelligence item.';

/** An offence → network link cites at least one graded item. */
export function isOffenceLinkSupported(items: readonly GradedItem[]): boolean {
  return distinctGradedSources(items) >= 1;
}

/* ---- Gang flags ------------------------------------------------------------------------------ */

export const FLAG_CRITERIA_REFUSAL =
  'This flag does not meet its criteria: it needs two graded items from independent sources (a source graded 3 or intelligence graded D or E does not count), or a self-admission citing the item that records it.';

export const VICTIM_ONLY_FLAG_REFUSAL = 'A person whose only link is as victim / at risk cannot be given a gang flag: the link is for safeguarding.';

export const SELF_CONFIRMED_FLAG_REFUSAL = 'A gang flag must be confirmed by a supervisor other than the person who proposed it.';

/** A person may be flagged unless every current link they have is victim / at risk (at least one). */
export function isVictimOnly(liveRoles: readonly MemberRole[]): boolean {
  return liveRoles.length > 0 && liveRoles.every((r) => r === 'victim_at_risk');
}

/** The criteria a flag is proposed under. */
export function flagCriteria(isSelfAdmission: boolean): FlagCriteria {
  return isSelfAdmission ? 'self_admission' : 'two_sources';
}

/** Whether a flag may be confirmed on its criteria and the items it cites. */
export function isFlagCriteriaMet(criteria: FlagCriteria, items: readonly GradedItem[]): boolean {
  return criteria === 'self_admission' ? items.length > 0 : distinctQualifyingSources(items) >= 2;
}

/**
 * A flag's review date, from today, on the policy's cycles: 6 months, or 3 when a flag on a person
 * under 18 today is confirmed. A proposed flag waits on the supervisor, so the child's cycle
 * starts at confirmation.
 */
export function flagReviewOn(flag: { isConfirmed: boolean; subjectType: 'person' | 'offence'; dateOfBirth: string | null }, today: string, cycles: ReviewCycles): string {
  const isChild = flag.isConfirmed && flag.subjectType === 'person' && isUnder18(flag.dateOfBirth, today);
  return addMonths(today, isChild ? cycles.under18Months : cycles.flagMonths);
}

/** A confirmed flag is due for review on its review day. */
export function isFlagDueForReview(status: string, reviewOn: string, today: string): boolean {
  return status === 'confirmed' && compareIsoDates(reviewOn, today) <= 0;
}

export const FLAG_LINK_RATIONALE = 'Proposed by a confirmed gang flag on the offence.';

/**
 * The offence → network link that confirming a flag proposes, if any: a flag on an offence that
 * names a network and cites intelligence proposes that link, unless the two are linked already
 * (in any status, so a rejected link is not proposed again).
 */
export function offenceLinkProposedBy(
  flag: { subjectType: 'person' | 'offence'; subjectId: string; networkId: string | null },
  intelCount: number,
  isAlreadyLinked: boolean,
): { offenceId: string; networkId: string } | null {
  if (flag.subjectType !== 'offence' || flag.networkId === null || intelCount === 0 || isAlreadyLinked) return null;
  return { offenceId: flag.subjectId, networkId: flag.networkId };
}
