/**
 * Disruption claims (docs/specification.md, "Disruptions"). Every change a user asks for goes through the pure
 * workflow (preload/contract/disruption-workflow.ts transition), whatever the renderer sends; the
 * record, its workflow step and its audit entry commit together.
 */
import { randomUUID } from 'node:crypto';
import type { DisruptionRecord, Input, Output } from '../../preload/contract';
import { disruptionDraft, durabilityInput, transitionInput, type DisruptionDraft, type IntelligenceItem, type ParsedDisruptionDraft } from '../../preload/contract/schemas/disruptions';
import { hasMovedPast, isDurabilityReviewDue, transition, type Actor, type WorkflowAction } from '../../preload/contract/disruption-workflow';
import { abilitiesOfRole } from '../../preload/contract/permissions';
import { ukToday } from '../../preload/contract/uk-time';
import { harmWindows, isHarmPending, sumHarm } from '../domain/disruption-harm';
import { listAudit } from '../audit/audit';
import {
  findDisruption,
  insertDisruption,
  insertStep,
  listDisruptions as listStoredDisruptions,
  listSteps,
  nextDisruptionReference,
  saveWorkflow,
  updateDisruptionDraft,
  type StoredDisruption,
} from '../store/disruptions.repo';
import { getIntelligenceMany, listIntelligenceForNetwork, type IntelligenceRecord } from '../store/intelligence.repo';
import { getNetwork } from '../store/networks.repo';
import { confirmedOffencesAround } from '../store/offences.repo';
import { findUser } from '../store/users.repo';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { weightTable } from './reference.service';
import type { Session } from './session';

export type DisruptionView = Input<'disruptions:list'>['view'];
export type DisruptionDetail = Output<'disruptions:get'>;
export type HarmBeforeAfter = DisruptionDetail['harm'][number];
export type NetworkLabel = DisruptionDetail['networks'][number];
export type Evidence = Output<'disruptions:evidence'>;

function checkRefs(db: Db, d: ParsedDisruptionDraft): void {
  for (const n of [d.primaryNetworkId, ...d.otherNetworkIds]) if (!getNetwork(db, n)) throw new VaultError('not_found', 'One of the networks was not found.');
  if (getIntelligenceMany(db, [...new Set(d.intelIds)]).length !== new Set(d.intelIds).size) {
    throw new VaultError('not_found', 'One or more of the intelligence items cited were not found.');
  }
}

/** The signed-in user as the workflow sees them, with the unit recorded for them now. */
function actorOf(s: Session): Actor {
  const user = s.requireUser();
  const unit = (findUser(s.vault!.db, user.id)?.unit ?? '').trim();
  return { id: user.id, role: user.role, unit: unit === '' ? null : unit };
}

function mustFind(db: Db, id: string): StoredDisruption {
  const found = findDisruption(db, id);
  if (!found) throw new VaultError('not_found', 'That disruption was not found.');
  return found;
}

/** The claim as the workflow judges it: the claimant's recorded unit goes with it. */
function workflowRecord(found: StoredDisruption): DisruptionRecord & { claimantUnit: string } {
  return { ...found.record, claimantUnit: found.claimantUnit };
}

/**
 * Refuse a step the workflow said no to. A claim that has already moved past the action (someone
 * acted first, or the screen is out of date) is a 'conflict', as elsewhere in main for records in
 * the wrong state; the workflow checks the state before the person, so its reason then names the
 * state. Everything else (who is asking, a review not yet due) is 'forbidden'.
 */
function refuseStep(r: DisruptionRecord, action: WorkflowAction, reason: string): never {
  throw new VaultError(hasMovedPast(r, action.type) ? 'conflict' : 'forbidden', reason);
}

/* ---- Claims -------------------------------------------------------------------------------- */

export function createDisruption(s: Session, input: DisruptionDraft): DisruptionRecord {
  const d = disruptionDraft.parse(input);
  const user = s.requireUser();
  if (!abilitiesOfRole(user.role).canKeep) throw new VaultError('forbidden', 'Claims are made by analysts and supervisors.');
  return s.write((db, audit) => {
    checkRefs(db, d);
    const id = randomUUID();
    const reference = nextDisruptionReference(db, Number(ukToday(s.ctx.now()).slice(0, 4)));
    insertDisruption(db, { id, reference, claimantId: user.id, draft: d, now: s.ctx.now().toISOString() });
    audit({ action: 'collect', entityType: 'disruption', entityId: id, summary: `Disruption ${reference} drafted (${d.claimedLevel})` });
    return mustFind(db, id).record;
  });
}

/** Only the claimant edits, and only a draft or a returned claim (the workflow's 'edit' rule). */
export function updateDisruption(s: Session, id: string, input: DisruptionDraft): DisruptionRecord {
  const d = disruptionDraft.parse(input);
  const actor = actorOf(s);
  return s.write((db, audit) => {
    const found = mustFind(db, id);
    const t = transition(workflowRecord(found), { type: 'edit' }, actor, ukToday(s.ctx.now()));
    if (!t.ok) refuseStep(found.record, { type: 'edit' }, t.reason);
    checkRefs(db, d);
    updateDisruptionDraft(db, id, d, s.ctx.now().toISOString());
    audit({ action: 'alter', entityType: 'disruption', entityId: id, summary: `Disruption ${found.record.reference} edited` });
    return mustFind(db, id).record;
  });
}

function applyStep(s: Session, id: string, action: WorkflowAction, label: string, reason: string | null): DisruptionRecord {
  const actor = actorOf(s);
  const today = ukToday(s.ctx.now());
  return s.write((db, audit) => {
    const found = mustFind(db, id);
    const r = found.record;
    const t = transition(workflowRecord(found), action, actor, today);
    if (!t.ok) refuseStep(r, action, t.reason);
    const next = t.next;
    const now = s.ctx.now().toISOString();
    saveWorkflow(db, id, next, now);
    insertStep(db, id, { at: now, userId: actor.id, action: action.type, fromStatus: r.status, toStatus: next.status, level: next.levelAfterReview ?? next.level, reason });
    audit({ action: 'alter', entityType: 'disruption', entityId: id, summary: `Disruption ${r.reference} ${label}`, justification: reason });
    return mustFind(db, id).record;
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

export function listDisruptions(s: Session, view: DisruptionView, networkId?: string): Output<'disruptions:list'> {
  const user = s.requireUser();
  const db = s.vault!.db;
  const today = ukToday(s.ctx.now());
  let rows = listStoredDisruptions(db);
  if (networkId) rows = rows.filter(({ record: r }) => r.primaryNetworkId === networkId || r.otherNetworkIds.includes(networkId));
  if (view === 'mine') rows = rows.filter(({ record: r }) => r.claimantId === user.id);
  if (view === 'validation') rows = rows.filter(({ record: r }) => r.status === 'endorsed' || (r.status === 'submitted' && user.role === 'supervisor'));
  if (view === 'durability') rows = rows.filter(({ record: r }) => isDurabilityReviewDue(r, today));
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'disruptions', entityId: networkId ?? null, summary: `Disruptions viewed (${view})` }));
  return rows.map(({ record: r, networkReference, claimantName }) => ({
    id: r.id,
    reference: r.reference,
    networkReference,
    primaryNetworkId: r.primaryNetworkId,
    otherNetworkCount: r.otherNetworkIds.length,
    operationReference: r.operationReference,
    activityStart: r.activityStart,
    activityEnd: r.activityEnd,
    claimingBusinessGroup: r.claimingBusinessGroup,
    claimingUnit: r.claimingUnit,
    claimantName,
    claimedLevel: r.claimedLevel,
    level: r.levelAfterReview ?? r.level,
    status: r.status,
    validatedOn: r.validatedOn ?? null,
    durabilityDueOn: r.durabilityDueOn ?? null,
    durabilityOutcome: r.durabilityOutcome ?? null,
    partnerReference: r.partnerReference,
  }));
}

function labelOf(db: Db, id: string): NetworkLabel | null {
  const n = getNetwork(db, id);
  return n ? { id: n.id, reference: n.reference, name: n.name } : null;
}

/** The intelligence held against any of these networks, each item once. */
function heldAgainst(db: Db, networkIds: readonly string[]): Map<string, IntelligenceRecord> {
  const held = new Map<string, IntelligenceRecord>();
  for (const n of networkIds) for (const i of listIntelligenceForNetwork(db, n)) held.set(i.id, i);
  return held;
}

/** An item as the claim form offers it: never its source reference or who recorded it. */
function offered(i: IntelligenceRecord): Evidence['intelligence'][number] {
  return {
    id: i.id,
    reference: i.reference,
    itemDate: i.itemDate,
    grading: i.grading,
    sourceGrade: i.sourceGrade,
    intelGrade: i.intelGrade,
    handling: i.handling,
    legacyGrade: i.legacyGrade,
  };
}

/** An item as the claim's detail lists it: as offered, with its summary. */
function cited(i: IntelligenceRecord): IntelligenceItem {
  return { ...offered(i), summary: i.summary };
}

/**
 * Everything the claim's screen shows, in one read: its networks by name and the intelligence
 * it cites that is held against them (an item no longer held is left out, and the screen says
 * so). Opening a claim is one consultation, of the claim.
 */
export function disruptionDetail(s: Session, id: string): DisruptionDetail {
  s.requireUser();
  const db = s.vault!.db;
  const found = mustFind(db, id);
  const r = found.record;
  const today = ukToday(s.ctx.now());
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'disruption', entityId: id, summary: `Disruption ${r.reference} opened` }));
  const networkIds = [r.primaryNetworkId, ...r.otherNetworkIds];
  const held = heldAgainst(db, networkIds);
  return {
    disruption: r,
    claimantName: found.claimantName,
    networks: networkIds.map((n) => labelOf(db, n)).filter((n): n is NetworkLabel => n !== null),
    intelligence: r.intelIds.flatMap((i) => (held.has(i) ? [cited(held.get(i)!)] : [])),
    steps: listSteps(db, id),
    harm: networkIds.map((n) => harmBeforeAfter(db, n, r.activityStart, r.activityEnd, today)),
    audit: listAudit(db, { entityId: id, limit: 500 }),
  };
}

/**
 * What the claim form offers to cite: the intelligence held against the networks chosen, by
 * reference. One consultation names the networks and how many items were listed.
 */
export function listEvidence(s: Session, networkIds: readonly string[]): Evidence {
  s.requireUser();
  const db = s.vault!.db;
  const ids = [...new Set(networkIds)];
  const networks = ids.map((n) => {
    const label = labelOf(db, n);
    if (!label) throw new VaultError('not_found', 'One of the networks was not found.');
    return label;
  });
  const intelligence = [...heldAgainst(db, ids).values()].map(offered).sort((a, b) => a.reference.localeCompare(b.reference));
  const count = `${intelligence.length} ${intelligence.length === 1 ? 'item' : 'items'}`;
  s.write((_db, audit) =>
    audit({ action: 'consult', entityType: 'intelligence', entityId: null, summary: `Intelligence listed for ${networks.map((n) => n.reference).join(', ')} (${count})` }),
  );
  return { networks, intelligence };
}
