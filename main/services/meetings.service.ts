/**
 * Prioritisation meetings (domain.md "Meeting"): holding one freezes every network's score, band,
 * owner and plan status as of the meeting day, so the next meeting pack can show movement.
 */
import { randomUUID } from 'node:crypto';
import { MODEL_ID } from '../domain/scoring';
import { compareIsoDates } from '../../preload/contract/dates';
import { listNetworks } from '../store/networks.repo';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { weightTable } from './reference.service';
import { computeScoreSummaries } from './scoring.service';
import type { Session } from './session';
import { ukToday } from '../../preload/contract/uk-time';

export interface MeetingRow {
  id: string;
  heldOn: string;
  heldAt: string;
  heldBy: string;
  networkCount: number;
  model: string;
  weightTableId: string;
  weightTableVersion: string;
}

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

export function listMeetings(db: Db): MeetingRow[] {
  return (
    db
      .prepare(
        `SELECT m.*, (SELECT count(*) FROM meeting_snapshots s WHERE s.meeting_id = m.id) AS n, u.name AS by_name
         FROM meetings m LEFT JOIN users u ON u.id = m.held_by ORDER BY m.held_on DESC`,
      )
      .all() as { id: string; held_on: string; held_at: string; by_name: string | null; n: number; model: string; weight_table_id: string; weight_table_version: string }[]
  ).map((r) => ({
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

export function snapshotOf(db: Db, meetingId: string): SnapshotRow[] {
  return (
    db.prepare('SELECT * FROM meeting_snapshots WHERE meeting_id = ? ORDER BY reference').all(meetingId) as {
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
    }[]
  ).map((r) => ({
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

/** The last meeting held before a day (the pack's comparison point). */
export function meetingBefore(db: Db, day: string): MeetingRow | null {
  return listMeetings(db).find((m) => compareIsoDates(m.heldOn, day) < 0) ?? null;
}

export function holdMeeting(s: Session, heldOn?: string): MeetingRow {
  const user = s.requireUser();
  const day = heldOn ?? ukToday(s.ctx.now());
  if (compareIsoDates(day, ukToday(s.ctx.now())) > 0) throw new VaultError('invalid_input', 'A meeting cannot be held on a future date.');
  return s.write((db, audit) => {
    if (db.prepare('SELECT 1 FROM meetings WHERE held_on = ?').get(day)) throw new VaultError('conflict', 'A meeting has already been held on that date.');
    const table = weightTable();
    const id = randomUUID();
    db.prepare('INSERT INTO meetings (id, held_on, held_at, held_by, model, weight_table_id, weight_table_version) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id,
      day,
      s.ctx.now().toISOString(),
      user.id,
      MODEL_ID,
      table.id,
      table.version,
    );
    const scores = computeScoreSummaries(db, null, day);
    const plan = new Map((db.prepare('SELECT id, plan_status FROM networks').raw().all() as [string, string][]).map(([i, p]) => [i, p]));
    const ins = db.prepare(
      `INSERT INTO meeting_snapshots (meeting_id, network_id, reference, status, score, eh_pts, ah_pts, cap_pts, band, confidence, business_group, unit, lead_officer, plan_status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const networks = listNetworks(db);
    for (const n of networks) {
      const h = scores.get(n.id)!;
      ins.run(id, n.id, n.reference, n.status, h.score, h.ehPts, h.ahPts, h.capPts, h.effectiveBand, h.confidence, n.businessGroup, n.unit, n.leadOfficer, plan.get(n.id) ?? 'none');
    }
    audit({ action: 'alter', entityType: 'meeting', entityId: id, summary: `Prioritisation meeting held on ${day}: ${networks.length} networks frozen` });
    return listMeetings(db).find((m) => m.id === id)!;
  });
}

export function setPlanStatus(s: Session, networkId: string, planStatus: string): { networkId: string; planStatus: string } {
  s.requireUser();
  return s.write((db, audit) => {
    const n = db.prepare('SELECT reference FROM networks WHERE id = ?').pluck().get(networkId) as string | undefined;
    if (!n) throw new VaultError('not_found', 'That network was not found.');
    db.prepare('UPDATE networks SET plan_status = ? WHERE id = ?').run(planStatus, networkId);
    audit({ action: 'alter', entityType: 'network', entityId: networkId, summary: `Network ${n} plan status set to ${planStatus.replace('_', ' ')}` });
    return { networkId, planStatus };
  });
}
