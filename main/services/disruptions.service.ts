/**
 * Disruption claims (domain.md "Disruptions"). Every change a user asks for goes through the pure
 * workflow (preload/contract/disruption-workflow.ts transition), whatever the renderer sends; the
 * record, its workflow step and its audit entry commit together.
 */
import { randomUUID } from 'node:crypto';
import {
  disruptionDraft,
  durabilityInput,
  transitionInput,
  type DisruptionDraft,
  type Outcomes,
} from '../../preload/contract/schemas/disruptions';
import { addMonths, compareIsoDates } from '../../preload/contract/dates';
import { transition, type Actor, type WorkflowAction, type WorkflowRecord } from '../../preload/contract/disruption-workflow';
import type { DisruptionLevel, DisruptionStatus, DurabilityOutcome } from '../../preload/contract/vocabulary';
import { harmWindows, isHarmPending, sumHarm } from '../domain/disruption-harm';
import { confirmedOffencesAround } from '../store/offences.repo';
import { listAudit } from '../audit/audit';
import { getNetwork } from '../store/networks.repo';
import { getIntelligenceMany } from '../store/intelligence.repo';
import { findUser } from '../store/users.repo';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { weightTable } from './reference.service';
import type { Session } from './session';
import { ukToday } from '../../preload/contract/uk-time';

export interface DisruptionRecord extends WorkflowRecord {
  id: string;
  reference: string;
  primaryNetworkId: string;
  otherNetworkIds: string[];
  operationReference: string;
  activityStart: string;
  activityEnd: string;
  claimingBusinessGroup: string;
  claimedLevel: DisruptionLevel;
  tactics: string[];
  outcomes: Outcomes;
  impactNarrative: string;
  partnerReference: string | null;
  intelIds: string[];
  createdAt: string;
  updatedAt: string;
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
}

const SELECT = `SELECT d.*,
  (SELECT group_concat(network_id, ',') FROM disruption_networks n WHERE n.disruption_id = d.id AND n.is_primary = 0) AS other_networks,
  (SELECT group_concat(intel_id, ',') FROM disruption_intelligence i WHERE i.disruption_id = d.id) AS intel_ids
  FROM disruptions d`;

function map(r: Raw): DisruptionRecord {
  return {
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
  };
}

export function getDisruption(db: Db, id: string): DisruptionRecord | null {
  const r = db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as Raw | undefined;
  return r ? map(r) : null;
}

export function listDisruptionRecords(db: Db): DisruptionRecord[] {
  return (db.prepare(`${SELECT} ORDER BY d.reference`).all() as Raw[]).map(map);
}

/** Store the workflow state of a record (after `transition` said yes). */
function saveWorkflow(db: Db, r: DisruptionRecord, now: string): void {
  db.prepare(
    `UPDATE disruptions SET level=@level, status=@status, submitted_on=@submittedOn, endorsed_by=@endorsedBy, endorsed_on=@endorsedOn,
       validated_by=@validatedBy, validated_on=@validatedOn, returned_on=@returnedOn, rejected_on=@rejectedOn, decision_reason=@decisionReason,
       durability_due_on=@durabilityDueOn, durability_outcome=@durabilityOutcome, level_after_review=@levelAfterReview, reviewed_by=@reviewedBy,
       reviewed_on=@reviewedOn, review_reason=@reviewReason, updated_at=@now WHERE id=@id`,
  ).run({
    id: r.id,
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

function writeDetails(db: Db, id: string, d: ReturnType<typeof disruptionDraft.parse>): void {
  db.prepare('DELETE FROM disruption_networks WHERE disruption_id = ?').run(id);
  const net = db.prepare('INSERT INTO disruption_networks (disruption_id, network_id, is_primary) VALUES (?, ?, ?)');
  net.run(id, d.primaryNetworkId, 1);
  for (const n of new Set(d.otherNetworkIds)) net.run(id, n, 0);
  db.prepare('DELETE FROM disruption_intelligence WHERE disruption_id = ?').run(id);
  const intel = db.prepare('INSERT INTO disruption_intelligence (disruption_id, intel_id) VALUES (?, ?)');
  for (const i of new Set(d.intelIds)) intel.run(id, i);
}

function checkRefs(db: Db, d: ReturnType<typeof disruptionDraft.parse>): void {
  for (const n of [d.primaryNetworkId, ...d.otherNetworkIds]) if (!getNetwork(db, n)) throw new VaultError('not_found', 'One of the networks was not found.');
  if (getIntelligenceMany(db, [...new Set(d.intelIds)]).length !== new Set(d.intelIds).size) {
    throw new VaultError('not_found', 'One or more of the intelligence items cited were not found.');
  }
}

function actorOf(s: Session): Actor {
  const user = s.requireUser();
  const row = findUser(s.vault!.db, user.id);
  const unit = ((row as { unit?: string } | null)?.unit ?? '').trim();
  return { id: user.id, role: user.role, unit: unit === '' ? null : normaliseUnit(unit) };
}

/** Units are compared as typed, ignoring case and spacing: "Gangs Unit" is "gangs  unit". */
export function normaliseUnit(unit: string): string {
  return unit.trim().replace(/\s+/g, ' ').toLowerCase();
}

function nextReference(db: Db, year: number): string {
  const prefix = `DR-${year}-`;
  const last = db.prepare('SELECT reference FROM disruptions WHERE reference LIKE ? ORDER BY length(reference) DESC, reference DESC LIMIT 1').pluck().get(`${prefix}%`) as string | undefined;
  return `${prefix}${String(last ? Number(last.slice(prefix.length)) + 1 : 1).padStart(4, '0')}`;
}

function workflowRecord(r: DisruptionRecord): DisruptionRecord {
  // The workflow compares units as recorded on the claim; compare both sides the same way.
  return { ...r, claimingUnit: normaliseUnit(r.claimingUnit) };
}

function refuse(reason: string): never {
  throw new VaultError('forbidden', reason);
}

/** The states each workflow action starts from (mirrors the first check in `transition`). */
const STARTS_FROM: Readonly<Record<WorkflowAction['type'], readonly DisruptionStatus[]>> = {
  edit: ['draft', 'returned'],
  submit: ['draft', 'returned'],
  endorse: ['submitted'],
  return: ['submitted', 'endorsed'],
  validate: ['endorsed'],
  reject: ['endorsed'],
  review: ['validated'],
};

/**
 * Refuse a step the workflow said no to. A claim that has already moved past the action (someone
 * acted first, or the screen is out of date) is a 'conflict', as elsewhere in main for records in
 * the wrong state; the workflow checks the state before the person, so its reason then names the
 * state. Everything else (who is asking, a review not yet due) is 'forbidden'.
 */
function refuseStep(r: DisruptionRecord, action: WorkflowAction, reason: string): never {
  const isStale = !STARTS_FROM[action.type].includes(r.status) || (action.type === 'review' && !!r.durabilityOutcome);
  throw new VaultError(isStale ? 'conflict' : 'forbidden', reason);
}

/* ---- Claims -------------------------------------------------------------------------------- */

export function createDisruption(s: Session, input: DisruptionDraft): DisruptionRecord {
  const d = disruptionDraft.parse(input);
  const user = s.requireUser();
  if (user.role !== 'analyst' && user.role !== 'supervisor') refuse('Claims are made by analysts and supervisors.');
  return s.write((db, audit) => {
    checkRefs(db, d);
    const now = s.ctx.now().toISOString();
    const id = randomUUID();
    const reference = nextReference(db, Number(ukToday(s.ctx.now()).slice(0, 4)));
    db.prepare(
      `INSERT INTO disruptions (id, reference, primary_network_id, operation_reference, activity_start, activity_end, claiming_business_group, claiming_unit,
         claimant_id, claimed_level, level, status, tactics, outcomes, impact_narrative, partner_reference, created_at, updated_at)
       VALUES (@id, @reference, @primaryNetworkId, @operationReference, @activityStart, @activityEnd, @claimingBusinessGroup, @claimingUnit,
         @claimantId, @claimedLevel, @claimedLevel, 'draft', @tactics, @outcomes, @impactNarrative, @partnerReference, @now, @now)`,
    ).run({
      id,
      reference,
      primaryNetworkId: d.primaryNetworkId,
      operationReference: d.operationReference,
      activityStart: d.activityStart,
      activityEnd: d.activityEnd,
      claimingBusinessGroup: d.claimingBusinessGroup,
      claimingUnit: d.claimingUnit,
      claimantId: user.id,
      claimedLevel: d.claimedLevel,
      tactics: JSON.stringify([...new Set(d.tactics)]),
      outcomes: JSON.stringify(d.outcomes),
      impactNarrative: d.impactNarrative,
      partnerReference: d.partnerReference,
      now,
    });
    writeDetails(db, id, d);
    audit({ action: 'collect', entityType: 'disruption', entityId: id, summary: `Disruption ${reference} drafted (${d.claimedLevel})` });
    return getDisruption(db, id)!;
  });
}

/** Only the claimant edits, and only a draft or a returned claim (the workflow's 'edit' rule). */
export function updateDisruption(s: Session, id: string, input: DisruptionDraft): DisruptionRecord {
  const d = disruptionDraft.parse(input);
  const actor = actorOf(s);
  return s.write((db, audit) => {
    const r = getDisruption(db, id);
    if (!r) throw new VaultError('not_found', 'That disruption was not found.');
    const t = transition(workflowRecord(r), { type: 'edit' }, actor, ukToday(s.ctx.now()));
    if (!t.ok) refuseStep(r, { type: 'edit' }, t.reason);
    checkRefs(db, d);
    db.prepare(
      `UPDATE disruptions SET primary_network_id=@primaryNetworkId, operation_reference=@operationReference, activity_start=@activityStart,
         activity_end=@activityEnd, claiming_business_group=@claimingBusinessGroup, claiming_unit=@claimingUnit, claimed_level=@claimedLevel,
         level=@claimedLevel, tactics=@tactics, outcomes=@outcomes, impact_narrative=@impactNarrative, partner_reference=@partnerReference,
         updated_at=@now WHERE id=@id`,
    ).run({
      id,
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
      now: s.ctx.now().toISOString(),
    });
    writeDetails(db, id, d);
    audit({ action: 'alter', entityType: 'disruption', entityId: id, summary: `Disruption ${r.reference} edited` });
    return getDisruption(db, id)!;
  });
}

function applyStep(s: Session, id: string, action: WorkflowAction, label: string, reason: string | null): DisruptionRecord {
  const actor = actorOf(s);
  const today = ukToday(s.ctx.now());
  return s.write((db, audit) => {
    const r = getDisruption(db, id);
    if (!r) throw new VaultError('not_found', 'That disruption was not found.');
    const t = transition(workflowRecord(r), action, actor, today);
    if (!t.ok) refuseStep(r, action, t.reason);
    // The claiming unit is typed on the claim; independence is also judged against the unit the
    // claimant is recorded in, so a colleague of the claimant cannot validate a claim made "for"
    // another unit.
    if (actor.role === 'validator' && actor.unit !== null) {
      const claimantUnit = normaliseUnit(((findUser(db, r.claimantId) as { unit?: string } | null)?.unit ?? '').trim());
      if (claimantUnit !== '' && claimantUnit === actor.unit) {
        refuse("A validator from the claimant's own unit is not independent; someone from another unit must do this.");
      }
    }
    const next = { ...t.next, claimingUnit: r.claimingUnit };
    const now = s.ctx.now().toISOString();
    saveWorkflow(db, next, now);
    db.prepare('INSERT INTO disruption_steps (disruption_id, at, user_id, action, from_status, to_status, level, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      now,
      actor.id,
      action.type,
      r.status,
      next.status,
      next.levelAfterReview ?? next.level,
      reason,
    );
    audit({ action: 'alter', entityType: 'disruption', entityId: id, summary: `Disruption ${r.reference} ${label}`, justification: reason });
    return getDisruption(db, id)!;
  });
}

export function transitionDisruption(s: Session, input: unknown): DisruptionRecord {
  const t = transitionInput.parse(input);
  const labels = { submit: 'submitted', endorse: 'endorsed', validate: 'validated', return: 'returned', reject: 'rejected' } as const;
  const action: WorkflowAction =
    t.action === 'return' || t.action === 'reject' ? { type: t.action, reason: t.reason } : { type: t.action };
  return applyStep(s, t.id, action, labels[t.action], t.reason || null);
}

export function reviewDurability(s: Session, input: unknown): DisruptionRecord {
  const v = durabilityInput.parse(input);
  const action: WorkflowAction =
    v.outcome === 'confirmed' ? { type: 'review', outcome: 'confirmed', reason: v.reason } : { type: 'review', outcome: v.outcome, level: v.level!, reason: v.reason };
  return applyStep(s, v.id, action, `durability review: ${v.outcome}${v.level && v.outcome !== 'confirmed' ? ` to ${v.level}` : ''}`, v.reason || null);
}

/* ---- Harm before and after ------------------------------------------------------------------ */

export interface HarmBeforeAfter {
  networkId: string;
  /** Undecayed Σ w·s of the network's confirmed offences in the six months before the activity began. */
  before: number;
  /** The same for the six months after it ended; null while those six months have not passed. */
  after: number | null;
  isPending: boolean;
  windowBefore: { from: string; to: string };
  windowAfter: { from: string; to: string };
}

/** Harm before and after one network's activity (main/domain/disruption-harm.ts), from the vault. */
export function harmBeforeAfter(db: Db, networkId: string, activityStart: string, activityEnd: string, today: string): HarmBeforeAfter {
  const w = harmWindows(activityStart, activityEnd);
  const { before, after } = sumHarm(confirmedOffencesAround(db, networkId, w), weightTable().weights, w);
  const isPending = isHarmPending(w, today);
  return {
    networkId,
    before,
    after: isPending ? null : after,
    isPending,
    windowBefore: { from: w.beforeFrom, to: activityStart },
    windowAfter: { from: activityEnd, to: w.afterTo },
  };

}

/* ---- Read models --------------------------------------------------------------------------- */

export type DisruptionView = 'all' | 'mine' | 'validation' | 'durability';

export function listDisruptions(s: Session, view: DisruptionView, networkId?: string) {
  const user = s.requireUser();
  const db = s.vault!.db;
  const today = ukToday(s.ctx.now());
  const refs = new Map((db.prepare('SELECT id, reference FROM networks').raw().all() as [string, string][]).map(([i, r]) => [i, r]));
  const names = new Map((db.prepare('SELECT id, name FROM users').raw().all() as [string, string][]).map(([i, n]) => [i, n]));
  let rows = listDisruptionRecords(db);
  if (networkId) rows = rows.filter((r) => r.primaryNetworkId === networkId || r.otherNetworkIds.includes(networkId));
  if (view === 'mine') rows = rows.filter((r) => r.claimantId === user.id);
  if (view === 'validation') rows = rows.filter((r) => r.status === 'endorsed' || (r.status === 'submitted' && user.role === 'supervisor'));
  if (view === 'durability') rows = rows.filter((r) => r.status === 'validated' && !r.durabilityOutcome && r.durabilityDueOn && compareIsoDates(r.durabilityDueOn, today) <= 0);
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'disruptions', entityId: networkId ?? null, summary: `Disruptions viewed (${view})` }));
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    networkReference: refs.get(r.primaryNetworkId) ?? '',
    primaryNetworkId: r.primaryNetworkId,
    otherNetworkCount: r.otherNetworkIds.length,
    operationReference: r.operationReference,
    activityStart: r.activityStart,
    activityEnd: r.activityEnd,
    claimingBusinessGroup: r.claimingBusinessGroup,
    claimingUnit: r.claimingUnit,
    claimantName: names.get(r.claimantId) ?? '',
    claimedLevel: r.claimedLevel,
    level: r.levelAfterReview ?? r.level,
    status: r.status,
    validatedOn: r.validatedOn ?? null,
    durabilityDueOn: r.durabilityDueOn ?? null,
    durabilityOutcome: r.durabilityOutcome ?? null,
    partnerReference: r.partnerReference,
  }));
}

export function disruptionDetail(s: Session, id: string) {
  s.requireUser();
  const db = s.vault!.db;
  const r = getDisruption(db, id);
  if (!r) throw new VaultError('not_found', 'That disruption was not found.');
  const today = ukToday(s.ctx.now());
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'disruption', entityId: id, summary: `Disruption ${r.reference} opened` }));
  const steps = db.prepare('SELECT s.at, s.action, s.from_status, s.to_status, s.level, s.reason, u.name FROM disruption_steps s LEFT JOIN users u ON u.id = s.user_id WHERE disruption_id = ? ORDER BY s.id').all(id) as {
    at: string;
    action: string;
    from_status: string;
    to_status: string;
    level: string | null;
    reason: string | null;
    name: string | null;
  }[];
  return {
    disruption: r,
    claimantName: findUser(db, r.claimantId)?.name ?? '',
    steps: steps.map((x) => ({ at: x.at, action: x.action, fromStatus: x.from_status, toStatus: x.to_status, level: x.level, reason: x.reason, userName: x.name ?? '' })),
    harm: [r.primaryNetworkId, ...r.otherNetworkIds].map((n) => harmBeforeAfter(db, n, r.activityStart, r.activityEnd, today)),
    audit: listAudit(db, { entityId: id, limit: 500 }),
  };
}
