/**
 * The CLI's matrix commands as a script uses them: spawned under Node, passphrases piped on
 * standard input, against real encrypted vaults. `demo` writes the generator's document;
 * `import` checks it and writes it in one go or not at all; `networks` exports every network's
 * score to a new JSON or CSV file (quoted, formulas neutralised) as the returns are exported:
 * marked, with its destroy-after day, recorded as a disclosure and in the export register.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../main/audit/audit';
import { DEMO_SEED, generateDocument, type ScaleCounts } from '../../main/demo/generator';
import type { ImportDocument } from '../../main/services/import.service';
import { nodeContext, type AppContext } from '../../main/services/context';
import { Session } from '../../main/services/session';
import { ukToday } from '../../preload/contract/uk-time';
import { addDays, formatUkDate } from '../../preload/contract/dates';
import { addSettledUser } from '../helpers/user-fixtures';
import * as vaultService from '../../main/services/vault.service';
import { SCRYPT_TEST } from '../../main/vault/crypto';
import { runCli, type Run } from '../helpers/cli-runner';

const ADMIN = { name: 'Alice Admin', passphrase: 'correct horse battery staple 9' };
const ANALYST = { name: 'Bob Analyst', passphrase: 'tangerine orbit lantern 42' };
const SUPERVISOR = { name: 'Sue Supervisor', passphrase: 'violet harbour compass 17' };
const SMALL: ScaleCounts = { networks: 8, people: 40, offences: 150, intelligence: 60 };
// The CLI runs on the real clock, so documents are current to today.
const TODAY = ukToday(new Date());

let dir: string;
let stateDir: string;
let ctx: AppContext;
let vaultPath: string;

function cli(args: string[], stdin = ''): Promise<Run> {
  return runCli(args, stdin, stateDir);
}

const as = (who: { passphrase: string }) => `${who.passphrase}\n`;

/** Open the vault through the services (a separate state folder, so the CLI's is untouched). */
function inspect<T>(fn: (s: Session) => T): T {
  const s = new Session({ ...ctx, stateDir: join(dir, 'inspect-state') });
  s.vaultPath = vaultPath;
  vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
  try {
    return fn(s);
  } finally {
    s.closeVault();
  }
}

const networkCount = () => inspect((s) => s.vault!.db.prepare('SELECT count(*) FROM networks').pluck().get() as number);

function writeDoc(name: string, doc: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(doc));
  return p;
}

/** A minimal RFC 4180 reader for checking the CLI's output (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  expect(cell === '' && row.length === 0, 'the CSV ends with CRLF').toBe(true);
  return rows;
}

/** A small synthetic document whose first networks have names a spreadsheet would trip on. */
function trickyDoc(): ImportDocument {
  const doc = generateDocument({ scale: SMALL, seed: 3, asOf: TODAY });
  const names = ['=HYPERLINK("http://example.invalid","x")', 'Crew, "The Quoted" One', '+44 Crew', '-Minus Crew', '@At Crew', 'Two\nLines Crew'];
  names.forEach((name, i) => (doc.networks![i]!.name = name));
  return doc;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-cli-matrix-'));
  stateDir = join(dir, 'state');
  ctx = nodeContext({ stateDir, documentsDir: dir, kdfCost: SCRYPT_TEST });
  vaultPath = join(dir, 'unit.hmvault');
  const s = new Session(ctx);
  vaultService.createVault(s, { path: vaultPath, adminName: ADMIN.name, passphrase: ADMIN.passphrase });
  vaultService.confirmRecovery(s);
  addSettledUser(s, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
  addSettledUser(s, { name: SUPERVISOR.name, role: 'supervisor', passphrase: SUPERVISOR.passphrase });
  vaultService.lock(s, 'manual');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo', () => {
  it('writes exactly the generator\'s document for the scale, seed and date, and reads no standard input', async () => {
    const out = join(dir, 'desk.json');
    const r = await cli(['demo', out, '--scale', 'desk', '--seed', '7', '--as-of', '2026-06-30']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = JSON.stringify(generateDocument({ scale: 'desk', seed: 7, asOf: '2026-06-30' }));
    const written = readFileSync(out);
    expect(createHash('sha256').update(written).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(r.stdout).toBe(
      `Wrote ${out} (${written.length.toLocaleString('en-GB')} bytes): synthetic desk-scale register, seed 7, as of 2026-06-30: 500 networks, 5,000 people, 50,000 offences, 20,000 intelligence items.\n`,
    );
    expect(existsSync(`${out}.partial`)).toBe(false);
  }, 120_000);

  it('refuses to overwrite a file, and wrong options, without writing', async () => {
    const out = join(dir, 'desk.json');
    const before = readFileSync(out);
    expect(await cli(['demo', out, '--seed', '7'])).toMatchObject({ code: 2, stderr: `${out} already exists; choose a new file name.\n` });
    expect(readFileSync(out).equals(before)).toBe(true);
    const fresh = join(dir, 'never.json');
    expect((await cli(['demo', fresh, '--scale', 'galactic'])).code).toBe(64);
    expect(await cli(['demo', fresh, '--seed', '-3'])).toMatchObject({ code: 64 });
    expect(await cli(['demo', fresh, '--seed', 'abc'])).toMatchObject({ code: 64, stderr: 'Give --seed as a whole number from 0 to 4294967295.\n' });
    expect(await cli(['demo', fresh, '--as-of', '2026-02-30'])).toMatchObject({ code: 64, stderr: 'Give --as-of as a real date like 2026-06-30.\n' });
    expect(existsSync(fresh)).toBe(false);
  });

  it('uses the demo vault\'s seed by default', async () => {
    const out = join(dir, 'default.json');
    const r = await cli(['demo', out, '--as-of', '2026-06-30']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`seed ${DEMO_SEED}, as of 2026-06-30`);
    rmSync(out);
  }, 120_000);
});

describe('import', () => {
  it('--dry-run checks the whole desk document against the vault and writes nothing', async () => {
    const r = await cli(['import', vaultPath, join(dir, 'desk.json'), '--user', SUPERVISOR.name, '--dry-run'], as(SUPERVISOR));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'desk.json'), 'utf8')) as ImportDocument;
    const n = (x: number) => x.toLocaleString('en-GB');
    expect(r.stdout).toBe(
      `The document is valid and would import: 500 networks, 5,000 people, 20,000 intelligence items, ${n(doc.memberships!.length)} member links, ` +
        `50,000 offences, ${n(doc.offenceLinks!.length)} offence links, ${n(doc.ratings!.length)} ratings, ${n(doc.flags!.length)} gang flags. Nothing was written (dry run).\n`,
    );
    expect(networkCount()).toBe(0);
  }, 120_000);

  it('lists every fault with exit 2 and writes nothing: an analyst cannot bring in confirmed flags', async () => {
    const doc = trickyDoc();
    const confirmed = doc.flags!.map((f, i) => [f, i] as const).filter(([f]) => f.status === 'confirmed');
    expect(confirmed.length).toBeGreaterThan(1);
    const file = writeDoc('tricky.json', doc);
    const r = await cli(['import', vaultPath, file, '--user', ANALYST.name], as(ANALYST));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      confirmed.map(([f, i]) => `flags[${i}] ${f.subjectRef} status: Only a supervisor can confirm a gang flag: import it as proposed, or run the import as a supervisor.\n`).join('') +
        `${confirmed.length} faults found; nothing was imported.\n`,
    );
    expect(networkCount()).toBe(0);
    const json = await cli(['import', vaultPath, file, '--user', ANALYST.name, '--json'], as(ANALYST));
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      isTruncated: false,
      errors: confirmed.map(([f, index]) => ({ section: 'flags', index, reference: f.subjectRef, field: 'status', message: expect.stringMatching(/^Only a supervisor/) })),
    });
  }, 60_000);

  it('names a bad file before asking for a passphrase', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "harm-matrix-import", ');
    const r = await cli(['import', vaultPath, bad, '--user', SUPERVISOR.name]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^The file is not valid JSON: /);
    expect(await cli(['import', vaultPath, join(dir, 'absent.json'), '--user', SUPERVISOR.name])).toMatchObject({ code: 2, stderr: `There is no file ${join(dir, 'absent.json')}.\n` });
    // A read-only user cannot import at all.
    const reader = { name: 'Rita Reader', passphrase: 'marble geyser pickle 15' };
    inspect((s) => addSettledUser(s, { name: reader.name, role: 'read_only', passphrase: reader.passphrase }));
    const refused = await cli(['import', vaultPath, join(dir, 'desk.json'), '--user', reader.name, '--dry-run'], as(reader));
    expect(refused).toMatchObject({ code: 2, stderr: 'Your role (read_only) does not allow this. It needs: analyst or supervisor.\n' });
  }, 60_000);

  it('a supervisor imports the document in one go; every network is scored', async () => {
    const doc = trickyDoc();
    const r = await cli(['import', vaultPath, join(dir, 'tricky.json'), '--user', SUPERVISOR.name], as(SUPERVISOR));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Imported: 8 networks, 40 people, 60 intelligence items, \d+ member links, 150 offences, \d+ offence links, \d+ ratings, \d+ gang flags/);
    expect(r.stdout).toContain('\nAll 8 networks in the vault were rescored as of today.\n');
    inspect((s) => {
      const db = s.vault!.db;
      expect(db.prepare('SELECT count(*) FROM networks').pluck().get()).toBe(8);
      expect(db.prepare('SELECT count(*) FROM people').pluck().get()).toBe(40);
      expect(db.prepare('SELECT count(*) FROM network_scores').pluck().get()).toBe(8);
      expect(db.prepare('SELECT name FROM networks WHERE reference = ?').pluck().get(doc.networks![0]!.reference)).toBe(doc.networks![0]!.name);
      const entries = listAudit(db, { entityType: 'import' });
      expect(entries.map((e) => e.userName)).toEqual(entries.map(() => SUPERVISOR.name));
      expect(entries.map((e) => e.summary)).toContain('Import: 8 networks recorded (synthetic data)');
    });
    // The same document again: every reference is already in the vault.
    const again = await cli(['import', vaultPath, join(dir, 'tricky.json'), '--user', SUPERVISOR.name, '--json'], as(SUPERVISOR));
    expect(again.code).toBe(2);
    const report = JSON.parse(again.stdout) as { errors: { section: string; message: string }[] };
    expect(report.errors[0]).toEqual({ section: 'networks', index: 0, reference: doc.networks![0]!.reference, field: 'reference', message: `The vault already holds network reference ${doc.networks![0]!.reference}.` });
    expect(networkCount()).toBe(8);
  }, 60_000);
});

describe('networks', () => {
  const disclose = ['--purpose', 'Network list for the partnership tasking meeting', '--recipient', 'Borough partnership tasking group'];
  const destroyAfter = addDays(TODAY, 30);
  interface ListFile {
    marking: string;
    destroyAfter: string;
    header: { kind: string; asOf: string; copyNumber: number; destroyAfter: string };
    sections: { tables: { columns: { key: string }[]; rows: { cells: { value: string | number }[] }[] }[] }[];
  }
  const rowsOf = (f: ListFile) => f.sections[0]!.tables[0]!.rows.map((r) => Object.fromEntries(f.sections[0]!.tables[0]!.columns.map((c, i) => [c.key, r.cells[i]!.value])));

  it('exports every network with its stored score as JSON to a new file: marked, recorded as a disclosure and in the register', async () => {
    const file = join(dir, 'networks.json');
    const r = await cli(['networks', vaultPath, '--user', ANALYST.name, '--out', file, ...disclose], as(ANALYST));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const bytes = readFileSync(file);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(r.stdout).toBe(
      `Network list as of today saved as copy 1: ${file} (${bytes.length.toLocaleString('en-GB')} bytes, SHA-256 ${sha}).\n` +
        'Recorded as a disclosure to Borough partnership tasking group in the audit log and the export register.\n' +
        `Destroy after: ${formatUkDate(destroyAfter)} (printed in the file and kept in the register).\n`,
    );
    const out = JSON.parse(bytes.toString('utf8')) as ListFile;
    expect(out.marking).toBe('OFFICIAL-SENSITIVE');
    expect(out.destroyAfter).toBe(`Destroy after: ${formatUkDate(destroyAfter)}`);
    expect(out.header).toMatchObject({ kind: 'network_list', asOf: TODAY, copyNumber: 1, destroyAfter });
    const stored = inspect((s) =>
      s.vault!.db
        .prepare(
          `SELECT n.reference, n.name, s.score, s.effective_band AS band, s.band AS computedBand, s.confidence, s.eh_pts AS ehPts, s.ah_pts AS ahPts, s.cap_pts AS capPts, s.as_of AS asOf
           FROM networks n JOIN network_scores s ON s.network_id = n.id ORDER BY n.reference`,
        )
        .all(),
    );
    expect(rowsOf(out)).toEqual(stored);
    const { row, entries } = inspect((s) => ({
      row: s.vault!.db.prepare("SELECT user_name, kind, period, format, rule_set, copy_number, file_name, bytes, sha256, purpose, recipient, destroy_after FROM export_register WHERE kind = 'network_list'").all(),
      entries: listAudit(s.vault!.db, { action: 'disclose', userName: ANALYST.name }),
    }));
    expect(row).toEqual([
      { user_name: ANALYST.name, kind: 'network_list', period: TODAY, format: 'json', rule_set: 'internal-1', copy_number: 1, file_name: 'networks.json', bytes: bytes.length, sha256: sha, purpose: disclose[1], recipient: disclose[3], destroy_after: destroyAfter },
    ]);
    expect(entries.map((e) => [e.summary, e.justification])).toEqual([[`Network list as of ${TODAY} exported as JSON, copy 1 (internal-1 rules), file networks.json, to ${disclose[3]}`, disclose[1]]]);
  }, 60_000);

  it('--as-of rescores the list for that date without storing it', async () => {
    const file = join(dir, 'networks-2020.json');
    const r = await cli(['networks', vaultPath, '--user', SUPERVISOR.name, '--as-of', '2020-01-01', '--out', file, '--json', ...disclose], as(SUPERVISOR));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: file, kind: 'network_list', format: 'json', copyNumber: 2, destroyAfter });
    const out = JSON.parse(readFileSync(file, 'utf8')) as ListFile;
    expect(out.header.asOf).toBe('2020-01-01');
    const rows = rowsOf(out);
    expect(rows.map((n) => n.asOf)).toEqual(rows.map(() => '2020-01-01'));
    // Every offence is after 2020: nothing is evidenced yet.
    expect(rows.map((n) => n.ehPts)).toEqual(rows.map(() => 0));
    expect(inspect((s) => s.vault!.db.prepare("SELECT count(*) FROM network_scores WHERE as_of = '2020-01-01'").pluck().get())).toBe(0);
  }, 60_000);

  it('as CSV (the format from the file name): the header block, RFC 4180 quoting, formulas neutralised, one row per network', async () => {
    const file = join(dir, 'networks.csv');
    const r = await cli(['networks', vaultPath, '--user', ANALYST.name, '--out', file, ...disclose], as(ANALYST));
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFF"OFFICIAL-SENSITIVE"\r\n"field","value"\r\n"marking","OFFICIAL-SENSITIVE"\r\n"return","Network list"\r\n')).toBe(true);
    expect(text).toContain(`\r\n"copy_number","3"\r\n"destroy_after","${formatUkDate(destroyAfter)}"\r\n`);
    expect(text.endsWith('\r\n"OFFICIAL-SENSITIVE"\r\n')).toBe(true);
    // The raw cells, exactly: every text cell quoted, formulas neutralised.
    expect(text).toContain(`,"'=HYPERLINK(""http://example.invalid"",""x"")",`);
    expect(text).toContain(',"Crew, ""The Quoted"" One",');
    expect(text).toContain(`,"'+44 Crew",`);
    expect(text).toContain(`,"'-Minus Crew",`);
    expect(text).toContain(`,"'@At Crew",`);
    expect(text).toContain(',"Two\nLines Crew",');
    const rows = parseCsv(text.slice(1));
    const heading = rows.findIndex((cells) => cells[0] === 'Reference');
    expect(rows[heading]).toEqual(['Reference', 'Name', 'Score', 'Band', 'Computed band', 'Confidence', 'Evidenced harm points', 'Assessed harm points', 'Capability points', 'Score as of']);
    const body = rows.slice(heading + 1).filter((cells) => cells.length === 10);
    expect(body).toHaveLength(8);
    const refs = inspect((s) => s.vault!.db.prepare('SELECT reference FROM networks ORDER BY reference').pluck().all());
    expect(body.map((cells) => cells[0])).toEqual(refs);
  }, 60_000);

  it('refuses a missing --out, --purpose or --recipient, a bad format or date, before asking for a passphrase; never prints the list', async () => {
    const missing = await cli(['networks', vaultPath, '--user', ANALYST.name]);
    expect(missing).toEqual({
      code: 64,
      stdout: '',
      stderr:
        'The network list is an export, recorded in the audit log and the export register. Give:\n' +
        '  --format json or --format csv (or an --out file name ending in .json or .csv)\n' +
        '  --out FILE (the new file: a network list is never printed to standard output, where no register could account for it)\n' +
        '  --purpose TEXT (why it is disclosed)\n' +
        '  --recipient TEXT (who receives it)\n',
    });
    const file = join(dir, 'never.json');
    expect(await cli(['networks', vaultPath, '--user', ANALYST.name, '--out', file, '--recipient', 'Borough partnership tasking group'])).toEqual({
      code: 64,
      stdout: '',
      stderr: 'The network list is an export, recorded in the audit log and the export register. Give:\n  --purpose TEXT (why it is disclosed)\n',
    });
    expect(await cli(['networks', vaultPath, '--user', ANALYST.name, '--out', file, '--purpose', 'why', '--recipient', 'Borough partnership tasking group'])).toEqual({ code: 64, stdout: '', stderr: '--purpose: Give the purpose in at least 5 characters.\n' });
    expect((await cli(['networks', vaultPath, '--user', ANALYST.name, '--format', 'xml', '--out', file, ...disclose])).code).toBe(64);
    expect(await cli(['networks', vaultPath, '--user', ANALYST.name, '--format', 'csv', '--out', file, ...disclose])).toEqual({ code: 64, stdout: '', stderr: '--out: A CSV file name ends in .csv.\n' });
    expect(await cli(['networks', vaultPath, '--user', ANALYST.name, '--as-of', '30/06/2026', '--out', file, ...disclose])).toMatchObject({ code: 64, stderr: 'Give --as-of as a real date like 2026-06-30.\n' });
    expect(await cli(['networks', vaultPath, '--user', ANALYST.name, '--passphrase', 'x'])).toMatchObject({ code: 64 });
    expect(existsSync(file)).toBe(false);
  });

  it('an administrator may not export it: refused by the contract\'s roles, nothing written or registered', async () => {
    const file = join(dir, 'admin.json');
    const r = await cli(['networks', vaultPath, '--user', ADMIN.name, '--out', file, ...disclose], as(ADMIN));
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'Your role (administrator) does not allow this. It needs: analyst or supervisor or validator or read_only.\n' });
    expect(existsSync(file)).toBe(false);
    expect(inspect((s) => s.vault!.db.prepare("SELECT count(*) FROM export_register WHERE kind = 'network_list'").pluck().get())).toBe(3);
  }, 60_000);
});
