/**
 * The period picker's choices, written as the period ids main parses (preload/contract/periods.ts):
 * a month "2026-05", a financial quarter "2025/26-Q3", a financial year "2025/26" (April to
 * March), or a custom range "2026-01-01..2026-03-31". Main checks the id again; these only build it.
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number) => String(n).padStart(2, '0');

export type PeriodKind = 'month' | 'quarter' | 'financial_year' | 'custom';

export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = {
  month: 'A month',
  quarter: 'A financial quarter',
  financial_year: 'A financial year',
  custom: 'Dates I choose',
};

/** "2025/26" for the financial year starting in April 2025. */
export function financialYearName(startYear: number): string {
  return `${startYear}/${pad((startYear + 1) % 100)}`;
}

/** The financial year a day falls in, by its starting calendar year (1 April to 31 March). */
export function financialYearOf(day: string): number {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return m >= 4 ? y : y - 1;
}

/** The last `count` months up to and including the one `day` is in, newest first. */
export function recentMonths(day: string, count = 36): { id: string; label: string }[] {
  let [y, m] = day.split('-').map(Number) as [number, number];
  const out: { id: string; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ id: `${y}-${pad(m)}`, label: `${MONTHS[m - 1]} ${y}` });
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

/** Financial years from the one `day` is in back `count` years, newest first. */
export function recentFinancialYears(day: string, count = 8): { start: number; id: string }[] {
  const current = financialYearOf(day);
  return Array.from({ length: count }, (_, i) => ({ start: current - i, id: financialYearName(current - i) }));
}

export const QUARTER_LABELS: Record<1 | 2 | 3 | 4, string> = {
  1: 'Q1 (April to June)',
  2: 'Q2 (July to September)',
  3: 'Q3 (October to December)',
  4: 'Q4 (January to March)',
};

/** The quarter of the financial year a day falls in. */
export function quarterOf(day: string): 1 | 2 | 3 | 4 {
  const m = Number(day.slice(5, 7));
  return m >= 4 && m <= 6 ? 1 : m >= 7 && m <= 9 ? 2 : m >= 10 ? 3 : 4;
}

export function quarterId(startYear: number, quarter: number): string {
  return `${financialYearName(startYear)}-Q${quarter}`;
}

export function customId(from: string, to: string): string {
  return `${from}..${to}`;
}
