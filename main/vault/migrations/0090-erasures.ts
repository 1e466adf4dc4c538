import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * Erasure (DPA 2018 s.47; main/services/erasure.service.ts). One row per erasure a supervisor or
 * administrator confirmed, or a restore re-applied: what kind of record, its id and reference,
 * when, why, by whom (a user id), how many rows of each kind went (JSON counts) and every row id
 * that went (JSON, random ids only), so a restore of an older backup can re-apply it exactly.
 * Never a name, a date of birth or any of the erased record's free text.
 */
const migration: Migration = {
  version: 90,
  name: 'erasures',
  up(db: Database.Database) {
    db.exec(`
      CREATE TABLE erasures (
        id            TEXT PRIMARY KEY,
        kind          TEXT NOT NULL CHECK (kind IN ('person','link','flag','offence','intelligence','network','claim')),
        record_id     TEXT NOT NULL,
        reference     TEXT NOT NULL,
        erased_at     TEXT NOT NULL,
        reason        TEXT NOT NULL,
        erased_by     TEXT,
        counts        TEXT NOT NULL,
        row_ids       TEXT NOT NULL,
        -- Set when a restore re-applied this erasure to an older copy (the row then came from the workstation's list).
        reapplied_at  TEXT
      ) STRICT;
      CREATE INDEX erasures_at ON erasures(erased_at);
    `);
  },
};

export default migration;
