import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  formatUkDate,
  fromEpochDay,
  isIsoDate,
  toEpochDay,
} from '../../preload/contract/dates';
import { parseWeights, toWeightTable } from '../../main/domain/reference';
import {
  bandForScore,
  ScoringInputError,
  scoreNetwork,
  type ScoringInput,
} from '../../main/domain/scoring';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const ASSESSED = [
  'physical',
  'psychological',
  'financial',
  'community_impact',
  'victim_vulnerability',
] as const;
const CAPABILITY = [
  'firearms',
  'violence_intimidation',
  'corruption_insider_access',
  'financial_capacity',
  'resilience_reach',
] as const;

type Item = { id: string; source: 1 | 2 | 3; intelligence: 'A' | 'B' | 'C' | 'D' | 'E' };
const SUPPORT: Item = { id: 'INT-1', source: 1, intelligence: 'B' };

function assessed(values: readonly number[], items: readonly Item[] = [SUPPORT]) {
  return ASSESSED.map((dimension, i) => ({
    dimension,
    value: values[i] as number,
    supportingItems: [...items],
  }));
}

function capability(values: readonly number[]) {
  return CAPABILITY.map((dimension, i) => ({ dimension, value: values[i] as number }));
}

const TABLE = {
  id: 'test-table',
  version: '7',
  weights: {
    homicide: 5475,
    robbery: 365,
    possession_of_weapons: 273.75,
    violence_with_injury: 365,
    criminal_damage: 2,
    unit: 100,
    round: 99,
    just_under: 98.99,
    huge: 200_000,
  },
};

type Offence = ScoringInput['offences'][number];

function offence(partial: Partial<Offence> & Pick<Offence, 'id' | 'date'>): Offence {
  return { category: 'unit', stage: 'convicted', weapon: 'none', ...partial };
}

function input(partial: Partial<ScoringInput> = {}): ScoringInput {
  return {
    asOf: '2026-06-30',
    weightTable: TABLE,
    offences: [],
    assessed: assessed([0, 0, 0, 0, 0]),
    capability: capability([0, 0, 0, 0, 0]),
    intelligenceItems: [],
    ...partial,
  };
}

const TEST_VECTOR_OFFENCES: Offence[] = [
  { id: 'CR-ROB', category: 'robbery', date: '2026-02-28', stage: 'convicted', weapon: 'none' },
  { id: 'CR-POW', category: 'possession_of_weapons', date: '2025-08-30', stage: 'charged', weapon: 'knife' },
  { id: 'CR-VWI', category: 'violence_with_injury', date: '2026-04-30', stage: 'arrested', weapon: 'none' },
  { id: 'CR-HOM', category: 'homicide', date: '2023-12-30', stage: 'convicted', weapon: 'knife' },
];

function testVector(weightTable: ScoringInput['weightTable'] = TABLE): ScoringInput {
  return input({
    offences: TEST_VECTOR_OFFENCES,
    assessed: assessed([3, 2, 1, 3, 2]),
    capability: capability([2, 3, 0, 1, 1]),
  });
}

const round = (value: number, dp: number) => Number(value.toFixed(dp));

// ---------------------------------------------------------------------------------------------
// The test vector (docs/specification.md)
// ---------------------------------------------------------------------------------------------

describe('hm-1 test vector (domain.md), as of 2026-06-30', () => {
  const result = scoreNetwork(testVector());
  const { parts, offences } = result.explanation;

  it('gives each offence its w, s, age and contribution', () => {
    expect(offences.map((o) => [o.id, o.w, o.s, o.ageDays])).toEqual([
      ['CR-ROB', 365, 1, 122],
      ['CR-POW', 273.75, 0.8, 304],
      ['CR-VWI', 365, 0.5, 61],
      ['CR-HOM', 5475, 1, 913],
    ]);
    expect(offences.map((o) => round(o.contribution, 2))).toEqual([289.56, 123.0, 162.55, 968.08]);
    expect(offences.map((o) => round(o.d as number, 6))).toEqual([
      0.793324, 0.561631, 0.890687, 0.176819,
    ]);
    expect(offences.every((o) => o.isIncluded && o.exclusion === null)).toBe(true);
  });

  it('sums EH and its points', () => {
    expect(round(parts.eh, 2)).toBe(1543.19);
    expect(round(parts.ehPts, 3)).toBe(38.264);
    expect(parts.ehPts).toBeCloseTo(38.26441845177331, 10);
  });

  it('gives AH 13.75 and capability 7', () => {
    expect(parts.ah).toBe(11);
    expect(parts.ahPts).toBe(13.75);
    expect(parts.cap).toBe(7);
    expect(parts.capPts).toBe(7);
  });

  it('scores 59.014, band B, confidence High', () => {
    expect(round(result.score, 3)).toBe(59.014);
    expect(result.score).toBeCloseTo(59.01441845177331, 10);
    expect(parts.score).toBe(result.score);
    expect(result.scoreBand).toBe('B');
    expect(result.band).toBe('B');
    expect(result.effectiveBand).toBe('B');
    expect(result.confidence).toBe('high');
    expect(result.explanation.confidence.convictedOffenceIds).toEqual(['CR-ROB', 'CR-HOM']);
  });

  it('records the model, the weight table and the as-of date', () => {
    expect(result.model).toBe('hm-1');
    expect(result.weightTable).toEqual({ id: 'test-table', version: '7' });
    expect(result.explanation.asOf).toBe('2026-06-30');
    expect(result.explanation.window).toEqual({
      months: 36,
      startsAfter: '2023-06-30',
      gateMonths: 12,
      gateStartsAfter: '2025-06-30',
    });
  });

  it('gives the same result with the shipped hm-1 weight table', () => {
    const json = JSON.parse(
      readFileSync(new URL('../../resources/reference/weights-hm-1.json', import.meta.url), 'utf8'),
    );
    const shipped = scoreNetwork({ ...testVector(), weightTable: toWeightTable(parseWeights(json)) });
    expect(shipped.score).toBe(result.score);
    expect(shipped.weightTable).toEqual({ id: 'hm-1', version: '1.0.0' });
  });

  it('gives a bit-identical score whatever the order of the offences', () => {
    const reversed = scoreNetwork({ ...testVector(), offences: [...TEST_VECTOR_OFFENCES].reverse() });
    expect(reversed.score).toBe(result.score);
    expect(reversed.explanation.parts.eh).toBe(parts.eh);
  });

  it('is plain data that survives a JSON round trip', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

// ---------------------------------------------------------------------------------------------
// Evidenced harm
// ---------------------------------------------------------------------------------------------

describe('evidenced harm window (asOf − 36 months < date ≤ asOf)', () => {
  it('counts the first day inside the window and not the last day outside it', () => {
    const r = scoreNetwork(
      input({
        offences: [
          offence({ id: 'IN', date: '2023-07-01' }),
          offence({ id: 'OUT', date: '2023-06-30' }),
        ],
      }),
    );
    const [inside, outside] = r.explanation.offences;
    expect(inside).toMatchObject({ isIncluded: true, isInWindow: true, ageDays: 1095, exclusion: null });
    expect(inside?.contribution).toBeCloseTo(100 * Math.pow(0.5, 1095 / 365.25), 12);
    expect(outside).toMatchObject({
      isIncluded: false,
      isInWindow: false,
      ageDays: 1096,
      exclusion: 'outside_window',
      contribution: 0,
      d: null,
    });
    expect(r.explanation.parts.eh).toBe(inside?.contribution);
  });

  it('clamps the cut-off to the end of a shorter month (as of 29 February 2028)', () => {
    const r = scoreNetwork(
      input({
        asOf: '2028-02-29',
        offences: [
          offence({ id: 'IN', date: '2025-03-01' }),
          offence({ id: 'OUT', date: '2025-02-28' }),
        ],
      }),
    );
    expect(r.explanation.window.startsAfter).toBe('2025-02-28');
    expect(r.explanation.offences.map((o) => o.exclusion)).toEqual([null, 'outside_window']);
  });

  it('gives an offence on the as-of date no decay', () => {
    const r = scoreNetwork(input({ offences: [offence({ id: 'TODAY', date: '2026-06-30' })] }));
    expect(r.explanation.offences[0]).toMatchObject({ ageDays: 0, d: 1, contribution: 100 });
    expect(r.explanation.parts.eh).toBe(100);
  });

  it('excludes an offence dated after the as-of date', () => {
    const r = scoreNetwork(
      input({ offences: [offence({ id: 'FUTURE', date: '2026-07-01', category: 'homicide' })] }),
    );
    expect(r.explanation.offences[0]).toMatchObject({
      exclusion: 'future_dated',
      ageDays: -1,
      contribution: 0,
      isIncluded: false,
    });
    expect(r.explanation.parts.eh).toBe(0);
    // Nor does a future homicide trigger the serious-violence gate.
    expect(r.band).toBe('below_threshold');
  });

  it.each([
    ['convicted', 100],
    ['charged', 80],
    ['arrested', 50],
  ] as const)('weights a %s offence by its stage factor', (stage, expected) => {
    const r = scoreNetwork(input({ offences: [offence({ id: 'X', date: '2026-06-30', stage })] }));
    expect(r.explanation.parts.eh).toBe(expected);
  });

  it.each(['intelligence', 'nfa', 'acquitted'] as const)(
    'adds nothing for an offence at stage %s',
    (stage) => {
      const r = scoreNetwork(input({ offences: [offence({ id: 'X', date: '2026-06-01', stage })] }));
      expect(r.explanation.offences[0]).toMatchObject({
        s: 0,
        contribution: 0,
        isInWindow: true,
        isIncluded: false,
        exclusion: 'stage_scores_zero',
      });
      expect(r.explanation.parts.eh).toBe(0);
      expect(r.explanation.parts.ehPts).toBe(0);
    },
  );

  it('counts an offence linked through two members once', () => {
    const once = scoreNetwork(input({ offences: [TEST_VECTOR_OFFENCES[0] as Offence] }));
    const twice = scoreNetwork(
      input({ offences: [TEST_VECTOR_OFFENCES[0] as Offence, TEST_VECTOR_OFFENCES[0] as Offence] }),
    );
    expect(twice.explanation.parts.eh).toBe(once.explanation.parts.eh);
    expect(twice.score).toBe(once.score);
    expect(twice.explanation.offences.map((o) => o.exclusion)).toEqual([null, 'duplicate']);
    expect(twice.explanation.offences[1]?.contribution).toBe(0);
  });

  it('caps EH points at 60', () => {
    const r = scoreNetwork(
      input({ offences: [offence({ id: 'BIG', date: '2026-06-30', category: 'huge' })] }),
    );
    expect(r.explanation.parts.eh).toBe(200_000);
    expect(r.explanation.parts.ehPts).toBe(60);
  });

  it('gives no evidenced harm when there are no offences', () => {
    const r = scoreNetwork(input());
    expect(r.explanation.parts).toMatchObject({ eh: 0, ehPts: 0, score: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
// Assessed harm and capability
// ---------------------------------------------------------------------------------------------

describe('assessed harm', () => {
  it('counts an unsupported rating of 2 or more as 1 and flags it', () => {
    const r = scoreNetwork(
      input({
        assessed: [
          // source 3 is not reliable enough, whatever the intelligence grade
          { dimension: 'physical', value: 4, supportingItems: [{ id: 'I1', source: 3, intelligence: 'A' }] },
          // intelligence D is not enough, whatever the source grade
          { dimension: 'psychological', value: 2, supportingItems: [{ id: 'I2', source: 1, intelligence: 'D' }] },
          // source 2 with intelligence C is the weakest grading that supports
          { dimension: 'financial', value: 3, supportingItems: [{ id: 'I3', source: 2, intelligence: 'C' }] },
          // no items at all
          { dimension: 'community_impact', value: 2, supportingItems: [] },
          // 0 and 1 need no support
          { dimension: 'victim_vulnerability', value: 1 },
        ],
      }),
    );
    const rows = r.explanation.assessed;
    expect(rows.map((a) => [a.dimension, a.value, a.countedValue, a.isFlaggedUnsupported])).toEqual([
      ['physical', 4, 1, true],
      ['psychological', 2, 1, true],
      ['financial', 3, 3, false],
      ['community_impact', 2, 1, true],
      ['victim_vulnerability', 1, 1, false],
    ]);
    expect(rows[0]?.supportingItems).toEqual([{ id: 'I1', source: 3, intelligence: 'A', isQualifying: false }]);
    expect(rows[2]?.supportingItems[0]?.isQualifying).toBe(true);
    expect(rows[4]).toMatchObject({ needsSupport: false, isSupported: true });
    expect(r.explanation.parts.ah).toBe(7);
    expect(r.explanation.parts.ahPts).toBe(8.75);
  });

  it('gives 25 points for five supported ratings of 4 and 15 for five capability ratings of 3', () => {
    const r = scoreNetwork(input({ assessed: assessed([4, 4, 4, 4, 4]), capability: capability([3, 3, 3, 3, 3]) }));
    expect(r.explanation.parts).toMatchObject({ ahPts: 25, capPts: 15, score: 40 });
  });

  it('returns ratings in the canonical order whatever order they are given in', () => {
    const r = scoreNetwork(
      input({ assessed: assessed([1, 0, 0, 0, 0]).reverse(), capability: capability([0, 0, 0, 0, 2]).reverse() }),
    );
    expect(r.explanation.assessed.map((a) => a.dimension)).toEqual([...ASSESSED]);
    expect(r.explanation.capability.map((c) => [c.dimension, c.value])).toEqual([
      ['firearms', 0],
      ['violence_intimidation', 0],
      ['corruption_insider_access', 0],
      ['financial_capacity', 0],
      ['resilience_reach', 2],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Bands
// ---------------------------------------------------------------------------------------------

describe('band thresholds', () => {
  it.each([
    [100, 'A'],
    [60, 'A'],
    [59.999999999, 'B'],
    [40, 'B'],
    [39.999999999, 'C'],
    [20, 'C'],
    [19.999999999, 'below_threshold'],
    [0, 'below_threshold'],
  ] as const)('score %s is band %s', (score, band) => {
    expect(bandForScore(score)).toBe(band);
  });

  it('rejects a score that is not a finite number', () => {
    expect(() => bandForScore(Number.NaN)).toThrow(RangeError);
  });

  // High confidence throughout (a convicted offence in the window), so no gate interferes.
  it('puts a score of exactly 60 in band A', () => {
    const r = scoreNetwork(
      input({
        offences: [offence({ id: 'R', date: '2026-06-30', category: 'round' })],
        assessed: assessed([4, 4, 4, 4, 4]),
        capability: capability([3, 3, 3, 1, 1]),
      }),
    );
    expect(r.explanation.parts.ehPts).toBe(24);
    expect(r.score).toBe(60);
    expect(r.band).toBe('A');
  });

  it('puts a score just under 60 in band B', () => {
    const r = scoreNetwork(
      input({
        offences: [offence({ id: 'R', date: '2026-06-30', category: 'just_under' })],
        assessed: assessed([4, 4, 4, 4, 4]),
        capability: capability([3, 3, 3, 1, 1]),
      }),
    );
    expect(r.score).toBeLessThan(60);
    expect(r.score).toBeGreaterThan(59.999);
    expect(r.band).toBe('B');
  });

  it('puts a score of exactly 40 in band B and exactly 20 in band C', () => {
    const forty = scoreNetwork(input({ assessed: assessed([4, 4, 4, 4, 4]), capability: capability([3, 3, 3, 3, 3]) }));
    expect(forty.score).toBe(40);
    expect(forty.band).toBe('B');
    const twenty = scoreNetwork(input({ assessed: assessed([4, 4, 4, 4, 0]) }));
    expect(twenty.score).toBe(20);
    expect(twenty.band).toBe('C');
  });
});

// ---------------------------------------------------------------------------------------------
// Confidence and gates
// ---------------------------------------------------------------------------------------------

const CHARGED_HUGE = offence({ id: 'BIG', date: '2026-06-01', category: 'huge', stage: 'charged' });
const ITEM = (id: string, sourceId: string, source: 1 | 2 | 3, intelligence: Item['intelligence']) => ({
  id,
  sourceId,
  source,
  intelligence,
});

describe('confidence', () => {
  it.each([
    ['no items', [], 'low'],
    ['one item 1/A', [ITEM('I1', 'S1', 1, 'A')], 'medium'],
    ['one item 2/B', [ITEM('I1', 'S1', 2, 'B')], 'medium'],
    ['two items from one source', [ITEM('I1', 'S1', 1, 'A'), ITEM('I2', 'S1', 2, 'B')], 'medium'],
    ['the same item twice', [ITEM('I1', 'S1', 1, 'A'), ITEM('I1', 'S1', 1, 'A')], 'medium'],
    ['two items from distinct sources', [ITEM('I1', 'S1', 1, 'A'), ITEM('I2', 'S2', 2, 'B')], 'high'],
    ['items graded C or source 3 only', [ITEM('I1', 'S1', 1, 'C'), ITEM('I2', 'S2', 3, 'A')], 'low'],
  ] as const)('%s gives %s confidence (no convictions)', (_label, items, level) => {
    const r = scoreNetwork(input({ offences: [CHARGED_HUGE], intelligenceItems: [...items] }));
    expect(r.confidence).toBe(level);
    expect(r.explanation.confidence.reason.length).toBeGreaterThan(0);
  });

  it('is High with a convicted offence in the window, but not one outside it', () => {
    const inside = scoreNetwork(input({ offences: [offence({ id: 'C', date: '2023-07-01' })] }));
    expect(inside.confidence).toBe('high');
    const outside = scoreNetwork(input({ offences: [offence({ id: 'C', date: '2023-06-30' })] }));
    expect(outside.confidence).toBe('low');
  });
});

describe('gates', () => {
  it('caps a Low-confidence network at band B', () => {
    const r = scoreNetwork(input({ offences: [CHARGED_HUGE] }));
    expect(r.score).toBe(60);
    expect(r.confidence).toBe('low');
    expect(r.scoreBand).toBe('A');
    expect(r.band).toBe('B');
    expect(r.effectiveBand).toBe('B');
    expect(r.explanation.gates[0]).toMatchObject({
      gate: 'low_confidence_cap',
      isTriggered: true,
      hasChangedBand: true,
      bandBefore: 'A',
      bandAfter: 'B',
    });
    expect(r.explanation.gates[0]?.reason).toContain('intelligence development required');
  });

  it('does not cap a Medium-confidence network', () => {
    const r = scoreNetwork(input({ offences: [CHARGED_HUGE], intelligenceItems: [ITEM('I1', 'S1', 1, 'A')] }));
    expect(r.band).toBe('A');
    expect(r.explanation.gates[0]).toMatchObject({ isTriggered: false, hasChangedBand: false });
  });

  it('forces band B for a homicide on the first day of the last 12 months', () => {
    const r = scoreNetwork(
      input({ offences: [offence({ id: 'H', date: '2025-07-01', category: 'homicide', stage: 'intelligence' })] }),
    );
    expect(r.score).toBe(0);
    expect(r.scoreBand).toBe('below_threshold');
    expect(r.band).toBe('B');
    expect(r.explanation.gates[1]).toMatchObject({
      gate: 'serious_violence_floor',
      isTriggered: true,
      hasChangedBand: true,
      bandBefore: 'below_threshold',
      bandAfter: 'B',
      offenceIds: ['H'],
    });
  });

  it('does not force band B for a homicide one day before the last 12 months', () => {
    const r = scoreNetwork(
      input({ offences: [offence({ id: 'H', date: '2025-06-30', category: 'homicide', stage: 'intelligence' })] }),
    );
    expect(r.band).toBe('below_threshold');
    expect(r.explanation.gates[1]).toMatchObject({ isTriggered: false, offenceIds: [] });
  });

  it('forces band B for a firearm discharge in the last 12 months, but not for a firearm alone', () => {
    const discharged = scoreNetwork(
      input({ offences: [offence({ id: 'F', date: '2025-07-01', category: 'criminal_damage', stage: 'arrested', weapon: 'firearm_discharged' })] }),
    );
    expect(discharged.band).toBe('B');
    const notDischarged = scoreNetwork(
      input({ offences: [offence({ id: 'F', date: '2025-07-01', category: 'criminal_damage', stage: 'arrested', weapon: 'firearm' })] }),
    );
    expect(notDischarged.band).toBe('below_threshold');
  });

  it('treats an offence flagged isHomicide as a homicide whatever its category', () => {
    const r = scoreNetwork(
      input({ offences: [offence({ id: 'H', date: '2026-01-01', category: 'violence_with_injury', isHomicide: true })] }),
    );
    expect(r.band).toBe('B');
    expect(r.explanation.offences[0]?.isHomicide).toBe(true);
  });

  it.each(['nfa', 'acquitted'] as const)('does not let a homicide at stage %s force band B', (stage) => {
    const r = scoreNetwork(
      input({ offences: [offence({ id: 'H', date: '2026-01-01', category: 'homicide', stage })] }),
    );
    expect(r.band).toBe('below_threshold');
  });

  it('never lowers a band A', () => {
    const r = scoreNetwork(
      input({
        offences: [offence({ id: 'H', date: '2026-06-01', category: 'huge', weapon: 'firearm_discharged' })],
      }),
    );
    expect(r.band).toBe('A');
    expect(r.explanation.gates[1]).toMatchObject({ isTriggered: true, hasChangedBand: false });
  });

  it('leaves a Low-confidence network with a recent homicide at band B', () => {
    const r = scoreNetwork(input({ offences: [CHARGED_HUGE, offence({ id: 'H', date: '2026-06-01', category: 'homicide', stage: 'intelligence' })] }));
    expect(r.scoreBand).toBe('A');
    expect(r.band).toBe('B');
  });
});

// ---------------------------------------------------------------------------------------------
// Override
// ---------------------------------------------------------------------------------------------

describe('band override', () => {
  const override = {
    band: 'A' as const,
    reason: 'Imminent retaliation expected after the shooting on 12/06/2026.',
    authorId: 'analyst-1',
    approverId: 'supervisor-1',
    approverRole: 'supervisor',
    expiresOn: '2026-06-30',
  };
  const scored = (o: Record<string, unknown>, asOf = '2026-06-30') =>
    scoreNetwork(input({ asOf, assessed: assessed([4, 4, 4, 4, 0]), override: o as ScoringInput['override'] }));

  it('is in force up to and including its expiry date', () => {
    const r = scored(override);
    expect(r.band).toBe('C');
    expect(r.effectiveBand).toBe('A');
    expect(r.explanation.override).toMatchObject({ status: 'in_force', band: 'A', expiresOn: '2026-06-30' });
    expect(r.explanation.parts.effectiveBand).toBe('A');
  });

  it('has expired the day after its expiry date', () => {
    const r = scored(override, '2026-07-01');
    expect(r.explanation.override.status).toBe('expired');
    expect(r.effectiveBand).toBe('C');
    expect(r.explanation.override.reasons).toEqual(['Expired after 30/06/2026.']);
  });

  it('can lower a band while in force', () => {
    const r = scoreNetwork(input({ offences: [CHARGED_HUGE], intelligenceItems: [ITEM('I1', 'S1', 1, 'A')], override: { ...override, band: 'C' } }));
    expect(r.band).toBe('A');
    expect(r.effectiveBand).toBe('C');
  });

  it.each([
    ['the approver is the author', { approverId: 'analyst-1' }, 'The approver is the author; another person must approve it.'],
    ['the approver is not a supervisor', { approverRole: 'analyst' }, 'The approver does not hold the supervisor role.'],
    ['the reason is blank', { reason: '   ' }, 'No reason is given.'],
    ['there is no approver', { approverId: null, approverRole: null }, 'It has not been approved.'],
    ['there is no expiry date', { expiresOn: null }, 'No expiry date is set.'],
  ])('is invalid when %s', (_label, change, message) => {
    const r = scored({ ...override, ...change });
    expect(r.explanation.override.status).toBe('invalid');
    expect(r.explanation.override.reasons).toContain(message);
    expect(r.effectiveBand).toBe('C');
  });

  it('is not in force before the day it was approved', () => {
    const r = scored({ ...override, approvedOn: '2026-07-01', expiresOn: '2026-09-30' });
    expect(r.explanation.override.status).toBe('not_yet_in_force');
    expect(r.effectiveBand).toBe('C');
  });

  it('reports no override when there is none', () => {
    const r = scored(undefined as unknown as Record<string, unknown>);
    expect(r.explanation.override).toEqual({ status: 'none', band: null, expiresOn: null, reasons: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Rejected input
// ---------------------------------------------------------------------------------------------

describe('rejected input', () => {
  const valid = testVector();
  const withOffence = (change: Record<string, unknown>) => ({
    ...valid,
    offences: [{ ...TEST_VECTOR_OFFENCES[0], ...change }],
  });
  const withAssessed = (value: unknown) => ({
    ...valid,
    assessed: valid.assessed.map((a, i) => (i === 0 ? { ...a, value } : a)),
  });

  it.each([
    ['an assessed rating of 5', withAssessed(5), 'assessed.0.value', 'from 0 to 4'],
    ['an assessed rating of -1', withAssessed(-1), 'assessed.0.value', 'from 0 to 4'],
    ['an assessed rating of 2.5', withAssessed(2.5), 'assessed.0.value', 'whole number'],
    ['an assessed rating given as text', withAssessed('3'), 'assessed.0.value', 'whole number'],
    [
      'a capability rating of 4',
      { ...valid, capability: capability([4, 0, 0, 0, 0]) },
      'capability.0.value',
      'from 0 to 3',
    ],
    [
      'a missing assessed dimension',
      { ...valid, assessed: valid.assessed.slice(1) },
      'assessed',
      'missing the "physical" rating',
    ],
    [
      'a repeated capability dimension',
      { ...valid, capability: [...valid.capability, valid.capability[0]] },
      'capability',
      'given 2 times',
    ],
    ['an unknown category', withOffence({ category: 'jaywalking' }), 'offences.0.category', 'unknown offence category "jaywalking"'],
    ['a category that is not snake_case', withOffence({ category: 'Robbery' }), 'offences.0.category', 'snake_case'],
    ['an impossible date', withOffence({ date: '2026-02-30' }), 'offences.0.date', 'real calendar date'],
    ['a UK-format date', withOffence({ date: '28/02/2026' }), 'offences.0.date', 'real calendar date'],
    ['a bad as-of date', { ...valid, asOf: '2026-13-01' }, 'asOf', 'real calendar date'],
    ['an unknown stage', withOffence({ stage: 'suspect' }), 'offences.0.stage', ''],
    ['an unknown weapon', withOffence({ weapon: 'bat' }), 'offences.0.weapon', ''],
    ['a misspelt field', withOffence({ isHomocide: true }), 'offences.0', ''],
    [
      'a source grade of 4',
      {
        ...valid,
        assessed: valid.assessed.map((a) => ({ ...a, supportingItems: [{ id: 'I', source: 4, intelligence: 'A' }] })),
      },
      'assessed.0.supportingItems.0.source',
      'source grade must be 1, 2 or 3',
    ],
    [
      'an intelligence grade of F',
      { ...valid, intelligenceItems: [{ id: 'I', sourceId: 'S', source: 1, intelligence: 'F' }] },
      'intelligenceItems.0.intelligence',
      'A, B, C, D or E',
    ],
    [
      'a negative weight',
      { ...valid, weightTable: { ...TABLE, weights: { ...TABLE.weights, robbery: -1 } } },
      'weightTable.weights.robbery',
      'must not be negative',
    ],
    [
      'a weight that is not finite',
      { ...valid, weightTable: { ...TABLE, weights: { ...TABLE.weights, robbery: Number.POSITIVE_INFINITY } } },
      'weightTable.weights.robbery',
      '',
    ],
    [
      'the same offence id with different details',
      { ...valid, offences: [TEST_VECTOR_OFFENCES[0], { ...TEST_VECTOR_OFFENCES[0], stage: 'charged' }] },
      'offences.1',
      'appears more than once with different details',
    ],
    ['an override band D', { ...valid, override: { band: 'D', reason: 'x', expiresOn: '2026-07-01' } }, 'override.band', ''],
    ['an empty offence id', withOffence({ id: '' }), 'offences.0.id', 'must not be empty'],
  ])('rejects %s', (_label, bad, path, message) => {
    let error: unknown;
    try {
      scoreNetwork(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScoringInputError);
    const issues = (error as ScoringInputError).issues;
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toContain(message);
  });

  it.each([
    ['null', null],
    ['an empty object', {}],
    ['an array', []],
    ['a missing assessed list', { ...valid, assessed: undefined }],
  ])('rejects %s with a ScoringInputError, not a crash', (_label, bad) => {
    expect(() => scoreNetwork(bad)).toThrow(ScoringInputError);
  });

  it('lists every problem in one error', () => {
    try {
      scoreNetwork({ ...withAssessed(9), asOf: 'yesterday' });
      expect.unreachable();
    } catch (e) {
      expect((e as ScoringInputError).issues.map((i) => i.path)).toEqual(['asOf', 'assessed.0.value']);
      expect((e as Error).message).toMatch(/^Scoring input rejected: asOf: /);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Date helpers
// ---------------------------------------------------------------------------------------------

describe('dates', () => {
  it.each([
    ['2026-06-30', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-00-10', false],
    ['2026-6-30', false],
    ['30/06/2026', false],
    ['2026-06-30T00:00:00Z', false],
  ])('isIsoDate(%s) is %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it.each([
    ['2026-06-30', -36, '2023-06-30'],
    ['2026-06-30', -12, '2025-06-30'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2028-02-29', -12, '2027-02-28'],
    ['2028-02-29', -48, '2024-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
  ])('addMonths(%s, %i) is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('counts whole days across the clock change', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2026-06-30', '2026-02-28')).toBe(-122);
  });

  it('round-trips day numbers, including years before 100', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(fromEpochDay(toEpochDay('2026-06-30'))).toBe('2026-06-30');
    expect(fromEpochDay(toEpochDay('0050-03-01'))).toBe('0050-03-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('formats dates the UK way and rejects bad ones', () => {
    expect(formatUkDate('2026-06-30')).toBe('30/06/2026');
    expect(() => toEpochDay('2026-02-30')).toThrow(RangeError);
    expect(() => addMonths('2026-06-30', 1.5)).toThrow(RangeError);
  });
});
