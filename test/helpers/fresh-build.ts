/**
 * Fresh-build checks for tests: the stored scoring digests and `network_offences` against what the
 * rows give when built afresh (DEVELOPERS.md, "Scoring digests").
 */
import { buildIntelligenceParts, buildOffenceParts, buildRatingParts } from '../../main/store/digests.repo';
import type { Db } from '../../main/vault/database';

/** Stored digest parts that differ from parts built afresh from the rows; [] when all agree. */
export function staleDigests(db: Db): string[] {
  const out: string[] = [];
  const offences = buildOffenceParts(db, null);
  const held = buildIntelligenceParts(db, null);
  const ratings = buildRatingParts(db, null);
  for (const [id, categories, packed] of db.prepare('SELECT network_id, categories, offences FROM scoring_digest_offences').raw().all() as [string, string, Buffer][]) {
    const fresh = offences.get(id);
    if (!fresh || JSON.stringify(fresh.categories) !== categories || !fresh.offences.equals(packed)) out.push(`${id}: offence part is stale`);
  }
  for (const [id, from, source, two] of db.prepare('SELECT network_id, held_from, held_source, held_two_from FROM scoring_digest_intelligence').raw().all() as [string, number | null, string | null, number | null][]) {
    if (JSON.stringify({ from, source, twoFrom: two }) !== JSON.stringify(held.get(id))) out.push(`${id}: intelligence part is stale`);
  }
  for (const [id, values, from, source, two] of db.prepare('SELECT network_id, ratings, support_from, support_source, support_two_from FROM scoring_digest_ratings').raw().all() as [string, string, number | null, string | null, number | null][]) {
    const fresh = ratings.get(id);
    const stored = { ...(JSON.parse(values) as object), support: { from, source, twoFrom: two } };
    if (!fresh || JSON.stringify(stored) !== JSON.stringify(fresh)) out.push(`${id}: ratings part is stale`);
  }
  return out;
}

/** `network_offences` as the rows give it: each confirmed offence link with its offence. */
export const NETWORK_OFFENCES_FROM_ROWS = `SELECT l.network_id, o.id, o.category, o.offence_date, o.stage, o.weapon
  FROM offence_links l JOIN offences o ON o.id = l.offence_id WHERE l.status = 'confirmed' ORDER BY 1, 2`;
