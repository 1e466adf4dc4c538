/**
 * Every key derivation runs off the main thread: through the real dispatcher, at a real scrypt
 * cost (N=2^16, r=8: 64 MiB, not the test cost), adding a user, changing a passphrase, issuing a
 * recovery code, resetting a passphrase with the recovery code and creating a vault leave the main
 * thread serving a 5 ms timer while they derive, and what they derived is what is on disk: the
 * vault reopened from its files opens with the new secrets at that cost, fresh salts, and not
 * with the old ones. A derivation on the main thread would hold the timer for the whole of it.
 * Each call's scrypt runs are counted too: every one through the thread pool, none on this thread
 * (an older vault's one calibration included). And as the window keeps working meanwhile, a call
 * whose session was locked, or unlocked by someone else, before its derivation ended changes nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, test, vi } from 'vitest';

/** scrypt runs on this thread (scryptSync) and on the thread pool (scrypt), counted for every module of this file. */
const runs = vi.hoisted(() => ({ onThisThread: 0, onThreadPool: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    scryptSync: (...a: Parameters<typeof real.scryptSync>) => (runs.onThisThread++, real.scryptSync(...a)),
    scrypt: (...a: unknown[]) => (runs.onThreadPool++, (real.scrypt as (...x: unknown[]) => void)(...a)),
  };
});
import { createDispatch, type Dispatch } from '../../main/ipc/handle';
import { handlers } from '../../main/ipc/handlers';
import { Session } from '../../main/services/session';
import * as vaultService from '../../main/services/vault.service';
import type { SessionUser } from '../../preload/contract';
import { measureScryptMs, SCRYPT_TEST } from '../../main/vault/crypto';
import { readMeta } from '../../main/vault/meta';
import { readKeyFile, type Slot } from '../../main/vault/keyfile';
import { APP_ORIGIN, isAppUrl } from '../../main/window/csp';
import { listUsers } from '../../main/store/users.repo';
import { addSettledUser } from '../helpers/user-fixtures';
import { ADMIN, ANALYST, createTestVault, keysPathFor, removeDir, tempDir, testContext } from '../helpers/vault-fixtures';

const APP = { url: `${APP_ORIGIN}/index.html`, isTopFrame: true };
/** A real cost (the app's floor is N=2^17, r=12), small enough for the whole file to run in a few seconds. */
const COST = { N: 2 ** 16, r: 8, p: 1 } as const;
const OWN = 'juniper satellite harbour ember 61';
const RESET = 'copper meadow fiddle 61';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

interface Served<T> {
  result: T;
  /** scrypt runs during the call. */
  onThisThread: number;
  onThreadPool: number;
  elapsedMs: number;
  /** Ticks of a 5 ms timer while the call ran. */
  ticks: number;
  /** The longest the main thread went without serving the timer while the call ran. */
  longestStallMs: number;
}

/** Run a call, counting what a 5 ms timer on this (the main) thread got to do meanwhile. */
async function whileServing<T>(call: () => Promise<T>): Promise<Served<T>> {
  runs.onThisThread = 0;
  runs.onThreadPool = 0;
  const started = performance.now();
  let last = started;
  let longest = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks++;
  }, 5);
  try {
    const result = await call();
    const ended = performance.now();
    longest = Math.max(longest, ended - last);
    return { result, onThisThread: runs.onThisThread, onThreadPool: runs.onThreadPool, elapsedMs: ended - started, ticks, longestStallMs: longest };
  } finally {
    clearInterval(timer);
  }
}

function userSlot(path: string, userId: string): Slot {
  return readKeyFile(keysPathFor(path)).slots.find((s) => s.userId === userId)!;
}

describe('key derivations run off the main thread', () => {
  const dir = tempDir('derive-async');
  dirs.push(dir);
  const ctx = testContext(dir, { kdfCost: COST });
  const path = join(dir, 'unit.hmvault');
  // One derivation on the main thread, at this cost, on this machine now: what a call that derived
  // on the main thread would stall the timer for, at least.
  const oneDerivationMs = measureScryptMs(COST);
  const numbers: string[] = [];
  afterAll(() => console.log(`derivations off the main thread (one derivation ${oneDerivationMs.toFixed(0)} ms on this thread):\n  ${numbers.join('\n  ')}`));

  /**
   * The timer kept coming: the derivations alone would give a free thread about oneDerivationMs / 5
   * ticks each, and on the main thread they give none at all; at least a fifth of that (a busy
   * machine may not schedule this thread for every tick). And every derivation ran on the thread
   * pool, none on this thread (so a call that derives one of its keys here fails too). The longest
   * stall is reported, not judged: it is this thread's own work (the transactions and file
   * writes), and a loaded machine's scheduling.
   */
  function expectServed(label: string, served: Served<unknown>, derivations: number): void {
    numbers.push(`${label.padEnd(24)} ${served.elapsedMs.toFixed(0).padStart(5)} ms, ${String(served.ticks).padStart(3)} ticks, longest stall ${served.longestStallMs.toFixed(0)} ms`);
    expect(served.result, label).toMatchObject({ ok: true });
    expect(served.ticks, label).toBeGreaterThanOrEqual(Math.floor((derivations * oneDerivationMs) / 5 / 5));
    expect({ onThisThread: served.onThisThread, onThreadPool: served.onThreadPool }, label).toEqual({ onThisThread: 0, onThreadPool: derivations });
  }

  const s = new Session(ctx);
  const dispatch: Dispatch = createDispatch(s, handlers, isAppUrl);
  let analystId = '';
  /** The code vault:new-recovery-code issued (confirmed as stored), used by vault:recover. */
  let recoveryCode = '';

  test('vault:create, users:add and vault:new-recovery-code, as the administrator', async () => {
    expectServed('vault:create', await whileServing(() => dispatch('vault:create', { path, adminName: ADMIN.name, passphrase: ADMIN.passphrase }, APP)), 2);
    const adminSlot = readKeyFile(keysPathFor(path)).slots.find((x) => x.kind === 'user')!;
    expect(adminSlot.kdf).toMatchObject({ alg: 'scrypt', ...COST });

    const added = await whileServing(() => dispatch('users:add', { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase }, APP));
    expectServed('users:add', added, 1);
    analystId = (added.result as { value: { id: string } }).value.id;
    const slot = userSlot(path, analystId);
    expect(slot.kdf).toMatchObject({ alg: 'scrypt', ...COST });
    expect(slot.kdf.salt).not.toBe(adminSlot.kdf.salt);

    const before = readKeyFile(keysPathFor(path)).slots.filter((x) => x.kind === 'recovery').map((x) => x.id);
    const issued = await whileServing(() => dispatch('vault:new-recovery-code', {}, APP));
    expectServed('vault:new-recovery-code', issued, 1);
    const recovery = readKeyFile(keysPathFor(path)).slots.filter((x) => x.kind === 'recovery');
    expect(recovery).toHaveLength(2);
    expect(recovery.find((x) => !before.includes(x.id))!.kdf).toMatchObject(COST);
    expect(await dispatch('vault:confirm-recovery', {}, APP)).toEqual({ ok: true, value: { isConfirmed: true } });
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
    recoveryCode = (issued.result as { value: { recoveryCode: string } }).value.recoveryCode;
  }, 20_000);

  test('vault:change-passphrase: the current passphrase checked and the new slot derived, both off the main thread', async () => {
    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: ANALYST.passphrase }, APP)).toMatchObject({ ok: true, value: { mustChangePassphrase: true } });
    const old = userSlot(path, analystId);
    expectServed('vault:change-passphrase', await whileServing(() => dispatch('vault:change-passphrase', { current: ANALYST.passphrase, next: OWN }, APP)), 2);
    const remade = userSlot(path, analystId);
    expect(remade.id).toBe(old.id);
    expect(remade.kdf).toMatchObject(COST);
    expect(remade.kdf.salt).not.toBe(old.kdf.salt);
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });

    // From the files on disk: the old passphrase opens nothing, the new one opens the vault, settled.
    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: ANALYST.passphrase }, APP)).toMatchObject({ ok: false, code: 'wrong_passphrase' });
    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: OWN }, APP)).toEqual({ ok: true, value: { id: analystId, name: ANALYST.name, role: 'analyst' } });

    // A wrong current passphrase: refused and counted, as an unlock's is, and the slot is as it was.
    expect(await dispatch('vault:change-passphrase', { current: 'not what I chose at all', next: RESET }, APP)).toEqual({
      ok: false,
      code: 'wrong_passphrase',
      message: 'Your current passphrase is not right.',
    });
    expect(userSlot(path, analystId)).toEqual(remade);
    const failures = JSON.parse(readFileSync(join(ctx.stateDir, 'unlock-failures.json'), 'utf8')) as Record<string, { count: number }>;
    expect(Object.values(failures).map((f) => f.count)).toEqual([1]);
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
  }, 20_000);

  test('vault:recover: the code checked and the new slot derived, both off the main thread', async () => {
    const old = userSlot(path, analystId);
    expectServed('vault:recover', await whileServing(() => dispatch('vault:recover', { recoveryCode, userName: ANALYST.name, newPassphrase: RESET }, APP)), 2);
    const reset = userSlot(path, analystId);
    expect(reset.id).not.toBe(old.id);
    expect(reset.kdf).toMatchObject(COST);
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: OWN }, APP)).toMatchObject({ ok: false, code: 'wrong_passphrase' });
    expect(await dispatch('vault:unlock', { userName: ANALYST.name, passphrase: RESET }, APP)).toMatchObject({ ok: true, value: { mustChangePassphrase: true } });
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
  }, 20_000);

  test('restore (the command line\'s): one derivation off the main thread serves the check of who restores and both of its unlocks', async () => {
    expect(await dispatch('vault:unlock', { userName: ADMIN.name, passphrase: ADMIN.passphrase }, APP)).toMatchObject({ ok: true });
    const backupPath = join(dir, 'backup.hmvault');
    expect(await dispatch('vault:backup', { path: backupPath }, APP)).toMatchObject({ ok: true });
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
    const dest = join(dir, 'restored.hmvault');
    const checked: SessionUser[] = [];
    const served = await whileServing(async () => ({
      ok: true,
      value: await vaultService.restoreAsync(s, { backupPath, destPath: dest, userName: ADMIN.name, passphrase: ADMIN.passphrase }, (u) => void checked.push(u)),
    }));
    expectServed('restore', served, 1);
    expect(checked).toEqual([{ id: expect.any(String), name: ADMIN.name, role: 'administrator' }]);
    expect(served.result.value).toEqual({ id: checked[0]!.id, name: ADMIN.name, role: 'administrator' });
    expect(s.vault!.path).toBe(dest);
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
    expect(existsSync(keysPathFor(dest))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.harm-matrix-restore-'))).toEqual([]);
    // The restored copy opens from its own files, and is this workstation's vault now.
    expect(await dispatch('vault:unlock', { userName: ADMIN.name, passphrase: ADMIN.passphrase }, APP)).toMatchObject({ ok: true });
    expect(s.vault!.path).toBe(dest);
    expect(await dispatch('vault:lock', {}, APP)).toMatchObject({ ok: true });
  }, 20_000);
});

describe('while a key is derived, the window keeps working, so the session may change under the call', () => {
  test('locked, and unlocked by someone else meanwhile: users:add, vault:new-recovery-code and vault:change-passphrase refuse, changing nothing', async () => {
    const tv = createTestVault({ label: 'derive-async-race' });
    dirs.push(tv.dir);
    addSettledUser(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    vaultService.lock(tv.session, 'manual');
    const dispatch = createDispatch(tv.session, handlers, isAppUrl);
    const refused = { ok: false, code: 'locked', message: 'The vault was locked before this could be done. Nothing was changed; unlock and try again.' };
    const calls: [string, () => Promise<unknown>][] = [
      ['users:add', () => dispatch('users:add', { name: 'Carol Supervisor', role: 'administrator', passphrase: 'amber tundra whistle 28' }, APP)],
      ['vault:new-recovery-code', () => dispatch('vault:new-recovery-code', {}, APP)],
      ['vault:change-passphrase', () => dispatch('vault:change-passphrase', { current: ADMIN.passphrase, next: OWN }, APP)],
    ];
    for (const [label, call] of calls) {
      vaultService.unlock(tv.session, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
      const keys = readFileSync(keysPathFor(tv.path), 'utf8');
      // Asked as the administrator; before the derivation ends, the screen locks and the analyst unlocks.
      const pending = call();
      vaultService.lock(tv.session, 'idle');
      vaultService.unlock(tv.session, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
      const users = listUsers(tv.session.vault!.db);
      expect(await pending, label).toEqual(refused);
      expect(tv.session.user, label).toMatchObject({ name: ANALYST.name, role: 'analyst' });
      expect(listUsers(tv.session.vault!.db), label).toEqual(users);
      expect(readFileSync(keysPathFor(tv.path), 'utf8'), label).toBe(keys);
      vaultService.lock(tv.session, 'manual');
    }
    // The administrator's passphrase is as it was.
    expect(vaultService.unlock(tv.session, { userName: ADMIN.name, passphrase: ADMIN.passphrase })).toMatchObject({ name: ADMIN.name, role: 'administrator' });
    vaultService.lock(tv.session, 'manual');
  });
});

describe('a vault from before the cost was recorded', () => {
  test('calibrates once, off the main thread, at its first new slot, and records the cost it chose', async () => {
    // A floor of SCRYPT_TEST and a short target keep this fast; the rule is the one the app uses.
    const tv = createTestVault({ label: 'derive-async-calibrate', ctx: { kdfCost: { ...SCRYPT_TEST, targetMs: 40 } } });
    dirs.push(tv.dir);
    tv.session.vault!.tx((db) => db.prepare("DELETE FROM meta WHERE key = 'kdf_cost'").run());
    const dispatch = createDispatch(tv.session, handlers, isAppUrl);
    const added = await whileServing(() => dispatch('users:add', { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase }, APP));
    expect(added.result).toMatchObject({ ok: true });
    // The measurement and the slot's own derivation, both on the thread pool.
    expect({ onThisThread: added.onThisThread, onThreadPool: added.onThreadPool }).toEqual({ onThisThread: 0, onThreadPool: 2 });
    const recorded = JSON.parse(readMeta(tv.session.vault!.db, 'kdf_cost')!) as { N: number; r: number; p: number };
    expect(recorded).toMatchObject({ N: SCRYPT_TEST.N, p: 1 });
    expect(recorded.r).toBeGreaterThanOrEqual(SCRYPT_TEST.r);
    const id = (added.result as { value: { id: string } }).value.id;
    expect(userSlot(tv.path, id).kdf).toMatchObject(recorded);
    vaultService.lock(tv.session, 'manual');
  });
});
