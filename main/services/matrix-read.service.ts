/**
 * Read models for the matrix screens. Opening a record (network card, person) is a consultation
 * and is written to the audit log, with the person's reason when the record is restricted
 * (consultation.service.ts); lists record one entry per view.
 */
import { VaultError } from '../vault/errors';
import { listAudit } from '../audit/audit';
import { getNetwork, listNetworks, relatedRecordIds } from '../store/networks.repo';
import { dateOfBirthOf, getPerson, listPeople } from '../store/people.repo';
import { listIntelligenceForNetwork } from '../store/intelligence.repo';
import { listMembersOfNetwork, listMembershipsOfPerson, liveLinkCountsByPerson, liveMemberBirthDates } from '../store/memberships.repo';
import { listOffencesForNetwork } from '../store/offences.repo';
import { listRatings } from '../store/ratings.repo';
import { confirmedFlaggedPeople, currentPersonFlagStatuses, flagSubjectLabel, listFlags } from '../store/flags.repo';
import { readRestrictedKinds } from '../store/settings.repo';
import { restrictionsOf } from '../domain/restricted-records';
import { recordConsultation } from './consultation.service';
import { cardAuditActions } from '../../preload/contract/consultations';
import { listOverrides } from '../store/overrides.repo';
import { getStoredScore, listHistory, listStoredScores, previousScores } from '../store/scores.repo';
import { computeScores, computeScoreSummaries } from './scoring.service';
import { referenceData, weightTable } from './reference.service';
import { isFlagDueForReview, isReviewOverdue, isUnder18 } from '../domain/register-rules';
import type { Session } from './session';
import type { Db } from '../vault/database';
import type { MatrixRow, NetworkCard, Role } from '../../preload/contract';
import { ukToday } from '../../preload/contract/uk-time';

type Band = MatrixRow['band'];
type Confidence = MatrixRow['confidence'];

/**
 * Every network with its score as of a day (today unless `asOf` is given). A stored score is used
 * when it is as of that day; any other network is rescored for that day in memory (nothing
 * stored). A stored score can be as of another day: a full rescore as of a past date stores
 * that date's scores, and scores are stored as of the day of the last change, so without this
 * check the matrix would show another day's scores as if they were the requested day's.
 */
export function matrix(s: Session, asOf?: string): MatrixRow[] {
  const rows = matrixRows(s, asOf);
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'matrix', entityId: null, summary: `Matrix viewed${asOf ? ` as of ${asOf}` : ''}` }));
  return rows;
}

/** The matrix's rows as `matrix` gives them, read only: the caller records why they were read (a view, an export). */
export function matrixRows(s: Session, asOf?: string): MatrixRow[] {
  s.requireUser();
  const db = s.vault!.db;
  const day = ukToday(s.ctx.now());
  const networks = listNetworks(db);
  const under18 = new Map<string, number>();
  for (const [networkId, dateOfBirth] of liveMemberBirthDates(db)) {
    if (isUnder18(dateOfBirth, day)) under18.set(networkId, (under18.get(networkId) ?? 0) + 1);
  }
  const prev = previousScores(db);
  const target = asOf ?? day;
  const scores = new Map<string, { asOf: string; score: number; ehPts: number; ahPts: number; capPts: number; band: string; effectiveBand: string; confidence: string }>();
  for (const x of listStoredScores(db)) if (x.asOf === target) scores.set(x.networkId, x);
  const missing = networks.filter((n) => !scores.has(n.id)).map((n) => n.id);
  if (missing.length > 0) {
    for (const [id, h] of computeScoreSummaries(db, missing.length === networks.length ? null : missing, target)) scores.set(id, h);
  }
  return networks.map((n) => {
    const sc = scores.get(n.id);
    const before = prev.get(n.id);
    return {
      id: n.id,
      reference: n.reference,
      name: n.name,
      type: n.type,
      status: n.status,
      band: (sc?.effectiveBand ?? 'below_threshold') as Band,
      computedBand: (sc?.band ?? 'below_threshold') as Band,
      score: sc?.score ?? 0,
      ehPts: sc?.ehPts ?? 0,
      ahPts: sc?.ahPts ?? 0,
      capPts: sc?.capPts ?? 0,
      confidence: (sc?.confidence ?? 'low') as Confidence,
      trend: sc && before !== undefined ? sc.score - before : null,
      leadBorough: n.leadBorough,
      otherBoroughCount: n.otherBoroughs.length,
      businessGroup: n.businessGroup,
      unit: n.unit,
      leadOfficer: n.leadOfficer,
      nextReviewOn: n.nextReviewOn,
      isOverdue: isReviewOverdue(n.nextReviewOn, day),
      under18LinkCount: under18.get(n.id) ?? 0,
      asOf: sc?.asOf ?? day,
    };
  });
}

/**
 * Everything the network card shows. Opening it is a consultation; a network is restricted when
 * it holds a restricted member link or item, and then opens only with a reason (`reason_required`).
 */
export function networkCard(s: Session, id: string, reason?: string): NetworkCard {
  const user = s.requireUser();
  const db = s.vault!.db;
  const n = getNetwork(db, id);
  if (!n) throw new VaultError('not_found', 'That network was not found.');
  const day = ukToday(s.ctx.now());
  const memberRows = listMembersOfNetwork(db, id);
  const intelligence = listIntelligenceForNetwork(db, id);
  const flagged = confirmedFlaggedPeople(db, memberRows.map((m) => m.personId));
  const restrictions = restrictionsOf(
    {
      people: memberRows.map((m) => ({ dateOfBirth: m.dateOfBirth, isFlagged: flagged.has(m.personId) })),
      linkRoles: memberRows.map((m) => m.role),
      handlingCodes: intelligence.map((i) => i.handling),
    },
    day,
    readRestrictedKinds(db),
  );
  recordConsultation(s, { entityType: 'network', entityId: id, summary: `Network ${n.reference} opened`, restrictions }, reason);
  // The explanation of the stored score, recomputed from the records as of the same day (pure and
  // deterministic, so it is the explanation of exactly that score).
  const stored = getStoredScore(db, id);
  const explanation = computeScores(db, [id], stored?.asOf ?? day).get(id)?.explanation ?? null;
  // The record's trail includes its links, flags and override requests, which are audited under
  // their own ids.
  const related = relatedRecordIds(db, id);

  const members = memberRows.map((m) => ({
    ...m,
    isUnder18: isUnder18(m.dateOfBirth, day),
    isOverdue: m.status !== 'ended' && isReviewOverdue(m.reviewOn, day),
  }));
  return {
    network: { ...n, isOverdue: isReviewOverdue(n.nextReviewOn, day) },
    explanation,
    history: listHistory(db, id),
    members,
    offences: listOffencesForNetwork(db, id),
    intelligence,
    ratings: listRatings(db, id),
    flags: listFlags(db, { networkId: id }),
    overrides: listOverrides(db, id),
    audit: cardAudit(db, user.role, [id, ...related]),
  };
}

/**
 * The record's trail as this role may see it (preload/contract/consultations.ts): filtered in
 * the query, so the newest 500 entries a role may see are all there for it.
 */
function cardAudit(db: Db, role: Role, entityIds: string[]) {
  const actions = cardAuditActions(role);
  if (actions !== 'all' && actions.length === 0) return [];
  return listAudit(db, { entityIds, limit: 500, ...(actions === 'all' ? {} : { actions }) });
}

export function people(s: Session) {
  s.requireUser();
  const db = s.vault!.db;
  const day = ukToday(s.ctx.now());
  const linkCounts = liveLinkCountsByPerson(db);
  const flagged = currentPersonFlagStatuses(db);
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'people', entityId: null, summary: 'People list viewed' }));
  return listPeople(db).map((p) => ({
    id: p.id,
    reference: p.reference,
    name: p.name,
    dateOfBirth: p.dateOfBirth,
    isUnder18: isUnder18(p.dateOfBirth, day),
    sex: p.sex,
    linkCount: linkCounts.get(p.id) ?? 0,
    flagStatus: flagged.get(p.id) ?? null,
  }));
}

/** A person's record, links and flags. Opening it is a consultation; a restricted person needs a reason. */
export function personCard(s: Session, id: string, reason?: string) {
  s.requireUser();
  const db = s.vault!.db;
  const p = getPerson(db, id);
  if (!p) throw new VaultError('not_found', 'That person was not found.');
  const day = ukToday(s.ctx.now());
  const memberships = listMembershipsOfPerson(db, id);
  const flags = listFlags(db, { subjectId: id });
  const restrictions = restrictionsOf(
    {
      people: [{ dateOfBirth: p.dateOfBirth, isFlagged: flags.some((f) => f.subjectType === 'person' && f.status === 'confirmed') }],
      linkRoles: memberships.map((m) => m.role),
      handlingCodes: [],
    },
    day,
    readRestrictedKinds(db),
  );
  recordConsultation(s, { entityType: 'person', entityId: id, summary: `Person ${p.reference} opened`, restrictions }, reason);
  return { person: { ...p, isUnder18: isUnder18(p.dateOfBirth, day) }, memberships, flags };
}

/** Flags with a readable subject; `queue` gives what a supervisor must act on. */
export function flags(s: Session, view: 'all' | 'queue') {
  s.requireUser();
  const db = s.vault!.db;
  const day = ukToday(s.ctx.now());
  const rows = listFlags(db)
    .map((f) => ({
      ...f,
      subjectLabel: flagSubjectLabel(db, f.subjectType, f.subjectId),
      isUnder18: f.subjectType === 'person' && isUnder18(dateOfBirthOf(db, f.subjectId), day),
      isDueForReview: isFlagDueForReview(f.status, f.reviewOn, day),
    }))
    .filter((f) => view === 'all' || f.status === 'proposed' || f.isDueForReview);
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'gang_flags', entityId: null, summary: view === 'queue' ? 'Flags queue viewed' : 'Flags list viewed' }));
  return rows;
}

/** Reference lists for forms and labels. */
export function reference() {
  const r = referenceData();
  const w = weightTable();
  return {
    boroughs: r.boroughs.items.map((b) => ({ code: b.code, name: b.name })),
    businessGroups: r.businessGroups.items.map((b) => ({ code: b.code, name: b.name })),
    definitions: r.definitions.items.map((d) => ({ id: d.id, label: d.label, definition: d.definition })),
    definitionsVersion: r.definitions.version,
    weightTable: { id: w.id, version: w.version },
    categories: r.weights[w.id]!.weights.map((c) => ({ id: c.category, label: c.label, weight: c.weight })),
  };
}
