/**
 * The register's own rules (docs/specification.md, "Core records", "Governance the software enforces"), stated
 * once for every path that records the register: the matrix service (a record made on screen) and
 * the import (a register brought in from a document). Pure: the day, the dates of birth and the
 * intelligence are given.
 *
 * - Age is counted in whole years on a day; a person is under 18 until their 18th birthday.
 * - A member link other than victim / at risk needs two or more graded items from distinct
 *   sources, or a self-admission: nobody is linked on association alone. A victim / at-risk link
 *   is safeguarding only, and never scores.
 * - Reviews: member links every 6 months (3 for a person under 18 on the day), networks every 12.
 *   A gang flag is reviewed 6 months after it is proposed or confirmed, 3 months after a confirmed
 *   flag on an under-18.
 * - An offence → network link cites at least one graded item.
 * - A gang flag's criteria are two graded items from distinct sources, or a self-admission; a
 *   confirmed flag on an offence that names a network proposes that offence → network link, for
 *   an analyst to confirm, unless the two are linked already.
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

export const NETWORK_REVIEW_MONTHS = 12;
export const MEMBER_REVIEW_MONTHS = 6;
export const UNDER_18_MEMBER_REVIEW_MONTHS = 3;
export const FLAG_REVIEW_MONTHS = 6;

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

/** A network's next review: 12 months after its last review, or after today when it has had none. */
export function networkReviewOn(lastReviewedOn: string | null, today: string): string {
  return addMonths(lastReviewedOn ?? today, NETWORK_REVIEW_MONTHS);
}

/** Other boroughs of operation: each once, never the lead borough. */
export function otherBoroughsOf(leadBorough: string, otherBoroughs: readonly string[]): string[] {
  return [...new Set(otherBoroughs)].filter((b) => b !== leadBorough);
}

/* ---- Member links ---------------------------------------------------------------------------- */

export const MEMBER_LINK_BASIS_REFUSAL =
  'A member link needs at least two graded intelligence items from independent sources, or a self-admission. No one is linked on association or location alone.';

/**
 * The basis a member link is held on, or null when it has none and may not be made: safeguarding
 * for a victim / at-risk link (whatever else is given), then self-admission, then two or more
 * graded items from distinct sources.
 */
export function memberLinkBasis(role: MemberRole, isSelfAdmission: boolean, items: readonly GradedItem[]): MembershipBasis | null {
  if (role === 'victim_at_risk') return 'safeguarding';
  if (isSelfAdmission) return 'self_admission';
  return distinctGradedSources(items) >= 2 ? 'graded_sources' : null;
}

/** Months between a member link's reviews: 3 for a person under 18 on the day, else 6. */
export function memberReviewMonths(dateOfBirth: string | null, today: string): number {
  return isUnder18(dateOfBirth, today) ? UNDER_18_MEMBER_REVIEW_MONTHS : MEMBER_REVIEW_MONTHS;
}

/**
 * A member link's review date, counted from its last validation (today when it is validated now;
 * an import may give an earlier one), on the cycle for the person's age today
 * (docs/import-schema.md).
 */
export function memberReviewOn(dateOfBirth: string | null, validatedOn: string | null, today: string): string {
  return addMonths(validatedOn ?? today, memberReviewMonths(dateOfBirth, today));
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

export const FLAG_CRITERIA_REFUSAL = 'This flag does not meet its criteria: it needs two graded items from independent sources, or a self-admission.';

/** The criteria a flag is proposed under. */
export function flagCriteria(isSelfAdmission: boolean): FlagCriteria {
  return isSelfAdmission ? 'self_admission' : 'two_sources';
}

/** Whether a flag may be confirmed on its criteria and the items it cites. */
export function isFlagCriteriaMet(criteria: FlagCriteria, items: readonly GradedItem[]): boolean {
  return criteria === 'self_admission' || distinctGradedSources(items) >= 2;
}

/**
 * A flag's review date, from today: 6 months, or 3 when a flag on a person under 18 today is
 * confirmed. A proposed flag waits on the supervisor, so the child's cycle starts at confirmation.
 */
export function flagReviewOn(flag: { isConfirmed: boolean; subjectType: 'person' | 'offence'; dateOfBirth: string | null }, today: string): string {
  const isChild = flag.isConfirmed && flag.subjectType === 'person' && isUnder18(flag.dateOfBirth, today);
  return addMonths(today, isChild ? UNDER_18_MEMBER_REVIEW_MONTHS : FLAG_REVIEW_MONTHS);
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
