/**
 * The returns leave no person behind (issue 4, Tests: "A canary test: people's names and
 * references planted in the vault never appear in any return in any format"; "The PDF opens and
 * renders every page, and the marking is on every page; the XLSX reads back with the same numbers;
 * formula cells are neutralised").
 *
 * The fixture (./returns-fixture.ts) plants people's names, references and dates of birth (ISO
 * and UK forms), and free text that returns must never carry (a network's name and alias, a claim's
 * narrative, operation and partner references, an intelligence summary, a crime reference, a drug
 * substance). Every return is exported in every format under both rule sets, through the service,
 * and searched: CSV and JSON as text; XLSX both read back with ExcelJS and as the raw XML of every
 * part of the archive; PDF both through pdftotext and as every decompressed content stream.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as R from '../../main/services/returns.service';
import * as usersService from '../../main/services/users.service';
import type { ReturnDocument } from '../../preload/contract/schemas/returns';
import { buildReturnsWorld, canaryStrings, FORMULAS, type ReturnsWorld } from './returns-fixture';

interface Exported {
  name: string;
  kind: 'corporate' | 'meeting_pack';
  format: 'csv' | 'xlsx' | 'json' | 'pdf';
  rules: 'internal' | 'public';
  path: string;
}

let w: ReturnsWorld;
let out: string;
const files: Exported[] = [];
const disclosure = { purpose: 'Canary check of every return format', recipient: 'Test harness recipient' };

beforeAll(async () => {
  w = buildReturnsWorld('returns-canary');
  out = join(w.tv.dir, 'exports');
  mkdirSync(out);
  // A user whose name a spreadsheet would read as a formula exports the corporate return.
  w.as(w.admin);
  const perf = usersService.add(w.s, { name: '@Perf Analyst', role: 'read_only', passphrase: 'juniper bellows quartz 64' });
  for (const rules of ['internal', 'public'] as const) {
    w.s.user = { id: perf.id, name: '@Perf Analyst', role: 'read_only' };
    for (const format of ['csv', 'xlsx', 'json'] as const) {
      for (const period of ['2025/26', '2026-03']) {
        const name = `corporate-${period.replace('/', '-')}-${rules}.${format}`;
        await R.exportReturn(w.s, { kind: 'corporate', format, period, rules, path: join(out, name), ...disclosure });
        files.push({ name, kind: 'corporate', format, rules, path: join(out, name) });
      }
    }
    w.as(w.supervisor);
    for (const format of ['pdf', 'xlsx'] as const) {
      for (const asOf of ['2026-06-30', '2026-03-31']) {
        const name = `pack-${asOf}-${rules}.${format}`;
        await R.exportReturn(w.s, { kind: 'meeting_pack', format, asOf, rules, path: join(out, name), ...disclosure });
        files.push({ name, kind: 'meeting_pack', format, rules, path: join(out, name) });
      }
    }
  }
}, 120_000);
afterAll(() => w?.close());

/* ---- Reading the files back ---------------------------------------------------------------------- */

/** Every part of a ZIP archive (XLSX), decompressed, as text: a minimal reader of the central directory. */
function unzipText(zip: Buffer): string {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const local = zip.readUInt32LE(p + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    parts.push((method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return parts.join('\n');
}

/**
 * The text drawn by every content stream of a PDF: streams decompressed where Flate-encoded, and
 * the hex strings of each text operator (PDFKit writes `[<4f4646> 20 <4943>] TJ`) decoded and
 * joined, so a word split by kerning reads whole.
 */
function pdfStreamText(pdf: Buffer): string {
  const lines: string[] = [];
  const decode = (ops: string) => [...ops.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join('');
  for (const m of pdfStreams(pdf).matchAll(/\[([^\]]*)\]\s*TJ|(<[0-9a-fA-F]*>)\s*Tj/g)) lines.push(decode(m[1] ?? m[2]!));
  return lines.join('\n');
}

/** Every content stream of a PDF, decompressed where it is Flate-encoded. */
function pdfStreams(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  const re = /(?<!end)stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const raw = pdf.subarray(start, end);
    try {
      out.push(inflateSync(raw).toString('latin1'));
    } catch {
      out.push(raw.toString('latin1'));
    }
    re.lastIndex = end;
  }
  return out.join('\n');
}

async function xlsxCells(path: string): Promise<{ sheets: { name: string; rows: unknown[][] }[]; wb: ExcelJS.Workbook }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  return {
    wb,
    sheets: wb.worksheets.map((ws) => {
      const rows: unknown[][] = [];
      ws.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
      return { name: ws.name, rows };
    }),
  };
}

function pdfPages(path: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
}

async function everyText(f: Exported): Promise<string[]> {
  const bytes = readFileSync(f.path);
  switch (f.format) {
    case 'csv':
    case 'json':
      return [bytes.toString('utf8')];
    case 'xlsx': {
      const { sheets } = await xlsxCells(f.path);
      return [JSON.stringify(sheets), unzipText(bytes)];
    }
    case 'pdf':
      return [execFileSync('pdftotext', ['-layout', f.path, '-'], { encoding: 'utf8' }), pdfStreamText(bytes), pdfStreams(bytes), bytes.toString('latin1')];
  }
}

/* ---- The tests ----------------------------------------------------------------------------------- */

describe('canaries', () => {
  it('every return was written: corporate CSV, XLSX, JSON and the pack PDF and XLSX, under both rule sets', () => {
    expect(files).toHaveLength(20);
    expect(readdirSync(out).sort()).toEqual(files.map((f) => f.name).sort());
  });

  it('no person\'s name, reference or date of birth, and no free text, appears in any return in any format', async () => {
    const canaries = canaryStrings();
    expect(canaries.length).toBeGreaterThan(20);
    const hits: string[] = [];
    for (const f of files) {
      const texts = await everyText(f);
      for (const text of texts) {
        const lower = text.toLowerCase();
        for (const c of canaries) if (lower.includes(c.toLowerCase())) hits.push(`${f.name}: ${c}`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('the search would have found them: the same reading finds what the returns do carry', async () => {
    const pack = files.find((f) => f.name === 'pack-2026-06-30-internal.pdf')!;
    const [text, drawn] = await everyText(pack);
    expect(text).toContain(w.refs.N1!);
    expect(drawn).toContain(w.refs.N1!);
    expect(drawn).toContain('OFFICIAL-SENSITIVE');
    const xlsx = files.find((f) => f.name === 'pack-2026-06-30-internal.xlsx')!;
    const [cells, xml] = await everyText(xlsx);
    expect(cells).toContain(w.refs.N1!);
    expect(xml).toContain(w.refs.N1!);
  });
});

describe('the PDF packs', () => {
  it('open and render every page (pdftoppm), with the marking at the top and bottom of every page and the copy number', () => {
    for (const f of files.filter((x) => x.format === 'pdf')) {
      const pages = pdfPages(f.path);
      expect(pages, f.name).toBeGreaterThanOrEqual(5);
      const prefix = join(w.tv.dir, `render-${f.name}`);
      execFileSync('pdftoppm', ['-r', '50', '-png', f.path, prefix]);
      expect(readdirSync(w.tv.dir).filter((x) => x.startsWith(`render-${f.name}`) && x.endsWith('.png')), f.name).toHaveLength(pages);
      const copy = (JSON.parse(JSON.stringify(w.db().prepare('SELECT copy_number FROM export_register WHERE file_name = ?').pluck().get(f.name))) as number);
      for (let p = 1; p <= pages; p++) {
        const lines = execFileSync('pdftotext', ['-layout', '-f', String(p), '-l', String(p), f.path, '-'], { encoding: 'utf8' })
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '');
        expect(lines[0], `${f.name} page ${p}`).toBe('OFFICIAL-SENSITIVE');
        expect(lines.at(-1), `${f.name} page ${p}`).toBe('OFFICIAL-SENSITIVE');
        expect(lines.join('\n')).toContain(`Copy ${copy}`);
        expect(lines.join('\n')).toContain(`Page ${p} of ${pages}`);
      }
    }
  });
});

describe('the spreadsheets', () => {
  /** The rows of each table in a sheet, located by its title and heading row, as written. */
  function tableRows(rows: unknown[][], doc: ReturnDocument, id: string): unknown[][] {
    const t = doc.sections.flatMap((s) => s.tables).find((x) => x.id === id)!;
    const at = rows.findIndex((r, i) => r[0] === t.title && rows[i + 1 + t.notes.length]?.[0] === t.columns[0]!.label);
    expect(at, `table ${id}`).toBeGreaterThanOrEqual(0);
    const first = at + 1 + t.notes.length + 1;
    return rows.slice(first, first + t.rows.length);
  }

  it('the corporate XLSX reads back with the same numbers as the JSON of the same return', async () => {
    for (const rules of ['internal', 'public'] as const) {
      const json = JSON.parse(readFileSync(join(out, `corporate-2025-26-${rules}.json`), 'utf8')) as ReturnDocument;
      const { sheets } = await xlsxCells(join(out, `corporate-2025-26-${rules}.xlsx`));
      const rows = sheets[0]!.rows;
      let compared = 0;
      for (const table of json.sections.flatMap((s) => s.tables)) {
        const written = tableRows(rows, json, table.id);
        table.rows.forEach((r, i) => {
          const expected = r.cells.map((c) => {
            if (c.isSuppressed) return c.text;
            if (typeof c.value === 'number') return c.isPercent ? c.value / 100 : c.value;
            return c.text === '' ? undefined : c.text;
          });
          const got = written[i]!.slice(0, expected.length);
          while (got.length < expected.length) got.push(undefined);
          expect(got, `${rules} ${table.id} row ${i}`).toEqual(expected);
          compared += r.cells.filter((c) => typeof c.value === 'number' && !c.isSuppressed).length;
        });
      }
      expect(compared).toBeGreaterThan(100);
    }
  });

  it('the copy number and the header block are in the spreadsheet', async () => {
    const { sheets, wb } = await xlsxCells(join(out, 'corporate-2025-26-internal.xlsx'));
    const rows = sheets[0]!.rows;
    const copy = w.db().prepare('SELECT copy_number FROM export_register WHERE file_name = ?').pluck().get('corporate-2025-26-internal.xlsx');
    expect(rows).toContainEqual(['Copy number', String(copy)]);
    expect(rows).toContainEqual(['Period', '2025/26']);
    expect(rows).toContainEqual(['Disclosure rule set', 'internal-1']);
    expect(wb.worksheets[0]!.headerFooter.oddFooter).toContain(`Copy ${copy}`);
  });

  it('formula cells are neutralised: units and officers in the pack, the user\'s name in the corporate header', async () => {
    const { sheets } = await xlsxCells(join(out, 'pack-2026-06-30-internal.xlsx'));
    const proposals = sheets.find((s) => s.name === 'Proposals for adoption')!.rows;
    expect(proposals).toContainEqual([w.refs.P1, 'Gang', 'SCD', `'${FORMULAS.p1Unit}`, `'${FORMULAS.p1Officer}`, 0, 'Below threshold', 'Low', new Date(Date.UTC(2026, 3, 2))]);
    expect(proposals).toContainEqual([w.refs.P2, 'Gang', 'SCD', `'${FORMULAS.p2Unit}`, `'${FORMULAS.p2Officer}`, 0, 'Below threshold', 'Low', new Date(Date.UTC(2026, 3, 2))]);
    const csv = readFileSync(join(out, 'corporate-2025-26-internal.csv'), 'utf8');
    expect(csv).toContain('\r\n"generated_by","\'@Perf Analyst"\r\n');
    // No text cell in any spreadsheet-readable file starts a formula.
    for (const f of files.filter((x) => x.format === 'xlsx')) {
      for (const sheet of (await xlsxCells(f.path)).sheets) {
        for (const row of sheet.rows) for (const v of row) if (typeof v === 'string') expect(/^[=+\-@\t\r\n]/.test(v), `${f.name}: ${v}`).toBe(false);
      }
    }
    for (const f of files.filter((x) => x.format === 'csv')) {
      for (const line of readFileSync(f.path, 'utf8').replace(/^\uFEFF/, '').split('\r\n')) {
        for (const cell of line.split(',')) expect(/^"?[=+@\t]/.test(cell) || /^"?-[^0-9]/.test(cell), `${f.name}: ${line}`).toBe(false);
      }
    }
  });
});
