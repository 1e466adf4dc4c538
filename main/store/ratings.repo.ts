import type { Db } from '../vault/database';
import { insertColumns, insertRow } from './columns';
import { cachedStatement } from './statements';

export interface RatingRecord {
  networkId: string;
  kind: 'assessed' | 'capability';
  dimension: string;
  value: number;
  ratedBy: string | null;
  ratedAt: string;
  intelIds: string[];
}

/** The intelligence cited for a rating. */
export const RATING_SUPPORT_COLUMNS = insertColumns('rating_support', ['network_id', 'kind', 'dimension', 'intel_id'], true);

/**
 * Set a rating and the intelligence that supports it. A rating set again replaces its support;
 * `hasOldSupport: false` skips clearing support that cannot exist (the rating of a network
 * recorded in the same import), which at force scale saves one statement per rating.
 */
export function upsertRating(db: Db, r: RatingRecord, { hasOldSupport = true }: { hasOldSupport?: boolean } = {}): void {
  cachedStatement(
    db,
    `INSERT INTO ratings (network_id, kind, dimension, value, rated_by, rated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(network_id, kind, dimension) DO UPDATE SET value = excluded.value, rated_by = excluded.rated_by, rated_at = excluded.rated_at`,
  ).run(r.networkId, r.kind, r.dimension, r.value, r.ratedBy, r.ratedAt);
  if (hasOldSupport) cachedStatement(db, 'DELETE FROM rating_support WHERE network_id = ? AND kind = ? AND dimension = ?').run(r.networkId, r.kind, r.dimension);
  for (const i of r.intelIds) insertRow(db, RATING_SUPPORT_COLUMNS, [r.networkId, r.kind, r.dimension, i]);
}

export function listRatings(db: Db, networkId: string): RatingRecord[] {
  const rows = db
    .prepare(
      `SELECT r.*, (SELECT group_concat(intel_id, ',') FROM rating_support s WHERE s.network_id = r.network_id AND s.kind = r.kind AND s.dimension = r.dimension) AS intel_ids
       FROM ratings r WHERE r.network_id = ?`,
    )
    .all(networkId) as { network_id: string; kind: RatingRecord['kind']; dimension: string; value: number; rated_by: string | null; rated_at: string; intel_ids: string | null }[];
  return rows.map((r) => ({
    networkId: r.network_id,
    kind: r.kind,
    dimension: r.dimension,
    value: r.value,
    ratedBy: r.rated_by,
    ratedAt: r.rated_at,
    intelIds: r.intel_ids ? r.intel_ids.split(',').sort() : [],
  }));
}
