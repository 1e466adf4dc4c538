/**
 * Reviews of member links, gang flags and networks (migration 0100), and what the Reviews screen
 * lists as due. Reads and writes only: the rules are in domain/review-rules.ts, the use case in
 * services/reviews.service.ts.
 */
import type { Db } from '../vault/database';
import { insertColumns, insertRow } from './columns';

export type ReviewKind = 'membership' | 'gang_flag' | 'network';

export interface ReviewRecord {
  id: string;
  subjectKind: ReviewKind;
  subjectId: string;
  reviewedOn: string;
  reviewedAt: string;
  reviewerId: string;
  outcome: 'retain' | 'end';
  reason: string;
  retainedWithoutEvidence: boolean;
  nextReviewOn: string | null;
  policyVersion: string;
  intelIds: string[];
}

interface Raw {
  id: string;
  subject_kind: ReviewKind;
  subject_id: string;
  reviewed_on: string;
  reviewed_at: string;
  reviewer_id: string;
  outcome: 'retain' | 'end';
  reason: string;
  retained_without_evidence: number;
  next_review_on: string | null;
  policy_version: string;
}

export const REVIEW_COLUMNS = insertColumns('reviews', [
  'id',
  'subject_kind',
  'subject_id',
  'reviewed_on',
  'reviewed_at',
  'reviewer_id',
  'outcome',
  'reason',
  'retained_without_evidence',
  'next_review_on',
  'policy_version',
]);

export const REVIEW_INTELLIGENCE_COLUMNS = insertColumns('review_intelligence', ['review_id', 'intel_id'], true);

export function insertReview(db: Db, r: ReviewRecord): void {
  insertRow(db, REVIEW_COLUMNS, [
    r.id,
    r.subjectKind,
    r.subjectId,
    r.reviewedOn,
    r.reviewedAt,
    r.reviewerId,
    r.outcome,
    r.reason,
    r.retainedWithoutEvidence ? 1 : 0,
    r.nextReviewOn,
    r.policyVersion,
  ]);
  for (const i of new Set(r.intelIds)) insertRow(db, REVIEW_INTELLIGENCE_COLUMNS, [r.id, i]);
}

/** The reviews of one record, oldest first, each with the items it re-checked. */
export function listReviewsOf(db: Db, kind: ReviewKind, subjectId: string): ReviewRecord[] {
  const rows = db.prepare('SELECT * FROM reviews WHERE subject_kind = ? AND subject_id = ? ORDER BY reviewed_at, rowid').all(kind, subjectId) as Raw[];
  const items = db.prepare('SELECT intel_id FROM review_intelligence WHERE review_id = ? ORDER BY intel_id').pluck();
  return rows.map((r) => ({
    id: r.id,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    reviewedOn: r.reviewed_on,
    reviewedAt: r.reviewed_at,
    reviewerId: r.reviewer_id,
    outcome: r.outcome,
    reason: r.reason,
    retainedWithoutEvidence: r.retained_without_evidence === 1,
    nextReviewOn: r.next_review_on,
    policyVersion: r.policy_version,
    intelIds: items.all(r.id) as string[],
  }));
}

/** The items a record cites (a link's or a flag's own citations; a network's items held against it). */
export function citedIntelIds(db: Db, kind: ReviewKind, subjectId: string): string[] {
  const sql =
    kind === 'membership'
      ? 'SELECT intel_id FROM membership_intelligence WHERE membership_id = ?'
      : kind === 'gang_flag'
        ? 'SELECT intel_id FROM gang_flag_intelligence WHERE flag_id = ?'
        : 'SELECT intel_id FROM network_intelligence WHERE network_id = ?';
  return db.prepare(sql).pluck().all(subjectId) as string[];
}

/** The items held against a network (where fresh intelligence about its members is recorded). */
export function networkIntelIds(db: Db, networkId: string): string[] {
  return db.prepare('SELECT intel_id FROM network_intelligence WHERE network_id = ?').pluck().all(networkId) as string[];
}

/** The items re-checked at the record's earlier reviews that retained it. */
export function retainedReviewIntelIds(db: Db, kind: ReviewKind, subjectId: string): string[] {
  return db
    .prepare(
      `SELECT DISTINCT ri.intel_id FROM review_intelligence ri JOIN reviews r ON r.id = ri.review_id
       WHERE r.subject_kind = ? AND r.subject_id = ? AND r.outcome = 'retain'`,
    )
    .pluck()
    .all(kind, subjectId) as string[];
}

/** One record whose review falls on or before a day, as the Reviews screen and `review due` list it. */
export interface DueRow {
  kind: ReviewKind;
  id: string;
  /** A person's reference, an offence's crime reference, a network's reference. */
  reference: string;
  /** The name the record's own screen shows: the person's, the network's; null for an offence. */
  label: string | null;
  networkId: string | null;
  networkReference: string | null;
  /** The network's unit ('' when none), for the unit filter. */
  unit: string;
  dueOn: string;
  dateOfBirth: string | null;
}

/** Confirmed links, confirmed flags and networks other than archived whose review falls on or before `until`. */
export function listDue(db: Db, until: string): DueRow[] {
  const links = db
    .prepare(
      `SELECT 'membership' AS kind, m.id, p.reference, p.name AS label, n.id AS network_id, n.reference AS network_reference, n.unit, m.review_on AS due_on, p.date_of_birth
       FROM memberships m JOIN people p ON p.id = m.person_id JOIN networks n ON n.id = m.network_id
       WHERE m.status = 'confirmed' AND m.review_on <= ?`,
    )
    .all(until);
  const flags = db
    .prepare(
      `SELECT 'gang_flag' AS kind, f.id,
              CASE f.subject_type WHEN 'person' THEN p.reference ELSE o.crime_reference END AS reference,
              CASE f.subject_type WHEN 'person' THEN p.name ELSE NULL END AS label,
              n.id AS network_id, n.reference AS network_reference, coalesce(n.unit, '') AS unit, f.review_on AS due_on,
              CASE f.subject_type WHEN 'person' THEN p.date_of_birth ELSE NULL END AS date_of_birth
       FROM gang_flags f
       LEFT JOIN people p ON f.subject_type = 'person' AND p.id = f.subject_id
       LEFT JOIN offences o ON f.subject_type = 'offence' AND o.id = f.subject_id
       LEFT JOIN networks n ON n.id = f.network_id
       WHERE f.status = 'confirmed' AND f.review_on <= ?`,
    )
    .all(until);
  const networks = db
    .prepare(
      `SELECT 'network' AS kind, n.id, n.reference, n.name AS label, n.id AS network_id, n.reference AS network_reference, n.unit, n.next_review_on AS due_on, NULL AS date_of_birth
       FROM networks n WHERE n.status <> 'archived' AND n.next_review_on <= ?`,
    )
    .all(until);
  return ([...links, ...flags, ...networks] as Record<string, unknown>[]).map((r) => ({
    kind: r.kind as ReviewKind,
    id: r.id as string,
    reference: String(r.reference ?? ''),
    label: (r.label as string | null) ?? null,
    networkId: (r.network_id as string | null) ?? null,
    networkReference: (r.network_reference as string | null) ?? null,
    unit: String(r.unit ?? ''),
    dueOn: r.due_on as string,
    dateOfBirth: (r.date_of_birth as string | null) ?? null,
  }));
}

/** Retained without the evidence the policy asks for, by supervisors: the data-quality count. */
export function countRetainedWithoutEvidence(db: Db): number {
  return db.prepare('SELECT count(*) FROM reviews WHERE retained_without_evidence = 1').pluck().get() as number;
}

/** [network id, when] of every network review recorded in the reviews table (the returns count them). */
export function networkReviewTimes(db: Db): [string, string][] {
  return db.prepare("SELECT subject_id, reviewed_at FROM reviews WHERE subject_kind = 'network' ORDER BY reviewed_at").raw().all() as [string, string][];
}
