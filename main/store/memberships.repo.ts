import type { Db } from '../vault/database';
import { insertColumns, insertRow } from './columns';

export interface MembershipRecord {
  id: string;
  personId: string;
  networkId: string;
  role: 'principal' | 'lieutenant' | 'associate' | 'facilitator' | 'victim_at_risk';
  basis: 'graded_sources' | 'self_admission' | 'safeguarding';
  status: 'proposed' | 'confirmed' | 'ended';
  startDate: string;
  reviewOn: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  endedAt: string | null;
  createdAt: string;
  createdBy: string | null;
}

interface Raw {
  id: string;
  person_id: string;
  network_id: string;
  role: MembershipRecord['role'];
  basis: MembershipRecord['basis'];
  status: MembershipRecord['status'];
  start_date: string;
  review_on: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  ended_at: string | null;
  created_at: string;
  created_by: string | null;
}

const map = (r: Raw): MembershipRecord => ({
  id: r.id,
  personId: r.person_id,
  networkId: r.network_id,
  role: r.role,
  basis: r.basis,
  status: r.status,
  startDate: r.start_date,
  reviewOn: r.review_on,
  confirmedBy: r.confirmed_by,
  confirmedAt: r.confirmed_at,
  endedAt: r.ended_at,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** The memberships table as every insert writes it: here, and in bulk by the import (import.repo.ts). */
export const MEMBERSHIP_COLUMNS = insertColumns('memberships', [
  'id',
  'person_id',
  'network_id',
  'role',
  'basis',
  'status',
  'start_date',
  'review_on',
  'confirmed_by',
  'confirmed_at',
  'ended_at',
  'created_at',
  'created_by',
]);

/** The intelligence a member link cites. */
export const MEMBERSHIP_INTELLIGENCE_COLUMNS = insertColumns('membership_intelligence', ['membership_id', 'intel_id'], true);

export function membershipValues(m: MembershipRecord): unknown[] {
  return [m.id, m.personId, m.networkId, m.role, m.basis, m.status, m.startDate, m.reviewOn, m.confirmedBy, m.confirmedAt, m.endedAt, m.createdAt, m.createdBy];
}

export function insertMembership(db: Db, m: MembershipRecord, intelIds: string[]): void {
  insertRow(db, MEMBERSHIP_COLUMNS, membershipValues(m));
  for (const i of intelIds) insertRow(db, MEMBERSHIP_INTELLIGENCE_COLUMNS, [m.id, i]);
}

export function getMembership(db: Db, id: string): MembershipRecord | null {
  const r = db.prepare('SELECT * FROM memberships WHERE id = ?').get(id) as Raw | undefined;
  return r ? map(r) : null;
}

export function liveMembership(db: Db, personId: string, networkId: string): MembershipRecord | null {
  const r = db.prepare("SELECT * FROM memberships WHERE person_id = ? AND network_id = ? AND status <> 'ended'").get(personId, networkId) as Raw | undefined;
  return r ? map(r) : null;
}

export function setMembershipStatus(db: Db, id: string, status: MembershipRecord['status'], by: string, at: string): void {
  if (status === 'confirmed') db.prepare('UPDATE memberships SET status = ?, confirmed_by = ?, confirmed_at = ? WHERE id = ?').run(status, by, at, id);
  else db.prepare('UPDATE memberships SET status = ?, ended_at = ? WHERE id = ?').run(status, at, id);
}

export function setMembershipReviewOn(db: Db, id: string, reviewOn: string): void {
  db.prepare('UPDATE memberships SET review_on = ? WHERE id = ?').run(reviewOn, id);
}

/** [network id, date of birth] of every current link whose person's date of birth is known. */
export function liveMemberBirthDates(db: Db): IterableIterator<[networkId: string, dateOfBirth: string]> {
  return db
    .prepare(`SELECT m.network_id, p.date_of_birth FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.status <> 'ended' AND p.date_of_birth IS NOT NULL`)
    .raw()
    .iterate() as IterableIterator<[string, string]>;
}

/** How many current links each person has. */
export function liveLinkCountsByPerson(db: Db): Map<string, number> {
  return new Map(db.prepare("SELECT person_id, count(*) FROM memberships WHERE status <> 'ended' GROUP BY person_id").raw().all() as [string, number][]);
}

export interface MemberRow extends MembershipRecord {
  personReference: string;
  personName: string;
  dateOfBirth: string | null;
}

export function listMembersOfNetwork(db: Db, networkId: string): MemberRow[] {
  const rows = db
    .prepare(
      `SELECT m.*, p.reference AS person_reference, p.name AS person_name, p.date_of_birth FROM memberships m JOIN people p ON p.id = m.person_id
       WHERE m.network_id = ? ORDER BY m.status = 'ended', m.role, p.name`,
    )
    .all(networkId) as (Raw & { person_reference: string; person_name: string; date_of_birth: string | null })[];
  return rows.map((r) => ({ ...map(r), personReference: r.person_reference, personName: r.person_name, dateOfBirth: r.date_of_birth }));
}

export function listMembershipsOfPerson(db: Db, personId: string): MembershipRecord[] {
  return (db.prepare('SELECT * FROM memberships WHERE person_id = ? ORDER BY start_date').all(personId) as Raw[]).map(map);
}
