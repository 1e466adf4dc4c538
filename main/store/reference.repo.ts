import type { Db } from '../vault/database';

/** One version of a reference file, as the vault records it. */
export interface ReferenceSet {
  kind: string;
  id: string;
  version: string;
  body: unknown;
  loadedAt: string;
}

/** Record a reference file's version once; true when this call added it. */
export function insertReferenceSet(db: Db, r: ReferenceSet): boolean {
  return db.prepare('INSERT OR IGNORE INTO reference_sets (kind, id, version, body, loaded_at) VALUES (?, ?, ?, ?, ?)').run(r.kind, r.id, r.version, JSON.stringify(r.body), r.loadedAt).changes > 0;
}
