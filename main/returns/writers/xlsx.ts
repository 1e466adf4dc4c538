/**
 * XLSX through ExcelJS, built in memory and written with `writeBuffer` (never ExcelJS's streaming
 * writer, which spools to temporary files outside the vault's control).
 *
 * - The corporate return is one sheet ("Return"): header block, then every table. The meeting
 *   pack has an "About" sheet with the header block and one sheet per section.
 * - Every sheet starts and ends with the protective marking, and carries it in the print header
 *   and footer with the copy number and "Page x of y", so a printout is marked on every page.
 * - Published figures are numbers with a number format (read back, they are the same numbers);
 *   withheld figures are their mark as text; dates are dates. Every text cell is neutralised
 *   against formulas (../neutralise.ts).
 * - The audit log head is a row of the header block and, in its one text form, the workbook's
 *   Keywords property (docProps/core.xml).
 * - Deterministic: workbook dates are the generated-at time and the ZIP entry times are set to
 *   it too (./zip-time.ts).
 */
import ExcelJS from 'exceljs';
import { formatUkDate } from '../../../preload/contract/dates';
import type { ReportCell, ReportColumn, ReportSection, ReportTable, ReturnDocument } from '../../../preload/contract/schemas/returns';
import { copyLabel, headerFieldsForPeople } from '../header';
import { headLine } from '../../audit/anchor';
import { neutraliseFormula } from '../neutralise';
import { setZipEntryTimes } from './zip-time';

const NUMBER_FORMATS: Record<ReportColumn['kind'], string | undefined> = {
  text: undefined,
  count: '#,##0',
  money: '"£"#,##0',
  amount: '#,##0.0',
  percent: '0.0%',
  date: 'dd/mm/yyyy',
  score: '0.0',
};

const MAX_COLUMN_CHARS = 60;

/** Text for an Excel header or footer: "&" starts a control code there, so it is doubled. */
function headerText(s: string): string {
  return s.replace(/&/g, '&&');
}

/** Excel's rules for a sheet name: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(title: string, used: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 31).trim() || 'Sheet';
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  used.add(name.toLowerCase());
  return name;
}

class SheetWriter {
  private readonly widths: number[] = [];

  constructor(
    readonly ws: ExcelJS.Worksheet,
    private readonly doc: ReturnDocument,
  ) {}

  private measure(col: number, text: string): void {
    const longest = Math.max(0, ...text.split('\n').map((l) => l.length));
    this.widths[col] = Math.max(this.widths[col] ?? 8, Math.min(MAX_COLUMN_CHARS, longest + 2));
  }

  private text(row: ExcelJS.Row, col: number, text: string, measure = true): ExcelJS.Cell {
    const cell = row.getCell(col + 1);
    cell.value = neutraliseFormula(text);
    if (text.includes('\n')) cell.alignment = { wrapText: true, vertical: 'top' };
    if (measure) this.measure(col, text);
    return cell;
  }

  marking(): void {
    const row = this.ws.addRow([]);
    this.text(row, 0, this.doc.header.marking, false).font = { bold: true };
  }

  line(text: string, font: Partial<ExcelJS.Font> = {}): void {
    const row = this.ws.addRow([]);
    // Long lines are left to run across the empty cells beside them, not to widen column A.
    this.text(row, 0, text, false).font = font;
  }

  blank(): void {
    this.ws.addRow([]);
  }

  headerBlock(): void {
    for (const f of headerFieldsForPeople(this.doc.header)) {
      const row = this.ws.addRow([]);
      this.text(row, 0, f.label).font = { bold: true };
      this.text(row, 1, f.value, f.value.length <= MAX_COLUMN_CHARS);
    }
  }

  private figure(row: ExcelJS.Row, col: number, column: ReportColumn, cell: ReportCell): void {
    const target = row.getCell(col + 1);
    // An empty cell (no figure, no text) stays empty.
    if (!cell.isSuppressed && (cell.value === null || cell.text === '')) return;
    if (cell.isSuppressed || cell.value === null) {
      this.text(row, col, cell.text);
      target.alignment = { horizontal: 'right' };
      return;
    }
    if (typeof cell.value === 'number') {
      this.measure(col, cell.text);
      if (cell.isPercent) {
        target.value = cell.value / 100;
        target.numFmt = cell.text.includes('.') ? '0.0%' : '0%';
      } else {
        target.value = cell.value;
        const fmt = NUMBER_FORMATS[column.kind];
        if (fmt && column.kind !== 'date' && column.kind !== 'text') target.numFmt = fmt;
      }
      return;
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(cell.value) && cell.text === formatUkDate(cell.value)) {
      const [y, m, d] = cell.value.split('-').map(Number) as [number, number, number];
      target.value = new Date(Date.UTC(y, m - 1, d));
      target.numFmt = 'dd/mm/yyyy';
      this.measure(col, cell.text);
      return;
    }
    this.text(row, col, cell.text);
  }

  table(table: ReportTable): void {
    this.line(table.title, { bold: true, size: 12 });
    for (const note of table.notes) this.line(note, { italic: true });
    const head = this.ws.addRow([]);
    table.columns.forEach((c, i) => {
      const cell = this.text(head, i, c.label);
      cell.font = { bold: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    if (table.rows.length === 0) this.line(table.emptyText, { italic: true });
    for (const r of table.rows) {
      const row = this.ws.addRow([]);
      r.cells.forEach((cell, i) => this.figure(row, i, table.columns[i]!, cell));
      if (r.isTotal) row.font = { bold: true };
    }
    this.blank();
  }

  section(section: ReportSection): void {
    this.line(section.title, { bold: true, size: 14 });
    for (const note of section.notes) this.line(note, { italic: true });
    this.blank();
    for (const t of section.tables) this.table(t);
  }

  finish(): void {
    this.widths.forEach((w, i) => {
      this.ws.getColumn(i + 1).width = w;
    });
  }
}

function addSheet(wb: ExcelJS.Workbook, doc: ReturnDocument, title: string, used: Set<string>): SheetWriter {
  const marking = headerText(doc.header.marking);
  const ws = wb.addWorksheet(sheetName(title, used), {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    headerFooter: {
      oddHeader: `&C&B${marking}`,
      oddFooter: `&L${headerText(copyLabel(doc.header))}&C&B${marking}&R${'Page &P of &N'}`,
    },
  });
  return new SheetWriter(ws, doc);
}

export async function writeXlsx(doc: ReturnDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const at = new Date(doc.header.generatedAt);
  wb.creator = 'Harm Matrix';
  wb.lastModifiedBy = 'Harm Matrix';
  wb.created = at;
  wb.modified = at;
  wb.title = doc.header.title;
  wb.subject = doc.header.marking;
  // The audit head in its one text form (../../audit/anchor.ts), in the document properties.
  if (doc.header.auditHead) wb.keywords = headLine(doc.header.auditHead);
  const used = new Set<string>();

  const titleLines = (s: SheetWriter) => {
    s.marking();
    s.line(doc.header.title, { bold: true, size: 14 });
    s.line(`${copyLabel(doc.header)}. Generated ${doc.header.generatedAt} by ${doc.header.generatedBy}. Model ${doc.header.model}, weights ${doc.header.weightTable.id} ${doc.header.weightTable.version}, disclosure rules ${doc.header.ruleSet.id}.`);
    s.blank();
  };

  if (doc.header.kind === 'corporate') {
    const s = addSheet(wb, doc, 'Return', used);
    titleLines(s);
    s.headerBlock();
    s.blank();
    for (const section of doc.sections) s.section(section);
    s.marking();
    s.finish();
  } else {
    const about = addSheet(wb, doc, 'About', used);
    titleLines(about);
    about.headerBlock();
    about.blank();
    about.marking();
    about.finish();
    for (const section of doc.sections) {
      const s = addSheet(wb, doc, section.title, used);
      titleLines(s);
      s.section(section);
      s.marking();
      s.finish();
    }
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return setZipEntryTimes(buffer, at);
}
