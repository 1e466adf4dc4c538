/**
 * Key slots the vault vouches for, on real encrypted files: each attack is played out the way an
 * insider or someone with write access to the vault's folder would, with the project's own crypto
 * and nothing else than the files on disk. A planted slot, a replaced public key, a removed user's
 * slot or an older copy put back never unlocks and never receives the next data key; a database
 * built around a copied slot is refused ("This key file does not belong to this vault."), at
 * unlock, at the locked screen and at restore; KDF settings the app never writes are refused with
 * a sentence; key changes that stop part-way are finished or undone at the next unlock; a vault
 * from before the registry is registered at its first unlock (trust on first use); backup and
 * restore never write through a link planted at a temp name.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { listAudit } from '../../main/audit/audit';
import * as auditService from '../../main/services/audit.service';
import * as keySlotsService from '../../main/services/key-slots.service';
import { Session } from '../../main/services/session';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { deriveKek, newScryptParams, newSlotKeyPair, randomDataKey, SCRYPT_TEST, sealToPublicKey } from '../../main/vault/crypto';
import { openDatabase } from '../../main/vault/database';
import { KDF_REFUSED, makeSlot, openSlotDataKey, openSlotPrivateKey, readKeyFile, sealForSlot, writeKeyFile, type KeyFile, type Slot } from '../../main/vault/keyfile';
import { writeMeta } from '../../main/vault/meta';
import { MIGRATIONS } from '../../main/vault/migrations';
import { NOT_THIS_VAULT } from '../../main/vault/vault';
import {
  ADMIN,
  ANALYST,
  SUPERVISOR,
  caught,
  createTestVault,
  dataKeyFromSlot,
  keysPathFor,
  legacySlot,
  openReadOnlyWithKey,
  removeDir,
  tempDir,
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

const MALLORY_SECRET = 'mallory owns this slot 99';
/** A planted recovery slot's secret has the shape of a recovery code (what the unlock screen accepts). */
const MALLORY_CODE = 'MMMMM-AAAAA-22222-XXXXX-99999-RRRRR';
const b64 = (b: Buffer) => b.toString('base64');

function unlockAs(tv: TestVault, user: { name: string; passphrase: string }): Session {
  const s = new Session(tv.ctx);
  vaultService.unlock(s, { userName: user.name, passphrase: user.passphrase });
  return s;
}

function keysOf(tv: TestVault): KeyFile {
  return readKeyFile(keysPathFor(tv.path));
}

/** What someone with write access and a text editor does: add a slot to the JSON, no app code involved in the write. */
function appendSlot(tv: TestVault, slot: Slot): void {
  const raw = JSON.parse(readFileSync(keysPathFor(tv.path), 'utf8')) as KeyFile;
  raw.slots.push(slot);
  writeFileSync(keysPathFor(tv.path), JSON.stringify(raw, null, 2));
}

function replaceSlot(tv: TestVault, id: string, fn: (s: Slot) => Slot): void {
  const raw = JSON.parse(readFileSync(keysPathFor(tv.path), 'utf8')) as KeyFile;
  raw.slots = raw.slots.map((s) => (s.id === id ? fn(s) : s));
  writeFileSync(keysPathFor(tv.path), JSON.stringify(raw, null, 2));
}

/** A slot made by the attacker under their own secret, sealing whatever data key they hold. */
function attackerSlot(vaultId: string, kind: 'user' | 'recovery', userId: string | null, userName: string | null, dataKey: Buffer, generation: number): Slot {
  return makeSlot({ vaultId, kind, userId, userName, secret: kind === 'recovery' ? MALLORY_CODE : MALLORY_SECRET, dataKey, generation, kdfCost: SCRYPT_TEST, commitKey: randomBytes(32), now: new Date() });
}

/** Every data key the attacker's secret opens in a key file, current or pending. */
function keysTheAttackerGets(keys: KeyFile): Buffer[] {
  const out: Buffer[] = [];
  for (const slot of keys.slots) {
    const priv = openSlotPrivateKey(keys.vaultId, slot, MALLORY_SECRET) ?? openSlotPrivateKey(keys.vaultId, slot, MALLORY_CODE);
    if (!priv) continue;
    const k = openSlotDataKey(keys.vaultId, slot, priv, keys.generation);
    if (k) out.push(k);
  }
  return out;
}

const slotEntries = (s: Session) => listAudit(s.vault!.db, {}).filter((e) => e.entityType === 'key_slot');

describe('a planted slot', () => {
  test('a recovery slot planted by a user who is then removed receives no new data key at the rotation', () => {
    const tv = track(createTestVault({ label: 'plant-rotate' }));
    const bob = usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    // Bob, while he still has access, knows the data key and plants a recovery slot of his own.
    const current = dataKeyFromSlot(keysPathFor(tv.path), ANALYST.name, ANALYST.passphrase);
    const planted = attackerSlot(tv.session.vault!.vaultId, 'recovery', null, null, current, keysOf(tv).generation);
    appendSlot(tv, planted);
    expect(keysOf(tv).slots.filter((s) => s.kind === 'recovery')).toHaveLength(2);

    // The administrator removes Bob and rotates the data key, as the app advises.
    usersService.remove(tv.session, { userId: bob.id, rotateKey: true });
    const after = keysOf(tv);
    expect(after.generation).toBe(2);
    expect(after.slots.some((s) => s.id === planted.id)).toBe(false);
    // Nothing in the key file opens for Bob's secret: he cannot read anything written from now on.
    expect(keysTheAttackerGets(after)).toEqual([]);
    expect(slotEntries(tv.session).map((e) => e.summary)).toEqual([
      `Not re-sealed at the key rotation: A second recovery slot (${planted.id.slice(0, 8)}) in the key file is not one this vault issued: taken out of the key file, never given a data key`,
    ]);
    expect(vaultService.status(tv.session).keySlotWarning).toMatch(/^The key rotation found 1 key slot this vault does not trust/);
    vaultService.lock(tv.session, 'manual');
    // The genuine recovery code still works.
    vaultLayerUnlock(tv.dir, tv.path, null, tv.recoveryCode).vault.close();
  });

  test('a slot planted while the vault is locked is refused for unlocking, and taken out and recorded at the next unlock', () => {
    const tv = track(createTestVault({ label: 'plant-unlock' }));
    const vaultId = tv.session.vault!.vaultId;
    const key = dataKeyFromSlot(keysPathFor(tv.path), ADMIN.name, ADMIN.passphrase);
    vaultService.lock(tv.session, 'manual');
    // An insider who kept the data key plants a recovery slot and a user slot posing as the administrator.
    const recovery = attackerSlot(vaultId, 'recovery', null, null, key, 1);
    const posing = attackerSlot(vaultId, 'user', tv.adminId, 'Mallory', key, 1);
    appendSlot(tv, recovery);
    appendSlot(tv, posing);

    // Both open for the attacker's secret, and both are refused.
    const asMallory = caught(() => vaultLayerUnlock(tv.dir, tv.path, 'Mallory', MALLORY_SECRET));
    expect([asMallory.code, asMallory.message]).toEqual(['keys_damaged', 'This key slot is not one this vault issued, so it was not used. Tell an administrator: the key file may have been altered.']);
    const asRecovery = caught(() => vaultLayerUnlock(tv.dir, tv.path, null, MALLORY_CODE));
    expect([asRecovery.code, asRecovery.message]).toEqual(['keys_damaged', 'This recovery slot is not one this vault issued, so it was not used. Tell an administrator: the key file may have been altered.']);

    const s = unlockAs(tv, ADMIN);
    expect(keysOf(tv).slots.map((x) => x.id)).not.toContain(recovery.id);
    expect(keysOf(tv).slots.map((x) => x.id)).not.toContain(posing.id);
    expect(slotEntries(s).map((e) => e.summary).sort()).toEqual(
      [
        `A second recovery slot (${recovery.id.slice(0, 8)}) in the key file is not one this vault issued: taken out of the key file, never given a data key`,
        `A user key slot ${posing.id.slice(0, 8)} in the key file is not one this vault issued: taken out of the key file, never given a data key`,
      ].sort(),
    );
    expect(vaultService.status(s).keySlotWarning).toBe(
      'The key file held 2 key slots this vault does not trust; they were taken out, repaired or recorded in the audit log. Tell an administrator.',
    );
    expect(auditService.verify(s).isIntact).toBe(true);
    vaultService.lock(s, 'manual');
  });

  test('a replaced public key does not redirect the next rotation: the registered key is sealed to and put back', () => {
    const tv = track(createTestVault({ label: 'pk-swap' }));
    usersService.add(tv.session, { name: SUPERVISOR.name, role: 'supervisor', passphrase: SUPERVISOR.passphrase });
    const carolId = usersService.list(tv.session).find((u) => u.name === SUPERVISOR.name)!.id;
    const carol = keysOf(tv).slots.find((s) => s.userId === carolId)!;
    const mallory = newSlotKeyPair();
    replaceSlot(tv, carol.id, (s) => ({ ...s, publicKey: mallory.publicKey }));
    vaultService.rotateKey(tv.session);
    const after = keysOf(tv);
    const sealedToCarol = after.slots.find((s) => s.id === carol.id)!;
    expect(sealedToCarol.publicKey).toBe(carol.publicKey);
    // Mallory's private key opens nothing; Carol's passphrase opens the new key.
    expect(openSlotDataKey(after.vaultId, { ...sealedToCarol, publicKey: mallory.publicKey }, mallory.privateKeyDer, after.generation)).toBeNull();
    expect(openSlotDataKey(after.vaultId, sealedToCarol, mallory.privateKeyDer, after.generation)).toBeNull();
    const newKey = dataKeyFromSlot(keysPathFor(tv.path), SUPERVISOR.name, SUPERVISOR.passphrase);
    openReadOnlyWithKey(tv.path, newKey).close();

    // Replaced while locked: the next unlock puts the registered key back and says so.
    replaceSlot(tv, carol.id, (s) => ({ ...s, publicKey: mallory.publicKey }));
    vaultService.lock(tv.session, 'manual');
    const s = unlockAs(tv, ADMIN);
    expect(keysOf(tv).slots.find((x) => x.id === carol.id)!.publicKey).toBe(carol.publicKey);
    expect(slotEntries(s).map((e) => e.summary)).toEqual([
      `The public key of the key slot ${carol.id.slice(0, 8)} of ${SUPERVISOR.name} had been replaced in the key file: the registered key was put back`,
    ]);
    vaultService.lock(s, 'manual');
    unlockAs(tv, SUPERVISOR).closeVault();
  });

  test('a removed user\'s slot put back from an old copy of the key file is refused, taken out and recorded', () => {
    const tv = track(createTestVault({ label: 'removed-back' }));
    const bob = usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    const bobSlot = keysOf(tv).slots.find((s) => s.userId === bob.id)!;
    usersService.remove(tv.session, { userId: bob.id, rotateKey: false });
    appendSlot(tv, bobSlot);
    vaultService.lock(tv.session, 'manual');
    const s = unlockAs(tv, ADMIN);
    expect(keysOf(tv).slots.some((x) => x.id === bobSlot.id)).toBe(false);
    expect(slotEntries(s).map((e) => e.summary)).toEqual([
      `The key slot ${bobSlot.id.slice(0, 8)} of ${ANALYST.name}, no longer trusted (removed or replaced), was in the key file: taken out`,
    ]);
    vaultService.lock(s, 'manual');
  });

  test('an older copy of a slot (the first passphrase, after its user changed it) is refused for unlocking and taken out', () => {
    const tv = track(createTestVault({ label: 'older-copy' }));
    const bobRow = usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    const first = keysOf(tv).slots.find((s) => s.userId === bobRow.id)!;
    vaultService.lock(tv.session, 'manual');
    // Bob chooses his own passphrase.
    const bob = unlockAs(tv, ANALYST);
    vaultService.changePassphrase(bob, { current: ANALYST.passphrase, next: 'harbour violet compass 19' });
    vaultService.lock(bob, 'manual');
    // The administrator, who chose the first passphrase, puts the old slot back.
    replaceSlot(tv, first.id, () => first);
    const err = caught(() => vaultLayerUnlock(tv.dir, tv.path, ANALYST.name, ANALYST.passphrase));
    expect([err.code, err.message]).toEqual(['keys_damaged', 'This key slot has been replaced since: an older copy of the key file was put back. It was not used. Tell an administrator.']);
    const s = unlockAs(tv, ADMIN);
    expect(slotEntries(s).map((e) => e.summary)).toEqual([
      `The key slot ${first.id.slice(0, 8)} of ${ANALYST.name} had been replaced by an older copy (an earlier passphrase or format): taken out; set a new passphrase for ${ANALYST.name} with the recovery code`,
    ]);
    expect(keysOf(tv).slots.some((x) => x.id === first.id)).toBe(false);
    vaultService.lock(s, 'manual');
  });
});

describe('vault substitution', () => {
  /**
   * The attack: build a vault under a key of the attacker's choosing (here, a vault of their own
   * made with the app), make it look like the victim's (its vault id, the victim's user row, and in
   * one variant a registry row for the victim's slot), seal that key to the victim's public key with
   * the right AAD, and swap the files. Returns the attacker's pair of files.
   */
  function substitute(victim: TestVault, variant: 'no registry' | 'forged registry'): { dbPath: string; keys: KeyFile } {
    const attacker = track(createTestVault({ label: 'attacker' }));
    const attackerKey = dataKeyFromSlot(keysPathFor(attacker.path), ADMIN.name, ADMIN.passphrase);
    vaultService.lock(attacker.session, 'manual');
    const vkeys = keysOf(victim);
    const vslot = vkeys.slots.find((s) => s.userId === victim.adminId)!;
    const db = openDatabase(attacker.path, attackerKey, { mode: 'open', migrations: MIGRATIONS, purpose: 'maintenance' });
    try {
      db.pragma('foreign_keys=OFF');
      db.transaction(() => {
        writeMeta(db, 'vault_id', vkeys.vaultId);
        db.prepare("UPDATE users SET id = ?, name = ? WHERE role = 'administrator'").run(victim.adminId, ADMIN.name);
        db.prepare('DELETE FROM key_slots').run();
        if (variant === 'no registry') {
          db.prepare("DELETE FROM meta WHERE key = 'slot_registry'").run();
        } else {
          db.prepare(
            `INSERT INTO key_slots (slot_id, kind, user_id, public_key, public_key_sha256, kdf, format, commit_key, status, created_at, changed_at)
             VALUES (?, 'user', ?, ?, ?, ?, 2, ?, 'active', '2026-06-30T09:00:00.000Z', '2026-06-30T09:00:00.000Z')`,
          ).run(vslot.id, victim.adminId, vslot.publicKey, sha256Hex(vslot.publicKey), JSON.stringify(vslot.kdf), randomBytes(32));
        }
      })();
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    const keys: KeyFile = {
      ...vkeys,
      slots: vkeys.slots.map((s) => (s.id === vslot.id ? { ...s, sealedDataKey: sealForSlot(vkeys.vaultId, s, attackerKey, vkeys.generation) } : s)),
    };
    return { dbPath: attacker.path, keys };
  }

  function sha256Hex(pkB64: string): string {
    return createHash('sha256').update(Buffer.from(pkB64, 'base64')).digest('hex');
  }

  function swapIn(victim: TestVault, fake: { dbPath: string; keys: KeyFile }): void {
    for (const side of [`${victim.path}-wal`, `${victim.path}-shm`]) rmSync(side, { force: true });
    copyFileSync(fake.dbPath, victim.path);
    writeKeyFile(keysPathFor(victim.path), fake.keys);
  }

  test.each(['no registry', 'forged registry'] as const)('a swapped-in vault (%s) opens with the victim\'s passphrase but is refused', (variant) => {
    const victim = track(createTestVault({ label: 'victim' }));
    vaultService.lock(victim.session, 'manual');
    const fake = substitute(victim, variant);
    swapIn(victim, fake);
    // The victim's passphrase really does open the attacker's data key: only the commitment stops it.
    const key = dataKeyFromSlot(keysPathFor(victim.path), ADMIN.name, ADMIN.passphrase);
    openReadOnlyWithKey(victim.path, key).close();
    const s = new Session(victim.ctx);
    const err = caught(() => vaultService.unlock(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase }));
    expect([err.code, err.message]).toEqual(['keys_damaged', NOT_THIS_VAULT]);
    expect(NOT_THIS_VAULT).toBe('This key file does not belong to this vault.');
    expect(s.vault).toBeNull();
  });

  test('selecting the swapped-in vault at the locked screen goes through the same check', async () => {
    const victim = track(createTestVault({ label: 'victim-select' }));
    vaultService.lock(victim.session, 'manual');
    const fake = substitute(victim, 'forged registry');
    const elsewhere = join(dirname(victim.path), 'handed-over.hmvault');
    copyFileSync(fake.dbPath, elsewhere);
    writeKeyFile(keysPathFor(elsewhere), fake.keys);
    const s = new Session(victim.ctx);
    vaultService.selectVault(s, elsewhere);
    // The app's own unlock (the derivation off the main thread) as the window calls it.
    const err = await vaultService.unlockAsync(s, { userName: ADMIN.name, passphrase: ADMIN.passphrase }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err && [err.code, err.message]).toEqual(['keys_damaged', NOT_THIS_VAULT]);
    expect(s.vault).toBeNull();
  });

  test('restore refuses a substituted "backup" and writes nothing at the destination', () => {
    const victim = track(createTestVault({ label: 'victim-restore' }));
    vaultService.lock(victim.session, 'manual');
    const fake = substitute(victim, 'no registry');
    const backupPath = join(victim.dir, 'usb', 'backup.hmvault');
    mkdirSync(dirname(backupPath));
    copyFileSync(fake.dbPath, backupPath);
    writeKeyFile(keysPathFor(backupPath), fake.keys);
    const dest = join(victim.dir, 'restored.hmvault');
    const s = new Session(victim.ctx);
    const err = caught(() => vaultService.restore(s, { backupPath, destPath: dest, userName: ADMIN.name, passphrase: ADMIN.passphrase }));
    expect([err.code, err.message]).toEqual(['keys_damaged', NOT_THIS_VAULT]);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(keysPathFor(dest))).toBe(false);
    // A genuine backup still restores.
    const real = unlockAs(victim, ADMIN);
    const good = join(victim.dir, 'usb', 'good.hmvault');
    vaultService.backup(real, { path: good });
    vaultService.lock(real, 'manual');
    vaultService.restore(s, { backupPath: good, destPath: dest, userName: ADMIN.name, passphrase: ADMIN.passphrase });
    vaultService.lock(s, 'manual');
  });
});

describe('KDF settings from the file', () => {
  test.each<[string, Partial<Slot['kdf']>]>([
    ['N not a power of two', { N: 3 * 2 ** 12 }],
    ['N=2^22 (would take minutes and gigabytes)', { N: 2 ** 22 }],
    ['r=32 with p=16 (the old ceiling)', { N: 2 ** 17, r: 32, p: 16 }],
  ])('%s: refused at once with a sentence, not an internal error', (_label, kdf) => {
    const tv = track(createTestVault({ label: 'kdf' }));
    vaultService.lock(tv.session, 'manual');
    replaceSlot(tv, keysOf(tv).slots[0].id, (s) => ({ ...s, kdf: { ...s.kdf, ...kdf } }));
    const started = Date.now();
    const err = caught(() => unlockAs(tv, ADMIN));
    expect([err.code, err.message]).toEqual(['keys_damaged', KDF_REFUSED]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('a new vault records its KDF cost and every later slot uses it', () => {
    const tv = track(createTestVault({ label: 'kdf-cost' }));
    usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    expect(tv.session.vault!.db.prepare("SELECT value FROM meta WHERE key = 'kdf_cost'").get()).toEqual({ value: JSON.stringify({ N: 1024, r: 8, p: 1 }) });
    expect(new Set(keysOf(tv).slots.map((s) => `${s.kdf.N}/${s.kdf.r}/${s.kdf.p}`))).toEqual(new Set(['1024/8/1']));
    vaultService.lock(tv.session, 'manual');
  });

  test('with a target, the cost is calibrated once at creation and never below the floor', () => {
    const dir = tempDir('calibrate');
    dirs.push(dir);
    // A floor of SCRYPT_TEST and a short target keep this fast; the rule is the one the app uses.
    const tv = track(createTestVault({ dir, ctx: { kdfCost: { ...SCRYPT_TEST, targetMs: 40 } } }));
    const slots = keysOf(tv).slots;
    expect(slots.every((s) => s.kdf.N === 1024 && s.kdf.p === 1 && s.kdf.r >= 8 && s.kdf.r <= 32)).toBe(true);
    expect(new Set(slots.map((s) => s.kdf.r)).size).toBe(1);
    vaultService.lock(tv.session, 'manual');
  });
});

describe('key changes that stop part-way', () => {
  test('a new recovery code is written beside the old one: both work until it is confirmed, then only the new one', () => {
    const tv = track(createTestVault({ label: 'recovery-two' }));
    const { recoveryCode } = vaultService.newRecoveryCode(tv.session);
    expect(listAudit(tv.session.vault!.db, { limit: 1 })[0].summary).toBe('New recovery code issued; the previous code works until this one is confirmed as stored');
    vaultService.lock(tv.session, 'manual');
    vaultLayerUnlock(tv.dir, tv.path, null, tv.recoveryCode).vault.close();
    vaultLayerUnlock(tv.dir, tv.path, null, recoveryCode).vault.close();
    const s = unlockAs(tv, ADMIN);
    expect(vaultService.status(s).isRecoveryUnconfirmed).toBe(true);
    vaultService.confirmRecovery(s);
    expect(listAudit(s.vault!.db, { limit: 1 })[0].summary).toBe('New recovery code confirmed as stored; the previous code no longer works');
    vaultService.lock(s, 'manual');
    expect(caught(() => vaultLayerUnlock(tv.dir, tv.path, null, tv.recoveryCode)).code).toBe('wrong_passphrase');
    vaultLayerUnlock(tv.dir, tv.path, null, recoveryCode).vault.close();
  });

  test('a failed audit write after a new recovery code leaves the old code working and the key file as it was', () => {
    const tv = track(createTestVault({ label: 'recovery-fail' }));
    const before = keysOf(tv).slots.map((s) => s.id);
    const spy = vi.spyOn(tv.session, 'write').mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    expect(() => vaultService.newRecoveryCode(tv.session)).toThrow('disk full');
    spy.mockRestore();
    expect(keysOf(tv).slots.map((s) => s.id)).toEqual(before);
    vaultService.lock(tv.session, 'manual');
    vaultLayerUnlock(tv.dir, tv.path, null, tv.recoveryCode).vault.close();
  });

  test('a new recovery slot whose record never followed (the app stopped) is taken out at the next unlock, and the log says so', () => {
    const tv = track(createTestVault({ label: 'recovery-crash' }));
    // The vault layer's first two steps, then the process "stops": no recording transaction.
    const { recoveryCode, change } = tv.session.vault!.replaceRecoverySlot();
    tv.session.closeVault();
    const s = unlockAs(tv, ADMIN);
    expect(keysOf(tv).slots.some((x) => x.id === change.slot.id)).toBe(false);
    expect(slotEntries(s).map((e) => e.summary)).toEqual([
      `A new key slot ${change.slot.id.slice(0, 8)} for the recovery code was written but its change never completed: taken out of the key file; the previous one still applies`,
    ]);
    expect(vaultService.status(s).keySlotWarning).toBeNull();
    vaultService.lock(s, 'manual');
    vaultLayerUnlock(tv.dir, tv.path, null, tv.recoveryCode).vault.close();
    expect(caught(() => vaultLayerUnlock(tv.dir, tv.path, null, recoveryCode)).code).toBe('wrong_passphrase');
  });

  test('a passphrase change that reached the key file but not the log is completed at the next unlock', () => {
    const tv = track(createTestVault({ label: 'change-crash' }));
    tv.session.vault!.changePassphrase(tv.adminId, ADMIN.passphrase, 'harbour violet compass 19');
    tv.session.closeVault();
    expect(caught(() => unlockAs(tv, ADMIN)).code).toBe('wrong_passphrase');
    const s = unlockAs(tv, { name: ADMIN.name, passphrase: 'harbour violet compass 19' });
    const slotId = keysOf(tv).slots.find((x) => x.userId === tv.adminId)!.id;
    expect(slotEntries(s).map((e) => e.summary)).toEqual([
      `A change to the key slot ${slotId.slice(0, 8)} of ${ADMIN.name} (a new passphrase or format) was completed at this unlock (it had stopped part-way)`,
    ]);
    expect(keySlotsService.list(s).find((r) => r.slotId === slotId)!.problem).toBeNull();
    vaultService.lock(s, 'manual');
  });
});

describe('a vault from before the registry', () => {
  /** Put a vault back the way an earlier version left it: format-1 slots with their users' names in clear, no registry. */
  function asBeforeTheUpgrade(tv: TestVault, extra: (vaultId: string, key: Buffer) => Slot[] = () => []): { bobId: string } {
    const bob = usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    const keys = keysOf(tv);
    const key = dataKeyFromSlot(keysPathFor(tv.path), ADMIN.name, ADMIN.passphrase);
    tv.session.vault!.tx((db) => {
      db.prepare('DELETE FROM key_slots').run();
      db.prepare("DELETE FROM meta WHERE key IN ('slot_registry', 'slot_registry_built_at', 'kdf_cost')").run();
    });
    vaultService.lock(tv.session, 'manual');
    const mk = (id: string, kind: 'user' | 'recovery', userId: string | null, userName: string | null, secret: string) =>
      legacySlot(keys.vaultId, { id, kind, userId, userName, secret, dataKey: key, generation: keys.generation });
    // Written as that version wrote it (writeKeyFile would hash the names).
    const older: KeyFile = {
      ...keys,
      slots: [
        mk('slot-admin', 'user', tv.adminId, ADMIN.name, ADMIN.passphrase),
        mk('slot-recovery', 'recovery', null, null, tv.recoveryCode),
        mk('slot-bob', 'user', bob.id, ANALYST.name, ANALYST.passphrase),
        ...extra(keys.vaultId, key),
      ],
    };
    writeFileSync(keysPathFor(tv.path), JSON.stringify(older, null, 2));
    expect(readFileSync(keysPathFor(tv.path), 'utf8')).toContain(`"userName": "${ANALYST.name}"`);
    return { bobId: bob.id };
  }

  test('the first unlock builds the registry from the key file (trust on first use) and records it; old slots still open and are rewritten in format 2 at their owner\'s next unlock', () => {
    const tv = track(createTestVault({ label: 'tofu' }));
    asBeforeTheUpgrade(tv);
    const s = unlockAs(tv, ADMIN);
    const built = listAudit(s.vault!.db, {}).find((e) => e.summary.startsWith('Key slot registry built'))!;
    expect(built).toMatchObject({
      action: 'key_change',
      entityType: 'vault',
      summary: `Key slot registry built at the first unlock after the upgrade, from the key file as it was then (trust on first use): 3 slots registered (${ADMIN.name}, the recovery code, ${ANALYST.name})`,
    });
    expect(vaultService.status(s).keySlotWarning).toBeNull();
    // The names are hashed as the registry is built (no secret needed); Bob still unlocks by his below.
    const text = readFileSync(keysPathFor(tv.path), 'utf8');
    expect([text.includes(ADMIN.name), text.includes(ANALYST.name), text.includes('userName')]).toEqual([false, false, false]);
    expect(keySlotsService.list(s).map((r) => [r.userName, r.kind, r.status, r.format, r.problem])).toEqual([
      [ADMIN.name, 'user', 'active', 1, null],
      [ANALYST.name, 'user', 'active', 1, null],
      [null, 'recovery', 'active', 1, null],
    ]);
    vaultService.lock(s, 'manual');

    // The administrator's next unlock rewrites their slot in format 2, with the key it already derived.
    const again = unlockAs(tv, ADMIN);
    expect(slotEntries(again).map((e) => e.summary)).toEqual([
      `The key slot slot-adm of ${ADMIN.name} was rewritten in slot format 2 (its kind, public key and KDF settings bound in; tied to this vault)`,
    ]);
    expect(keysOf(tv).slots.map((x) => [x.id, x.format ?? 1])).toEqual([
      ['slot-admin', 2],
      ['slot-recovery', 1],
      ['slot-bob', 1],
    ]);
    // A format-1 slot still opens after a rotation, which re-seals it in its own format; its
    // owner's unlock then rewrites it.
    const adminV1 = readKeyFile(keysPathFor(tv.path)).slots.find((x) => x.id === 'slot-admin');
    vaultService.rotateKey(again);
    vaultService.lock(again, 'manual');
    unlockAs(tv, ANALYST).closeVault();
    expect(keysOf(tv).slots.find((x) => x.id === 'slot-bob')!.format).toBe(2);
    vaultLayerUnlock(tv.dir, tv.path, null, tv.recoveryCode).vault.close();
    expect(keysOf(tv).slots.map((x) => x.format)).toEqual([2, 2, 2]);
    unlockAs(tv, ADMIN).closeVault();
    expect(adminV1?.format).toBe(2);
  });

  test('the first unlock may be with the recovery code, resetting a passphrase: the new slot is kept and the registry built around it', () => {
    const tv = track(createTestVault({ label: 'tofu-recover' }));
    asBeforeTheUpgrade(tv);
    const s = new Session(tv.ctx);
    vaultService.recover(s, { recoveryCode: tv.recoveryCode, userName: ADMIN.name, newPassphrase: 'harbour violet compass 19' });
    expect(listAudit(s.vault!.db, {}).find((e) => e.summary.startsWith('Key slot registry built'))!.summary).toBe(
      `Key slot registry built at the first unlock after the upgrade, from the key file as it was then (trust on first use): 2 slots registered (the recovery code, ${ANALYST.name})`,
    );
    expect(keySlotsService.list(s).map((r) => [r.userName, r.kind, r.status, r.format])).toEqual([
      [ADMIN.name, 'user', 'active', 2],
      [ANALYST.name, 'user', 'active', 1],
      [null, 'recovery', 'active', 1],
    ]);
    vaultService.lock(s, 'manual');
    unlockAs(tv, { name: ADMIN.name, passphrase: 'harbour violet compass 19' }).closeVault();
  });

  test('at the first build, two recovery slots are both untrusted (unless one was just used), and a removed user\'s slot is not registered', () => {
    const tv = track(createTestVault({ label: 'tofu-planted' }));
    asBeforeTheUpgrade(tv, (vaultId, key) => [legacySlot(vaultId, { id: 'slot-planted', kind: 'recovery', userId: null, userName: null, secret: MALLORY_CODE, dataKey: key, generation: 1 })]);
    const s = unlockAs(tv, ADMIN);
    const built = listAudit(s.vault!.db, {}).find((e) => e.summary.startsWith('Key slot registry built'))!;
    expect(built.summary).toBe(
      `Key slot registry built at the first unlock after the upgrade, from the key file as it was then (trust on first use): 2 slots registered (${ADMIN.name}, ${ANALYST.name}); ` +
        'not trusted and taken out of the key file: recovery key slot slot-rec, recovery key slot slot-pla; the key file held more than one recovery slot, so none was trusted: issue a new recovery code',
    );
    expect(vaultService.status(s).keySlotWarning).toMatch(/^When this vault's key slots were first checked, 2 of them could not be trusted/);
    expect(keysOf(tv).slots.map((x) => x.id)).toEqual(['slot-admin', 'slot-bob']);
    // The administrator issues a new code, as told.
    const { recoveryCode } = vaultService.newRecoveryCode(s);
    vaultService.confirmRecovery(s);
    vaultService.lock(s, 'manual');
    vaultLayerUnlock(tv.dir, tv.path, null, recoveryCode).vault.close();
    expect(caught(() => vaultLayerUnlock(tv.dir, tv.path, null, MALLORY_CODE)).code).toBe('wrong_passphrase');
  });
});

describe('the slots as the Users screen shows them', () => {
  test('each slot with its kind, user, state, last change and any problem', () => {
    const tv = track(createTestVault({ label: 'list' }));
    usersService.add(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
    vaultService.newRecoveryCode(tv.session);
    const planted = attackerSlot(tv.session.vault!.vaultId, 'user', null, 'Mallory', randomDataKey(), 1);
    appendSlot(tv, { ...planted, userId: 'someone' });
    const rows = keySlotsService.list(tv.session);
    expect(rows.map((r) => [r.kind, r.userName, r.status, r.isInKeyFile, r.problem])).toEqual([
      ['user', ADMIN.name, 'active', true, null],
      ['user', ANALYST.name, 'active', true, null],
      ['recovery', null, 'retiring', true, 'Works until the new recovery code is confirmed'],
      ['recovery', null, 'active', true, null],
      ['user', null, 'unregistered', true, 'Not issued by this vault'],
    ]);
    expect(rows.every((r) => r.kdf === 'scrypt N=2^10 r=8 p=1')).toBe(true);
    vaultService.lock(tv.session, 'manual');
  });
});

describe('backup and restore temp names', () => {
  test('a link planted at the old predictable temp names is never written through', () => {
    const tv = track(createTestVault({ label: 'symlink' }));
    const precious = join(tv.dir, 'precious.txt');
    writeFileSync(precious, 'somebody needs this');
    const backups = join(tv.dir, 'backups');
    mkdirSync(backups);
    const dest = join(backups, 'b.hmvault');
    // The name the backup used for its key file's temp copy.
    symlinkSync(precious, `${keysPathFor(dest)}.tmp`);
    vaultService.backup(tv.session, { path: dest });
    expect(readFileSync(precious, 'utf8')).toBe('somebody needs this');
    expect(lstatSync(keysPathFor(dest)).isFile()).toBe(true);
    expect(readlinkSync(`${keysPathFor(dest)}.tmp`)).toBe(precious);
    vaultService.lock(tv.session, 'manual');

    // The names the restore used for its working copy.
    const restored = join(tv.dir, 'restored', 'r.hmvault');
    mkdirSync(dirname(restored));
    const precious2 = join(tv.dir, 'precious2.txt');
    writeFileSync(precious2, 'and this');
    symlinkSync(precious, `${restored}.restore.tmp`);
    symlinkSync(precious2, `${restored}.restore.tmp.keys`);
    const s = new Session(tv.ctx);
    vaultService.restore(s, { backupPath: dest, destPath: restored, userName: ADMIN.name, passphrase: ADMIN.passphrase });
    expect(readFileSync(precious, 'utf8')).toBe('somebody needs this');
    expect(readFileSync(precious2, 'utf8')).toBe('and this');
    expect(lstatSync(restored).isFile()).toBe(true);
    expect(lstatSync(`${restored}.restore.tmp`).isSymbolicLink()).toBe(true);
    vaultService.lock(s, 'manual');
  });
});
