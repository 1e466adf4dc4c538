/**
 * The settings of an open vault as the driver reports them, read back rather than assumed (the
 * command line's `vault info --unlock`). Opening sets and checks them: database.ts.
 */
import type { Db } from './database';

/** The pragmas that matter for a vault's safety, in the order they are shown. */
const SHOWN = ['cipher', 'legacy', 'hmac_algorithm', 'page_size', 'journal_mode', 'synchronous', 'temp_store', 'foreign_keys'] as const;

export type ShownPragma = (typeof SHOWN)[number];

function readPragma(db: Db, name: string): string {
  return String(db.pragma(name, { simple: true }));
}

/** The schema version: the number of the last migration applied (migrations/index.ts). */
export function schemaVersion(db: Db): number {
  return Number(readPragma(db, 'user_version'));
}

export function readBackPragmas(db: Db): Record<ShownPragma, string> {
  return Object.fromEntries(SHOWN.map((name) => [name, readPragma(db, name)])) as Record<ShownPragma, string>;
}
