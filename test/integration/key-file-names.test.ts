/**
 * The key file names nobody: each user slot keeps a salted hash of its user's name, and the person
 * types their name at unlock. On real vaults through the services (and the dispatcher):
 *
 * - no name is in the file's text after creating, adding a user, a passphrase change, a recovery
 *   reset, a new recovery code, a rotation or a removal, nor in a backup's key file;
 * - a key file from before names were hashed unlocks by the typed name and holds no name after;
 *   its other slots are not remade (no secret was needed);
 * - a typed name matches whatever its case and spacing; a wrong name and a wrong passphrase are
 *   refused in the same words, with the same work, and both count;
 * - adding a user whose name differs from one with a slot only in case or spacing is refused;
 * - the locked status and `vault info` (without --unlock) give no name.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createDispatch } from '../../main/ipc/handle';
import { handlers } from '../../main/ipc/handlers';
import { Session } from '../../main/services/session';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { isSlotNamed, readKeyFile, type KeyFile } from '../../main/vault/keyfile';
import { Vault } from '../../main/vault/vault';
import { APP_ORIGIN, isAppUrl } from '../../main/window/csp';
import { SCRYPT_TEST } from '../../main/vault/crypto';
import { runCli } from '../helpers/cli-runner';
import { ADMIN, ANALYST, SUPERVISOR, caught, createTestVault, keysPathFor, removeDir, type TestVault } from '../helpers/vault-fixtures';

const dirs: string[] = [];
function track(tv: TestVault): TestVault {
  dirs.push(tv.dir);
  return tv;
}
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

const APP = { url: `${APP_ORIGIN}/index.html`, isTopFrame: true };
const NAMES = [ADMIN.name, ANALYST.name, SUPERVISOR.name];

/**
 * The names, or any word of five letters or more of them, in a file's text, in any case. Shorter
 * words and words inside longer runs of letters are left out: random base64 holds them by chance.
 */
function namesIn(text: string): string[] {
  const lower = text.toLowerCase();
  const words = NAMES.flatMap((n) => [n, ...n.split(' ').filter((w) => w.length >= 5)]);
  return words.filter((w) => (w.includes(' ') ? lower.includes(w.toLowerCase()) : new RegExp(`(?<![A-Za-z0-9])${w}(?![A-Za-z0-9])`, 'i').test(text)));
}
const keysText = (path: string) => readFileSync(keysPathFor(path), 'utf8');

function unlockAs(tv: TestVault, name: string, passphrase: string): Session {
  const s = new Session(tv.ctx);
  vaultService.unlock(s, { userName: name, passphrase });
  return s;
}

/** The file as the version before this one wrote it: each user slot's name in clear, no hash. */
function withClearNames(tv: TestVault, names: Map<string, string>): void {
  const keys = readKeyFile(keysPathFor(tv.path));
  const slots = keys.slots.map(({ nameHash: _hash, ...slot }) => ({ ...slot, userName: slot.userId ? (names.get(slot.userId) ?? null) : null }));
  writeFileSync(keysPathFor(tv.path), `${JSON.stringify({ ...keys, slots }, null, 2)}\n`);
}

describe('a key file written by the app names nobody', () => {
  test('after creating, adding users, a passphrase change, a recovery reset, a new recovery code, a rotation, a removal and a backup', () => {
    const tv = track(createTestVault({ label: 'names-none' }));
    expect(namesIn(keysText(tv.path))).toEqual([]);
    const s = tv.session;
    const bob = usersService.add(s, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    usersService.add(s, { name: SUPERVISOR.name, role: 'supervisor', passphrase: SUPERVISOR.passphrase });
    expect(namesIn(keysText(tv.path))).toEqual([]);
    const keys = readKeyFile(keysPathFor(tv.path));
    expect(keys.slots.map((x) => [x.kind, 'userName' in x, x.nameHash !== undefined])).toEqual([
      ['user', false, true],
      ['recovery', false, false],
      ['user', false, true],
      ['user', false, true],
    ]);
    // Each hash answers to its own user's name only.
    const users = keys.slots.filter((x) => x.kind === 'user');
    expect(users.map((x) => NAMES.filter((n) => isSlotNamed(keys.vaultId, x, n)))).toEqual([[ADMIN.name], [ANALYST.name], [SUPERVISOR.name]]);
    vaultService.lock(s, 'manual');

    const b = unlockAs(tv, ANALYST.name, ANALYST.passphrase);
    vaultService.changePassphrase(b, { current: ANALYST.passphrase, next: 'harbour violet compass 19' });
    vaultService.lock(b, 'manual');
    expect(namesIn(keysText(tv.path))).toEqual([]);
    // The remade slot carries its hash on: Bob still unlocks by name with the new passphrase.
    unlockAs(tv, 'bob analyst', 'harbour violet compass 19').closeVault();

    const r = new Session(tv.ctx);
    vaultService.recover(r, { recoveryCode: tv.recoveryCode, userName: ADMIN.name, newPassphrase: 'juniper satellite harbour ember 61' });
    expect(namesIn(keysText(tv.path))).toEqual([]);
    vaultService.changePassphrase(r, { current: 'juniper satellite harbour ember 61', next: ADMIN.passphrase });
    vaultService.newRecoveryCode(r);
    vaultService.rotateKey(r);
    usersService.remove(r, { userId: bob.id, rotateKey: true });
    expect(namesIn(keysText(tv.path))).toEqual([]);
    const backupPath = join(tv.dir, 'vaults', 'copy.hmvault');
    vaultService.backup(r, { path: backupPath });
    expect(namesIn(keysText(backupPath))).toEqual([]);
    vaultService.lock(r, 'manual');
    unlockAs(tv, SUPERVISOR.name, SUPERVISOR.passphrase).closeVault();
  });

  test('the locked status offers no names', () => {
    const tv = track(createTestVault({ label: 'names-status' }));
    vaultService.lock(tv.session, 'manual');
    const status = vaultService.status(new Session(tv.ctx));
    expect(status.state).toBe('locked');
    expect(status).not.toHaveProperty('userNames');
    expect(JSON.stringify(status)).not.toContain(ADMIN.name);
  });
});

describe('a key file from before names were hashed', () => {
  test('unlocks by the typed name, then holds no name; the other slots are only renamed, not remade', () => {
    const tv = track(createTestVault({ label: 'names-older' }));
    const bob = usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    vaultService.lock(tv.session, 'manual');
    withClearNames(tv, new Map([[tv.adminId, ADMIN.name], [bob.id, ANALYST.name]]));
    const before = readKeyFile(keysPathFor(tv.path));
    expect(namesIn(keysText(tv.path))).toEqual([ADMIN.name, 'Alice', 'Admin', ANALYST.name, 'Analyst']);
    // The status of the locked vault does not read them out either.
    expect(JSON.stringify(vaultService.status(new Session(tv.ctx)))).not.toContain(ANALYST.name);

    const s = unlockAs(tv, '  bob   ANALYST ', ANALYST.passphrase);
    expect(s.user).toMatchObject({ id: bob.id, name: ANALYST.name });
    const after = readKeyFile(keysPathFor(tv.path));
    expect(namesIn(keysText(tv.path))).toEqual([]);
    expect(keysText(tv.path)).not.toContain('userName');
    const strip = (k: KeyFile) => k.slots.map(({ userName: _n, nameHash: _h, ...rest }) => rest);
    expect(strip(after)).toEqual(strip(before));
    expect(after.slots.map((x) => (x.kind === 'user' ? [ADMIN.name, ANALYST.name].filter((n) => isSlotNamed(after.vaultId, x, n)) : null))).toEqual([[ADMIN.name], null, [ANALYST.name]]);
    vaultService.lock(s, 'manual');
    unlockAs(tv, ADMIN.name, ADMIN.passphrase).closeVault();
  });

  test('two users whose names were told apart only by spacing (allowed then) each still unlock with their own passphrase', () => {
    const tv = track(createTestVault({ label: 'names-twins' }));
    const bob = usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    const twin = usersService.add(tv.session, { name: 'Rob Analyst', role: 'analyst', passphrase: SUPERVISOR.passphrase });
    vaultService.lock(tv.session, 'manual');
    withClearNames(tv, new Map([[tv.adminId, ADMIN.name], [bob.id, ANALYST.name], [twin.id, 'Bob  Analyst']]));
    const first = unlockAs(tv, 'Bob  Analyst', ANALYST.passphrase);
    expect(first.user!.id).toBe(bob.id);
    first.closeVault();
    const second = unlockAs(tv, 'Bob Analyst', SUPERVISOR.passphrase);
    expect(second.user!.id).toBe(twin.id);
    second.closeVault();
  });

  test('a restored backup whose key file names its users holds no name once restored; the backup is left as it was', () => {
    const tv = track(createTestVault({ label: 'names-restore' }));
    const backupPath = join(tv.dir, 'vaults', 'old.hmvault');
    vaultService.backup(tv.session, { path: backupPath });
    vaultService.lock(tv.session, 'manual');
    withClearNames({ ...tv, path: backupPath }, new Map([[tv.adminId, ADMIN.name]]));
    const backupText = keysText(backupPath);
    const restored = join(tv.dir, 'vaults', 'restored.hmvault');
    const s = new Session(tv.ctx);
    vaultService.restore(s, { backupPath, destPath: restored, userName: 'alice admin', passphrase: ADMIN.passphrase });
    expect(namesIn(keysText(restored))).toEqual([]);
    expect(keysText(backupPath)).toBe(backupText);
    vaultService.lock(s, 'manual');
  });
});

describe('the typed name', () => {
  test('matches whatever its case and spacing, as before', () => {
    const tv = track(createTestVault({ label: 'names-case' }));
    usersService.add(tv.session, { name: 'Élodie Marchand', role: 'analyst', passphrase: ANALYST.passphrase });
    vaultService.lock(tv.session, 'manual');
    for (const typed of ['alice admin', 'ALICE ADMIN', ' Alice  Admin ']) unlockAs(tv, typed, ADMIN.passphrase).closeVault();
    const s = unlockAs(tv, 'ÉLODIE MARCHAND', ANALYST.passphrase);
    expect(s.user!.name).toBe('Élodie Marchand');
    s.closeVault();
  });

  test('a wrong name and a wrong passphrase are refused in the same words, with the same work, and both count', async () => {
    const tv = track(createTestVault({ label: 'names-wrong' }));
    vaultService.lock(tv.session, 'manual');
    const s = new Session(tv.ctx);
    const wrongName = caught(() => vaultService.unlock(s, { userName: 'Mallory Nobody', passphrase: ADMIN.passphrase }));
    const wrongPassphrase = caught(() => vaultService.unlock(s, { userName: ADMIN.name, passphrase: 'granite orbit lantern 48' }));
    expect([wrongName.code, wrongName.message]).toEqual(['wrong_passphrase', 'That name and passphrase do not match. Check them and try again.']);
    expect([wrongPassphrase.code, wrongPassphrase.message]).toEqual([wrongName.code, wrongName.message]);
    // Through the dispatcher, as the unlock screen sees it: identical, and pinned to no field.
    const dispatch = createDispatch(new Session(tv.ctx), handlers, isAppUrl);
    const ctx = { ...tv.ctx, now: () => new Date(Date.now() + 60_000) };
    const later = createDispatch(new Session(ctx), handlers, isAppUrl);
    const byName = await dispatch('vault:unlock', { userName: 'Mallory Nobody', passphrase: ADMIN.passphrase }, APP);
    const byPassphrase = await later('vault:unlock', { userName: ADMIN.name, passphrase: 'granite orbit lantern 48' }, APP);
    expect(byName).toEqual({ ok: false, code: 'wrong_passphrase', message: 'That name and passphrase do not match. Check them and try again.' });
    expect(byPassphrase).toEqual(byName);
    // The same work: an unknown name derives one key (for the first slot), as a known name does for its own.
    const vctx = { stateDir: join(tv.dir, 'derive-state'), now: () => new Date(), kdfCost: SCRYPT_TEST };
    const keys = readKeyFile(keysPathFor(tv.path));
    const unknown = Vault.deriveForUnlockNow(vctx, { path: tv.path, userName: 'Mallory Nobody', secret: 'x' });
    const known = Vault.deriveForUnlockNow(vctx, { path: tv.path, userName: ADMIN.name, secret: 'x' });
    expect([unknown.keys.map((k) => k.slotId), known.keys.map((k) => k.slotId)]).toEqual([[keys.slots[0].id], [keys.slots[0].id]]);
    // All four counted: the next good unlock records them.
    const ok = new Session({ ...tv.ctx, now: () => new Date(Date.now() + 3_600_000) });
    vaultService.unlock(ok, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    const failed = ok.vault!.db.prepare("SELECT summary FROM audit_log WHERE action = 'failed_unlock'").pluck().all() as string[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^4 failed unlock attempts between /);
    vaultService.lock(ok, 'manual');
  });
});

describe('adding a user', () => {
  test('a name that differs from one with a key slot only in case or spacing is refused; the key file is unchanged', () => {
    const tv = track(createTestVault({ label: 'names-dup' }));
    const s = tv.session;
    usersService.add(s, { name: 'Élodie Marchand', role: 'analyst', passphrase: ANALYST.passphrase });
    const before = keysText(tv.path);
    for (const name of ['alice admin', 'Alice  Admin', 'ÉLODIE MARCHAND', 'élodie   marchand']) {
      const e = caught(() => usersService.add(s, { name, role: 'analyst', passphrase: SUPERVISOR.passphrase }));
      expect([name, e.code, e.message]).toEqual([name, 'conflict', 'A user with that name already exists.']);
    }
    expect(keysText(tv.path)).toBe(before);
    expect(usersService.list(s).map((u) => u.name)).toEqual([ADMIN.name, 'Élodie Marchand']);
    // A different name is added.
    usersService.add(s, { name: 'Elodie Marchand', role: 'analyst', passphrase: SUPERVISOR.passphrase });
    vaultService.lock(s, 'manual');
  });
});

describe('vault info', () => {
  test('without unlocking, lists slots by kind, id and date and no name; with --unlock, names come from the users table', async () => {
    const tv = track(createTestVault({ label: 'names-info' }));
    usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    vaultService.lock(tv.session, 'manual');
    const keys = readKeyFile(keysPathFor(tv.path));
    const text = await runCli(['vault', 'info', tv.path], '', tv.ctx.stateDir);
    expect(text.code).toBe(0);
    expect(namesIn(text.stdout)).toEqual([]);
    for (const slot of keys.slots) {
      expect(text.stdout).toContain(`  - ${slot.kind === 'user' ? 'user' : 'recovery code'}, slot ${slot.id.slice(0, 8)}, scrypt N=2^10 r=8 p=1, updated ${slot.updatedAt}, slot format 2`);
    }
    const json = await runCli(['vault', 'info', tv.path, '--json'], '', tv.ctx.stateDir);
    expect(JSON.parse(json.stdout).slots).toEqual(keys.slots.map((x) => ({ kind: x.kind, slotId: x.id, kdf: 'scrypt N=2^10 r=8 p=1', format: 2, updatedAt: x.updatedAt })));
    const unlocked = await runCli(['vault', 'info', tv.path, '--unlock', '--user', 'alice admin'], `${ADMIN.passphrase}\n`, tv.ctx.stateDir);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stdout).toContain(`  - user "${ANALYST.name}", slot ${keys.slots[2].id.slice(0, 8)}, active`);
  });
});
