/**
 * The reads the returns make (docs/specification.md, "Returns and exports"): only the fields the corporate
 * return and the meeting pack use. No claimant, narrative or operation name; no network name or
 * alias (free text that returns never carry); people only for their dates of birth, to count
 * under-18 links per network.
 *
 * The larger reads come back as row tuples, iterated: at force scale they run over tens of
 * thousands of rows, and the returns need each row once.
 */
import type { Outcomes } from '../../preload/contract/schemas/disruptions';
import type { DisruptionLevel, DisruptionStatus, DurabilityOutcome } from '../../preload/contract/vocabulary';
import type { Band, EvidentialStage, WeaponInvolved } from '../domain/scoring';
import type { Db } from '../vault/database';

export interface ReturnDisruptionRow {
  id: string;
  reference: string;
  primaryNetworkId: string;
  otherNetworkIds: string[];
  partnerReference: string | null;
  claimingBusinessGroup: string;
  status: DisruptionStatus;
  validatedOn: string | null;
  rejectedOn: string | null;
  activityStart: string;
  activityEnd: string;
  level: DisruptionLevel;
  claimedLevel: DisruptionLevel;
  durabilityOutcome: DurabilityOutcome | null;
  levelAfterReview: DisruptionLevel | null;
  reviewedOn: string | null;
  submittedOn: string | null;
  endorsedOn: string | null;
  durabilityDueOn: string | null;
  /** Empty unless asked for. */
  outcomes: Partial<Outcomes>;
}

interface RawDisruption {
  id: string;
  reference: string;
  primary_network_id: string;
  partner_reference: string | null;
  claiming_business_group: string;
  status: DisruptionStatus;
  validated_on: string | null;
  rejected_on: string | null;
  activity_start: string;
  activity_end: string;
  level: DisruptionLevel;
  claimed_level: DisruptionLevel;
  durability_outcome: DurabilityOutcome | null;
  level_after_review: DisruptionLevel | null;
  reviewed_on: string | null;
  submitted_on: string | null;
  endorsed_on: string | null;
  durability_due_on: string | null;
  outcomes?: string;
}

const DISRUPTION_COLUMNS = [
  'id', 'reference', 'primary_network_id', 'partner_reference', 'claiming_business_group', 'status', 'validated_on', 'rejected_on', 'activity_start', 'activity_end',
  'level', 'claimed_level', 'durability_outcome', 'level_after_review', 'reviewed_on', 'submitted_on', 'endorsed_on', 'durability_due_on',
];

/**
 * Every disruption, by reference. Outcomes (a JSON document each) are read and parsed only when
 * asked for: the meeting pack has no use for them.
 */
export function listReturnDisruptions(db: Db, withOutcomes: boolean): ReturnDisruptionRow[] {
  const others = new Map<string, string[]>();
  for (const [d, n] of db.prepare('SELECT disruption_id, network_id FROM disruption_networks WHERE is_primary = 0 ORDER BY disruption_id, network_id').raw().iterate() as IterableIterator<[string, string]>) {
    const list = others.get(d);
    if (list) list.push(n);
    else others.set(d, [n]);
  }
  const columns = withOutcomes ? [...DISRUPTION_COLUMNS, 'outcomes'] : DISRUPTION_COLUMNS;
  const rows = db.prepare(`SELECT ${columns.join(', ')} FROM disruptions ORDER BY reference`).all() as RawDisruption[];
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    primaryNetworkId: r.primary_network_id,
    otherNetworkIds: others.get(r.id) ?? [],
    partnerReference: r.partner_reference,
    claimingBusinessGroup: r.claiming_business_group,
    status: r.status,
    validatedOn: r.validated_on,
    rejectedOn: r.rejected_on,
    activityStart: r.activity_start,
    activityEnd: r.activity_end,
    level: r.level,
    claimedLevel: r.claimed_level,
    durabilityOutcome: r.durability_outcome,
    levelAfterReview: r.level_after_review,
    reviewedOn: r.reviewed_on,
    submittedOn: r.submitted_on,
    endorsedOn: r.endorsed_on,
    durabilityDueOn: r.durability_due_on,
    outcomes: r.outcomes === undefined ? {} : (JSON.parse(r.outcomes) as Partial<Outcomes>),
  }));
}

export interface ReturnNetworkRow {
  id: string;
  reference: string;
  status: string;
  type: string;
  businessGroup: string;
  unit: string;
  leadOfficer: string;
  planStatus: string;
  nextReviewOn: string;
  createdAt: string;
}

interface RawNetwork {
  id: string;
  reference: string;
  status: string;
  type: string;
  business_group: string;
  unit: string;
  lead_officer: string;
  plan_status: string;
  next_review_on: string;
  created_at: string;
}

/** Every network, by reference, without its name or aliases. */
export function listReturnNetworks(db: Db): ReturnNetworkRow[] {
  const rows = db.prepare('SELECT id, reference, status, type, business_group, unit, lead_officer, plan_status, next_review_on, created_at FROM networks ORDER BY reference').all() as RawNetwork[];
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    status: r.status,
    type: r.type,
    businessGroup: r.business_group,
    unit: r.unit,
    leadOfficer: r.lead_officer,
    planStatus: r.plan_status,
    nextReviewOn: r.next_review_on,
    createdAt: r.created_at,
  }));
}

/** [network id, when, summary] */
export type ReviewEntry = [string, string, string];

/**
 * The audit entries that may record a network review ("Network <reference> reviewed"). The LIKE
 * narrows the read; the caller matches each summary against the network's own reference.
 */
export function networkReviewEntries(db: Db): IterableIterator<ReviewEntry> {
  return db
    .prepare("SELECT entity_id, at, summary FROM audit_log WHERE action = 'alter' AND entity_type = 'network' AND summary LIKE 'Network % reviewed'")
    .raw()
    .iterate() as IterableIterator<ReviewEntry>;
}

/** [network id, offence id, category, offence date, stage, weapon] */
export type NetworkOffenceTuple = [string, string, string, string, EvidentialStage, WeaponInvolved];

/**
 * The given networks' confirmed offences dated after `after` and up to `asOf`, at one of the
 * stages given. network_offences (schema 0040) holds each network's confirmed offences together,
 * so this reads one short range a network rather than finding each offence by id.
 */
export function confirmedOffencesBetween(db: Db, ids: readonly string[], after: string, asOf: string, stages: readonly EvidentialStage[]): IterableIterator<NetworkOffenceTuple> {
  return db
    .prepare(
      `SELECT network_id, offence_id, category, offence_date, stage, weapon FROM network_offences
       WHERE network_id IN (SELECT value FROM json_each(@ids))
         AND offence_date > @after AND offence_date <= @asOf AND stage IN (SELECT value FROM json_each(@stages))`,
    )
    .raw()
    .iterate({ ids: JSON.stringify(ids), after, asOf, stages: JSON.stringify(stages) }) as IterableIterator<NetworkOffenceTuple>;
}

/** [network id, member role, date of birth] */
export type BirthDateLink = [string, string, string];

/** Every member link not ended whose person has a date of birth: the under-18 counts' input. */
export function liveLinksWithBirthDates(db: Db): IterableIterator<BirthDateLink> {
  return db
    .prepare("SELECT m.network_id, m.role, p.date_of_birth FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.status <> 'ended' AND p.date_of_birth IS NOT NULL")
    .raw()
    .iterate() as IterableIterator<BirthDateLink>;
}

/** [network id, band, expires on] */
export type ApprovedOverride = [string, Band, string];

/** Approved band overrides approved before an instant, oldest approval first (so the last one per network wins). */
export function overridesApprovedBefore(db: Db, beforeIso: string): IterableIterator<ApprovedOverride> {
  return db
    .prepare("SELECT network_id, band, expires_on FROM band_overrides WHERE status = 'approved' AND approved_at < ? ORDER BY approved_at")
    .raw()
    .iterate(beforeIso) as IterableIterator<ApprovedOverride>;
}
