/**
 * The scoring read (everything hm-1 needs for a set of networks, in a handful of scans) and the
 * score store (current score per network, history row whenever score or band changes).
 *
 * What feeds a score (docs/specification.md, "Harm scoring"):
 * - offences with a CONFIRMED offence → network link (an offence linked twice is passed twice and
 *   counted once by the scorer); membership links never feed a score, so a victim / at-risk link
 *   cannot change one;
 * - the network's ratings with their supporting intelligence (3x5x2-graded items only: a legacy
 *   5x5x5 grade cannot show source 1–2 / intelligence A–C);
 * - for confidence, the 3x5x2 items held against the network, cited by its confirmed offence links
 *   or supporting its ratings, dated on or before the as-of date;
 * - the most recent approved band override approved on or before the as-of date (UK calendar day).
 */
import type { Db } from '../vault/database';
import { cachedStatement } from './statements';
import {
  ASSESSED_DIMENSIONS,
  CAPABILITY_DIMENSIONS,
} from '../../preload/contract/schemas/matrix';
import type { BandOverride, HarmScore, ParsedScoringInput, WeightTable } from '../domain/scoring';
import { addDays } from '../../preload/contract/dates';
import { ukDayStartUtc, ukToday } from '../../preload/contract/uk-time';

type GradedItem = { id: string; source: 1 | 2 | 3; intelligence: 'A' | 'B' | 'C' | 'D' | 'E' };
type ConfidenceItem = { id: string; sourceId: string; source: 1 | 2 | 3; intelligence: GradedItem['intelligence'] };

/** Code-unit order, independent of the machine's locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const stmt = cachedStatement;

/** `ids` null means every network. */
function scopeClause(column: string, ids: string[] | null): string {
  return ids === null ? '' : ` AND ${column} IN (SELECT value FROM json_each(@ids))`;
}

/**
 * Items that can count towards confidence: 3x5x2, source 1–2, intelligence A–B, dated on or
 * before the as-of date. Any other item leaves the confidence and its explanation exactly as they
 * are (the scorer lists only qualifying items), so both reads pass only these: that is what keeps
 * the full read's intelligence part small. The scorer still applies its own test.
 */
const qualifyingItem = (i: string): string => `${i}.grading = '3x5x2' AND ${i}.source_grade IN (1, 2) AND ${i}.intel_grade IN ('A', 'B') AND ${i}.item_date <= @asOf`;

/**
 * Offences on confirmed links. For every network, the partial index walks confirmed links in
 * offence-id order and offences are clustered by id, so each B-tree is read once in order; for
 * some networks, the network index finds their links.
 */
const OFFENCES_ALL = `SELECT l.network_id, o.id, o.category, o.offence_date, o.stage, o.weapon
  FROM offence_links l INDEXED BY offence_links_confirmed CROSS JOIN offences o ON o.id = l.offence_id
  WHERE l.status = 'confirmed'`;
const offencesFor = (ids: string[]): string => `SELECT l.network_id, o.id, o.category, o.offence_date, o.stage, o.weapon
  FROM offence_links l JOIN offences o ON o.id = l.offence_id
  WHERE l.status = 'confirmed'${scopeClause('l.network_id', ids)}`;

/**
 * The plain scan the full rescore is measured against (BENCHMARKS.md): the same offence rows, read
 * by the same join, with nothing done to them.
 */
export const RAW_OFFENCE_SCAN_SQL = OFFENCES_ALL;

/**
 * (network, item) pairs for confidence: items held against the network, cited by its confirmed
 * offence links, or supporting its ratings. For every network, the cited items are found by
 * walking offence_link_intelligence in link order, keeping only qualifying items (SQLite builds the
 * set once; `+` stops it driving the join from that set), and finding each surviving link's network
 * through the partial index on confirmed links by id, in the same order.
 */
const ITEM_PAIRS_ALL = `SELECT network_id, intel_id FROM network_intelligence WHERE +intel_id IN (SELECT q.id FROM intelligence q WHERE ${qualifyingItem('q')})
  UNION ALL SELECT l.network_id, li.intel_id FROM offence_link_intelligence li
    CROSS JOIN offence_links l INDEXED BY offence_links_confirmed_id ON l.id = li.link_id AND l.status = 'confirmed'
    WHERE +li.intel_id IN (SELECT q.id FROM intelligence q WHERE ${qualifyingItem('q')})
  UNION ALL SELECT network_id, intel_id FROM rating_support`;
const itemPairsFor = (ids: string[]): string => `SELECT network_id, intel_id FROM network_intelligence WHERE 1=1${scopeClause('network_id', ids)}
  UNION ALL SELECT l.network_id, li.intel_id FROM offence_links l JOIN offence_link_intelligence li ON li.link_id = l.id
    WHERE l.status = 'confirmed'${scopeClause('l.network_id', ids)}
  UNION ALL SELECT network_id, intel_id FROM rating_support WHERE 1=1${scopeClause('network_id', ids)}`;

export function loadScoringInputs(db: Db, ids: string[] | null, asOf: string, weightTable: WeightTable): Map<string, ParsedScoringInput> {
  const params = { ids: JSON.stringify(ids ?? []), asOf };
  const scoped = ids === null ? {} : { ids: params.ids };
  const networkIds =
    ids === null ? (stmt(db, 'SELECT id FROM networks ORDER BY id').pluck().all() as string[]) : (stmt(db, `SELECT id FROM networks WHERE 1=1${scopeClause('id', ids)} ORDER BY id`).pluck().all(scoped) as string[]);

  const inputs = new Map<string, ParsedScoringInput & { intelligenceItems: ConfidenceItem[] }>();
  const ratings = new Map<string, Map<string, { value: number; support: GradedItem[] }>>();
  for (const id of networkIds) {
    inputs.set(id, { asOf, weightTable, offences: [], assessed: [], capability: [], intelligenceItems: [], override: null });
    ratings.set(id, new Map());
  }

  const offences = stmt(db, ids === null ? OFFENCES_ALL : offencesFor(ids))
    .raw()
    .iterate(scoped) as IterableIterator<[string, string, string, string, string, string]>;
  for (const [n, id, category, date, stage, weapon] of offences) {
    inputs.get(n)?.offences.push({ id, category, date, stage: stage as never, weapon: weapon as never });
  }

  const ratingRows = stmt(
    db,
    `SELECT r.network_id, r.kind, r.dimension, r.value, i.id, i.source_grade, i.intel_grade
       FROM ratings r
       LEFT JOIN rating_support s ON s.network_id = r.network_id AND s.kind = r.kind AND s.dimension = r.dimension
       LEFT JOIN intelligence i ON i.id = s.intel_id AND i.grading = '3x5x2' AND i.item_date <= @asOf
       WHERE 1=1${scopeClause('r.network_id', ids)}`,
  )
    .raw()
    .all(params) as [string, string, string, number, string | null, 1 | 2 | 3 | null, GradedItem['intelligence'] | null][];
  for (const [n, kind, dimension, value, intelId, source, intel] of ratingRows) {
    const byDim = ratings.get(n);
    if (!byDim) continue;
    const key = `${kind}:${dimension}`;
    const entry = byDim.get(key) ?? { value, support: [] };
    if (intelId && source !== null && intel !== null) entry.support.push({ id: intelId, source, intelligence: intel });
    byDim.set(key, entry);
  }

  // Items for confidence, each passed once however many routes reach it. For every network: the
  // qualifying items once (a scan of intelligence), then the (network, item) pairs. For some
  // networks: their pairs joined to their items (never a scan of every item: an edit's rescore).
  const seenItems = new Map<string, Set<string>>();
  const addItem = (n: string, item: ConfidenceItem): void => {
    const input = inputs.get(n);
    if (!input) return;
    let seen = seenItems.get(n);
    if (!seen) seenItems.set(n, (seen = new Set()));
    if (seen.has(item.id)) return;
    seen.add(item.id);
    input.intelligenceItems.push(item);
  };
  if (ids === null) {
    const qualifying = new Map<string, ConfidenceItem>();
    for (const [id, sourceId, source, intelligence] of stmt(db, `SELECT q.id, q.source_ref, q.source_grade, q.intel_grade FROM intelligence q WHERE ${qualifyingItem('q')}`)
      .raw()
      .iterate({ asOf }) as IterableIterator<[string, string, 1 | 2 | 3, GradedItem['intelligence']]>) {
      qualifying.set(id, { id, sourceId, source, intelligence });
    }
    for (const [n, intelId] of stmt(db, ITEM_PAIRS_ALL).raw().iterate({ asOf }) as IterableIterator<[string, string]>) {
      const item = qualifying.get(intelId);
      if (item) addItem(n, item);
    }
  } else {
    for (const [n, id, sourceId, source, intelligence] of stmt(
      db,
      `SELECT x.network_id, i.id, i.source_ref, i.source_grade, i.intel_grade FROM (${itemPairsFor(ids)}) x
       JOIN intelligence i ON i.id = x.intel_id WHERE ${qualifyingItem('i')}`,
    )
      .raw()
      .iterate(params) as IterableIterator<[string, string, string, 1 | 2 | 3, GradedItem['intelligence']]>) {
      addItem(n, { id, sourceId, source, intelligence });
    }
  }

  for (const [n, override] of loadOverrides(db, ids, asOf)) {
    const input = inputs.get(n);
    if (input) input.override = override;
  }

  // Rows arrive in whatever order the query plan gives, and the plan differs between one network
  // (incremental) and all of them (full rescore). The score does not depend on order, but the
  // explanation lists offences and items in the order given: sort them, so both paths give the
  // same explanation byte for byte.
  for (const [n, input] of inputs) {
    input.offences.sort((a, b) => compareText(a.date, b.date) || compareText(a.id, b.id));
    input.intelligenceItems.sort((a, b) => compareText(a.id, b.id));
    const byDim = ratings.get(n)!;
    input.assessed = ASSESSED_DIMENSIONS.map((dimension) => {
      const r = byDim.get(`assessed:${dimension}`);
      return { dimension, value: r?.value ?? 0, supportingItems: (r?.support ?? []).sort((a, b) => compareText(a.id, b.id)) };
    });
    input.capability = CAPABILITY_DIMENSIONS.map((dimension) => ({ dimension, value: byDim.get(`capability:${dimension}`)?.value ?? 0 }));
  }
  return inputs;
}

/**
 * The band override that applies to each network as of a day: the most recent one approved on or
 * before it (absent for networks with none).
 *
 * approved_at is a UTC instant; the as-of date is a UK calendar day. An override approved at
 * 00:30 BST on 1 July (23:30 UTC on 30 June) was approved on 1 July, so it is not in force as of
 * 30 June: compare instants with the start of the next UK day, and name the UK day it was approved.
 */
export function loadOverrides(db: Db, ids: string[] | null, asOf: string): Map<string, BandOverride> {
  const scoped = ids === null ? {} : { ids: JSON.stringify(ids) };
  const overrides = stmt(
    db,
    `SELECT o.network_id, o.band, o.reason, o.author_id, o.approver_id, u.role, o.expires_on, o.approved_at
       FROM band_overrides o LEFT JOIN users u ON u.id = o.approver_id
       WHERE o.status = 'approved' AND o.approved_at < @approvedBefore${scopeClause('o.network_id', ids)}
       ORDER BY o.approved_at`,
  )
    .raw()
    .all({ ...scoped, approvedBefore: ukDayStartUtc(addDays(asOf, 1)).toISOString() }) as [string, string, string, string, string | null, string | null, string, string][];
  const out = new Map<string, BandOverride>();
  // Ordered by approval time, so the last one seen is the most recent.
  for (const [n, band, reason, authorId, approverId, approverRole, expiresOn, approvedAt] of overrides) {
    out.set(n, { band: band as never, reason, authorId, approverId, approverRole, expiresOn, approvedOn: ukToday(new Date(approvedAt)) });
  }
  return out;
}

export interface StoredScore {
  networkId: string;
  asOf: string;
  model: string;
  weightTableId: string;
  weightTableVersion: string;
  score: number;
  ehPts: number;
  ahPts: number;
  capPts: number;
  band: string;
  effectiveBand: string;
  confidence: string;
  computedAt: string;
}

/** The part of a score that is stored: what a worker thread sends back for each network. */
export interface ScoreSummary {
  asOf: string;
  model: string;
  weightTableId: string;
  weightTableVersion: string;
  score: number;
  ehPts: number;
  ahPts: number;
  capPts: number;
  band: string;
  effectiveBand: string;
  confidence: string;
}

export function summariseScore(h: HarmScore): ScoreSummary {
  const p = h.explanation.parts;
  return {
    asOf: h.asOf,
    model: h.model,
    weightTableId: h.weightTable.id,
    weightTableVersion: h.weightTable.version,
    score: h.score,
    ehPts: p.ehPts,
    ahPts: p.ahPts,
    capPts: p.capPts,
    band: h.band,
    effectiveBand: h.effectiveBand,
    confidence: h.confidence,
  };
}

/**
 * Store a network's score; add a history row when the score or either band differs from the last
 * history row. Returns whether history moved.
 */
export function saveScore(db: Db, networkId: string, h: HarmScore, computedAt: string): boolean {
  return saveScoreSummary(db, networkId, summariseScore(h), computedAt);
}

const UPSERT_SCORE = `INSERT INTO network_scores (network_id, as_of, model, weight_table_id, weight_table_version, score, eh_pts, ah_pts, cap_pts, band, effective_band, confidence, computed_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(network_id) DO UPDATE SET as_of=excluded.as_of, model=excluded.model, weight_table_id=excluded.weight_table_id,
    weight_table_version=excluded.weight_table_version, score=excluded.score, eh_pts=excluded.eh_pts, ah_pts=excluded.ah_pts,
    cap_pts=excluded.cap_pts, band=excluded.band, effective_band=excluded.effective_band, confidence=excluded.confidence,
    computed_at=excluded.computed_at`;
const INSERT_HISTORY = `INSERT INTO score_history (network_id, as_of, model, weight_table_id, weight_table_version, score, eh_pts, ah_pts, cap_pts, band, effective_band, confidence, computed_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The columns of UPSERT_SCORE and INSERT_HISTORY, in order. */
const scoreColumns = (id: string, x: ScoreSummary, computedAt: string): unknown[] => [
  id, x.asOf, x.model, x.weightTableId, x.weightTableVersion, x.score, x.ehPts, x.ahPts, x.capPts, x.band, x.effectiveBand, x.confidence, computedAt,
];

const isSameAsLast = (last: readonly [number, string, string], x: ScoreSummary): boolean => last[0] === x.score && last[1] === x.band && last[2] === x.effectiveBand;

export function saveScoreSummary(db: Db, networkId: string, summary: ScoreSummary, computedAt: string): boolean {
  const row = scoreColumns(networkId, summary, computedAt);
  stmt(db, UPSERT_SCORE).run(...row);
  const last = stmt(db, 'SELECT score, band, effective_band FROM score_history WHERE network_id = ? ORDER BY id DESC LIMIT 1').raw().get(networkId) as
    | [number, string, string]
    | undefined;
  if (last && isSameAsLast(last, summary)) return false;
  stmt(db, INSERT_HISTORY).run(...row);
  return true;
}

/**
 * Store many networks' scores in one pass (a full rescore): the same rows `saveScoreSummary` would
 * write, network after network in the order given. Instead of finding each network's last history
 * row, it reads the stored scores once: a stored score always equals its network's last history
 * row in score and both bands (`saveScoreSummary` adds history whenever they would differ, and
 * nothing else writes either table), so the comparison is the same. A network with no stored score
 * gets its history row as `saveScoreSummary` would decide. Returns how many networks' history moved.
 */
export function saveScoreSummaries(db: Db, entries: Iterable<[string, ScoreSummary]>, computedAt: string): number {
  const current = new Map<string, [number, string, string]>();
  for (const [id, score, band, effectiveBand] of stmt(db, 'SELECT network_id, score, band, effective_band FROM network_scores').raw().iterate() as IterableIterator<[string, number, string, string]>) {
    current.set(id, [score, band, effectiveBand]);
  }
  const upsert = stmt(db, UPSERT_SCORE);
  const history = stmt(db, INSERT_HISTORY);
  let changed = 0;
  for (const [id, x] of entries) {
    const last = current.get(id);
    if (!last) {
      if (saveScoreSummary(db, id, x, computedAt)) changed++;
      continue;
    }
    const row = scoreColumns(id, x, computedAt);
    upsert.run(...row);
    if (isSameAsLast(last, x)) continue;
    history.run(...row);
    changed++;
  }
  return changed;
}

interface ScoreRaw {
  network_id: string;
  as_of: string;
  model: string;
  weight_table_id: string;
  weight_table_version: string;
  score: number;
  eh_pts: number;
  ah_pts: number;
  cap_pts: number;
  band: string;
  effective_band: string;
  confidence: string;
  computed_at: string;
}

const mapScore = (r: ScoreRaw): StoredScore => ({
  networkId: r.network_id,
  asOf: r.as_of,
  model: r.model,
  weightTableId: r.weight_table_id,
  weightTableVersion: r.weight_table_version,
  score: r.score,
  ehPts: r.eh_pts,
  ahPts: r.ah_pts,
  capPts: r.cap_pts,
  band: r.band,
  effectiveBand: r.effective_band,
  confidence: r.confidence,
  computedAt: r.computed_at,
});

export function getStoredScore(db: Db, networkId: string): StoredScore | null {
  const r = db.prepare('SELECT * FROM network_scores WHERE network_id = ?').get(networkId) as ScoreRaw | undefined;
  return r ? mapScore(r) : null;
}

export function listStoredScores(db: Db): StoredScore[] {
  return (db.prepare('SELECT * FROM network_scores ORDER BY network_id').all() as ScoreRaw[]).map(mapScore);
}

export function listHistory(db: Db, networkId: string): StoredScore[] {
  return (db.prepare('SELECT * FROM score_history WHERE network_id = ? ORDER BY id').all(networkId) as ScoreRaw[]).map(mapScore);
}

/**
 * The score before the latest change, for the matrix's trend column. One descent of the history
 * index per network, not a pass over the whole history: the daily rescore adds a row for most
 * networks every day (scores decay), so the history grows by thousands of rows a day at force scale.
 */
export function previousScores(db: Db): Map<string, number> {
  const rows = stmt(
    db,
    `SELECT id, previous FROM (
       SELECT n.id, (SELECT h.score FROM score_history h WHERE h.network_id = n.id ORDER BY h.id DESC LIMIT 1 OFFSET 1) AS previous FROM networks n
     ) WHERE previous IS NOT NULL`,
  )
    .raw()
    .all() as [string, number][];
  return new Map(rows);
}

/** Whether some network has no stored score, or one not as of `day` (the daily rescore is due). */
export function hasScoreNotAsOf(db: Db, day: string): boolean {
  return Boolean(
    db
      .prepare('SELECT EXISTS (SELECT 1 FROM networks n LEFT JOIN network_scores x ON x.network_id = n.id WHERE x.as_of IS NULL OR x.as_of <> ?)')
      .pluck()
      .get(day),
  );
}
