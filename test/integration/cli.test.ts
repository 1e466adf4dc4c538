/**
 * The CLI as a person or script uses it: spawned under Node, passphrases piped on standard input,
 * against real encrypted vaults made by the services at the fast test KDF cost (the CLI reads the
 * cost from each slot, so it unlocks them as it would any vault).
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { listAudit } from '../../main/audit/audit';
import { nodeContext, type AppContext } from '../../main/services/context';
import { Session } from '../../main/services/session';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { SCRYPT_TEST } from '../../main/vault/crypto';
import { readKeyFile } from '../../main/vault/keyfile';
import { latestVersion } from '../../main/vault/migrations';
import { Vault } from '../../main/vault/vault';
import { runCli, type Run } from '../helpers/cli-runner';
import { addSettledUser } from '../helpers/user-fixtures';

const ROOT = resolve(__dirname, '../..');
const ADMIN = { name: 'Alice Admin', passphrase: 'correct horse battery staple 9' };
const ANALYST = { name: 'Bob Analyst', passphrase: 'tangerine orbit lantern 42' };
const SUPERVISOR = { name: 'Sue Supervisor', passphrase: 'violet harbour compass 17' };

let dir: string;
let stateDir: string;
let ctx: AppContext;
let vaultPath: string;

function cli(args: string[], stdin = ''): Promise<Run> {
  return runCli(args, stdin, stateDir);
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function session(): Session {
  return new Session(ctx);
}

/** Make a vault with an administrator, an analyst and a supervisor, and lock it. */
function makeVault(path: string): void {
  const s = session();
  vaultService.createVault(s, { path, adminName: ADMIN.name, passphrase: ADMIN.passphrase });
  vaultService.confirmRecovery(s);
  addSettledUser(s, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
  addSettledUser(s, { name: SUPERVISOR.name, role: 'supervisor', passphrase: SUPERVISOR.passphrase });
  vaultService.lock(s, 'manual');
}

/** Open a vault through the services as the administrator and hand back its audit log, oldest first. */
function auditOf(path: string): ReturnType<typeof listAudit> {
  const s = new Session({ ...ctx, stateDir: join(dir, 'inspect-state') });
  s.vaultPath = path;
  vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
  try {
    return listAudit(s.vault!.db, {}).reverse();
  } finally {
    s.closeVault();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-cli-'));
  stateDir = join(dir, 'state');
  ctx = nodeContext({ stateDir, documentsDir: dir, kdfCost: SCRYPT_TEST });
  vaultPath = join(dir, 'unit.hmvault');
  makeVault(vaultPath);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vault info', () => {
  it('reports the unlock-free facts without reading standard input or changing a file', async () => {
    const before = [sha256(vaultPath), sha256(`${vaultPath}.keys`)];
    const keys = readKeyFile(`${vaultPath}.keys`);
    const r = await cli(['vault', 'info', vaultPath, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({ path: vaultPath, vaultId: keys.vaultId, keyGeneration: 1, isRotationPending: false, unlocked: null });
    // By kind and id: the key file names nobody.
    expect(info.slots.map((s: { kind: string; slotId: string }) => [s.kind, s.slotId])).toEqual(keys.slots.map((s) => [s.kind, s.id]));
    expect(info.slots.map((s: { kind: string }) => s.kind)).toEqual(['user', 'recovery', 'user', 'user']);
    expect(r.stdout).not.toContain(ADMIN.name);
    expect(info.slots[0].kdf).toBe('scrypt N=2^10 r=8 p=1');
    expect(info.files.vault).toEqual({ path: vaultPath, bytes: statSync(vaultPath).size });
    expect(info.files.keys.bytes).toBe(statSync(`${vaultPath}.keys`).size);
    expect([sha256(vaultPath), sha256(`${vaultPath}.keys`)]).toEqual(before);
  });

  it('prints the same facts as text', async () => {
    const r = await cli(['vault', 'info', vaultPath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Vault id         ${readKeyFile(`${vaultPath}.keys`).vaultId}\n`);
    expect(r.stdout).toContain('Key generation   1\n');
    expect(r.stdout).toContain('Key slots        4\n');
    const slots = readKeyFile(`${vaultPath}.keys`).slots;
    expect(r.stdout).toContain(`  - user, slot ${slots[2].id.slice(0, 8)}, scrypt N=2^10 r=8 p=1, updated ${slots[2].updatedAt}, slot format 2\n`);
    expect(r.stdout).toContain(`  - recovery code, slot ${slots[1].id.slice(0, 8)}, scrypt N=2^10 r=8 p=1`);
    expect(r.stdout).not.toContain(ANALYST.name);
  });

  it('with --unlock reads the schema version, users, audit entries and pragmas, and the unlock and lock are audited', async () => {
    const r = await cli(['vault', 'info', vaultPath, '--unlock', '--user', ANALYST.name, '--json'], `${ANALYST.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { unlocked } = JSON.parse(r.stdout);
    expect(unlocked.userVersion).toBe(latestVersion());
    expect(unlocked.users).toEqual({ active: 3, removed: 0 });
    expect(unlocked.pragmas).toEqual({
      cipher: 'sqlcipher',
      legacy: '4',
      hmac_algorithm: '2',
      page_size: '4096',
      journal_mode: 'wal',
      synchronous: '2',
      temp_store: '2',
      foreign_keys: '1',
    });
    const log = auditOf(vaultPath);
    const unlock = log.find((e) => e.seq === unlocked.auditEntries)!;
    // The command line ran with HARM_MATRIX_STATE_DIR (test/helpers/cli-runner.ts): its unlock says so.
    expect(unlock).toMatchObject({
      action: 'unlock',
      userName: ANALYST.name,
      summary: `Unlocked with passphrase; this workstation's state folder was set by HARM_MATRIX_STATE_DIR (${stateDir})`,
    });
    expect(log.find((e) => e.seq === unlocked.auditEntries + 1)).toMatchObject({ action: 'lock', userName: ANALYST.name, summary: 'Locked (manual)' });
    expect(r.stdout + r.stderr).not.toContain(ANALYST.passphrase);
  });

  it('refuses a file that is not a vault, and leaves it as it was', async () => {
    const bogus = join(dir, 'empty.hmvault');
    rmSync(bogus, { force: true });
    mkdirSync(dirname(bogus), { recursive: true });
    copyFileSync('/dev/null', bogus);
    const r = await cli(['vault', 'info', bogus]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('That file is empty, so it is not a vault. It has been left as it was.\n');
    expect(statSync(bogus).size).toBe(0);
  });

  it('unlocks a name however its accents were typed, as the app does (one spelling per name, from the contract)', async () => {
    const path = join(dir, 'accents.hmvault');
    const s = session();
    vaultService.createVault(s, { path, adminName: ADMIN.name, passphrase: ADMIN.passphrase });
    vaultService.confirmRecovery(s);
    addSettledUser(s, { name: 'Zo\u00eb Analyst', role: 'analyst', passphrase: ANALYST.passphrase });
    vaultService.lock(s, 'manual');
    // "ë" as e and a combining diaeresis, as some keyboards and pasted text give it.
    const r = await cli(['vault', 'info', path, '--unlock', '--user', 'Zoe\u0308 Analyst', '--json'], `${ANALYST.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).unlocked.users).toEqual({ active: 2, removed: 0 });
  });
});

describe('passphrases', () => {
  it('are refused on the command line, by name, without echoing the value and before touching anything', async () => {
    const failures = join(stateDir, 'unlock-failures.json');
    const before = existsSync(failures) ? readFileSync(failures, 'utf8') : null;
    for (const args of [
      ['audit', 'verify', vaultPath, '--user', ADMIN.name, '--passphrase', 'hunter2-secret'],
      ['vault', 'info', vaultPath, '--unlock', '--user', ADMIN.name, '--password=hunter2-secret'],
    ]) {
      const r = await cli(args, `${ADMIN.passphrase}\n`);
      expect(r.code).toBe(64);
      expect(r.stderr).toMatch(/^--pass(phrase|word): passphrases are never taken from the command line/);
      expect(r.stdout + r.stderr).not.toContain('hunter2-secret');
    }
    expect(existsSync(failures) ? readFileSync(failures, 'utf8') : null).toBe(before);
  });

  it('must arrive on standard input when it is not a terminal', async () => {
    const r = await cli(['audit', 'verify', vaultPath, '--user', ADMIN.name], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('No passphrase was given. Type it at the prompt, or pipe it on standard input as one line.\n');
  });

  it('a wrong one is refused in plain English, leaves the vault byte-identical and counts against the shared throttle', async () => {
    const before = [sha256(vaultPath), sha256(`${vaultPath}.keys`)];
    const r = await cli(['audit', 'verify', vaultPath, '--user', ADMIN.name], 'not the passphrase\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('That name and passphrase do not match. Check them and try again.\n');
    expect([sha256(vaultPath), sha256(`${vaultPath}.keys`)]).toEqual(before);
    const failures = JSON.parse(readFileSync(join(stateDir, 'unlock-failures.json'), 'utf8'));
    expect(failures[readKeyFile(`${vaultPath}.keys`).vaultId].count).toBe(1);
    // The next good unlock (here, the app's services) records the failure in the audit log.
    const ok = await cli(['vault', 'info', vaultPath, '--unlock', '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(ok.code).toBe(0);
    const log = auditOf(vaultPath);
    expect(log.filter((e) => e.action === 'failed_unlock').map((e) => e.summary)).toEqual([expect.stringMatching(/^1 failed unlock attempt between /)]);
  });

  it('refuses a vault that is open in another process', async () => {
    const s = session();
    s.vaultPath = vaultPath;
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    try {
      const r = await cli(['vault', 'info', vaultPath, '--unlock', '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('This vault is already open in another Harm Matrix window or process. Close it there first.\n');
    } finally {
      vaultService.lock(s, 'manual');
    }
  });
});

describe('audit verify', () => {
  it('exits 0 on an intact log, for an administrator or a supervisor', async () => {
    for (const u of [ADMIN, SUPERVISOR]) {
      const r = await cli(['audit', 'verify', vaultPath, '--user', u.name], `${u.passphrase}\n`);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Audit log intact: \d+ entries, the chain and each vouching signature verified \(\d+ checked\)\.\n$/);
    }
  });

  it('refuses roles the app refuses', async () => {
    const r = await cli(['audit', 'verify', vaultPath, '--user', ANALYST.name], `${ANALYST.passphrase}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Your role (analyst) does not allow this. It needs: administrator or supervisor.\n');
  });

  it('exits 1 and names the first broken entry when an entry is altered', async () => {
    const path = join(dir, 'altered.hmvault');
    makeVault(path);
    const s = session();
    s.vaultPath = path;
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    // Someone holding the key: drop the append-only trigger and rewrite entry 3's summary.
    s.vault!.db.exec('DROP TRIGGER audit_log_no_update');
    s.vault!.db.prepare("UPDATE audit_log SET summary = 'nothing to see' WHERE seq = 3").run();
    s.closeVault();
    const r = await cli(['audit', 'verify', path, '--user', SUPERVISOR.name, '--json'], `${SUPERVISOR.passphrase}\n`);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ isIntact: false, firstBrokenSeq: 3, reason: 'entry 3 has been altered', headWarning: null });
    const text = await cli(['audit', 'verify', path, '--user', SUPERVISOR.name], `${SUPERVISOR.passphrase}\n`);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('Audit log broken at entry 3: entry 3 has been altered.\n');
  });

  it("exits 1 when the vault is an older copy than this workstation's record", async () => {
    const path = join(dir, 'rolled-back.hmvault');
    makeVault(path);
    const snapshot = join(dir, 'snapshot');
    mkdirSync(snapshot);
    copyFileSync(path, join(snapshot, 'v'));
    copyFileSync(`${path}.keys`, join(snapshot, 'k'));
    const s = session();
    s.vaultPath = path;
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    vaultService.lock(s, 'manual');
    copyFileSync(join(snapshot, 'v'), path);
    copyFileSync(join(snapshot, 'k'), `${path}.keys`);
    const r = await cli(['audit', 'verify', path, '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Audit log does not match this workstation's record: The audit log ends at entry \d+, but this workstation last recorded entry \d+/);
  });
});

describe('backup and restore', () => {
  it('backup writes a verified encrypted copy with its key file, for an administrator only', async () => {
    const refused = join(dir, 'refused-backup.hmvault');
    const no = await cli(['backup', vaultPath, refused, '--user', ANALYST.name], `${ANALYST.passphrase}\n`);
    expect(no.code).toBe(2);
    expect(no.stderr).toBe('Your role (analyst) does not allow this. It needs: administrator.\n');
    expect(existsSync(refused)).toBe(false);

    const dest = join(dir, 'backups', 'unit-backup.hmvault');
    mkdirSync(dirname(dest), { recursive: true });
    const r = await cli(['backup', vaultPath, dest, '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Backup written and verified: ${dest} (${statSync(dest).size.toLocaleString('en-GB')} bytes)`);
    expect(readFileSync(dest).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    // The copy opens with another user's passphrase and carries the record of its making.
    const opened = Vault.unlock({ stateDir: join(dir, 'other-state'), now: () => new Date(), kdfCost: SCRYPT_TEST }, { path: dest, userName: ANALYST.name, secret: ANALYST.passphrase });
    try {
      const last = listAudit(opened.vault.db, { limit: 1 })[0];
      expect(last).toMatchObject({ action: 'backup', userName: ADMIN.name, summary: 'Encrypted backup written' });
    } finally {
      opened.vault.close();
    }

    const again = await cli(['backup', vaultPath, dest, '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('A vault or file already exists at that location. Choose a new file name.\n');
  });

  it("restore copies a backup to a new place, verifies it and makes it this workstation's vault, for an administrator only", async () => {
    const media = join(dir, 'media');
    mkdirSync(media);
    const backupPath = join(media, 'for-restore.hmvault');
    const b = await cli(['backup', vaultPath, backupPath, '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(b.code).toBe(0);
    const backupHash = [sha256(backupPath), sha256(`${backupPath}.keys`)];
    // Write-protected media, as far as this user's permissions go.
    chmodSync(backupPath, 0o444);
    chmodSync(`${backupPath}.keys`, 0o444);
    chmodSync(media, 0o555);
    onTestFinished(() => chmodSync(media, 0o755));

    const refused = join(dir, 'refused-restore.hmvault');
    const no = await cli(['restore', backupPath, refused, '--user', SUPERVISOR.name], `${SUPERVISOR.passphrase}\n`);
    expect(no.code).toBe(2);
    expect(no.stderr).toBe('Your role (supervisor) does not allow this. It needs: administrator.\n');
    expect(existsSync(refused)).toBe(false);

    const dest = join(dir, 'restored.hmvault');
    const r = await cli(['restore', backupPath, dest, '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Restored and verified: ${dest}`);
    expect(JSON.parse(readFileSync(join(stateDir, 'config.json'), 'utf8'))).toEqual({ vaultPath: dest });
    // The backup is untouched: same bytes, and nothing (WAL, lock file) made beside it.
    expect([sha256(backupPath), sha256(`${backupPath}.keys`)]).toEqual(backupHash);
    expect(readdirSync(media).sort()).toEqual(['for-restore.hmvault', 'for-restore.hmvault.keys']);
    expect(readdirSync(dir).filter((f) => f.startsWith('.harm-matrix-restore-'))).toEqual([]);
    const log = auditOf(dest);
    expect(log.some((e) => e.action === 'restore' && e.userName === ADMIN.name)).toBe(true);
    const verify = await cli(['audit', 'verify', dest, '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(verify.code).toBe(0);
  });

  it('backup, audit verify and --unlock never change which vault the app opens', async () => {
    const s = session();
    s.vaultPath = join(dir, 'selected-by-the-app.hmvault');
    const r = await cli(['vault', 'info', vaultPath, '--unlock', '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(stateDir, 'config.json'), 'utf8'))).toEqual({ vaultPath: join(dir, 'selected-by-the-app.hmvault') });
  });
});

describe('what the command line prints of untrusted text', () => {
  /** A reference that, printed raw, erases the line and draws a green "Imported" in its place. */
  const ECHO_ANALYST = { name: ANALYST.name, passphrase: 'walnut glacier trumpet 58' };
  const FAKE = '\u001b[2K\r\u001b[32mImported: 500 networks\u001b[0m\u202e';
  const hasRaw = (text: string) => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.test(text);
  let echoPath: string;
  let docPath: string;

  beforeAll(() => {
    echoPath = join(dir, 'echo.hmvault');
    makeVault(echoPath);
    // The analyst chooses their own passphrase, as a user does before using the command line.
    const s = session();
    s.vaultPath = echoPath;
    vaultService.unlock(s, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
    vaultService.changePassphrase(s, { current: ANALYST.passphrase, next: ECHO_ANALYST.passphrase });
    vaultService.lock(s, 'manual');
    docPath = join(dir, 'escape-codes.json');
    writeFileSync(
      docPath,
      JSON.stringify({
        format: 'harm-matrix-import',
        version: 1,
        networks: [{ reference: FAKE, name: 'Crew', type: 'gang', leadBorough: 'E09000001', businessGroup: 'SCD', [`x${FAKE}`]: 1 }],
        people: [{ reference: `P-2026-00001\u009b2J`, name: 'A Person', surname: 'x' }],
      }),
    );
  });

  it('escapes the controls and bidi characters of references and unknown keys in the fault list', async () => {
    const r = await cli(['import', echoPath, docPath, '--user', ECHO_ANALYST.name], `${ECHO_ANALYST.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    expect(hasRaw(r.stdout + r.stderr)).toBe(false);
    const lines = r.stdout.split('\n');
    // Each fault on its own line, the escape sequences shown as text.
    expect(lines).toContain('networks[0] \\u001b[2K\\u000d\\u001b[32mImported: 500 networks\\u001b[0m\\u202e reference: Use a reference like CN-2026-0042.');
    expect(lines).toContain('networks[0] \\u001b[2K\\u000d\\u001b[32mImported: 500 networks\\u001b[0m\\u202e: Unknown field: x\\u001b[2K\\u000d\\u001b[32mImported: 500 networks\\u001b[0m\\u202e.');
    expect(lines).toContain('people[0] P-2026-00001\\u009b2J: Unknown field: surname.');
    expect(lines.filter((l) => l.startsWith('Imported'))).toEqual([]);
  });

  it('--json prints the same faults as JSON that reads back to the exact text, with nothing a terminal acts on', async () => {
    const r = await cli(['import', echoPath, docPath, '--user', ECHO_ANALYST.name, '--json'], `${ECHO_ANALYST.passphrase}\n`);
    expect(r.code).toBe(2);
    expect(hasRaw(r.stdout)).toBe(false);
    const report = JSON.parse(r.stdout) as { errors: { reference?: string }[] };
    expect(report.errors.map((e) => e.reference)).toContain(FAKE);
    expect(report.errors.map((e) => e.reference)).toContain('P-2026-00001\u009b2J');
  });

  it("escapes a user name from the vault in vault info --unlock, and without unlocking prints no name at all", async () => {
    const s = session();
    s.vaultPath = echoPath;
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    try {
      usersService.add(s, { name: `Mallory${FAKE}`, role: 'analyst', passphrase: 'quince tundra whistle 28' });
    } finally {
      vaultService.lock(s, 'manual');
    }
    const plain = await cli(['vault', 'info', echoPath]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('Mallory');
    const r = await cli(['vault', 'info', echoPath, '--unlock', '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(r.code).toBe(0);
    expect(hasRaw(r.stdout)).toBe(false);
    expect(r.stdout).toContain('user "Mallory\\u001b[2K\\u000d\\u001b[32mImported');
    const json = await cli(['vault', 'info', echoPath, '--unlock', '--user', ADMIN.name, '--json'], `${ADMIN.passphrase}\n`);
    expect(hasRaw(json.stdout)).toBe(false);
    expect(JSON.parse(json.stdout).unlocked.keySlots.map((x: { userName: string | null }) => x.userName)).toContain(`Mallory${FAKE}`);
  });

  it("escapes what commander quotes back from the command line", async () => {
    const r = await cli([`frob\u001b[2Knicate`]);
    expect(r.code).toBe(64);
    expect(hasRaw(r.stderr)).toBe(false);
    expect(r.stderr).toContain("unknown command 'frob\\u001b[2Knicate'");
  });

  it('refuses a version nested 200,000 deep with exit 2, before asking for a passphrase, and records nothing', async () => {
    const deep = join(dir, 'deep.json');
    const depth = 200_000;
    writeFileSync(deep, `{"format":"harm-matrix-import","version":${'['.repeat(depth)}${']'.repeat(depth)},"networks":[]}`);
    const before = auditOf(echoPath).length;
    // No passphrase on standard input: asking for one would be refused with a different sentence.
    for (const extra of [[], ['--json']]) {
      const r = await cli(['import', echoPath, deep, '--user', ANALYST.name, ...extra], '');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe('');
      if (extra.length === 0) {
        expect(r.stdout).toBe('document: The document nests lists or objects more than 8 deep; an import document never does.\n1 fault found; nothing was imported.\n');
      } else {
        expect(JSON.parse(r.stdout)).toEqual({ ok: false, isTruncated: false, errors: [{ section: 'document', index: null, message: 'The document nests lists or objects more than 8 deep; an import document never does.' }] });
      }
    }
    // The service refuses it the same way when it is handed such a document after unlocking.
    const s = session();
    s.vaultPath = echoPath;
    vaultService.unlock(s, { userName: ECHO_ANALYST.name, passphrase: ECHO_ANALYST.passphrase });
    try {
      const { importDocument } = await import('../../main/services/import.service');
      const doc = JSON.parse(readFileSync(deep, 'utf8'));
      expect(importDocument(s, doc)).toMatchObject({ ok: false, errors: [{ section: 'document', message: expect.stringMatching(/more than 8 deep/) }] });
    } finally {
      vaultService.lock(s, 'manual');
    }
    // No unlock by the CLI: the analyst's only new entries are the service's unlock and lock above.
    expect(auditOf(echoPath).slice(before).filter((e) => e.userName === ANALYST.name).map((e) => e.action)).toEqual(['unlock', 'lock']);
  }, 60_000);
});

describe('the command line itself', () => {
  it('prints help with the exit codes and exits 0; an unknown command or missing --user is a usage error', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 done, 1 audit log broken, 2 could not be done, 64 wrong usage, 70 unexpected error.');
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
    const noUser = await cli(['audit', 'verify', vaultPath], `${ADMIN.passphrase}\n`);
    expect(noUser.code).toBe(64);
    expect(noUser.stderr).toContain("required option '--user <name>' not specified");
  });

  it('never imports Electron, directly or through anything it imports', () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\s+'([^']+)'|import\('([^']+)'\)|require\('([^']+)'\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
        if (!spec.startsWith('.')) {
          bare.add(spec);
          continue;
        }
        const base = resolve(dirname(file), spec);
        const target = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && statSync(p).isFile());
        if (!target) throw new Error(`cannot resolve ${spec} from ${file}`);
        visit(target);
      }
    };
    visit(join(ROOT, 'main/cli.ts'));
    expect(seen.size).toBeGreaterThan(10);
    const packages = [...bare].filter((s) => !s.startsWith('node:'));
    expect(packages.filter((p) => p === 'electron' || p.startsWith('electron/'))).toEqual([]);
    const allowed = ['commander', 'zod', 'better-sqlite3-multiple-ciphers', '@zxcvbn-ts/core', '@zxcvbn-ts/language-common', 'csv-stringify/sync', 'pdfkit', 'exceljs'];
    for (const p of packages) expect(allowed).toContain(p);
  });
});
