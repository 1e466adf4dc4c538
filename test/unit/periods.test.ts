import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, formatLongUkDate, monthName } from '../../preload/contract/dates';
import {
  contains,
  customPeriod,
  financialYearName,
  financialYearPeriod,
  financialYearStartOf,
  monthPeriod,
  parsePeriod,
  periodContaining,
  periodLabel,
  periodLength,
  PeriodError,
  previousPeriod,
  quarterPeriod,
  safeParsePeriod,
  type Period,
} from '../../preload/contract/periods';

const range = (p: Period) => [p.from, p.to];

describe('dates helpers added for periods', () => {
  it('writes dates out in British prose', () => {
    expect(formatLongUkDate('2026-01-01')).toBe('1 January 2026');
    expect(formatLongUkDate('2024-02-29')).toBe('29 February 2024');
    expect(formatLongUkDate('2025-12-31')).toBe('31 December 2025');
    expect(() => formatLongUkDate('2025-02-29')).toThrow(RangeError);
  });

  it('names months and refuses numbers that are not months', () => {
    expect(monthName(1)).toBe('January');
    expect(monthName(12)).toBe('December');
    expect(() => monthName(0)).toThrow(RangeError);
    expect(() => monthName(13)).toThrow(RangeError);
    expect(() => monthName(1.5)).toThrow(RangeError);
  });
});

describe('months', () => {
  it.each([
    ['2026-05', '2026-05-01', '2026-05-31', 'May 2026'],
    ['2026-01', '2026-01-01', '2026-01-31', 'January 2026'],
    ['2026-12', '2026-12-01', '2026-12-31', 'December 2026'],
    ['2024-02', '2024-02-01', '2024-02-29', 'February 2024'],
    ['2025-02', '2025-02-01', '2025-02-28', 'February 2025'],
    ['2000-02', '2000-02-01', '2000-02-29', 'February 2000'],
    ['2100-02', '2100-02-01', '2100-02-28', 'February 2100'],
    ['2026-04', '2026-04-01', '2026-04-30', 'April 2026'],
  ])('%s is %s to %s, "%s"', (text, from, to, label) => {
    const p = parsePeriod(text);
    expect(p).toEqual({
      kind: 'month',
      id: text,
      from,
      to,
      year: Number(text.slice(0, 4)),
      month: Number(text.slice(5, 7)),
    });
    expect(periodLabel(p)).toBe(label);
  });

  it('previous month crosses the year', () => {
    expect(previousPeriod(monthPeriod(2026, 1)).id).toBe('2025-12');
    expect(previousPeriod(monthPeriod(2026, 3)).id).toBe('2026-02');
    expect(range(previousPeriod(monthPeriod(2024, 3)))).toEqual(['2024-02-01', '2024-02-29']);
  });
});

describe('financial quarters', () => {
  it.each([
    ['2025/26-Q1', '2025-04-01', '2025-06-30', '2025/26 Q1 (April to June 2025)'],
    ['2025/26-Q2', '2025-07-01', '2025-09-30', '2025/26 Q2 (July to September 2025)'],
    ['2025/26-Q3', '2025-10-01', '2025-12-31', '2025/26 Q3 (October to December 2025)'],
    ['2025/26-Q4', '2026-01-01', '2026-03-31', '2025/26 Q4 (January to March 2026)'],
    ['2023/24-Q4', '2024-01-01', '2024-03-31', '2023/24 Q4 (January to March 2024)'],
    ['1999/00-Q4', '2000-01-01', '2000-03-31', '1999/00 Q4 (January to March 2000)'],
  ])('%s is %s to %s, "%s"', (text, from, to, label) => {
    const p = parsePeriod(text);
    expect(p.kind).toBe('quarter');
    expect(p.id).toBe(text);
    expect(range(p)).toEqual([from, to]);
    expect(periodLabel(p)).toBe(label);
  });

  it('accepts the label form and lower case, and gives the canonical id', () => {
    expect(parsePeriod('2025/26 Q3').id).toBe('2025/26-Q3');
    expect(parsePeriod('2025/26q3').id).toBe('2025/26-Q3');
    expect(parsePeriod('  2025/26-q1 ').id).toBe('2025/26-Q1');
  });

  it('previous quarter of Q1 is Q4 of the year before', () => {
    expect(previousPeriod(quarterPeriod(2025, 1)).id).toBe('2024/25-Q4');
    expect(range(previousPeriod(quarterPeriod(2025, 1)))).toEqual(['2025-01-01', '2025-03-31']);
    expect(previousPeriod(quarterPeriod(2025, 4)).id).toBe('2025/26-Q3');
  });

  it('refuses quarters that do not exist', () => {
    expect(() => parsePeriod('2025/26-Q5')).toThrow('must be Q1, Q2, Q3 or Q4');
    expect(() => parsePeriod('2025/26-Q0')).toThrow(PeriodError);
    expect(() => quarterPeriod(2025, 2.5)).toThrow(PeriodError);
  });
});

describe('financial years', () => {
  it('2025/26 runs from 1 April 2025 to 31 March 2026', () => {
    const p = parsePeriod('2025/26');
    expect(p).toEqual({
      kind: 'financial_year',
      id: '2025/26',
      from: '2025-04-01',
      to: '2026-03-31',
      financialYear: 2025,
    });
    expect(periodLabel(p)).toBe('2025/26 (April 2025 to March 2026)');
    expect(periodLength(p)).toBe(365);
  });

  it('a financial year holding 29 February has 366 days', () => {
    expect(periodLength(financialYearPeriod(2023))).toBe(366);
    expect(contains(financialYearPeriod(2023), '2024-02-29')).toBe(true);
    expect(periodLength(financialYearPeriod(2024))).toBe(365);
  });

  it('names years across the century', () => {
    expect(financialYearName(1999)).toBe('1999/00');
    expect(parsePeriod('1999/00').to).toBe('2000-03-31');
    expect(financialYearName(2009)).toBe('2009/10');
  });

  it('refuses a second year that does not follow the first', () => {
    expect(() => parsePeriod('2025/27')).toThrow('the second part must be the year after 2025, written 26');
    expect(() => parsePeriod('2025/25')).toThrow(PeriodError);
    expect(() => parsePeriod('1999/99')).toThrow(PeriodError);
  });

  it('previous financial year', () => {
    expect(previousPeriod(financialYearPeriod(2025)).id).toBe('2024/25');
  });
});

describe('31 March and 1 April', () => {
  const fy = financialYearPeriod(2025);
  it.each([
    ['2025-03-31', false, '2024/25', '2024/25-Q4', '2025-03'],
    ['2025-04-01', true, '2025/26', '2025/26-Q1', '2025-04'],
    ['2026-03-31', true, '2025/26', '2025/26-Q4', '2026-03'],
    ['2026-04-01', false, '2026/27', '2026/27-Q1', '2026-04'],
    ['2025-06-30', true, '2025/26', '2025/26-Q1', '2025-06'],
    ['2025-07-01', true, '2025/26', '2025/26-Q2', '2025-07'],
    ['2025-12-31', true, '2025/26', '2025/26-Q3', '2025-12'],
    ['2026-01-01', true, '2025/26', '2025/26-Q4', '2026-01'],
  ])('%s: in 2025/26 %s; year %s, quarter %s, month %s', (day, inside, year, quarter, month) => {
    expect(contains(fy, day)).toBe(inside);
    expect(periodContaining('financial_year', day).id).toBe(year);
    expect(periodContaining('quarter', day).id).toBe(quarter);
    expect(periodContaining('month', day).id).toBe(month);
  });

  it('financial year start of a day', () => {
    expect(financialYearStartOf('2026-03-31')).toBe(2025);
    expect(financialYearStartOf('2026-04-01')).toBe(2026);
    expect(financialYearStartOf('2026-01-01')).toBe(2025);
  });
});

describe('custom ranges', () => {
  it('parses from..to and labels it', () => {
    const p = parsePeriod('2026-01-01..2026-03-31');
    expect(p).toEqual({ kind: 'custom', id: '2026-01-01..2026-03-31', from: '2026-01-01', to: '2026-03-31' });
    expect(periodLabel(p)).toBe('1 January 2026 to 31 March 2026');
    expect(periodLength(p)).toBe(90);
    expect(parsePeriod('2026-01-01 .. 2026-03-31').id).toBe('2026-01-01..2026-03-31');
  });

  it('a single day is allowed and labelled as that day', () => {
    const p = customPeriod('2024-02-29', '2024-02-29');
    expect(periodLabel(p)).toBe('29 February 2024');
    expect(periodLength(p)).toBe(1);
    expect(contains(p, '2024-02-29')).toBe(true);
    expect(contains(p, '2024-02-28')).toBe(false);
    expect(contains(p, '2024-03-01')).toBe(false);
  });

  it('refuses a start after the end, and impossible dates', () => {
    expect(() => parsePeriod('2026-03-31..2026-01-01')).toThrow(
      'The period starts on 31 March 2026, after it ends on 1 January 2026.',
    );
    expect(() => parsePeriod('2025-02-29..2025-03-31')).toThrow('The start date "2025-02-29" is not a real date');
    expect(() => parsePeriod('2025-01-01..2025-13-01')).toThrow('The end date "2025-13-01" is not a real date');
  });

  it('previous custom range is the same number of days just before it', () => {
    expect(range(previousPeriod(customPeriod('2026-01-01', '2026-03-31')))).toEqual([
      '2025-10-03',
      '2025-12-31',
    ]);
    // 1 to 29 February 2024 (29 days): the previous 29 days end on 31 January.
    expect(range(previousPeriod(customPeriod('2024-02-01', '2024-02-29')))).toEqual([
      '2024-01-03',
      '2024-01-31',
    ]);
    expect(range(previousPeriod(customPeriod('2024-03-01', '2024-03-01')))).toEqual([
      '2024-02-29',
      '2024-02-29',
    ]);
  });
});

describe('rejected text', () => {
  it.each([
    '',
    'May 2026',
    '2026-5',
    '2026-13',
    '2026-00',
    '26/27',
    '2025-26',
    'FY2025/26',
    '2026-01-01',
    '2026-01-01..',
    '0226-05',
    '2200-01',
  ])('"%s" is refused with a clear message', (text) => {
    const result = safeParsePeriod(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(10);
    expect(() => parsePeriod(text)).toThrow(PeriodError);
  });

  it('names the accepted forms', () => {
    expect(() => parsePeriod('last month')).toThrow(
      '"last month" is not a period. Give a month (2026-05), a financial quarter (2025/26-Q3), a financial year (2025/26) or a range of days (2026-01-01..2026-03-31).',
    );
    expect(() => parsePeriod('0226-05')).toThrow('A month must be a year from 1900 to 2199; got 226.');
  });

  it('contains refuses a day that is not a date', () => {
    expect(() => contains(monthPeriod(2026, 5), '2026-05-32')).toThrow(PeriodError);
  });
});

describe('properties', () => {
  const day = fc
    .integer({ min: 0, max: 365 * 150 })
    .map((n) => addDays('1950-01-01', n));

  it('every day lies in exactly one month, quarter and financial year, which round-trip through their id', () => {
    fc.assert(
      fc.property(day, (d) => {
        for (const kind of ['month', 'quarter', 'financial_year'] as const) {
          const p = periodContaining(kind, d);
          expect(contains(p, d)).toBe(true);
          expect(parsePeriod(p.id)).toEqual(p);
          // The previous period ends the day before this one starts.
          const prev = previousPeriod(p);
          expect(prev.kind).toBe(p.kind);
          expect(addDays(prev.to, 1)).toBe(p.from);
          expect(contains(prev, d)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('quarters tile the financial year; months tile the quarter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2198 }), (year) => {
        const fy = financialYearPeriod(year);
        const quarters = [1, 2, 3, 4].map((q) => quarterPeriod(year, q));
        expect(quarters[0]!.from).toBe(fy.from);
        expect(quarters[3]!.to).toBe(fy.to);
        for (let i = 1; i < 4; i++) expect(addDays(quarters[i - 1]!.to, 1)).toBe(quarters[i]!.from);
        expect(quarters.reduce((n, q) => n + periodLength(q), 0)).toBe(periodLength(fy));
      }),
      { numRuns: 200 },
    );
  });

  it('custom ranges round-trip and their previous range abuts them with the same length', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 800 }), (from, length) => {
        const p = customPeriod(from, addDays(from, length));
        expect(parsePeriod(p.id)).toEqual(p);
        const prev = previousPeriod(p);
        expect(periodLength(prev)).toBe(periodLength(p));
        expect(addDays(prev.to, 1)).toBe(p.from);
      }),
      { numRuns: 200 },
    );
  });
});
