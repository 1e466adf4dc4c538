/**
 * The register's rules (main/domain/register-rules.ts) as tables of exact values: age on a day
 * and its birthday boundaries, distinct graded sources, the member-link basis, review dates for
 * networks, member links and flags, flag criteria, and the offence link a confirmed flag proposes.
 * The app (matrix.service.ts) and the import (services/import/) both call these functions.
 */
import { describe, expect, it } from 'vitest';
import {
  ageFloorRefusal,
  ageOn,
  distinctGradedSources,
  distinctQualifyingSources,
  flagCriteria,
  flagReviewOn,
  gradingFields,
  isFlagCriteriaMet,
  isFlagDueForReview,
  isOffenceLinkSupported,
  isReviewOverdue,
  isQualifying,
  isUnder18,
  isVictimOnly,
  memberLinkBasis,
  memberLinkBasisRefusal,
  memberReviewMonths,
  memberReviewOn,
  networkReviewOn,
  offenceLinkProposedBy,
  otherBoroughsOf,
  redatedFlagReviewOn,
  redatedMemberReviewOn,
  SELF_ADMISSION_CITATION_REFUSAL,
  type GradedItem,
} from '../../main/domain/register-rules';
import { reviewCycles } from '../../main/domain/retention-policy';
import { referenceData } from '../../main/services/reference.service';

/** The shipped policy's cycles: the review intervals come from resources/reference/retention-policy.json. */
const CYCLES = reviewCycles(referenceData().retentionPolicy);

const TODAY = '2026-06-30';

const item = (sourceRef: string, extra: Partial<GradedItem> = {}): GradedItem => ({ grading: '3x5x2', sourceGrade: 1, intelGrade: 'A', sourceRef, ...extra });
const legacy = (sourceRef: string): GradedItem => ({ grading: '5x5x5', sourceGrade: null, intelGrade: null, sourceRef });
const ungraded = (sourceRef: string): GradedItem => ({ grading: '3x5x2', sourceGrade: null, intelGrade: null, sourceRef });

describe('the policy in months (domain.md "Governance": reviews)', () => {
  it('is 12 for networks, 6 for member links, 3 for under-18s, 6 for flags', () => {
    expect([CYCLES.networkMonths, CYCLES.memberMonths, CYCLES.under18Months, CYCLES.flagMonths]).toEqual([12, 6, 3, 6]);
  });

  it('a shortened cycle moves every review date', () => {
    const short = { ...CYCLES, memberMonths: 4, networkMonths: 9 };
    expect(memberReviewOn('1990-01-01', null, TODAY, short)).toBe('2026-10-30');
    expect(networkReviewOn(null, TODAY, short)).toBe('2027-03-30');
  });
});

describe('ageOn and isUnder18', () => {
  it.each([
    // date of birth, day, age, under 18
    ['2008-06-30', '2026-06-30', 18, false], // the 18th birthday itself: 18
    ['2008-07-01', '2026-06-30', 17, true], // the day before the 18th birthday
    ['2008-06-29', '2026-06-30', 18, false],
    ['2008-12-31', '2026-01-01', 17, true],
    ['2008-01-01', '2025-12-31', 17, true],
    ['2008-01-01', '2026-01-01', 18, false],
    ['2026-06-30', '2026-06-30', 0, true], // born today
    ['1990-01-01', '2026-06-30', 36, false],
    // Born on 29 February: 18 on 1 March (eighteen years on is never a leap year); 20 on 29 February.
    ['2008-02-29', '2026-02-28', 17, true],
    ['2008-02-29', '2026-03-01', 18, false],
    ['2004-02-29', '2024-02-28', 19, false],
    ['2004-02-29', '2024-02-29', 20, false],
  ] as const)('born %s, on %s: %i (under 18: %s)', (dob, day, age, under) => {
    expect(ageOn(dob, day)).toBe(age);
    expect(isUnder18(dob, day)).toBe(under);
  });

  it('a person whose date of birth is not known has no age and is not marked', () => {
    expect(ageOn(null, TODAY)).toBeNull();
    expect(isUnder18(null, TODAY)).toBe(false);
  });
});

describe('distinctGradedSources', () => {
  it.each([
    ['nothing', [], 0],
    ['one item', [item('SRC-A')], 1],
    ['two sources', [item('SRC-A'), item('SRC-B')], 2],
    ['one source twice', [item('SRC-A'), item('SRC-A')], 1],
    ['one source, told apart only by case and spacing', [item('SRC-A'), item('  src-a ')], 1],
    ['a legacy 5x5x5 item counts as graded', [item('SRC-A'), legacy('SRC-C')], 2],
    ['an item without its grades does not count', [item('SRC-A'), ungraded('SRC-B')], 1],
    ['a source grade alone is not a grading', [item('SRC-A'), item('SRC-B', { intelGrade: null })], 1],
    ['an intelligence grade alone is not a grading', [item('SRC-A'), item('SRC-B', { sourceGrade: null })], 1],
    ['three sources', [item('A'), item('B'), legacy('C'), item('b')], 3],
  ] as const)('%s: %i', (_what, items, n) => {
    expect(distinctGradedSources(items)).toBe(n);
  });
});

describe('memberLinkBasis', () => {
  const two = [item('SRC-A'), item('SRC-B')];
  const oneSource = [item('SRC-A'), item('src-a')];
  it.each([
    // role, self-admission, items, basis
    ['principal', false, two, 'graded_sources'],
    ['associate', false, oneSource, null],
    ['lieutenant', false, [item('SRC-A')], null],
    ['facilitator', false, [], null],
    ['principal', true, [], null], // a self-admission cites the item that records it
    ['principal', true, [item('SRC-A')], 'self_admission'],
    ['principal', true, [item('SRC-A', { sourceGrade: 3, intelGrade: 'E' })], 'self_admission'], // the record of the admission, whatever its grade
    // A source graded 3 or intelligence graded D or E never counts towards two sources.
    ['principal', false, [item('SRC-A'), item('SRC-B', { sourceGrade: 3 })], null],
    ['principal', false, [item('SRC-A'), item('SRC-B', { intelGrade: 'D' })], null],
    ['principal', false, [item('SRC-A'), item('SRC-B', { intelGrade: 'E' })], null],
    ['principal', false, [item('SRC-A'), item('SRC-B', { sourceGrade: 2, intelGrade: 'C' })], 'graded_sources'],
    ['associate', true, two, 'self_admission'],
    ['principal', false, [item('SRC-A'), ungraded('SRC-B')], null],
    ['principal', false, [item('SRC-A'), legacy('SRC-B')], 'graded_sources'],
    // Victim / at risk: safeguarding, whatever else is given, and never refused for want of sources.
    ['victim_at_risk', false, [], 'safeguarding'],
    ['victim_at_risk', true, [], 'safeguarding'],
    ['victim_at_risk', false, two, 'safeguarding'],
  ] as const)('%s, self-admission %s: %s', (role, isSelfAdmission, items, basis) => {
    expect(memberLinkBasis(role, isSelfAdmission, items)).toBe(basis);
  });
});

describe('review dates', () => {
  it('networks: 12 months after the last review, or after today when there has been none', () => {
    expect(networkReviewOn(null, TODAY, CYCLES)).toBe('2027-06-30');
    expect(networkReviewOn('2025-11-03', TODAY, CYCLES)).toBe('2026-11-03');
    // A review due before today shows as overdue at once.
    expect(networkReviewOn('2025-02-28', TODAY, CYCLES)).toBe('2026-02-28');
    expect(networkReviewOn('2024-02-29', TODAY, CYCLES)).toBe('2025-02-28');
  });

  it.each([
    // date of birth, last validated, review on
    ['1990-01-01', null, '2026-12-30'], // an adult validated today: 6 months
    ['2010-01-01', null, '2026-09-30'], // a child validated today: 3 months
    ['2008-07-01', null, '2026-09-30'], // 18 tomorrow, still a child today: 3 months
    ['2008-06-30', null, '2026-12-30'], // 18 today: 6 months
    [null, null, '2026-12-30'], // age not known: the adult cycle
    ['1990-01-01', '2026-05-20', '2026-11-20'],
    ['2010-01-01', '2026-05-20', '2026-08-20'],
    ['2010-01-01', '2025-11-30', '2026-02-28'], // counted from the last validation, clamped to the month's end
  ] as const)('member link of a person born %s, last validated %s: review on %s', (dob, validatedOn, reviewOn) => {
    expect(memberReviewOn(dob, validatedOn, TODAY, CYCLES)).toBe(reviewOn);
  });

  it('member links: the cycle follows the age on the day', () => {
    expect(memberReviewMonths('2008-07-01', TODAY, CYCLES)).toBe(3);
    expect(memberReviewMonths('2008-07-01', '2026-07-01', CYCLES)).toBe(6);
    expect(memberReviewMonths(null, TODAY, CYCLES)).toBe(6);
  });

  it.each([
    // confirmed, subject, date of birth, review on
    [false, 'person', '2010-01-01', '2026-12-30'], // proposed: 6 months, whatever the age
    [false, 'person', '1990-01-01', '2026-12-30'],
    [false, 'offence', null, '2026-12-30'],
    [true, 'person', '2010-01-01', '2026-09-30'], // confirmed on a child: 3 months
    [true, 'person', '2008-07-01', '2026-09-30'],
    [true, 'person', '2008-06-30', '2026-12-30'], // 18 today: 6 months
    [true, 'person', '1990-01-01', '2026-12-30'],
    [true, 'person', null, '2026-12-30'],
    [true, 'offence', null, '2026-12-30'],
  ] as const)('flag (confirmed %s) on a %s born %s: review on %s', (isConfirmed, subjectType, dateOfBirth, reviewOn) => {
    expect(flagReviewOn({ isConfirmed, subjectType, dateOfBirth }, TODAY, CYCLES)).toBe(reviewOn);
  });

  it('overdue once the review day has passed; a confirmed flag is due on its review day', () => {
    expect(isReviewOverdue('2026-06-29', TODAY)).toBe(true);
    expect(isReviewOverdue('2026-06-30', TODAY)).toBe(false);
    expect(isReviewOverdue('2026-07-01', TODAY)).toBe(false);
    expect(isFlagDueForReview('confirmed', '2026-06-30', TODAY)).toBe(true);
    expect(isFlagDueForReview('confirmed', '2026-06-29', TODAY)).toBe(true);
    expect(isFlagDueForReview('confirmed', '2026-07-01', TODAY)).toBe(false);
    expect(isFlagDueForReview('proposed', '2026-06-29', TODAY)).toBe(false);
    expect(isFlagDueForReview('expired', '2026-06-29', TODAY)).toBe(false);
  });
});

describe('offence links and gang flags', () => {
  it('an offence link cites at least one graded item', () => {
    expect(isOffenceLinkSupported([item('SRC-A')])).toBe(true);
    expect(isOffenceLinkSupported([legacy('SRC-A')])).toBe(true);
    expect(isOffenceLinkSupported([ungraded('SRC-A')])).toBe(false);
    expect(isOffenceLinkSupported([])).toBe(false);
  });

  it('a flag is proposed under self-admission or two sources, and confirmed only when they are met', () => {
    expect(flagCriteria(true)).toBe('self_admission');
    expect(flagCriteria(false)).toBe('two_sources');
    expect(isFlagCriteriaMet('self_admission', [])).toBe(false);
    expect(isFlagCriteriaMet('self_admission', [item('SRC-A')])).toBe(true);
    expect(isFlagCriteriaMet('two_sources', [item('SRC-A'), item('SRC-B', { sourceGrade: 3 })])).toBe(false);
    expect(isFlagCriteriaMet('two_sources', [item('SRC-A', { intelGrade: 'E' }), item('SRC-B')])).toBe(false);
    expect(isFlagCriteriaMet('two_sources', [item('SRC-A'), item('SRC-B')])).toBe(true);
    expect(isFlagCriteriaMet('two_sources', [item('SRC-A'), item(' SRC-a')])).toBe(false);
    expect(isFlagCriteriaMet('two_sources', [item('SRC-A'), ungraded('SRC-B')])).toBe(false);
    expect(isFlagCriteriaMet('two_sources', [item('SRC-A')])).toBe(false);
    expect(isFlagCriteriaMet('two_sources', [])).toBe(false);
  });

  it('a confirmed flag proposes its offence → network link only on an offence, with a network and intelligence, not linked already', () => {
    const onOffence = { subjectType: 'offence', subjectId: 'o-1', networkId: 'n-1' } as const;
    expect(offenceLinkProposedBy(onOffence, 2, false)).toEqual({ offenceId: 'o-1', networkId: 'n-1' });
    expect(offenceLinkProposedBy(onOffence, 1, false)).toEqual({ offenceId: 'o-1', networkId: 'n-1' });
    expect(offenceLinkProposedBy(onOffence, 0, false)).toBeNull();
    expect(offenceLinkProposedBy(onOffence, 2, true)).toBeNull();
    expect(offenceLinkProposedBy({ ...onOffence, networkId: null }, 2, false)).toBeNull();
    expect(offenceLinkProposedBy({ ...onOffence, subjectType: 'person' }, 2, false)).toBeNull();
  });
});

describe('record shapes both paths share', () => {
  it('an item keeps the grades of its own scheme only', () => {
    expect(gradingFields({ grading: '3x5x2', sourceGrade: 2, intelGrade: 'B', handling: 'C', legacyGrade: 'B2 4' })).toEqual({
      grading: '3x5x2',
      sourceGrade: 2,
      intelGrade: 'B',
      handling: 'C',
      legacyGrade: null,
    });
    expect(gradingFields({ grading: '5x5x5', sourceGrade: 2, intelGrade: 'B', handling: 'C', legacyGrade: 'B2 4' })).toEqual({
      grading: '5x5x5',
      sourceGrade: null,
      intelGrade: null,
      handling: null,
      legacyGrade: 'B2 4',
    });
  });

  it('other boroughs are each listed once, never the lead borough, in the order given', () => {
    expect(otherBoroughsOf('E09000022', ['E09000028', 'E09000022', 'OUTSIDE', 'E09000028'])).toEqual(['E09000028', 'OUTSIDE']);
    expect(otherBoroughsOf('E09000022', [])).toEqual([]);
  });
});

describe('the tightened entry threshold (issue 10)', () => {
  it('a source graded 3 or intelligence graded D or E is graded but never qualifies', () => {
    expect(isQualifying(item('A'))).toBe(true);
    expect(isQualifying(item('A', { sourceGrade: 2, intelGrade: 'C' }))).toBe(true);
    expect(isQualifying(item('A', { sourceGrade: 3 }))).toBe(false);
    expect(isQualifying(item('A', { intelGrade: 'D' }))).toBe(false);
    expect(isQualifying(item('A', { intelGrade: 'E' }))).toBe(false);
    expect(isQualifying(ungraded('A'))).toBe(false);
    expect(isQualifying(legacy('A'))).toBe(true);
    expect(distinctGradedSources([item('A'), item('B', { sourceGrade: 3 })])).toBe(2);
    expect(distinctQualifyingSources([item('A'), item('B', { sourceGrade: 3 })])).toBe(1);
  });

  it('a self-admission citing nothing is refused with its own sentence', () => {
    expect(memberLinkBasisRefusal(true, [])).toBe(SELF_ADMISSION_CITATION_REFUSAL);
    expect(SELF_ADMISSION_CITATION_REFUSAL).toBe('A self-admission must cite the intelligence item that records it.');
  });

  it('victim only: every current link (at least one) is victim / at risk', () => {
    expect(isVictimOnly(['victim_at_risk'])).toBe(true);
    expect(isVictimOnly(['victim_at_risk', 'victim_at_risk'])).toBe(true);
    expect(isVictimOnly(['victim_at_risk', 'associate'])).toBe(false);
    expect(isVictimOnly([])).toBe(false);
  });

  it('the age floor: nobody under 10 on the day, counted in whole years; unknown age is not refused', () => {
    expect(ageFloorRefusal('2016-07-01', TODAY, 10, 'link')).toBe("Nobody under 10 on the link's date can be linked to a network other than as victim / at risk: this person was 9 then.");
    expect(ageFloorRefusal('2016-06-30', TODAY, 10, 'link')).toBeNull(); // the 10th birthday itself
    expect(ageFloorRefusal('2025-12-01', TODAY, 10, 'flag')).toBe('Nobody under 10 can be given a gang flag: this person is 0.');
    expect(ageFloorRefusal(null, TODAY, 10, 'flag')).toBeNull();
    expect(ageFloorRefusal('2015-01-01', TODAY, 12, 'flag')).toBe('Nobody under 12 can be given a gang flag: this person is 11.');
  });

  it('a corrected date of birth re-dates a review from its last validation', () => {
    // Validated 2026-06-30 as an adult (review 2026-12-30); corrected to a child: due 2026-09-30.
    expect(redatedMemberReviewOn('2026-12-30', '1990-01-01', '2010-01-01', TODAY, CYCLES)).toBe('2026-09-30');
    // And back: a child's 3-month review becomes 6 months from the same validation.
    expect(redatedMemberReviewOn('2026-09-30', '2010-01-01', '1990-01-01', TODAY, CYCLES)).toBe('2026-12-30');
    expect(redatedMemberReviewOn('2026-12-30', '1990-01-01', '1991-01-01', TODAY, CYCLES)).toBe('2026-12-30');
    expect(redatedFlagReviewOn('2026-12-30', null, '2012-03-04', TODAY, CYCLES)).toBe('2026-09-30');
  });
});
