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

/** Every version of one kind of reference file the vault holds, in the order they were recorded. */
export function listReferenceSets(db: Db, kind: string): ReferenceSet[] {
  const rows = db.prepare('SELECT kind, id, version, body, loaded_at FROM reference_sets WHERE kind = ? ORDER BY loaded_at, rowid').all(kind) as { kind: string; id: string; version: string; body: string; loaded_at: string }[];
  return rows.map((r) => ({ kind: r.kind, id: r.id, version: r.version, body: JSON.parse(r.body) as unknown, loadedAt: r.loaded_at }));
}
