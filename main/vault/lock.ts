/**
 * One process at a time per vault. Measured here: locking_mode=EXCLUSIVE on the WAL vault did not
 * stop a second process from reading it, so the vault is guarded by an exclusive transaction held
 * on a small unencrypted lock database beside it (`<vault>.lock`, no content). The operating
 * system releases the lock when the process dies, even on SIGKILL, so there are no stale locks.
 * The file is never deleted: deleting a lock file while another process waits on it breaks it.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from './errors';

export interface ProcessLock {
  release(): void;
}

export function lockPathFor(vaultPath: string): string {
  return `${vaultPath}.lock`;
}

export function acquireVaultLock(vaultPath: string): ProcessLock {
  let db: Database.Database;
  try {
    db = new Database(lockPathFor(vaultPath), { timeout: 0 });
  } catch {
    throw new VaultError('io_error', 'The vault folder cannot be written to.');
  }
  try {
    db.pragma('locking_mode=EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch {
    db.close();
    throw new VaultError('in_use', 'This vault is already open in another Harm Matrix window or process. Close it there first.');
  }
  let isHeld = true;
  return {
    release() {
      if (!isHeld) return;
      isHeld = false;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}
