import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * Signed audit entries (main/audit/audit.ts, "Signatures").
 *
 * `user_role`: the role the actor acted with, checked by `verify` against the signed user registry.
 * `signer_key`: the id of the Ed25519 key that signed the entry (main/vault/signing.ts).
 * `statements`: JSON, only on entries that change who may sign or with what role (a checkpoint,
 * a key registered, a user added, changed or removed, a key retired, a flag).
 * `signature`: Ed25519 over the entry's canonical form, which includes the previous entry's hash.
 *
 * Existing entries keep these empty: they are closed by a signed checkpoint at the first write
 * after this upgrade and are reported as "before signing".
 */
const migration: Migration = {
  version: 70,
  name: 'audit-signing',
  up(db: Database.Database) {
    db.exec(`
      ALTER TABLE audit_log ADD COLUMN user_role TEXT;
      ALTER TABLE audit_log ADD COLUMN signer_key TEXT;
      ALTER TABLE audit_log ADD COLUMN statements TEXT;
      ALTER TABLE audit_log ADD COLUMN signature TEXT;
      CREATE INDEX audit_log_statements ON audit_log(seq) WHERE statements IS NOT NULL;
    `);
  },
};

export default migration;
