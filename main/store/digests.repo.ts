/**
 * Scoring digests in the vault (schema 0040; what a digest holds: main/domain/scoring-digest.ts).
 *
 * Each network's digest is kept in three parts (offences, intelligence, ratings). A stored part is
 * current: triggers delete it with any change to what it summarises. Missing ones are built here
 * from the rows (with no as-of date: a digest serves every day) and stored by whoever holds the
 * write transaction. A part built from an older snapshot (the rescore worker) is stored only if
 * `scoring_digest_state.invalidations` has not moved since that snapshot.
 */
import type { Db } from '../vault/database';
import { cachedStatement } from './statements';
import { epochDay, type EvidentialStage, type WeaponInvolved } from '../domain/scoring';
import {
  assembleDigest,
  buildDigestOffences,
  buildDigestRatings,
  DIGEST_FORMAT,
  digestRatingsJson,
  itemSpan,
  parseDigestRatings,
  type DigestOffences,
  type DigestRatings,
  type ItemSource,
  type ItemSpan,
  type OffenceSource,
  type RatingSource,
  type ScoringDigest,
} from '../domain/scoring-digest';

const stmt = cachedStatement;

/** `ids` null means every network. */
const scope = (column: string, ids: string[] | null): string => (ids === null ? '' : ` AND ${column} IN (SELECT value FROM json_each(@ids))`);

/** Qualifying for confidence: 3x5x2, source 1–2, intelligence A–B (any date: the digest keeps the day). */
const CONFIDENCE_GRADE = (i: string): string => `${i}.grading = '3x5x2' AND ${i}.source_grade IN (1, 2) AND ${i}.intel_grade IN ('A', 'B')`;
/** Supporting an assessed rating of 2 or more: 3x5x2, source 1–2, intelligence A–C. */
const SUPPORT_GRADE = (i: string): string => `${i}.grading = '3x5x2' AND ${i}.source_grade IN (1, 2) AND ${i}.intel_grade IN ('A', 'B', 'C')`;

/**
 * Confirmed-link offences, from `network_offences` (schema 0040), which the triggers keep equal
 * to the confirmed links joined to their offences and which holds each network's rows together:
 * for every network a scan in key order, for some networks one short range each.
 */
const OFFENCES_ALL = `SELECT network_id, offence_id, category, offence_date, stage, weapon FROM network_offences ORDER BY network_id`;
const offencesFor = (ids: string[]): string => `SELECT network_id, offence_id, category, offence_date, stage, weapon FROM network_offences
  WHERE 1=1${scope('network_id', ids)} ORDER BY network_id`;

/**
 * Qualifying items held against a network or cited by its confirmed offence links. For every
 * network, SQLite builds the set of qualifying items once (`+` stops it driving the join from that
 * set) and walks the link-item table in link order against the confirmed links by id.
 */
const HELD_ALL = `SELECT x.network_id, i.id, i.source_ref, i.item_date FROM (
    SELECT network_id, intel_id FROM network_intelligence WHERE +intel_id IN (SELECT q.id FROM intelligence q WHERE ${CONFIDENCE_GRADE('q')})
    UNION ALL SELECT l.network_id, li.intel_id FROM offence_link_intelligence li
      CROSS JOIN offence_links l INDEXED BY offence_links_confirmed_id ON l.id = li.link_id AND l.status = 'confirmed'
      WHERE +li.intel_id IN (SELECT q.id FROM intelligence q WHERE ${CONFIDENCE_GRADE('q')})
  ) x JOIN intelligence i ON i.id = x.intel_id WHERE ${CONFIDENCE_GRADE('i')}`;
const heldFor = (ids: string[]): string => `SELECT x.network_id, i.id, i.source_ref, i.item_date FROM (
    SELECT network_id, intel_id FROM network_intelligence WHERE 1=1${scope('network_id', ids)}
    UNION SELECT l.network_id, li.intel_id FROM offence_links l JOIN offence_link_intelligence li ON li.link_id = l.id
      WHERE l.status = 'confirmed'${scope('l.network_id', ids)}
  ) x JOIN intelligence i ON i.id = x.intel_id WHERE ${CONFIDENCE_GRADE('i')}`;

/** Ratings, each with the earliest date of an item supporting it well enough (assessed ratings only). */
const ratingsSql = (ids: string[] | null): string => `SELECT r.network_id, r.kind, r.dimension, r.value,
    CASE WHEN r.kind = 'assessed' THEN (SELECT min(i.item_date) FROM rating_support s JOIN intelligence i ON i.id = s.intel_id
      WHERE s.network_id = r.network_id AND s.kind = r.kind AND s.dimension = r.dimension AND ${SUPPORT_GRADE('i')}) END
  FROM ratings r WHERE 1=1${scope('r.network_id', ids)}`;
/** Qualifying confidence items among those supporting a network's ratings. */
const supportSql = (ids: string[] | null): string => `SELECT DISTINCT s.network_id, i.id, i.source_ref, i.item_date
  FROM rating_support s JOIN intelligence i ON i.id = s.intel_id WHERE ${CONFIDENCE_GRADE('i')}${scope('s.network_id', ids)}`;

/** Build the offence part from the rows for `ids` (null: every network; `known`: those networks, when the caller has them). Reads only. */
export function buildOffenceParts(db: Db, ids: string[] | null, known: string[] = networkIds(db, ids)): Map<string, DigestOffences> {
  const bound = ids === null ? {} : { ids: JSON.stringify(ids) };
  const out = new Map<string, DigestOffences>();
  for (const id of known) out.set(id, buildDigestOffences([]));
  // Rows come in key order, one network's after another: each network's part is packed as soon
  // as its rows end, so only one network's rows are ever held as objects (national scale: five
  // million offences).
  let current: string | null = null;
  let rows: OffenceSource = [];
  const flush = (): void => {
    if (current !== null && out.has(current)) out.set(current, buildDigestOffences(rows));
    rows = [];
  };
  for (const [n, id, category, date, stage, weapon] of stmt(db, ids === null ? OFFENCES_ALL : offencesFor(ids))
    .raw()
    .iterate(bound) as IterableIterator<[string, string, string, string, EvidentialStage, WeaponInvolved]>) {
    if (n !== current) {
      flush();
      current = n;
    }
    rows.push({ id, category, day: epochDay(date), stage, weapon });
  }
  flush();
  return out;
}

/** Build the intelligence part (the span of qualifying items held or cited) for `ids` (null: every network). Reads only. */
export function buildIntelligenceParts(db: Db, ids: string[] | null, known: string[] = networkIds(db, ids)): Map<string, ItemSpan> {
  const bound = ids === null ? {} : { ids: JSON.stringify(ids) };
  const items = new Map<string, ItemSource>();
  for (const id of known) items.set(id, []);
  for (const [n, id, sourceId, date] of stmt(db, ids === null ? HELD_ALL : heldFor(ids)).raw().iterate(bound) as IterableIterator<[string, string, string, string]>) {
    items.get(n)?.push({ id, sourceId, day: epochDay(date) });
  }
  const out = new Map<string, ItemSpan>();
  for (const [id, src] of items) out.set(id, itemSpan(src));
  return out;
}

/** Build the ratings part for `ids` (null: every network). Reads only. */
export function buildRatingParts(db: Db, ids: string[] | null, known: string[] = networkIds(db, ids)): Map<string, DigestRatings> {
  const bound = ids === null ? {} : { ids: JSON.stringify(ids) };
  const sources = new Map<string, { ratings: RatingSource; support: ItemSource }>();
  for (const id of known) sources.set(id, { ratings: new Map(), support: [] });
  for (const [n, kind, dimension, value, supportedFrom] of stmt(db, ratingsSql(ids)).raw().iterate(bound) as IterableIterator<[string, string, string, number, string | null]>) {
    sources.get(n)?.ratings.set(`${kind}:${dimension}`, { value, supportedFrom: supportedFrom === null ? null : epochDay(supportedFrom) });
  }
  for (const [n, id, sourceId, date] of stmt(db, supportSql(ids)).raw().iterate(bound) as IterableIterator<[string, string, string, string]>) {
    sources.get(n)?.support.push({ id, sourceId, day: epochDay(date) });
  }
  const out = new Map<string, DigestRatings>();
  for (const [id, src] of sources) out.set(id, buildDigestRatings(src.ratings, src.support));
  return out;
}

function networkIds(db: Db, ids: string[] | null): string[] {
  return ids === null
    ? (stmt(db, 'SELECT id FROM networks').pluck().all() as string[])
    : (stmt(db, `SELECT id FROM networks WHERE 1=1${scope('id', ids)}`).pluck().all({ ids: JSON.stringify(ids) }) as string[]);
}

/** Digest parts a caller built because the vault lacked them. */
export interface BuiltParts {
  offences: [string, DigestOffences][];
  intelligence: [string, ItemSpan][];
  ratings: [string, DigestRatings][];
}

/**
 * The digests for `ids` (null: every network), every network named once. Parts the vault lacks
 * (or holds in another format) are built from the rows; when `store` is set (the caller holds
 * the write transaction) they are stored too. `built` is what was built, for a caller that
 * cannot store (the rescore worker) to hand to one that can.
 */
export function loadDigests(db: Db, ids: string[] | null, store: boolean): { digests: Map<string, ScoringDigest>; built: BuiltParts } {
  const bound = ids === null ? {} : { ids: JSON.stringify(ids) };
  const named = networkIds(db, ids);
  const offences = new Map<string, DigestOffences>();
  const held = new Map<string, ItemSpan>();
  const ratings = new Map<string, DigestRatings>();
  // Each table read in key order (for every network, a scan; for some, their keys).
  for (const [id, format, categories, packed] of stmt(db, `SELECT network_id, format, categories, offences FROM scoring_digest_offences WHERE 1=1${scope('network_id', ids)}`)
    .raw()
    .iterate(bound) as IterableIterator<[string, number, string, Buffer]>) {
    if (format === DIGEST_FORMAT) offences.set(id, { categories: JSON.parse(categories) as string[], offences: packed });
  }
  for (const [id, format, from, source, twoFrom] of stmt(db, `SELECT network_id, format, held_from, held_source, held_two_from FROM scoring_digest_intelligence WHERE 1=1${scope('network_id', ids)}`)
    .raw()
    .iterate(bound) as IterableIterator<[string, number, number | null, string | null, number | null]>) {
    if (format === DIGEST_FORMAT) held.set(id, { from, source, twoFrom });
  }
  for (const [id, format, values, from, source, twoFrom] of stmt(
    db,
    `SELECT network_id, format, ratings, support_from, support_source, support_two_from FROM scoring_digest_ratings WHERE 1=1${scope('network_id', ids)}`,
  )
    .raw()
    .iterate(bound) as IterableIterator<[string, number, string, number | null, string | null, number | null]>) {
    if (format === DIGEST_FORMAT) ratings.set(id, { ...parseDigestRatings(values), support: { from, source, twoFrom } });
  }

  // Most of them missing (a new or imported vault): one pass over every row beats a lookup each.
  const lacking = <T>(have: Map<string, T>): string[] | null => {
    const ids2 = named.filter((id) => !have.has(id));
    return ids2.length === 0 ? [] : ids === null && ids2.length * 2 > named.length ? null : ids2;
  };
  const built: BuiltParts = { offences: [], intelligence: [], ratings: [] };
  const fill = <T>(have: Map<string, T>, into: [string, T][], build: (db: Db, ids: string[] | null, known: string[]) => Map<string, T>): void => {
    const want = lacking(have);
    if (want !== null && want.length === 0) return;
    // The networks are known already: the builder need not look them up again.
    for (const [id, part] of build(db, want, want ?? named)) {
      if (have.has(id)) continue;
      have.set(id, part);
      into.push([id, part]);
    }
  };
  fill(offences, built.offences, buildOffenceParts);
  fill(held, built.intelligence, buildIntelligenceParts);
  fill(ratings, built.ratings, buildRatingParts);
  if (store) saveDigestParts(db, built);

  const digests = new Map<string, ScoringDigest>();
  for (const id of named) digests.set(id, assembleDigest(offences.get(id)!, held.get(id)!, ratings.get(id)!));
  return { digests, built };
}

/** Store digest parts (replacing any). Must run in the write transaction that read the rows they came from. */
export function saveDigestParts(db: Db, parts: BuiltParts): void {
  const exists = 'WHERE EXISTS (SELECT 1 FROM networks WHERE id = @id)';
  const off = stmt(db, `INSERT OR REPLACE INTO scoring_digest_offences (network_id, format, categories, offences) SELECT @id, @format, @categories, @offences ${exists}`);
  const int = stmt(db, `INSERT OR REPLACE INTO scoring_digest_intelligence (network_id, format, held_from, held_source, held_two_from) SELECT @id, @format, @from, @source, @twoFrom ${exists}`);
  const rat = stmt(
    db,
    `INSERT OR REPLACE INTO scoring_digest_ratings (network_id, format, ratings, support_from, support_source, support_two_from) SELECT @id, @format, @ratings, @from, @source, @twoFrom ${exists}`,
  );
  for (const [id, p] of parts.offences) {
    // A part that crossed from the worker arrives as a plain Uint8Array.
    const u8: Uint8Array = p.offences;
    const offences = Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    off.run({ id, format: DIGEST_FORMAT, categories: JSON.stringify(p.categories), offences });
  }
  for (const [id, p] of parts.intelligence) int.run({ id, format: DIGEST_FORMAT, from: p.from, source: p.source, twoFrom: p.twoFrom });
  for (const [id, p] of parts.ratings) rat.run({ id, format: DIGEST_FORMAT, ratings: digestRatingsJson(p), from: p.support.from, source: p.support.source, twoFrom: p.support.twoFrom });
}

/** How many digest invalidations the vault has seen: compared across a worker's snapshot. */
export function digestInvalidations(db: Db): number {
  return stmt(db, 'SELECT invalidations FROM scoring_digest_state WHERE id = 1').pluck().get() as number;
}

/** How many networks there are, and how many lack at least one digest part (a full rescore builds those from the rows first). */
export function digestCoverage(db: Db): { networks: number; lacking: number } {
  const networks = db.prepare('SELECT count(*) FROM networks').pluck().get() as number;
  const lacking = db
    .prepare(
      `SELECT count(*) FROM networks n WHERE NOT EXISTS (SELECT 1 FROM scoring_digest_offences o WHERE o.network_id = n.id)
         OR NOT EXISTS (SELECT 1 FROM scoring_digest_intelligence i WHERE i.network_id = n.id)
         OR NOT EXISTS (SELECT 1 FROM scoring_digest_ratings r WHERE r.network_id = n.id)`,
    )
    .pluck()
    .get() as number;
  return { networks, lacking };
}

/** Offence links ever recorded (the largest rowid: one descent), an estimate of the work of building digests from the rows. */
export function estimateOffenceLinks(db: Db): number {
  return (db.prepare('SELECT coalesce(max(rowid), 0) FROM offence_links').pluck().get() as number) ?? 0;
}
