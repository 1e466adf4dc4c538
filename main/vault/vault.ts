/**
 * A vault: one SQLCipher-v4 database file (`name.hmvault`) encrypted with a random 256-bit data
 * key, the key file beside it (`name.hmvault.keys`, one slot per user and a recovery slot) and a
 * lock file (`name.hmvault.lock`) that keeps it to one process.
 *
 * This class owns the database handle and the data key while unlocked. It knows nothing of roles
 * or audit wording: services/ decide who may do what and write the audit entries, inside the
 * transactions this class runs for them.
 *
 * Nothing here ever deletes, truncates or "resets" a vault file on an error.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, statSync, unlinkSync, renameSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { deriveAuditKey, newRecoveryCode, normaliseRecoveryCode, randomDataKey } from './crypto';
import { claimNewFile, openDatabase, precheckVaultFile, type Db } from './database';
import { VaultError } from './errors';
import {
  keysPathFor,
  makeSlot,
  openSlotDataKey,
  openSlotPrivateKey,
  readKeyFile,
  rewrapSlot,
  sealForSlot,
  writeFileAtomic,
  writeKeyFile,
  fsyncDir,
  type KdfCost,
  type KeyFile,
  type Slot,
} from './keyfile';
import { acquireVaultLock, lockPathFor, type ProcessLock } from './lock';
import { MIGRATIONS } from './migrations';
import { readMeta, writeMeta } from './meta';

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

function checkThrottle(ctx: VaultContext, vaultId: string): void {
  const rec = readFailures(ctx)[vaultId];
  if (!rec) return;
  const waitUntil = Date.parse(rec.lastAt) + backoffSeconds(rec.count) * 1000;
  const remaining = Math.ceil((waitUntil - ctx.now().getTime()) / 1000);
  if (remaining > 0) {
    throw new VaultError('rate_limited', `Too many failed attempts. Wait ${remaining} second${remaining === 1 ? '' : 's'} and try again.`, remaining);
  }
}

function recordFailure(ctx: VaultContext, vaultId: string): void {
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

export interface UnlockedVault {
  vault: Vault;
  /** The slot used: a user's, or the recovery slot. */
  slot: Slot;
  failuresSinceLastUnlock: FailureRecord | null;
}

/* ---- The vault ----------------------------------------------------------------------------- */

export class Vault {
  private isClosed = false;
  private readonly closeListeners = new Set<() => void>();

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

  /**
   * Create a new vault with its first user (an administrator) and a recovery slot. `seed` runs in
   * the same transaction as the schema's first rows, so the creator's user row and the first
   * audit entries land together. Returns the recovery code: show it once, never store it.
   */
  static create(
    ctx: VaultContext,
    args: { path: string; adminName: string; passphrase: string },
    seed: (db: Db, auditKey: Buffer) => { userId: string },
  ): { vault: Vault; recoveryCode: string; userId: string } {
    checkNewVaultPath(args.path);
    const vaultId = randomUUID();
    const dataKey = randomDataKey();
    const lock = acquireVaultLock(args.path);
    let db: Db | undefined;
    try {
      db = openDatabase(args.path, dataKey, { mode: 'create', migrations: MIGRATIONS });
      const auditKey = deriveAuditKey(dataKey, vaultId);
      const database = db;
      const userId = database
        .transaction(() => {
          writeMeta(database, 'vault_id', vaultId);
          writeMeta(database, 'created_at', ctx.now().toISOString());
          // The audit key outlives data-key rotation: see audit.ts. Inside the encrypted vault.
          writeMeta(database, 'audit_key', auditKey.toString('hex'));
          return seed(database, auditKey).userId;
        })
        .immediate();
      const recoveryCode = newRecoveryCode();
      const now = ctx.now();
      const keyFile: KeyFile = {
        format: 'harm-matrix-keys',
        version: 1,
        vaultId,
        generation: 1,
        slots: [
          makeSlot({ vaultId, kind: 'user', userId, userName: args.adminName, secret: args.passphrase, dataKey, generation: 1, kdfCost: ctx.kdfCost, now }),
          makeSlot({ vaultId, kind: 'recovery', userId: null, userName: null, secret: recoveryCode, dataKey, generation: 1, kdfCost: ctx.kdfCost, now }),
        ],
        pending: null,
      };
      writeKeyFile(keysPathFor(args.path), keyFile);
      return { vault: new Vault(args.path, database, vaultId, dataKey, auditKey, lock, ctx), recoveryCode, userId };
    } catch (e) {
      db?.close();
      lock.release();
      throw e;
    }
  }

  /**
   * Unlock with a user's passphrase, or with the recovery code (`userName: null`).
   * A wrong secret leaves every file as it was; failures are counted per vault on this
   * workstation and slow down further attempts.
   */
  static unlock(ctx: VaultContext, args: { path: string; userName: string | null; secret: string }): UnlockedVault {
    const keys = readKeyFile(keysPathFor(args.path));
    checkThrottle(ctx, keys.vaultId);
    const slot =
      args.userName === null
        ? keys.slots.find((s) => s.kind === 'recovery')
        : keys.slots.find((s) => s.kind === 'user' && s.userName?.toLowerCase() === args.userName!.toLowerCase());
    const secret = args.userName === null ? normaliseRecoveryCode(args.secret) : args.secret;
    // Derive even when no slot matches, so an unknown name costs the same time as a wrong passphrase.
    const privateKey = openSlotPrivateKey(keys.vaultId, slot ?? keys.slots[0], secret);
    if (!slot || !privateKey) {
      recordFailure(ctx, keys.vaultId);
      throw new VaultError(
        'wrong_passphrase',
        args.userName === null ? 'That recovery code is not right.' : 'That name and passphrase do not match. Check them and try again.',
      );
    }
    const lock = acquireVaultLock(args.path);
    try {
      let dataKey = openSlotDataKey(keys.vaultId, slot, privateKey, keys.generation);
      if (!dataKey) throw new VaultError('keys_damaged', 'The key file for this vault is damaged and cannot be read.');
      let db: Db;
      let isPendingUsed = false;
      try {
        db = openDatabase(args.path, dataKey, { mode: 'open', migrations: MIGRATIONS });
      } catch (e) {
        // A rotation that stopped after the database was re-keyed but before the key file was
        // finalised: the pending key opens it; finish the rotation now.
        const pendingSealed = keys.pending?.sealed[slot.id];
        if (!(e instanceof VaultError && e.code === 'damaged' && keys.pending && pendingSealed)) throw e;
        const next = openSlotDataKey(keys.vaultId, slot, privateKey, keys.pending.generation, pendingSealed);
        if (!next) throw e;
        db = openDatabase(args.path, next, { mode: 'open', migrations: MIGRATIONS });
        dataKey.fill(0);
        dataKey = next;
        isPendingUsed = true;
        finishRotation(args.path, keys);
      }
      if (keys.pending && !isPendingUsed) {
        // A rotation stopped before the swap: the live vault still has the current key, so the
        // pending one will never be needed. Drop it.
        writeKeyFile(keysPathFor(args.path), { ...keys, pending: null });
      }
      const auditKeyHex = readMeta(db, 'audit_key');
      if (readMeta(db, 'vault_id') !== keys.vaultId || !auditKeyHex) {
        db.close();
        throw new VaultError('keys_damaged', 'The key file does not belong to this vault.');
      }
      removeRotationLeftovers(args.path);
      const vault = new Vault(args.path, db, keys.vaultId, dataKey, Buffer.from(auditKeyHex, 'hex'), lock, ctx);
      return { vault, slot, failuresSinceLastUnlock: takeFailures(ctx, keys.vaultId) };
    } catch (e) {
      lock.release();
      throw e;
    } finally {
      privateKey.fill(0);
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

  /* ---- Slots ---- */

  /** Add a slot for a user (after their row is written), or replace theirs (passphrase reset). */
  putUserSlot(userId: string, userName: string, passphrase: string): void {
    this.assertOpen();
    const keys = this.readKeys();
    const slot = makeSlot({
      vaultId: this.vaultId,
      kind: 'user',
      userId,
      userName,
      secret: passphrase,
      dataKey: this.dataKey,
      generation: keys.generation,
      kdfCost: this.ctx.kdfCost,
      now: this.ctx.now(),
    });
    writeKeyFile(this.keysPath, { ...keys, slots: [...keys.slots.filter((s) => s.userId !== userId), slot] });
  }

  /** Change a passphrase: rewrites only that user's slot. Checks the current passphrase first. */
  changePassphrase(userId: string, current: string, next: string): void {
    this.assertOpen();
    const keys = this.readKeys();
    const slot = keys.slots.find((s) => s.kind === 'user' && s.userId === userId);
    if (!slot) throw new VaultError('not_found', 'There is no key slot for this user.');
    const privateKey = openSlotPrivateKey(this.vaultId, slot, current);
    if (!privateKey) throw new VaultError('wrong_passphrase', 'Your current passphrase is not right.');
    try {
      const rewrapped = rewrapSlot(this.vaultId, slot, privateKey, next, this.ctx.kdfCost, this.ctx.now());
      writeKeyFile(this.keysPath, { ...keys, slots: keys.slots.map((s) => (s.id === slot.id ? rewrapped : s)) });
    } finally {
      privateKey.fill(0);
    }
  }

  /** A new recovery slot and code; the old recovery slot is removed. Returns the code once. */
  replaceRecoverySlot(): string {
    this.assertOpen();
    const keys = this.readKeys();
    const code = newRecoveryCode();
    const slot = makeSlot({
      vaultId: this.vaultId,
      kind: 'recovery',
      userId: null,
      userName: null,
      secret: code,
      dataKey: this.dataKey,
      generation: keys.generation,
      kdfCost: this.ctx.kdfCost,
      now: this.ctx.now(),
    });
    writeKeyFile(this.keysPath, { ...keys, slots: [...keys.slots.filter((s) => s.kind !== 'recovery'), slot] });
    return code;
  }

  removeUserSlot(userId: string): void {
    this.assertOpen();
    const keys = this.readKeys();
    const remaining = keys.slots.filter((s) => s.userId !== userId);
    if (remaining.length !== keys.slots.length) writeKeyFile(this.keysPath, { ...keys, slots: remaining });
  }

  slotUserNames(): string[] {
    return this.readKeys()
      .slots.filter((s) => s.kind === 'user')
      .map((s) => s.userName ?? '');
  }

  /**
   * Replace the data key (after removing a user). Crash-safe by construction:
   * 1. copy the vault with VACUUM INTO and re-key the copy (rekey is refused in WAL mode; the copy
   *    is in rollback mode) — the live vault is untouched;
   * 2. write the key file with the new key sealed to every remaining slot as `pending`;
   * 3. close the live database and rename the re-keyed copy over it (atomic);
   * 4. write the key file with the new key as current.
   * A crash before 3 leaves the old vault and old key working; between 3 and 4, unlock finds the
   * pending key (see unlock). `afterSwap` runs on the reopened vault (to write the audit entry).
   */
  rotateDataKey(): void {
    this.assertOpen();
    const keys = this.readKeys();
    const next = randomDataKey();
    const tmp = `${this.path}.rekey-${randomUUID()}.tmp`;
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
      for (const s of keys.slots) sealed[s.id] = sealForSlot(this.vaultId, s, next, generation);
      const withPending: KeyFile = { ...keys, pending: { generation, sealed } };
      writeKeyFile(this.keysPath, withPending);
      // Swap: checkpoint so the WAL holds nothing the copy lacks, close, rename over.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
      try {
        for (const side of [`${this.path}-wal`, `${this.path}-shm`]) if (existsSync(side)) unlinkSync(side);
        renameSync(tmp, this.path);
      } catch (e) {
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
    } finally {
      if (existsSync(tmp)) unlinkSync(tmp);
    }
  }

  /* ---- Backup ---- */

  /**
   * Online backup to an encrypted copy with its key file (`dest` and `dest.keys`). VACUUM INTO,
   * because db.backup() fails on an encrypted vault. Verified by opening the copy with the key.
   */
  backup(dest: string): { path: string; bytes: number } {
    this.assertOpen();
    checkNewVaultPath(dest);
    const keysTmp = `${keysPathFor(dest)}.tmp`;
    try {
      claimNewFile(dest);
      this.db.exec(`VACUUM INTO '${dest.replaceAll("'", "''")}'`);
      copyFileSync(this.keysPath, keysTmp);
      renameSync(keysTmp, keysPathFor(dest));
      fsyncDir(dirname(dest));
      const copy = openDatabase(dest, this.dataKey, { mode: 'open', migrations: MIGRATIONS, purpose: 'verify' });
      try {
        if (readMeta(copy, 'vault_id') !== this.vaultId) throw new VaultError('damaged', 'The backup could not be verified.');
      } finally {
        copy.close();
      }
      return { path: dest, bytes: statSync(dest).size };
    } catch (e) {
      if (existsSync(keysTmp)) unlinkSync(keysTmp);
      throw e;
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
 */
function removeRotationLeftovers(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.rekey-`;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && /\.tmp(-journal)?$/.test(name)) unlinkSync(join(dir, name));
  }
}

function finishRotation(path: string, keys: KeyFile): void {
  if (!keys.pending) return;
  const { generation, sealed } = keys.pending;
  writeKeyFile(keysPathFor(path), {
    ...keys,
    generation,
    slots: keys.slots.map((s) => ({ ...s, sealedDataKey: sealed[s.id] ?? s.sealedDataKey })),
    pending: null,
  });
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
 * Restore a backup to a new location, verified by opening it with a slot's secret. The original
 * backup is never changed: the copy is what gets opened (an unlock opens read-write, switches to
 * WAL and migrates, which would rewrite the backup file and leave a lock file beside it).
 * Returns the restored vault, unlocked, so the caller can record the restore in its audit log and
 * reset this workstation's audit head.
 */
export function restoreVault(ctx: VaultContext, args: { backupPath: string; destPath: string; userName: string | null; secret: string }): UnlockedVault {
  checkNewVaultPath(args.destPath);
  precheckVaultFile(args.backupPath);
  readKeyFile(keysPathFor(args.backupPath));
  const tmpDb = `${args.destPath}.restore.tmp`;
  const tmpKeys = keysPathFor(tmpDb);
  try {
    copyFileSync(args.backupPath, tmpDb);
    copyFileSync(keysPathFor(args.backupPath), tmpKeys);
    // Verify the copy opens before it takes the destination's name.
    const probe = Vault.unlock(ctx, { path: tmpDb, userName: args.userName, secret: args.secret });
    probe.vault.close();
    renameSync(tmpKeys, keysPathFor(args.destPath));
    renameSync(tmpDb, args.destPath);
    fsyncDir(dirname(args.destPath));
  } finally {
    for (const t of [tmpDb, tmpKeys, lockPathFor(tmpDb), `${tmpDb}-wal`, `${tmpDb}-shm`]) if (existsSync(t)) unlinkSync(t);
  }
  return Vault.unlock(ctx, { path: args.destPath, userName: args.userName, secret: args.secret });
}

export { lockPathFor };
