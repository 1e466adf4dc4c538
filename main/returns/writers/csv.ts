/**
 * CSV: the protective marking as the first and last line, the header block as `field,value`
 * lines, then each table under a `table,<id>,<title>` line. UTF-8 with a byte-order mark, so a
 * spreadsheet reads "£" and "–" correctly; CRLF line ends (RFC 4180).
 *
 * Published figures are plain numbers (1234, not "1,234"), withheld ones their mark ("<5",
 * "[c]"), percentages "7.5%". Every text cell, header values included, is neutralised against
 * formulas (../neutralise.ts) and quoted, numbers never: a spreadsheet in a locale that separates
 * with `;` then keeps a `;` inside a text cell rather than starting a new cell there, and the
 * numbers still read as numbers.
 */
import { stringify } from 'csv-stringify/sync';
import type { ReportCell, ReturnDocument } from '../../../preload/contract/schemas/returns';
import { headerFields } from '../header';
import { neutraliseCsvText } from '../neutralise';

function cellValue(cell: ReportCell): string | number {
  if (!cell.isSuppressed && typeof cell.value === 'number' && !cell.isPercent) return Math.round(cell.value * 100) / 100;
  return neutraliseCsvText(cell.text);
}

export function writeCsv(doc: ReturnDocument): Buffer {
  const t = (s: string) => neutraliseCsvText(s);
  const lines: (string | number)[][] = [[t(doc.header.marking)], ['field', 'value']];
  for (const f of headerFields(doc.header)) lines.push([f.key, t(f.value)]);
  for (const section of doc.sections) {
    lines.push([]);
    lines.push(['section', section.id, t(section.title)]);
    for (const note of section.notes) lines.push(['note', t(note)]);
    for (const table of section.tables) {
      lines.push([]);
      lines.push(['table', table.id, t(table.title)]);
      for (const note of table.notes) lines.push(['note', t(note)]);
      lines.push(table.columns.map((c) => t(c.label)));
      if (table.rows.length === 0) lines.push([t(table.emptyText)]);
      for (const row of table.rows) lines.push(row.cells.map(cellValue));
    }
  }
  lines.push([]);
  lines.push([t(doc.header.marking)]);
  const body = stringify(lines, { record_delimiter: '\r\n', quoted_string: true });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]);
}
