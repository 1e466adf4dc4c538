/**
 * The writers on a hand-made document: CSV, JSON, XLSX (read back with ExcelJS) and PDF (opened
 * and rendered with poppler's pdftoppm, read with pdftotext page by page). Marking top and bottom,
 * header block, numbers read back as numbers, withheld figures as their marks, formula cells
 * neutralised, tables continued across pages with their headings, and the same bytes every time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCsv } from '../../main/returns/writers/csv';
import { writeJson } from '../../main/returns/writers/json';
import { pdfText, writePdf } from '../../main/returns/writers/pdf';
import { sheetName, writeXlsx } from '../../main/returns/writers/xlsx';
import type { ReportCell, ReturnDocument } from '../../preload/contract/schemas/returns';

const dir = mkdtempSync(join(tmpdir(), 'hm-returns-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const n = (value: number, text = String(value)): ReportCell => ({ text, value, isSuppressed: false });
const t = (text: string): ReportCell => ({ text, value: text, isSuppressed: false });
const withheld = (text: string): ReportCell => ({ text, value: null, isSuppressed: true });

/** The audit head the copy prints (../../main/audit/anchor.ts). */
const HEAD = { vaultId: '3b0f6b2e-6d1a-4c8e-9f1e-2a7b5c4d3e21', seq: 41, hash: 'a1'.repeat(32) };
const HEAD_VALUE = `entry 41, hash ${'a1'.repeat(32)}, vault 3b0f6b2e-6d1a-4c8e-9f1e-2a7b5c4d3e21`;

function doc(kind: 'corporate' | 'meeting_pack', rows = 3): ReturnDocument {
  return {
    header: {
      kind,
      title: kind === 'corporate' ? 'Corporate return: 2025/26 (April 2025 to March 2026)' : 'Prioritisation meeting pack as of 30/06/2026',
      periodId: kind === 'corporate' ? '2025/26' : null,
      periodLabel: kind === 'corporate' ? '2025/26 (April 2025 to March 2026)' : null,
      periodFrom: kind === 'corporate' ? '2025-04-01' : null,
      periodTo: kind === 'corporate' ? '2026-03-31' : null,
      asOf: kind === 'corporate' ? '2026-03-31' : '2026-06-30',
      previousMeeting: null,
      generatedAt: '2026-06-30T10:00:00.000Z',
      generatedBy: '@Perf Staff',
      model: 'hm-1',
      weightTable: { id: 'hm-1', version: '1.0.0' },
      ruleSet: { id: 'internal-1', version: 1, description: 'Internal rules.' },
      countingRules: { id: 'count-1', description: 'Counting rules.' },
      marking: 'OFFICIAL-SENSITIVE',
      copyNumber: 7,
      auditHead: HEAD,
      destroyAfter: '2026-07-30',
    },
    sections: [
      {
        id: 'one',
        title: 'Networks disrupted',
        notes: ['A note.'],
        tables: [
          {
            id: 'by_level',
            title: 'Networks disrupted, by highest level',
            notes: [],
            columns: [
              { key: 'label', label: 'Level', kind: 'text' },
              { key: 'c0', label: 'Networks', kind: 'count' },
              { key: 'c1', label: 'Cash', kind: 'money' },
            ],
            rows: [
              { cells: [t('Major'), n(1234, '1,234'), n(18250.5, '£18,251')], isTotal: false },
              { cells: [t('Minor'), withheld('<5'), withheld('[c]')], isTotal: false },
              { cells: [t('Share'), { text: '7.5%', value: 7.5, isSuppressed: false, isPercent: true }, t('')], isTotal: false },
              { cells: [t('All levels'), n(1240, '1,240'), withheld('[c]')], isTotal: true },
            ],
            emptyText: '',
          },
          {
            id: 'owners',
            title: 'Owners',
            notes: [],
            columns: [
              { key: 'reference', label: 'Reference', kind: 'text' },
              { key: 'unit', label: 'Unit', kind: 'text' },
              { key: 'score', label: 'Score', kind: 'score' },
              { key: 'review', label: 'Next review', kind: 'date' },
            ],
            rows: Array.from({ length: rows }, (_, i) => ({
              cells: [t(`CN-2026-${String(i).padStart(4, '0')}`), t(['=HYPERLINK("http://evil.example","x")', '+1', '-2+3', '@cmd'][i % 4]!), n(61.25, '61.3'), { text: '30/06/2026', value: '2026-06-30', isSuppressed: false }],
              isTotal: false,
            })),
            emptyText: 'None.',
          },
          { id: 'empty', title: 'Nothing here', notes: [], columns: [{ key: 'x', label: 'X', kind: 'text' }], rows: [], emptyText: 'No claims are waiting.' },
        ],
      },
    ],
    charts: { disruptionsPerMonth: [], networksByBand: [] },
  };
}

describe('CSV', () => {
  const text = writeCsv(doc('corporate', 4)).toString('utf8');
  const lines = text.split('\r\n');

  it('starts with a byte-order mark and the marking, ends with the marking; the header block is field,value', () => {
    expect(text.startsWith('\uFEFF"OFFICIAL-SENSITIVE"\r\n"field","value"\r\n"marking","OFFICIAL-SENSITIVE"\r\n"return","Corporate return"\r\n')).toBe(true);
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toBe('"OFFICIAL-SENSITIVE"');
    for (const line of ['"period_id","2025/26"', '"period_from","2025-04-01"', '"period_to","2026-03-31"', '"population_as_of","2026-03-31"', '"generated_at","2026-06-30T10:00:00.000Z"', '"generated_by","\'@Perf Staff"', '"model","hm-1"', '"weight_table","hm-1 1.0.0"', '"disclosure_rules","internal-1"', '"counting_rules","count-1"', '"copy_number","7"', '"destroy_after","30/07/2026"', `"audit_head","${HEAD_VALUE}"`]) {
      expect(lines).toContain(line);
    }
  });

  it('published figures as plain numbers, withheld ones as their marks, percentages with %; every text field quoted, numbers never', () => {
    expect(lines).toContain('"table","by_level","Networks disrupted, by highest level"');
    expect(lines).toContain('"Level","Networks","Cash"');
    expect(lines).toContain('"Major",1234,18250.5');
    expect(lines).toContain('"Minor","<5","[c]"');
    expect(lines).toContain('"Share","7.5%",""');
    expect(lines).toContain('"All levels",1240,"[c]"');
    expect(lines).toContain('"No claims are waiting."');
    // Outside quotes there are only commas and numbers: a ";" in text never ends a cell.
    for (const line of text.slice(1).split('\r\n')) expect(line.replace(/"(?:[^"]|"")*"/g, ''), line).toMatch(/^[\d.,]*$/);
  });

  it('neutralises every text cell that a spreadsheet would run', () => {
    expect(lines).toContain('"CN-2026-0000","\'=HYPERLINK(""http://evil.example"",""x"")",61.25,"30/06/2026"');
    expect(lines).toContain('"CN-2026-0001","\'+1",61.25,"30/06/2026"');
    expect(lines).toContain('"CN-2026-0002","\'-2+3",61.25,"30/06/2026"');
    expect(lines).toContain('"CN-2026-0003","\'@cmd",61.25,"30/06/2026"');
    expect(lines.filter((l) => /(^|,)"?[=+\-@]/.test(l))).toEqual([]);
  });

  it('neutralises a formula hidden behind what a spreadsheet skips, in full-width form, or after a ";"', () => {
    const d = doc('corporate', 0);
    const owners = d.sections[0]!.tables[1]!;
    const hidden = ['\u0000=1+1', '\uFEFF=1+1', '\u200B=1+1', '\u00A0=1+1', ' =1+1', '\uFF1DHYPERLINK("http://evil.example")', '\uFF0B1', '\uFF0D1', '\uFF20cmd', "Gangs;=cmd|' /C calc'!A0"];
    owners.rows = hidden.map((text) => ({ cells: [t('CN-2026-0001'), t(text), n(1), t('')], isTotal: false }));
    const csv = writeCsv(d).toString('utf8').split('\r\n');
    expect(csv).toContain('"CN-2026-0001","\'\u0000=1+1",1,""');
    expect(csv).toContain('"CN-2026-0001","\'\uFEFF=1+1",1,""');
    expect(csv).toContain('"CN-2026-0001","\'\u200B=1+1",1,""');
    expect(csv).toContain('"CN-2026-0001","\'\u00A0=1+1",1,""');
    expect(csv).toContain('"CN-2026-0001","\' =1+1",1,""');
    expect(csv).toContain('"CN-2026-0001","\'\uFF1DHYPERLINK(""http://evil.example"")",1,""');
    expect(csv).toContain('"CN-2026-0001","\'\uFF0B1",1,""');
    expect(csv).toContain('"CN-2026-0001","\'\uFF0D1",1,""');
    expect(csv).toContain('"CN-2026-0001","\'\uFF20cmd",1,""');
    expect(csv).toContain('"CN-2026-0001","Gangs;\'=cmd|\' /C calc\'!A0",1,""');
  });
});

describe('JSON', () => {
  it('the document as published, with the marking first and last', () => {
    const d = doc('corporate');
    const body = JSON.parse(writeJson(d).toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['marking', 'destroyAfter', 'format', 'header', 'sections', 'charts', 'markingEnd']);
    // Beside the marking for the people who hold it, as a UK date; in the header as the ISO day.
    expect(body.destroyAfter).toBe('Destroy after: 30/07/2026');
    expect((body.header as { destroyAfter: string }).destroyAfter).toBe('2026-07-30');
    expect(body).toEqual({ marking: 'OFFICIAL-SENSITIVE', destroyAfter: 'Destroy after: 30/07/2026', format: { name: 'harm-matrix-return', version: 1 }, header: d.header, sections: d.sections, charts: d.charts, markingEnd: 'OFFICIAL-SENSITIVE' });
  });
});

async function readXlsx(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

function sheetRows(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('XLSX', () => {
  it('corporate: one sheet, marking in the first and last rows and in the print header and footer; numbers read back as numbers', async () => {
    const wb = await readXlsx(await writeXlsx(doc('corporate', 4)));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Return']);
    const ws = wb.worksheets[0]!;
    const rows = sheetRows(ws);
    expect(rows[0]).toEqual(['OFFICIAL-SENSITIVE']);
    expect(rows.at(-1)).toEqual(['OFFICIAL-SENSITIVE']);
    expect(ws.headerFooter.oddHeader).toBe('&C&BOFFICIAL-SENSITIVE');
    expect(ws.headerFooter.oddFooter).toBe('&LCopy 7 · Destroy after 30/07/2026&C&BOFFICIAL-SENSITIVE&RPage &P of &N');
    expect(rows).toContainEqual(['Destroy after', '30/07/2026']);
    expect(rows).toContainEqual(['Generated by', "'@Perf Staff"]);
    expect(rows).toContainEqual(['Audit log head', HEAD_VALUE]);
    expect(wb.keywords).toBe(`Audit log head: ${HEAD_VALUE}`);
    expect(rows).toContainEqual(['Major', 1234, 18250.5]);
    expect(rows).toContainEqual(['Minor', '<5', '[c]']);
    expect(rows).toContainEqual(['Share', 0.075]);
    const major = rows.findIndex((r) => r[0] === 'Major');
    expect(ws.getRow(major + 1).getCell(3).numFmt).toBe('"£"#,##0');
    expect(rows).toContainEqual(['CN-2026-0000', '\'=HYPERLINK("http://evil.example","x")', 61.25, new Date(Date.UTC(2026, 5, 30))]);
    expect(rows).toContainEqual(['CN-2026-0001', "'+1", 61.25, new Date(Date.UTC(2026, 5, 30))]);
    expect(rows).toContainEqual(['CN-2026-0002', "'-2+3", 61.25, new Date(Date.UTC(2026, 5, 30))]);
    expect(rows).toContainEqual(['CN-2026-0003', "'@cmd", 61.25, new Date(Date.UTC(2026, 5, 30))]);
    // Nothing is a formula cell.
    ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('neutralises a formula hidden behind a byte-order mark, a zero-width or no-break space, or in full-width form', async () => {
    const d = doc('corporate', 0);
    const hidden = ['\uFEFF=1+1', '\u200B=1+1', '\u00A0=1+1', '\uFF1D1+1', '\uFF20cmd'];
    d.sections[0]!.tables[1]!.rows = hidden.map((text) => ({ cells: [t('CN-2026-0001'), t(text), n(1), t('')], isTotal: false }));
    const rows = sheetRows((await readXlsx(await writeXlsx(d))).worksheets[0]!);
    for (const text of hidden) expect(rows).toContainEqual(['CN-2026-0001', `'${text}`, 1]);
  });

  it('meeting pack: an About sheet and one sheet per section, each marked top and bottom', async () => {
    const wb = await readXlsx(await writeXlsx(doc('meeting_pack')));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Networks disrupted']);
    for (const ws of wb.worksheets) {
      const rows = sheetRows(ws);
      expect(rows[0]).toEqual(['OFFICIAL-SENSITIVE']);
      expect(rows.at(-1)).toEqual(['OFFICIAL-SENSITIVE']);
    }
  });

  it('the same document gives the same bytes, whenever it is written', async () => {
    const a = await writeXlsx(doc('corporate'));
    await new Promise((r) => setTimeout(r, 2100));
    const b = await writeXlsx(doc('corporate'));
    expect(b.equals(a)).toBe(true);
  });

  it('sheet names follow Excel\'s rules', () => {
    const used = new Set<string>();
    expect(sheetName('Claims awaiting validation and durability reviews due', used)).toBe('Claims awaiting validation and');
    expect(sheetName('Claims awaiting validation and durability reviews due', used)).toBe('Claims awaiting validation an 2');
    expect(sheetName('a/b:c?[d]', used)).toBe('a b c d');
  });
});

function pdftotextPage(file: string, page: number): string {
  return execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
}

describe('PDF', () => {
  it('opens and renders every page; every page has the marking at the top and the bottom, the copy, "Page x of y", the as-of date and the versions', async () => {
    const file = join(dir, 'pack.pdf');
    writeFileSync(file, await writePdf(doc('meeting_pack', 140)));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    const out = join(dir, 'render');
    execFileSync('pdftoppm', ['-r', '50', '-png', file, out]);
    expect(readdirSync(dir).filter((f) => f.startsWith('render') && f.endsWith('.png'))).toHaveLength(pages);
    for (let p = 1; p <= pages; p++) {
      const lines = pdftotextPage(file, p).split('\n').map((l) => l.trim()).filter((l) => l !== '');
      expect(lines[0], `page ${p} top`).toBe('OFFICIAL-SENSITIVE');
      expect(lines.at(-1), `page ${p} bottom`).toBe('OFFICIAL-SENSITIVE');
      const text = lines.join('\n');
      expect(text).toContain('Copy 7 · Destroy after 30/07/2026');
      expect(text).toContain(`Page ${p} of ${pages}`);
      expect(text).toContain('As of 30/06/2026');
      expect(text).toContain('model hm-1, weights hm-1 1.0.0');
    }
  });

  it('a table that runs onto another page repeats its title and headings there', async () => {
    const file = join(dir, 'continued.pdf');
    writeFileSync(file, await writePdf(doc('meeting_pack', 140)));
    const page2 = pdftotextPage(file, 2);
    expect(page2).toContain('Owners (continued)');
    expect(page2).toMatch(/Reference\s+Unit\s+Score\s+Next review/);
    // Every row is somewhere, once.
    const all = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const i of [0, 69, 139]) expect(all.split(`CN-2026-${String(i).padStart(4, '0')}`)).toHaveLength(2);
  });

  it('the same document gives the same bytes (creation date from the generated-at time)', async () => {
    const a = await writePdf(doc('meeting_pack'));
    await new Promise((r) => setTimeout(r, 1100));
    const b = await writePdf(doc('meeting_pack'));
    expect(b.equals(a)).toBe(true);
    const info = execFileSync('pdfinfo', ['-isodates', '-'], { input: a, encoding: 'utf8' });
    expect(info).toMatch(/CreationDate:\s+2026-06-30T10:00:00/);
    // The audit head: in the information dictionary, and on the cover with the header block.
    expect(info).toContain(`Keywords:        Audit log head: ${HEAD_VALUE}\n`);
    expect(a.toString('latin1')).toContain(`(Audit log head: ${HEAD_VALUE})`);
    const file = join(dir, 'head.pdf');
    writeFileSync(file, a);
    expect(pdftotextPage(file, 1)).toMatch(new RegExp(`Audit log head\\s+${HEAD_VALUE}`));
  });

  it('a cell with 60 line breaks, or pages of wrapped text, never reaches the footer or the bottom marking', async () => {
    const d = doc('meeting_pack', 0);
    const owners = d.sections[0]!.tables[1]!;
    const manyLines = Array.from({ length: 61 }, (_, i) => `Line${i + 1}`).join('\n');
    const wrapped = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    owners.rows = [t('Gangs Unit'), t(manyLines), t(wrapped), t(manyLines)].map((cell, i) => ({ cells: [t(`CN-2026-000${i}`), cell, n(61.25, '61.3'), t('')], isTotal: false }));
    const file = join(dir, 'tall-rows.pdf');
    writeFileSync(file, await writePdf(d));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    execFileSync('pdftoppm', ['-r', '50', '-png', file, join(dir, 'tall')]);
    expect(readdirSync(dir).filter((f) => f.startsWith('tall-') && f.endsWith('.png'))).toHaveLength(pages);
    // Every word on every page, with its box (PDF points from the top of the page).
    const bbox = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    const pageWords = bbox.split('<page ').slice(1).map((page) =>
      [...page.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ yMin: Number(m[1]), yMax: Number(m[2]), text: m[3]! })),
    );
    expect(pageWords).toHaveLength(pages);
    // The body ends 66 points above the foot of the page; below that is the furniture alone.
    const bottom = 595.28 - 66;
    pageWords.forEach((words, i) => {
      const below = words.filter((w) => w.yMax > bottom + 0.5).map((w) => w.text);
      expect(below, `page ${i + 1}`).toEqual(['As', 'of', '30/06/2026', '·', 'model', 'hm-1,', 'weights', 'hm-1', '1.0.0', '·', 'disclosure', 'rules', 'internal-1', 'Page', String(i + 1), 'of', String(pages), 'OFFICIAL-SENSITIVE']);
      const marking = words.filter((w) => w.text === 'OFFICIAL-SENSITIVE').map((w) => Math.round(w.yMin));
      expect([marking[0], marking.at(-1)], `page ${i + 1} markings`).toEqual([18, 561]);
    });
    // What was cut says so; the rows around the tall ones are all there.
    const all = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(all).toMatch(/\u2026 \(\d+ more lines not shown\)/);
    expect(all).toContain('Line1');
    for (const ref of ['CN-2026-0000', 'CN-2026-0001', 'CN-2026-0002', 'CN-2026-0003']) expect(all).toContain(ref);
  });

  it('text outside Windows-1252 is shown as "?" rather than as a wrong glyph', () => {
    expect(pdfText('Gangs Unit £5 – “x” é')).toBe('Gangs Unit £5 – “x” é');
    expect(pdfText('Σ w·s, 5 − 3')).toBe('Sum w·s, 5 - 3');
    expect(pdfText('Отдел 中文 🙂')).toBe('????? ?? ?');
    expect(pdfText('a\r\nb')).toBe('a\nb');
  });
});
