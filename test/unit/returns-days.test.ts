/**
 * The returns' cached day arithmetic (main/returns/days.ts) agrees with preload/contract/dates.ts on
 * every valid date and refuses what dates.ts refuses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareIsoDates, daysBetween } from '../../preload/contract/dates';
import { compareDays, dayNumber, daysFrom, within } from '../../main/returns/days';

const day = fc.integer({ min: -40_000, max: 60_000 }).map((n) => addDays('1970-01-01', n));

describe('days', () => {
  it('property: compareDays and daysFrom equal compareIsoDates and daysBetween', () => {
    fc.assert(
      fc.property(day, day, (a, b) => {
        expect(Math.sign(compareDays(a, b))).toBe(Math.sign(compareIsoDates(a, b)));
        expect(daysFrom(a, b)).toBe(daysBetween(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('within includes both ends', () => {
    expect(within({ from: '2025-04-01', to: '2026-03-31' }, '2025-04-01')).toBe(true);
    expect(within({ from: '2025-04-01', to: '2026-03-31' }, '2026-03-31')).toBe(true);
    expect(within({ from: '2025-04-01', to: '2026-03-31' }, '2025-03-31')).toBe(false);
    expect(within({ from: '2025-04-01', to: '2026-03-31' }, '2026-04-01')).toBe(false);
  });

  it('a date that is not real throws, as dates.ts does, every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => dayNumber('2026-02-30')).toThrow(RangeError);
      expect(() => compareDays('2026-13-01', '2026-01-01')).toThrow(RangeError);
    }
    expect(dayNumber('1970-01-02')).toBe(1);
  });
});
