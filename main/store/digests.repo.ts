/**
 * Scoring digests in the vault (schema 0040; what a digest holds: main/domain/scoring-digest.ts).
 *
 * A stored digest is current: triggers delete it with any change to what it summarises. Missing
 * ones are built here from the rows (with no as-of date: a digest serves every day) and stored by
 * whoever holds the write transaction. A digest built from an older snapshot (the rescore worker)
 * is stored only if `scoring_digest_state.invalidations` has not moved since that snapshot.
 */
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../vault/database';
import { epochDay, type EvidentialStage, type WeaponInvolved } from '../domain/scoring';
import {
  buildDigestEvidence,
  buildDigestOffences,
  DIGEST_FORMAT,
  digestRatingsJson,
  parseDigestRatings,
  type DigestEvidence,
  type DigestOffences,
  type EvidenceSource,
  type OffenceSource,
  type ScoringDigest,
} from '../domain/scoring-digest';

const statements = new WeakMap<Db, Map<string, Statement>>();
function stmt(db: Db, sql: string): Statement {
  let byDb = statements.get(db);
  if (!byDb) statements.set(db, (byDb = new Map()));
  let st = byDb.get(sql);
  if (!st) byDb.set(sql, (st = db.prepare(sql)));
  return st;
}

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
 * (network, item) pairs for confidence, qualifying items only: held against the network, cited by
 * its confirmed offence links, or supporting its ratings. For every network, SQLite builds the set
 * of qualifying items once (`+` stops it driving the join from that set) and walks the link-item
 * table in link order against the confirmed links by id.
 */
const ITEMS_ALL = `SELECT x.network_id, i.id, i.source_ref, i.item_date FROM (
    SELECT network_id, intel_id FROM network_intelligence WHERE +intel_id IN (SELECT q.id FROM intelligence q WHERE ${CONFIDENCE_GRADE('q')})
    UNION ALL SELECT l.network_id, li.intel_id FROM offence_link_intelligence li
      CROSS JOIN offence_links l INDEXED BY offence_links_confirmed_id ON l.id = li.link_id AND l.status = 'confirmed'
      WHERE +li.intel_id IN (SELECT q.id FROM intelligence q WHERE ${CONFIDENCE_GRADE('q')})
    UNION ALL SELECT network_id, intel_id FROM rating_support
  ) x JOIN intelligence i ON i.id = x.intel_id WHERE ${CONFIDENCE_GRADE('i')}`;
const itemsFor = (ids: string[]): string => `SELECT x.network_id, i.id, i.source_ref, i.item_date FROM (
    SELECT network_id, intel_id FROM network_intelligence WHERE 1=1${scope('network_id', ids)}
    UNION SELECT l.network_id, li.intel_id FROM offence_links l JOIN offence_link_intelligence li ON li.link_id = l.id
      WHERE l.status = 'confirmed'${scope('l.network_id', ids)}
    UNION SELECT network_id, intel_id FROM rating_support WHERE 1=1${scope('network_id', ids)}
  ) x JOIN intelligence i ON i.id = x.intel_id WHERE ${CONFIDENCE_GRADE('i')}`;

/** Ratings, each with the earliest date of an item supporting it well enough (assessed ratings only). */
const ratingsSql = (ids: string[] | null): string => `SELECT r.network_id, r.kind, r.dimension, r.value,
    CASE WHEN r.kind = 'assessed' THEN (SELECT min(i.item_date) FROM rating_support s JOIN intelligence i ON i.id = s.intel_id
      WHERE s.network_id = r.network_id AND s.kind = r.kind AND s.dimension = r.dimension AND ${SUPPORT_GRADE('i')}) END
  FROM ratings r WHERE 1=1${scope('r.network_id', ids)}`;

export type DigestPart = 'offences' | 'evidence';

/** Build the offence part from the rows for `ids` (null: every network). Reads only. */
export function buildOffenceParts(db: Db, ids: string[] | null): Map<string, DigestOffences> {
  const bound = ids === null ? {} : { ids: JSON.stringify(ids) };
  const out = new Map<string, DigestOffences>();
  for (const id of networkIds(db, ids)) out.set(id, buildDigestOffences([]));
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

/** Build the evidence part from the rows for `ids` (null: every network). Reads only. */
export function buildEvidenceParts(db: Db, ids: string[] | null): Map<string, DigestEvidence> {
  const bound = ids === null ? {} : { ids: JSON.stringify(ids) };
  const sources = new Map<string, EvidenceSource>();
  for (const id of networkIds(db, ids)) sources.set(id, { ratings: new Map(), items: [] });
  for (const [n, kind, dimension, value, supportedFrom] of stmt(db, ratingsSql(ids)).raw().iterate(bound) as IterableIterator<[string, string, string, number, string | null]>) {
    sources.get(n)?.ratings.set(`${kind}:${dimension}`, { value, supportedFrom: supportedFrom === null ? null : epochDay(supportedFrom) });
  }
  for (const [n, id, sourceId, date] of stmt(db, ids === null ? ITEMS_ALL : itemsFor(ids)).raw().iterate(bound) as IterableIterator<[string, string, string, string]>) {
    sources.get(n)?.items.push({ id, sourceId, day: epochDay(date) });
  }
  const out = new Map<string, DigestEvidence>();
  for (const [id, src] of sources) out.set(id, buildDigestEvidence(src));
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
  evidence: [string, DigestEvidence][];
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
  const evidence = new Map<string, DigestEvidence>();
  // Each table read in key order (for every network, a scan; for some, their keys).
  for (const [id, format, categories, packed] of stmt(db, `SELECT network_id, format, categories, offences FROM scoring_digest_offences WHERE 1=1${scope('network_id', ids)}`)
    .raw()
    .iterate(bound) as IterableIterator<[string, number, string, Buffer]>) {
    if (format === DIGEST_FORMAT) offences.set(id, { categories: JSON.parse(categories) as string[], offences: packed });
  }
  for (const [id, format, ratings, confidenceFrom, twoSourcesFrom] of stmt(
    db,
    `SELECT network_id, format, ratings, confidence_from, two_sources_from FROM scoring_digest_evidence WHERE 1=1${scope('network_id', ids)}`,
  )
    .raw()
    .iterate(bound) as IterableIterator<[string, number, string, number | null, number | null]>) {
    if (format === DIGEST_FORMAT) evidence.set(id, { ...parseDigestRatings(ratings), confidenceFrom, twoSourcesFrom });
  }
  const lackOffences = named.filter((id) => !offences.has(id));
  const lackEvidence = named.filter((id) => !evidence.has(id));
  const built: BuiltParts = { offences: [], evidence: [] };
  // Most of them missing (a new or imported vault): one pass over every row beats a lookup each.
  const isMost = (lacking: string[]): boolean => ids === null && lacking.length * 2 > named.length;
  if (lackOffences.length > 0) {
    const parts = buildOffenceParts(db, isMost(lackOffences) ? null : lackOffences);
    for (const id of lackOffences) built.offences.push([id, parts.get(id)!]);
  }
  if (lackEvidence.length > 0) {
    const parts = buildEvidenceParts(db, isMost(lackEvidence) ? null : lackEvidence);
    for (const id of lackEvidence) built.evidence.push([id, parts.get(id)!]);
  }
  if (store) saveDigestParts(db, built);
  for (const [id, p] of built.offences) offences.set(id, p);
  for (const [id, p] of built.evidence) evidence.set(id, p);
  const digests = new Map<string, ScoringDigest>();
  for (const id of named) digests.set(id, { ...offences.get(id)!, ...evidence.get(id)! });
  return { digests, built };
}

/** Store digest parts (replacing any). Must run in the write transaction that read the rows they came from. */
export function saveDigestParts(db: Db, parts: BuiltParts): void {
  const off = stmt(
    db,
    `INSERT OR REPLACE INTO scoring_digest_offences (network_id, format, categories, offences)
     SELECT @id, @format, @categories, @offences WHERE EXISTS (SELECT 1 FROM networks WHERE id = @id)`,
  );
  const ev = stmt(
    db,
    `INSERT OR REPLACE INTO scoring_digest_evidence (network_id, format, ratings, confidence_from, two_sources_from)
     SELECT @id, @format, @ratings, @confidenceFrom, @twoSourcesFrom WHERE EXISTS (SELECT 1 FROM networks WHERE id = @id)`,
  );
  for (const [id, p] of parts.offences) {
    // A part that crossed from the worker arrives as a plain Uint8Array.
    const u8: Uint8Array = p.offences;
    const offences = Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    off.run({ id, format: DIGEST_FORMAT, categories: JSON.stringify(p.categories), offences });
  }
  for (const [id, p] of parts.evidence) {
    ev.run({ id, format: DIGEST_FORMAT, ratings: digestRatingsJson(p), confidenceFrom: p.confidenceFrom, twoSourcesFrom: p.twoSourcesFrom });
  }
}

/** How many digest invalidations the vault has seen: compared across a worker's snapshot. */
export function digestInvalidations(db: Db): number {
  return stmt(db, 'SELECT invalidations FROM scoring_digest_state WHERE id = 1').pluck().get() as number;
}
