/**
 * "Reviews done on time" (rule set reviews-1, main/returns/reviews.ts): cycles from entry and
 * recorded reviews, and the counts for a period, with the boundaries the rules name.
 */
import { describe, expect, it } from 'vitest';
import { countReviews, reviewCycles, type NetworkReviewFacts } from '../../main/returns/reviews';
import { financialYearPeriod, monthPeriod } from '../../preload/contract/periods';

const net = (over: Partial<NetworkReviewFacts> & { networkId: string }): NetworkReviewFacts => ({
  status: 'active',
  enteredOn: '2024-05-10',
  reviewedOn: [],
  nextReviewOn: '2025-05-10',
  ...over,
});

describe('reviewCycles', () => {
  it('a network never reviewed has one open cycle, due on its stored next-review date', () => {
    expect(reviewCycles(net({ networkId: 'n1' }))).toEqual([{ networkId: 'n1', dueOn: '2025-05-10', reviewedOn: null }]);
  });

  it('each recorded review closes the cycle it falls in, due 12 months after the cycle began', () => {
    const n = net({ networkId: 'n1', reviewedOn: ['2026-06-01', '2025-05-01', '2025-05-01'], nextReviewOn: '2027-06-01' });
    expect(reviewCycles(n)).toEqual([
      { networkId: 'n1', dueOn: '2025-05-10', reviewedOn: '2025-05-01' },
      { networkId: 'n1', dueOn: '2026-05-01', reviewedOn: '2026-06-01' },
      { networkId: 'n1', dueOn: '2027-06-01', reviewedOn: null },
    ]);
  });

  it('an archived network has no open cycle; its past reviews stay', () => {
    expect(reviewCycles(net({ networkId: 'n1', status: 'archived', reviewedOn: ['2025-04-01'] }))).toEqual([{ networkId: 'n1', dueOn: '2025-05-10', reviewedOn: '2025-04-01' }]);
  });

  it('29 February: a cycle begun on 29/02/2024 falls due on 28/02/2025', () => {
    expect(reviewCycles(net({ networkId: 'n1', enteredOn: '2024-02-29', reviewedOn: ['2025-03-01'], nextReviewOn: '2026-03-01' }))[0]!.dueOn).toBe('2025-02-28');
  });
});

describe('countReviews', () => {
  const fy = financialYearPeriod(2024); // 01/04/2024 – 31/03/2025

  it('on time (on or before the due date), late, outstanding; the period is by due date', () => {
    const networks = [
      net({ networkId: 'onTime', enteredOn: '2024-01-15', reviewedOn: ['2025-01-15'], nextReviewOn: '2026-01-15' }),
      net({ networkId: 'early', enteredOn: '2024-01-15', reviewedOn: ['2024-12-01'], nextReviewOn: '2025-12-01' }),
      net({ networkId: 'late', enteredOn: '2024-01-15', reviewedOn: ['2025-01-16'], nextReviewOn: '2026-01-16' }),
      net({ networkId: 'lateAfterPeriod', enteredOn: '2024-03-01', reviewedOn: ['2025-06-01'], nextReviewOn: '2026-06-01' }),
      net({ networkId: 'outstanding', enteredOn: '2024-02-01', nextReviewOn: '2025-02-01' }),
      net({ networkId: 'dueBefore', enteredOn: '2023-03-31', nextReviewOn: '2024-03-31' }),
      net({ networkId: 'dueFirstDay', enteredOn: '2023-04-01', nextReviewOn: '2024-04-01' }),
      net({ networkId: 'dueLastDay', enteredOn: '2024-03-31', nextReviewOn: '2025-03-31' }),
      net({ networkId: 'dueAfter', enteredOn: '2024-04-01', nextReviewOn: '2025-04-01' }),
      net({ networkId: 'archived', status: 'archived', enteredOn: '2024-02-01', nextReviewOn: '2025-02-01' }),
    ];
    expect(countReviews(networks, fy, '2025-07-01')).toEqual({ due: 7, onTime: 2, late: 2, outstanding: 3 });
  });

  it('a review due today or later is not yet counted; one done early is', () => {
    const june = monthPeriod(2025, 6);
    const networks = [
      net({ networkId: 'dueToday', enteredOn: '2024-06-15', nextReviewOn: '2025-06-15' }),
      net({ networkId: 'dueYesterday', enteredOn: '2024-06-14', nextReviewOn: '2025-06-14' }),
      net({ networkId: 'dueLaterDoneEarly', enteredOn: '2024-06-20', reviewedOn: ['2025-06-10'], nextReviewOn: '2026-06-10' }),
      net({ networkId: 'dueLaterOpen', enteredOn: '2024-06-25', nextReviewOn: '2025-06-25' }),
    ];
    expect(countReviews(networks, june, '2025-06-15')).toEqual({ due: 2, onTime: 1, late: 0, outstanding: 1 });
  });
});
