/**
 * Erasure's SQL (main/services/erasure.service.ts): finding a record to erase, the rows that go
 * with it (the cascade below), deleting them in an order the foreign keys accept, and the
 * `erasures` register. The digest and `network_offences` triggers (schema 0040) fire on these
 * deletes like any other, so the scoring digests of the networks touched are rebuilt by the
 * rescore that follows in the same transaction.
 *
 * The cascade, by the kind of record erased (every table of the schema was looked at):
 * - person: the person; their member links (and each link's cited intelligence rows); the gang
 *   flags on them (and theirs); the intelligence items cited only by those links and flags and by
 *   nothing else (an item also held against a network, cited by an offence link, a rating or a
 *   claim is evidence about that record and stays).
 * - link (member link): the link and its cited intelligence rows.
 * - flag: the flag and its cited intelligence rows (a flag on an offence too).
 * - offence: the offence, its offence links (and their cited intelligence rows), the flags on it.
 * - intelligence: the item and every row citing it (held against a network, cited by a member
 *   link, an offence link, a rating's support, a flag or a claim).
 * - network: the network and its boroughs, ratings and their support, intelligence held against
 *   it (the rows, not the items), member links, offence links, flags naming it, band overrides,
 *   stored score, score history and scoring digests; the disruption claims whose primary network
 *   it is (with their steps, networks and cited intelligence rows); its place among a surviving
 *   claim's other networks. Offences and intelligence items stay: they are records of their own.
 * - claim: a draft disruption claim and its steps, networks and cited intelligence rows.
 * Outside the rows: an erased network's row in each meeting snapshot becomes an "erased"
 * placeholder (reference, unit and lead officer cleared; score, band and status kept, so a past
 * pack's totals still add up); an erased person is in no snapshot (snapshots hold networks only);
 * export register rows that name an erased reference lose it. The audit log stays as it is: its
 * entries hold ids and references only.
 */
import type { EraseKind } from '../../preload/contract/vocabulary';
import type { Db } from '../vault/database';
import type { StoredScore } from './scores.repo';

/** Every row that an erasure deletes, by the table that owns it (the rows hanging off them go with them). */
export interface EraseRows {
  people: string[];
  memberships: string[];
  flags: string[];
  intelligence: string[];
  offences: string[];
  offenceLinks: string[];
  networks: string[];
  overrides: string[];
  disruptions: string[];
}

export const ERASE_ROW_KEYS = ['people', 'memberships', 'flags', 'intelligence', 'offences', 'offenceLinks', 'networks', 'overrides', 'disruptions'] as const satisfies readonly (keyof EraseRows)[];

export function emptyRows(): EraseRows {
  return { people: [], memberships: [], flags: [], intelligence: [], offences: [], offenceLinks: [], networks: [], overrides: [], disruptions: [] };
}

const json = (ids: readonly string[]): string => JSON.stringify(ids);
const IN = (column: string) => `${column} IN (SELECT value FROM json_each(?))`;
const col = (db: Db, sql: string, ...params: unknown[]): string[] => db.prepare(sql).pluck().all(...params) as string[];

/** A record to erase, found by its id or its reference: its id, its reference and, for a claim, its status. */
export interface EraseTarget {
  id: string;
  reference: string;
  status: string | null;
  /** The person's name and date of birth, or the network's name: only to refuse a reason that repeats them. Never stored. */
  words: string[];
}

export function findTarget(db: Db, kind: EraseKind, ref: string): EraseTarget | null {
  type Row = { id: string; reference: string; status: string | null; w1: string | null; w2: string | null };
  const by = (sql: string): Row | undefined => db.prepare(sql).get({ ref }) as Row | undefined;
  let r: Row | undefined;
  switch (kind) {
    case 'person':
      r = by('SELECT id, reference, NULL AS status, name AS w1, date_of_birth AS w2 FROM people WHERE id = @ref OR reference = @ref ORDER BY id = @ref DESC LIMIT 1');
      break;
    case 'link':
      r = by('SELECT id, id AS reference, status, NULL AS w1, NULL AS w2 FROM memberships WHERE id = @ref LIMIT 1');
      break;
    case 'flag':
      r = by('SELECT id, id AS reference, status, NULL AS w1, NULL AS w2 FROM gang_flags WHERE id = @ref LIMIT 1');
      break;
    case 'offence':
      r = by('SELECT id, crime_reference AS reference, NULL AS status, NULL AS w1, NULL AS w2 FROM offences WHERE id = @ref OR crime_reference = @ref ORDER BY id = @ref DESC LIMIT 1');
      break;
    case 'intelligence':
      r = by('SELECT id, reference, NULL AS status, NULL AS w1, NULL AS w2 FROM intelligence WHERE id = @ref OR reference = @ref ORDER BY id = @ref DESC LIMIT 1');
      break;
    case 'network':
      r = by('SELECT id, reference, status, name AS w1, NULL AS w2 FROM networks WHERE id = @ref OR reference = @ref ORDER BY id = @ref DESC LIMIT 1');
      break;
    case 'claim':
      r = by('SELECT id, reference, status, NULL AS w1, NULL AS w2 FROM disruptions WHERE id = @ref OR reference = @ref ORDER BY id = @ref DESC LIMIT 1');
      break;
  }
  if (!r) return null;
  return { id: r.id, reference: r.reference, status: r.status, words: [r.w1, r.w2].filter((w): w is string => typeof w === 'string' && w.length > 0) };
}

/** Items cited by these member links and flags and by nothing else in the vault. */
function intelligenceOnlyCitedBy(db: Db, memberships: readonly string[], flags: readonly string[]): string[] {
  const m = json(memberships);
  const f = json(flags);
  return col(
    db,
    `SELECT DISTINCT c.intel_id FROM (
        SELECT intel_id FROM membership_intelligence WHERE ${IN('membership_id')}
        UNION SELECT intel_id FROM gang_flag_intelligence WHERE ${IN('flag_id')}) c
      WHERE NOT EXISTS (SELECT 1 FROM membership_intelligence x WHERE x.intel_id = c.intel_id AND x.membership_id NOT IN (SELECT value FROM json_each(?)))
        AND NOT EXISTS (SELECT 1 FROM gang_flag_intelligence x WHERE x.intel_id = c.intel_id AND x.flag_id NOT IN (SELECT value FROM json_each(?)))
        AND NOT EXISTS (SELECT 1 FROM network_intelligence x WHERE x.intel_id = c.intel_id)
        AND NOT EXISTS (SELECT 1 FROM offence_link_intelligence x WHERE x.intel_id = c.intel_id)
        AND NOT EXISTS (SELECT 1 FROM rating_support x WHERE x.intel_id = c.intel_id)
        AND NOT EXISTS (SELECT 1 FROM disruption_intelligence x WHERE x.intel_id = c.intel_id)
      ORDER BY 1`,
    m,
    f,
    m,
    f,
  );
}

/** The rows that go with one record (the cascade in this file's header). Reads only. */
export function cascadeOf(db: Db, kind: EraseKind, id: string): EraseRows {
  const r = emptyRows();
  switch (kind) {
    case 'person':
      r.people = [id];
      r.memberships = col(db, 'SELECT id FROM memberships WHERE person_id = ? ORDER BY id', id);
      r.flags = col(db, "SELECT id FROM gang_flags WHERE subject_type = 'person' AND subject_id = ? ORDER BY id", id);
      r.intelligence = intelligenceOnlyCitedBy(db, r.memberships, r.flags);
      break;
    case 'link':
      r.memberships = [id];
      break;
    case 'flag':
      r.flags = [id];
      break;
    case 'offence':
      r.offences = [id];
      r.offenceLinks = col(db, 'SELECT id FROM offence_links WHERE offence_id = ? ORDER BY id', id);
      r.flags = col(db, "SELECT id FROM gang_flags WHERE subject_type = 'offence' AND subject_id = ? ORDER BY id", id);
      break;
    case 'intelligence':
      r.intelligence = [id];
      break;
    case 'network':
      r.networks = [id];
      r.memberships = col(db, 'SELECT id FROM memberships WHERE network_id = ? ORDER BY id', id);
      r.offenceLinks = col(db, 'SELECT id FROM offence_links WHERE network_id = ? ORDER BY id', id);
      r.flags = col(db, 'SELECT id FROM gang_flags WHERE network_id = ? ORDER BY id', id);
      r.overrides = col(db, 'SELECT id FROM band_overrides WHERE network_id = ? ORDER BY id', id);
      r.disruptions = col(db, 'SELECT id FROM disruptions WHERE primary_network_id = ? ORDER BY id', id);
      break;
    case 'claim':
      r.disruptions = [id];
      break;
  }
  return r;
}

/** Of these rows, the ones still in the vault (a restored copy may lack rows made after its backup). */
export function existingRows(db: Db, rows: EraseRows): EraseRows {
  const keep = (table: string, ids: string[]) => (ids.length === 0 ? [] : col(db, `SELECT id FROM ${table} WHERE ${IN('id')} ORDER BY id`, json(ids)));
  return {
    people: keep('people', rows.people),
    memberships: keep('memberships', rows.memberships),
    flags: keep('gang_flags', rows.flags),
    intelligence: keep('intelligence', rows.intelligence),
    offences: keep('offences', rows.offences),
    offenceLinks: keep('offence_links', rows.offenceLinks),
    networks: keep('networks', rows.networks),
    overrides: keep('band_overrides', rows.overrides),
    disruptions: keep('disruptions', rows.disruptions),
  };
}

/** The networks, other than those erased, whose records lose a row: they are rescored. */
export function networksTouched(db: Db, rows: EraseRows): string[] {
  const out = col(
    db,
    `SELECT network_id FROM memberships WHERE ${IN('id')} OR ${IN('person_id')}
     UNION SELECT network_id FROM offence_links WHERE ${IN('id')} OR ${IN('offence_id')}
     UNION SELECT network_id FROM gang_flags WHERE network_id IS NOT NULL AND (${IN('id')})
     UNION SELECT network_id FROM network_intelligence WHERE ${IN('intel_id')}
     UNION SELECT l.network_id FROM offence_link_intelligence li JOIN offence_links l ON l.id = li.link_id WHERE ${IN('li.intel_id')}
     UNION SELECT network_id FROM rating_support WHERE ${IN('intel_id')}
     UNION SELECT network_id FROM band_overrides WHERE ${IN('id')}`,
    json(rows.memberships),
    json(rows.people),
    json(rows.offenceLinks),
    json(rows.offences),
    json(rows.flags),
    json(rows.intelligence),
    json(rows.intelligence),
    json(rows.intelligence),
    json(rows.overrides),
  );
  const erased = new Set(rows.networks);
  return out.filter((id) => !erased.has(id)).sort();
}

/** Rows citing these items, anywhere (they go with the items). */
export function citationsOf(db: Db, intel: readonly string[]): number {
  const j = json(intel);
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM network_intelligence WHERE ${IN('intel_id')}) + (SELECT count(*) FROM membership_intelligence WHERE ${IN('intel_id')})
        + (SELECT count(*) FROM offence_link_intelligence WHERE ${IN('intel_id')}) + (SELECT count(*) FROM rating_support WHERE ${IN('intel_id')})
        + (SELECT count(*) FROM gang_flag_intelligence WHERE ${IN('intel_id')}) + (SELECT count(*) FROM disruption_intelligence WHERE ${IN('intel_id')})`,
    )
    .pluck()
    .get(j, j, j, j, j, j) as number;
}

/** The references of the records that go (people, networks, offences, items, claims): the export register loses them. */
export function referencesOf(db: Db, rows: EraseRows): string[] {
  return col(
    db,
    `SELECT reference FROM people WHERE ${IN('id')}
     UNION SELECT reference FROM networks WHERE ${IN('id')}
     UNION SELECT crime_reference FROM offences WHERE ${IN('id')}
     UNION SELECT reference FROM intelligence WHERE ${IN('id')}
     UNION SELECT reference FROM disruptions WHERE ${IN('id')}
     ORDER BY 1`,
    json(rows.people),
    json(rows.networks),
    json(rows.offences),
    json(rows.intelligence),
    json(rows.disruptions),
  );
}

/** Meeting snapshot rows of these networks (each becomes a placeholder). */
export function snapshotRowsOf(db: Db, networks: readonly string[]): number {
  return db.prepare(`SELECT count(*) FROM meeting_snapshots WHERE ${IN('network_id')} AND reference <> ?`).pluck().get(json(networks), ERASED_PLACEHOLDER) as number;
}

export const ERASED_PLACEHOLDER = 'Erased';

const REGISTER_TEXT = ['purpose', 'recipient', 'file_name', 'period'] as const;

function registerMatch(references: readonly string[]): { where: string; params: string[] } {
  const refs = references.filter((r) => r.length > 0);
  if (refs.length === 0) return { where: '0', params: [] };
  const parts: string[] = [];
  const params: string[] = [];
  for (const ref of refs) for (const c of REGISTER_TEXT) {
    parts.push(`instr(${c}, ?) > 0`);
    params.push(ref);
  }
  return { where: parts.join(' OR '), params };
}

/** Export register rows that name one of these references. */
export function registerRowsNaming(db: Db, references: readonly string[]): number {
  const m = registerMatch(references);
  return db.prepare(`SELECT count(*) FROM export_register WHERE ${m.where}`).pluck().get(...m.params) as number;
}

export interface ErasedCounts {
  people: number;
  memberships: number;
  flags: number;
  intelligence: number;
  citations: number;
  offences: number;
  offenceLinks: number;
  networks: number;
  overrides: number;
  disruptions: number;
  snapshotPlaceholders: number;
  registerRows: number;
}

/**
 * Delete the rows, children before parents, and rewrite what names them outside the rows
 * (meeting snapshots, the export register). Must run inside the write transaction.
 */
export function eraseRows(db: Db, rows: EraseRows, references: readonly string[]): ErasedCounts {
  if (!db.inTransaction) throw new Error('eraseRows must run inside the write transaction');
  const run = (sql: string, ...params: unknown[]): number => db.prepare(sql).run(...params).changes;
  const intel = json(rows.intelligence);
  const networks = json(rows.networks);
  // Counted before anything goes: some citing rows go with their link or flag before the items' own turn.
  const counts: ErasedCounts = { people: 0, memberships: 0, flags: 0, intelligence: 0, citations: citationsOf(db, rows.intelligence), offences: 0, offenceLinks: 0, networks: 0, overrides: 0, disruptions: 0, snapshotPlaceholders: 0, registerRows: 0 };
  // Claims first (their steps, networks and cited items go by ON DELETE CASCADE), then a surviving claim's rows naming what goes.
  counts.disruptions = run(`DELETE FROM disruptions WHERE ${IN('id')}`, json(rows.disruptions));
  run(`DELETE FROM disruption_networks WHERE ${IN('network_id')}`, networks);
  run(`DELETE FROM disruption_intelligence WHERE ${IN('intel_id')}`, intel);
  // The reviews of what goes (their reasons are free text); an erased item's re-check rows go with it by ON DELETE CASCADE.
  run(`DELETE FROM reviews WHERE subject_kind = 'gang_flag' AND ${IN('subject_id')}`, json(rows.flags));
  run(`DELETE FROM reviews WHERE subject_kind = 'membership' AND ${IN('subject_id')}`, json(rows.memberships));
  run(`DELETE FROM reviews WHERE subject_kind = 'network' AND ${IN('subject_id')}`, networks);
  counts.flags = run(`DELETE FROM gang_flags WHERE ${IN('id')}`, json(rows.flags));
  run(`DELETE FROM gang_flag_intelligence WHERE ${IN('intel_id')}`, intel);
  counts.memberships = run(`DELETE FROM memberships WHERE ${IN('id')}`, json(rows.memberships));
  run(`DELETE FROM membership_intelligence WHERE ${IN('intel_id')}`, intel);
  counts.offenceLinks = run(`DELETE FROM offence_links WHERE ${IN('id')}`, json(rows.offenceLinks));
  run(`DELETE FROM offence_link_intelligence WHERE ${IN('intel_id')}`, intel);
  counts.overrides = run(`DELETE FROM band_overrides WHERE ${IN('id')}`, json(rows.overrides));
  run(`DELETE FROM rating_support WHERE ${IN('intel_id')}`, intel);
  run(`DELETE FROM network_intelligence WHERE ${IN('intel_id')}`, intel);
  counts.offences = run(`DELETE FROM offences WHERE ${IN('id')}`, json(rows.offences));
  counts.snapshotPlaceholders = run(
    `UPDATE meeting_snapshots SET reference = ?, unit = '', lead_officer = '' WHERE ${IN('network_id')} AND reference <> ?`,
    ERASED_PLACEHOLDER,
    networks,
    ERASED_PLACEHOLDER,
  );
  // Boroughs, ratings and their support, items held against it, stored score, history and digests go by ON DELETE CASCADE.
  counts.networks = run(`DELETE FROM networks WHERE ${IN('id')}`, networks);
  counts.intelligence = run(`DELETE FROM intelligence WHERE ${IN('id')}`, intel);
  counts.people = run(`DELETE FROM people WHERE ${IN('id')}`, json(rows.people));
  const m = registerMatch(references);
  if (m.params.length > 0) {
    const sets = REGISTER_TEXT.map((c) => `${c} = ${references.filter((r) => r.length > 0).reduce((expr) => `replace(${expr}, ?, '[erased]')`, c)}`).join(', ');
    const setParams = REGISTER_TEXT.flatMap(() => references.filter((r) => r.length > 0));
    counts.registerRows = run(`UPDATE export_register SET ${sets} WHERE ${m.where}`, ...setParams, ...m.params);
  }
  return counts;
}

/* ---- Score history: recomputed from the rows that remain -------------------------------------- */

export interface HistoryPoint {
  id: number;
  networkId: string;
  asOf: string;
  weightTableId: string;
}

export function historyOf(db: Db, networks: readonly string[]): HistoryPoint[] {
  return (db.prepare(`SELECT id, network_id, as_of, weight_table_id FROM score_history WHERE ${IN('network_id')} ORDER BY id`).raw().all(json(networks)) as [number, string, string, string][]).map(
    ([id, networkId, asOf, weightTableId]) => ({ id, networkId, asOf, weightTableId }),
  );
}

/** A history row's computed values: a stored score's, without its network, day and weight table id. */
export type HistoryValues = Pick<StoredScore, 'model' | 'weightTableVersion' | 'score' | 'ehPts' | 'ahPts' | 'capPts' | 'band' | 'effectiveBand' | 'confidence'>;

export function rewriteHistory(db: Db, id: number, v: HistoryValues): void {
  db.prepare(
    'UPDATE score_history SET model = ?, weight_table_version = ?, score = ?, eh_pts = ?, ah_pts = ?, cap_pts = ?, band = ?, effective_band = ?, confidence = ? WHERE id = ?',
  ).run(v.model, v.weightTableVersion, v.score, v.ehPts, v.ahPts, v.capPts, v.band, v.effectiveBand, v.confidence, id);
}

/* ---- The erasures register ---------------------------------------------------------------------- */

export interface ErasureEntry {
  id: string;
  kind: EraseKind;
  recordId: string;
  reference: string;
  erasedAt: string;
  reason: string;
  erasedBy: string | null;
  counts: Record<string, number>;
  rows: EraseRows;
  reappliedAt: string | null;
}

interface RawErasure {
  id: string;
  kind: EraseKind;
  record_id: string;
  reference: string;
  erased_at: string;
  reason: string;
  erased_by: string | null;
  counts: string;
  row_ids: string;
  reapplied_at: string | null;
}

export function insertErasure(db: Db, e: ErasureEntry): void {
  db.prepare(
    'INSERT INTO erasures (id, kind, record_id, reference, erased_at, reason, erased_by, counts, row_ids, reapplied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(e.id, e.kind, e.recordId, e.reference, e.erasedAt, e.reason, e.erasedBy, JSON.stringify(e.counts), JSON.stringify(e.rows), e.reappliedAt);
}

export function erasureIds(db: Db): Set<string> {
  return new Set(col(db, 'SELECT id FROM erasures'));
}

/** The register, newest first, with the name of the user who erased (a member of staff, never the subject). */
export function listErasures(db: Db): (ErasureEntry & { erasedByName: string | null })[] {
  const rows = db.prepare('SELECT e.*, u.name AS by_name FROM erasures e LEFT JOIN users u ON u.id = e.erased_by ORDER BY e.erased_at DESC, e.id').all() as (RawErasure & { by_name: string | null })[];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    recordId: r.record_id,
    reference: r.reference,
    erasedAt: r.erased_at,
    reason: r.reason,
    erasedBy: r.erased_by,
    erasedByName: r.by_name,
    counts: JSON.parse(r.counts) as Record<string, number>,
    rows: JSON.parse(r.row_ids) as EraseRows,
    reappliedAt: r.reapplied_at,
  }));
}
