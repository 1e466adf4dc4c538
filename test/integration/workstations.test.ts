/**
 * Workstation controls that cannot be deleted away, on real encrypted vaults and the state folder
 * on disk (main/services/workstations.service.ts):
 *
 * - the vault remembers each workstation that unlocked it (first and last seen, the audit head and
 *   the count of failed attempts it last reported);
 * - a known workstation whose record of the audit head was deleted, or replaced with an older
 *   one, is a warning at unlock, on screen and in the log;
 * - failed attempts whose record was deleted (unlock-failures.json), and a count of failures that
 *   went backwards (workstation.json replaced), are warnings; a deleted state folder shows as a
 *   new workstation;
 * - HARM_MATRIX_STATE_DIR: the packaged app ignores it, and whenever it is honoured the unlock's
 *   entry says so;
 * - a passphrase change at an unlocked screen is throttled and counted like an unlock;
 * - vault:unlock while unlocked is refused and leaves the session as it was.
 */
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { listAudit, readHead, type AuditEntry } from '../../main/audit/audit';
import { stateDirChoice } from '../../main/app/paths';
import { createDispatch } from '../../main/ipc/handle';
import { handlers } from '../../main/ipc/handlers';
import { Session } from '../../main/services/session';
import * as vaultService from '../../main/services/vault.service';
import { listWorkstations } from '../../main/store/workstations.repo';
import { APP_ORIGIN, isAppUrl } from '../../main/window/csp';
import { ADMIN, TestClock, caught, createTestVault, removeDir, type TestVault } from '../helpers/vault-fixtures';

const dirs: string[] = [];
function track(tv: TestVault): TestVault {
  dirs.push(tv.dir);
  return tv;
}
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

const APP = { url: `${APP_ORIGIN}/index.html`, isTopFrame: true };

function headFile(tv: TestVault): string {
  return join(tv.ctx.stateDir, 'audit-heads', `${tv.session.vault?.vaultId ?? vaultIdOf(tv)}.json`);
}
function vaultIdOf(tv: TestVault): string {
  return (JSON.parse(readFileSync(`${tv.path}.keys`, 'utf8')) as { vaultId: string }).vaultId;
}
const failuresFile = (tv: TestVault) => join(tv.ctx.stateDir, 'unlock-failures.json');
const workstationFile = (tv: TestVault) => join(tv.ctx.stateDir, 'workstation.json');

/** A fresh session on the same workstation (a restarted app), unlocked as the administrator. */
function unlockAgain(tv: TestVault): Session {
  const s = new Session(tv.ctx);
  vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
  return s;
}

/** The entries written by the last unlock, oldest first (everything after the last lock). */
function unlockEntries(s: Session): Pick<AuditEntry, 'action' | 'entityType' | 'summary'>[] {
  const all = listAudit(s.vault!.db, {});
  const lastLock = all.findIndex((e) => e.action === 'lock');
  return all
    .slice(0, lastLock)
    .reverse()
    .map((e) => ({ action: e.action, entityType: e.entityType, summary: e.summary }));
}

function failUnlocks(tv: TestVault, clock: TestClock, n: number): void {
  const s = new Session(tv.ctx);
  for (let i = 0; i < n; i++) {
    clock.advance(301_000);
    expect(caught(() => vaultService.unlock(s, { userName: ADMIN.name, passphrase: `not the passphrase ${i}` })).code).toBe('wrong_passphrase');
  }
}

describe('the vault remembers the workstations that unlocked it', () => {
  test('the creating workstation is its first; each unlock updates when it was last seen, its head and its count of failures', () => {
    const clock = new TestClock();
    const tv = track(createTestVault({ label: 'ws-record', ctx: { now: clock.now } }));
    const id = (JSON.parse(readFileSync(workstationFile(tv), 'utf8')) as { id: string }).id;
    expect(listWorkstations(tv.session.vault!.db)).toEqual([
      { id, firstSeenAt: '2026-06-30T09:00:00.000Z', lastSeenAt: '2026-06-30T09:00:00.000Z', lastHead: expect.objectContaining({ seq: 4 }), failureTotal: 0 },
    ]);
    vaultService.lock(tv.session, 'manual');
    failUnlocks(tv, clock, 2);
    clock.advance(301_000);
    const s = unlockAgain(tv);
    const [record] = listWorkstations(s.vault!.db);
    expect(record).toMatchObject({ id, firstSeenAt: '2026-06-30T09:00:00.000Z', lastSeenAt: new Date(clock.t).toISOString(), failureTotal: 2 });
    expect(record!.lastHead).toEqual(readHead(s.vault!.db));
    // A known workstation with nothing amiss: no warning, and the unlock's entries are as before.
    expect(s.auditWarning).toBeNull();
    expect(unlockEntries(s).map((e) => e.summary)).toEqual([expect.stringMatching(/^2 failed unlock attempts between /), 'Unlocked with passphrase']);
    vaultService.lock(s, 'manual');
  });
});

describe('a record deleted or replaced on a known workstation is a warning at unlock', () => {
  test("this workstation's record of the audit head deleted", () => {
    const tv = track(createTestVault({ label: 'ws-head-deleted' }));
    const head = headFile(tv);
    vaultService.lock(tv.session, 'manual');
    rmSync(head);
    const s = unlockAgain(tv);
    const warning = "This workstation's record of the audit log is missing: it held entry 6 when this workstation last used the vault, so it was deleted.";
    expect(s.auditWarning).toBe(warning);
    expect(vaultService.status(s).auditWarning).toBe(warning);
    expect(unlockEntries(s)).toEqual([
      { action: 'unlock', entityType: 'workstation', summary: `Workstation check at unlock: ${warning}` },
      { action: 'unlock', entityType: 'vault', summary: 'Unlocked with passphrase' },
    ]);
    vaultService.lock(s, 'manual');
  });

  test("this workstation's record of the audit head replaced with an older copy", () => {
    const tv = track(createTestVault({ label: 'ws-head-older' }));
    const head = headFile(tv);
    const older = join(tv.dir, 'older-head.json');
    copyFileSync(head, older);
    vaultService.lock(tv.session, 'manual');
    vaultService.lock(unlockAgain(tv), 'manual');
    copyFileSync(older, head);
    const s = unlockAgain(tv);
    expect(s.auditWarning).toBe("This workstation's record of the audit log is at entry 5, older than the entry 8 it last reported to the vault: it was replaced with an older copy.");
    vaultService.lock(s, 'manual');
  });

  test('failed attempts whose record was deleted (the throttle reset) are reported at the next good unlock', () => {
    const clock = new TestClock();
    const tv = track(createTestVault({ label: 'ws-failures-deleted', ctx: { now: clock.now } }));
    vaultService.lock(tv.session, 'manual');
    failUnlocks(tv, clock, 3);
    // Deleting the throttle's record lifts the slow-down and would erase the attempts.
    rmSync(failuresFile(tv));
    const s = unlockAgain(tv);
    const warning =
      '3 failed attempts counted on this workstation since it last unlocked the vault are missing from its record of failed attempts, which was deleted or reset (so the slow-down after failures was lifted).';
    expect(s.auditWarning).toBe(warning);
    expect(unlockEntries(s)).toEqual([
      { action: 'unlock', entityType: 'workstation', summary: `Workstation check at unlock: ${warning}` },
      { action: 'unlock', entityType: 'vault', summary: 'Unlocked with passphrase' },
    ]);
    vaultService.lock(s, 'manual');
  });

  test("a count of failed attempts that went backwards (this workstation's record replaced)", () => {
    const clock = new TestClock();
    const tv = track(createTestVault({ label: 'ws-count-back', ctx: { now: clock.now } }));
    const saved = readFileSync(workstationFile(tv));
    vaultService.lock(tv.session, 'manual');
    failUnlocks(tv, clock, 3);
    clock.advance(301_000);
    vaultService.lock(unlockAgain(tv), 'manual');
    // Put back the record from before the failures, and the throttle's with it.
    writeFileSync(workstationFile(tv), saved);
    rmSync(failuresFile(tv));
    const s = unlockAgain(tv);
    expect(s.auditWarning).toBe(
      "This workstation's count of failed attempts on this vault went back from 3 to 0 since it last reported it: its record was reset or replaced, and failed attempts may be missing.",
    );
    vaultService.lock(s, 'manual');
  });

  test('a state folder deleted as a whole: the workstation unlocks as a new one, and the log says so', () => {
    const tv = track(createTestVault({ label: 'ws-folder-deleted' }));
    vaultService.lock(tv.session, 'manual');
    const before = (JSON.parse(readFileSync(workstationFile(tv), 'utf8')) as { id: string }).id;
    rmSync(tv.ctx.stateDir, { recursive: true });
    const s = new Session(tv.ctx);
    s.vaultPath = tv.path;
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    const after = (JSON.parse(readFileSync(workstationFile(tv), 'utf8')) as { id: string }).id;
    expect(after).not.toBe(before);
    expect(unlockEntries(s)).toEqual([
      { action: 'unlock', entityType: 'workstation', summary: 'First unlock from this workstation' },
      { action: 'unlock', entityType: 'vault', summary: 'Unlocked with passphrase' },
    ]);
    expect(listWorkstations(s.vault!.db).map((w) => w.id).sort()).toEqual([before, after].sort());
    vaultService.lock(s, 'manual');
  });
});

describe('HARM_MATRIX_STATE_DIR', () => {
  test('the packaged app ignores it; the command line and an unpackaged build honour it', () => {
    const env = { HARM_MATRIX_STATE_DIR: '/tmp/elsewhere' };
    expect(stateDirChoice('linux', env, '/home/ana', { isOverrideHonoured: false })).toEqual({ dir: '/home/ana/.config/harm-matrix', isFromEnvironment: false });
    expect(stateDirChoice('linux', env, '/home/ana')).toEqual({ dir: '/tmp/elsewhere', isFromEnvironment: true });
    expect(stateDirChoice('linux', {}, '/home/ana')).toEqual({ dir: '/home/ana/.config/harm-matrix', isFromEnvironment: false });
  });

  test('whenever it chose the state folder, the unlock entry records it', () => {
    const tv = track(createTestVault({ label: 'ws-env' }));
    vaultService.lock(tv.session, 'manual');
    const s = new Session({ ...tv.ctx, isStateDirFromEnvironment: true });
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    expect(listAudit(s.vault!.db, { limit: 1 })[0]!.summary).toBe(`Unlocked with passphrase; this workstation's state folder was set by HARM_MATRIX_STATE_DIR (${tv.ctx.stateDir})`);
    vaultService.lock(s, 'manual');
  });
});

describe('changing the passphrase at an unlocked screen', () => {
  test('is throttled like an unlock, on the same count, and its failures reach the log at the next good unlock', async () => {
    const clock = new TestClock();
    const tv = track(createTestVault({ label: 'ws-change', ctx: { now: clock.now } }));
    const dispatch = createDispatch(tv.session, handlers, isAppUrl);
    const change = (current: string) => dispatch('vault:change-passphrase', { current, next: 'harbour violet compass 19' }, APP);
    expect(await change('guess number one')).toEqual({ ok: false, code: 'wrong_passphrase', message: 'Your current passphrase is not right.' });
    clock.advance(10_000);
    expect(await change('guess number two')).toMatchObject({ ok: false, code: 'wrong_passphrase' });
    clock.advance(10_000);
    expect(await change('guess number three')).toMatchObject({ ok: false, code: 'wrong_passphrase' });
    // Two free tries, then the same back-off as at the unlock screen, even for the right passphrase.
    expect(await change(ADMIN.passphrase)).toEqual({ ok: false, code: 'rate_limited', message: 'Too many failed attempts. Wait 2 seconds and try again.' });
    vaultService.lock(tv.session, 'manual');
    // The same count holds the unlock screen back too.
    expect(caught(() => unlockAgain(tv)).code).toBe('rate_limited');
    clock.advance(2_000);
    const s = unlockAgain(tv);
    expect(unlockEntries(s).map((e) => [e.action, e.summary])).toEqual([
      ['failed_unlock', '3 failed unlock attempts between 30/06/2026 10:00:00 and 30/06/2026 10:00:20'],
      ['unlock', 'Unlocked with passphrase'],
    ]);
    // The passphrase is unchanged.
    expect(s.auditWarning).toBeNull();
    vaultService.lock(s, 'manual');
  });
});

describe('vault:unlock while unlocked', () => {
  test('is refused with a sentence, and the open session, its log and this workstation are left as they were', async () => {
    const tv = track(createTestVault({ label: 'ws-unlock-twice' }));
    const s = tv.session;
    let reloads = 0;
    s.onLocked = () => void reloads++;
    const dispatch = createDispatch(s, handlers, isAppUrl);
    const vault = s.vault!;
    const head = readHead(vault.db);
    for (const channel of ['vault:unlock', 'vault:recover'] as const) {
      const input = channel === 'vault:unlock' ? { userName: ADMIN.name, passphrase: ADMIN.passphrase } : { recoveryCode: tv.recoveryCode, userName: ADMIN.name, newPassphrase: 'harbour violet compass 19' };
      expect(await dispatch(channel, input, APP)).toEqual({ ok: false, code: 'conflict', message: 'The vault is already unlocked. Lock it first, then unlock again.' });
    }
    expect(s.vault).toBe(vault);
    expect(vault.isOpen).toBe(true);
    expect(s.user).toMatchObject({ name: ADMIN.name });
    expect(readHead(vault.db)).toEqual(head);
    expect(reloads).toBe(0);
    // Locked first, the same unlock goes through, with the lock's entry and the window's reload.
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
    expect(reloads).toBe(1);
    expect(await dispatch('vault:unlock', { userName: ADMIN.name, passphrase: ADMIN.passphrase }, APP)).toMatchObject({ ok: true });
    expect(listAudit(s.vault!.db, { limit: 2 }).map((e) => e.summary)).toEqual(['Unlocked with passphrase', 'Locked (manual)']);
    vaultService.lock(s, 'manual');
  });
});
