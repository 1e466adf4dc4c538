import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../preload/contract/dates';
import {
  COUNTING_RULES,
  countDisruptions,
  CountingInputError,
  levelOn,
  parseCountedDisruptions,
  type CountedDisruption,
} from '../../main/domain/counting';
import type { DisruptionLevel } from '../../preload/contract/vocabulary';
import { financialYearPeriod, monthPeriod, parsePeriod, quarterPeriod } from '../../preload/contract/periods';

// ---------------------------------------------------------------------------------------------
// The fixture: every record states why it is there. Answers are worked out by hand below.
// ---------------------------------------------------------------------------------------------

function d(
  id: string,
  fields: Partial<CountedDisruption> & { primaryNetworkId: string },
): CountedDisruption {
  return {
    id,
    networkIds: [fields.primaryNetworkId],
    claimingBusinessGroup: 'SCD',
    status: 'validated',
    activityStart: '2025-01-01',
    activityEnd: '2025-01-31',
    level: 'major',
    ...fields,
  };
}

const FIXTURE: CountedDisruption[] = [
  // Financial-year boundary: 1 April is in 2025/26, 31 March is not.
  d('D1', { primaryNetworkId: 'N1', validatedOn: '2025-04-01', level: 'major' }),
  d('D2', { primaryNetworkId: 'N2', validatedOn: '2025-03-31', level: 'major' }),
  // Last day of 2025/26; two networks on one record.
  d('D3', {
    primaryNetworkId: 'N2',
    networkIds: ['N2', 'N3'],
    validatedOn: '2026-03-31',
    level: 'minor',
    claimingBusinessGroup: 'TP',
  }),
  // First day of 2026/27.
  d('D4', { primaryNetworkId: 'N3', validatedOn: '2026-04-01', level: 'major' }),
  // One operation claimed by TP and by SCD under one partner reference on the same network:
  // one event. The reference differs only in case and spaces.
  d('D5', {
    primaryNetworkId: 'N1',
    validatedOn: '2025-06-15',
    level: 'moderate',
    claimingBusinessGroup: 'TP',
    partnerReference: 'OP-ALPHA',
  }),
  d('D6', { primaryNetworkId: 'N1', validatedOn: '2025-06-20', level: 'moderate', partnerReference: ' op-alpha ' }),
  // Same partner reference, different network: a separate event.
  d('D7', { primaryNetworkId: 'N4', validatedOn: '2025-07-01', level: 'minor', partnerReference: 'OP-ALPHA' }),
  // Not validated: never counted, whatever their level.
  d('D8', { primaryNetworkId: 'N5', status: 'submitted' }),
  d('D9', { primaryNetworkId: 'N5', status: 'endorsed' }),
  d('D10', { primaryNetworkId: 'N5', status: 'returned' }),
  d('D11', { primaryNetworkId: 'N5', status: 'draft' }),
  // Rejections: one in 2025/26, one on 31 March 2025.
  d('D12', { primaryNetworkId: 'N6', status: 'rejected', rejectedOn: '2025-09-01' }),
  d('D13', { primaryNetworkId: 'N6', status: 'rejected', rejectedOn: '2025-03-31' }),
  // Assessed but not disrupted: N7 none (none beats negative), N8 negative.
  d('D14', { primaryNetworkId: 'N7', validatedOn: '2025-08-01', level: 'none', claimingBusinessGroup: 'CO' }),
  d('D15', { primaryNetworkId: 'N8', validatedOn: '2025-08-02', level: 'negative', claimingBusinessGroup: 'CO' }),
  d('D16', { primaryNetworkId: 'N7', validatedOn: '2025-08-03', level: 'negative', claimingBusinessGroup: 'CO' }),
  // Validated in 2024/25, downgraded in 2025/26: counts as major in 2024/25, as a downgrade in 2025/26.
  d('D17', {
    primaryNetworkId: 'N9',
    validatedOn: '2024-10-01',
    claimingBusinessGroup: 'SO',
    durabilityOutcome: 'downgraded',
    levelAfterReview: 'minor',
    reviewedOn: '2025-04-10',
  }),
  // Validated in May 2025 as major, downgraded to none in November 2025: major for May 2025,
  // not disrupted for 2025/26 as a whole.
  d('D18', {
    primaryNetworkId: 'N10',
    validatedOn: '2025-05-01',
    claimingBusinessGroup: 'SO',
    durabilityOutcome: 'downgraded',
    levelAfterReview: 'none',
    reviewedOn: '2025-11-01',
  }),
  // Upgraded after 2025/26 ends: minor within it, an upgrade in 2026/27.
  d('D19', {
    primaryNetworkId: 'N11',
    validatedOn: '2025-05-02',
    level: 'minor',
    claimingBusinessGroup: 'SO',
    durabilityOutcome: 'upgraded',
    levelAfterReview: 'moderate',
    reviewedOn: '2026-04-15',
  }),
  // Primary N12, also naming N1 (already major).
  d('D20', { primaryNetworkId: 'N12', networkIds: ['N12', 'N1'], validatedOn: '2025-10-10', level: 'minor' }),
];

const BAND_A = ['N1', 'N2', 'N5', 'N9', 'N13'];

describe('counting rules on the hand-built fixture', () => {
  it('2025/26: distinct networks at their highest level, events, duplicates, claims, Band A', () => {
    const c = countDisruptions(FIXTURE, financialYearPeriod(2025), BAND_A);
    expect(c.rules).toEqual(COUNTING_RULES);
    expect(c.period).toEqual({ id: '2025/26', from: '2025-04-01', to: '2026-03-31' });
    // N1 major (D1; also moderate D5, D6 and minor D20); N2, N3 (D3), N4 (D7), N11 (D19),
    // N12 (D20) minor. N10 was downgraded to none within the year. N2's major (D2) is 2024/25.
    expect(c.networksDisrupted).toEqual({ major: 1, moderate: 0, minor: 5, total: 6 });
    expect(c.networksAssessedNotDisrupted).toEqual({ none: 2, negative: 1, total: 3 });
    // D1, D3, D5+D6 (one event), D7, D19, D20. D14–D16 and D18 (none/negative) are not events.
    expect(c.events).toEqual({ major: 1, moderate: 1, minor: 4, total: 6 });
    expect(c.duplicateRecordsMerged).toBe(1);
    expect(c.claimsRejected).toBe(1);
    expect(c.claimsDowngraded).toBe(2);
    expect(c.claimsUpgraded).toBe(0);
    expect(c.bandA).toEqual({ networks: 5, disrupted: 2, share: 0.4 });
    expect(c.networks).toEqual([
      { networkId: 'N1', level: 'major', disruptionIds: ['D1', 'D20', 'D5', 'D6'] },
      { networkId: 'N10', level: 'none', disruptionIds: ['D18'] },
      { networkId: 'N11', level: 'minor', disruptionIds: ['D19'] },
      { networkId: 'N12', level: 'minor', disruptionIds: ['D20'] },
      { networkId: 'N2', level: 'minor', disruptionIds: ['D3'] },
      { networkId: 'N3', level: 'minor', disruptionIds: ['D3'] },
      { networkId: 'N4', level: 'minor', disruptionIds: ['D7'] },
      { networkId: 'N7', level: 'none', disruptionIds: ['D14', 'D16'] },
      { networkId: 'N8', level: 'negative', disruptionIds: ['D15'] },
    ]);
  });

  it('2025/26 by claiming business group: a network disrupted by two groups counts in each', () => {
    const c = countDisruptions(FIXTURE, financialYearPeriod(2025), BAND_A);
    expect(c.byBusinessGroup).toEqual([
      {
        businessGroup: 'CO',
        networks: { major: 0, moderate: 0, minor: 0, total: 0 },
        events: { major: 0, moderate: 0, minor: 0, total: 0 },
      },
      {
        // N1 major (D1), N4 minor (D7), N12 minor (D20). Events D1, D6, D7, D20.
        businessGroup: 'SCD',
        networks: { major: 1, moderate: 0, minor: 2, total: 3 },
        events: { major: 1, moderate: 1, minor: 2, total: 4 },
      },
      {
        // N10 none after review; N11 minor.
        businessGroup: 'SO',
        networks: { major: 0, moderate: 0, minor: 1, total: 1 },
        events: { major: 0, moderate: 0, minor: 1, total: 1 },
      },
      {
        // N1 moderate (D5), N2 and N3 minor (D3).
        businessGroup: 'TP',
        networks: { major: 0, moderate: 1, minor: 2, total: 3 },
        events: { major: 0, moderate: 1, minor: 1, total: 2 },
      },
    ]);
    // N1 is in SCD and TP: the groups add up to 7, the distinct total is 6.
    expect(c.byBusinessGroup.reduce((n, g) => n + g.networks.total, 0)).toBe(7);
    expect(c.networksDisrupted.total).toBe(6);
  });

  it('2024/25 ends on 31 March: D2 counts there, and D17 at the level it then had', () => {
    const c = countDisruptions(FIXTURE, parsePeriod('2024/25'), BAND_A);
    expect(c.networksDisrupted).toEqual({ major: 2, moderate: 0, minor: 0, total: 2 });
    expect(c.networks.map((n) => [n.networkId, n.level])).toEqual([
      ['N2', 'major'],
      ['N9', 'major'],
    ]);
    expect(c.claimsRejected).toBe(1); // D13 on 31 March 2025
    expect(c.claimsDowngraded).toBe(0);
    expect(c.bandA).toEqual({ networks: 5, disrupted: 2, share: 0.4 });
  });

  it('2026/27 starts on 1 April: D4, and the upgrade recorded in April 2026', () => {
    const c = countDisruptions(FIXTURE, financialYearPeriod(2026));
    expect(c.networks).toEqual([{ networkId: 'N3', level: 'major', disruptionIds: ['D4'] }]);
    expect(c.claimsUpgraded).toBe(1);
    expect(c.bandA).toEqual({ networks: 0, disrupted: 0, share: null });
  });

  it('May 2025: D18 counts at its validated level; the later downgrade does not rewrite May', () => {
    const c = countDisruptions(FIXTURE, monthPeriod(2025, 5));
    expect(c.networksDisrupted).toEqual({ major: 1, moderate: 0, minor: 1, total: 2 });
    expect(c.events).toEqual({ major: 1, moderate: 0, minor: 1, total: 2 });
  });

  it('November 2025: the downgrade is counted in the month it was recorded', () => {
    const c = countDisruptions(FIXTURE, monthPeriod(2025, 11));
    expect(c.claimsDowngraded).toBe(1);
    expect(c.networksDisrupted.total).toBe(0);
  });

  it('2025/26 Q4 holds only the last day of March; Q1 holds 1 April', () => {
    expect(countDisruptions(FIXTURE, quarterPeriod(2025, 4)).networks.map((n) => n.networkId)).toEqual([
      'N2',
      'N3',
    ]);
    const q1 = countDisruptions(FIXTURE, quarterPeriod(2025, 1));
    expect(q1.networks.map((n) => [n.networkId, n.level])).toEqual([
      ['N1', 'major'],
      ['N10', 'major'],
      ['N11', 'minor'],
    ]);
    // D5 and D6 are one event, within Q1.
    expect(q1.events.moderate).toBe(1);
    expect(q1.duplicateRecordsMerged).toBe(1);
    expect(q1.claimsDowngraded).toBe(1); // D17, reviewed 10 April 2025
  });

  it('a custom range that cuts between the two partner-reference records still counts one event each side', () => {
    expect(countDisruptions(FIXTURE, parsePeriod('2025-06-01..2025-06-17')).events.total).toBe(1);
    expect(countDisruptions(FIXTURE, parsePeriod('2025-06-18..2025-06-30')).events.total).toBe(1);
    expect(countDisruptions(FIXTURE, parsePeriod('2025-06-01..2025-06-30')).events.total).toBe(1);
  });

  it('only validated records count, whatever their level', () => {
    const unvalidated = FIXTURE.filter((r) => r.primaryNetworkId === 'N5');
    const c = countDisruptions(unvalidated, financialYearPeriod(2025), ['N5']);
    expect(c.networksDisrupted.total).toBe(0);
    expect(c.events.total).toBe(0);
    expect(c.networks).toEqual([]);
    expect(c.bandA).toEqual({ networks: 1, disrupted: 0, share: 0 });
  });

  it('records without a partner reference are never merged', () => {
    const twins = [
      d('A', { primaryNetworkId: 'N1', validatedOn: '2025-05-01' }),
      d('B', { primaryNetworkId: 'N1', validatedOn: '2025-05-01' }),
      d('C', { primaryNetworkId: 'N1', validatedOn: '2025-05-01', partnerReference: '   ' }),
    ];
    const c = countDisruptions(twins, monthPeriod(2025, 5));
    expect(c.events.total).toBe(3);
    expect(c.networksDisrupted.total).toBe(1);
  });

  it('an event merged by partner reference takes the higher level', () => {
    const pair = [
      d('A', { primaryNetworkId: 'N1', validatedOn: '2025-05-01', level: 'minor', partnerReference: 'X' }),
      d('B', { primaryNetworkId: 'N1', validatedOn: '2025-05-02', level: 'major', partnerReference: 'X' }),
    ];
    expect(countDisruptions(pair, monthPeriod(2025, 5)).events).toEqual({
      major: 1,
      moderate: 0,
      minor: 0,
      total: 1,
    });
  });
});

describe('levelOn', () => {
  it('uses the review level from the day it was recorded', () => {
    const [r] = parseCountedDisruptions([FIXTURE.find((x) => x.id === 'D18')]);
    expect(levelOn(r!, '2025-10-31')).toBe('major');
    expect(levelOn(r!, '2025-11-01')).toBe('none');
  });
});

describe('rejected input', () => {
  it.each([
    [{ status: 'validated', validatedOn: undefined }, 'validatedOn a validated disruption needs its validation date'],
    [{ status: 'rejected' }, 'rejectedOn a rejected claim needs the date it was rejected'],
    [{ activityStart: '2025-02-01', activityEnd: '2025-01-31' }, 'activityEnd the activity ends before it starts'],
    [
      { durabilityOutcome: 'downgraded', levelAfterReview: 'major', reviewedOn: '2025-12-01' },
      'the review downgraded the level, but it went from major to major',
    ],
    [{ durabilityOutcome: 'confirmed', levelAfterReview: 'major' }, 'a durability review needs the date it was recorded'],
    [{ levelAfterReview: 'minor' }, 'a review level or date is given without a review outcome'],
    [{ validatedOn: '2025-02-30' }, 'validatedOn must be a real date written YYYY-MM-DD'],
    [{ level: 'huge' }, 'level'],
    [{ extra: 1 }, 'extra'],
  ] as Array<[Record<string, unknown>, string]>)('refuses %j', (fields, message) => {
    const record = { ...d('BAD', { primaryNetworkId: 'N1', validatedOn: '2025-05-01' }), ...fields };
    expect(() => countDisruptions([record], monthPeriod(2025, 5))).toThrow(CountingInputError);
    expect(() => countDisruptions([record], monthPeriod(2025, 5))).toThrow(message);
  });

  it('refuses the same id twice and names every bad record', () => {
    const one = d('X', { primaryNetworkId: 'N1', validatedOn: '2025-05-01' });
    try {
      countDisruptions([one, one, { ...one, id: 'Y', status: 'rejected' }], monthPeriod(2025, 5));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CountingInputError);
      expect((error as CountingInputError).issues).toEqual([
        'record X: appears more than once',
        'record Y: rejectedOn a rejected claim needs the date it was rejected',
      ]);
    }
  });
});

describe('properties', () => {
  const LEVELS: DisruptionLevel[] = ['major', 'moderate', 'minor', 'none', 'negative'];
  const record = fc.record({
    network: fc.integer({ min: 1, max: 12 }),
    other: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
    group: fc.constantFrom('SCD', 'TP', 'SO'),
    status: fc.constantFrom('validated', 'validated', 'validated', 'submitted', 'endorsed', 'draft'),
    // Every day of 2025/26 (365 days from 1 April 2025).
    day: fc.integer({ min: 0, max: 364 }),
    level: fc.constantFrom(...LEVELS),
    reference: fc.option(fc.constantFrom('R1', 'R2'), { nil: undefined }),
  });
  const records = fc.array(record, { maxLength: 40 }).map((rs) =>
    rs.map(
      (r, i): CountedDisruption => ({
        id: `D${i}`,
        primaryNetworkId: `N${r.network}`,
        networkIds: r.other ? [`N${r.network}`, `N${r.other}`] : [`N${r.network}`],
        claimingBusinessGroup: r.group,
        status: r.status as CountedDisruption['status'],
        validatedOn: r.status === 'validated' ? addDays('2025-04-01', r.day) : undefined,
        activityStart: '2025-01-01',
        activityEnd: '2025-01-31',
        level: r.level,
        partnerReference: r.reference,
      }),
    ),
  );
  const fy = financialYearPeriod(2025);

  it('the order of records does not matter', () => {
    const withPermutation = records.chain((rs) =>
      fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length })),
    );
    fc.assert(
      fc.property(withPermutation, ([rs, shuffled]) => {
        expect(countDisruptions(shuffled, fy, ['N1', 'N2'])).toEqual(countDisruptions(rs, fy, ['N1', 'N2']));
      }),
      { numRuns: 100 },
    );
  });

  it('totals are consistent: groups cover the total, events never exceed records, quarters add up', () => {
    fc.assert(
      fc.property(records, (rs) => {
        const c = countDisruptions(rs, fy);
        const validated = rs.filter((r) => r.status === 'validated' && ['major', 'moderate', 'minor'].includes(r.level));
        expect(c.events.total + c.duplicateRecordsMerged).toBe(validated.length);
        expect(c.events.total).toBeLessThanOrEqual(validated.length);
        const groupSum = c.byBusinessGroup.reduce((n, g) => n + g.networks.total, 0);
        expect(groupSum).toBeGreaterThanOrEqual(c.networksDisrupted.total);
        expect(c.networksDisrupted.total).toBe(
          c.networksDisrupted.major + c.networksDisrupted.moderate + c.networksDisrupted.minor,
        );
        // Every disrupted network is disrupted in at least one quarter, at most at the year's level.
        const quarters = [1, 2, 3, 4].map((q) => countDisruptions(rs, quarterPeriod(2025, q)));
        const inQuarters = new Set(
          quarters.flatMap((q) => q.networks.filter((n) => ['major', 'moderate', 'minor'].includes(n.level)).map((n) => n.networkId)),
        );
        expect(inQuarters.size).toBe(c.networksDisrupted.total);
        // Without partner references, events add up across the quarters.
        if (rs.every((r) => !r.partnerReference)) {
          expect(quarters.reduce((n, q) => n + q.events.total, 0)).toBe(c.events.total);
        }
      }),
      { numRuns: 150 },
    );
  });
});
