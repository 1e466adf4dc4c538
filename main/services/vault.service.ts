/**
 * Vault use cases: create, select, unlock, recover, lock, change passphrase, backup, rotate, restore.
 * Each state change writes its audit entry in the same transaction (Session.write).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppStatus, KeySlotRow, SessionUser } from '../../preload/contract';
import { entryHashAt, readExternalHead, readHead, writeExternalHead } from '../audit/audit';
import { precheckVaultFile } from '../vault/database';
import { VaultError } from '../vault/errors';
import { keysPathFor, readKeyFile, wipeSlotKey, type DerivedSlotKey } from '../vault/keyfile';
import { checkPassphrase, type PassphraseCheck } from '../vault/passphrase';
import {
  checkNewVaultPath,
  lockPathFor,
  restoreVault,
  Vault,
  wipeDerived,
  wipeDerivedChange,
  wipePreparedVault,
  type DerivedPassphraseChange,
  type DerivedUnlockKeys,
  type PreparedRecoveryCode,
  type PreparedVault,
  type SlotChange,
  type UnlockedVault,
  type VaultContext,
} from '../vault/vault';
import { removeRetiringRecovery } from '../vault/slot-registry';
import { keySlotRows, recordKeySlots, recordNotResealed } from './key-slots.service';
import { readBackPragmas, schemaVersion, type ShownPragma } from '../vault/pragmas';
import { findActiveUserByName, findUser, insertUser, listUsers, type UserRow } from '../store/users.repo';
import { DEFAULT_SETTINGS, readSettings, writeSettings } from '../store/settings.repo';
import { readMeta, writeMeta } from '../vault/meta';
import { reapplyErasures } from './erasure.service';
import type { AuditFn, Session } from './session';
import type { Db } from '../vault/database';
import { ukDateTime } from '../../preload/contract/uk-time';
import { recordReferenceVersions } from './reference.service';
import { startDailyRescore } from './rescore-job';
import { checkThrottle, recordFailure } from '../vault/vault';
import { STATE_DIR_ENV } from '../app/paths';
import { clearPassphraseChangeDue, markPassphraseChangeDue, passphraseChangeDue } from '../store/passphrase-changes.repo';
import { keyStatement, settleSigning, type SettledSigning } from './signing.service';
import { readSigningRegistry, signingBeganAt } from '../audit/audit';
import type { Role } from '../store/users.repo';
import { auditWorkstation, checkWorkstation, countFailedAttempt, countingFailedAttempts, recordCreatingWorkstation, recordWorkstationHead, recordWorkstationUnlock } from './workstations.service';

function vaultCtx(s: Session): VaultContext {
  return { stateDir: s.ctx.stateDir, now: s.ctx.now, kdfCost: s.ctx.kdfCost };
}

/** Record any reference data version this vault has not seen yet, as one audit entry. */
function recordReference(db: Db, audit: AuditFn, now: Date): void {
  const loaded = recordReferenceVersions(db, now);
  if (loaded.length > 0) audit({ action: 'alter', entityType: 'reference_data', entityId: null, summary: `Reference data loaded: ${loaded.join(', ')}` });
}

export function status(s: Session): AppStatus {
  const path = s.vaultPath;
  const isUnlocked = Boolean(s.vault?.isOpen && s.user);
  return {
    state: isUnlocked ? 'unlocked' : path && existsSync(path) ? 'locked' : 'no-vault',
    vaultPath: path,
    defaultVaultPath: join(s.ctx.documentsDir, 'harm-matrix.hmvault'),
    user: isUnlocked && s.user ? { ...s.user, unit: (s.vault ? findUser(s.vault.db, s.user.id)?.unit : undefined) ?? '' } : null,
    settings: isUnlocked && s.vault ? readSettings(s.vault.db) : null,
    auditWarning: isUnlocked ? s.auditWarning : null,
    keySlotWarning: isUnlocked ? (s.vault?.keySlotWarning ?? null) : null,
    isRecoveryUnconfirmed: isUnlocked ? s.isRecoveryUnconfirmed : false,
    appVersion: s.ctx.appVersion,
  };
}

/**
 * Words a guesser tries first for a user of this vault beyond the fixed ones (passphrase.ts):
 * the vault's protective marking and the user's unit.
 */
export function passphraseRelatedWords(db: Db | null, unit = ''): string[] {
  return [db ? readSettings(db).marking : DEFAULT_SETTINGS.marking, unit];
}

export function passphraseCheck(passphrase: string, context: string[] = [], s?: Session): PassphraseCheck {
  const db = s?.vault?.isOpen ? s.vault.db : null;
  return checkPassphrase(passphrase, context, passphraseRelatedWords(db, db && s?.user ? (findUser(db, s.user.id)?.unit ?? '') : ''));
}

function requireAcceptable(passphrase: string, context: string[], related: string[] = passphraseRelatedWords(null)): void {
  const check = checkPassphrase(passphrase, context, related);
  if (!check.isAcceptable) {
    throw new VaultError('weak_passphrase', check.problems.join(' '));
  }
}

/** Create a vault. With `prepared` (Vault.prepareCreate: createVaultAsync) nothing is derived here. */
export function createVault(s: Session, args: { path: string; adminName: string; passphrase: string }, prepared?: PreparedVault): { recoveryCode: string } {
  if (s.vault) throw new VaultError('conflict', 'Lock the open vault before creating another.');
  requireAcceptable(args.passphrase, [args.adminName]);
  const now = s.ctx.now();
  const { vault, recoveryCode, userId, signer, adminSlotId, recoveryKey } = Vault.create(
    vaultCtx(s),
    args,
    (db) => {
      writeSettings(db, DEFAULT_SETTINGS);
      const admin = insertUser(db, { name: args.adminName, role: 'administrator', createdBy: null }, now);
      return { userId: admin.id };
    },
    prepared,
  );
  s.vault = vault;
  s.user = { id: userId, name: args.adminName, role: 'administrator' };
  s.signer = signer;
  s.signerSlotId = adminSlotId;
  s.isRecoveryUnconfirmed = true;
  s.vaultPath = args.path;
  // The first entry is the checkpoint that begins signing (Session.appendIn), naming the creator's key.
  s.write((db, audit) => {
    writeMeta(db, 'recovery_confirmed', 'no');
    audit({
      action: 'user_change',
      entityType: 'vault',
      entityId: vault.vaultId,
      summary: 'Vault created with an administrator key slot and a recovery slot',
      statements: [keyStatement(null, recoveryKey)],
    });
    recordReference(db, audit, s.ctx.now());
    audit({ action: 'user_change', entityType: 'user', entityId: userId, summary: 'User added with role administrator' });
    // The creator chose their own passphrase: they are not asked to change it.
    recordCreatingWorkstation(s, db, vault.vaultId);
  });
  return { recoveryCode };
}

/**
 * Issue a new recovery code. Its slot is written beside the current one, and the current code
 * keeps working until the new one is confirmed as stored (confirmRecovery), so a failure anywhere
 * in between never leaves the vault without a working code. For an administrator who lost the
 * code, or whose app closed before they confirmed storing it.
 */
export function newRecoveryCode(s: Session, prepared?: PreparedRecoveryCode): { recoveryCode: string } {
  s.requireUser();
  const vault = s.vault!;
  const { recoveryCode, change } = vault.replaceRecoverySlot(
    (db, key) =>
      s.appendIn(db, { action: 'key_change', entityType: 'vault', entityId: vault.vaultId, summary: 'New recovery code being issued; its signing key registered', statements: [keyStatement(null, key)] }),
    prepared,
  );
  try {
    s.write((db, audit) => {
      writeMeta(db, 'recovery_confirmed', 'no');
      change.complete(db);
      audit({ action: 'key_change', entityType: 'vault', entityId: vault.vaultId, summary: 'New recovery code issued; the previous code works until this one is confirmed as stored' });
    });
  } catch (e) {
    change.abandon();
    throw e;
  }
  s.isRecoveryUnconfirmed = true;
  return { recoveryCode };
}

export function confirmRecovery(s: Session): { isConfirmed: boolean } {
  s.requireUser();
  let retired = 0;
  const retiring = s.vault!.registry()
    .filter((r) => r.kind === 'recovery' && r.status === 'retiring')
    .map((r) => r.slotId);
  s.write((db, audit) => {
    writeMeta(db, 'recovery_confirmed', 'yes');
    // The previous code, kept working until now, stops being trusted in the same transaction.
    retired = removeRetiringRecovery(db, s.ctx.now());
    audit({
      action: 'key_change',
      entityType: 'vault',
      entityId: s.vault!.vaultId,
      summary: retired > 0 ? 'New recovery code confirmed as stored; the previous code no longer works' : 'Creator confirmed the recovery code is stored',
      // Its signing key stops being accepted with it.
      statements: retired > 0 ? retiring.map((slotId) => ({ t: 'retire' as const, slotId })) : [],
    });
  });
  // If this stops before the key file is rewritten, the next unlock takes the old slot out.
  if (retired > 0) s.vault!.dropUntrustedSlots();
  s.isRecoveryUnconfirmed = false;
  return { isConfirmed: true };
}

/** Choose an existing vault to unlock. Checks it looks like a vault; opens nothing. */
export function selectVault(s: Session, path: string): { path: string } {
  if (s.vault) throw new VaultError('conflict', 'Lock the open vault before choosing another.');
  precheckVaultFile(path);
  readKeyFile(keysPathFor(path));
  s.vaultPath = path;
  return { path };
}

/** A state folder chosen by HARM_MATRIX_STATE_DIR holds a throttle and an audit head of its own: the unlock says so. */
function stateDirNote(s: Session): string {
  return s.ctx.isStateDirFromEnvironment ? `; this workstation's state folder was set by ${STATE_DIR_ENV} (${s.ctx.stateDir})` : '';
}

function finishUnlock(s: Session, u: UnlockedVault, user: SessionUser, how: string, presettled?: SettledSigning): void {
  const vault = u.vault;
  s.vault = vault;
  // Roles come from the signed registry in the audit log, not from the users table.
  const signing = presettled ?? settleSigning(s, u, user.id, user.role);
  if (signing.isRemoved) {
    s.closeVault();
    throw new VaultError('user_removed', 'This user no longer has access to the vault.');
  }
  if (signing.role && !presettled) user.role = signing.role as Role;
  s.user = user;
  s.isRecoveryUnconfirmed = readMeta(vault.db, 'recovery_confirmed') === 'no';
  // Compare the log with this workstation's record of its head: truncation or an older copy of
  // the vault shows up here. The vault still opens (analysts must reach their data), but the
  // mismatch is shown on screen and written into the log itself.
  const ext = readExternalHead(s.ctx.stateDir, vault.vaultId, vault.auditKey);
  let warning: string | null = null;
  if (ext.status === 'invalid') {
    warning = "This workstation's record of the audit log has been altered or damaged.";
  } else if (ext.status === 'ok') {
    const dbHead = readHead(vault.db);
    const atKnown = entryHashAt(vault.db, ext.head.seq);
    if (dbHead.seq < ext.head.seq) {
      warning = `The audit log ends at entry ${dbHead.seq}, but this workstation last recorded entry ${ext.head.seq}: entries were removed or this is an older copy of the vault.`;
    } else if (atKnown !== ext.head.hash) {
      warning = `Audit entry ${ext.head.seq} differs from the one this workstation recorded: this is a different copy of the vault.`;
    }
  }
  // The vault's own memory of this workstation: a deleted head or throttle record shows here.
  const workstation = checkWorkstation(s, vault.db, vault.vaultId, ext, u.failuresSinceLastUnlock);
  s.auditWarning = [warning, ...workstation.warnings, ...signing.warnings].filter((w) => w !== null).join(' ') || null;
  s.write((db, audit) => {
    // A newer app may ship newer reference data (weights, definitions): record each new version.
    recordReference(db, audit, s.ctx.now());
    const f = u.failuresSinceLastUnlock;
    if (f) {
      audit({
        action: 'failed_unlock',
        entityType: 'vault',
        entityId: vault.vaultId,
        summary: `${f.count} failed unlock attempt${f.count === 1 ? '' : 's'} between ${ukDateTime(f.firstAt)} and ${ukDateTime(f.lastAt)}`,
      });
    }
    if (warning) audit({ action: 'unlock', entityType: 'audit_log', entityId: null, summary: `Audit head mismatch at unlock: ${warning}` });
    if (signing.warnings.length > 0) audit({ action: 'unlock', entityType: 'audit_log', entityId: null, summary: `Signed registry at unlock: ${signing.warnings.join(' ')}` });
    auditWorkstation(audit, workstation);
    recordKeySlots(vault, db, audit, u);
    audit({ action: 'unlock', entityType: 'vault', entityId: vault.vaultId, summary: `Unlocked ${how}${stateDirNote(s)}` });
    recordWorkstationUnlock(s, db, workstation);
  });
  // Stored scores decay day by day: the first unlock of a UK day whose stored scores are not as of
  // today rescores every network as of today, as this user (in a worker for a large vault; the
  // matrix meanwhile scores its view in memory).
  startDailyRescore(s);
}

/**
 * Unlocking over an open session would close it without its lock entry or the window's reload:
 * lock first (the Lock and Switch user buttons do).
 */
function refuseWhileUnlocked(s: Session): void {
  if (s.vault?.isOpen) throw new VaultError('conflict', 'The vault is already unlocked. Lock it first, then unlock again.');
  s.closeVault();
}

function requireSelected(s: Session): string {
  const path = s.vaultPath;
  if (!path || !existsSync(path)) throw new VaultError('no_vault', 'No vault is selected. Create one or choose an existing vault.');
  return path;
}

export function unlock(s: Session, args: { userName: string; passphrase: string }, derived?: DerivedUnlockKeys): SessionUser {
  refuseWhileUnlocked(s);
  const path = requireSelected(s);
  const u = countingFailedAttempts(s, path, () => Vault.unlock(vaultCtx(s), { path, userName: args.userName, secret: args.passphrase }, derived));
  const userId = u.slot.userId!;
  const row = findUser(u.vault.db, userId);
  if (!row || row.removedAt) {
    // A slot left behind by a removal that stopped half-way: finish removing it.
    u.vault.removeUserSlot(userId);
    u.vault.close();
    throw new VaultError('user_removed', 'This user no longer has access to the vault.');
  }
  const user: SessionUser = { id: row.id, name: row.name, role: row.role };
  // A passphrase someone else chose: until its user replaces it, main allows nothing else.
  if (passphraseChangeDue(u.vault.db, row.id)) user.mustChangePassphrase = true;
  finishUnlock(s, u, user, 'with passphrase');
  return user;
}

/** Unlock with the recovery code and give a user a new passphrase (a new key slot). */
export function recover(s: Session, args: { recoveryCode: string; userName: string; newPassphrase: string }, derived?: DerivedUnlockKeys): SessionUser {
  const opened = openForRecovery(s, args, derived);
  return finishRecovery(s, args, opened);
}

/**
 * The recovery unlock: the vault opened with the code, the user found, the new passphrase
 * checked against the vault's own words. The vault becomes the session's, with nobody signed in
 * yet (so no other call can use it, and another unlock is refused), until finishRecovery.
 */
function openForRecovery(s: Session, args: { recoveryCode: string; userName: string; newPassphrase: string }, derived?: DerivedUnlockKeys): { u: UnlockedVault; row: UserRow } {
  refuseWhileUnlocked(s);
  const path = requireSelected(s);
  requireAcceptable(args.newPassphrase, [args.userName]);
  const u = countingFailedAttempts(s, path, () => Vault.unlock(vaultCtx(s), { path, userName: null, secret: args.recoveryCode }, derived));
  const row = findActiveUserByName(u.vault.db, args.userName);
  if (!row) {
    u.vault.close();
    throw new VaultError('not_found', 'There is no current user with that name in this vault.');
  }
  try {
    requireAcceptable(args.newPassphrase, [row.name], passphraseRelatedWords(u.vault.db, row.unit));
  } catch (e) {
    u.vault.close();
    throw e;
  }
  s.vault = u.vault;
  return { u, row };
}

/** The reset itself: the user's new slot (its key derived ahead when `slotKey` is given), the session and the log. */
function finishRecovery(s: Session, args: { newPassphrase: string }, opened: { u: UnlockedVault; row: UserRow }, slotKey?: DerivedSlotKey): SessionUser {
  const { u, row } = opened;
  if (s.vault !== u.vault || !u.vault.isOpen) {
    // Locked while the new passphrase's key was derived: nothing was reset.
    if (u.vault.isOpen) u.vault.close();
    throw new VaultError('locked', 'The vault was locked before the new passphrase was set. Nothing was changed; unlock with the recovery code again.');
  }
  // The recovery code's own key signs the start of the reset, registering the new slot's key; the
  // session then acts as the user, signing with that key.
  const recovery = settleSigning(s, u, null, null);
  const signedRole = signingBeganAt(u.vault.db) === null ? undefined : readSigningRegistry(u.vault.db).registry.users.get(row.id);
  if (signedRole?.status === 'removed') {
    s.closeVault();
    throw new VaultError('not_found', 'There is no current user with that name in this vault.');
  }
  let slot: SlotChange;
  try {
    slot = u.vault.putUserSlot(
      row.id,
      row.name,
      args.newPassphrase,
      (db, key) =>
        s.appendIn(db, { action: 'key_change', entityType: 'user', entityId: row.id, summary: 'Passphrase reset with the recovery code started; the new key slot\'s signing key registered', statements: [keyStatement(row.id, key)] }),
      slotKey,
    );
  } catch (e) {
    s.closeVault();
    throw e;
  }
  s.signer = slot.signer;
  s.signerSlotId = slot.slot.id;
  const user: SessionUser = { id: row.id, name: row.name, role: (signedRole?.role as Role | undefined) ?? row.role };
  finishUnlock(s, u, user, 'with the recovery code', { ...recovery, role: user.role });
  s.write((db, audit) => {
    slot.complete(db);
    audit({ action: 'key_change', entityType: 'user', entityId: row.id, summary: 'Passphrase reset with the recovery code' });
    // Whoever holds the recovery code knows this passphrase: its user replaces it at their next
    // unlock with it. This session is the code holder's, so it is not held back.
    markPassphraseChangeDue(db, row.id, 'recovered', s.ctx.now());
  });
  return user;
}

export function lock(s: Session, reason: 'manual' | 'idle' | 'suspend' | 'screen_lock' | 'quit'): { isLocked: boolean } {
  try {
    if (s.vault?.isOpen && s.user) {
      s.write((db, audit) => {
        audit({ action: 'lock', entityType: 'vault', entityId: s.vault!.vaultId, summary: `Locked (${reason.replace('_', ' ')})` });
        recordWorkstationHead(s, db);
      });
    }
  } finally {
    // Whatever happened to the entry, the key leaves memory and the window is cleared.
    s.closeVault();
    s.onLocked?.(reason);
  }
  return { isLocked: true };
}

/** Rewrite the user's slot; a wrong current passphrase counts as a failed unlock does. */
function changeCountingFailures(s: Session, userId: string, args: { current: string; next: string }, derived?: DerivedPassphraseChange): SlotChange {
  const vault = s.vault!;
  try {
    return vault.changePassphrase(
      userId,
      args.current,
      args.next,
      (db, key) =>
        s.appendIn(db, { action: 'key_change', entityType: 'user', entityId: userId, summary: "Passphrase change started; the new key slot's signing key registered", statements: [keyStatement(userId, key)] }),
      derived,
    );
  } catch (e) {
    if (e instanceof VaultError && e.code === 'wrong_passphrase') {
      recordFailure(vaultCtx(s), vault.vaultId);
      countFailedAttempt(s.ctx.stateDir, vault.vaultId, s.ctx.now());
    }
    throw e;
  }
}

/**
 * What a passphrase change checks before any derivation: who asks, the throttle (at an unlocked
 * screen left unattended, this is a guess at the owner's passphrase: the same throttle and count
 * as an unlock, and its failures reach the log at the next good unlock), and the new passphrase.
 */
function checkPassphraseChange(s: Session, args: { current: string; next: string }): SessionUser {
  const user = s.requireUser();
  checkThrottle(vaultCtx(s), s.vault!.vaultId);
  if (args.next === args.current) throw new VaultError('weak_passphrase', 'Choose a passphrase different from your current one.');
  requireAcceptable(args.next, [user.name], passphraseRelatedWords(s.vault!.db, findUser(s.vault!.db, user.id)?.unit ?? ''));
  return user;
}

/** Change the signed-in user's passphrase. With `derived` (changePassphraseAsync) the keys derived ahead are used where they fit. */
export function changePassphrase(s: Session, args: { current: string; next: string }, derived?: DerivedPassphraseChange): { isChanged: boolean } {
  const user = checkPassphraseChange(s, args);
  const change = changeCountingFailures(s, user.id, args, derived);
  // From here the session signs with the new slot's key (the old one is replaced at its first use).
  s.signer = change.signer;
  const wasDue = user.mustChangePassphrase === true;
  s.write((db, audit) => {
    change.complete(db);
    audit({ action: 'key_change', entityType: 'user', entityId: user.id, summary: wasDue ? 'Passphrase changed by its user, replacing the one someone else chose' : 'Passphrase changed' });
    if (wasDue) clearPassphraseChangeDue(db, user.id);
  });
  if (wasDue) s.user = { id: user.id, name: user.name, role: user.role, ...(user.unit === undefined ? {} : { unit: user.unit }) };
  return { isChanged: true };
}

export function backup(s: Session, args: { path: string }): { path: string; bytes: number } {
  const vault = s.requireVault();
  s.requireUser();
  // Refuse a bad destination before the entry, so a refused backup leaves no record claiming one.
  checkNewVaultPath(args.path);
  // The entry goes in first, so the backup carries the record of its own making.
  s.write((_db, audit) => audit({ action: 'backup', entityType: 'vault', entityId: vault.vaultId, summary: 'Encrypted backup written' }));
  return vault.backup(args.path);
}

export function rotateKey(s: Session): { isRotated: boolean } {
  const vault = s.requireVault();
  s.requireUser();
  const { notResealed } = vault.rotateDataKey();
  s.write((db, audit) => {
    audit({ action: 'key_change', entityType: 'vault', entityId: vault.vaultId, summary: 'Data key rotated and re-sealed to every key slot' });
    recordNotResealed(vault, db, audit, notResealed);
  });
  return { isRotated: true };
}

/**
 * Restore a backup to a new path and make it this workstation's vault. The restore is recorded in
 * the restored vault's log, and the workstation's audit head moves to it (a restore is a
 * deliberate roll-back; any other roll-back is flagged at unlock).
 */
export function restore(s: Session, args: { backupPath: string; destPath: string; userName: string; passphrase: string }, derived?: DerivedUnlockKeys): SessionUser {
  if (s.vault) s.closeVault();
  const u = restoreVault(vaultCtx(s), { backupPath: args.backupPath, destPath: args.destPath, userName: args.userName, secret: args.passphrase }, derived);
  const row = findUser(u.vault.db, u.slot.userId!);
  if (!row || row.removedAt) {
    u.vault.close();
    throw new VaultError('user_removed', 'This user no longer has access to the vault.');
  }
  const user: SessionUser = { id: row.id, name: row.name, role: row.role };
  s.vaultPath = args.destPath;
  s.vault = u.vault;
  const signing = settleSigning(s, u, row.id, row.role);
  if (signing.isRemoved) {
    s.closeVault();
    throw new VaultError('user_removed', 'This user no longer has access to the vault.');
  }
  if (signing.role) user.role = signing.role as Role;
  // A passphrase someone else chose still has to be replaced first, whichever way the vault was opened.
  if (passphraseChangeDue(u.vault.db, row.id)) user.mustChangePassphrase = true;
  s.user = user;
  s.auditWarning = signing.warnings.join(' ') || null;
  s.write((db, audit) => {
    if (signing.warnings.length > 0) audit({ action: 'restore', entityType: 'audit_log', entityId: null, summary: `Signed registry at restore: ${signing.warnings.join(' ')}` });
    audit({ action: 'restore', entityType: 'vault', entityId: u.vault.vaultId, summary: `Restored from a backup at entry ${readHead(u.vault.db).seq}` });
    recordKeySlots(u.vault, db, audit, u);
  });
  // A restore never resurrects: erasures made since the backup was taken go again.
  reapplyErasures(s);
  writeExternalHead(s.ctx.stateDir, u.vault.vaultId, u.vault.auditKey, readHead(u.vault.db));
  return user;
}

/* ---- For the command line: facts about a vault file, and a restore from removable media ----- */

/** Refuse what is plainly not a vault before a passphrase is asked for; opens nothing. */
export function checkVaultFile(path: string): void {
  precheckVaultFile(path);
}

/** Where a vault's key file lives: beside it, and always copied with it. */
export function keyFileFor(path: string): string {
  return keysPathFor(path);
}

function fileFact(path: string): { path: string; bytes: number | null } {
  return { path, bytes: existsSync(path) ? statSync(path).size : null };
}

/** What the key file and the folder say about a vault, without unlocking it (`vault info`). */
export function vaultFileFacts(path: string) {
  precheckVaultFile(path);
  const keys = readKeyFile(keysPathFor(path));
  return {
    path,
    vaultId: keys.vaultId,
    keyGeneration: keys.generation,
    isRotationPending: keys.pending !== null,
    // No name: the key file keeps only a hash of each (keyfile.ts); --unlock joins the users table.
    slots: keys.slots.map((x) => ({
      kind: x.kind,
      slotId: x.id,
      kdf: `scrypt N=2^${Math.log2(x.kdf.N)} r=${x.kdf.r} p=${x.kdf.p}`,
      format: x.format ?? 1,
      updatedAt: x.updatedAt,
    })),
    files: {
      vault: fileFact(path),
      wal: fileFact(`${path}-wal`),
      shm: fileFact(`${path}-shm`),
      keys: fileFact(keysPathFor(path)),
      lock: fileFact(lockPathFor(path)),
    },
  };
}

/** What only the unlocked vault can say about itself (`vault info --unlock`): schema, users, log length and the pragmas read back. */
export function openVaultFacts(s: Session): {
  userVersion: number;
  users: { active: number; removed: number };
  auditEntries: number;
  pragmas: Record<ShownPragma, string>;
  keySlots: KeySlotRow[];
  keySlotWarning: string | null;
} {
  s.requireUser();
  const db = s.vault!.db;
  const users = listUsers(db);
  return {
    userVersion: schemaVersion(db),
    users: { active: users.filter((u) => !u.removedAt).length, removed: users.filter((u) => u.removedAt).length },
    auditEntries: readHead(db).seq,
    pragmas: readBackPragmas(db),
    // Each slot checked against the vault's registry, as the Users screen shows them.
    keySlots: keySlotRows(s.vault!, db),
    keySlotWarning: s.vault!.keySlotWarning,
  };
}

/** Refuse a restore that cannot succeed before a passphrase is asked for: the backup must look like a vault, with its key file, and the destination must be new. */
export function checkRestore(args: { backupPath: string; destPath: string }): void {
  precheckVaultFile(args.backupPath);
  readKeyFile(keysPathFor(args.backupPath));
  checkNewVaultPath(args.destPath);
}

/**
 * Copy a backup and its key file, untouched, into a new private folder beside the destination.
 * Unlocking opens a database read-write (WAL, lock file), which would alter the backup and fail on
 * write-protected media, so a restore from the command line works on this copy. `discard` removes
 * only that folder (the copy and its -wal, -shm, .keys and .lock).
 */
export function stageBackup(backupPath: string, destPath: string): { path: string; discard: () => void } {
  const staging = mkdtempSync(join(dirname(destPath), '.harm-matrix-restore-'));
  const discard = (): void => rmSync(staging, { recursive: true, force: true });
  try {
    const staged = join(staging, 'backup.hmvault');
    copyFileSync(backupPath, staged);
    copyFileSync(keysPathFor(backupPath), keysPathFor(staged));
    return { path: staged, discard };
  } catch (e) {
    discard();
    throw e;
  }
}

/**
 * Whose key slot a passphrase opens in a backup, and their role there, read from the backup
 * itself: it is opened and closed again, and nothing is recorded (restoring is an administrator's
 * act, and the role that counts is the one in the vault being restored).
 */
export function backupUser(s: Session, args: { path: string; userName: string; passphrase: string }, derived?: DerivedUnlockKeys): SessionUser {
  const probe = Vault.unlock(vaultCtx(s), { path: args.path, userName: args.userName, secret: args.passphrase }, derived);
  try {
    const row = findUser(probe.vault.db, probe.slot.userId ?? '');
    if (!row || row.removedAt) throw new VaultError('user_removed', 'This user no longer has access to the vault.');
    const user: SessionUser = { id: row.id, name: row.name, role: row.role };
    // A passphrase someone else chose is no more its user's to restore with than to unlock with.
    if (passphraseChangeDue(probe.vault.db, row.id)) user.mustChangePassphrase = true;
    return user;
  } finally {
    probe.vault.close();
  }
}

/* ---- Every key derivation off the main thread --------------------------------------------------- */

/*
 * The app's and the command line's entry points (main/ipc). Each derives first, on libuv's thread
 * pool, so the window keeps being served through scrypt's 0.75 s, then calls the synchronous use
 * case above with the derived keys, so its transactions and file writes are exactly as they are
 * without them. The keys are wiped when it returns, whatever happened.
 */

/**
 * After a derivation off the main thread, the session must still be the one that asked: the same
 * vault open and the same user signed in. The window kept working meanwhile, so it may have been
 * locked, or even unlocked again by someone else, whose role the dispatcher never checked for
 * this call. Refused in one sentence; the caller wipes what it derived.
 */
export function requireSameSession(s: Session, vault: Vault, userId: string): void {
  if (s.vault !== vault || !vault.isOpen || s.user?.id !== userId) {
    throw new VaultError('locked', 'The vault was locked before this could be done. Nothing was changed; unlock and try again.');
  }
}

/** createVault, with the calibration and both slots' keys derived off the main thread (Vault.prepareCreate). */
export async function createVaultAsync(s: Session, args: { path: string; adminName: string; passphrase: string }): Promise<{ recoveryCode: string }> {
  if (s.vault) throw new VaultError('conflict', 'Lock the open vault before creating another.');
  requireAcceptable(args.passphrase, [args.adminName]);
  const prepared = await Vault.prepareCreate(vaultCtx(s), args);
  try {
    return createVault(s, args, prepared);
  } finally {
    wipePreparedVault(prepared);
  }
}

/** newRecoveryCode, with the new slot's key derived off the main thread. */
export async function newRecoveryCodeAsync(s: Session): Promise<{ recoveryCode: string }> {
  const user = s.requireUser();
  const vault = s.vault!;
  const prepared = await vault.prepareRecoveryCode();
  try {
    requireSameSession(s, vault, user.id);
    return newRecoveryCode(s, prepared);
  } finally {
    wipeSlotKey(prepared.derived);
  }
}

/**
 * changePassphrase with both derivations off the main thread: the throttle and the new
 * passphrase are checked first, before any derivation; then the current passphrase's key (and,
 * only if it opens the user's slot, the new one's); then the change, which uses them. A wrong
 * current passphrase is refused and counted there, as without them.
 */
export async function changePassphraseAsync(s: Session, args: { current: string; next: string }): Promise<{ isChanged: boolean }> {
  const user = checkPassphraseChange(s, args);
  const vault = s.vault!;
  const derived = await vault.deriveForPassphraseChange(user.id, args.current, args.next);
  try {
    requireSameSession(s, vault, user.id);
    return changePassphrase(s, args, derived);
  } finally {
    wipeDerivedChange(derived);
  }
}

/**
 * restore, with its unlock's key derived off the main thread, once: for the check of who restores
 * (backupUser, then `check`, which refuses by throwing) and for both of the restore's unlocks.
 * `backupPath` is probed as it is: the command line passes a private copy (stageBackup).
 */
export async function restoreAsync(
  s: Session,
  args: { backupPath: string; destPath: string; userName: string; passphrase: string },
  check?: (user: SessionUser) => void,
): Promise<SessionUser> {
  if (s.vault) s.closeVault();
  checkRestore(args);
  const derived = await Vault.deriveForUnlock(vaultCtx(s), { path: args.backupPath, userName: args.userName, secret: args.passphrase });
  try {
    if (check) check(backupUser(s, { path: args.backupPath, userName: args.userName, passphrase: args.passphrase }, derived));
    return restore(s, args, derived);
  } finally {
    wipeDerived(derived);
  }
}

/**
 * The app's unlock: the KDF runs on libuv's thread pool (Vault.deriveForUnlock) so the window stays
 * responsive, then the same unlock as every other caller, which uses the derived key where it fits.
 */
export async function unlockAsync(s: Session, args: { userName: string; passphrase: string }): Promise<SessionUser> {
  if (s.vault?.isOpen) return unlock(s, args);
  const path = requireSelected(s);
  const derived = await Vault.deriveForUnlock(vaultCtx(s), { path, userName: args.userName, secret: args.passphrase });
  try {
    return unlock(s, args, derived);
  } finally {
    wipeDerived(derived);
  }
}

/**
 * The app's recovery unlock, derived off the main thread as unlockAsync is; then, with the vault
 * open (its cost is the vault's own), the new passphrase's slot key, also off the main thread.
 */
export async function recoverAsync(s: Session, args: { recoveryCode: string; userName: string; newPassphrase: string }): Promise<SessionUser> {
  if (s.vault?.isOpen) return recover(s, args);
  const path = requireSelected(s);
  requireAcceptable(args.newPassphrase, [args.userName]);
  const derived = await Vault.deriveForUnlock(vaultCtx(s), { path, userName: null, secret: args.recoveryCode });
  let opened: { u: UnlockedVault; row: UserRow };
  try {
    opened = openForRecovery(s, args, derived);
  } finally {
    wipeDerived(derived);
  }
  let slotKey: DerivedSlotKey;
  try {
    slotKey = await opened.u.vault.deriveNewSlotKey(args.newPassphrase);
  } catch (e) {
    if (s.vault === opened.u.vault) s.closeVault();
    else opened.u.vault.close();
    throw e;
  }
  try {
    return finishRecovery(s, args, opened, slotKey);
  } finally {
    wipeSlotKey(slotKey);
  }
}
