/**
 * No informal lists (issue 10): the network list, which the CLI's `networks` once printed with no
 * marking, no purpose or recipient and no register row, is an export under the rules of every
 * return. Through the real dispatcher and service, on the returns fixture's encrypted vault and
 * its fixed clock (30/06/2026): the header block with the marking, copy number, audit head and
 * destroy-after day; exactly one 'disclose' entry and one register row; only analysts and
 * supervisors; purpose and recipient required; and nothing about any person in the file (the
 * fixture plants people's names, references and dates of birth, and other free text).
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as R from '../../main/services/returns.service';
import { matrixRows } from '../../main/services/matrix-read.service';
import { EXPORT_DESTROY_AFTER_DAYS } from '../../main/domain/export-destruction';
import { auditHeadSeq, auditSince } from '../helpers/matrix-fixtures';
import { buildReturnsWorld, CANARIES, canaryStrings, FORMULAS, type ReturnsWorld } from './returns-fixture';

let w: ReturnsWorld;
let out: string;
const disclosure = { purpose: 'Network list for the partnership tasking meeting', recipient: 'Borough partnership tasking group' };
const path = (name: string) => join(out, name);
const registerRows = () => w.db().prepare('SELECT * FROM export_register ORDER BY rowid').all() as Record<string, unknown>[];
const headHash = (seq: number) => w.db().prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq) as string;

beforeAll(() => {
  w = buildReturnsWorld('network-list');
  out = join(w.tv.dir, 'exports');
  mkdirSync(out);
}, 120_000);
afterAll(() => w?.close());

describe('the network list is an export', () => {
  it('the default is 30 days, stated once', () => {
    expect(EXPORT_DESTROY_AFTER_DAYS).toBe(30);
  });

  it('as CSV: the header block (marking, copy, audit head, destroy-after day), one row per network, one disclose entry and one register row', async () => {
    w.as(w.analyst);
    const seq = auditHeadSeq(w.db());
    const before = registerRows().length;
    const r = await w.call('returns:export', { kind: 'network_list', format: 'csv', rules: 'internal', path: path('networks.csv'), ...disclosure });
    const bytes = readFileSync(path('networks.csv'));
    expect(r).toEqual({ ok: true, value: { path: path('networks.csv'), fileName: 'networks.csv', kind: 'network_list', format: 'csv', bytes: bytes.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), copyNumber: 1, destroyAfter: '2026-07-30' } });
    const text = bytes.toString('utf8');
    const lines = text.split('\r\n');
    const vaultId = w.s.vault!.vaultId;
    // The whole header block, exactly: the marking first, the destroy-after day as a UK date.
    expect(lines.slice(0, 17)).toEqual([
      '\uFEFF"OFFICIAL-SENSITIVE"',
      '"field","value"',
      '"marking","OFFICIAL-SENSITIVE"',
      '"return","Network list"',
      '"title","Network list as of 30/06/2026"',
      '"as_of","2026-06-30"',
      '"generated_at","2026-06-30T10:00:00.000Z"',
      '"generated_by","Bob Analyst"',
      '"model","hm-1"',
      expect.stringMatching(/^"weight_table","hm-1 /),
      '"disclosure_rules","internal-1"',
      expect.stringMatching(/^"disclosure_rules_description",/),
      '"copy_number","1"',
      '"destroy_after","30/07/2026"',
      `"audit_head","entry ${seq}, hash ${headHash(seq)}, vault ${vaultId}"`,
      '',
      '"section","networks","Networks"',
    ]);
    expect(lines.at(-2)).toBe('"OFFICIAL-SENSITIVE"');
    expect(lines).toContain('"Reference","Name","Score","Band","Computed band","Confidence","Evidenced harm points","Assessed harm points","Capability points","Score as of"');
    const networks = w.db().prepare('SELECT reference FROM networks ORDER BY reference').pluck().all() as string[];
    expect(networks.length).toBeGreaterThan(10);
    for (const ref of networks) expect(lines.filter((l) => l.startsWith(`"${ref}",`)), ref).toHaveLength(1);

    const rows = registerRows();
    expect(rows).toHaveLength(before + 1);
    const row = rows.at(-1)!;
    expect(row).toEqual({
      id: expect.any(String),
      at: '2026-06-30T10:00:00.000Z',
      user_id: w.analyst.id,
      user_name: 'Bob Analyst',
      kind: 'network_list',
      period: '2026-06-30',
      format: 'csv',
      rule_set: 'internal-1',
      purpose: disclosure.purpose,
      recipient: disclosure.recipient,
      copy_number: 1,
      file_name: 'networks.csv',
      bytes: bytes.length,
      sha256: (r as { value: { sha256: string } }).value.sha256,
      audit_head_seq: seq,
      audit_head_hash: headHash(seq),
      destroy_after: '2026-07-30',
    });
    // One entry only: the disclosure, with its purpose; no consultation of the matrix besides it.
    expect(auditSince(w.db(), seq)).toEqual([
      {
        action: 'disclose',
        entityType: 'export',
        entityId: row.id,
        summary: `Network list as of 2026-06-30 exported as CSV, copy 1 (internal-1 rules), file networks.csv, to ${disclosure.recipient}`,
        justification: disclosure.purpose,
        userName: 'Bob Analyst',
      },
    ]);
  });

  it('as JSON: the marking and "Destroy after" first, the figures exactly as the matrix has them, the next copy number', async () => {
    w.as(w.supervisor);
    const r = await R.exportReturn(w.s, { kind: 'network_list', format: 'json', rules: 'internal', path: path('networks.json'), ...disclosure });
    expect(r.copyNumber).toBe(2);
    const body = JSON.parse(readFileSync(path('networks.json'), 'utf8'));
    expect(Object.keys(body)).toEqual(['marking', 'destroyAfter', 'format', 'header', 'sections', 'charts', 'markingEnd']);
    expect(body.marking).toBe('OFFICIAL-SENSITIVE');
    expect(body.destroyAfter).toBe('Destroy after: 30/07/2026');
    expect(body.header).toMatchObject({ kind: 'network_list', asOf: '2026-06-30', copyNumber: 2, destroyAfter: '2026-07-30', countingRules: null, generatedBy: 'Carol Supervisor' });
    const table = body.sections[0].tables[0];
    expect(table.columns.map((c: { key: string }) => c.key)).toEqual(['reference', 'name', 'score', 'band', 'computedBand', 'confidence', 'ehPts', 'ahPts', 'capPts', 'asOf']);
    const values = table.rows.map((row: { cells: { value: unknown }[] }) => row.cells.map((c) => c.value));
    const expected = matrixRows(w.s)
      .sort((a, b) => (a.reference < b.reference ? -1 : 1))
      .map((m) => [m.reference, m.name, m.score, m.band, m.computedBand, m.confidence, m.ehPts, m.ahPts, m.capPts, m.asOf]);
    expect(values).toEqual(expected);
    expect(registerRows().at(-1)).toMatchObject({ kind: 'network_list', format: 'json', copy_number: 2, user_name: 'Carol Supervisor', destroy_after: '2026-07-30' });
  });

  it('as of another day: the figures scored for that day, nothing stored', async () => {
    w.as(w.analyst);
    const stored = w.db().prepare('SELECT count(*) FROM network_scores').pluck().get();
    await R.exportReturn(w.s, { kind: 'network_list', format: 'json', asOf: '2024-01-01', rules: 'internal', path: path('old.json'), ...disclosure });
    const body = JSON.parse(readFileSync(path('old.json'), 'utf8'));
    expect(body.header.asOf).toBe('2024-01-01');
    const rows = body.sections[0].tables[0].rows as { cells: { value: unknown }[] }[];
    expect(rows.map((r) => r.cells[9]!.value)).toEqual(rows.map(() => '2024-01-01'));
    // Before any offence: nothing evidenced.
    expect(rows.map((r) => r.cells[6]!.value)).toEqual(rows.map(() => 0));
    expect(w.db().prepare("SELECT count(*) FROM network_scores WHERE as_of = '2024-01-01'").pluck().get()).toBe(0);
    expect(w.db().prepare('SELECT count(*) FROM network_scores').pluck().get()).toBe(stored);
    // The destroy-after day runs from the day of export, not the day described.
    expect(body.header.destroyAfter).toBe('2026-07-30');
    expect(registerRows().at(-1)).toMatchObject({ period: '2024-01-01', destroy_after: '2026-07-30' });
  });

  it('no person in the file: names, references, dates of birth, officers, units and free text planted in the vault are absent', () => {
    const allowed = new Set<string>([CANARIES.networkName]);
    const forbidden = [...canaryStrings().filter((c) => !allowed.has(c)), FORMULAS.p1Unit, FORMULAS.p2Unit, 'Kettleby'];
    for (const file of ['networks.csv', 'networks.json', 'old.json']) {
      const text = readFileSync(path(file), 'utf8');
      // Network names are in it, as the issue allows (the fixture's canary network is one).
      expect(text, file).toContain(CANARIES.networkName);
      for (const c of forbidden) expect(text.includes(c), `${file}: ${c}`).toBe(false);
    }
  });

  it('only analysts and supervisors: administrators by the contract, validators and read-only users by the kind; nothing written', async () => {
    const before = registerRows().length;
    const seq = auditHeadSeq(w.db());
    const req = (name: string) => ({ kind: 'network_list', format: 'csv', rules: 'internal', path: path(name), ...disclosure });
    w.as(w.admin);
    expect(await w.call('returns:export', req('admin.csv'))).toEqual({ ok: false, code: 'forbidden', message: 'Your role does not allow this.' });
    w.as(w.validator);
    expect(await w.call('returns:export', req('validator.csv'))).toEqual({ ok: false, code: 'forbidden', message: 'The network list is exported by analysts and supervisors.' });
    w.as(w.reader);
    expect(await w.call('returns:export', req('reader.csv'))).toEqual({ ok: false, code: 'forbidden', message: 'The network list is exported by analysts and supervisors.' });
    for (const f of ['admin.csv', 'validator.csv', 'reader.csv']) expect(existsSync(path(f))).toBe(false);
    expect(registerRows()).toHaveLength(before);
    expect(auditSince(w.db(), seq).filter((e) => e.action === 'disclose')).toEqual([]);
  });

  it('purpose and recipient are required; internal rules, CSV or JSON, no period', async () => {
    w.as(w.analyst);
    const before = registerRows().length;
    const base = { kind: 'network_list', format: 'csv', rules: 'internal', path: path('bad.csv'), ...disclosure };
    const { purpose: _p, ...noPurpose } = base;
    const { recipient: _r, ...noRecipient } = base;
    expect(await w.call('returns:export', noPurpose)).toMatchObject({ ok: false, code: 'invalid_input', fields: { purpose: expect.any(String) } });
    expect(await w.call('returns:export', noRecipient)).toMatchObject({ ok: false, code: 'invalid_input', fields: { recipient: expect.any(String) } });
    expect(await w.call('returns:export', { ...base, purpose: 'why' })).toMatchObject({ ok: false, code: 'invalid_input', fields: { purpose: 'Give the purpose in at least 5 characters.' } });
    expect(await w.call('returns:export', { ...base, rules: 'public' })).toMatchObject({ ok: false, code: 'invalid_input', fields: { rules: 'The network list names every network: it is exported under the internal rules only, never for publication.' } });
    expect(await w.call('returns:export', { ...base, format: 'pdf', path: path('bad.pdf') })).toMatchObject({ ok: false, code: 'invalid_input', fields: { format: 'The network list is saved as CSV or JSON.' } });
    expect(await w.call('returns:export', { ...base, period: '2025/26' })).toMatchObject({ ok: false, code: 'invalid_input', fields: { period: 'The network list is as of a date, not for a period.' } });
    expect(existsSync(path('bad.csv'))).toBe(false);
    expect(registerRows()).toHaveLength(before);
  });

  it('the export register shows each copy\'s destroy-after day', () => {
    w.as(w.supervisor);
    const listed = R.listExports(w.s).filter((e) => e.kind === 'network_list');
    expect(listed.map((e) => [e.copyNumber, e.destroyAfter])).toEqual([
      [3, '2026-07-30'],
      [2, '2026-07-30'],
      [1, '2026-07-30'],
    ]);
    expect(w.db().prepare("SELECT destroy_after FROM export_register WHERE kind = 'network_list'").pluck().all()).toEqual(['2026-07-30', '2026-07-30', '2026-07-30']);
  });

  it('a copy exported at 00:30 BST counts its 30 days from that UK day', async () => {
    w.clock.set('2026-07-31T23:30:00.000Z');
    w.as(w.analyst);
    const r = await R.exportReturn(w.s, { kind: 'network_list', format: 'csv', rules: 'internal', path: path('late.csv'), ...disclosure });
    expect(r.destroyAfter).toBe('2026-08-31');
    expect(readFileSync(path('late.csv'), 'utf8')).toContain('\r\n"destroy_after","31/08/2026"\r\n');
    expect(registerRows().at(-1)).toMatchObject({ at: '2026-07-31T23:30:00.000Z', destroy_after: '2026-08-31' });
  });
});
