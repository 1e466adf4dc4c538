import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * Two controls the vault keeps for itself, so deleting a file on one workstation cannot undo them.
 *
 * `workstations`: every workstation that has unlocked this vault, by the id kept in its state
 * folder, with when it was first and last seen, the audit head it last reported (its record of the
 * head outside the vault) and the count of failed attempts it last reported. At unlock a known
 * workstation whose record of the head has gone, or whose count has gone backwards, is a warning
 * in the log (main/services/workstations.service.ts).
 *
 * `passphrase_changes_due`: users whose passphrase was chosen by someone else (an administrator
 * adding them, or whoever used the recovery code), who must choose their own before anything else.
 * A row is removed in the same transaction as the change and its audit entry.
 *
 * Existing vaults start with no workstation (each is recorded at its next unlock) and with nobody
 * marked: who chose an existing passphrase cannot be known from the vault.
 */
const migration: Migration = {
  version: 60,
  name: 'workstations',
  up(db: Database.Database) {
    db.exec(`
      CREATE TABLE workstations (
        id             TEXT PRIMARY KEY,
        first_seen_at  TEXT NOT NULL,
        last_seen_at   TEXT NOT NULL,
        last_head_seq  INTEGER,
        last_head_hash TEXT,
        failure_total  INTEGER NOT NULL DEFAULT 0 CHECK (failure_total >= 0)
      ) STRICT;

      CREATE TABLE passphrase_changes_due (
        user_id    TEXT PRIMARY KEY REFERENCES users(id),
        due_since  TEXT NOT NULL,
        reason     TEXT NOT NULL CHECK (reason IN ('added', 'recovered'))
      ) STRICT;
    `);
  },
};

export default migration;
