/**
 * A claim as its screens hold it: the detail main sends (one read, with the claim's networks and
 * the intelligence it cites), and the workflow actions to offer on it.
 *
 * The actions are asked of the workflow itself (preload/contract/disruption-workflow.ts
 * transition), with the signed-in user as the actor and today's UK date. The screen does not hold
 * the units main compares (the user's and the claimant's, as recorded at the request), so it asks
 * without them: a step only the units forbid is still offered, and main's refusal is shown in its
 * own words beside it.
 */
import type { DisruptionRecord, Output, SessionUser } from '../../../../preload/contract';
import { transition, type WorkflowAction } from '../../../../preload/contract/disruption-workflow';

export type { DisruptionRecord };
export type Detail = Output<'disruptions:get'>;
export type NetworkLabel = Detail['networks'][number];
export type CitedIntelligence = Detail['intelligence'][number];

export interface ClaimActions {
  canEdit: boolean;
  canSubmit: boolean;
  canEndorse: boolean;
  /** Validate, return or reject: one validator's decision, so offered together. */
  canDecide: boolean;
  canReview: boolean;
}

export function actionsFor(d: DisruptionRecord, user: SessionUser, today: string): ClaimActions {
  const actor = { id: user.id, role: user.role, unit: user.unit || null };
  const isOffered = (action: WorkflowAction) => transition(d, action, actor, today, { areUnitsKnown: false }).ok;
  return {
    canEdit: isOffered({ type: 'edit' }),
    canSubmit: isOffered({ type: 'submit' }),
    canEndorse: isOffered({ type: 'endorse' }),
    canDecide: isOffered({ type: 'validate' }),
    canReview: isOffered({ type: 'review', outcome: 'confirmed' }),
  };
}

/** "CN-2026-0001 Northside Crew", or an ellipsis for a network the detail does not name. */
export function networkLabeller(networks: readonly NetworkLabel[]): (id: string) => string {
  const byId = new Map(networks.map((n) => [n.id, n]));
  return (id) => {
    const n = byId.get(id);
    return n ? `${n.reference} ${n.name}` : '…';
  };
}
