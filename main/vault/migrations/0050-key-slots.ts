import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * The registry of legitimate key slots (main/vault/slot-registry.ts). A vault from before this
 * migration gets the empty table; the first unlock after the upgrade fills it from the key file as
 * it is then (trust on first use, recorded in the audit log: see services/key-slots.service.ts).
 *
 * No foreign key to users: a slot is recorded as being added before its user's row is written
 * (the order a crash can always be recovered from), and a slot outlives its user as history.
 */
const migration: Migration = {
  version: 50,
  name: 'key-slots',
  up(db: Database.Database) {
    db.exec(`
      CREATE TABLE key_slots (
        slot_id            TEXT PRIMARY KEY,
        kind               TEXT NOT NULL CHECK (kind IN ('user', 'recovery')),
        user_id            TEXT,
        public_key         TEXT NOT NULL,
        public_key_sha256  TEXT NOT NULL,
        -- scrypt parameters with the salt, as JSON
        kdf                TEXT NOT NULL,
        format             INTEGER NOT NULL CHECK (format IN (1, 2)),
        -- The key of the slot's vault commitment (format 2); null for a format-1 slot.
        commit_key         BLOB,
        status             TEXT NOT NULL CHECK (status IN ('adding', 'active', 'retiring', 'removed')),
        created_at         TEXT NOT NULL,
        changed_at         TEXT NOT NULL,
        removed_at         TEXT,
        -- A rewrite under way (a passphrase change, a format upgrade): the slot as it will be.
        pending_public_key         TEXT,
        pending_public_key_sha256  TEXT,
        pending_kdf                TEXT,
        pending_format             INTEGER,
        pending_commit_key         BLOB,
        pending_since              TEXT,
        CHECK ((kind = 'user') = (user_id IS NOT NULL))
      ) STRICT;
      CREATE INDEX key_slots_user ON key_slots(user_id);
    `);
  },
};

export default migration;
