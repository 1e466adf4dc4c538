import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migration';

/**
 * The retention run (main/services/retention.service.ts):
 * - a member link records why it ended (`end_reason`, as a gang flag already does): "review
 *   overdue" when the run lapses it; NULL for links ended before this version;
 * - a network records the UK day it was archived (`archived_on`), from which its retention runs.
 *   Networks archived before this version have none: the first run that sees them dates them.
 */
const migration: Migration = {
  version: 110,
  name: 'retention',
  up(db: Database.Database) {
    db.exec(`
      ALTER TABLE memberships ADD COLUMN end_reason TEXT;
      ALTER TABLE networks ADD COLUMN archived_on TEXT CHECK (archived_on IS NULL OR (length(archived_on) = 10 AND archived_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'));
      CREATE INDEX memberships_review ON memberships(status, review_on);
    `);
  },
};

export default migration;
