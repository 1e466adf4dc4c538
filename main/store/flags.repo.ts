import type { Db } from '../vault/database';
import { insertColumns, insertRow } from './columns';
import { cachedStatement } from './statements';

export interface FlagRecord {
  id: string;
  subjectType: 'person' | 'offence';
  subjectId: string;
  networkId: string | null;
  status: 'proposed' | 'confirmed' | 'expired' | 'removed';
  criteria: 'two_sources' | 'self_admission';
  proposedBy: string | null;
  proposedAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  reviewOn: string;
  endedAt: string | null;
  endReason: string | null;
}

interface Raw {
  id: string;
  subject_type: FlagRecord['subjectType'];
  subject_id: string;
  network_id: string | null;
  status: FlagRecord['status'];
  criteria: FlagRecord['criteria'];
  proposed_by: string | null;
  proposed_at: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  review_on: string;
  ended_at: string | null;
  end_reason: string | null;
}

const map = (r: Raw): FlagRecord => ({
  id: r.id,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  networkId: r.network_id,
  status: r.status,
  criteria: r.criteria,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at,
  confirmedBy: r.confirmed_by,
  confirmedAt: r.confirmed_at,
  reviewOn: r.review_on,
  endedAt: r.ended_at,
  endReason: r.end_reason,
});

/** The gang_flags table as every insert writes it: here, and in bulk by the import (import.repo.ts). */
export const FLAG_COLUMNS = insertColumns('gang_flags', [
  'id',
  'subject_type',
  'subject_id',
  'network_id',
  'status',
  'criteria',
  'proposed_by',
  'proposed_at',
  'confirmed_by',
  'confirmed_at',
  'review_on',
  'ended_at',
  'end_reason',
]);

/** The intelligence a flag cites. */
export const FLAG_INTELLIGENCE_COLUMNS = insertColumns('gang_flag_intelligence', ['flag_id', 'intel_id'], true);

export function flagValues(f: FlagRecord): unknown[] {
  return [f.id, f.subjectType, f.subjectId, f.networkId, f.status, f.criteria, f.proposedBy, f.proposedAt, f.confirmedBy, f.confirmedAt, f.reviewOn, f.endedAt, f.endReason];
}

export function insertFlag(db: Db, f: FlagRecord, intelIds: string[]): void {
  insertRow(db, FLAG_COLUMNS, flagValues(f));
  for (const i of intelIds) insertRow(db, FLAG_INTELLIGENCE_COLUMNS, [f.id, i]);
}

/** Whether the person or offence has a flag proposed or confirmed (one current flag per subject). */
export function hasCurrentFlag(db: Db, subjectType: FlagRecord['subjectType'], subjectId: string): boolean {
  return db.prepare("SELECT 1 FROM gang_flags WHERE subject_type = ? AND subject_id = ? AND status IN ('proposed','confirmed')").get(subjectType, subjectId) !== undefined;
}

/** The intelligence items a flag cites. */
export function flagIntelIds(db: Db, flagId: string): string[] {
  return db.prepare('SELECT intel_id FROM gang_flag_intelligence WHERE flag_id = ?').pluck().all(flagId) as string[];
}

/** The status of each person's current (proposed or confirmed) flag. */
export function currentPersonFlagStatuses(db: Db): Map<string, string> {
  return new Map(db.prepare("SELECT subject_id, status FROM gang_flags WHERE subject_type = 'person' AND status IN ('proposed','confirmed')").raw().all() as [string, string][]);
}

/** Which of these people hold a confirmed gang flag (in any network's context): the flagged nominals. */
export function confirmedFlaggedPeople(db: Db, personIds: readonly string[]): Set<string> {
  if (personIds.length === 0) return new Set();
  const rows = db
    .prepare("SELECT DISTINCT subject_id FROM gang_flags WHERE subject_type = 'person' AND status = 'confirmed' AND subject_id IN (SELECT value FROM json_each(?))")
    .pluck()
    .all(JSON.stringify(personIds)) as string[];
  return new Set(rows);
}

/** How a flag's subject reads in a list: a person's reference and name, an offence's crime reference. */
export function flagSubjectLabel(db: Db, subjectType: FlagRecord['subjectType'], subjectId: string): string {
  const label = cachedStatement(
    db,
    `SELECT CASE ? WHEN 'person' THEN (SELECT reference || ' ' || name FROM people WHERE id = ?) ELSE (SELECT crime_reference FROM offences WHERE id = ?) END`,
  )
    .pluck()
    .get(subjectType, subjectId, subjectId);
  return String(label ?? '');
}

export function getFlag(db: Db, id: string): FlagRecord | null {
  const r = db.prepare('SELECT * FROM gang_flags WHERE id = ?').get(id) as Raw | undefined;
  return r ? map(r) : null;
}

export function updateFlag(db: Db, f: FlagRecord): void {
  db.prepare(
    'UPDATE gang_flags SET status=@status, confirmed_by=@confirmedBy, confirmed_at=@confirmedAt, review_on=@reviewOn, ended_at=@endedAt, end_reason=@endReason WHERE id=@id',
  ).run(f);
}

export function listFlags(db: Db, filter: { status?: FlagRecord['status']; subjectId?: string; networkId?: string } = {}): FlagRecord[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.subjectId) {
    where.push('subject_id = ?');
    params.push(filter.subjectId);
  }
  if (filter.networkId) {
    where.push('network_id = ?');
    params.push(filter.networkId);
  }
  const sql = `SELECT * FROM gang_flags ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY proposed_at DESC`;
  return (db.prepare(sql).all(...params) as Raw[]).map(map);
}
