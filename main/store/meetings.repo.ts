import type { MeetingRow } from '../../preload/contract';
import type { Db } from '../vault/database';
import { cachedStatement } from './statements';

/** One network as a meeting froze it (docs/specification.md, "Meeting"). */
export interface SnapshotRow {
  networkId: string;
  reference: string;
  status: string;
  score: number;
  ehPts: number;
  ahPts: number;
  capPts: number;
  band: string;
  confidence: string;
  businessGroup: string;
  unit: string;
  leadOfficer: string;
  planStatus: string;
}

/** A meeting as it is recorded: by the id of the user who held it. */
export interface MeetingEntry {
  id: string;
  heldOn: string;
  heldAt: string;
  heldById: string;
  model: string;
  weightTableId: string;
  weightTableVersion: string;
}

interface RawMeeting {
  id: string;
  held_on: string;
  held_at: string;
  by_name: string | null;
  n: number;
  model: string;
  weight_table_id: string;
  weight_table_version: string;
}

interface RawSnapshot {
  network_id: string;
  reference: string;
  status: string;
  score: number;
  eh_pts: number;
  ah_pts: number;
  cap_pts: number;
  band: string;
  confidence: string;
  business_group: string;
  unit: string;
  lead_officer: string;
  plan_status: string;
}

/** Meetings held, newest first, with who held them and how many networks each froze. */
export function listMeetings(db: Db): MeetingRow[] {
  const rows = db
    .prepare(
      `SELECT m.*, (SELECT count(*) FROM meeting_snapshots s WHERE s.meeting_id = m.id) AS n, u.name AS by_name
       FROM meetings m LEFT JOIN users u ON u.id = m.held_by ORDER BY m.held_on DESC`,
    )
    .all() as RawMeeting[];
  return rows.map((r) => ({
    id: r.id,
    heldOn: r.held_on,
    heldAt: r.held_at,
    heldBy: r.by_name ?? '',
    networkCount: r.n,
    model: r.model,
    weightTableId: r.weight_table_id,
    weightTableVersion: r.weight_table_version,
  }));
}

export function isMeetingHeldOn(db: Db, day: string): boolean {
  return db.prepare('SELECT 1 FROM meetings WHERE held_on = ?').get(day) !== undefined;
}

export function insertMeeting(db: Db, m: MeetingEntry): void {
  db.prepare('INSERT INTO meetings (id, held_on, held_at, held_by, model, weight_table_id, weight_table_version) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    m.id,
    m.heldOn,
    m.heldAt,
    m.heldById,
    m.model,
    m.weightTableId,
    m.weightTableVersion,
  );
}

/** One row per network: prepared once per connection, as a force-scale meeting freezes thousands. */
export function insertSnapshot(db: Db, meetingId: string, rows: Iterable<SnapshotRow>): void {
  const ins = cachedStatement(
    db,
    `INSERT INTO meeting_snapshots (meeting_id, network_id, reference, status, score, eh_pts, ah_pts, cap_pts, band, confidence, business_group, unit, lead_officer, plan_status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows) {
    ins.run(meetingId, r.networkId, r.reference, r.status, r.score, r.ehPts, r.ahPts, r.capPts, r.band, r.confidence, r.businessGroup, r.unit, r.leadOfficer, r.planStatus);
  }
}

/** What a meeting froze, by network reference. */
export function snapshotOf(db: Db, meetingId: string): SnapshotRow[] {
  const rows = db.prepare('SELECT * FROM meeting_snapshots WHERE meeting_id = ? ORDER BY reference').all(meetingId) as RawSnapshot[];
  return rows.map((r) => ({
    networkId: r.network_id,
    reference: r.reference,
    status: r.status,
    score: r.score,
    ehPts: r.eh_pts,
    ahPts: r.ah_pts,
    capPts: r.cap_pts,
    band: r.band,
    confidence: r.confidence,
    businessGroup: r.business_group,
    unit: r.unit,
    leadOfficer: r.lead_officer,
    planStatus: r.plan_status,
  }));
}

/** A network's plan status, agreed at a meeting and shown in the next pack. */
export function setNetworkPlanStatus(db: Db, networkId: string, planStatus: string): void {
  db.prepare('UPDATE networks SET plan_status = ? WHERE id = ?').run(planStatus, networkId);
}
