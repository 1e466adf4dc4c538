/**
 * A vault: one SQLCipher-v4 database file (`name.hmvault`) encrypted with a random 256-bit data
 * key, the key file beside it (`name.hmvault.keys`, one slot per user and a recovery slot) and a
 * lock file (`name.hmvault.lock`) that keeps it to one process.
 *
 * This class owns the database handle and the data key while unlocked. It knows nothing of roles
 * or audit wording: services/ decide who may do what and write the audit entries, inside the
 * transactions this class runs for them.
 *
 * Which key slots are legitimate is the vault's own record (slot-registry.ts), not the key file:
 * every unlock and every rotation checks the file against it.
 *
 * Nothing here ever deletes, truncates or "resets" a vault file on an error.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, statSync, unlinkSync, renameSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { calibratedCost, calibratedCostAsync, deriveAuditKey, isAllowedScryptCost, newRecoveryCode, normaliseRecoveryCode, publicKeyHash, randomDataKey } from './crypto';
import { claimNewFile, openDatabase, precheckVaultFile, type Db } from './database';
import { VaultError } from './errors';
import {
  copyFileExclusive,
  deriveNewSlotKey,
  keysPathFor,
  makeSlot,
  openSlotDataKey,
  openSlotWithKek,
  publishNoReplace,
  readKeyFile,
  sealForSlot,
  sealNewSlot,
  slotCommitment,
  slotKek,
  slotKekAsync,
  tempNameBeside,
  writeFileAtomic,
  writeKeyFile,
  fsyncDir,
  writeNewFile,
  hasClearNames,
  isSlotNamed,
  slotNameOf,
  wipeSlotKey,
  type DerivedSlotKey,
  type KdfCost,
  type KeyFile,
  type OpenedSlot,
  type Slot,
  type SlotKind,
} from './keyfile';
import { acquireVaultLock, lockPathFor, type ProcessLock } from './lock';
import { slotSigningKey, type SigningKey } from './signing';
import { MIGRATIONS } from './migrations';
import { readMeta, writeMeta } from './meta';
import {
  completePendingRewrite,
  dropPendingRewrite,
  inspectKeyFile,
  isRegistryBuilt,
  isTrusted,
  hasSlotRegistry,
  markRegistryBuilt,
  markUserSlotsRemoved,
  newCommitKey,
  readRegistry,
  registerSlot,
  setPendingRewrite,
  setSlotStatus,
  slotProblem,
  type FindingCode,
  type RegisteredSlot,
  type SlotFinding,
} from './slot-registry';

export const VAULT_EXTENSION = '.hmvault';

export interface VaultContext {
  /** Per-workstation state: unlock throttling, audit heads. Not beside the vault, so a copied or
   * rolled-back vault cannot bring its own. */
  stateDir: string;
  now: () => Date;
  kdfCost: KdfCost;
}

/* ---- Failed unlock throttling -------------------------------------------------------------- */

interface FailureRecord {
  count: number;
  firstAt: string;
  lastAt: string;
}

function failuresPath(ctx: VaultContext): string {
  return join(ctx.stateDir, 'unlock-failures.json');
}
function readFailures(ctx: VaultContext): Record<string, FailureRecord> {
  try {
    return JSON.parse(readFileSync(failuresPath(ctx), 'utf8')) as Record<string, FailureRecord>;
  } catch {
    return {};
  }
}
function writeFailures(ctx: VaultContext, all: Record<string, FailureRecord>): void {
  mkdirSync(ctx.stateDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(failuresPath(ctx), JSON.stringify(all));
}

/** Seconds to wait after `count` consecutive failures: two free tries, then 2, 4, 8 … up to 5 minutes. */
export function backoffSeconds(count: number): number {
  if (count < 3) return 0;
  return Math.min(2 ** (count - 2), 300);
}

/** Refuse while the back-off runs. Every check of a passphrase (unlock, recovery, a passphrase change) goes through it. */
export function checkThrottle(ctx: VaultContext, vaultId: string): void {
  const rec = readFailures(ctx)[vaultId];
  if (!rec) return;
  const waitUntil = Date.parse(rec.lastAt) + backoffSeconds(rec.count) * 1000;
  const remaining = Math.ceil((waitUntil - ctx.now().getTime()) / 1000);
  if (remaining > 0) {
    throw new VaultError('rate_limited', `Too many failed attempts. Wait ${remaining} second${remaining === 1 ? '' : 's'} and try again.`, remaining);
  }
}

export function recordFailure(ctx: VaultContext, vaultId: string): void {
  const all = readFailures(ctx);
  const now = ctx.now().toISOString();
  const rec = all[vaultId];
  all[vaultId] = rec ? { count: rec.count + 1, firstAt: rec.firstAt, lastAt: now } : { count: 1, firstAt: now, lastAt: now };
  writeFailures(ctx, all);
}

/** Failures since the last unlock, returned so the caller can audit them, then cleared. */
function takeFailures(ctx: VaultContext, vaultId: string): FailureRecord | null {
  const all = readFailures(ctx);
  const rec = all[vaultId] ?? null;
  if (rec) {
    delete all[vaultId];
    writeFailures(ctx, all);
  }
  return rec;
}

/* ---- Paths --------------------------------------------------------------------------------- */

export function checkNewVaultPath(path: string): void {
  if (!isAbsolute(path)) throw new VaultError('invalid_input', 'Give the full path of the new vault file.');
  if (!path.endsWith(VAULT_EXTENSION)) throw new VaultError('invalid_input', `A vault file name ends in ${VAULT_EXTENSION}.`);
  if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) {
    throw new VaultError('invalid_input', 'That folder does not exist.');
  }
  for (const p of [path, keysPathFor(path), `${path}-wal`]) {
    if (existsSync(p)) throw new VaultError('exists', 'A vault or file already exists at that location. Choose a new file name.');
  }
}

/** The refusal for a database that cannot answer for the slot that opened it (vault substitution). */
export const NOT_THIS_VAULT = 'This key file does not belong to this vault.';

/** Why a slot that its secret opened is still not used, for the person at the screen. */
const REFUSED: Partial<Record<FindingCode, string>> = {
  unknown_slot: 'This key slot is not one this vault issued, so it was not used. Tell an administrator: the key file may have been altered.',
  second_recovery: 'This recovery slot is not one this vault issued, so it was not used. Tell an administrator: the key file may have been altered.',
  wrong_owner: 'This key slot is not one this vault issued, so it was not used. Tell an administrator: the key file may have been altered.',
  older_copy: 'This key slot has been replaced since: an older copy of the key file was put back. It was not used. Tell an administrator.',
};

export interface UnlockedVault {
  vault: Vault;
  /** The slot used: a user's, or the recovery slot (as it is in the key file after this unlock). */
  slot: Slot;
  failuresSinceLastUnlock: FailureRecord | null;
  /** What comparing the key file with the vault's slot registry found and did at this unlock; each goes into the audit log. */
  slotFindings: SlotFinding[];
  /** False for a vault from before the registry: the caller builds it now (key-slots.service.ts). */
  isRegistryBuilt: boolean;
  /** The audit signing key of the slot as it is now (main/vault/signing.ts). never log: key material. */
  signer: SigningKey;
  /** The slot's signing key before this unlock rewrote it in the current format, if it did. never log: key material. */
  previousSigner: SigningKey | null;
}

/** A new slot's signing key, public half: what the audit log registers for it. */
export interface NewSigningKey {
  slotId: string;
  keyId: string;
  publicKey: string;
}

/**
 * Called inside the transaction that records a new slot as being added, before the key file is
 * written: the service registers the slot's signing key there with a signed audit entry, so the
 * start of every key change is in the log and its key is known even if the app stops part-way.
 */
export type AuthoriseKey = (db: Db, key: NewSigningKey) => void;

/**
 * Keys derived ahead of an unlock, off the main thread (Vault.deriveForUnlock), for the slots that
 * unlock will try. A key that does not fit simply opens nothing. never log: key material.
 */
export interface DerivedUnlockKeys {
  keys: { slotId: string; salt: string; kek: Buffer }[];
}

export function wipeDerived(d: DerivedUnlockKeys | undefined): void {
  for (const k of d?.keys ?? []) k.kek.fill(0);
}

/**
 * What a new vault derives, ahead and off the main thread (Vault.prepareCreate): the calibrated
 * cost, the recovery code and the keys of the creator's and the recovery slot. never log: key material.
 */
export interface PreparedVault {
  cost: { N: number; r: number; p: number };
  recoveryCode: string;
  admin: DerivedSlotKey;
  recovery: DerivedSlotKey;
}

export function wipePreparedVault(p: PreparedVault | undefined): void {
  wipeSlotKey(p?.admin);
  wipeSlotKey(p?.recovery);
}

/**
 * A passphrase change's keys, derived ahead and off the main thread (Vault.deriveForPassphraseChange):
 * the current passphrase's key for the user's slot as it then was (used only if that slot is still
 * the one, by id and salt), and the new passphrase's key with the new slot's parameters, or null
 * when the current passphrase did not open the slot (nothing more was derived). never log: key material.
 */
export interface DerivedPassphraseChange {
  current: { slotId: string; salt: string; kek: Buffer };
  next: DerivedSlotKey | null;
}

export function wipeDerivedChange(d: DerivedPassphraseChange | undefined): void {
  d?.current.kek.fill(0);
  wipeSlotKey(d?.next);
}

/** A new recovery code and its slot's key, derived ahead and off the main thread (Vault.prepareRecoveryCode). never log: key material. */
export interface PreparedRecoveryCode {
  recoveryCode: string;
  derived: DerivedSlotKey;
}

/**
 * The slots an unlock tries. A name: that user's slot (found by hashing the name with each user
 * slot's salt; at most two, should two names differ only in case or spacing), or (unknown name)
 * the first slot, so an unknown name costs the same time as a wrong passphrase, and is refused in
 * the same words (wrongSecret). The recovery code: the recovery slots, newest first, at most two
 * (the current code and, until it is confirmed, its successor), so a file stuffed with recovery
 * slots cannot make an unlock derive without end.
 */
function unlockCandidates(keys: KeyFile, userName: string | null): { tries: Slot[]; isMatch: boolean } {
  if (userName === null) {
    const recovery = keys.slots
      .filter((s) => s.kind === 'recovery')
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .slice(0, 2);
    return recovery.length > 0 ? { tries: recovery, isMatch: true } : { tries: [keys.slots[0]], isMatch: false };
  }
  const named = keys.slots.filter((s) => isSlotNamed(keys.vaultId, s, userName)).slice(0, 2);
  return named.length > 0 ? { tries: named, isMatch: true } : { tries: [keys.slots[0]], isMatch: false };
}

const secretFor = (userName: string | null, secret: string): string => (userName === null ? normaliseRecoveryCode(secret) : secret);

function wrongSecret(userName: string | null): VaultError {
  return new VaultError(
    'wrong_passphrase',
    userName === null ? 'That recovery code is not right.' : 'That name and passphrase do not match. Check them and try again.',
  );
}

/** A key change under way: its registry record is finished in the transaction that writes its audit entry. */
export interface SlotChange {
  slot: Slot;
  /** Record the change as done. Call inside the transaction that writes its audit entry. */
  complete(db: Db): void;
  /** Undo a change whose recording transaction failed: the key file and registry go back. */
  abandon(): void;
  /** The new slot's audit signing key. never log: key material. */
  signer: SigningKey;
}

/* ---- The vault ----------------------------------------------------------------------------- */

export class Vault {
  private isClosed = false;
  private readonly closeListeners = new Set<() => void>();
  /**
   * Set by the service after an unlock that found slots the registry does not trust: shown in the
   * app status until the vault locks.
   */
  keySlotWarning: string | null = null;

  private constructor(
    readonly path: string,
    readonly db: Db,
    readonly vaultId: string,
    /** never log: key material */
    private dataKey: Buffer,
    /** never log: key material */
    readonly auditKey: Buffer,
    private readonly lock: ProcessLock,
    private readonly ctx: VaultContext,
  ) {}

  get keysPath(): string {
    return keysPathFor(this.path);
  }

  readKeys(): KeyFile {
    return readKeyFile(this.keysPath);
  }

  private writeKeys(keys: KeyFile): void {
    writeKeyFile(this.keysPath, keys);
  }

  /**
   * Create a new vault with its first user (an administrator) and a recovery slot. `seed` runs in
   * the same transaction as the schema's first rows, so the creator's user row and the first
   * audit entries land together. The slots are registered in the same transaction. The KDF cost is
   * calibrated here, once, for this workstation (crypto.ts calibratedCost) and recorded in the
   * vault for every slot it makes later. Returns the recovery code: show it once, never store it.
   */
  static create(
    ctx: VaultContext,
    args: { path: string; adminName: string; passphrase: string },
    seed: (db: Db, auditKey: Buffer) => { userId: string },
    prepared?: PreparedVault,
  ): { vault: Vault; recoveryCode: string; userId: string; signer: SigningKey; adminSlotId: string; recoveryKey: NewSigningKey } {
    checkNewVaultPath(args.path);
    const cost = prepared?.cost ?? calibratedCost(ctx.kdfCost);
    const vaultId = randomUUID();
    const dataKey = randomDataKey();
    const lock = acquireVaultLock(args.path);
    let db: Db | undefined;
    try {
      db = openDatabase(args.path, dataKey, { mode: 'create', migrations: MIGRATIONS });
      const auditKey = deriveAuditKey(dataKey, vaultId);
      const database = db;
      const recoveryCode = prepared?.recoveryCode ?? newRecoveryCode();
      const now = ctx.now();
      const signers: SigningKey[] = [];
      const { userId, slots } = database
        .transaction(() => {
          writeMeta(database, 'vault_id', vaultId);
          writeMeta(database, 'created_at', now.toISOString());
          // The audit key outlives data-key rotation: see audit.ts. Inside the encrypted vault.
          writeMeta(database, 'audit_key', auditKey.toString('hex'));
          writeMeta(database, 'kdf_cost', JSON.stringify(cost));
          const id = seed(database, auditKey).userId;
          const isRegistered = hasSlotRegistry(database);
          const made = (
            [
              { kind: 'user', userId: id, userName: args.adminName, secret: args.passphrase },
              { kind: 'recovery', userId: null, userName: null, secret: recoveryCode },
            ] as const
          ).map((spec) => {
            const commitKey = newCommitKey();
            const derived = spec.kind === 'user' ? prepared?.admin : prepared?.recovery;
            const slot = makeSlot({ vaultId, ...spec, dataKey, generation: 1, kdfCost: cost, commitKey, now, onSigningKey: (k) => signers.push(k), derived });
            if (isRegistered) registerSlot(database, slot, commitKey, 'active', now);
            return slot;
          });
          if (isRegistered) markRegistryBuilt(database, now);
          return { userId: id, slots: made };
        })
        .immediate();
      writeKeyFile(keysPathFor(args.path), { format: 'harm-matrix-keys', version: 1, vaultId, generation: 1, slots, pending: null });
      const [adminSlot, recoverySlot] = slots as [Slot, Slot];
      const [signer, recoverySigner] = signers as [SigningKey, SigningKey];
      return {
        vault: new Vault(args.path, database, vaultId, dataKey, auditKey, lock, ctx),
        recoveryCode,
        userId,
        signer,
        adminSlotId: adminSlot.id,
        recoveryKey: { slotId: recoverySlot.id, keyId: recoverySigner.keyId, publicKey: recoverySigner.publicKey },
      };
    } catch (e) {
      db?.close();
      lock.release();
      throw e;
    }
  }

  /**
   * Derive, off the main thread, what Vault.create would derive: the cost calibrated for this
   * workstation, then the creator's and the recovery slot's keys, one after the other as create
   * derives them. The caller passes the result to create and wipes it after (wipePreparedVault).
   * never log: key material.
   */
  static async prepareCreate(ctx: VaultContext, args: { path: string; passphrase: string }): Promise<PreparedVault> {
    checkNewVaultPath(args.path);
    const cost = await calibratedCostAsync(ctx.kdfCost);
    const recoveryCode = newRecoveryCode();
    const admin = await deriveNewSlotKey(args.passphrase, cost);
    try {
      return { cost, recoveryCode, admin, recovery: await deriveNewSlotKey(recoveryCode, cost) };
    } catch (e) {
      wipeSlotKey(admin);
      throw e;
    }
  }

  /**
   * Derive, off the main thread, the keys an unlock with these arguments will need, so the window
   * stays responsive through the KDF. Throttled like the unlock itself. The caller passes the
   * result to unlock (or restoreVault) and wipes it after (wipeDerived). never log: key material.
   */
  static async deriveForUnlock(ctx: VaultContext, args: { path: string; userName: string | null; secret: string }): Promise<DerivedUnlockKeys> {
    const keys = readKeyFile(keysPathFor(args.path));
    checkThrottle(ctx, keys.vaultId);
    const secret = secretFor(args.userName, args.secret);
    const out: DerivedUnlockKeys = { keys: [] };
    try {
      for (const slot of unlockCandidates(keys, args.userName).tries) out.keys.push({ slotId: slot.id, salt: slot.kdf.salt, kek: await slotKekAsync(slot, secret) });
    } catch (e) {
      wipeDerived(out);
      throw e;
    }
    return out;
  }

  /** The same derivation on this thread (restoreVault, when not given one, derives once for its two unlocks). */
  static deriveForUnlockNow(ctx: VaultContext, args: { path: string; userName: string | null; secret: string }): DerivedUnlockKeys {
    const keys = readKeyFile(keysPathFor(args.path));
    checkThrottle(ctx, keys.vaultId);
    const secret = secretFor(args.userName, args.secret);
    const out: DerivedUnlockKeys = { keys: [] };
    try {
      for (const slot of unlockCandidates(keys, args.userName).tries) out.keys.push({ slotId: slot.id, salt: slot.kdf.salt, kek: slotKek(slot, secret) });
    } catch (e) {
      wipeDerived(out);
      throw e;
    }
    return out;
  }

  /**
   * Unlock with a user's passphrase, or with the recovery code (`userName: null`).
   * A wrong secret leaves every file as it was; failures are counted per vault on this
   * workstation and slow down further attempts. Keys derived ahead (deriveForUnlock) are used
   * where they fit; anything else is derived here.
   *
   * Once the database is open, the slot must be one the vault's registry trusts, with the key
   * pair, KDF salt and format the registry holds, and (format 2) carry a commitment only this
   * vault's registry can reproduce; otherwise the unlock is refused ("This key file does not
   * belong to this vault." for a database that is not the slot's own).
   */
  static unlock(ctx: VaultContext, args: { path: string; userName: string | null; secret: string }, derived?: DerivedUnlockKeys): UnlockedVault {
    const keys = readKeyFile(keysPathFor(args.path));
    checkThrottle(ctx, keys.vaultId);
    const { tries, isMatch } = unlockCandidates(keys, args.userName);
    const secret = secretFor(args.userName, args.secret);
    const ownKeks: Buffer[] = [];
    let chosen: { slot: Slot; opened: OpenedSlot; kek: Buffer } | null = null;
    try {
      for (const slot of tries) {
        const ahead = derived?.keys.find((k) => k.slotId === slot.id && k.salt === slot.kdf.salt)?.kek;
        const kek = ahead ?? slotKek(slot, secret);
        if (!ahead) ownKeks.push(kek);
        const opened = openSlotWithKek(keys.vaultId, slot, kek);
        if (opened && isMatch) {
          chosen = { slot, opened, kek };
          break;
        }
        opened?.privateKey.fill(0);
      }
      if (!chosen) {
        recordFailure(ctx, keys.vaultId);
        throw wrongSecret(args.userName);
      }
      return Vault.openWithSlot(ctx, args.path, keys, chosen.slot, chosen.opened, chosen.kek);
    } finally {
      for (const k of ownKeks) k.fill(0);
      chosen?.opened.privateKey.fill(0);
      chosen?.opened.commitment?.fill(0);
    }
  }

  private static openWithSlot(ctx: VaultContext, path: string, keys: KeyFile, slot: Slot, opened: OpenedSlot, kek: Buffer): UnlockedVault {
    const lock = acquireVaultLock(path);
    try {
      let dataKey = openSlotDataKey(keys.vaultId, slot, opened.privateKey, keys.generation);
      if (!dataKey) throw new VaultError('keys_damaged', 'The key file for this vault is damaged and cannot be read.');
      let db: Db;
      let isPendingUsed = false;
      try {
        db = openDatabase(path, dataKey, { mode: 'open', migrations: MIGRATIONS });
      } catch (e) {
        // A rotation that stopped after the database was re-keyed but before the key file was
        // finalised: the pending key opens it; finish the rotation now.
        const pendingSealed = keys.pending?.sealed[slot.id];
        if (!(e instanceof VaultError && e.code === 'damaged' && keys.pending && pendingSealed)) throw e;
        const next = openSlotDataKey(keys.vaultId, slot, opened.privateKey, keys.pending.generation, pendingSealed);
        if (!next) throw e;
        db = openDatabase(path, next, { mode: 'open', migrations: MIGRATIONS });
        dataKey.fill(0);
        dataKey = next;
        isPendingUsed = true;
        finishRotation(path, keys);
      }
      if (keys.pending && !isPendingUsed) {
        // A rotation stopped before the swap: the live vault still has the current key, so the
        // pending one will never be needed. Drop it.
        writeKeyFile(keysPathFor(path), { ...keys, pending: null });
      }
      const auditKeyHex = readMeta(db, 'audit_key');
      if (readMeta(db, 'vault_id') !== keys.vaultId || !auditKeyHex) {
        db.close();
        throw new VaultError('keys_damaged', NOT_THIS_VAULT);
      }
      const vault = new Vault(path, db, keys.vaultId, dataKey, Buffer.from(auditKeyHex, 'hex'), lock, ctx);
      let report: { slot: Slot; findings: SlotFinding[]; isRegistryBuilt: boolean; rewrittenSigner: SigningKey | null };
      try {
        report = vault.checkAtUnlock(slot, opened, kek);
      } catch (e) {
        vault.close();
        throw e;
      }
      removeRotationLeftovers(path);
      const opening = slotSigningKey(opened.privateKey, keys.vaultId, slot.id);
      return {
        vault,
        slot: report.slot,
        failuresSinceLastUnlock: takeFailures(ctx, keys.vaultId),
        slotFindings: report.findings,
        isRegistryBuilt: report.isRegistryBuilt,
        signer: report.rewrittenSigner ?? opening,
        previousSigner: report.rewrittenSigner ? opening : null,
      };
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Run `fn` in one IMMEDIATE transaction: a write and its audit entry commit together. */
  tx<T>(fn: (db: Db) => T): T {
    this.assertOpen();
    return this.db.transaction(() => fn(this.db)).immediate();
  }

  private assertOpen(): void {
    if (this.isClosed) throw new VaultError('locked', 'The vault is locked.');
  }

  /* ---- The registry at unlock ---- */

  /**
   * Right after the database opens: is the slot that opened it one this vault issued and still
   * trusts? Then reconcile the key file with the registry (finish or drop a change that stopped
   * part-way, take out slots the registry does not trust, put back a replaced public key) and
   * rewrite the unlocking slot in format 2 if it is older.
   */
  private checkAtUnlock(slot: Slot, opened: OpenedSlot, kek: Buffer): { slot: Slot; findings: SlotFinding[]; isRegistryBuilt: boolean; rewrittenSigner: SigningKey | null } {
    if (!isRegistryBuilt(this.db)) {
      // Only a vault with a registry ever writes a format-2 slot, so a database without one that
      // such a slot opened was made by someone else around a copied slot.
      if (slot.format === 2 || opened.publicKey !== slot.publicKey) throw this.refusal(NOT_THIS_VAULT);
      return { slot, findings: [], isRegistryBuilt: false, rewrittenSigner: null };
    }
    const reg = readRegistry(this.db).find((r) => r.slotId === slot.id);
    this.refuseUntrusted(slot, reg, opened);
    const findings = this.reconcile();
    this.hashClearNames();
    let current = this.readKeys().slots.find((s) => s.id === slot.id) ?? slot;
    let rewrittenSigner: SigningKey | null = null;
    if (current.format !== 2) {
      current = this.rewriteInPlace(current, kek, (k) => (rewrittenSigner = k));
      findings.push({ code: 'upgraded', slotId: current.id, kind: current.kind, userId: current.userId, action: 'recorded' });
    }
    return { slot: current, findings, isRegistryBuilt: true, rewrittenSigner };
  }

  /** Counted as a failed attempt, so it is throttled and reaches the log at the next good unlock. */
  private refusal(message: string): VaultError {
    recordFailure(this.ctx, this.vaultId);
    return new VaultError('keys_damaged', message);
  }

  private refuseUntrusted(slot: Slot, reg: RegisteredSlot | undefined, opened: OpenedSlot): void {
    const problem = slotProblem(slot, reg);
    if (problem === 'removed_slot') {
      // A removal that stopped before the key file, or a removed user's slot put back: it goes.
      const keys = this.readKeys();
      if (keys.slots.length > 1) this.writeKeys({ ...keys, slots: keys.slots.filter((s) => s.id !== slot.id) });
      throw new VaultError('user_removed', 'This user no longer has access to the vault.');
    }
    // A replaced public key in the file is repaired by reconcile when the private key is the registered one.
    if (problem && problem !== 'public_key_replaced') throw this.refusal(REFUSED[problem] ?? NOT_THIS_VAULT);
    const r = reg!;
    const publicKeys = [r.publicKey, r.pending?.publicKey].filter((k): k is string => k !== undefined);
    if (!opened.publicKey || !publicKeys.includes(opened.publicKey)) throw this.refusal(NOT_THIS_VAULT);
    if (slot.format === 2) {
      const commitKeys = [r.commitKey, r.pending?.commitKey].filter((k): k is Buffer => k instanceof Buffer);
      const expected = commitKeys.map((k) => slotCommitment(k, this.vaultId, { ...slot, publicKey: opened.publicKey! }));
      const given = opened.commitment;
      if (!given || !expected.some((e) => e.length === given.length && timingSafeEqual(e, given))) throw this.refusal(NOT_THIS_VAULT);
    }
  }

  /** Bring the key file and the registry into agreement; returns what was found and done. */
  private reconcile(): SlotFinding[] {
    const now = this.ctx.now();
    const findings: SlotFinding[] = [];
    const note = (code: FindingCode, r: { slotId: string; kind: SlotKind; userId: string | null }, action: SlotFinding['action']) =>
      findings.push({ code, slotId: r.slotId, kind: r.kind, userId: r.userId, action });
    let keys = this.readKeys();
    const abandoned = new Set<string>();
    // Changes that stopped between their two records. A new user slot that reached the key file is
    // kept (its passphrase was typed for it; a slot whose user row never followed is refused at
    // unlock). A new recovery slot whose record never followed is dropped: its code is shown only
    // after that record, so nobody has seen it, and the current code still works.
    this.tx((db) => {
      for (const reg of readRegistry(db)) {
        const inFile = keys.slots.find((s) => s.id === reg.slotId);
        if (reg.status === 'adding') {
          const isThere = inFile !== undefined && publicKeyHash(inFile.publicKey) === reg.publicKeySha256 && reg.kind === 'user';
          if (!isThere && inFile) abandoned.add(reg.slotId);
          setSlotStatus(db, reg.slotId, isThere ? 'active' : 'removed', now);
          note(isThere ? 'add_completed' : 'add_abandoned', reg, inFile && !isThere ? 'taken_out' : 'recorded');
        }
        if (reg.pending && isTrusted(reg)) {
          const p = reg.pending;
          const isThere = inFile !== undefined && inFile.kdf.salt === p.kdf.salt && publicKeyHash(inFile.publicKey) === p.publicKeySha256 && (inFile.format ?? 1) === p.format;
          if (isThere) completePendingRewrite(db, reg.slotId, now);
          else dropPendingRewrite(db, reg.slotId);
          note(isThere ? 'rewrite_completed' : 'rewrite_abandoned', reg, 'recorded');
        }
      }
    });
    const registry = readRegistry(this.db);
    const byId = new Map(registry.map((r) => [r.slotId, r]));
    let slots = keys.slots.filter((s) => !abandoned.has(s.id));
    let isChanged = abandoned.size > 0;
    for (const f of inspectKeyFile({ ...keys, slots }, registry)) {
      if (f.code === 'missing') {
        // A slot replaced by a newer one of the same user (a recovery reset) or a recovery slot
        // replaced by a confirmed successor, whose final record did not happen: routine.
        const isReplaced = slots.some((s) => s.id !== f.slotId && s.kind === f.kind && s.userId === f.userId && isTrusted(byId.get(s.id)) && !slotProblem(s, byId.get(s.id)));
        if (isReplaced) {
          this.tx((db) => setSlotStatus(db, f.slotId, 'removed', now));
          note('replaced', f, 'recorded');
        } else {
          findings.push(f);
        }
      } else if (f.code === 'public_key_replaced') {
        const reg = byId.get(f.slotId)!;
        slots = slots.map((s) =>
          s.id === f.slotId ? { ...s, publicKey: reg.publicKey, sealedDataKey: sealForSlot(this.vaultId, { ...s, publicKey: reg.publicKey }, this.dataKey, keys.generation) } : s,
        );
        isChanged = true;
        findings.push(f);
      } else {
        slots = slots.filter((s) => s.id !== f.slotId);
        isChanged = true;
        findings.push(f);
      }
    }
    if (isChanged && slots.length > 0) {
      keys = { ...keys, slots };
      this.writeKeys(keys);
    }
    return findings;
  }

  /**
   * Rewrite a slot in format 2 with the key its owner's secret already derived (same salt, so no
   * second derivation): a new key pair, the data key sealed to it, a new commitment. Recorded as
   * under way before the key file is written and as done after, so a stop in between is finished
   * by the next unlock.
   */
  private rewriteInPlace(slot: Slot, kek: Buffer, onSigningKey: (k: SigningKey) => void): Slot {
    const keys = this.readKeys();
    const commitKey = newCommitKey();
    const now = this.ctx.now();
    const next = sealNewSlot({ vaultId: this.vaultId, id: slot.id, kind: slot.kind, userId: slot.userId, userName: slotNameOf(slot), kdf: slot.kdf, kek, dataKey: this.dataKey, generation: keys.generation, commitKey, now, onSigningKey });
    this.tx((db) => setPendingRewrite(db, next, commitKey, now));
    this.writeKeys({ ...keys, slots: keys.slots.map((s) => (s.id === slot.id ? next : s)) });
    this.tx((db) => completePendingRewrite(db, slot.id, now));
    return next;
  }

  /** A key file from before names were hashed: written again, which replaces each name by its hash (keyfile.ts). Needs no secret. */
  private hashClearNames(): void {
    const keys = this.readKeys();
    if (hasClearNames(keys)) this.writeKeys(keys);
  }

  /**
   * A vault from before the registry, at its first unlock after the upgrade: register the slots
   * the caller has decided to trust (see key-slots.service.ts for why this is the best available
   * trust on first use) and take every other slot out of the key file. Runs inside the caller's
   * transaction, with its audit entry.
   */
  buildRegistry(db: Db, trustedSlotIds: ReadonlySet<string>): { registered: Slot[]; takenOut: Slot[] } {
    this.assertOpen();
    const now = this.ctx.now();
    const keys = this.readKeys();
    // A slot made in this same session (a passphrase reset with the recovery code) is already recorded.
    const known = new Set(readRegistry(db).map((r) => r.slotId));
    const registered = keys.slots.filter((s) => !known.has(s.id) && trustedSlotIds.has(s.id));
    const takenOut = keys.slots.filter((s) => !known.has(s.id) && !trustedSlotIds.has(s.id));
    for (const slot of registered) registerSlot(db, slot, null, 'active', now);
    markRegistryBuilt(db, now);
    const kept = keys.slots.filter((s) => known.has(s.id) || trustedSlotIds.has(s.id));
    if (takenOut.length > 0 && kept.length > 0) this.writeKeys({ ...keys, slots: kept });
    this.hashClearNames();
    return { registered, takenOut };
  }

  /** The registry, for the Users screen and `vault info`. */
  registry(): RegisteredSlot[] {
    this.assertOpen();
    return readRegistry(this.db);
  }

  /* ---- Slots ---- */

  /** The cost of a new slot: the vault's, calibrated at its creation; an older vault calibrates now, once, and records it. */
  private slotCost(): { N: number; r: number; p: number } {
    const recorded = this.recordedCost();
    if (recorded) return recorded;
    const cost = calibratedCost(this.ctx.kdfCost);
    writeMeta(this.db, 'kdf_cost', JSON.stringify(cost));
    return cost;
  }

  /** slotCost, with an older vault's one calibration off the main thread. */
  private async slotCostAsync(): Promise<{ N: number; r: number; p: number }> {
    this.assertOpen();
    const recorded = this.recordedCost();
    if (recorded) return recorded;
    const cost = await calibratedCostAsync(this.ctx.kdfCost);
    this.assertOpen();
    // Another slot made meanwhile may have recorded one already: the first recorded stands.
    const meanwhile = this.recordedCost();
    if (meanwhile) return meanwhile;
    writeMeta(this.db, 'kdf_cost', JSON.stringify(cost));
    return cost;
  }

  private recordedCost(): { N: number; r: number; p: number } | null {
    const recorded = readMeta(this.db, 'kdf_cost');
    if (!recorded) return null;
    const c = JSON.parse(recorded) as { N: number; r: number; p: number };
    return isAllowedScryptCost(c) ? { N: c.N, r: c.r, p: c.p } : null;
  }

  /**
   * Derive, off the main thread, the key of a new slot for `secret` at the vault's cost with a
   * fresh salt, for putUserSlot (a new user, a recovery reset). The caller wipes it (keyfile.ts
   * wipeSlotKey). never log: key material.
   */
  async deriveNewSlotKey(secret: string): Promise<DerivedSlotKey> {
    return deriveNewSlotKey(secret, await this.slotCostAsync());
  }

  /** The user's own slot: in the key file, trusted by the registry and as the registry holds it. */
  private ownSlot(keys: KeyFile, userId: string): Slot {
    const registry = new Map(this.registry().map((r) => [r.slotId, r]));
    const slot = keys.slots.find((s) => s.kind === 'user' && s.userId === userId && isTrusted(registry.get(s.id)) && !slotProblem(s, registry.get(s.id)));
    if (!slot) throw new VaultError('not_found', 'There is no key slot for this user.');
    return slot;
  }

  /**
   * Derive, off the main thread, what changePassphrase needs: first the current passphrase's key
   * for the user's slot; only if it opens that slot, the new passphrase's key for the remade slot.
   * Throttling is the caller's, before this (vault.service changePassphraseAsync). The caller passes
   * the result to changePassphrase and wipes it after (wipeDerivedChange). never log: key material.
   */
  async deriveForPassphraseChange(userId: string, current: string, next: string): Promise<DerivedPassphraseChange> {
    this.assertOpen();
    const slot = this.ownSlot(this.readKeys(), userId);
    const cost = await this.slotCostAsync();
    const derived: DerivedPassphraseChange = { current: { slotId: slot.id, salt: slot.kdf.salt, kek: await slotKekAsync(slot, current) }, next: null };
    try {
      const opened = openSlotWithKek(this.vaultId, slot, derived.current.kek);
      if (opened) {
        opened.privateKey.fill(0);
        opened.commitment?.fill(0);
        derived.next = await deriveNewSlotKey(next, cost);
      }
      return derived;
    } catch (e) {
      wipeDerivedChange(derived);
      throw e;
    }
  }

  /** Derive, off the main thread, a new recovery code's slot key, for replaceRecoverySlot. The caller wipes it. never log: key material. */
  async prepareRecoveryCode(): Promise<PreparedRecoveryCode> {
    const recoveryCode = newRecoveryCode();
    return { recoveryCode, derived: await this.deriveNewSlotKey(recoveryCode) };
  }

  /**
   * A new slot, written beside the others: recorded in the registry as being added, then written
   * to the key file (taking out `replaces`), then recorded as done by `complete` in the caller's
   * transaction (which also stops trusting `replaces`, and keeps `retires` working as retiring).
   */
  private stageNewSlot(
    spec: { kind: SlotKind; userId: string | null; userName: string | null; secret: string },
    replaces: string[],
    retires: string[],
    authorise?: AuthoriseKey,
    derived?: DerivedSlotKey,
  ): SlotChange {
    this.assertOpen();
    const keys = this.readKeys();
    const now = this.ctx.now();
    const commitKey = newCommitKey();
    let signer: SigningKey | null = null;
    const kdfCost = derived?.kdf ?? this.slotCost();
    const slot = makeSlot({ vaultId: this.vaultId, ...spec, dataKey: this.dataKey, generation: keys.generation, kdfCost, commitKey, now, onSigningKey: (k) => (signer = k), derived });
    const made = signer as SigningKey | null;
    if (!made) throw new Error('a new slot has no signing key');
    this.tx((db) => {
      registerSlot(db, slot, commitKey, 'adding', now);
      authorise?.(db, { slotId: slot.id, keyId: made.keyId, publicKey: made.publicKey });
    });
    const replaced = keys.slots.filter((s) => replaces.includes(s.id));
    try {
      this.writeKeys({ ...keys, slots: [...keys.slots.filter((s) => !replaces.includes(s.id)), slot] });
    } catch (e) {
      this.tx((db) => setSlotStatus(db, slot.id, 'removed', now));
      throw e;
    }
    return {
      slot,
      signer: made,
      complete: (db) => {
        setSlotStatus(db, slot.id, 'active', now);
        for (const id of replaces) setSlotStatus(db, id, 'removed', now);
        for (const id of retires) setSlotStatus(db, id, 'retiring', now);
      },
      abandon: () => {
        const current = this.readKeys();
        this.writeKeys({ ...current, slots: [...current.slots.filter((s) => s.id !== slot.id), ...replaced.filter((r) => !current.slots.some((s) => s.id === r.id))] });
        this.tx((db) => setSlotStatus(db, slot.id, 'removed', now));
      },
    };
  }

  /**
   * Add a slot for a user, or replace theirs (a passphrase reset with the recovery code). With
   * `derived` (deriveNewSlotKey, for this passphrase) nothing is derived here.
   */
  putUserSlot(userId: string, userName: string, passphrase: string, authorise?: AuthoriseKey, derived?: DerivedSlotKey): SlotChange {
    const replaces = this.readKeys()
      .slots.filter((s) => s.userId === userId)
      .map((s) => s.id);
    return this.stageNewSlot({ kind: 'user', userId, userName, secret: passphrase }, replaces, [], authorise, derived);
  }

  /**
   * Change a passphrase: checks the current one, then remakes only that user's slot (same id, a
   * new key pair and the data key sealed to it, so a kept copy of the old slot unwraps a key
   * nothing new is sealed to). Recorded as under way, written, then done by `complete`. Keys
   * derived ahead (deriveForPassphraseChange) are used where they fit; anything else is derived here.
   */
  changePassphrase(userId: string, current: string, next: string, authorise?: AuthoriseKey, derived?: DerivedPassphraseChange): SlotChange {
    this.assertOpen();
    const keys = this.readKeys();
    const slot = this.ownSlot(keys, userId);
    const ahead = derived && derived.current.slotId === slot.id && derived.current.salt === slot.kdf.salt ? derived.current.kek : null;
    const kek = ahead ?? slotKek(slot, current);
    let opened: OpenedSlot | null;
    try {
      opened = openSlotWithKek(this.vaultId, slot, kek);
    } finally {
      if (!ahead) kek.fill(0);
    }
    if (!opened) throw new VaultError('wrong_passphrase', 'Your current passphrase is not right.');
    opened.privateKey.fill(0);
    opened.commitment?.fill(0);
    const now = this.ctx.now();
    const commitKey = newCommitKey();
    let signer: SigningKey | null = null;
    const nextKey = derived?.next ?? undefined;
    const kdfCost = nextKey?.kdf ?? this.slotCost();
    const remade = makeSlot({ vaultId: this.vaultId, id: slot.id, kind: 'user', userId, userName: slotNameOf(slot), secret: next, dataKey: this.dataKey, generation: keys.generation, kdfCost, commitKey, now, onSigningKey: (k) => (signer = k), derived: nextKey });
    const made = signer as SigningKey | null;
    if (!made) throw new Error('a new slot has no signing key');
    this.tx((db) => {
      setPendingRewrite(db, remade, commitKey, now);
      authorise?.(db, { slotId: remade.id, keyId: made.keyId, publicKey: made.publicKey });
    });
    try {
      this.writeKeys({ ...keys, slots: keys.slots.map((s) => (s.id === slot.id ? remade : s)) });
    } catch (e) {
      this.tx((db) => dropPendingRewrite(db, slot.id));
      throw e;
    }
    return {
      slot: remade,
      signer: made,
      complete: (db) => completePendingRewrite(db, slot.id, now),
      // The new slot is in the key file and its passphrase was typed twice: the next unlock
      // finishes the record (reconcile) rather than putting back a passphrase the user has left.
      abandon: () => undefined,
    };
  }

  /**
   * A new recovery slot and code, written beside the current one: both work until the new code is
   * confirmed as stored (finishRecoveryReplacement), so a failure after this point can never leave
   * the vault without a working code. Returns the code once. With `prepared` (prepareRecoveryCode)
   * its code and derived key are used, and nothing is derived here.
   */
  replaceRecoverySlot(authorise?: AuthoriseKey, prepared?: PreparedRecoveryCode): { recoveryCode: string; change: SlotChange } {
    this.assertOpen();
    const registry = new Map(this.registry().map((r) => [r.slotId, r]));
    const current = this.readKeys()
      .slots.filter((s) => s.kind === 'recovery' && isTrusted(registry.get(s.id)))
      .map((s) => s.id);
    const recoveryCode = prepared?.recoveryCode ?? newRecoveryCode();
    // While an earlier new code is unconfirmed, the confirmed one (retiring) keeps working and the
    // unconfirmed one is replaced outright; otherwise the current code becomes the retiring one.
    const hasRetiring = current.some((id) => registry.get(id)?.status === 'retiring');
    const replaces = hasRetiring ? current.filter((id) => registry.get(id)?.status !== 'retiring') : [];
    const change = this.stageNewSlot({ kind: 'recovery', userId: null, userName: null, secret: recoveryCode }, replaces, hasRetiring ? [] : current, authorise, prepared?.derived);
    return { recoveryCode, change };
  }

  /** Take out of the key file every slot the registry no longer trusts (after a removal or a confirmed recovery code). */
  dropUntrustedSlots(): void {
    this.assertOpen();
    const registry = new Map(this.registry().map((r) => [r.slotId, r]));
    const keys = this.readKeys();
    const kept = keys.slots.filter((s) => registry.get(s.id)?.status !== 'removed');
    if (kept.length !== keys.slots.length && kept.length > 0) this.writeKeys({ ...keys, slots: kept });
  }

  /** A user's slots leave the registry's trust and the key file (the service records it in the same transaction as the removal). */
  removeUserSlot(userId: string): void {
    this.assertOpen();
    this.tx((db) => markUserSlotsRemoved(db, userId, this.ctx.now()));
    const keys = this.readKeys();
    const remaining = keys.slots.filter((s) => s.userId !== userId);
    if (remaining.length !== keys.slots.length) this.writeKeys({ ...keys, slots: remaining });
  }

  /** Does a user slot in the key file answer to this name (as unlock matches it)? */
  hasSlotNamed(name: string): boolean {
    const keys = this.readKeys();
    return keys.slots.some((s) => isSlotNamed(keys.vaultId, s, name));
  }

  /**
   * Replace the data key (after removing a user). First the key file is compared with the
   * registry: the new key is sealed only to slots the registry trusts, to the public key the
   * registry holds, and every other slot is taken out of the file (returned, for the audit entry).
   * Crash-safe by construction:
   * 1. copy the vault with VACUUM INTO and re-key the copy (rekey is refused in WAL mode; the copy
   *    is in rollback mode) — the live vault is untouched;
   * 2. write the key file with the new key sealed to every trusted slot as `pending`;
   * 3. close the live database and rename the re-keyed copy over it (atomic);
   * 4. write the key file with the new key as current.
   * A crash before 3 leaves the old vault and old key working; between 3 and 4, unlock finds the
   * pending key (see unlock).
   */
  rotateDataKey(): { notResealed: SlotFinding[] } {
    this.assertOpen();
    if (!isRegistryBuilt(this.db)) throw new VaultError('conflict', 'The key slots have not been checked yet. Lock and unlock again, then rotate the key.');
    const keys = this.readKeys();
    const registry = new Map(this.registry().map((r) => [r.slotId, r]));
    const keep: Slot[] = [];
    const notResealed: SlotFinding[] = [];
    for (const slot of keys.slots) {
      const reg = registry.get(slot.id);
      const problem = slotProblem(slot, reg);
      if (!isTrusted(reg) || (problem && problem !== 'public_key_replaced')) {
        notResealed.push({ code: problem ?? 'unknown_slot', slotId: slot.id, kind: reg?.kind ?? slot.kind, userId: reg?.userId ?? slot.userId, action: 'taken_out' });
        continue;
      }
      keep.push(problem ? { ...slot, publicKey: reg.publicKey } : slot);
    }
    if (keep.length === 0) throw new VaultError('keys_damaged', 'No key slot in the key file is one this vault issued, so the key was not rotated.');
    const next = randomDataKey();
    const tmp = tempNameBeside(this.path, 'rekey');
    try {
      claimNewFile(tmp);
      this.db.exec(`VACUUM INTO '${tmp.replaceAll("'", "''")}'`);
      const copy = openDatabase(tmp, this.dataKey, { mode: 'open', migrations: MIGRATIONS, purpose: 'verify' });
      copy.close();
      reKeyFile(tmp, this.dataKey, next);
      const check = openDatabase(tmp, next, { mode: 'open', migrations: MIGRATIONS, purpose: 'verify' });
      check.close();
      const generation = keys.generation + 1;
      const sealed: Record<string, ReturnType<typeof sealForSlot>> = {};
      for (const s of keep) sealed[s.id] = sealForSlot(this.vaultId, s, next, generation);
      const withPending: KeyFile = { ...keys, slots: keep, pending: { generation, sealed } };
      writeKeyFile(this.keysPath, withPending);
      // Swap: checkpoint so the WAL holds nothing the copy lacks, close, rename over.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
      try {
        for (const side of [`${this.path}-wal`, `${this.path}-shm`]) if (existsSync(side)) unlinkSync(side);
        renameSync(tmp, this.path);
      } catch {
        // The live file was not replaced: carry on with the old key rather than leave no handle.
        (this as { db: Db }).db = openDatabase(this.path, this.dataKey, { mode: 'open', migrations: MIGRATIONS });
        writeKeyFile(this.keysPath, keys);
        throw new VaultError('io_error', 'The data key could not be replaced; the vault still uses its current key.');
      }
      fsyncDir(dirname(this.path));
      finishRotation(this.path, withPending);
      (this as { db: Db }).db = openDatabase(this.path, next, { mode: 'open', migrations: MIGRATIONS });
      this.dataKey.fill(0);
      this.dataKey = next;
      return { notResealed };
    } finally {
      if (existsSync(tmp)) unlinkSync(tmp);
    }
  }

  /* ---- Backup ---- */

  /**
   * Online backup to an encrypted copy with its key file (`dest` and `dest.keys`). VACUUM INTO,
   * because db.backup() fails on an encrypted vault. Verified by opening the copy with the key.
   * The key file is written under a random temp name created exclusively (so nothing planted at a
   * name can be written through) and then linked to its final name, which must be new.
   */
  backup(dest: string): { path: string; bytes: number } {
    this.assertOpen();
    checkNewVaultPath(dest);
    const keysTmp = tempNameBeside(keysPathFor(dest), 'backup');
    try {
      claimNewFile(dest);
      this.db.exec(`VACUUM INTO '${dest.replaceAll("'", "''")}'`);
      writeNewFile(keysTmp, readFileSync(this.keysPath));
      publishNoReplace(keysTmp, keysPathFor(dest));
      fsyncDir(dirname(dest));
      const copy = openDatabase(dest, this.dataKey, { mode: 'open', migrations: MIGRATIONS, purpose: 'verify' });
      try {
        if (readMeta(copy, 'vault_id') !== this.vaultId) throw new VaultError('damaged', 'The backup could not be verified.');
      } finally {
        copy.close();
      }
      return { path: dest, bytes: statSync(dest).size };
    } finally {
      if (existsSync(keysTmp)) unlinkSync(keysTmp);
    }
  }

  /**
   * What a worker thread in this process needs to open its own read connection: the path and a
   * copy of the data key in a buffer of its own (never Node's shared pool), made to be transferred
   * to the worker, which moves it out of this thread, and wiped there once the connection is open.
   * A caller that does not transfer it must wipe it. never log: key material
   */
  readerAccess(): { path: string; key: Uint8Array } {
    this.assertOpen();
    const key = new Uint8Array(new ArrayBuffer(this.dataKey.length));
    key.set(this.dataKey);
    return { path: this.path, key };
  }

  /**
   * Run `fn` when the vault locks, before the handle closes (a worker reading the vault must stop
   * and let its connection go with the key). Returns a function that removes it.
   */
  onClose(fn: () => void): () => void {
    this.closeListeners.add(fn);
    return () => void this.closeListeners.delete(fn);
  }

  /** Lock: drop the handle and wipe the key from memory. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const fn of [...this.closeListeners]) {
      try {
        fn();
      } catch {
        // A listener's failure must not keep the vault open.
      }
    }
    this.closeListeners.clear();
    try {
      this.db.close();
    } finally {
      this.dataKey.fill(0);
      this.auditKey.fill(0);
      this.lock.release();
    }
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }
}


/**
 * A rotation stopped part-way (the app was killed) leaves its working copy beside the vault: a
 * whole copy of the data, under the old or an abandoned key. The live vault never needs it (the
 * swap is one rename), so it is removed once the vault has opened and this process holds its lock.
 * Both the random names used now and the older fixed-prefix ones are recognised.
 */
function removeRotationLeftovers(path: string): void {
  const dir = dirname(path);
  const older = `${basename(path)}.rekey-`;
  const current = `.${basename(path)}.rekey-`;
  for (const name of readdirSync(dir)) {
    if ((name.startsWith(older) || name.startsWith(current)) && /\.tmp(-journal)?$/.test(name)) unlinkSync(join(dir, name));
  }
}

function finishRotation(path: string, keys: KeyFile): void {
  if (!keys.pending) return;
  const { generation, sealed } = keys.pending;
  // Only the slots the new key was sealed to stay: one added to the file meanwhile receives nothing.
  const slots = keys.slots.filter((s) => sealed[s.id]).map((s) => ({ ...s, sealedDataKey: sealed[s.id] }));
  writeKeyFile(keysPathFor(path), { ...keys, generation, slots: slots.length > 0 ? slots : keys.slots, pending: null });
}

/** PRAGMA rekey on a copy in rollback-journal mode (rekey is refused in WAL mode). */
function reKeyFile(path: string, from: Buffer, to: Buffer): void {
  const db = openDatabase(path, from, { mode: 'open', migrations: MIGRATIONS, purpose: 'maintenance' });
  try {
    if (String(db.pragma('journal_mode=DELETE', { simple: true })) !== 'delete') throw new VaultError('io_error', 'The vault copy could not be prepared for a new key.');
    // never log: key material
    db.pragma(`rekey="x'${to.toString('hex')}'"`);
  } finally {
    db.close();
  }
}

/**
 * Restore a backup to a new location, verified by unlocking it with a slot's secret, which runs
 * every check an unlock does (the registry, the vault commitment: a planted or substituted file is
 * refused before it is accepted). The original backup is never changed: a copy is what gets
 * opened, in a private folder with a random name created beside the destination (nothing can be
 * planted there first), and it takes the destination's names only if they are still free.
 * Returns the restored vault, unlocked, so the caller can record the restore in its audit log and
 * reset this workstation's audit head.
 */
export function restoreVault(ctx: VaultContext, args: { backupPath: string; destPath: string; userName: string | null; secret: string }, derived?: DerivedUnlockKeys): UnlockedVault {
  checkNewVaultPath(args.destPath);
  precheckVaultFile(args.backupPath);
  readKeyFile(keysPathFor(args.backupPath));
  const keys = derived ?? Vault.deriveForUnlockNow(ctx, { path: args.backupPath, userName: args.userName, secret: args.secret });
  try {
    const staging = mkdtempSync(join(dirname(args.destPath), '.harm-matrix-restore-'));
    let probeFindings: SlotFinding[];
    try {
      const tmpDb = join(staging, 'restore.hmvault');
      copyFileExclusive(args.backupPath, tmpDb);
      copyFileExclusive(keysPathFor(args.backupPath), keysPathFor(tmpDb));
      // Verify the copy opens (and answers for its slot) before it takes the destination's name.
      const probe = Vault.unlock(ctx, { path: tmpDb, userName: args.userName, secret: args.secret }, keys);
      probeFindings = probe.slotFindings;
      probe.vault.close();
      publishNoReplace(tmpDb, args.destPath);
      try {
        publishNoReplace(keysPathFor(tmpDb), keysPathFor(args.destPath));
      } catch (e) {
        unlinkSync(args.destPath);
        throw e;
      }
      fsyncDir(dirname(args.destPath));
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    const u = Vault.unlock(ctx, { path: args.destPath, userName: args.userName, secret: args.secret }, keys);
    return { ...u, slotFindings: [...probeFindings, ...u.slotFindings] };
  } finally {
    if (!derived) wipeDerived(keys);
  }
}

export { lockPathFor };
