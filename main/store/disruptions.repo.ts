/**
 * Disruption claims, their networks and cited intelligence, and their workflow steps
 * (schema 0030). The record comes out in the contract's shape (preload/contract/index.ts
 * disruptionRecord); the claimant's name and recorded unit come with it, for the workflow's
 * independence rule and the screens.
 */
import type { DisruptionRecord } from '../../preload/contract';
import type { Outcomes, ParsedDisruptionDraft } from '../../preload/contract/schemas/disruptions';
import type { DisruptionLevel, DisruptionStatus, DurabilityOutcome } from '../../preload/contract/vocabulary';
import type { WorkflowRecord } from '../../preload/contract/disruption-workflow';
import type { Db } from '../vault/database';

export interface StoredDisruption {
  record: DisruptionRecord;
  /** Reference of the primary network. */
  networkReference: string;
  claimantName: string;
  /** The unit the claimant is recorded in now; '' when none. */
  claimantUnit: string;
}

interface Raw {
  id: string;
  reference: string;
  primary_network_id: string;
  operation_reference: string;
  activity_start: string;
  activity_end: string;
  claiming_business_group: string;
  claiming_unit: string;
  claimant_id: string;
  claimed_level: DisruptionLevel;
  level: DisruptionLevel;
  status: DisruptionStatus;
  submitted_on: string | null;
  endorsed_by: string | null;
  endorsed_on: string | null;
  validated_by: string | null;
  validated_on: string | null;
  returned_on: string | null;
  rejected_on: string | null;
  decision_reason: string | null;
  durability_due_on: string | null;
  durability_outcome: DurabilityOutcome | null;
  level_after_review: DisruptionLevel | null;
  reviewed_by: string | null;
  reviewed_on: string | null;
  review_reason: string | null;
  tactics: string;
  outcomes: string;
  impact_narrative: string;
  partner_reference: string | null;
  created_at: string;
  updated_at: string;
  other_networks: string | null;
  intel_ids: string | null;
  network_reference: string;
  claimant_name: string;
  claimant_unit: string;
}

const SELECT = `SELECT d.*,
  (SELECT group_concat(network_id, ',') FROM disruption_networks n WHERE n.disruption_id = d.id AND n.is_primary = 0) AS other_networks,
  (SELECT group_concat(intel_id, ',') FROM disruption_intelligence i WHERE i.disruption_id = d.id) AS intel_ids,
  coalesce((SELECT reference FROM networks n WHERE n.id = d.primary_network_id), '') AS network_reference,
  coalesce((SELECT name FROM users u WHERE u.id = d.claimant_id), '') AS claimant_name,
  coalesce((SELECT unit FROM users u WHERE u.id = d.claimant_id), '') AS claimant_unit
  FROM disruptions d`;

function map(r: Raw): StoredDisruption {
  return {
    record: {
      id: r.id,
      reference: r.reference,
      primaryNetworkId: r.primary_network_id,
      otherNetworkIds: r.other_networks ? r.other_networks.split(',').sort() : [],
      operationReference: r.operation_reference,
      activityStart: r.activity_start,
      activityEnd: r.activity_end,
      claimingBusinessGroup: r.claiming_business_group,
      claimingUnit: r.claiming_unit,
      claimantId: r.claimant_id,
      claimedLevel: r.claimed_level,
      level: r.level,
      status: r.status,
      submittedOn: r.submitted_on,
      endorsedBy: r.endorsed_by,
      endorsedOn: r.endorsed_on,
      validatedBy: r.validated_by,
      validatedOn: r.validated_on,
      returnedOn: r.returned_on,
      rejectedOn: r.rejected_on,
      decisionReason: r.decision_reason,
      durabilityDueOn: r.durability_due_on,
      durabilityOutcome: r.durability_outcome,
      levelAfterReview: r.level_after_review,
      reviewedBy: r.reviewed_by,
      reviewedOn: r.reviewed_on,
      reviewReason: r.review_reason,
      tactics: JSON.parse(r.tactics) as string[],
      outcomes: JSON.parse(r.outcomes) as Outcomes,
      impactNarrative: r.impact_narrative,
      partnerReference: r.partner_reference,
      intelIds: r.intel_ids ? r.intel_ids.split(',').sort() : [],
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    },
    networkReference: r.network_reference,
    claimantName: r.claimant_name,
    claimantUnit: r.claimant_unit,
  };
}

export function findDisruption(db: Db, id: string): StoredDisruption | null {
  const r = db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as Raw | undefined;
  return r ? map(r) : null;
}

/** Every claim, by reference. */
export function listDisruptions(db: Db): StoredDisruption[] {
  return (db.prepare(`${SELECT} ORDER BY d.reference`).all() as Raw[]).map(map);
}

/** The next free reference in a year's series: DR-2026-0001, DR-2026-0002, … */
export function nextDisruptionReference(db: Db, year: number): string {
  const prefix = `DR-${year}-`;
  const last = db.prepare('SELECT reference FROM disruptions WHERE reference LIKE ? ORDER BY length(reference) DESC, reference DESC LIMIT 1').pluck().get(`${prefix}%`) as string | undefined;
  return `${prefix}${String(last ? Number(last.slice(prefix.length)) + 1 : 1).padStart(4, '0')}`;
}

function draftParams(d: ParsedDisruptionDraft) {
  return {
    primaryNetworkId: d.primaryNetworkId,
    operationReference: d.operationReference,
    activityStart: d.activityStart,
    activityEnd: d.activityEnd,
    claimingBusinessGroup: d.claimingBusinessGroup,
    claimingUnit: d.claimingUnit,
    claimedLevel: d.claimedLevel,
    tactics: JSON.stringify([...new Set(d.tactics)]),
    outcomes: JSON.stringify(d.outcomes),
    impactNarrative: d.impactNarrative,
    partnerReference: d.partnerReference,
  };
}

/** A new draft claim, with its networks and cited intelligence; the claimed level is its level until validated. */
export function insertDisruption(db: Db, c: { id: string; reference: string; claimantId: string; draft: ParsedDisruptionDraft; now: string }): void {
  db.prepare(
    `INSERT INTO disruptions (id, reference, primary_network_id, operation_reference, activity_start, activity_end, claiming_business_group, claiming_unit,
       claimant_id, claimed_level, level, status, tactics, outcomes, impact_narrative, partner_reference, created_at, updated_at)
     VALUES (@id, @reference, @primaryNetworkId, @operationReference, @activityStart, @activityEnd, @claimingBusinessGroup, @claimingUnit,
       @claimantId, @claimedLevel, @claimedLevel, 'draft', @tactics, @outcomes, @impactNarrative, @partnerReference, @now, @now)`,
  ).run({ ...draftParams(c.draft), id: c.id, reference: c.reference, claimantId: c.claimantId, now: c.now });
  replaceLinks(db, c.id, c.draft);
}

/** The claimant's edit of a draft or returned claim: every field of the draft, networks and intelligence included. */
export function updateDisruptionDraft(db: Db, id: string, draft: ParsedDisruptionDraft, now: string): void {
  db.prepare(
    `UPDATE disruptions SET primary_network_id=@primaryNetworkId, operation_reference=@operationReference, activity_start=@activityStart,
       activity_end=@activityEnd, claiming_business_group=@claimingBusinessGroup, claiming_unit=@claimingUnit, claimed_level=@claimedLevel,
       level=@claimedLevel, tactics=@tactics, outcomes=@outcomes, impact_narrative=@impactNarrative, partner_reference=@partnerReference,
       updated_at=@now WHERE id=@id`,
  ).run({ ...draftParams(draft), id, now });
  replaceLinks(db, id, draft);
}

function replaceLinks(db: Db, id: string, d: ParsedDisruptionDraft): void {
  db.prepare('DELETE FROM disruption_networks WHERE disruption_id = ?').run(id);
  const net = db.prepare('INSERT INTO disruption_networks (disruption_id, network_id, is_primary) VALUES (?, ?, ?)');
  net.run(id, d.primaryNetworkId, 1);
  for (const n of new Set(d.otherNetworkIds)) net.run(id, n, 0);
  db.prepare('DELETE FROM disruption_intelligence WHERE disruption_id = ?').run(id);
  const intel = db.prepare('INSERT INTO disruption_intelligence (disruption_id, intel_id) VALUES (?, ?)');
  for (const i of new Set(d.intelIds)) intel.run(id, i);
}

/** Store the workflow state of a claim (after `transition` said yes). */
export function saveWorkflow(db: Db, id: string, r: WorkflowRecord, now: string): void {
  db.prepare(
    `UPDATE disruptions SET level=@level, status=@status, submitted_on=@submittedOn, endorsed_by=@endorsedBy, endorsed_on=@endorsedOn,
       validated_by=@validatedBy, validated_on=@validatedOn, returned_on=@returnedOn, rejected_on=@rejectedOn, decision_reason=@decisionReason,
       durability_due_on=@durabilityDueOn, durability_outcome=@durabilityOutcome, level_after_review=@levelAfterReview, reviewed_by=@reviewedBy,
       reviewed_on=@reviewedOn, review_reason=@reviewReason, updated_at=@now WHERE id=@id`,
  ).run({
    id,
    level: r.level,
    status: r.status,
    submittedOn: r.submittedOn ?? null,
    endorsedBy: r.endorsedBy ?? null,
    endorsedOn: r.endorsedOn ?? null,
    validatedBy: r.validatedBy ?? null,
    validatedOn: r.validatedOn ?? null,
    returnedOn: r.returnedOn ?? null,
    rejectedOn: r.rejectedOn ?? null,
    decisionReason: r.decisionReason ?? null,
    durabilityDueOn: r.durabilityDueOn ?? null,
    durabilityOutcome: r.durabilityOutcome ?? null,
    levelAfterReview: r.levelAfterReview ?? null,
    reviewedBy: r.reviewedBy ?? null,
    reviewedOn: r.reviewedOn ?? null,
    reviewReason: r.reviewReason ?? null,
    now,
  });
}

export interface DisruptionStep {
  at: string;
  userId: string;
  action: string;
  fromStatus: string;
  toStatus: string;
  level: string | null;
  reason: string | null;
}

export function insertStep(db: Db, disruptionId: string, s: DisruptionStep): void {
  db.prepare('INSERT INTO disruption_steps (disruption_id, at, user_id, action, from_status, to_status, level, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    disruptionId,
    s.at,
    s.userId,
    s.action,
    s.fromStatus,
    s.toStatus,
    s.level,
    s.reason,
  );
}

/** A claim's steps, oldest first, with the name of who took each ('' when the user is not found). */
export function listSteps(db: Db, disruptionId: string): (Omit<DisruptionStep, 'userId'> & { userName: string })[] {
  const rows = db
    .prepare(
      'SELECT s.at, s.action, s.from_status, s.to_status, s.level, s.reason, u.name FROM disruption_steps s LEFT JOIN users u ON u.id = s.user_id WHERE disruption_id = ? ORDER BY s.id',
    )
    .all(disruptionId) as { at: string; action: string; from_status: string; to_status: string; level: string | null; reason: string | null; name: string | null }[];
  return rows.map((x) => ({ at: x.at, action: x.action, fromStatus: x.from_status, toStatus: x.to_status, level: x.level, reason: x.reason, userName: x.name ?? '' }));
}
