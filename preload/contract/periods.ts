/**
 * Reporting periods for returns (docs/scoring-method.md; "Returns and exports"; issue 4).
 *
 * A period is an inclusive range of UK calendar days, `from` to `to`, both ISO `YYYY-MM-DD`.
 * Days, not instants: a disruption validated at 23:30 on 31 March belongs to that day, and the
 * caller decides which calendar day a timestamp falls on (UK time) before it gets here.
 *
 * Kinds:
 * - month: `2026-05`, "May 2026".
 * - financial quarter: the UK public-sector financial year runs 1 April to 31 March, so Q1 is
 *   April to June, Q2 July to September, Q3 October to December and Q4 January to March of the
 *   following calendar year. `2025/26-Q3`, "2025/26 Q3 (October to December 2025)".
 * - financial year: `2025/26` is 1 April 2025 to 31 March 2026 (house style names years so).
 * - custom: `2026-01-01..2026-03-31`, any from ≤ to, "1 January 2026 to 31 March 2026".
 *
 * Each period carries its canonical `id` (the text form above) so that `parsePeriod(p.id)`
 * gives the same period back: returns record the id in their header and the CLI accepts it.
 *
 * Pure: no clock. "This month" is the caller's business (`periodContaining`).
 */
import { addDays, addMonths, compareIsoDates, formatLongUkDate, isIsoDate, monthName } from './dates';

/**
 * Years a period may start in. A four-digit year outside this span in a return request is a
 * typing slip (0226 for 2026), not a period anyone reports on; refusing it gives a clear message
 * instead of an empty return. The upper end keeps every derived date a four-digit ISO year.
 */
export const MIN_PERIOD_YEAR = 1900;
export const MAX_PERIOD_YEAR = 2199;

export type PeriodKind = 'month' | 'quarter' | 'financial_year' | 'custom';
export type FinancialQuarter = 1 | 2 | 3 | 4;

interface PeriodBase {
  /** Canonical text form; `parsePeriod(id)` returns the same period. */
  id: string;
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

export interface MonthPeriod extends PeriodBase {
  kind: 'month';
  year: number;
  /** 1 (January) to 12 (December). */
  month: number;
}

export interface QuarterPeriod extends PeriodBase {
  kind: 'quarter';
  /** Calendar year the financial year starts in: 2025 for 2025/26. */
  financialYear: number;
  quarter: FinancialQuarter;
}

export interface FinancialYearPeriod extends PeriodBase {
  kind: 'financial_year';
  /** Calendar year the financial year starts in: 2025 for 2025/26. */
  financialYear: number;
}

export interface CustomPeriod extends PeriodBase {
  kind: 'custom';
}

export type Period = MonthPeriod | QuarterPeriod | FinancialYearPeriod | CustomPeriod;

/** Thrown for a period that cannot exist or text that names none; the message is for people. */
export class PeriodError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodError';
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function requireYear(year: number, what: string): void {
  if (!Number.isInteger(year) || year < MIN_PERIOD_YEAR || year > MAX_PERIOD_YEAR) {
    throw new PeriodError(
      `${what} must be a year from ${MIN_PERIOD_YEAR} to ${MAX_PERIOD_YEAR}; got ${year}.`,
    );
  }
}

function lastDayOfMonth(year: number, month: number): string {
  // The day before the first of the next month; addMonths handles the year roll-over.
  return addDays(addMonths(`${pad(year, 4)}-${pad(month, 2)}-01`, 1), -1);
}

/** "2025/26" for the financial year starting in April 2025 ("1999/00" for 1999). */
export function financialYearName(startYear: number): string {
  requireYear(startYear, 'A financial year');
  return `${startYear}/${pad((startYear + 1) % 100, 2)}`;
}

/** The calendar month, e.g. `monthPeriod(2026, 5)` is 1 to 31 May 2026. */
export function monthPeriod(year: number, month: number): MonthPeriod {
  requireYear(year, 'A month');
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new PeriodError(`A month must be from 1 to 12; got ${month}.`);
  }
  return {
    kind: 'month',
    id: `${pad(year, 4)}-${pad(month, 2)}`,
    from: `${pad(year, 4)}-${pad(month, 2)}-01`,
    to: lastDayOfMonth(year, month),
    year,
    month,
  };
}

/**
 * Financial quarter `quarter` of the financial year starting in April `financialYear`.
 * Q1 starts in April of that year; Q4 is January to March of the next calendar year.
 */
export function quarterPeriod(financialYear: number, quarter: number): QuarterPeriod {
  requireYear(financialYear, 'A financial year');
  if (quarter !== 1 && quarter !== 2 && quarter !== 3 && quarter !== 4) {
    throw new PeriodError(`A financial quarter must be Q1, Q2, Q3 or Q4; got ${quarter}.`);
  }
  const first = addMonths(`${pad(financialYear, 4)}-04-01`, (quarter - 1) * 3);
  return {
    kind: 'quarter',
    id: `${financialYearName(financialYear)}-Q${quarter}`,
    from: first,
    to: addDays(addMonths(first, 3), -1),
    financialYear,
    quarter,
  };
}

/** The financial year 1 April `startYear` to 31 March the year after. */
export function financialYearPeriod(startYear: number): FinancialYearPeriod {
  requireYear(startYear, 'A financial year');
  return {
    kind: 'financial_year',
    id: financialYearName(startYear),
    from: `${pad(startYear, 4)}-04-01`,
    to: `${pad(startYear + 1, 4)}-03-31`,
    financialYear: startYear,
  };
}

/** Any inclusive range of days; `from` must not be after `to` (one day is allowed). */
export function customPeriod(from: string, to: string): CustomPeriod {
  for (const [name, value] of [
    ['start', from],
    ['end', to],
  ] as const) {
    if (!isIsoDate(value)) {
      throw new PeriodError(`The ${name} date "${value}" is not a real date written YYYY-MM-DD.`);
    }
    requireYear(Number(value.slice(0, 4)), `The ${name} date`);
  }
  if (compareIsoDates(from, to) > 0) {
    throw new PeriodError(
      `The period starts on ${formatLongUkDate(from)}, after it ends on ${formatLongUkDate(to)}.`,
    );
  }
  return { kind: 'custom', id: `${from}..${to}`, from, to };
}

/** Calendar year in which the financial year containing `day` starts (2025 for 31 March 2026). */
export function financialYearStartOf(day: string): number {
  requireDay(day);
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

/** The month, financial quarter or financial year that contains `day`. */
export function periodContaining(kind: 'month', day: string): MonthPeriod;
export function periodContaining(kind: 'quarter', day: string): QuarterPeriod;
export function periodContaining(kind: 'financial_year', day: string): FinancialYearPeriod;
export function periodContaining(
  kind: Exclude<PeriodKind, 'custom'>,
  day: string,
): MonthPeriod | QuarterPeriod | FinancialYearPeriod;
export function periodContaining(
  kind: Exclude<PeriodKind, 'custom'>,
  day: string,
): MonthPeriod | QuarterPeriod | FinancialYearPeriod {
  requireDay(day);
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  switch (kind) {
    case 'month':
      return monthPeriod(year, month);
    case 'quarter': {
      // Months since the start of the financial year: April 0 ... March 11.
      const offset = (month + 8) % 12;
      return quarterPeriod(financialYearStartOf(day), Math.floor(offset / 3) + 1);
    }
    case 'financial_year':
      return financialYearPeriod(financialYearStartOf(day));
  }
}

function requireDay(day: string): void {
  if (!isIsoDate(day)) {
    throw new PeriodError(`"${day}" is not a real date written YYYY-MM-DD.`);
  }
}

/** True when `day` lies in the period, both ends included. */
export function contains(period: Pick<Period, 'from' | 'to'>, day: string): boolean {
  requireDay(day);
  return compareIsoDates(period.from, day) <= 0 && compareIsoDates(day, period.to) <= 0;
}

/** Number of days in the period, both ends counted (a month of 31 days gives 31). */
export function periodLength(period: Pick<Period, 'from' | 'to'>): number {
  return compareIsoDates(period.to, period.from) + 1;
}

/**
 * The period before: the previous month, quarter (Q1 2025/26 follows Q4 2024/25) or financial
 * year; for a custom period, the run of the same number of days ending the day before it starts,
 * which is what "compared with the previous period" means for an arbitrary range.
 */
export function previousPeriod(period: Period): Period {
  switch (period.kind) {
    case 'month':
      return period.month === 1
        ? monthPeriod(period.year - 1, 12)
        : monthPeriod(period.year, period.month - 1);
    case 'quarter':
      return period.quarter === 1
        ? quarterPeriod(period.financialYear - 1, 4)
        : quarterPeriod(period.financialYear, period.quarter - 1);
    case 'financial_year':
      return financialYearPeriod(period.financialYear - 1);
    case 'custom': {
      const to = addDays(period.from, -1);
      return customPeriod(addDays(to, 1 - periodLength(period)), to);
    }
  }
}

/** The period as people read it in a return, in British English. */
export function periodLabel(period: Period): string {
  switch (period.kind) {
    case 'month':
      return `${monthName(period.month)} ${period.year}`;
    case 'quarter': {
      const fromMonth = Number(period.from.slice(5, 7));
      const toMonth = Number(period.to.slice(5, 7));
      // A quarter never straddles 31 December, so one calendar year names it.
      const months = `${monthName(fromMonth)} to ${monthName(toMonth)} ${period.to.slice(0, 4)}`;
      return `${financialYearName(period.financialYear)} Q${period.quarter} (${months})`;
    }
    case 'financial_year':
      const year = period.financialYear;
      return `${financialYearName(year)} (April ${year} to March ${year + 1})`;
    case 'custom':
      return period.from === period.to
        ? formatLongUkDate(period.from)
        : `${formatLongUkDate(period.from)} to ${formatLongUkDate(period.to)}`;
  }
}

const MONTH_TEXT = /^(\d{4})-(\d{2})$/;
const FINANCIAL_YEAR_TEXT = /^(\d{4})\/(\d{2})$/;
// "2025/26-Q3" is canonical; "2025/26 Q3" (as labels read) and "2025/26Q3" are accepted too.
const QUARTER_TEXT = /^(\d{4})\/(\d{2})[ -]?Q(\d)$/i;
const CUSTOM_TEXT = /^(\S+)\s*\.\.\s*(\S+)$/;

const PERIOD_FORMS =
  'a month (2026-05), a financial quarter (2025/26-Q3), a financial year (2025/26) or a range of days (2026-01-01..2026-03-31)';

function financialYearFromText(first: string, second: string, text: string): number {
  const start = Number(first);
  if (Number(second) !== (start + 1) % 100) {
    throw new PeriodError(
      `"${text}" is not a financial year: the second part must be the year after ${start}, written ${pad((start + 1) % 100, 2)}.`,
    );
  }
  return start;
}

/**
 * A period from its text form (see the kinds above); surrounding spaces are ignored.
 * Throws `PeriodError` with a message naming the accepted forms.
 */
export function parsePeriod(text: string): Period {
  const value = text.trim();
  let match = MONTH_TEXT.exec(value);
  if (match) return monthPeriod(Number(match[1]), Number(match[2]));

  match = QUARTER_TEXT.exec(value);
  if (match) {
    const start = financialYearFromText(match[1] as string, match[2] as string, value);
    return quarterPeriod(start, Number(match[3]));
  }

  match = FINANCIAL_YEAR_TEXT.exec(value);
  if (match) return financialYearPeriod(financialYearFromText(match[1] as string, match[2] as string, value));

  match = CUSTOM_TEXT.exec(value);
  if (match) return customPeriod(match[1] as string, match[2] as string);

  throw new PeriodError(`"${text}" is not a period. Give ${PERIOD_FORMS}.`);
}

/** `parsePeriod` without throwing, for forms and the CLI. */
export function safeParsePeriod(
  text: string,
): { ok: true; period: Period } | { ok: false; reason: string } {
  try {
    return { ok: true, period: parsePeriod(text) };
  } catch (error) {
    if (error instanceof PeriodError) return { ok: false, reason: error.message };
    throw error;
  }
}
