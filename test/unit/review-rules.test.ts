/** The review rules on their own (main/domain/review-rules.ts): the window's edges, the threshold, the ceiling. */
import { describe, expect, test } from 'vitest';
import { earlierOf, evidenceCeiling, judgeEvidence, nextReviewOnRetain, type ReviewItem } from '../../main/domain/review-rules';

const item = (id: string, itemDate: string, sourceRef: string, sourceGrade = 1, intelGrade = 'A'): ReviewItem => ({ id, itemDate, sourceRef, grading: '3x5x2', sourceGrade, intelGrade });
const WINDOW = { months: 12, minimumItems: 1 };
const graded = { kind: 'membership', basis: 'graded_sources' } as const;

describe('judgeEvidence', () => {
  test('an item dated on the window\'s first day counts; the day before does not', () => {
    expect(judgeEvidence(graded, [item('a', '2025-07-10', 'S1'), item('b', '2020-01-01', 'S2')], WINDOW, '2026-07-10')).toMatchObject({ isMet: true, inWindow: ['a'], windowFrom: '2025-07-10' });
    expect(judgeEvidence(graded, [item('a', '2025-07-09', 'S1'), item('b', '2020-01-01', 'S2')], WINDOW, '2026-07-10')).toMatchObject({ isMet: false, inWindow: [] });
  });

  test('two items from one source (any case, any spacing) are one source; a D grade never counts', () => {
    expect(judgeEvidence(graded, [item('a', '2026-07-01', 'CHIS 1'), item('b', '2026-07-02', ' chis 1 ')], WINDOW, '2026-07-10').meetsThreshold).toBe(false);
    expect(judgeEvidence(graded, [item('a', '2026-07-01', 'S1'), item('b', '2026-07-02', 'S2', 1, 'D')], WINDOW, '2026-07-10').meetsThreshold).toBe(false);
  });

  test('a self-admission needs its item; a raised minimum asks for more', () => {
    const self = { kind: 'gang_flag', criteria: 'self_admission' } as const;
    expect(judgeEvidence(self, [], WINDOW, '2026-07-10').missing[0]).toBe('It no longer meets its entry threshold: re-check the item that records the self-admission.');
    expect(judgeEvidence(self, [item('a', '2026-07-01', 'S1')], { months: 12, minimumItems: 2 }, '2026-07-10').missing).toEqual([
      'Only 1 qualifying item re-checked is dated within the last 12 months (since 10/07/2025): at least 2 are needed.',
    ]);
  });
});

describe('next review and ceiling', () => {
  const cycles = { memberMonths: 6, flagMonths: 6, under18Months: 3, networkMonths: 12 };
  test('the cycle by kind and age on the day (18 today is an adult)', () => {
    expect(nextReviewOnRetain('membership', '2008-07-10', '2026-07-10', cycles)).toEqual({ reviewOn: '2027-01-10', months: 6 });
    expect(nextReviewOnRetain('membership', '2008-07-11', '2026-07-10', cycles)).toEqual({ reviewOn: '2026-10-10', months: 3 });
    expect(nextReviewOnRetain('network', null, '2026-07-10', cycles)).toEqual({ reviewOn: '2027-07-10', months: 12 });
  });
  test('the ceiling caps the date', () => {
    expect(evidenceCeiling('2021-09-02', 5)).toBe('2026-09-02');
    expect(earlierOf('2027-01-10', '2026-09-02')).toBe('2026-09-02');
    expect(earlierOf('2027-01-10', null)).toBe('2027-01-10');
  });
});
