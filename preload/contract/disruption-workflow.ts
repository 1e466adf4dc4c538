/**
 * The disruption claim workflow as a pure transition function (docs/scoring-method.md,
 * "Disruptions"; issue 4). Main calls `transition` for every change a user asks for and stores
 * `next` only when it says yes, so no renderer request can move a claim any other way.
 *
 *   draft ─submit─▶ submitted ─endorse─▶ endorsed ─validate─▶ validated ─review─▶ reviewed
 *                       │                    ├─return─▶ returned ─submit─▶ submitted
 *                       └─return─▶ returned  └─reject─▶ rejected (final)
 *
 * Who may do what (actors are plain data: id, single role, unit):
 * - edit, submit (and resubmit after a return): the claimant, holding the analyst or supervisor
 *   role. Only drafts and returned claims can be edited.
 * - endorse: a supervisor in the claiming unit who is not the claimant. The domain says "the
 *   claimant's supervisor"; line management is not recorded in the vault, so the unit stands
 *   for it. The same supervisor may instead return the claim with a reason (a supervisor who
 *   will not endorse has to be able to send it back; docs/specification.md is silent on this step).
 * - validate, return, reject: an independent validator: the validator role, not the claimant,
 *   not the endorser, and in a recorded unit other than the claiming unit. A validator whose
 *   unit is not recorded is refused: independence cannot be shown. The claiming unit is typed on
 *   the claim, so the validator must also be from a unit other than the one the claimant is
 *   recorded in (`claimantUnit`, read by main with the claim): a colleague of the claimant
 *   cannot validate a claim made "for" another unit.
 * - Units are compared as typed, ignoring case and spacing: "Gangs Unit" is "gangs  unit".
 * - durability review: due six calendar months after validation (31 August validated gives
 *   28 or 29 February); done once, on or after the due date, by an independent validator under
 *   the same rules. It confirms the level, or downgrades or upgrades it with a reason.
 * - Reasons are required to return, reject, downgrade or upgrade.
 * Administrators and read-only users take no part: administration is not a say over claims.
 *
 * Pure: `today` is a parameter (the UK calendar day of the request) and is stamped on the step.
 */
import { addMonths, compareIsoDates, formatUkDate, isIsoDate } from './dates';
import { abilitiesOfRole } from './permissions';
import {
  LEVEL_RANK,
  type Role,
  type DisruptionLevel,
  type DisruptionStatus,
  type DurabilityOutcome,
} from './vocabulary';

export type ActorRole = Role;

export interface Actor {
  id: string;
  role: ActorRole;
  /** The actor's unit; null when not recorded. */
  unit: string | null;
}

export interface WorkflowRecord {
  status: DisruptionStatus;
  claimantId: string;
  claimingUnit: string;
  /**
   * The unit the claimant is recorded in now, as main reads it with the claim; null or absent
   * when none is recorded (then only the claiming unit is compared).
   */
  claimantUnit?: string | null;
  /** The claimed level, which is the validated level once validated. */
  level: DisruptionLevel;
  submittedOn?: string | null;
  endorsedBy?: string | null;
  endorsedOn?: string | null;
  validatedBy?: string | null;
  validatedOn?: string | null;
  returnedOn?: string | null;
  rejectedOn?: string | null;
  /** The reason for the latest return or rejection. */
  decisionReason?: string | null;
  durabilityDueOn?: string | null;
  durabilityOutcome?: DurabilityOutcome | null;
  levelAfterReview?: DisruptionLevel | null;
  reviewedBy?: string | null;
  reviewedOn?: string | null;
  reviewReason?: string | null;
}

export type WorkflowAction =
  | { type: 'edit' }
  | { type: 'submit' }
  | { type: 'endorse' }
  | { type: 'validate' }
  | { type: 'return'; reason: string }
  | { type: 'reject'; reason: string }
  | { type: 'review'; outcome: 'confirmed'; reason?: string }
  | { type: 'review'; outcome: 'downgraded' | 'upgraded'; level: DisruptionLevel; reason: string };

export type WorkflowActionType = WorkflowAction['type'];

export type TransitionResult<T extends WorkflowRecord = WorkflowRecord> =
  | { ok: true; next: T }
  | { ok: false; reason: string };

export interface TransitionOptions {
  /**
   * False when the caller does not hold the units main compares: the screens, which ask this
   * function which actions to offer. The unit rules are then passed over, so the action is
   * offered and main, which reads both people's units at the request, gives its own reason if
   * it refuses. Main always judges with the units (the default).
   */
  areUnitsKnown?: boolean;
}

/** Months from validation to the durability review. */
export const DURABILITY_REVIEW_MONTHS = 6;

const STATUS_LABELS: Readonly<Record<DisruptionStatus, string>> = {
  draft: 'a draft',
  submitted: 'a submitted claim',
  endorsed: 'an endorsed claim',
  validated: 'a validated claim',
  returned: 'a returned claim',
  rejected: 'a rejected claim',
};

const ACTION_VERBS: Readonly<Record<WorkflowActionType, string>> = {
  edit: 'edited',
  submit: 'submitted',
  endorse: 'endorsed',
  validate: 'validated',
  return: 'returned',
  reject: 'rejected',
  review: 'given a durability review',
};

/** The states each action starts from; a claim anywhere else has moved past it. */
const STARTS_FROM: Readonly<Record<WorkflowActionType, readonly DisruptionStatus[]>> = {
  edit: ['draft', 'returned'],
  submit: ['draft', 'returned'],
  endorse: ['submitted'],
  return: ['submitted', 'endorsed'],
  validate: ['endorsed'],
  reject: ['endorsed'],
  review: ['validated'],
};

/**
 * True when the claim is no longer where `action` starts from, or its durability review is
 * already recorded: someone acted first, or the screen is out of date. Main answers such a
 * refusal as a conflict rather than as forbidden.
 */
export function hasMovedPast(record: WorkflowRecord, action: WorkflowActionType): boolean {
  return !(STARTS_FROM[action] ?? []).includes(record.status) || (action === 'review' && Boolean(record.durabilityOutcome));
}

/** Units are compared as typed, ignoring case and spacing: "Gangs Unit" is "gangs  unit". */
function normaliseUnit(unit: string): string {
  return unit.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A unit as compared, or null when none is recorded. */
function unitKey(unit: string | null | undefined): string | null {
  const key = normaliseUnit(unit ?? '');
  return key === '' ? null : key;
}

function isSameUnit(a: string | null | undefined, b: string | null | undefined): boolean {
  const key = unitKey(a);
  return key !== null && key === unitKey(b);
}

/** The durability review falls due this many calendar months after validation. */
export function durabilityDueOn(validatedOn: string): string {
  return addMonths(validatedOn, DURABILITY_REVIEW_MONTHS);
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function hasReason(reason: unknown): reason is string {
  return typeof reason === 'string' && reason.trim().length > 0;
}

/** Why this actor may not make the claimant's own moves, or null when they may. */
function claimantProblem(record: WorkflowRecord, actor: Actor): string | null {
  if (actor.id !== record.claimantId) return 'Only the claimant can change or submit this claim.';
  if (!abilitiesOfRole(actor.role).canKeep) return 'Claims are made by analysts and supervisors.';
  return null;
}

function endorserProblem(record: WorkflowRecord, actor: Actor, areUnitsKnown: boolean): string | null {
  if (actor.role !== 'supervisor') return 'Only a supervisor can endorse or return a submitted claim.';
  if (actor.id === record.claimantId) return 'The claimant cannot endorse their own claim.';
  if (areUnitsKnown && !isSameUnit(actor.unit, record.claimingUnit)) {
    return "Only a supervisor in the claimant's unit can endorse or return this claim.";
  }
  return null;
}

function validatorProblem(record: WorkflowRecord, actor: Actor, areUnitsKnown: boolean): string | null {
  if (actor.role !== 'validator') return 'Only a validator can do this.';
  if (actor.id === record.claimantId) return 'The claimant cannot validate or review their own claim.';
  if (record.endorsedBy && actor.id === record.endorsedBy) {
    return 'The endorsing supervisor cannot also validate or review the claim.';
  }
  if (!areUnitsKnown) return null;
  if (unitKey(actor.unit) === null) {
    return 'Your unit is not recorded, so your independence from the claiming unit cannot be shown.';
  }
  if (isSameUnit(actor.unit, record.claimingUnit)) {
    return 'A validator from the claiming unit is not independent; someone from another unit must do this.';
  }
  return null;
}

/**
 * Why a validator in the claimant's own recorded unit may not take a step the rules above
 * allow, or null. Asked once everything else has said yes, so a step refused for any other
 * reason (not yet due, no reason given) gives that reason first.
 */
function claimantUnitProblem(record: WorkflowRecord, actor: Actor): string | null {
  if (actor.role !== 'validator' || !isSameUnit(record.claimantUnit, actor.unit)) return null;
  return "A validator from the claimant's own unit is not independent; someone from another unit must do this.";
}

/** The latest day already stamped on the record; a new step may not be dated before it. */
function latestStep(record: WorkflowRecord): string | null {
  const days = [
    record.submittedOn,
    record.endorsedOn,
    record.validatedOn,
    record.returnedOn,
    record.rejectedOn,
    record.reviewedOn,
  ].filter((d): d is string => typeof d === 'string' && isIsoDate(d));
  return days.reduce<string | null>((a, b) => (a === null || compareIsoDates(b, a) > 0 ? b : a), null);
}

/**
 * Apply `action` by `actor` on `today` to a claim. Returns the next record (a new object; the
 * input is not changed) or the reason it is refused, in a sentence for the user. The screens
 * call it too, without keeping `next`, to decide which actions to offer.
 */
export function transition<T extends WorkflowRecord>(
  record: T,
  action: WorkflowAction,
  actor: Actor,
  today: string,
  options: TransitionOptions = {},
): TransitionResult<T> {
  const areUnitsKnown = options.areUnitsKnown !== false;
  const result = decide(record, action, actor, today, areUnitsKnown);
  if (!result.ok || !areUnitsKnown) return result;
  const problem = claimantUnitProblem(record, actor);
  return problem ? refuse(problem) : result;
}

function decide<T extends WorkflowRecord>(
  record: T,
  action: WorkflowAction,
  actor: Actor,
  today: string,
  areUnitsKnown: boolean,
): TransitionResult<T> {
  if (!isIsoDate(today)) return refuse(`"${today}" is not a real date written YYYY-MM-DD.`);
  // Main passes stored rows and parsed input; these guards keep a bad row from slipping through.
  if (!Object.hasOwn(STATUS_LABELS, record.status)) return refuse(`Unknown claim status "${record.status}".`);
  if (!Object.hasOwn(ACTION_VERBS, action.type)) return refuse(`Unknown action "${action.type}".`);
  const latest = latestStep(record);
  if (latest && compareIsoDates(today, latest) < 0) {
    return refuse(
      `This claim already has a step dated ${formatUkDate(latest)}; a later step cannot be dated before it.`,
    );
  }
  const status = record.status;
  if (!STARTS_FROM[action.type].includes(status)) {
    return refuse(`${capitalise(STATUS_LABELS[status])} cannot be ${ACTION_VERBS[action.type]}.`);
  }

  switch (action.type) {
    case 'edit':
    case 'submit': {
      const problem = claimantProblem(record, actor);
      if (problem) return refuse(problem);
      if (action.type === 'edit') return { ok: true, next: { ...record } };
      // A resubmitted claim goes round again: the earlier endorsement was of the old wording.
      return {
        ok: true,
        next: {
          ...record,
          status: 'submitted',
          submittedOn: today,
          endorsedBy: null,
          endorsedOn: null,
          returnedOn: null,
          decisionReason: null,
        },
      };
    }

    case 'endorse': {
      const problem = endorserProblem(record, actor, areUnitsKnown);
      if (problem) return refuse(problem);
      return { ok: true, next: { ...record, status: 'endorsed', endorsedBy: actor.id, endorsedOn: today } };
    }

    case 'validate':
    case 'reject':
    case 'return': {
      if (action.type === 'return' && status === 'submitted') {
        const problem = endorserProblem(record, actor, areUnitsKnown);
        if (problem) return refuse(problem);
        if (!hasReason(action.reason)) return refuse('Give a reason for returning the claim.');
        return {
          ok: true,
          next: { ...record, status: 'returned', returnedOn: today, decisionReason: action.reason.trim() },
        };
      }
      const problem = validatorProblem(record, actor, areUnitsKnown);
      if (problem) return refuse(problem);
      if (action.type === 'validate') {
        return {
          ok: true,
          next: {
            ...record,
            status: 'validated',
            validatedBy: actor.id,
            validatedOn: today,
            durabilityDueOn: durabilityDueOn(today),
          },
        };
      }
      if (!hasReason(action.reason)) {
        return refuse(`Give a reason for ${action.type === 'return' ? 'returning' : 'rejecting'} the claim.`);
      }
      return action.type === 'return'
        ? {
            ok: true,
            next: { ...record, status: 'returned', returnedOn: today, decisionReason: action.reason.trim() },
          }
        : {
            ok: true,
            next: { ...record, status: 'rejected', rejectedOn: today, decisionReason: action.reason.trim() },
          };
    }

    case 'review': {
      if (record.durabilityOutcome) {
        return refuse('The durability review of this claim has already been recorded.');
      }
      const problem = validatorProblem(record, actor, areUnitsKnown);
      if (problem) return refuse(problem);
      const due = reviewDueOn(record);
      if (!due) return refuse('This claim has no validation date, so its review date is unknown.');
      if (compareIsoDates(today, due) < 0) {
        return refuse(`The durability review is not due until ${formatUkDate(due)}.`);
      }
      const reviewed = { durabilityDueOn: due, reviewedBy: actor.id, reviewedOn: today };
      if (action.outcome === 'confirmed') {
        return {
          ok: true,
          next: {
            ...record,
            ...reviewed,
            durabilityOutcome: 'confirmed',
            levelAfterReview: record.level,
            reviewReason: hasReason(action.reason) ? action.reason.trim() : null,
          },
        };
      }
      if (!Object.hasOwn(LEVEL_RANK, action.level)) return refuse(`Unknown level "${action.level}".`);
      const change = LEVEL_RANK[action.level] - LEVEL_RANK[record.level];
      if (action.outcome === 'downgraded' && change >= 0) {
        return refuse(`A downgrade needs a level below ${record.level}.`);
      }
      if (action.outcome === 'upgraded' && change <= 0) {
        return refuse(`An upgrade needs a level above ${record.level}.`);
      }
      if (!hasReason(action.reason)) {
        const verb = action.outcome === 'downgraded' ? 'downgrading' : 'upgrading';
        return refuse(`Give a reason for ${verb} the level.`);
      }
      return {
        ok: true,
        next: {
          ...record,
          ...reviewed,
          durabilityOutcome: action.outcome,
          levelAfterReview: action.level,
          reviewReason: action.reason.trim(),
        },
      };
    }
  }
  return refuse('Unknown action.');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The day a claim's durability review falls due: as stored, else six months after validation; null when neither is known. */
export function reviewDueOn(record: WorkflowRecord): string | null {
  return record.durabilityDueOn ?? (record.validatedOn ? durabilityDueOn(record.validatedOn) : null);
}

/**
 * True when the durability review is due on `today` and not yet recorded (for the queue): the
 * claims whose review `transition` would accept today, as far as the date goes.
 */
export function isDurabilityReviewDue(record: WorkflowRecord, today: string): boolean {
  if (record.status !== 'validated' || record.durabilityOutcome) return false;
  const due = reviewDueOn(record);
  return due !== null && compareIsoDates(due, today) <= 0;
}
