import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * The export register records, for each copy, the day (ISO) after which it must be destroyed, as
 * printed in the copy's header. Copies exported before this version printed none, so their rows
 * hold NULL: the register says so rather than state a day the copy does not carry.
 */
const migration: Migration = {
  version: 85,
  name: 'export-destroy-after',
  up(db: Database.Database) {
    db.exec(`
      ALTER TABLE export_register ADD COLUMN destroy_after TEXT CHECK (destroy_after IS NULL OR (length(destroy_after) = 10 AND destroy_after GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND destroy_after >= substr(at, 1, 10)));
    `);
  },
};

export default migration;
