/**
 * `return corporate` and `return meeting-pack` as performance staff script them: spawned under
 * Node, the passphrase piped on standard input, against the fixture's encrypted vault. The file is
 * written, the export is recorded as a disclosure and in the register, and bad command lines are
 * refused before any passphrase is read.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../main/services/session';
import * as vaultService from '../../main/services/vault.service';
import { ADMIN, READER, SUPERVISOR } from '../helpers/vault-fixtures';
import { addDays, formatUkDate } from '../../preload/contract/dates';
import { ukToday } from '../../preload/contract/uk-time';
import { buildReturnsWorld, type ReturnsWorld } from './returns-fixture';
import { runCli, type Run } from '../helpers/cli-runner';

let w: ReturnsWorld;
let out: string;

function cli(args: string[], stdin = ''): Promise<Run> {
  return runCli(args, stdin, w.tv.ctx.stateDir);
}

/** Open the vault through the services to see what the CLI stored. */
function inspect<T>(fn: (s: Session) => T): T {
  const s = new Session({ ...w.tv.ctx, stateDir: join(w.tv.dir, 'inspect-state'), now: () => new Date() });
  s.vaultPath = w.tv.path;
  vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
  try {
    return fn(s);
  } finally {
    s.closeVault();
  }
}

/** The CLI runs on the real clock: a copy made today is destroyed after 30 days. */
const destroyAfter = () => addDays(ukToday(new Date()), 30);

const purpose = ['--purpose', 'Monthly return to the force performance board', '--recipient', 'Performance and Insight team'];

beforeAll(() => {
  w = buildReturnsWorld('returns-cli');
  out = join(w.tv.dir, 'cli-out');
  mkdirSync(out);
  // The CLI opens the vault itself: release it (the workstation's audit head stays in the state folder).
  w.s.closeVault();
}, 120_000);
afterAll(() => w?.close());

describe('return corporate', () => {
  it('writes the return, prints where and its hash, and records the disclosure and the register row', async () => {
    const file = join(out, 'fy.csv');
    const r = await cli(['return', 'corporate', w.tv.path, '--user', READER.name, '--period', '2025/26', '--format', 'csv', '--rules', 'internal', '--out', file, ...purpose], `${READER.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const bytes = readFileSync(file);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(r.stdout).toBe(
      `Corporate return 2025/26 saved as copy 1: ${file} (${bytes.length.toLocaleString('en-GB')} bytes, SHA-256 ${sha}).\nRecorded as a disclosure to Performance and Insight team in the audit log and the export register.\n` +
        `Destroy after: ${formatUkDate(destroyAfter())} (printed in the file and kept in the register).\n`,
    );
    const text = bytes.toString('utf8');
    expect(text).toContain('\r\n"period_id","2025/26"\r\n');
    expect(text).toContain('\r\n"generated_by","Eve Reader"\r\n');
    expect(text).toContain(`\r\n"destroy_after","${formatUkDate(destroyAfter())}"\r\n`);
    expect(text).toContain('\r\n"Arrests",14\r\n');
    const { row, audit } = inspect((s) => ({
      row: s.vault!.db.prepare('SELECT user_name, kind, period, format, rule_set, copy_number, file_name, bytes, sha256, purpose, recipient, destroy_after FROM export_register').get(),
      audit: s.vault!.db.prepare("SELECT user_name, summary, justification FROM audit_log WHERE action = 'disclose'").all(),
    }));
    expect(row).toEqual({ user_name: 'Eve Reader', kind: 'corporate', period: '2025/26', format: 'csv', rule_set: 'internal-1', copy_number: 1, file_name: 'fy.csv', bytes: bytes.length, sha256: sha, purpose: purpose[1], recipient: purpose[3], destroy_after: destroyAfter() });
    expect(audit).toEqual([{ user_name: 'Eve Reader', summary: 'Corporate return 2025/26 exported as CSV, copy 1 (internal-1 rules), file fy.csv, to Performance and Insight team', justification: purpose[1] }]);
  }, 60_000);

  it('--json prints the result for a script', async () => {
    const file = join(out, 'march.json');
    const r = await cli(['return', 'corporate', w.tv.path, '--user', READER.name, '--period', '2026-03', '--format', 'json', '--rules', 'public', '--out', file, '--json', ...purpose], `${READER.passphrase}\n`);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(result).toEqual({ path: file, fileName: 'march.json', kind: 'corporate', format: 'json', bytes: readFileSync(file).length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), copyNumber: 2, destroyAfter: destroyAfter() });
    expect(JSON.parse(readFileSync(file, 'utf8')).header).toMatchObject({ periodId: '2026-03', ruleSet: { id: 'public-1' }, copyNumber: 2 });
  }, 60_000);

  it('refuses a bad command line before asking for the passphrase, and writes nothing', async () => {
    const file = join(out, 'never.csv');
    const base = ['return', 'corporate', w.tv.path, '--user', READER.name, '--format', 'csv', '--rules', 'internal', '--out', file, ...purpose];
    expect(await cli([...base, '--period', '2025/27'])).toEqual({ code: 64, stdout: '', stderr: '--period: "2025/27" is not a financial year: the second part must be the year after 2025, written 26.\n' });
    expect(await cli(['return', 'corporate', w.tv.path, '--user', READER.name, '--period', '2025/26', '--format', 'csv', '--rules', 'internal', '--out', join(out, 'wrong.xlsx'), ...purpose])).toEqual({ code: 64, stdout: '', stderr: '--out: A CSV file name ends in .csv.\n' });
    expect(await cli([...base.slice(0, -4), '--purpose', 'why', '--recipient', 'Performance and Insight team', '--period', '2025/26'])).toEqual({ code: 64, stdout: '', stderr: '--purpose: Give the purpose in at least 5 characters.\n' });
    expect((await cli([...base, '--period', '2025/26', '--format', 'pdf'])).code).toBe(64);
    expect((await cli(['return', 'corporate', w.tv.path, '--user', READER.name, '--period', '2025/26', '--format', 'csv', '--out', file, ...purpose])).code).toBe(64);
    writeFileSync(join(out, 'taken.csv'), 'x');
    const taken = ['return', 'corporate', w.tv.path, '--user', READER.name, '--period', '2025/26', '--format', 'csv', '--rules', 'internal', '--out', join(out, 'taken.csv'), ...purpose];
    expect(await cli(taken)).toEqual({ code: 2, stdout: '', stderr: `${join(out, 'taken.csv')} already exists. An export never replaces a file: choose a new name.\n` });
    expect(existsSync(file)).toBe(false);
  }, 60_000);
});

describe('return meeting-pack', () => {
  it('a supervisor writes the PDF as of a day; a read-only user is refused the pack', async () => {
    const file = join(out, 'pack.pdf');
    const r = await cli(['return', 'meeting-pack', w.tv.path, '--user', SUPERVISOR.name, '--as-of', '2026-06-30', '--format', 'pdf', '--rules', 'internal', '--out', file, ...purpose], `${SUPERVISOR.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Meeting pack as of 30\/06\/2026 saved as copy 1: /);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const refused = await cli(['return', 'meeting-pack', w.tv.path, '--user', READER.name, '--as-of', '2026-06-30', '--format', 'xlsx', '--rules', 'internal', '--out', join(out, 'reader.xlsx'), ...purpose], `${READER.passphrase}\n`);
    expect(refused).toEqual({ code: 2, stdout: '', stderr: 'The meeting pack is exported by analysts and supervisors.\n' });
    expect(existsSync(join(out, 'reader.xlsx'))).toBe(false);
    expect(inspect((s) => s.vault!.db.prepare("SELECT count(*) FROM export_register WHERE kind = 'meeting_pack'").pluck().get())).toBe(1);
  }, 60_000);

  it('an administrator is refused any return, by the contract\'s roles', async () => {
    const r = await cli(['return', 'corporate', w.tv.path, '--user', ADMIN.name, '--period', '2025/26', '--format', 'csv', '--rules', 'internal', '--out', join(out, 'admin.csv'), ...purpose], `${ADMIN.passphrase}\n`);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'Your role (administrator) does not allow this. It needs: analyst or supervisor or validator or read_only.\n' });
  }, 60_000);
});
