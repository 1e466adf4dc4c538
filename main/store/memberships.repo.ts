import type { Db } from '../vault/database';

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

export function insertMembership(db: Db, m: MembershipRecord, intelIds: string[]): void {
  db.prepare(
    `INSERT INTO memberships (id, person_id, network_id, role, basis, status, start_date, review_on, confirmed_by, confirmed_at, ended_at, created_at, created_by)
     VALUES (@id, @personId, @networkId, @role, @basis, @status, @startDate, @reviewOn, @confirmedBy, @confirmedAt, @endedAt, @createdAt, @createdBy)`,
  ).run(m);
  const ins = db.prepare('INSERT OR IGNORE INTO membership_intelligence (membership_id, intel_id) VALUES (?, ?)');
  for (const i of intelIds) ins.run(m.id, i);
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
