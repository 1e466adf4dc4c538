/**
 * Numbered migrations. A migration file is never edited once shipped; a change is a new file.
 * `user_version` holds the number of the last one applied; a vault with a higher number than this
 * app knows was written by a newer version and is refused, never downgraded.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../errors';
import m0010 from './0010-initial';
import m0020 from './0020-matrix';
import m0030 from './0030-disruptions';
import m0040 from './0040-scoring-digests';
import m0050 from './0050-key-slots';
import m0060 from './0060-workstations';
import m0070 from './0070-audit-signing';
import m0075 from './0075-export-heads';
import m0085 from './0085-export-destroy-after';
import m0090 from './0090-erasures';
import m0100 from './0100-reviews';
import m0110 from './0110-retention';
import type { Migration } from './migration';

export type { Migration };

export const MIGRATIONS: Migration[] = [m0010, m0020, m0030, m0040, m0050, m0060, m0070, m0075, m0085, m0090, m0100, m0110];

export function latestVersion(migrations: Migration[] = MIGRATIONS): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

export function migrate(db: Database.Database, migrations: Migration[] = MIGRATIONS): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new VaultError('newer_version', 'This vault was saved by a newer version of Harm Matrix. Install that version to open it; the vault has been left as it was.');
  }
  const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
  for (const m of pending) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
