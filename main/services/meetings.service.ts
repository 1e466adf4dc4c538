/**
 * Prioritisation meetings (docs/specification.md, "Meeting"): holding one freezes every network's score, band,
 * owner and plan status as of the meeting day, so the next meeting pack can show movement.
 */
import { randomUUID } from 'node:crypto';
import type { MeetingRow } from '../../preload/contract';
import { MODEL_ID } from '../domain/scoring';
import { compareIsoDates } from '../../preload/contract/dates';
import { insertMeeting, insertSnapshot, isMeetingHeldOn, listMeetings, setNetworkPlanStatus } from '../store/meetings.repo';
import { getNetwork, listNetworks } from '../store/networks.repo';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { weightTable } from './reference.service';
import { computeScoreSummaries } from './scoring.service';
import type { Session } from './session';
import { ukToday } from '../../preload/contract/uk-time';

export { listMeetings, snapshotOf, type SnapshotRow } from '../store/meetings.repo';

/** The last meeting held before a day (the pack's comparison point). */
export function meetingBefore(db: Db, day: string): MeetingRow | null {
  return listMeetings(db).find((m) => compareIsoDates(m.heldOn, day) < 0) ?? null;
}

export function holdMeeting(s: Session, heldOn?: string): MeetingRow {
  const user = s.requireUser();
  const day = heldOn ?? ukToday(s.ctx.now());
  if (compareIsoDates(day, ukToday(s.ctx.now())) > 0) throw new VaultError('invalid_input', 'A meeting cannot be held on a future date.');
  return s.write((db, audit) => {
    if (isMeetingHeldOn(db, day)) throw new VaultError('conflict', 'A meeting has already been held on that date.');
    const table = weightTable();
    const id = randomUUID();
    insertMeeting(db, { id, heldOn: day, heldAt: s.ctx.now().toISOString(), heldById: user.id, model: MODEL_ID, weightTableId: table.id, weightTableVersion: table.version });
    const scores = computeScoreSummaries(db, null, day);
    const networks = listNetworks(db);
    insertSnapshot(
      db,
      id,
      networks.map((n) => {
        const h = scores.get(n.id)!;
        return {
          networkId: n.id,
          reference: n.reference,
          status: n.status,
          score: h.score,
          ehPts: h.ehPts,
          ahPts: h.ahPts,
          capPts: h.capPts,
          band: h.effectiveBand,
          confidence: h.confidence,
          businessGroup: n.businessGroup,
          unit: n.unit,
          leadOfficer: n.leadOfficer,
          planStatus: n.planStatus ?? 'none',
        };
      }),
    );
    audit({ action: 'alter', entityType: 'meeting', entityId: id, summary: `Prioritisation meeting held on ${day}: ${networks.length} networks frozen` });
    return listMeetings(db).find((m) => m.id === id)!;
  });
}

export function setPlanStatus(s: Session, networkId: string, planStatus: string): { networkId: string; planStatus: string } {
  s.requireUser();
  return s.write((db, audit) => {
    const network = getNetwork(db, networkId);
    if (!network) throw new VaultError('not_found', 'That network was not found.');
    setNetworkPlanStatus(db, networkId, planStatus);
    audit({ action: 'alter', entityType: 'network', entityId: networkId, summary: `Network ${network.reference} plan status set to ${planStatus.replace('_', ' ')}` });
    return { networkId, planStatus };
  });
}
