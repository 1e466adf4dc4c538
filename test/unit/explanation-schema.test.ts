/**
 * The explanation the domain builds is exactly the shared layer's schema (the network card's
 * output check holds every card to it): random networks, covering every exclusion, gate and
 * override status, parse without a change; a field added, dropped or mistyped is refused.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { scoreNetwork, type ScoringInput } from '../../main/domain/scoring';
import type { ScoreExplanation } from '../../preload/contract/schemas/explanation';
import { scoreExplanation } from '../../preload/contract/schemas/explanation';

const ASSESSED = ['physical', 'psychological', 'financial', 'community_impact', 'victim_vulnerability'] as const;
const CAPABILITY = ['firearms', 'violence_intimidation', 'corruption_insider_access', 'financial_capacity', 'resilience_reach'] as const;
const TABLE = { id: 'test-table', version: '1', weights: { homicide: 5475, robbery: 365, drugs_supply: 182.5 } };

const day = fc.date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const grade = { source: fc.constantFrom(1 as const, 2 as const, 3 as const), intelligence: fc.constantFrom('A' as const, 'B' as const, 'C' as const, 'D' as const, 'E' as const) };
const item = fc.record({ id: fc.constantFrom('INT-1', 'INT-2', 'INT-3'), ...grade });

const offence = fc.record({
  id: fc.constantFrom('O-1', 'O-2', 'O-3', 'O-4', 'O-5'),
  category: fc.constantFrom('homicide', 'robbery', 'drugs_supply'),
  date: day,
  stage: fc.constantFrom('convicted' as const, 'charged' as const, 'arrested' as const, 'intelligence' as const, 'nfa' as const, 'acquitted' as const),
  weapon: fc.constantFrom('firearm_discharged' as const, 'firearm' as const, 'knife' as const, 'none' as const),
});

const override = fc.option(
  fc.record(
    {
      band: fc.constantFrom('A' as const, 'B' as const, 'C' as const, 'below_threshold' as const),
      reason: fc.option(fc.constantFrom('', 'Threat to life'), { nil: null }),
      authorId: fc.option(fc.constantFrom('u-1', 'u-2'), { nil: null }),
      approverId: fc.option(fc.constantFrom('u-1', 'u-2'), { nil: null }),
      approverRole: fc.constantFrom('supervisor', 'analyst'),
      expiresOn: fc.option(day, { nil: null }),
      approvedOn: fc.option(day, { nil: null }),
    },
    { requiredKeys: ['band'] },
  ),
  { nil: null },
);

const network: fc.Arbitrary<ScoringInput> = fc
  .record({
    asOf: day,
    offences: fc.array(offence, { maxLength: 8 }),
    assessed: fc.tuple(...ASSESSED.map(() => fc.record({ value: fc.integer({ min: 0, max: 4 }), supportingItems: fc.array(item, { maxLength: 2 }) }))),
    capability: fc.tuple(...CAPABILITY.map(() => fc.integer({ min: 0, max: 3 }))),
    intelligenceItems: fc.uniqueArray(fc.record({ id: fc.constantFrom('INT-1', 'INT-2', 'INT-3', 'INT-4'), sourceId: fc.constantFrom('S-1', 'S-2'), ...grade }), { selector: (i) => i.id, maxLength: 4 }),
    override,
  })
  .map((n) => ({
    asOf: n.asOf,
    weightTable: TABLE,
    // One id is one offence: copies of an id (a second member's link) carry the same details.
    offences: n.offences.map((o) => {
      const first = n.offences.find((p) => p.id === o.id)!;
      return { ...first, isHomicide: first.category === 'homicide' };
    }),
    assessed: ASSESSED.map((dimension, i) => ({ dimension, ...n.assessed[i]! })),
    capability: CAPABILITY.map((dimension, i) => ({ dimension, value: n.capability[i]! })),
    intelligenceItems: n.intelligenceItems,
    override: n.override,
  }));

function sample(runs: number): ScoreExplanation[] {
  return fc.sample(network, { numRuns: runs, seed: 20260630 }).map((input) => scoreNetwork(input).explanation);
}

describe('the score explanation and its schema', () => {
  const explanations = sample(2000);

  test('the sample reaches every exclusion, gate and override status', () => {
    const exclusions = new Set(explanations.flatMap((x) => x.offences.map((o) => o.exclusion)));
    expect([...exclusions].sort()).toEqual(['duplicate', 'future_dated', 'outside_window', 'stage_scores_zero', null].sort());
    expect(new Set(explanations.map((x) => x.override.status))).toEqual(new Set(['none', 'in_force', 'not_yet_in_force', 'expired', 'invalid']));
    expect(explanations.some((x) => x.gates.some((g) => g.gate === 'low_confidence_cap' && g.hasChangedBand))).toBe(true);
    expect(explanations.some((x) => x.gates.some((g) => g.gate === 'serious_violence_floor' && g.hasChangedBand))).toBe(true);
    expect(new Set(explanations.map((x) => x.confidence.level))).toEqual(new Set(['high', 'medium', 'low']));
  });

  test('every explanation the domain builds parses to itself, field for field', () => {
    for (const x of explanations) {
      const parsed = scoreExplanation.safeParse(x);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(parsed.data).toStrictEqual(x);
    }
  });

  test('an explanation with a field added, dropped or mistyped is refused', () => {
    const x = explanations.find((e) => e.offences.length > 0 && e.assessed.some((r) => r.supportingItems.length > 0))!;
    const copy = () => JSON.parse(JSON.stringify(x)) as Record<string, any>;
    const drifted = [
      { ...copy(), extra: 1 },
      (({ gates: _gates, ...rest }) => rest)(copy()),
      { ...copy(), parts: { ...copy().parts, score: '12.5' } },
      { ...copy(), offences: [{ ...copy().offences[0], personName: 'Adam Testperson' }] },
      { ...copy(), assessed: copy().assessed.map((r: Record<string, any>) => ({ ...r, supportingItems: r.supportingItems.map((i: object) => ({ ...i, sourceId: 'S-1' })) })) },
      { ...copy(), model: 'hm-2' },
    ];
    for (const d of drifted) expect(scoreExplanation.safeParse(d).success).toBe(false);
  });
});
