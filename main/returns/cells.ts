/**
 * Building blocks for return tables: cells from published figures, from disclosure-controlled
 * figures, and a protected table (main/domain/disclosure.ts) turned into a report table.
 *
 * A cell never carries more than its table publishes: a withheld figure's value is null here
 * because it is already null in the protected table.
 */
import type { DisplayCell, PercentageCell, ProtectedTable, TableKind } from '../domain/disclosure';
import { formatUkDate, isIsoDate } from '../../preload/contract/dates';
import type { ReportCell, ReportColumn, ReportRow, ReportTable } from '../../preload/contract/schemas/returns';

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1,234.5 with at most `decimals` places (trailing zeros dropped), en-GB grouping, no locale data. */
export function formatNumber(value: number, decimals = 0): string {
  const sign = value < 0 ? '-' : '';
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = fixed.split('.') as [string, string | undefined];
  const trimmed = fraction?.replace(/0+$/, '');
  const text = trimmed ? `${groupThousands(whole)}.${trimmed}` : groupThousands(whole);
  return text === '0' ? '0' : `${sign}${text}`;
}

/** One decimal, always shown: scores and their parts as the matrix shows them (59.0). */
export function formatScore(value: number): string {
  return value.toFixed(1);
}

export function textCell(text: string): ReportCell {
  return { text, value: text === '' ? null : text, isSuppressed: false };
}

export function emptyCell(): ReportCell {
  return { text: '', value: null, isSuppressed: false };
}

/** A UK date for people, the ISO day as the machine value. */
export function dateCell(day: string | null | undefined): ReportCell {
  if (!day) return emptyCell();
  return { text: isIsoDate(day) ? formatUkDate(day) : day, value: day, isSuppressed: false };
}

/** A figure that is not an aggregate of people (a score, a contribution): published as it is. */
export function numberCell(value: number, text: string = formatNumber(value)): ReportCell {
  return { text, value, isSuppressed: false };
}

/**
 * A disclosure-controlled figure. `format` re-labels a published amount whose unit the
 * disclosure module does not know (harm-days, custody years); a withheld figure keeps its mark.
 */
export function displayCell(cell: DisplayCell, format?: (value: number) => string): ReportCell {
  if (cell.isSuppressed || cell.value === null) return { text: cell.display, value: null, isSuppressed: true };
  return { text: format ? format(cell.value) : cell.display, value: cell.value, isSuppressed: false };
}

export function percentCell(cell: PercentageCell): ReportCell {
  return cell.isSuppressed || cell.value === null
    ? { text: cell.display, value: null, isSuppressed: true, isPercent: true }
    : { text: cell.display, value: cell.value, isSuppressed: false, isPercent: true };
}

/** Withheld because a figure it depends on is withheld (e.g. a share of a withheld total). */
export function withheldPercent(): ReportCell {
  return { text: '—', value: null, isSuppressed: true, isPercent: true };
}

const COLUMN_KIND_OF: Record<TableKind, ReportColumn['kind']> = { count: 'count', money: 'money', weight: 'amount' };

export interface FromProtectedOptions {
  id: string;
  title: string;
  notes?: string[];
  /** Heading of the row-label column. */
  rowHeading: string;
  /** Label of the totals row (when the table has totals). */
  totalRowLabel?: string;
  /** Heading of the row-totals column. */
  totalColumnLabel?: string;
  /**
   * Leave out the row-totals column: for a one-column table it repeats the column; elsewhere
   * leaving published figures out only ever tells the reader less.
   */
  omitRowTotals?: boolean;
  /** Leave out the totals row (for example where columns may not be added up). */
  omitColumnTotals?: boolean;
  format?: (value: number) => string;
  emptyText?: string;
}

/** A protected table as a report table: a label column, the figures, then totals where published. */
export function fromProtected(table: ProtectedTable, o: FromProtectedOptions): ReportTable {
  const kind = COLUMN_KIND_OF[table.kind];
  const showRowTotals = table.rowTotals !== null && !o.omitRowTotals;
  const showColTotals = table.colTotals !== null && !o.omitColumnTotals;
  const columns: ReportColumn[] = [
    { key: 'label', label: o.rowHeading, kind: 'text' },
    ...table.cols.map((label, i) => ({ key: `c${i}`, label, kind })),
    ...(showRowTotals ? [{ key: 'total', label: o.totalColumnLabel ?? 'Total', kind }] : []),
  ];
  const rows: ReportRow[] = table.rows.map((label, r) => ({
    cells: [textCell(label), ...table.cells[r]!.map((c) => displayCell(c, o.format)), ...(showRowTotals ? [displayCell(table.rowTotals![r]!, o.format)] : [])],
    isTotal: false,
  }));
  if (showColTotals) {
    rows.push({
      cells: [
        textCell(o.totalRowLabel ?? 'Total'),
        ...table.colTotals!.map((c) => displayCell(c, o.format)),
        ...(showRowTotals ? [displayCell(table.grandTotal!, o.format)] : []),
      ],
      isTotal: true,
    });
  }
  return { id: o.id, title: o.title, notes: o.notes ?? [], columns, rows, emptyText: o.emptyText ?? '' };
}

/** A plain listing (records, not aggregates). */
export function listTable(id: string, title: string, columns: ReportColumn[], rows: ReportCell[][], emptyText: string, notes: string[] = []): ReportTable {
  return { id, title, notes, columns, rows: rows.map((cells) => ({ cells, isTotal: false })), emptyText };
}
