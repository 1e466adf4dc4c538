/**
 * The vault on real files: create, write, lock, reopen; refusals that leave every file as it was;
 * key slots (passphrase change, recovery, removal, rotation); backup and restore.
 * Every vault here is a real SQLCipher file in a temp folder, created and reopened through the
 * services with SCRYPT_TEST so the suite stays fast.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAudit, listAudit } from '../../main/audit/audit';
import * as auditService from '../../main/services/audit.service';
import { Session } from '../../main/services/session';
import * as settingsService from '../../main/services/settings.service';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { readKeyFile, type Slot } from '../../main/vault/keyfile';
import { Child, disposeChildBundles, helperPath } from '../helpers/child-process';
import type { CrashWriterConfig } from '../helpers/crash-writer';
import {
  ADMIN,
  ANALYST,
  SUPERVISOR,
  TestClock,
  caught,
  createTestVault,
  dataKeyFromSlot,
  fileHash,
  findCanaries,
  flipByte,
  keysPathFor,
  openReadOnlyWithKey,
  slotNames,
  removeDir,
  tempDir,
  testContext,
  vaultLayerUnlock,
  type TestVault,
} from '../helpers/vault-fixtures';

const dirs: string[] = [];
function track(tv: TestVault): TestVault {
  dirs.push(tv.dir);
  return tv;
}
afterAll(() => {
  for (const d of dirs) removeDir(d);
  disposeChildBundles();
});

/** Hashes of every file in the vault's folder except the lock file, which any unlock attempt may create. */
function vaultFiles(path: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of readdirSync(dirname(path)).sort()) {
    if (name.endsWith('.lock') || name.endsWith('.lock-journal')) continue;
    out[name] = fileHash(join(dirname(path), name));
  }
  return out;
}

function unlockAs(tv: TestVault, user: { name: string; passphrase: string }): Session {
  const s = new Session(tv.ctx);
  vaultService.unlock(s, { userName: user.name, passphrase: user.passphrase });
  return s;
}

describe('create, write, lock, reopen', () => {
  test('users, settings and audit entries are all there after reopening from disk', () => {
    const clock = new TestClock();
    const tv = track(createTestVault({ label: 'roundtrip', ctx: { now: clock.now } }));
    const s = tv.session;
    clock.advance(60_000);
    const bob = usersService.add(s, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    const carol = usersService.add(s, { name: SUPERVISOR.name, role: 'supervisor', passphrase: SUPERVISOR.passphrase });
    settingsService.update(s, { idleTimeoutMinutes: 25, marking: 'OFFICIAL' });
    const auditBefore = listAudit(s.vault!.db, {});
    // Signing begins, create (vault, reference data, administrator), confirm, two users added (each
    // slot's key registered, then the user), settings.
    expect(auditBefore.map((e) => e.action).reverse()).toEqual(['key_change', 'user_change', 'alter', 'user_change', 'key_change', 'user_change', 'user_change', 'user_change', 'user_change', 'alter']);
    const n = auditBefore.length;
    vaultService.lock(s, 'manual');
    expect(s.vault).toBeNull();

    // On disk: an encrypted file (no plain SQLite header) and a key file, both owner-only.
    expect(readFileSync(tv.path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(statSync(tv.path).mode & 0o777).toBe(0o600);
    expect(statSync(keysPathFor(tv.path)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(tv.path)).sort()).toEqual(['unit.hmvault', 'unit.hmvault.keys', 'unit.hmvault.lock']);
    const keys = readKeyFile(keysPathFor(tv.path));
    // Each user slot carries a hash of its user's name, never the name (key-file-names.test.ts).
    expect(keys.slots.map((x) => [x.kind, x.userId, x.nameHash !== undefined])).toEqual([
      ['user', tv.adminId, true],
      ['recovery', null, false],
      ['user', bob.id, true],
      ['user', carol.id, true],
    ]);
    expect(keys.generation).toBe(1);
    expect(keys.pending).toBeNull();

    const again = new Session(tv.ctx);
    expect(vaultService.status(again)).toMatchObject({ state: 'locked', vaultPath: tv.path, user: null, settings: null });
    const user = vaultService.unlock(again, { userName: 'alice admin', passphrase: ADMIN.passphrase });
    expect(user).toEqual({ id: tv.adminId, name: ADMIN.name, role: 'administrator' });
    expect(usersService.list(again)).toEqual([
      // The creator chose their own passphrase; the two added by an administrator have not yet changed theirs.
      { id: tv.adminId, name: ADMIN.name, role: 'administrator', createdAt: '2026-06-30T09:00:00.000Z', removedAt: null, unit: '', mustChangePassphrase: false },
      { id: bob.id, name: ANALYST.name, role: 'analyst', createdAt: '2026-06-30T09:01:00.000Z', removedAt: null, unit: '', mustChangePassphrase: true },
      { id: carol.id, name: SUPERVISOR.name, role: 'supervisor', createdAt: '2026-06-30T09:01:00.000Z', removedAt: null, unit: '', mustChangePassphrase: true },
    ]);
    expect(settingsService.get(again)).toEqual({ idleTimeoutMinutes: 25, marking: 'OFFICIAL', restrictedRecords: ['under_18', 'victim_at_risk', 'flagged_nominal', 'handling_c'] });
    const auditAfter = listAudit(again.vault!.db, {});
    // The entries from before, then the lock and this unlock.
    expect(auditAfter.slice(2)).toEqual(auditBefore);
    expect(auditAfter.slice(0, 2).map((e) => [e.seq, e.action, e.summary])).toEqual([
      [n + 2, 'unlock', 'Unlocked with passphrase'],
      [n + 1, 'lock', 'Locked (manual)'],
    ]);
    expect(auditService.verify(again, { full: true })).toEqual({ isIntact: true, count: n + 2, firstBrokenSeq: null, reason: null, beforeSigning: 0, signaturesChecked: n + 2 });
    expect(vaultService.status(again)).toMatchObject({ state: 'unlocked', user, settings: { idleTimeoutMinutes: 25, marking: 'OFFICIAL' }, auditWarning: null, isRecoveryUnconfirmed: false });
    vaultService.lock(again, 'manual');
  });
});

describe('a wrong passphrase', () => {
  test('leaves the vault and key file byte-identical; repeated failures are slowed, persisted, and audited at the next unlock', () => {
    const clock = new TestClock();
    const tv = track(createTestVault({ label: 'wrong', ctx: { now: clock.now } }));
    vaultService.lock(tv.session, 'manual');
    const before = vaultFiles(tv.path);
    expect(Object.keys(before)).toEqual(['unit.hmvault', 'unit.hmvault.keys']);

    const s = new Session(tv.ctx);
    const attempt = (passphrase: string, userName: string = ADMIN.name) => caught(() => vaultService.unlock(s, { userName, passphrase }));
    const first = attempt('granite orbit lantern 48');
    expect([first.code, first.message]).toEqual(['wrong_passphrase', 'That name and passphrase do not match. Check them and try again.']);
    clock.advance(10_000);
    // An unknown name fails the same way, and counts.
    expect(attempt(ADMIN.passphrase, 'Mallory').code).toBe('wrong_passphrase');
    clock.advance(10_000);
    expect(attempt('').code).toBe('wrong_passphrase');
    // Third failure: two free tries, then 2 s.
    const limited = attempt(ADMIN.passphrase);
    expect([limited.code, limited.message, limited.retryAfterSeconds]).toEqual(['rate_limited', 'Too many failed attempts. Wait 2 seconds and try again.', 2]);
    // Persisted on this workstation: a new session (a restarted app) is limited too.
    const restarted = new Session(tv.ctx);
    const limited2 = caught(() => vaultService.unlock(restarted, { userName: ADMIN.name, passphrase: ADMIN.passphrase }));
    expect([limited2.code, limited2.retryAfterSeconds]).toEqual(['rate_limited', 2]);
    clock.advance(1_000);
    const limited3 = attempt(ADMIN.passphrase);
    expect([limited3.code, limited3.message, limited3.retryAfterSeconds]).toEqual(['rate_limited', 'Too many failed attempts. Wait 1 second and try again.', 1]);
    expect(vaultFiles(tv.path)).toEqual(before);

    clock.advance(1_000);
    vaultService.unlock(restarted, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    const recent = listAudit(restarted.vault!.db, { limit: 2 });
    expect(recent.map((e) => [e.action, e.entityType, e.summary, e.userName])).toEqual([
      ['unlock', 'vault', 'Unlocked with passphrase', ADMIN.name],
      // UK time in the summary: 09:00 UTC is 10:00 BST.
      ['failed_unlock', 'vault', '3 failed unlock attempts between 30/06/2026 10:00:00 and 30/06/2026 10:00:20', ADMIN.name],
    ]);
    vaultService.lock(restarted, 'manual');
    // Counting starts again after a successful unlock.
    expect(attempt('granite orbit lantern 48').code).toBe('wrong_passphrase');
    expect(attempt('granite orbit lantern 48').code).toBe('wrong_passphrase');
  });
});

describe('files that are not a usable vault are refused and left untouched', () => {
  let source: TestVault;
  let folder: string;
  beforeAll(() => {
    source = track(createTestVault({ label: 'refuse' }));
    // Enough pages that one in the middle belongs to a table.
    source.session.vault!.tx((db) => {
      db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
      const ins = db.prepare('INSERT INTO filler (body) VALUES (?)');
      for (let i = 0; i < 200; i++) ins.run(randomBytes(1000));
    });
    vaultService.lock(source.session, 'manual');
    folder = join(source.dir, 'bad');
    mkdirSync(folder);
  });

  /** A candidate file with a copy of the real key file beside it, then select and unlock through the services. */
  function tryOpen(name: string, content: Buffer): { select: string | null; unlock: string; message: string; untouched: boolean } {
    const path = join(folder, name);
    writeFileSync(path, content);
    copyFileSync(keysPathFor(source.path), keysPathFor(path));
    const before = vaultFiles(path);
    const s = new Session(testContext(source.dir));
    let select: string | null = null;
    try {
      vaultService.selectVault(s, path);
    } catch (e) {
      select = (e as { code: string }).code;
    }
    s.vaultPath = path;
    const err = caught(() => vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase }));
    expect(s.vault).toBeNull();
    return { select, unlock: err.code, message: err.message, untouched: JSON.stringify(vaultFiles(path)) === JSON.stringify(before) };
  }

  test('zero bytes', () => {
    expect(tryOpen('zero.hmvault', Buffer.alloc(0))).toEqual({
      select: 'not_a_vault',
      unlock: 'not_a_vault',
      message: 'That file is empty, so it is not a vault. It has been left as it was.',
      untouched: true,
    });
  });

  test('random bytes', () => {
    expect(tryOpen('garbage.hmvault', randomBytes(64 * 1024))).toEqual({
      select: null,
      unlock: 'damaged',
      message: 'This file could not be read with the vault key: it is damaged or not a Harm Matrix vault. It has been left as it was.',
      untouched: true,
    });
  });

  test('an unencrypted SQLite database', () => {
    const plainPath = join(source.dir, 'plain.db');
    const db = new Database(plainPath);
    db.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('hello');");
    db.close();
    expect(tryOpen('plain.hmvault', readFileSync(plainPath))).toEqual({
      select: 'not_a_vault',
      unlock: 'not_a_vault',
      message: 'That file is an unencrypted database, not a Harm Matrix vault. It has been left as it was.',
      untouched: true,
    });
  });

  test('one byte flipped in a page in the middle of a real vault', () => {
    const key = dataKeyFromSlot(keysPathFor(source.path), ADMIN.name, ADMIN.passphrase);
    const copy = join(folder, 'probe.hmvault');
    copyFileSync(source.path, copy);
    const db = openReadOnlyWithKey(copy, key);
    const pages = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'filler' ORDER BY pageno").all() as { pageno: number }[]).map((r) => r.pageno);
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    db.close();
    const page = pages[Math.floor(pages.length / 2)];
    const bytes = readFileSync(source.path);
    expect(page).toBeGreaterThan(2);
    expect((page - 1) * pageSize).toBeLessThan(bytes.length);
    const flipped = join(folder, 'flip-src');
    writeFileSync(flipped, bytes);
    flipByte(flipped, (page - 1) * pageSize + 100);
    expect(tryOpen('flipped.hmvault', readFileSync(flipped))).toEqual({
      select: null,
      unlock: 'damaged',
      message: 'The vault file is damaged (its integrity check failed). It has been left as it was; restore it from a backup.',
      untouched: true,
    });
  });

  test('truncated to half its length, and to fewer than 1,024 bytes', () => {
    const bytes = readFileSync(source.path);
    const half = tryOpen('half.hmvault', bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(half.select).toBeNull();
    expect(half.unlock).toBe('damaged');
    expect(half.untouched).toBe(true);
    expect(tryOpen('stub.hmvault', bytes.subarray(0, 600))).toEqual({
      select: 'not_a_vault',
      unlock: 'not_a_vault',
      message: 'That file is too short to be a vault. It has been left as it was.',
      untouched: true,
    });
  });

  test('a missing or damaged key file', () => {
    const path = join(folder, 'nokeys.hmvault');
    copyFileSync(source.path, path);
    const s = new Session(testContext(source.dir));
    expect(caught(() => vaultService.selectVault(s, path)).code).toBe('keys_missing');
    writeFileSync(keysPathFor(path), '{"format":"harm-matrix-keys"');
    expect(caught(() => vaultService.selectVault(s, path)).code).toBe('keys_damaged');
    writeFileSync(keysPathFor(path), JSON.stringify({ format: 'harm-matrix-keys', version: 1, vaultId: 'x', generation: 1, slots: [], pending: null }));
    expect(caught(() => vaultService.selectVault(s, path)).code).toBe('keys_damaged');
    expect(readFileSync(path).equals(readFileSync(source.path))).toBe(true);
  });

  test('a vault written by a newer version (user_version above the newest migration)', () => {
    const tv = track(createTestVault({ label: 'newer' }));
    tv.session.vault!.db.pragma('user_version = 999');
    vaultService.lock(tv.session, 'manual');
    const before = vaultFiles(tv.path);
    const err = caught(() => unlockAs(tv, ADMIN));
    expect([err.code, err.message]).toEqual([
      'newer_version',
      'This vault was saved by a newer version of Harm Matrix. Install that version to open it; the vault has been left as it was.',
    ]);
    expect(vaultFiles(tv.path)).toEqual(before);
  });
});

describe('one process at a time', () => {
  test('a vault held open by another process is refused with in_use and not touched; it opens once that process exits', async () => {
    const tv = track(createTestVault({ label: 'inuse' }));
    vaultService.lock(tv.session, 'manual');
    const cfg: CrashWriterConfig = { mode: 'hold', vaultPath: tv.path, stateDir: tv.ctx.stateDir, userName: ADMIN.name, passphrase: ADMIN.passphrase };
    const child = new Child(helperPath('crash-writer.ts'), { HM_CHILD_CONFIG: JSON.stringify(cfg) });
    try {
      await child.waitFor('READY');
      const before = vaultFiles(tv.path);
      const err = caught(() => unlockAs(tv, ADMIN));
      expect([err.code, err.message]).toEqual(['in_use', 'This vault is already open in another Harm Matrix window or process. Close it there first.']);
      expect(vaultFiles(tv.path)).toEqual(before);
      child.send('exit');
      await child.waitFor('BYE');
      expect((await child.exited).code).toBe(0);
    } finally {
      if (child.proc.exitCode === null) await child.kill();
    }
    const s = unlockAs(tv, ADMIN);
    expect(listAudit(s.vault!.db, { limit: 3 }).map((e) => e.summary)).toEqual(['Unlocked with passphrase', 'Locked (quit)', 'Unlocked with passphrase']);
    vaultService.lock(s, 'manual');
  });

  test('a second session in the same process is refused too', () => {
    const tv = track(createTestVault({ label: 'inuse2' }));
    expect(caught(() => unlockAs(tv, ADMIN)).code).toBe('in_use');
    expect(tv.session.vault!.isOpen).toBe(true);
    vaultService.lock(tv.session, 'manual');
  });
});

describe('never a schema over an existing path', () => {
  test('an existing file, an existing vault, or a stray key file at the path is refused and left as it was', () => {
    const dir = tempDir('exists');
    dirs.push(dir);
    const s = new Session(testContext(dir));
    const create = (path: string) => caught(() => vaultService.createVault(s, { path, adminName: ADMIN.name, passphrase: ADMIN.passphrase }));

    const precious = join(dir, 'precious.hmvault');
    writeFileSync(precious, 'not a vault, but somebody needs it');
    const e1 = create(precious);
    expect([e1.code, e1.message]).toEqual(['exists', 'A vault or file already exists at that location. Choose a new file name.']);
    expect(readFileSync(precious, 'utf8')).toBe('not a vault, but somebody needs it');
    expect(readdirSync(dir).sort()).toEqual(['precious.hmvault']);

    const stray = join(dir, 'stray.hmvault');
    writeFileSync(keysPathFor(stray), '{}');
    expect(create(stray).code).toBe('exists');
    expect(existsSync(stray)).toBe(false);

    const tv = track(createTestVault({ label: 'exists-vault' }));
    vaultService.lock(tv.session, 'manual');
    const before = vaultFiles(tv.path);
    const s2 = new Session(tv.ctx);
    expect(caught(() => vaultService.createVault(s2, { path: tv.path, adminName: 'Someone Else', passphrase: ADMIN.passphrase })).code).toBe('exists');
    expect(vaultFiles(tv.path)).toEqual(before);
    expect(s2.vault).toBeNull();

    expect(create('relative.hmvault').code).toBe('invalid_input');
    expect(create(join(dir, 'wrong-extension.db')).code).toBe('invalid_input');
    expect(create(join(dir, 'missing-folder', 'v.hmvault')).code).toBe('invalid_input');
    expect(readdirSync(dir).sort()).toEqual(['precious.hmvault', 'stray.hmvault.keys']);
  });
});

describe('key slots', () => {
  const NEW_PASSPHRASE = 'harbour violet compass 19';

  test('a passphrase change rewrites only that user slot; the new passphrase unlocks and the old one does not', () => {
    const tv = track(createTestVault({ label: 'change' }));
    usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    const keysPath = keysPathFor(tv.path);
    const before = readKeyFile(keysPath);
    const rawBefore = readFileSync(keysPath);

    const wrong = caught(() => vaultService.changePassphrase(tv.session, { current: 'not my passphrase', next: NEW_PASSPHRASE }));
    expect([wrong.code, wrong.message]).toEqual(['wrong_passphrase', 'Your current passphrase is not right.']);
    const weak = caught(() => vaultService.changePassphrase(tv.session, { current: ADMIN.passphrase, next: 'password1234' }));
    expect(weak.code).toBe('weak_passphrase');
    expect(readFileSync(keysPath).equals(rawBefore)).toBe(true);

    expect(vaultService.changePassphrase(tv.session, { current: ADMIN.passphrase, next: NEW_PASSPHRASE })).toEqual({ isChanged: true });
    const after = readKeyFile(keysPath);
    expect(after.generation).toBe(before.generation);
    expect(after.slots.map((x) => x.id)).toEqual(before.slots.map((x) => x.id));
    const isAdmin = (x: Slot) => x.userId === tv.adminId;
    for (const [i, slot] of after.slots.entries()) {
      if (isAdmin(slot)) continue;
      expect(JSON.stringify(slot)).toBe(JSON.stringify(before.slots[i]));
    }
    const a0 = before.slots.find(isAdmin)!;
    const a1 = after.slots.find(isAdmin)!;
    // Same slot and name, but a new key pair with the data key sealed to it: a kept copy of the old
    // slot unwraps a private key that nothing new is sealed to.
    expect(a1.userName).toBe(a0.userName);
    expect(a1.publicKey).not.toBe(a0.publicKey);
    expect(a1.format).toBe(2);
    expect(a1.kdf.salt).not.toBe(a0.kdf.salt);
    expect(a1.wrappedPrivateKey.ct).not.toBe(a0.wrappedPrivateKey.ct);
    vaultService.lock(tv.session, 'manual');

    expect(caught(() => unlockAs(tv, ADMIN)).code).toBe('wrong_passphrase');
    const s = unlockAs(tv, { name: ADMIN.name, passphrase: NEW_PASSPHRASE });
    expect(s.user!.id).toBe(tv.adminId);
    vaultService.lock(s, 'manual');
    unlockAs(tv, ANALYST).closeVault();
  });

  test('the recovery code unlocks (typed in lower case with spaces) and sets a new passphrase', () => {
    const tv = track(createTestVault({ label: 'recover' }));
    vaultService.lock(tv.session, 'manual');
    expect(tv.recoveryCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
    const s = new Session(tv.ctx);
    const bad = caught(() => vaultService.recover(s, { recoveryCode: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA', userName: ADMIN.name, newPassphrase: NEW_PASSPHRASE }));
    expect([bad.code, bad.message]).toEqual(['wrong_passphrase', 'That recovery code is not right.']);
    const keysBefore = readFileSync(keysPathFor(tv.path));
    const nobody = caught(() => vaultService.recover(s, { recoveryCode: tv.recoveryCode, userName: 'Nobody Here', newPassphrase: NEW_PASSPHRASE }));
    expect([nobody.code, nobody.message]).toEqual(['not_found', 'There is no current user with that name in this vault.']);
    expect(readFileSync(keysPathFor(tv.path)).equals(keysBefore)).toBe(true);

    const typed = tv.recoveryCode.toLowerCase().replaceAll('-', ' ');
    const user = vaultService.recover(s, { recoveryCode: typed, userName: ADMIN.name, newPassphrase: NEW_PASSPHRASE });
    expect(user).toEqual({ id: tv.adminId, name: ADMIN.name, role: 'administrator' });
    vaultService.lock(s, 'manual');
    expect(caught(() => unlockAs(tv, ADMIN)).code).toBe('wrong_passphrase');
    unlockAs(tv, { name: ADMIN.name, passphrase: NEW_PASSPHRASE }).closeVault();
    // The recovery slot itself is unchanged and still works.
    vaultLayerUnlock(tv.dir, tv.path, null, tv.recoveryCode).vault.close();
  });

  test('a name that differs from an existing one only in letter case (accented letters too) is refused, so every user can unlock', () => {
    const tv = track(createTestVault({ label: 'case' }));
    const ulrich = { name: 'Ülrich Öztürk', passphrase: 'lantern quiver pebble 44' };
    usersService.add(tv.session, { name: ulrich.name, role: 'analyst', passphrase: ulrich.passphrase });
    // SQLite's NOCASE folds ASCII only, but unlock matches names by their hash, in lower case (toLowerCase()).
    const twin = caught(() => usersService.add(tv.session, { name: 'ülrich öztürk', role: 'analyst', passphrase: 'meadow falcon zipper 83' }));
    expect([twin.code, twin.message]).toEqual(['conflict', 'A user with that name already exists.']);
    expect(caught(() => usersService.add(tv.session, { name: 'ALICE ADMIN', role: 'analyst', passphrase: 'meadow falcon zipper 83' })).code).toBe('conflict');
    expect(slotNames(keysPathFor(tv.path), [ADMIN.name, ulrich.name])).toEqual([ADMIN.name, null, ulrich.name]);
    vaultService.lock(tv.session, 'manual');
    expect(unlockAs(tv, { name: 'ülrich öztürk', passphrase: ulrich.passphrase }).user!.name).toBe(ulrich.name);
  });

  test('a new recovery code replaces the old one once confirmed: the old code stops working, the new one unlocks', () => {
    const tv = track(createTestVault({ label: 'new-code' }));
    const before = readKeyFile(keysPathFor(tv.path));
    const { recoveryCode } = vaultService.newRecoveryCode(tv.session);
    expect(recoveryCode).not.toBe(tv.recoveryCode);
    expect(vaultService.status(tv.session).isRecoveryUnconfirmed).toBe(true);
    // Written beside the old one; the old one goes only once the new code is confirmed as stored.
    expect(readKeyFile(keysPathFor(tv.path)).slots.filter((x) => x.kind === 'recovery')).toHaveLength(2);
    vaultService.confirmRecovery(tv.session);
    const after = readKeyFile(keysPathFor(tv.path));
    // The user slots are untouched; only the recovery slot is new.
    expect(JSON.stringify(after.slots.filter((x) => x.kind === 'user'))).toBe(JSON.stringify(before.slots.filter((x) => x.kind === 'user')));
    expect(after.slots.filter((x) => x.kind === 'recovery')).toHaveLength(1);
    vaultService.lock(tv.session, 'manual');
    expect(caught(() => vaultLayerUnlock(tv.dir, tv.path, null, tv.recoveryCode)).code).toBe('wrong_passphrase');
    vaultLayerUnlock(tv.dir, tv.path, null, recoveryCode).vault.close();
  });

  test('a removed user cannot unlock, even with a copy of the old key file', () => {
    const tv = track(createTestVault({ label: 'remove' }));
    const bob = usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    const oldKeys = readFileSync(keysPathFor(tv.path));
    expect(usersService.remove(tv.session, { userId: bob.id, rotateKey: false })).toEqual({ isRemoved: true, isKeyRotated: false });
    expect(readKeyFile(keysPathFor(tv.path)).slots.some((x) => x.userId === bob.id)).toBe(false);
    expect(usersService.list(tv.session).find((u) => u.id === bob.id)!.removedAt).not.toBeNull();
    vaultService.lock(tv.session, 'manual');
    expect(caught(() => unlockAs(tv, ANALYST)).code).toBe('wrong_passphrase');

    // The old key file still has Bob's slot (as after a removal that stopped half-way): his row
    // says removed, so he is refused and the stale slot is taken out.
    writeFileSync(keysPathFor(tv.path), oldKeys);
    const err = caught(() => unlockAs(tv, ANALYST));
    expect([err.code, err.message]).toEqual(['user_removed', 'This user no longer has access to the vault.']);
    expect(readKeyFile(keysPathFor(tv.path)).slots.some((x) => x.userId === bob.id)).toBe(false);
    unlockAs(tv, ADMIN).closeVault();
  });

  test('rotation after removal: the old data key no longer opens the file; remaining users and the recovery code do', () => {
    const tv = track(createTestVault({ label: 'rotate' }));
    const bob = usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    usersService.add(tv.session, { name: SUPERVISOR.name, role: 'supervisor', passphrase: SUPERVISOR.passphrase });
    const oldKeysPath = join(tv.dir, 'old.keys');
    copyFileSync(keysPathFor(tv.path), oldKeysPath);
    const oldKey = dataKeyFromSlot(keysPathFor(tv.path), ANALYST.name, ANALYST.passphrase);

    expect(usersService.remove(tv.session, { userId: bob.id, rotateKey: true })).toEqual({ isRemoved: true, isKeyRotated: true });
    const keys = readKeyFile(keysPathFor(tv.path));
    expect(keys.generation).toBe(2);
    expect(keys.pending).toBeNull();
    expect(slotNames(keysPathFor(tv.path), [ADMIN.name, ANALYST.name, SUPERVISOR.name])).toEqual([ADMIN.name, null, SUPERVISOR.name]);
    expect(listAudit(tv.session.vault!.db, { limit: 2 }).map((e) => e.summary)).toEqual([
      'Data key rotated and re-sealed to every key slot',
      'User removed (was analyst); key slot deleted',
    ]);
    vaultService.lock(tv.session, 'manual');
    // No rotation debris beside the vault.
    expect(readdirSync(dirname(tv.path)).sort()).toEqual(['unit.hmvault', 'unit.hmvault.keys', 'unit.hmvault.lock']);

    const oldErr = caught(() => openReadOnlyWithKey(tv.path, oldKey));
    expect(oldErr.code).toBe('damaged');
    // The same via Bob's slot in the saved copy of the old key file.
    const fromCopy = dataKeyFromSlot(oldKeysPath, ANALYST.name, ANALYST.passphrase);
    expect(fromCopy.equals(oldKey)).toBe(true);
    // Control: the current key, from the administrator's slot, does open it.
    const newKey = dataKeyFromSlot(keysPathFor(tv.path), ADMIN.name, ADMIN.passphrase);
    expect(newKey.equals(oldKey)).toBe(false);
    openReadOnlyWithKey(tv.path, newKey).close();

    const s = unlockAs(tv, ADMIN);
    expect(auditService.verify(s).isIntact).toBe(true);
    vaultService.lock(s, 'manual');
    unlockAs(tv, SUPERVISOR).closeVault();
    vaultLayerUnlock(tv.dir, tv.path, null, tv.recoveryCode).vault.close();
    expect(caught(() => unlockAs(tv, ANALYST)).code).toBe('wrong_passphrase');
  });
});

describe('backup and restore', () => {
  test('the backup is encrypted, carries its key file, and restores to a new path that unlocks with the same data', () => {
    const marker = `BackupCanary${randomBytes(6).toString('hex')}`;
    const tv = track(createTestVault({ label: 'backup' }));
    const s = tv.session;
    usersService.add(s, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    settingsService.update(s, { idleTimeoutMinutes: 12, marking: marker });
    const dest = join(tv.dir, 'backups', 'copy.hmvault');
    mkdirSync(dirname(dest));
    const result = vaultService.backup(s, { path: dest });
    expect(result).toEqual({ path: dest, bytes: statSync(dest).size });
    expect(readdirSync(dirname(dest)).sort()).toEqual(['copy.hmvault', 'copy.hmvault.keys']);
    expect(readFileSync(dest).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(findCanaries([dest, keysPathFor(dest)], [marker])).toEqual([]);
    expect(readFileSync(keysPathFor(dest)).equals(readFileSync(keysPathFor(tv.path)))).toBe(true);
    const usersThen = usersService.list(s);
    const auditThen = listAudit(s.vault!.db, {});
    expect(auditThen[0]).toMatchObject({ action: 'backup', entityType: 'vault', summary: 'Encrypted backup written' });
    vaultService.lock(s, 'manual');

    const backupHash = fileHash(dest);
    const restoredPath = join(tv.dir, 'restored', 'back.hmvault');
    mkdirSync(dirname(restoredPath));
    const s2 = new Session(tv.ctx);
    const user = vaultService.restore(s2, { backupPath: dest, destPath: restoredPath, userName: ANALYST.name, passphrase: ANALYST.passphrase });
    expect(user.name).toBe(ANALYST.name);
    expect(s2.vaultPath).toBe(restoredPath);
    // The backup itself is left as it was, with nothing new beside it.
    expect(fileHash(dest)).toBe(backupHash);
    expect(readdirSync(dirname(dest)).sort()).toEqual(['copy.hmvault', 'copy.hmvault.keys']);
    vaultService.lock(s2, 'manual');
    expect(readdirSync(dirname(restoredPath)).sort()).toEqual(['back.hmvault', 'back.hmvault.keys', 'back.hmvault.lock']);

    const s3 = unlockAs({ ...tv, path: restoredPath }, ADMIN);
    expect(usersService.list(s3)).toEqual(usersThen);
    expect(settingsService.get(s3)).toEqual({ idleTimeoutMinutes: 12, marking: marker, restrictedRecords: ['under_18', 'victim_at_risk', 'flagged_nominal', 'handling_c'] });
    const restoredAudit = listAudit(s3.vault!.db, {});
    // Everything up to and including the backup entry, then the restore, its lock, this unlock.
    expect(restoredAudit.slice(-auditThen.length)).toEqual(auditThen);
    expect(restoredAudit.slice(0, 3).map((e) => e.summary)).toEqual([
      'Unlocked with passphrase',
      'Locked (manual)',
      `Restored from a backup at entry ${auditThen[0].seq}`,
    ]);
    expect(auditService.verify(s3)).toMatchObject({ isIntact: true, firstBrokenSeq: null });
    expect(s3.auditWarning).toBeNull();
    vaultService.lock(s3, 'manual');

    // Restoring over an existing path is refused.
    const s4 = new Session(tv.ctx);
    expect(caught(() => vaultService.restore(s4, { backupPath: dest, destPath: restoredPath, userName: ADMIN.name, passphrase: ADMIN.passphrase })).code).toBe('exists');
  });

  test('a refused backup writes no file and no audit entry', () => {
    const tv = track(createTestVault({ label: 'backup-refused' }));
    const s = tv.session;
    const existing = join(tv.dir, 'taken.hmvault');
    writeFileSync(existing, 'already here');
    const head = () => listAudit(s.vault!.db, { limit: 1 })[0].seq;
    const seq = head();
    expect(caught(() => vaultService.backup(s, { path: existing })).code).toBe('exists');
    expect(readFileSync(existing, 'utf8')).toBe('already here');
    expect(caught(() => vaultService.backup(s, { path: 'relative.hmvault' })).code).toBe('invalid_input');
    expect(caught(() => vaultService.backup(s, { path: tv.path })).code).toBe('exists');
    expect(head()).toBe(seq);
    expect(verifyAudit(s.vault!.db, s.vault!.auditKey).isIntact).toBe(true);
    vaultService.lock(s, 'manual');
  });
});
