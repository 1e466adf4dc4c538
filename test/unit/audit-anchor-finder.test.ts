/**
 * The finder (main/audit/anchor-finder.ts) on files the writers make: the head printed in each
 * format is found again exactly, from its one place; a head typed into the body of a return is
 * never taken for it; a statement is read field by field; and a hostile, oversized, malformed or
 * foreign file is refused with a sentence.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { anchorSigningBytes, anchorStatement, anchorText, headLine, headValue, parseHeadText } from '../../main/audit/anchor';
import { findAuditHead, MAX_ANCHOR_FILE_BYTES } from '../../main/audit/anchor-finder';
import { renderReturn } from '../../main/returns/writers';
import type { ReportCell, ReturnDocument, ReturnFormat } from '../../preload/contract/schemas/returns';
import { VaultError } from '../../main/vault/errors';

const dir = mkdtempSync(join(tmpdir(), 'hm-anchor-finder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VAULT = '3b0f6b2e-6d1a-4c8e-9f1e-2a7b5c4d3e21';
const HEAD = { vaultId: VAULT, seq: 1234, hash: '0123456789abcdef'.repeat(4) };
/** A different head, typed into a record by someone hoping the finder takes it. */
const FORGED = { vaultId: VAULT, seq: 9, hash: 'f'.repeat(64) };

const t = (text: string): ReportCell => ({ text, value: text, isSuppressed: false });

function doc(kind: 'corporate' | 'meeting_pack'): ReturnDocument {
  return {
    header: {
      kind,
      title: 'A return',
      periodId: kind === 'corporate' ? '2025/26' : null,
      periodLabel: kind === 'corporate' ? '2025/26' : null,
      periodFrom: kind === 'corporate' ? '2025-04-01' : null,
      periodTo: kind === 'corporate' ? '2026-03-31' : null,
      asOf: '2026-06-30',
      previousMeeting: null,
      generatedAt: '2026-06-30T10:00:00.000Z',
      generatedBy: 'Perf Staff',
      model: 'hm-1',
      weightTable: { id: 'hm-1', version: '1.0.0' },
      ruleSet: { id: 'internal-1', version: 1, description: 'Internal rules.' },
      countingRules: null,
      marking: 'OFFICIAL-SENSITIVE',
      copyNumber: 3,
      auditHead: HEAD,
      destroyAfter: '2026-07-30',
    },
    sections: [
      {
        id: 's',
        title: 'Owners',
        notes: [],
        tables: [
          {
            id: 'owners',
            title: 'Owners',
            notes: [],
            columns: [
              { key: 'ref', label: 'Reference', kind: 'text' },
              { key: 'unit', label: 'Unit', kind: 'text' },
            ],
            // Free text from a record, in both forms of the head, in the body.
            rows: [
              { cells: [t('audit_head'), t(headValue(FORGED))], isTotal: false },
              { cells: [t(headLine(FORGED)), t('Gangs Unit')], isTotal: false },
            ],
            emptyText: 'None.',
          },
        ],
      },
    ],
    charts: { disruptionsPerMonth: [], networksByBand: [] },
  };
}

function refusal(path: string): string {
  try {
    findAuditHead(path);
  } catch (e) {
    if (e instanceof VaultError) return e.message;
    throw e;
  }
  throw new Error('the file was not refused');
}

function file(name: string, data: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

describe('the text form', () => {
  it('is one line, read back exactly, and nothing else is', () => {
    expect(headLine(HEAD)).toBe(`Audit log head: entry 1234, hash ${HEAD.hash}, vault ${VAULT}`);
    expect(parseHeadText(headLine(HEAD))).toEqual(HEAD);
    expect(parseHeadText(headValue(HEAD))).toEqual(HEAD);
    for (const bad of [`${headLine(HEAD)} `, headLine(HEAD).replace('entry 1234', 'entry 01234'), headLine(HEAD).replace(HEAD.hash, HEAD.hash.toUpperCase()), headLine(HEAD).replace('entry 1234', 'entry 0')]) {
      expect(parseHeadText(bad)).toBeNull();
    }
  });
});

describe('exports: the head printed in each format is found again, from its own place only', () => {
  const cases: [('corporate' | 'meeting_pack'), ReturnFormat][] = [
    ['corporate', 'csv'],
    ['corporate', 'json'],
    ['corporate', 'xlsx'],
    ['meeting_pack', 'pdf'],
    ['meeting_pack', 'xlsx'],
  ];
  for (const [kind, format] of cases) {
    it(`${kind} ${format}`, async () => {
      const p = file(`${kind}.${format}`, await renderReturn(doc(kind), format));
      expect(findAuditHead(p)).toEqual({ source: format, ...HEAD, writtenAt: null, writtenBy: null, signature: null });
    });
  }

  it('an export from before the head was printed names none, and says so', async () => {
    const d = doc('corporate');
    d.header.auditHead = null;
    expect(refusal(file('old.csv', await renderReturn(d, 'csv')))).toBe('This CSV export names no audit log head: it was written before Harm Matrix printed the head on every export.');
    expect(refusal(file('old.json', await renderReturn(d, 'json')))).toBe('This JSON export names no audit log head: it was written before Harm Matrix printed the head on every export.');
    expect(refusal(file('old.xlsx', await renderReturn(d, 'xlsx')))).toMatch(/^This XLSX file names no audit log head/);
    expect(refusal(file('old.pdf', await renderReturn(d, 'pdf')))).toMatch(/^This PDF names no audit log head/);
  });

  it('a CSV with a second head line in its header block is refused', async () => {
    const csv = (await renderReturn(doc('corporate'), 'csv')).toString('utf8');
    const doubled = csv.replace('"audit_head"', `"audit_head","${headValue(FORGED)}"\r\n"audit_head"`);
    expect(refusal(file('two.csv', doubled))).toBe('This CSV export names more than one audit log head, so it has been changed: it was not used.');
  });

  it('a PDF holding a second head string object is refused', async () => {
    const pdf = await renderReturn(doc('meeting_pack'), 'pdf');
    const extra = Buffer.concat([pdf, Buffer.from(`\n99 0 obj\n(${headLine(FORGED)})\nendobj\n`, 'latin1')]);
    expect(refusal(file('two.pdf', extra))).toBe('This PDF names more than one audit log head, so it has been changed: it was not used.');
  });
});

describe('anchor statements', () => {
  const statement = anchorStatement({ vaultId: VAULT, seq: 77, hash: 'ab'.repeat(32), writtenAt: '2026-06-30T09:15:00.000Z', writtenBy: 'user-1' }, null);

  it('unsigned: every field, and no signature field', () => {
    expect(JSON.parse(anchorText(statement))).toEqual({ format: 'harm-matrix-audit-anchor', version: 1, vaultId: VAULT, seq: 77, hash: 'ab'.repeat(32), writtenAt: '2026-06-30T09:15:00.000Z', writtenBy: 'user-1' });
    expect(findAuditHead(file('anchor.json', anchorText(statement)))).toEqual({ source: 'anchor', vaultId: VAULT, seq: 77, hash: 'ab'.repeat(32), writtenAt: '2026-06-30T09:15:00.000Z', writtenBy: 'user-1', signature: null });
  });

  it('the signature hook: a signer is given the canonical bytes, and its object is written and read back as it is', () => {
    let given = '';
    const signed = anchorStatement({ vaultId: VAULT, seq: 77, hash: 'ab'.repeat(32), writtenAt: '2026-06-30T09:15:00.000Z', writtenBy: 'user-1' }, (bytes) => {
      given = bytes.toString('utf8');
      return { algorithm: 'test', value: 'not a real signature' };
    });
    expect(given).toBe(`["harm-matrix-audit-anchor",1,"${VAULT}",77,"${'ab'.repeat(32)}","2026-06-30T09:15:00.000Z","user-1"]`);
    expect(anchorSigningBytes(statement).toString('utf8')).toBe(given);
    expect(findAuditHead(file('signed.json', anchorText(signed))).signature).toEqual({ algorithm: 'test', value: 'not a real signature' });
  });

  it('a malformed statement is refused', () => {
    const base = JSON.parse(anchorText(statement)) as Record<string, unknown>;
    const MALFORMED = 'The audit anchor statement is malformed (a field is missing, extra or not of its form): it was not used.';
    for (const bad of [{ ...base, seq: -1 }, { ...base, hash: 'xyz' }, { ...base, vaultId: 'not-a-vault' }, { ...base, extra: 1 }, { ...base, version: 2 }, { ...base, writtenAt: 'yesterday' }]) {
      expect(refusal(file('bad-anchor.json', JSON.stringify(bad)))).toBe(MALFORMED);
    }
    const { seq: _seq, ...noSeq } = base;
    expect(refusal(file('bad-anchor.json', JSON.stringify(noSeq)))).toBe(MALFORMED);
    expect(refusal(file('huge-anchor.json', JSON.stringify({ ...base, padding: ' '.repeat(70_000) })))).toBe('The audit anchor statement is far larger than one Harm Matrix writes: it was not used.');
  });
});

describe('hostile and foreign files', () => {
  it('not JSON, not ours, empty, missing, a folder', () => {
    expect(refusal(file('broken.json', '{"format": "harm-matrix-audit-anchor", '))).toBe('The file starts like JSON but is not valid JSON, so it names no audit log head.');
    expect(refusal(file('other.json', '{"hello": "world"}'))).toMatch(/^The file names no audit log head: it is not an audit anchor/);
    expect(refusal(file('notes.txt', 'Audit log head: entry 5'))).toMatch(/^The file names no audit log head/);
    expect(refusal(file('empty.json', ''))).toBe('The file is empty: it names no audit log head.');
    expect(() => findAuditHead(join(dir, 'nowhere.json'))).toThrow(`There is no file ${join(dir, 'nowhere.json')}.`);
    expect(refusal(dir)).toBe(`${dir} is a folder, not a file.`);
  });

  it('a file larger than any the app writes is refused unread', () => {
    const p = file('huge.pdf', '%PDF-');
    truncateSync(p, MAX_ANCHOR_FILE_BYTES + 1);
    expect(refusal(p)).toBe(`The file is ${(MAX_ANCHOR_FILE_BYTES + 1).toLocaleString('en-GB')} bytes, larger than any file Harm Matrix writes (at most ${MAX_ANCHOR_FILE_BYTES.toLocaleString('en-GB')}): it was not read.`);
  });

  /** A ZIP holding one deflated docProps/core.xml, with the sizes it declares. */
  function zipWithCore(content: Buffer, declaredSize: number): Buffer {
    const name = Buffer.from('docProps/core.xml');
    const data = deflateRawSync(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0, 42);
    const cdStart = local.length + name.length + data.length;
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(central.length + name.length, 12);
    eocd.writeUInt32LE(cdStart, 16);
    return Buffer.concat([local, name, data, central, name, eocd]);
  }

  it('an XLSX whose properties would inflate past the limit (a ZIP bomb), declared or not, is refused', () => {
    const bomb = Buffer.alloc(20 * 1024 * 1024, 0x20);
    expect(refusal(file('bomb-declared.xlsx', zipWithCore(bomb, bomb.length)))).toBe("The XLSX file's document properties are far larger than Harm Matrix writes: the file was not read further.");
    expect(refusal(file('bomb-lying.xlsx', zipWithCore(bomb, 300)))).toBe("The XLSX file's document properties do not decompress within the limit Harm Matrix allows: the file was not read further.");
    // The same construction with an honest, small entry is read: the refusals above are the limits'.
    const core = Buffer.from(`<?xml version="1.0"?><cp:coreProperties><cp:keywords>${headLine(HEAD)}</cp:keywords></cp:coreProperties>`);
    expect(findAuditHead(file('small.xlsx', zipWithCore(core, core.length)))).toMatchObject({ source: 'xlsx', ...HEAD });
  });

  it('a damaged ZIP is refused', () => {
    const p = file('damaged.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]));
    expect(refusal(p)).toBe('The XLSX file is damaged (its ZIP directory does not read): it names no audit log head that can be trusted.');
  });
});
