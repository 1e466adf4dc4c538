/**
 * The CLI's matrix commands as a script uses them: spawned under Node, passphrases piped on
 * standard input, against real encrypted vaults. `demo` writes the generator's document;
 * `import` checks it and writes it in one go or not at all; `networks` prints every network's
 * score as JSON or CSV (quoted, formulas neutralised) and is audited as a consultation.
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
  it('prints every network with its stored score, bands, confidence and parts as JSON, and the view is audited', async () => {
    const r = await cli(['networks', vaultPath, '--user', ANALYST.name], as(ANALYST));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { marking: string; asOf: string | null; count: number; networks: Record<string, unknown>[] };
    const stored = inspect((s) =>
      s.vault!.db
        .prepare(
          `SELECT n.reference, n.name, s.score, s.effective_band AS band, s.band AS computedBand, s.confidence, s.eh_pts AS ehPts, s.ah_pts AS ahPts, s.cap_pts AS capPts, s.as_of AS asOf
           FROM networks n JOIN network_scores s ON s.network_id = n.id ORDER BY n.reference`,
        )
        .all(),
    );
    expect(out).toEqual({ marking: 'OFFICIAL-SENSITIVE', asOf: null, count: 8, networks: stored });
    const consult = inspect((s) => listAudit(s.vault!.db, { action: 'consult', userName: ANALYST.name }));
    expect(consult.map((e) => e.summary)).toContain('Matrix viewed');
  }, 60_000);

  it('--as-of rescores the view for that date without storing it', async () => {
    const r = await cli(['networks', vaultPath, '--user', ANALYST.name, '--as-of', '2020-01-01'], as(ANALYST));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { asOf: string; networks: { asOf: string; ehPts: number }[] };
    expect(out.asOf).toBe('2020-01-01');
    expect(out.networks.map((n) => n.asOf)).toEqual(out.networks.map(() => '2020-01-01'));
    // Every offence is after 2020: nothing is evidenced yet.
    expect(out.networks.map((n) => n.ehPts)).toEqual(out.networks.map(() => 0));
    expect(inspect((s) => s.vault!.db.prepare("SELECT count(*) FROM network_scores WHERE as_of = '2020-01-01'").pluck().get())).toBe(0);
    const consult = inspect((s) => listAudit(s.vault!.db, { action: 'consult', userName: ANALYST.name }));
    expect(consult[0]!.summary).toBe('Matrix viewed as of 2020-01-01');
  }, 60_000);

  it('as CSV: RFC 4180 quoting, formulas neutralised, one row per network, the marking on stderr', async () => {
    const r = await cli(['networks', vaultPath, '--user', ANALYST.name, '--format', 'csv'], as(ANALYST));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('OFFICIAL-SENSITIVE\n');
    expect(r.stdout.startsWith('reference,name,score,band,computedBand,confidence,ehPts,ahPts,capPts,asOf\r\n')).toBe(true);
    // The raw cells, exactly.
    expect(r.stdout).toContain(`,"'=HYPERLINK(""http://example.invalid"",""x"")",`);
    expect(r.stdout).toContain(',"Crew, ""The Quoted"" One",');
    expect(r.stdout).toContain(",'+44 Crew,");
    expect(r.stdout).toContain(",'-Minus Crew,");
    expect(r.stdout).toContain(",'@At Crew,");
    expect(r.stdout).toContain(',"Two\nLines Crew",');
    const rows = parseCsv(r.stdout);
    const json = JSON.parse((await cli(['networks', vaultPath, '--user', ANALYST.name], as(ANALYST))).stdout) as { networks: Record<string, string | number>[] };
    expect(rows).toHaveLength(1 + 8);
    const header = rows[0]!;
    const body = rows.slice(1).map((cells) => Object.fromEntries(cells.map((c, i) => [header[i], c])));
    const unneutralise = (v: string) => (/^'[=+\-@]/.test(v) ? v.slice(1) : v);
    expect(body.map((b) => ({ ...b, name: unneutralise(b.name!) }))).toEqual(json.networks.map((n) => Object.fromEntries(Object.entries(n).map(([k, v]) => [k, String(v)]))));
    // Numbers are written in full: nothing is lost to rounding.
    expect(body.map((b) => Number(b.score))).toEqual(json.networks.map((n) => n.score));
  }, 60_000);

  it('refuses a bad format or date before asking for a passphrase', async () => {
    expect((await cli(['networks', vaultPath, '--user', ANALYST.name, '--format', 'xml'])).code).toBe(64);
    expect(await cli(['networks', vaultPath, '--user', ANALYST.name, '--as-of', '30/06/2026'])).toMatchObject({ code: 64, stderr: 'Give --as-of as a real date like 2026-06-30.\n' });
    expect(await cli(['networks', vaultPath, '--user', ANALYST.name, '--passphrase', 'x'])).toMatchObject({ code: 64 });
  });
});
