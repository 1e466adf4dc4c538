/**
 * The audit log on a real vault: every write path leaves its entry (exact action, entity and
 * summary, from the log reopened from disk), the append-only triggers hold, and tampering (an
 * altered, deleted or reordered entry, a truncated tail, a vault rolled back to an older copy) is
 * named by verify() at the first broken entry and shown at unlock.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { appendAudit, GENESIS_HASH, listAudit, readExternalHead, readHead, verifyAudit } from '../../main/audit/audit';
import * as auditService from '../../main/services/audit.service';
import { Session } from '../../main/services/session';
import * as settingsService from '../../main/services/settings.service';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import {
  ADMIN,
  ANALYST,
  TestClock,
  caught,
  createTestVault,
  keysPathFor,
  removeDir,
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
});

type Row = [seq: number, at: string, user: string | null, action: string, entityType: string, entityId: string | null, summary: string];

function rows(db: Parameters<typeof listAudit>[0]): Row[] {
  return listAudit(db, {})
    .reverse()
    .map((e) => [e.seq, e.at, e.userName, e.action, e.entityType, e.entityId, e.summary]);
}

describe('every write path leaves its entry', () => {
  test('create, confirm, add, settings, view, backup, change passphrase, remove, rotate, lock, failed unlock, unlock, recover, new recovery code, restore', () => {
    const clock = new TestClock();
    const t = (min: number) => new Date(Date.parse('2026-06-30T09:00:00.000Z') + min * 60_000).toISOString();
    const tv = track(createTestVault({ label: 'audit-paths', ctx: { now: clock.now }, confirm: false }));
    const s = tv.session;
    const vid = s.vault!.vaultId;
    const me = ADMIN.name;
    clock.advance(60_000);
    vaultService.confirmRecovery(s);
    clock.advance(60_000);
    const bob = usersService.add(s, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    // Refused writes leave nothing.
    expect(caught(() => usersService.add(s, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase })).code).toBe('conflict');
    expect(caught(() => usersService.add(s, { name: 'Frank Weak', role: 'analyst', passphrase: 'password1234' })).code).toBe('weak_passphrase');
    expect(caught(() => usersService.remove(s, { userId: tv.adminId, rotateKey: false })).code).toBe('conflict');
    clock.advance(60_000);
    settingsService.update(s, { idleTimeoutMinutes: 10, marking: 'OFFICIAL' });
    clock.advance(60_000);
    settingsService.update(s, { idleTimeoutMinutes: 5, marking: 'SECRET' });
    clock.advance(60_000);
    auditService.list(s, {});
    clock.advance(60_000);
    mkdirSync(join(tv.dir, 'backups'));
    const backupPath = join(tv.dir, 'backups', 'b.hmvault');
    vaultService.backup(s, { path: backupPath });
    clock.advance(60_000);
    const NEW = 'harbour violet compass 19';
    vaultService.changePassphrase(s, { current: ADMIN.passphrase, next: NEW });
    clock.advance(60_000);
    usersService.remove(s, { userId: bob.id, rotateKey: true });
    clock.advance(60_000);
    vaultService.rotateKey(s);
    clock.advance(60_000);
    vaultService.lock(s, 'screen_lock');
    clock.advance(60_000);
    expect(caught(() => vaultService.unlock(s, { userName: me, passphrase: ADMIN.passphrase })).code).toBe('wrong_passphrase');
    clock.advance(60_000);
    vaultService.unlock(s, { userName: me, passphrase: NEW });
    clock.advance(60_000);
    vaultService.lock(s, 'idle');
    clock.advance(60_000);
    vaultService.recover(s, { recoveryCode: tv.recoveryCode, userName: me, newPassphrase: ADMIN.passphrase });
    clock.advance(60_000);
    vaultService.newRecoveryCode(s);
    vaultService.confirmRecovery(s);
    vaultService.lock(s, 'manual');

    // Reopened from disk.
    const s2 = new Session(tv.ctx);
    vaultService.unlock(s2, { userName: me, passphrase: ADMIN.passphrase });
    // Reference data loaded with the vault: one entry naming every set, as stored in the vault.
    const sets = (s2.vault!.db.prepare('SELECT id, version FROM reference_sets ORDER BY rowid').all() as { id: string; version: string }[]).map((r) => `${r.id} ${r.version}`);
    expect(sets.length).toBeGreaterThan(0);
    const expected: Row[] = (
      [
        // The first entry begins signing: the creator's key and the users as they stand.
        [t(0), me, 'key_change', 'audit_log', null, 'Audit signing began with this vault'],
        [t(0), me, 'user_change', 'vault', vid, 'Vault created with an administrator key slot and a recovery slot'],
        [t(0), me, 'alter', 'reference_data', null, `Reference data loaded: ${sets.join(', ')}`],
        [t(0), me, 'user_change', 'user', tv.adminId, 'User added with role administrator'],
        [t(1), me, 'key_change', 'vault', vid, 'Creator confirmed the recovery code is stored'],
        // Each key change's start is signed before the key file is written.
        [t(2), me, 'user_change', 'user', bob.id, 'Key slot made for a new user; its signing key registered'],
        [t(2), me, 'user_change', 'user', bob.id, 'User added with role analyst'],
        [t(3), me, 'alter', 'settings', null, 'Settings changed: marking'],
        [t(4), me, 'alter', 'settings', null, 'Settings changed: idleTimeoutMinutes, marking'],
        [t(5), me, 'consult', 'audit_log', null, 'Audit log viewed'],
        [t(6), me, 'backup', 'vault', vid, 'Encrypted backup written'],
        [t(7), me, 'key_change', 'user', tv.adminId, "Passphrase change started; the new key slot's signing key registered"],
        [t(7), me, 'key_change', 'user', tv.adminId, 'Passphrase changed'],
        [t(8), me, 'user_change', 'user', bob.id, 'User removed (was analyst); key slot deleted'],
        [t(8), me, 'key_change', 'vault', vid, 'Data key rotated and re-sealed to every key slot'],
        [t(9), me, 'key_change', 'vault', vid, 'Data key rotated and re-sealed to every key slot'],
        [t(10), me, 'lock', 'vault', vid, 'Locked (screen lock)'],
        // Summaries give UK time: 09:11 UTC is 10:11 BST.
        [t(12), me, 'failed_unlock', 'vault', vid, '1 failed unlock attempt between 30/06/2026 10:11:00 and 30/06/2026 10:11:00'],
        [t(12), me, 'unlock', 'vault', vid, 'Unlocked with passphrase'],
        [t(13), me, 'lock', 'vault', vid, 'Locked (idle)'],
        // Signed by the recovery code's key, in nobody's name: the code holder acted.
        [t(14), null, 'key_change', 'user', tv.adminId, "Passphrase reset with the recovery code started; the new key slot's signing key registered"],
        [t(14), me, 'unlock', 'vault', vid, 'Unlocked with the recovery code'],
        [t(14), me, 'key_change', 'user', tv.adminId, 'Passphrase reset with the recovery code'],
        // The new code's slot is written beside the old one; the old one goes only once it is confirmed.
        [t(15), me, 'key_change', 'vault', vid, 'New recovery code being issued; its signing key registered'],
        [t(15), me, 'key_change', 'vault', vid, 'New recovery code issued; the previous code works until this one is confirmed as stored'],
        [t(15), me, 'key_change', 'vault', vid, 'New recovery code confirmed as stored; the previous code no longer works'],
        [t(15), me, 'lock', 'vault', vid, 'Locked (manual)'],
        [t(15), me, 'unlock', 'vault', vid, 'Unlocked with passphrase'],
      ] as [string, string | null, string, string, string | null, string][]
    ).map((r, i) => [i + 1, ...r]);
    expect(rows(s2.vault!.db)).toEqual(expected);
    expect(auditService.verify(s2, { full: true })).toMatchObject({ isIntact: true, count: 28, firstBrokenSeq: null, reason: null, beforeSigning: 0, signaturesChecked: 28 });
    // Every entry names its user by id as well as by name, but the recovery code holder's.
    expect(new Set(listAudit(s2.vault!.db, {}).map((e) => e.userId))).toEqual(new Set([tv.adminId, null]));
    // Every entry is signed, each by a key the log registered.
    expect(listAudit(s2.vault!.db, {}).filter((e) => e.signature === null)).toEqual([]);
    vaultService.lock(s2, 'manual');

    // Restore: recorded in the restored copy, after the backup's own entries.
    const restored = join(tv.dir, 'backups', 'restored.hmvault');
    const s3 = new Session(tv.ctx);
    vaultService.restore(s3, { backupPath, destPath: restored, userName: me, passphrase: ADMIN.passphrase });
    expect(rows(s3.vault!.db)).toEqual([...expected.slice(0, 11), [12, t(15), me, 'restore', 'vault', vid, 'Restored from a backup at entry 11']]);
    expect(auditService.verify(s3, { full: true })).toEqual({ isIntact: true, count: 12, firstBrokenSeq: null, reason: null, beforeSigning: 0, signaturesChecked: 12 });
    vaultService.lock(s3, 'manual');
  });

  test('the append-only triggers refuse UPDATE and DELETE', () => {
    const tv = track(createTestVault({ label: 'audit-triggers' }));
    const db = tv.session.vault!.db;
    const before = rows(db);
    expect(() => db.prepare("UPDATE audit_log SET summary = 'edited' WHERE seq = 1").run()).toThrow('audit log is append-only');
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow('audit log is append-only');
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow('audit log is append-only');
    expect(rows(db)).toEqual(before);
    vaultService.lock(tv.session, 'manual');
  });

  test('appendAudit refuses to run outside a transaction, so no entry can commit apart from its write', () => {
    const tv = track(createTestVault({ label: 'audit-tx' }));
    const v = tv.session.vault!;
    expect(() => appendAudit(v.db, v.auditKey, { userId: null, userName: null, action: 'consult', entityType: 'x', entityId: null, summary: 'x' }, new Date())).toThrow(
      'appendAudit must run inside the write transaction',
    );
    // A write that throws takes its entry with it.
    const head = readHead(v.db);
    expect(() =>
      tv.session.write((db, audit) => {
        audit({ action: 'alter', entityType: 'settings', entityId: null, summary: 'about to fail' });
        db.prepare("INSERT INTO users (id, name, role, created_at) VALUES ('x', 'Y Y', 'nobody', 'now')").run();
      }),
    ).toThrow();
    expect(readHead(v.db)).toEqual(head);
    vaultService.lock(tv.session, 'manual');
  });
});

/** A vault with exactly ten entries: create, confirm, then settings changes (idle 2, 3, ...). */
function tenEntries(label: string): TestVault {
  const tv = track(createTestVault({ label }));
  for (let idle = 2; readHead(tv.session.vault!.db).seq < 10; idle++) settingsService.update(tv.session, { idleTimeoutMinutes: idle, marking: 'OFFICIAL-SENSITIVE' });
  expect(readHead(tv.session.vault!.db).seq).toBe(10);
  return tv;
}

/** What an insider with the key (or a tool like sqlcipher with the data key) could do. */
function dropTriggers(db: Parameters<typeof listAudit>[0]): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

describe('tampering is detected at the first broken entry', () => {
  test('an altered summary', () => {
    const tv = tenEntries('tamper-alter');
    const db = tv.session.vault!.db;
    dropTriggers(db);
    db.prepare("UPDATE audit_log SET summary = 'Settings changed: nothing to see' WHERE seq = 5").run();
    expect(auditService.verify(tv.session)).toMatchObject({ isIntact: false, count: 5, firstBrokenSeq: 5, reason: 'entry 5 has been altered' });
    vaultService.lock(tv.session, 'manual');
  });

  test('an altered time, user or hash', () => {
    const tv = tenEntries('tamper-fields');
    const db = tv.session.vault!.db;
    dropTriggers(db);
    db.prepare("UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 7").run();
    expect(auditService.verify(tv.session)).toMatchObject({ isIntact: false, firstBrokenSeq: 7, reason: 'entry 7 has been altered' });
    db.prepare("UPDATE audit_log SET user_name = 'Someone Else' WHERE seq = 3").run();
    expect(auditService.verify(tv.session)).toMatchObject({ isIntact: false, firstBrokenSeq: 3, reason: 'entry 3 has been altered' });
    db.prepare(`UPDATE audit_log SET hash = '${'f'.repeat(64)}' WHERE seq = 1`).run();
    expect(auditService.verify(tv.session)).toMatchObject({ isIntact: false, firstBrokenSeq: 1, reason: 'entry 1 has been altered' });
    vaultService.lock(tv.session, 'manual');
  });

  test('an entry deleted from the middle', () => {
    const tv = tenEntries('tamper-delete');
    const db = tv.session.vault!.db;
    dropTriggers(db);
    db.prepare('DELETE FROM audit_log WHERE seq = 5').run();
    expect(auditService.verify(tv.session)).toMatchObject({ isIntact: false, count: 5, firstBrokenSeq: 5, reason: 'entry 5 is missing' });
    vaultService.lock(tv.session, 'manual');
  });

  test('an entry deleted and the later ones renumbered to close the gap', () => {
    const tv = tenEntries('tamper-renumber');
    const db = tv.session.vault!.db;
    dropTriggers(db);
    db.exec('DELETE FROM audit_log WHERE seq = 5; UPDATE audit_log SET seq = seq - 1 WHERE seq > 5;');
    expect(auditService.verify(tv.session)).toMatchObject({ isIntact: false, count: 5, firstBrokenSeq: 5, reason: 'entry 5 does not follow entry 4' });
    vaultService.lock(tv.session, 'manual');
  });

  test('two entries swapped', () => {
    const tv = tenEntries('tamper-swap');
    const db = tv.session.vault!.db;
    dropTriggers(db);
    db.exec('UPDATE audit_log SET seq = -4 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = 6; UPDATE audit_log SET seq = 6 WHERE seq = -4;');
    expect(auditService.verify(tv.session)).toMatchObject({ isIntact: false, count: 4, firstBrokenSeq: 4, reason: 'entry 4 does not follow entry 3' });
    vaultService.lock(tv.session, 'manual');
  });

  test('the tail truncated while the vault was closed: verify names the first missing entry, unlock warns and records it', () => {
    const tv = tenEntries('tamper-truncate');
    // Closed without a lock entry, so the workstation's head is entry 10.
    tv.session.closeVault();
    const offline = vaultLayerUnlock(tv.dir, tv.path, ADMIN.name, ADMIN.passphrase).vault;
    dropTriggers(offline.db);
    offline.db.prepare('DELETE FROM audit_log WHERE seq > 7').run();
    // Within the vault the chain is whole; only the head kept outside it shows the loss.
    expect(verifyAudit(offline.db, offline.auditKey).isIntact).toBe(true);
    const ext = readExternalHead(tv.ctx.stateDir, offline.vaultId, offline.auditKey);
    expect(ext.status === 'ok' && ext.head.seq).toBe(10);
    expect(verifyAudit(offline.db, offline.auditKey, ext.status === 'ok' ? ext.head : null)).toMatchObject({
      isIntact: false,
      count: 7,
      firstBrokenSeq: 8,
      reason: 'the log ends at entry 7 but this workstation last recorded entry 10: entries were removed or the vault was rolled back to an older copy',
    });
    offline.close();

    const s = new Session(tv.ctx);
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    const warning = 'The audit log ends at entry 7, but this workstation last recorded entry 10: entries were removed or this is an older copy of the vault.';
    expect(s.auditWarning).toBe(warning);
    expect(vaultService.status(s).auditWarning).toBe(warning);
    expect(rows(s.vault!.db).slice(7).map((r) => [r[0], r[3], r[4], r[6]])).toEqual([
      [8, 'unlock', 'audit_log', `Audit head mismatch at unlock: ${warning}`],
      [9, 'unlock', 'vault', 'Unlocked with passphrase'],
    ]);
    // The unlock moved the head on, so the chain verifies again; the finding stands for this session.
    expect(auditService.verify(s)).toMatchObject({ isIntact: false, count: 9, firstBrokenSeq: null, reason: warning });
    vaultService.lock(s, 'manual');
  });

  test('the vault rolled back to an older copy of its files', () => {
    const tv = tenEntries('tamper-rollback');
    const idleThen = settingsService.get(tv.session).idleTimeoutMinutes;
    vaultService.lock(tv.session, 'manual'); // entry 11
    const saved = join(tv.dir, 'saved');
    mkdirSync(saved);
    for (const f of [tv.path, keysPathFor(tv.path)]) copyFileSync(f, join(saved, f === tv.path ? 'v' : 'k'));
    const s = new Session(tv.ctx);
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase }); // 12
    settingsService.update(s, { idleTimeoutMinutes: 30, marking: 'OFFICIAL-SENSITIVE' }); // 13
    settingsService.update(s, { idleTimeoutMinutes: 31, marking: 'OFFICIAL-SENSITIVE' }); // 14
    vaultService.lock(s, 'manual'); // 15
    copyFileSync(join(saved, 'v'), tv.path);
    copyFileSync(join(saved, 'k'), keysPathFor(tv.path));
    for (const side of [`${tv.path}-wal`, `${tv.path}-shm`]) if (existsSync(side)) rmSync(side);

    const offline = vaultLayerUnlock(tv.dir, tv.path, ADMIN.name, ADMIN.passphrase).vault;
    const ext = readExternalHead(tv.ctx.stateDir, offline.vaultId, offline.auditKey);
    expect(verifyAudit(offline.db, offline.auditKey, ext.status === 'ok' ? ext.head : null)).toMatchObject({
      isIntact: false,
      count: 11,
      firstBrokenSeq: 12,
      reason: 'the log ends at entry 11 but this workstation last recorded entry 15: entries were removed or the vault was rolled back to an older copy',
    });
    offline.close();

    const s2 = new Session(tv.ctx);
    vaultService.unlock(s2, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    expect(s2.auditWarning).toBe('The audit log ends at entry 11, but this workstation last recorded entry 15: entries were removed or this is an older copy of the vault.');
    // The older copy's settings, from before the changes made after the copy was taken.
    expect(settingsService.get(s2).idleTimeoutMinutes).toBe(idleThen);
    vaultService.lock(s2, 'manual');
  });

  test('an older copy that has since grown past the recorded head is a different copy', () => {
    const tv = tenEntries('tamper-fork');
    vaultService.lock(tv.session, 'manual'); // 11
    const savedDb = join(tv.dir, 'saved.hmvault');
    copyFileSync(tv.path, savedDb);
    const s = new Session(tv.ctx);
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase }); // 12
    vaultService.lock(s, 'manual'); // 13
    copyFileSync(savedDb, tv.path);
    // The old copy gains entries 12..14 of its own, written with the real key (no head update).
    const opened = vaultLayerUnlock(tv.dir, tv.path, ADMIN.name, ADMIN.passphrase);
    const offline = opened.vault;
    offline.tx((db) => {
      for (let i = 0; i < 3; i++) {
        appendAudit(db, offline.auditKey, { userId: tv.adminId, userName: ADMIN.name, role: 'administrator', action: 'consult', entityType: 'x', entityId: null, summary: 'x' }, new Date(), opened.signer);
      }
    });
    const ext = readExternalHead(tv.ctx.stateDir, offline.vaultId, offline.auditKey);
    expect(verifyAudit(offline.db, offline.auditKey, ext.status === 'ok' ? ext.head : null)).toMatchObject({
      isIntact: false,
      count: 14,
      firstBrokenSeq: 13,
      reason: 'entry 13 differs from the one this workstation recorded: the vault was replaced by a different copy',
    });
    offline.close();
    const s2 = new Session(tv.ctx);
    vaultService.unlock(s2, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    expect(s2.auditWarning).toBe('Audit entry 13 differs from the one this workstation recorded: this is a different copy of the vault.');
    vaultService.lock(s2, 'manual');
  });

  test("an altered record of the head on this workstation is reported at unlock", () => {
    const tv = tenEntries('tamper-head');
    const vaultId = tv.session.vault!.vaultId;
    vaultService.lock(tv.session, 'manual');
    const headFile = join(tv.ctx.stateDir, 'audit-heads', `${vaultId}.json`);
    const head = JSON.parse(readFileSync(headFile, 'utf8')) as { seq: number };
    writeFileSync(headFile, JSON.stringify({ ...head, seq: 3 }));
    const s = new Session(tv.ctx);
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    expect(s.auditWarning).toBe("This workstation's record of the audit log has been altered or damaged.");
    vaultService.lock(s, 'manual');
  });

  test('an untouched log verifies from the genesis hash', () => {
    const tv = tenEntries('tamper-none');
    const first = listAudit(tv.session.vault!.db, {}).at(-1)!;
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(auditService.verify(tv.session)).toMatchObject({ isIntact: true, count: 10, firstBrokenSeq: null, reason: null });
    vaultService.lock(tv.session, 'manual');
  });
});
