/** Which records are restricted (main/domain/restricted-records.ts), with exact days. */
import { describe, expect, test } from 'vitest';
import { restrictionsOf, type RestrictionFacts } from '../../main/domain/restricted-records';
import { RESTRICTED_RECORD_KINDS } from '../../preload/contract/vocabulary';

const ALL = [...RESTRICTED_RECORD_KINDS];
const adult = { dateOfBirth: '1990-01-01', isFlagged: false };
const facts = (f: Partial<RestrictionFacts>): RestrictionFacts => ({ people: [adult], linkRoles: ['associate'], handlingCodes: ['P', null], ...f });

describe('restrictionsOf', () => {
  test('an adult on an associate link with items graded P or 5x5x5 is not restricted', () => {
    expect(restrictionsOf(facts({}), '2026-06-30', ALL)).toEqual([]);
    expect(restrictionsOf({ people: [], linkRoles: [], handlingCodes: [] }, '2026-06-30', ALL)).toEqual([]);
  });

  test('under 18 until the 18th birthday, on the UK day given; an unknown date of birth is not marked', () => {
    const born = (dateOfBirth: string | null) => facts({ people: [adult, { dateOfBirth, isFlagged: false }] });
    expect(restrictionsOf(born('2008-07-01'), '2026-06-30', ALL)).toEqual(['under_18']);
    expect(restrictionsOf(born('2008-06-30'), '2026-06-30', ALL)).toEqual([]);
    expect(restrictionsOf(born(null), '2026-06-30', ALL)).toEqual([]);
  });

  test('each kind alone, and all of them in the vocabulary order', () => {
    expect(restrictionsOf(facts({ linkRoles: ['principal', 'victim_at_risk'] }), '2026-06-30', ALL)).toEqual(['victim_at_risk']);
    expect(restrictionsOf(facts({ people: [{ ...adult, isFlagged: true }] }), '2026-06-30', ALL)).toEqual(['flagged_nominal']);
    expect(restrictionsOf(facts({ handlingCodes: ['P', 'C'] }), '2026-06-30', ALL)).toEqual(['handling_c']);
    const everything = facts({ people: [{ dateOfBirth: '2015-01-01', isFlagged: true }], linkRoles: ['victim_at_risk'], handlingCodes: ['C'] });
    expect(restrictionsOf(everything, '2026-06-30', ALL)).toEqual(ALL);
    // Only the kinds switched on count.
    expect(restrictionsOf(everything, '2026-06-30', ['handling_c', 'under_18'])).toEqual(['handling_c', 'under_18']);
    expect(restrictionsOf(everything, '2026-06-30', [])).toEqual([]);
  });
});
