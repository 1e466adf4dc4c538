/**
 * Every first passphrase is the administrator's, so a user added by an administrator (or given a
 * passphrase with the recovery code) must choose their own before anything else, on real
 * encrypted vaults through the real dispatcher:
 *
 * - they unlock, and every channel but changing the passphrase, checking a new one, locking and
 *   the app's status is refused with one sentence, changing nothing;
 * - app:status and users:list say who has not yet changed theirs; the change lifts the rule at
 *   once and is recorded; the new passphrase must differ from the one they were given;
 * - the creator, the demo vault's synthetic users and the users of a vault from before the rule
 *   are not held back;
 * - the command line refuses such a user too.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CHANNELS, type Channel } from '../../preload/contract';
import { listAudit, readHead } from '../../main/audit/audit';
import { createDispatch, type Dispatch } from '../../main/ipc/handle';
import { handlers } from '../../main/ipc/handlers';
import { createDemoVault } from '../../main/services/demo.service';
import { Session } from '../../main/services/session';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { insertUser } from '../../main/store/users.repo';
import { MIGRATIONS } from '../../main/vault/migrations';
import { Vault } from '../../main/vault/vault';
import { APP_ORIGIN, isAppUrl } from '../../main/window/csp';
import { runCli } from '../helpers/cli-runner';
import { ADMIN, ANALYST, SUPERVISOR, createTestVault, fileHash, keysPathFor, removeDir, sha256, tempDir, testContext, type TestVault } from '../helpers/vault-fixtures';

const dirs: string[] = [];
function track<T extends { dir: string }>(x: T): T {
  dirs.push(x.dir);
  return x;
}
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

const APP = { url: `${APP_ORIGIN}/index.html`, isTopFrame: true };
const ALLOWED = new Set<Channel>(['app:status', 'vault:check-passphrase', 'vault:change-passphrase', 'vault:lock']);
const REFUSED = { ok: false, code: 'passphrase_change_due', message: 'Choose your own passphrase first: the one you have was set by someone else.' };
const CLI_REFUSED = 'Your passphrase was set by someone else. Unlock Harm Matrix on this workstation and choose your own before using the command line.';
const OWN = 'juniper satellite harbour ember 61';

/** Everything a call could change: every table but the log (which the head stands for), the head, and the key file. */
function fingerprint(s: Session, tv: TestVault): string {
  const db = s.vault!.db;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'audit_log' ORDER BY name").pluck().all() as string[]).map((t) =>
    db.prepare(`SELECT * FROM "${t}"`).all(),
  );
  return sha256(JSON.stringify([tables, readHead(db), fileHash(keysPathFor(tv.path))]));
}

/** A vault with the creator and an analyst the creator added, locked; and a dispatcher over a new session. */
function vaultWithAddedAnalyst(label: string): { tv: TestVault; s: Session; dispatch: Dispatch } {
  const tv = track(createTestVault({ label }));
  usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
  vaultService.lock(tv.session, 'manual');
  const s = new Session(tv.ctx);
  return { tv, s, dispatch: createDispatch(s, handlers, isAppUrl) };
}

describe('a user added by an administrator', () => {
  test('can do nothing but change their passphrase, lock and see the status; the change lifts it at once', async () => {
    const { tv, s, dispatch } = vaultWithAddedAnalyst('must-change');
    const unlocked = await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: ANALYST.passphrase }, APP);
    expect(unlocked).toMatchObject({ ok: true, value: { name: ANALYST.name, role: 'analyst', mustChangePassphrase: true } });
    expect(await dispatch('app:status', {}, APP)).toMatchObject({ ok: true, value: { state: 'unlocked', user: { name: ANALYST.name, mustChangePassphrase: true } } });

    const before = fingerprint(s, tv);
    for (const c of CHANNELS) {
      if (ALLOWED.has(c)) continue;
      expect(await dispatch(c, {}, APP), c).toEqual(REFUSED);
    }
    expect(fingerprint(s, tv)).toBe(before);
    expect(await dispatch('vault:check-passphrase', { passphrase: OWN }, APP)).toMatchObject({ ok: true, value: { isAcceptable: true } });

    // The one they were given will not do as their own.
    expect(await dispatch('vault:change-passphrase', { current: ANALYST.passphrase, next: ANALYST.passphrase }, APP)).toEqual({
      ok: false,
      code: 'weak_passphrase',
      message: 'Choose a passphrase different from your current one.',
    });
    expect(await dispatch('vault:change-passphrase', { current: ANALYST.passphrase, next: OWN }, APP)).toEqual({ ok: true, value: { isChanged: true } });
    expect(listAudit(s.vault!.db, { limit: 1 })[0]).toMatchObject({ action: 'key_change', userName: ANALYST.name, summary: 'Passphrase changed by its user, replacing the one someone else chose' });
    expect(await dispatch('app:status', {}, APP)).toMatchObject({ ok: true, value: { user: { name: ANALYST.name } } });
    expect(((await dispatch('app:status', {}, APP)) as { value: { user: object } }).value.user).not.toHaveProperty('mustChangePassphrase');
    expect(await dispatch('networks:list', {}, APP)).toMatchObject({ ok: true });

    // Reopened from disk: the mark is gone for good, the first passphrase opens nothing.
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: ANALYST.passphrase }, APP)).toMatchObject({ ok: false, code: 'wrong_passphrase' });
    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: OWN }, APP)).toEqual({ ok: true, value: expect.not.objectContaining({ mustChangePassphrase: true }) });
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
  });

  test('the Users screen shows who has not yet changed theirs', async () => {
    const { s, dispatch } = vaultWithAddedAnalyst('must-change-list');
    expect(await dispatch('vault:unlock', { userName: ADMIN.name, passphrase: ADMIN.passphrase }, APP)).toMatchObject({ ok: true });
    const list = (await dispatch('users:list', {}, APP)) as { ok: true; value: { name: string; mustChangePassphrase: boolean }[] };
    expect(list.value.map((u) => [u.name, u.mustChangePassphrase])).toEqual([
      [ADMIN.name, false],
      [ANALYST.name, true],
    ]);
    vaultService.lock(s, 'manual');
  });

  test('a wrong current passphrase is refused, and leaves the rule in place', async () => {
    const { s, dispatch } = vaultWithAddedAnalyst('must-change-wrong');
    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: ANALYST.passphrase }, APP)).toMatchObject({ ok: true });
    expect(await dispatch('vault:change-passphrase', { current: 'not what I was given', next: OWN }, APP)).toMatchObject({ ok: false, code: 'wrong_passphrase' });
    expect(await dispatch('settings:get', {}, APP)).toEqual(REFUSED);
    vaultService.lock(s, 'manual');
  });

  test('the command line refuses them too, and says where to change it', async () => {
    const { tv } = vaultWithAddedAnalyst('must-change-cli');
    const r = await runCli(['networks', tv.path, '--user', ANALYST.name, '--out', join(tv.dir, 'list.csv'), '--purpose', 'Tasking meeting', '--recipient', 'Gangs desk'], `${ANALYST.passphrase}\n`, tv.ctx.stateDir);
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'Your passphrase was set by someone else. Unlock Harm Matrix on this workstation and choose your own before using the command line.\n',
    });
  }, 60_000);

  test('vault info --unlock refuses them in the same words, and prints nothing from inside the vault', async () => {
    const { tv } = vaultWithAddedAnalyst('must-change-cli-info');
    const r = await runCli(['vault', 'info', tv.path, '--unlock', '--user', ANALYST.name, '--json'], `${ANALYST.passphrase}\n`, tv.ctx.stateDir);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${CLI_REFUSED}\n` });
    // Unlocked and locked again, both recorded, and nothing else.
    const s = new Session(tv.ctx);
    s.vaultPath = tv.path;
    vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    expect(listAudit(s.vault!.db, { limit: 4 }).map((e) => [e.userName, e.action, e.summary])).toEqual([
      [ADMIN.name, 'unlock', 'Unlocked with passphrase'],
      [ANALYST.name, 'lock', 'Locked (manual)'],
      [ANALYST.name, 'unlock', expect.stringMatching(/^Unlocked with passphrase; this workstation's state folder was set by HARM_MATRIX_STATE_DIR/)],
      [ADMIN.name, 'lock', 'Locked (manual)'],
    ]);
    vaultService.lock(s, 'manual');
  }, 60_000);

  test('restore refuses an administrator whose passphrase someone else chose, before anything is restored', async () => {
    const tv = track(createTestVault({ label: 'must-change-cli-restore' }));
    // A second administrator: the role allows a restore, the passphrase the creator chose does not.
    usersService.add(tv.session, { name: SUPERVISOR.name, role: 'administrator', passphrase: SUPERVISOR.passphrase });
    const backupPath = join(tv.dir, 'backup.hmvault');
    vaultService.backup(tv.session, { path: backupPath });
    vaultService.lock(tv.session, 'manual');
    const backupBytes = [fileHash(backupPath), fileHash(keysPathFor(backupPath))];
    const dest = join(tv.dir, 'restored.hmvault');
    const r = await runCli(['restore', backupPath, dest, '--user', SUPERVISOR.name], `${SUPERVISOR.passphrase}\n`, tv.ctx.stateDir);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${CLI_REFUSED}\n` });
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(keysPathFor(dest))).toBe(false);
    expect(readdirSync(tv.dir).filter((f) => f.startsWith('.harm-matrix-restore-'))).toEqual([]);
    expect([fileHash(backupPath), fileHash(keysPathFor(backupPath))]).toEqual(backupBytes);
    // The workstation still opens the vault it opened before.
    expect(new Session(tv.ctx).vaultPath).toBe(tv.path);
    // The creator, who chose their own, restores it.
    const ok = await runCli(['restore', backupPath, dest, '--user', ADMIN.name], `${ADMIN.passphrase}\n`, tv.ctx.stateDir);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(new Session(tv.ctx).vaultPath).toBe(dest);
  }, 60_000);
});

describe('who is not held back', () => {
  test('the creator, who chose their own passphrase', async () => {
    const tv = track(createTestVault({ label: 'must-change-creator' }));
    vaultService.lock(tv.session, 'manual');
    const s = new Session(tv.ctx);
    const dispatch = createDispatch(s, handlers, isAppUrl);
    const r = await dispatch('vault:unlock', { userName: ADMIN.name, passphrase: ADMIN.passphrase }, APP);
    expect(r).toEqual({ ok: true, value: { id: tv.adminId, name: ADMIN.name, role: 'administrator' } });
    expect(await dispatch('settings:get', {}, APP)).toMatchObject({ ok: true });
    vaultService.lock(s, 'manual');
  });

  test("the demo vault's users: synthetic, and sharing the passphrase their creator chose", async () => {
    const dir = track({ dir: tempDir('must-change-demo') }).dir;
    const s = new Session(testContext(dir));
    createDemoVault(s, { path: join(dir, 'demo.hmvault'), adminName: ADMIN.name, passphrase: ADMIN.passphrase, scale: 'desk' });
    expect(usersService.list(s).map((u) => [u.name, u.mustChangePassphrase])).toEqual([
      [ADMIN.name, false],
      ['Demo Analyst', false],
      ['Demo Supervisor', false],
      ['Demo Validator', false],
    ]);
    vaultService.lock(s, 'manual');
  }, 120_000);

  test('the users of a vault from before the rule: who chose an existing passphrase cannot be known', () => {
    const later = MIGRATIONS.splice(MIGRATIONS.findIndex((m) => m.version === 60));
    expect(later[0]!.version).toBe(60);
    const dir = track({ dir: tempDir('must-change-old') }).dir;
    mkdirSync(join(dir, 'vaults'));
    const ctx = testContext(dir);
    const path = join(dir, 'vaults', 'old.hmvault');
    try {
      let analystId = '';
      const { vault } = Vault.create(ctx, { path, adminName: ADMIN.name, passphrase: ADMIN.passphrase }, (db) => {
        const admin = insertUser(db, { name: ADMIN.name, role: 'administrator', createdBy: null }, ctx.now());
        analystId = insertUser(db, { name: SUPERVISOR.name, role: 'supervisor', createdBy: admin.id }, ctx.now()).id;
        return { userId: admin.id };
      });
      vault.putUserSlot(analystId, SUPERVISOR.name, SUPERVISOR.passphrase);
      vault.close();
    } finally {
      MIGRATIONS.push(...later);
    }
    const s = new Session(ctx);
    s.vaultPath = path;
    const user = vaultService.unlock(s, { userName: SUPERVISOR.name, passphrase: SUPERVISOR.passphrase });
    expect(user).not.toHaveProperty('mustChangePassphrase');
    // Migrated, and this workstation recorded at its first unlock.
    expect(listAudit(s.vault!.db, { entityType: 'workstation' }).map((e) => e.summary)).toEqual(['First unlock from this workstation']);
    expect(listAudit(s.vault!.db, { limit: 1 })[0]!.summary).toBe('Unlocked with passphrase');
    vaultService.lock(s, 'manual');
  });
});

describe('a passphrase set with the recovery code', () => {
  test('must be changed by its user at their next unlock; the recovery session itself is not held back', async () => {
    const { tv, s, dispatch } = vaultWithAddedAnalyst('must-change-recovered');
    // The analyst settles in first.
    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: ANALYST.passphrase }, APP)).toMatchObject({ ok: true });
    expect(await dispatch('vault:change-passphrase', { current: ANALYST.passphrase, next: OWN }, APP)).toMatchObject({ ok: true });
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });

    // Whoever holds the recovery code sets the analyst a passphrase they therefore know.
    const set = 'copper meadow fiddle 61';
    expect(await dispatch('vault:recover', { recoveryCode: tv.recoveryCode, userName: ANALYST.name, newPassphrase: set }, APP)).toEqual({
      ok: true,
      value: expect.not.objectContaining({ mustChangePassphrase: true }),
    });
    expect(await dispatch('settings:get', {}, APP)).toMatchObject({ ok: true });
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });

    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: set }, APP)).toMatchObject({ ok: true, value: { mustChangePassphrase: true } });
    expect(await dispatch('settings:get', {}, APP)).toEqual(REFUSED);
    expect(await dispatch('vault:change-passphrase', { current: set, next: 'harbour violet compass 19' }, APP)).toMatchObject({ ok: true });
    expect(await dispatch('settings:get', {}, APP)).toMatchObject({ ok: true });
    vaultService.lock(s, 'manual');
  });
});
