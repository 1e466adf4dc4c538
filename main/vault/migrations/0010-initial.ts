import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

const migration: Migration = {
  version: 10,
  name: 'initial',
  up(db: Database.Database) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE users (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL COLLATE NOCASE,
        role        TEXT NOT NULL CHECK (role IN ('administrator','supervisor','validator','analyst','read_only')),
        created_at  TEXT NOT NULL,
        created_by  TEXT,
        removed_at  TEXT,
        removed_by  TEXT
      ) STRICT;
      CREATE UNIQUE INDEX users_active_name ON users(name) WHERE removed_at IS NULL;

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        seq           INTEGER PRIMARY KEY,
        at            TEXT NOT NULL,
        user_id       TEXT,
        user_name     TEXT,
        action        TEXT NOT NULL,
        entity_type   TEXT NOT NULL,
        entity_id     TEXT,
        summary       TEXT NOT NULL,
        justification TEXT,
        prev_hash     TEXT NOT NULL,
        hash          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log(at);
      CREATE INDEX audit_log_user ON audit_log(user_id);
      CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id);

      -- Append-only. Someone holding the key could drop these triggers; the HMAC chain and the head
      -- kept outside the database are what detect that (see main/audit/audit.ts).
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `);
  },
};

export default migration;
