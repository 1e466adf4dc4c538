import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * The export register records, for each copy, the audit log head printed in it (the last entry
 * as it stood just before the copy's own 'disclose' entry): its number and hash. Copies exported
 * before this version printed none, so their rows hold NULL.
 */
const migration: Migration = {
  version: 75,
  name: 'export-heads',
  up(db: Database.Database) {
    db.exec(`
      ALTER TABLE export_register ADD COLUMN audit_head_seq INTEGER CHECK (audit_head_seq IS NULL OR audit_head_seq > 0);
      ALTER TABLE export_register ADD COLUMN audit_head_hash TEXT CHECK (audit_head_hash IS NULL OR (length(audit_head_hash) = 64 AND audit_head_hash NOT GLOB '*[^0-9a-f]*'));
    `);
  },
};

export default migration;
