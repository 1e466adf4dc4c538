/**
 * The scoring digest (main/domain/scoring-digest.ts) scores exactly as the rows do.
 *
 * One generated world of records is projected two ways: as the row read gives it to
 * `scoreTrustedInput` (items dated after the as-of day are not read; support only 3x5x2), and as
 * the digest builder is given it (every date; only the grades that can ever count; the items held
 * or cited apart from those supporting ratings, joined by `combineSpans`). For 2,000
 * generated worlds, each scored as of several days (including the 36-month cut-off day and the
 * 12-month gate day of an offence), score, parts, bands and confidence must be identical (===),
 * and the test vector of docs/specification.md comes out at 59.014, Band B, High.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, toEpochDay } from '../../preload/contract/dates';
import { assessedDimension, capabilityDimension, scoreTrustedInput, ScoringInputError, type ParsedScoringInput } from '../../main/domain/scoring';
import {
  assembleDigest,
  buildDigestOffences,
  buildDigestRatings,
  combineSpans,
  digestScorer,
  itemSpan,
  scoreDigest,
  type ItemSource,
  type OffenceSource,
  type RatingSource,
  type ScoringDigest,
} from '../../main/domain/scoring-digest';

/** A whole digest from one network's rows, as the store assembles its three parts. */
function buildDigest(offences: OffenceSource, held: ItemSource, ratings: RatingSource, supportItems: ItemSource): ScoringDigest {
  return assembleDigest(buildDigestOffences(offences), itemSpan(held), buildDigestRatings(ratings, supportItems));
}

const TABLE = {
  id: 'test-table',
  version: '7',
  weights: { homicide: 5475, robbery: 365, possession_of_weapons: 273.75, violence_with_injury: 365, drug_trafficking: 5, criminal_damage: 2, shoplifting: 1 },
};
const CATEGORIES = Object.keys(TABLE.weights);
const STAGES = ['convicted', 'charged', 'arrested', 'intelligence', 'nfa', 'acquitted'] as const;
const WEAPONS = ['firearm_discharged', 'firearm', 'knife', 'none'] as const;
const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
const BASE = '2026-06-30';

interface Item {
  id: string;
  /** Held against the network or cited by one of its confirmed links (else it reaches the network only by supporting a rating, if at all). */
  isHeld: boolean;
  sourceId: string;
  grading: '3x5x2' | '5x5x5';
  source: 1 | 2 | 3;
  intelligence: (typeof GRADES)[number];
  date: string;
}
interface World {
  offences: { id: string; category: string; date: string; stage: (typeof STAGES)[number]; weapon: (typeof WEAPONS)[number] }[];
  assessed: { value: number; support: Item[] }[];
  capability: number[];
  items: Item[];
  override: ParsedScoringInput['override'];
}

const day = fc.integer({ min: -1300, max: 40 }).map((d) => addDays(BASE, d));
const item: fc.Arbitrary<Item> = fc.record({
  id: fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5', 'i6'),
  isHeld: fc.boolean(),
  sourceId: fc.constantFrom('s1', 's2', 's3'),
  grading: fc.constantFrom('3x5x2' as const, '3x5x2' as const, '5x5x5' as const),
  source: fc.constantFrom(1 as const, 2 as const, 3 as const),
  intelligence: fc.constantFrom(...GRADES),
  // Often a shared day, so two sources first held on the same day are tried.
  date: fc.oneof(day, fc.constantFrom(addDays(BASE, -100), addDays(BASE, 5))),
});
// One record per item id (the vault holds an item once), however many routes reach it.
const items = fc.array(item, { maxLength: 8 }).map((xs) => [...new Map(xs.map((x) => [x.id, x])).values()]);
const world: fc.Arbitrary<World> = fc
  .record({
    offences: fc.uniqueArray(
      fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), category: fc.constantFrom(...CATEGORIES), date: day, stage: fc.constantFrom(...STAGES), weapon: fc.constantFrom(...WEAPONS) }),
      { maxLength: 25, selector: (o) => o.id },
    ),
    assessedValues: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 5, maxLength: 5 }),
    supportPicks: fc.array(fc.array(fc.nat({ max: 7 }), { maxLength: 3 }), { minLength: 5, maxLength: 5 }),
    capability: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 }),
    items,
    override: fc.option(
      fc.record({
        band: fc.constantFrom('A' as const, 'B' as const, 'C' as const, 'below_threshold' as const),
        reason: fc.constant('Generated.'),
        authorId: fc.constant('u1'),
        approverId: fc.constantFrom('u2', 'u1'),
        approverRole: fc.constantFrom('supervisor', 'analyst'),
        expiresOn: day,
        approvedOn: day,
      }),
      { nil: null },
    ),
  })
  .map((r) => ({
    offences: r.offences,
    assessed: r.assessedValues.map((value, i) => ({ value, support: r.supportPicks[i]!.map((k) => r.items[k]).filter((x): x is Item => x !== undefined) })),
    capability: r.capability,
    items: r.items,
    override: r.override,
  }));

/** Items that reach the network: held or cited, or supporting one of its ratings. */
function reaching(wd: World): Item[] {
  const supporting = new Set(wd.assessed.flatMap((r) => r.support.map((i) => i.id)));
  return wd.items.filter((i) => i.isHeld || supporting.has(i.id));
}

/** What the vault's row read passes the explaining scorer (store/scores.repo.ts). */
function asRows(wd: World, asOf: string): ParsedScoringInput {
  const dated = (i: Item) => i.grading === '3x5x2' && i.date <= asOf;
  return {
    asOf,
    weightTable: TABLE,
    offences: wd.offences.map((o) => ({ ...o })),
    assessed: assessedDimension.options.map((dimension, k) => ({
      dimension,
      value: wd.assessed[k]!.value,
      supportingItems: wd.assessed[k]!.support.filter(dated).map((i) => ({ id: i.id, source: i.source, intelligence: i.intelligence })),
    })),
    capability: capabilityDimension.options.map((dimension, k) => ({ dimension, value: wd.capability[k]! })),
    intelligenceItems: reaching(wd).filter((i) => dated(i) && i.source <= 2 && (i.intelligence === 'A' || i.intelligence === 'B')).map((i) => ({ id: i.id, sourceId: i.sourceId, source: i.source, intelligence: i.intelligence })),
    override: wd.override,
  };
}

/** What the digest builder is given (store/digests.repo.ts): every date, only grades that can count. */
function asDigestSources(wd: World): [OffenceSource, ItemSource, RatingSource, ItemSource] {
  const ratings: RatingSource = new Map();
  assessedDimension.options.forEach((d, k) => {
    const days = wd.assessed[k]!.support.filter((i) => i.grading === '3x5x2' && i.source <= 2 && 'ABC'.includes(i.intelligence)).map((i) => toEpochDay(i.date));
    ratings.set(`assessed:${d}`, { value: wd.assessed[k]!.value, supportedFrom: days.length ? Math.min(...days) : null });
  });
  capabilityDimension.options.forEach((d, k) => ratings.set(`capability:${d}`, { value: wd.capability[k]!, supportedFrom: null }));
  const qualifies = (i: Item) => i.grading === '3x5x2' && i.source <= 2 && (i.intelligence === 'A' || i.intelligence === 'B');
  const asSource = (xs: Item[]): ItemSource => xs.map((i) => ({ id: i.id, sourceId: i.sourceId, day: toEpochDay(i.date) }));
  const held = wd.items.filter((i) => i.isHeld && qualifies(i));
  const support = wd.assessed.flatMap((r) => r.support).filter(qualifies);
  return [
    wd.offences.map((o) => ({ id: o.id, category: o.category, day: toEpochDay(o.date), stage: o.stage, weapon: o.weapon })),
    // Items reach a network by several routes: pass some twice, as the read may.
    asSource([...held, ...held.slice(0, 2)]),
    ratings,
    asSource(support),
  ];
}

/** As-of days worth trying for a world: ordinary ones, and the cut-off and gate days of its offences. */
function daysFor(wd: World): string[] {
  const out = [BASE, addDays(BASE, -400), addDays(BASE, 30)];
  for (const o of wd.offences.slice(0, 3)) out.push(addMonths(o.date, 36), addDays(addMonths(o.date, 36), -1), addMonths(o.date, 12), o.date);
  return out;
}

describe('scoreDigest', () => {
  it('gives exactly what scoring the rows gives, for 2,000 generated networks on several days each', () => {
    let compared = 0;
    const bands = new Set<string>();
    const confidences = new Set<string>();
    fc.assert(
      fc.property(world, (wd) => {
        const digest = buildDigest(...asDigestSources(wd));
        for (const asOf of daysFor(wd)) {
          const h = scoreTrustedInput(asRows(wd, asOf));
          const p = h.explanation.parts;
          const d = scoreDigest(digest, asOf, TABLE, wd.override ?? null);
          expect([d.eh, d.ehPts, d.ah, d.ahPts, d.cap, d.capPts, d.score, d.scoreBand, d.band, d.effectiveBand, d.confidence, d.model, d.asOf]).toEqual([
            p.eh, p.ehPts, p.ah, p.ahPts, p.cap, p.capPts, h.score, h.scoreBand, h.band, h.effectiveBand, h.confidence, h.model, h.asOf,
          ]);
          expect(Object.is(d.score, h.score)).toBe(true);
          bands.add(d.effectiveBand);
          confidences.add(d.confidence);
          compared++;
        }
      }),
      { seed: 20261122, numRuns: 2000 },
    );
    expect(compared).toBeGreaterThan(10_000);
    expect([...bands].sort()).toEqual(['A', 'B', 'C', 'below_threshold']);
    expect([...confidences].sort()).toEqual(['high', 'low', 'medium']);
  });

  it('one scorer for many digests gives what scoring each alone gives', () => {
    fc.assert(
      fc.property(fc.array(world, { minLength: 1, maxLength: 6 }), (worlds) => {
        const score = digestScorer(BASE, TABLE);
        for (const wd of worlds) {
          const digest = buildDigest(...asDigestSources(wd));
          expect(score(digest, wd.override ?? null)).toEqual(scoreDigest(digest, BASE, TABLE, wd.override ?? null));
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('the domain.md test vector: 59.014, Band B, High', () => {
    const supported = { value: 0, supportedFrom: toEpochDay('2026-01-01') };
    const ratings: RatingSource = new Map();
    [3, 2, 1, 3, 2].forEach((v, k) => ratings.set(`assessed:${assessedDimension.options[k]}`, { ...supported, value: v }));
    [2, 3, 0, 1, 1].forEach((v, k) => ratings.set(`capability:${capabilityDimension.options[k]}`, { value: v, supportedFrom: null }));
    const digest = buildDigest(
      [
        { id: 'o1', category: 'robbery', day: toEpochDay('2026-02-28'), stage: 'convicted', weapon: 'none' },
        { id: 'o2', category: 'possession_of_weapons', day: toEpochDay('2025-08-30'), stage: 'charged', weapon: 'knife' },
        { id: 'o3', category: 'violence_with_injury', day: toEpochDay('2026-04-30'), stage: 'arrested', weapon: 'none' },
        { id: 'o4', category: 'homicide', day: toEpochDay('2023-12-30'), stage: 'convicted', weapon: 'none' },
      ],
      [],
      ratings,
      [],
    );
    const d = scoreDigest(digest, '2026-06-30', TABLE, null);
    expect(d.eh.toFixed(2)).toBe('1543.19');
    expect(d.ehPts.toFixed(3)).toBe('38.264');
    expect([d.ahPts, d.capPts]).toEqual([13.75, 7]);
    expect(d.score.toFixed(3)).toBe('59.014');
    expect([d.band, d.confidence]).toEqual(['B', 'high']);
  });

  it('joins two item spans exactly as the union of their items', () => {
    const entry = fc.record({ id: fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5'), sourceId: fc.constantFrom('s1', 's2', 's3'), day: fc.integer({ min: 0, max: 6 }) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.array(entry, { maxLength: 5 }), (a, b) => {
        // One record per item id across both sets, as in the vault.
        const byId = new Map([...a, ...b].map((i) => [i.id, i]));
        const one = (xs: typeof a) => xs.map((i) => byId.get(i.id)!);
        const whole = itemSpan([...one(a), ...one(b)]);
        expect(combineSpans(itemSpan(one(a)), itemSpan(one(b)))).toEqual({ confidenceFrom: whole.from, twoSourcesFrom: whole.twoFrom });
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('refuses an offence category missing from the weight table, as the row scorer does', () => {
    const digest = buildDigest([{ id: 'o1', category: 'arson', day: toEpochDay('2026-01-01'), stage: 'convicted', weapon: 'none' }], [], new Map(), []);
    expect(() => scoreDigest(digest, BASE, TABLE, null)).toThrow(ScoringInputError);
  });

  it('reads packed offences at any byte offset (a blob from the database need not be aligned)', () => {
    const digest = buildDigest(
      [
        { id: 'b', category: 'robbery', day: toEpochDay('2026-05-01'), stage: 'convicted', weapon: 'firearm_discharged' },
        { id: 'a', category: 'homicide', day: toEpochDay('2024-01-01'), stage: 'charged', weapon: 'none' },
      ],
      [],
      new Map(),
      [],
    );
    const shifted = Buffer.alloc(digest.offences.length + 3);
    digest.offences.copy(shifted, 3);
    const unaligned = { ...digest, offences: shifted.subarray(3) };
    expect(unaligned.offences.byteOffset % 4).not.toBe(0);
    expect(scoreDigest(unaligned, BASE, TABLE, null)).toEqual(scoreDigest(digest, BASE, TABLE, null));
    expect(() => scoreDigest({ ...digest, offences: digest.offences.subarray(0, 7) }, BASE, TABLE, null)).toThrow(RangeError);
  });
});
