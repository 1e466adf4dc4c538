/**
 * PDF through PDFKit, without Electron (the CLI and the tests run under plain Node), with the
 * standard PDF fonts only (Helvetica: nothing fetched, nothing embedded).
 *
 * Laid out for print: A4 landscape (the Band A and B tables are wide). EVERY page carries the
 * protective marking at the top and at the bottom, the copy number, "Page x of y", the as-of date
 * and the model and weight versions; they are drawn once all pages exist (buffered pages), which
 * is how "of y" is known. Tables that run onto another page repeat their title and column
 * headings there. A row is never split across pages, and never taller than a page's room under
 * them: a cell with more lines than that (text typed with dozens of line breaks) is cut, ending
 * with a line that says how many are not shown, and each row is drawn inside its own clipping
 * rectangle, so nothing in a cell can reach the footer or the bottom marking.
 *
 * The audit log head (../../audit/anchor.ts) is on the cover with the header block and, in its
 * one text form, in the document information dictionary's Keywords.
 *
 * Deterministic: the PDF's creation and modification dates (and so its file ID, which PDFKit
 * derives from the info dictionary) are the generated-at time; nothing else varies.
 *
 * Standard fonts encode text as Windows-1252; anything outside it (a unit typed in another
 * script) is shown as "?" rather than as a wrong glyph.
 */
import PDFDocument from 'pdfkit';
import { formatUkDate } from '../../../preload/contract/dates';
import type { ReportColumn, ReportSection, ReportTable, ReturnDocument } from '../../../preload/contract/schemas/returns';
import { copyLabel, headerFieldsForPeople } from '../header';
import { headLine } from '../../audit/anchor';

const PAGE_WIDTH = 841.89;
const PAGE_HEIGHT = 595.28;
const MARGIN = { top: 58, bottom: 66, left: 36, right: 36 };
const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE_HEIGHT - MARGIN.bottom;
const PAD = 2.5;

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const ITALIC = 'Helvetica-Oblique';

/** Windows-1252 characters above 0x7f that are not Latin-1 (PDFKit's WIN_ANSI_MAP keys). */
const CP1252_EXTRAS = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021,
  0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

/** Text the standard fonts can show: a few look-alikes mapped, anything else "?". */
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text.replace(/\u2212/g, '-').replace(/Σ/g, 'Sum').replace(/\r\n?/g, '\n')) {
    const c = ch.codePointAt(0)!;
    const isShowable = ch === '\n' || (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || CP1252_EXTRAS.has(c);
    out += isShowable ? ch : '?';
  }
  return out;
}

const isNumeric = (c: ReportColumn) => c.kind !== 'text' && c.kind !== 'date';

class PdfLayout {
  constructor(readonly pdf: PDFKit.PDFDocument) {}

  private font(name: string, size: number): void {
    this.pdf.font(name).fontSize(size);
  }

  /** Start a new page if `height` does not fit in what is left of this one. */
  ensure(height: number): void {
    if (this.pdf.y + height > BOTTOM) this.pdf.addPage();
  }

  write(text: string, font: string, size: number, options: PDFKit.Mixins.TextOptions = {}): void {
    this.font(font, size);
    const t = pdfText(text);
    const height = this.pdf.heightOfString(t, { width: CONTENT_WIDTH, ...options });
    this.ensure(height);
    this.pdf.text(t, MARGIN.left, this.pdf.y, { width: CONTENT_WIDTH, ...options });
  }

  gap(points: number): void {
    this.pdf.y += points;
  }

  cover(doc: ReturnDocument): void {
    this.write(doc.header.title, BOLD, 16);
    this.gap(6);
    const fields = headerFieldsForPeople(doc.header).filter((f) => f.key !== 'title');
    const labelWidth = 170;
    for (const f of fields) {
      this.font(REGULAR, 9);
      const value = pdfText(f.value);
      const h = Math.max(this.pdf.heightOfString(value, { width: CONTENT_WIDTH - labelWidth }), 11);
      this.ensure(h + 2);
      const y = this.pdf.y;
      this.font(BOLD, 9);
      this.pdf.text(pdfText(f.label), MARGIN.left, y, { width: labelWidth - 6 });
      this.font(REGULAR, 9);
      this.pdf.text(value, MARGIN.left + labelWidth, y, { width: CONTENT_WIDTH - labelWidth });
      this.pdf.y = y + h + 2;
    }
    this.gap(10);
  }

  section(section: ReportSection, isNewPage: boolean): void {
    if (isNewPage) this.pdf.addPage();
    else this.ensure(90);
    this.write(section.title, BOLD, 13);
    this.gap(2);
    for (const n of section.notes) this.write(n, ITALIC, 8);
    this.gap(6);
    for (const t of section.tables) this.table(t);
  }

  /**
   * Width of a line of text, memoised: measuring (PDFKit applies kerning pairs glyph by glyph) is
   * the costliest part of laying out a long table, and cell texts repeat (bands, levels, dates).
   */
  private readonly widthCache = new Map<string, number>();

  private width(text: string, font: string, size: number): number {
    const key = `${font}\u0000${size}\u0000${text}`;
    let w = this.widthCache.get(key);
    if (w === undefined) {
      this.font(font, size);
      w = this.pdf.widthOfString(text);
      this.widthCache.set(key, w);
    }
    return w;
  }

  private columnWidths(table: ReportTable, body: readonly { lines: string[][]; font: string }[], size: number): number[] {
    const natural = table.columns.map((c, i) => {
      const label = pdfText(c.label);
      let w = Math.max(...label.split(' ').map((word) => this.width(word, BOLD, size)), 24);
      const header = this.width(label, BOLD, size);
      for (const r of body) for (const line of r.lines[i]!) w = Math.max(w, this.width(line, r.font, size));
      return { min: w + 2 * PAD, natural: Math.max(w, Math.min(header, 120)) + 2 * PAD + 1 };
    });
    const total = natural.reduce((s, c) => s + c.natural, 0);
    if (total <= CONTENT_WIDTH) return natural.map((c) => c.natural);
    // Too wide: cap the widest columns at one width (their text wraps), found by bisection.
    let lo = 0;
    let hi = Math.max(...natural.map((c) => c.natural));
    for (let k = 0; k < 40; k++) {
      const cap = (lo + hi) / 2;
      const sum = natural.reduce((s, c) => s + Math.min(c.natural, Math.max(cap, Math.min(c.min, 90))), 0);
      if (sum > CONTENT_WIDTH) hi = cap;
      else lo = cap;
    }
    const widths = natural.map((c) => Math.min(c.natural, Math.max(lo, Math.min(c.min, 90))));
    const sum = widths.reduce((a, b) => a + b, 0);
    // Still too wide (many long words): scale everything down to fit.
    return sum > CONTENT_WIDTH ? widths.map((w) => (w * CONTENT_WIDTH) / sum) : widths;
  }

  /**
   * Draw one line of text that is known to fit, at (x, y), with its width already measured.
   * `text()` would measure it twice more (PDFKit's `_line` and `_fragment` each call
   * widthOfString, which walks every kerning pair) and set up options a table cell does not need:
   * on a hundred-page pack that was most of the rendering time. So this calls PDFKit's `_fragment`,
   * the step `text()` ends in, handing it the width through its `textWidth` option. `_fragment` is
   * not in PDFKit's typings; the writer tests render and read back every page, so a PDFKit upgrade
   * that changed it would fail them.
   */
  private fragment(line: string, x: number, y: number, width: number): void {
    (this.pdf as unknown as { _fragment(text: string, x: number, y: number, options: object): void })._fragment(line, x, y, { textWidth: width, wordCount: 0 });
  }

  /** Whether every line of a cell fits its column, so it can be drawn without PDFKit's line wrapper. */
  private fits(lines: readonly string[], width: number, font: string, size: number): boolean {
    return lines.every((l) => this.width(l, font, size) <= width - 2 * PAD);
  }

  private rowHeight(lines: readonly string[][], widths: number[], font: string, size: number): number {
    this.font(font, size);
    const lineHeight = this.pdf.currentLineHeight(true);
    let h = lineHeight;
    lines.forEach((cell, i) => {
      const cellHeight = this.fits(cell, widths[i]!, font, size) ? cell.length * lineHeight : this.pdf.heightOfString(cell.join('\n'), { width: widths[i]! - 2 * PAD });
      h = Math.max(h, cellHeight);
    });
    return h + 2 * PAD;
  }

  /**
   * A cell cut to at most `maxLines` lines, the last saying how many are not shown: the whole
   * text is in the XLSX and in the vault; the PDF is for reading at the meeting.
   */
  private clipLines(cell: string[], maxLines: number): string[] {
    if (cell.length <= maxLines) return cell;
    const kept = Math.max(maxLines - 1, 0);
    return [...cell.slice(0, kept), `\u2026 (${cell.length - kept} more lines not shown)`];
  }

  private drawRow(lines: readonly string[][], columns: readonly ReportColumn[], widths: number[], font: string, size: number, height: number, fill: string | null): void {
    const y = this.pdf.y;
    const rowWidth = widths.reduce((a, b) => a + b, 0);
    if (fill) this.pdf.save().rect(MARGIN.left, y, rowWidth, height).fill(fill).restore();
    // Whatever a cell holds, nothing of it is painted outside its row.
    this.pdf.save().rect(MARGIN.left, y, rowWidth, height).clip();
    this.font(font, size);
    this.pdf.fillColor('black');
    const lineHeight = this.pdf.currentLineHeight(true);
    let x = MARGIN.left;
    lines.forEach((cell, i) => {
      const w = widths[i]!;
      const isRight = isNumeric(columns[i]!);
      if (this.fits(cell, w, font, size)) {
        // The fast path: each line placed by hand, no line wrapper.
        cell.forEach((line, k) => {
          if (line === '') return;
          const lineWidth = this.width(line, font, size);
          const lx = isRight ? x + w - PAD - lineWidth : x + PAD;
          this.fragment(line, lx, y + PAD + k * lineHeight, lineWidth);
        });
      } else {
        // The height stops PDFKit's line wrapper at the row's foot (with an ellipsis) instead of
        // carrying the text on past the page's bottom margin.
        this.pdf.text(cell.join('\n'), x + PAD, y + PAD, { width: w - 2 * PAD, height: height - 2 * PAD, ellipsis: true, align: isRight ? 'right' : 'left' });
      }
      x += w;
    });
    this.pdf.restore();
    this.pdf.save().moveTo(MARGIN.left, y + height).lineTo(MARGIN.left + rowWidth, y + height).lineWidth(0.3).strokeColor('#999999').stroke().restore();
    this.pdf.y = y + height;
  }

  table(table: ReportTable): void {
    const size = table.columns.length > 8 ? 7 : 8;
    const headings = table.columns.map((c) => [pdfText(c.label)]);
    const body = table.rows.map((r) => ({ lines: r.cells.map((c) => pdfText(c.text).split('\n')), font: r.isTotal ? BOLD : REGULAR }));
    const widths = this.columnWidths(table, body, size);
    // A heading wider than its column wraps at word boundaries (drawRow's slow path).
    const headLines = headings;
    const headHeight = this.rowHeight(headLines, widths, BOLD, size);
    // The tallest a row may be: what a new page has below the continued title and the headings.
    this.font(BOLD, 9.5);
    const continuedHeight = this.pdf.heightOfString(pdfText(`${table.title} (continued)`), { width: CONTENT_WIDTH }) + 1;
    const rowRoom = BOTTOM - MARGIN.top - continuedHeight - 2 - headHeight;
    for (const r of body) {
      this.font(r.font, size);
      const maxLines = Math.max(Math.floor((rowRoom - 2 * PAD) / this.pdf.currentLineHeight(true)), 1);
      r.lines = r.lines.map((cell) => this.clipLines(cell, maxLines));
    }
    const heights = body.map((r) => Math.min(this.rowHeight(r.lines, widths, r.font, size), rowRoom));

    const title = (suffix: string) => {
      this.font(BOLD, 9.5);
      this.pdf.text(pdfText(table.title + suffix), MARGIN.left, this.pdf.y, { width: CONTENT_WIDTH });
      this.gap(1);
    };
    this.font(BOLD, 9.5);
    const titleHeight = this.pdf.heightOfString(pdfText(table.title), { width: CONTENT_WIDTH }) + 1;
    this.font(ITALIC, 7.5);
    const notes = table.notes.map((n) => pdfText(n));
    const notesHeight = notes.reduce((s, n) => s + this.pdf.heightOfString(n, { width: CONTENT_WIDTH }), 0);
    // Title, notes, headings and the first row (or the empty line) stay together.
    this.ensure(titleHeight + notesHeight + headHeight + (heights[0] ?? 14) + 2);
    title('');
    for (const n of notes) {
      this.font(ITALIC, 7.5);
      this.pdf.text(n, MARGIN.left, this.pdf.y, { width: CONTENT_WIDTH });
    }
    this.gap(2);
    this.drawRow(headLines, table.columns, widths, BOLD, size, headHeight, '#e6e6e6');
    if (body.length === 0) {
      this.font(ITALIC, 8);
      this.pdf.text(pdfText(table.emptyText), MARGIN.left + PAD, this.pdf.y + PAD, { width: CONTENT_WIDTH });
    }
    body.forEach((r, i) => {
      if (this.pdf.y + heights[i]! > BOTTOM) {
        this.pdf.addPage();
        title(' (continued)');
        this.gap(2);
        this.drawRow(headLines, table.columns, widths, BOLD, size, headHeight, '#e6e6e6');
      }
      this.drawRow(r.lines, table.columns, widths, r.font, size, heights[i]!, null);
    });
    this.gap(12);
  }

  /** Marking top and bottom, copy, page x of y, as-of date, model and weights: on every page. */
  furniture(doc: ReturnDocument): void {
    const range = this.pdf.bufferedPageRange();
    const h = doc.header;
    const marking = pdfText(h.marking);
    const info = pdfText(
      `${h.kind === 'meeting_pack' ? `As of ${formatUkDate(h.asOf)}` : `${h.periodLabel ?? ''}`}  ·  model ${h.model}, weights ${h.weightTable.id} ${h.weightTable.version}  ·  disclosure rules ${h.ruleSet.id}`,
    );
    for (let i = 0; i < range.count; i++) {
      this.pdf.switchToPage(range.start + i);
      // Drawing in the margins must not trigger PDFKit's automatic page break.
      const margins = { ...this.pdf.page.margins };
      this.pdf.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
      this.font(BOLD, 11);
      this.pdf.text(marking, MARGIN.left, 18, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });
      this.font(REGULAR, 7.5);
      this.pdf.text(pdfText(h.title), MARGIN.left, 34, { width: CONTENT_WIDTH * 0.7, align: 'left', lineBreak: false });
      this.pdf.text(pdfText(copyLabel(h)), MARGIN.left, 34, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
      this.pdf.text(info, MARGIN.left, PAGE_HEIGHT - 50, { width: CONTENT_WIDTH * 0.75, align: 'left', lineBreak: false });
      this.pdf.text(`Page ${i + 1} of ${range.count}`, MARGIN.left, PAGE_HEIGHT - 50, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
      this.font(BOLD, 11);
      this.pdf.text(marking, MARGIN.left, PAGE_HEIGHT - 34, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });
      this.pdf.page.margins = margins;
    }
  }
}

/** Sections that start on a page of their own: the Band A and B tables are what the meeting reads. */
const NEW_PAGE_SECTIONS = new Set(['band_a', 'band_b']);

export function writePdf(doc: ReturnDocument): Promise<Buffer> {
  const at = new Date(doc.header.generatedAt);
  const pdf = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: MARGIN,
    bufferPages: true,
    compress: true,
    info: {
      Title: pdfText(doc.header.title),
      Subject: pdfText(doc.header.marking),
      // The audit head as a string object of its own, never compressed: found in the raw bytes.
      ...(doc.header.auditHead ? { Keywords: headLine(doc.header.auditHead) } : {}),
      Creator: 'Harm Matrix',
      Producer: 'Harm Matrix',
      CreationDate: at,
      ModDate: at,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const layout = new PdfLayout(pdf);
  layout.cover(doc);
  for (const s of doc.sections) layout.section(s, NEW_PAGE_SECTIONS.has(s.id));
  layout.furniture(doc);
  pdf.end();
  return done;
}
