/**
 * Disruption events per month (main/returns/series.ts): the chart series and the corporate
 * return's events table. Exact months for a small case, and a property test that the series'
 * totals by level are exactly counting.ts's events for any records and any period.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countDisruptions, type CountedDisruptionParsed } from '../../main/domain/counting';
import { addDays } from '../../preload/contract/dates';
import { customPeriod, financialYearPeriod } from '../../preload/contract/periods';
import { eventsByMonth, monthsOf } from '../../main/returns/series';

const rec = (over: Partial<CountedDisruptionParsed> & { id: string }): CountedDisruptionParsed => ({
  networkIds: [],
  primaryNetworkId: 'n1',
  partnerReference: null,
  claimingBusinessGroup: 'SCD',
  status: 'validated',
  validatedOn: '2025-05-10',
  rejectedOn: null,
  activityStart: '2025-01-01',
  activityEnd: '2025-02-01',
  level: 'major',
  durabilityOutcome: null,
  levelAfterReview: null,
  reviewedOn: null,
  ...over,
});

describe('monthsOf', () => {
  it('every month the range touches, labelled for a chart', () => {
    expect(monthsOf({ from: '2025-11-20', to: '2026-02-01' })).toEqual([
      { month: '2025-11', label: 'Nov 2025' },
      { month: '2025-12', label: 'Dec 2025' },
      { month: '2026-01', label: 'Jan 2026' },
      { month: '2026-02', label: 'Feb 2026' },
    ]);
    expect(monthsOf(financialYearPeriod(2025)).map((m) => m.month)).toHaveLength(12);
  });
});

describe('eventsByMonth', () => {
  it('places each event in the month of its first validation, at its highest level; none and negative are not events', () => {
    const records = [
      rec({ id: 'a', validatedOn: '2025-04-01', level: 'minor' }),
      rec({ id: 'b', validatedOn: '2025-05-31', level: 'moderate', partnerReference: 'OP-1' }),
      rec({ id: 'c', validatedOn: '2025-06-01', level: 'major', partnerReference: ' op-1 ', claimingBusinessGroup: 'TP' }),
      rec({ id: 'd', validatedOn: '2025-06-02', level: 'none' }),
      rec({ id: 'e', validatedOn: '2025-06-03', level: 'major', status: 'endorsed' }),
      rec({ id: 'f', validatedOn: '2025-03-31', level: 'major' }),
      rec({ id: 'g', validatedOn: '2025-06-10', level: 'major', durabilityOutcome: 'downgraded', levelAfterReview: 'minor', reviewedOn: '2025-06-20' }),
    ];
    const months = eventsByMonth(records, customPeriod('2025-04-01', '2025-06-30'));
    expect(months).toEqual([
      { month: '2025-04', label: 'Apr 2025', counts: { major: 0, moderate: 0, minor: 1 } },
      { month: '2025-05', label: 'May 2025', counts: { major: 1, moderate: 0, minor: 0 } },
      { month: '2025-06', label: 'Jun 2025', counts: { major: 0, moderate: 0, minor: 1 } },
    ]);
  });

  it('property: the totals by level are countDisruptions(...).events, whatever the records and period', () => {
    const day = fc.integer({ min: 0, max: 700 }).map((n) => addDays('2024-01-01', n));
    const level = fc.constantFrom('major', 'moderate', 'minor', 'none', 'negative' as const);
    const record = fc.record({
      primary: fc.integer({ min: 1, max: 6 }),
      partner: fc.option(fc.constantFrom('P1', 'p1 ', 'P2', 'P3'), { nil: null }),
      status: fc.constantFrom('validated', 'validated', 'validated', 'rejected', 'endorsed' as const),
      validatedOn: day,
      level,
      review: fc.option(fc.tuple(level, fc.integer({ min: 0, max: 400 })), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), day, fc.integer({ min: 0, max: 500 }), (raw, from, length) => {
        const records = raw.map((r, i): CountedDisruptionParsed => {
          const reviewed = r.status === 'validated' && r.review ? { after: r.review[0], on: addDays(r.validatedOn, r.review[1]) } : null;
          const rank = ['negative', 'none', 'minor', 'moderate', 'major'];
          const outcome = reviewed ? (rank.indexOf(reviewed.after) === rank.indexOf(r.level) ? 'confirmed' : rank.indexOf(reviewed.after) < rank.indexOf(r.level) ? 'downgraded' : 'upgraded') : null;
          return rec({
            id: `r${i}`,
            primaryNetworkId: `n${r.primary}`,
            partnerReference: r.partner,
            status: r.status,
            validatedOn: r.status === 'validated' ? r.validatedOn : null,
            rejectedOn: r.status === 'rejected' ? r.validatedOn : null,
            level: r.level,
            durabilityOutcome: outcome,
            levelAfterReview: reviewed?.after ?? null,
            reviewedOn: reviewed?.on ?? null,
          });
        });
        const period = customPeriod(from, addDays(from, length));
        const months = eventsByMonth(records, period);
        const sums = { major: 0, moderate: 0, minor: 0 };
        for (const m of months) for (const l of ['major', 'moderate', 'minor'] as const) sums[l] += m.counts[l];
        const { events } = countDisruptions(records, period);
        expect({ ...sums, total: sums.major + sums.moderate + sums.minor }).toEqual(events);
      }),
      { numRuns: 300 },
    );
  });
});
