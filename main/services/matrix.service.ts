/**
 * Matrix use cases (docs/specification.md, "Core records", "Governance the software enforces"). Every write
 * runs in one transaction with its audit entry and, where a score depends on it, the rescore of
 * the networks affected, so the stored score always matches the records.
 *
 * Rules enforced here, whatever the renderer sends (the register's rules are stated once, in
 * domain/register-rules.ts, which the import applies too):
 * - a member link (other than victim / at risk) needs two or more graded intelligence items from
 *   distinct sources, or a self-admission; nobody is linked on association alone;
 * - a victim / at-risk link is safeguarding only: it never feeds a score (scores.repo.ts reads no
 *   membership at all) and is marked as such;
 * - review dates on the retention policy's cycles (services/policy.service.ts): member links 6
 *   months (3 for under-18s), networks 12 months; no date past its policy ceiling;
 * - nobody under the policy's minimum age (10) on the link's date is linked other than as victim /
 *   at risk, or flagged; a link for a person under 18 is proposed, and confirmed only by a
 *   supervisor other than the person who proposed it;
 * - correcting a date of birth re-dates that person's current reviews;
 * - an offence → network link needs a rationale and at least one graded intelligence item;
 * - a gang flag is confirmed only by a supervisor who did not propose it, and only when its
 *   criteria are met; a person whose only link is victim / at risk is never flagged; a confirmed
 *   flag on an offence proposes an offence → network link for an analyst to confirm;
 * - a band override needs a reason, an expiry within the policy's longest override, and approval
 *   by a supervisor who is not its author.
 */
import { randomUUID } from 'node:crypto';
import type {
  FlagDraft,
  IntelligenceDraft,
  MembershipDraft,
  NetworkDraft,
  OffenceDraft,
  OffenceLinkDraft,
  OverrideDraft,
  PersonDraft,
  RatingDraft,
} from '../../preload/contract/schemas/matrix';
import { MEMBER_ROLE_LABELS } from '../../preload/contract/vocabulary';
import {
  flagDraft,
  intelligenceDraft,
  membershipDraft,
  networkDraft,
  offenceDraft,
  offenceLinkDraft,
  overrideDraft,
  personDraft,
  ratingDraft,
} from '../../preload/contract/schemas/matrix';
import { compareIsoDates } from '../../preload/contract/dates';
import {
  ageFloorRefusal,
  FLAG_CRITERIA_REFUSAL,
  FLAG_LINK_RATIONALE,
  flagCriteria,
  flagReviewOn,
  gradingFields,
  isFlagCriteriaMet,
  isOffenceLinkSupported,
  isUnder18,
  isVictimOnly,
  memberLinkBasis,
  memberLinkBasisRefusal,
  memberReviewMonths,
  memberReviewOn,
  networkReviewOn,
  OFFENCE_LINK_SUPPORT_REFUSAL,
  offenceLinkProposedBy,
  otherBoroughsOf,
  redatedFlagReviewOn,
  redatedMemberReviewOn,
  SELF_ADMISSION_CITATION_REFUSAL,
  SELF_CONFIRMED_FLAG_REFUSAL,
  VICTIM_ONLY_FLAG_REFUSAL,
} from '../domain/register-rules';
import { overrideExpiryRefusal, pastDateRefusal, reviewCycles, reviewDateRefusal } from '../domain/retention-policy';
import type { RetentionPolicy } from '../../preload/contract/schemas/policy';
import { fieldRefusal, VaultError } from '../vault/errors';
import type { Db } from '../vault/database';
import { getNetwork, insertNetwork, networkReferenceExists, nextNetworkReference, updateNetwork, type NetworkRecord } from '../store/networks.repo';
import { getPerson, insertPerson, nextPersonReference, personReferenceExists, updatePerson, type PersonRecord } from '../store/people.repo';
import {
  attachIntelligenceToNetwork,
  getIntelligenceMany,
  insertIntelligence,
  intelligenceReferenceExists,
  type IntelligenceRecord,
} from '../store/intelligence.repo';
import { getMembership, insertMembership, listMembershipsOfPerson, liveMembership, setMembershipReviewOn, setMembershipStatus, type MembershipRecord } from '../store/memberships.repo';
import {
  crimeReferenceExists,
  findOffencesByCrimeReference,
  getOffence,
  getOffenceLink,
  insertOffence,
  insertOffenceLink,
  networksOfOffence,
  offenceLinkExists,
  setOffenceLinkStatus,
  updateOffenceStage,
  type OffenceLinkRecord,
  type OffenceRecord,
} from '../store/offences.repo';
import { upsertRating } from '../store/ratings.repo';
import { flagIntelIds, getFlag, hasCurrentFlag, insertFlag, listFlags, updateFlag, type FlagRecord } from '../store/flags.repo';
import { decideOverride as storeDecision, getOverride, insertOverride, type OverrideRecord } from '../store/overrides.repo';
import { findUser } from '../store/users.repo';
import { definitionsVersion, referenceData, weightTable } from './reference.service';
import { rescoreNetworks } from './scoring.service';
import { policyOn } from './policy.service';
import type { AuditFn, Session } from './session';
import { ukToday } from '../../preload/contract/uk-time';

function today(s: Session): string {
  return ukToday(s.ctx.now());
}

function nowIso(s: Session): string {
  return s.ctx.now().toISOString();
}

/** Write, audit and rescore the affected networks in one transaction. */
function change<T>(s: Session, fn: (db: Db, audit: AuditFn, touch: (networkId: string) => void) => T): T {
  return s.write((db, audit) => {
    const touched = new Set<string>();
    const result = fn(db, audit, (id) => touched.add(id));
    if (touched.size > 0) rescoreNetworks(db, [...touched], today(s), s.ctx.now());
    return result;
  });
}

/** The retention policy in force today. */
function policyToday(s: Session, db: Db): RetentionPolicy {
  return policyOn(db, today(s));
}

/** A review date about to be set, checked against its ceiling (the longest cycle that applies). */
function checkedReviewOn(reviewOn: string, day: string, months: number): string {
  const refusal = reviewDateRefusal(reviewOn, day, months);
  if (refusal) throw fieldRefusal('reviewOn', refusal);
  return reviewOn;
}

/** A date of something that has happened, as entered: not in the future, not before 1900. */
function checkPastDate(field: string, what: string, day: string, todayIs: string): void {
  const refusal = pastDateRefusal(what, day, todayIs);
  if (refusal) throw fieldRefusal(field, refusal);
}

function requireNetwork(db: Db, id: string): NetworkRecord {
  const n = getNetwork(db, id);
  if (!n) throw new VaultError('not_found', 'That network was not found.');
  return n;
}

function requirePerson(db: Db, id: string): PersonRecord {
  const p = getPerson(db, id);
  if (!p) throw new VaultError('not_found', 'That person was not found.');
  return p;
}

function requireIntel(db: Db, ids: string[]): IntelligenceRecord[] {
  const unique = [...new Set(ids)];
  const items = getIntelligenceMany(db, unique);
  if (items.length !== unique.length) throw new VaultError('not_found', 'One or more of the intelligence items cited were not found.');
  return items;
}

function checkBoroughs(codes: string[]): void {
  const known = new Set(referenceData().boroughs.items.map((b) => b.code));
  if (codes.some((c) => !known.has(c))) throw new VaultError('invalid_input', 'Choose boroughs from the list.');
}

/* ---- Networks ------------------------------------------------------------------------------ */

export function createNetwork(s: Session, input: NetworkDraft): NetworkRecord {
  const d = networkDraft.parse(input);
  checkBoroughs([d.leadBorough, ...d.otherBoroughs]);
  const user = s.requireUser();
  return change(s, (db, audit, touch) => {
    const day = today(s);
    const reference = d.reference ?? nextNetworkReference(db, Number(day.slice(0, 4)));
    if (networkReferenceExists(db, reference)) throw new VaultError('conflict', 'A network with that reference already exists.');
    const n: NetworkRecord = {
      id: randomUUID(),
      reference,
      name: d.name,
      aliases: d.aliases,
      type: d.type,
      definitionsVersion: definitionsVersion(),
      status: d.status,
      leadBorough: d.leadBorough,
      otherBoroughs: otherBoroughsOf(d.leadBorough, d.otherBoroughs),
      businessGroup: d.businessGroup,
      unit: d.unit,
      leadOfficer: d.leadOfficer,
      createdAt: nowIso(s),
      createdBy: user.id,
      lastReviewedOn: null,
      nextReviewOn: checkedReviewOn(networkReviewOn(null, day, reviewCycles(policyToday(s, db))), day, reviewCycles(policyToday(s, db)).networkMonths),
    };
    insertNetwork(db, n);
    audit({ action: 'collect', entityType: 'network', entityId: n.id, summary: `Network ${n.reference} created (${n.type})` });
    touch(n.id);
    return n;
  });
}

export function editNetwork(s: Session, id: string, input: NetworkDraft): NetworkRecord {
  const d = networkDraft.parse(input);
  checkBoroughs([d.leadBorough, ...d.otherBoroughs]);
  s.requireUser();
  return change(s, (db, audit) => {
    const before = requireNetwork(db, id);
    const after: NetworkRecord = {
      ...before,
      name: d.name,
      aliases: d.aliases,
      type: d.type,
      status: d.status,
      leadBorough: d.leadBorough,
      otherBoroughs: otherBoroughsOf(d.leadBorough, d.otherBoroughs),
      businessGroup: d.businessGroup,
      unit: d.unit,
      leadOfficer: d.leadOfficer,
    };
    updateNetwork(db, after);
    const fields: string[] = (['name', 'aliases', 'type', 'status', 'leadBorough', 'businessGroup', 'unit', 'leadOfficer'] as const).filter((k) => before[k] !== after[k]);
    if (before.otherBoroughs.join() !== after.otherBoroughs.join()) fields.push('otherBoroughs');
    audit({ action: 'alter', entityType: 'network', entityId: id, summary: `Network ${before.reference} edited: ${fields.join(', ') || 'no change'}` });
    return after;
  });
}

/* ---- People -------------------------------------------------------------------------------- */

export function createPerson(s: Session, input: PersonDraft): PersonRecord {
  const d = personDraft.parse(input);
  const user = s.requireUser();
  return change(s, (db, audit) => {
    const day = today(s);
    if (d.dateOfBirth && compareIsoDates(d.dateOfBirth, day) > 0) throw fieldRefusal('dateOfBirth', 'The date of birth is in the future.');
    if (d.dateOfBirth) checkPastDate('dateOfBirth', 'The date of birth', d.dateOfBirth, day);
    const reference = d.reference ?? nextPersonReference(db, Number(day.slice(0, 4)));
    if (personReferenceExists(db, reference)) throw new VaultError('conflict', 'A person with that reference already exists.');
    const p: PersonRecord = {
      id: randomUUID(),
      reference,
      name: d.name,
      dateOfBirth: d.dateOfBirth,
      sex: d.sex,
      ethnicitySelf: d.ethnicitySelf,
      ethnicityOfficer: d.ethnicityOfficer,
      createdAt: nowIso(s),
      createdBy: user.id,
    };
    insertPerson(db, p);
    audit({ action: 'collect', entityType: 'person', entityId: p.id, summary: `Person ${p.reference} recorded` });
    return p;
  });
}

/**
 * Edit a person. Correcting the date of birth re-dates their current reviews (member links and
 * confirmed flags) on the cycle for the corrected age: a child's fall due sooner.
 */
export function editPerson(s: Session, id: string, input: PersonDraft): PersonRecord {
  const d = personDraft.parse(input);
  s.requireUser();
  return change(s, (db, audit) => {
    const day = today(s);
    if (d.dateOfBirth && compareIsoDates(d.dateOfBirth, day) > 0) throw fieldRefusal('dateOfBirth', 'The date of birth is in the future.');
    if (d.dateOfBirth) checkPastDate('dateOfBirth', 'The date of birth', d.dateOfBirth, day);
    const before = requirePerson(db, id);
    const after: PersonRecord = { ...before, name: d.name, dateOfBirth: d.dateOfBirth, sex: d.sex, ethnicitySelf: d.ethnicitySelf, ethnicityOfficer: d.ethnicityOfficer };
    updatePerson(db, after);
    let redated = 0;
    if (before.dateOfBirth !== after.dateOfBirth) {
      const cycles = reviewCycles(policyToday(s, db));
      for (const m of listMembershipsOfPerson(db, id)) {
        if (m.status === 'ended' || m.basis === 'safeguarding') continue;
        const reviewOn = redatedMemberReviewOn(m.reviewOn, before.dateOfBirth, after.dateOfBirth, day, cycles);
        if (reviewOn !== m.reviewOn) {
          setMembershipReviewOn(db, m.id, reviewOn);
          redated++;
        }
      }
      for (const f of listFlags(db, { status: 'confirmed', subjectId: id })) {
        if (f.subjectType !== 'person') continue;
        const reviewOn = redatedFlagReviewOn(f.reviewOn, before.dateOfBirth, after.dateOfBirth, day, cycles);
        if (reviewOn !== f.reviewOn) {
          updateFlag(db, { ...f, reviewOn });
          redated++;
        }
      }
    }
    const dob = before.dateOfBirth !== after.dateOfBirth ? `; date of birth corrected, ${redated} review date(s) re-dated` : '';
    audit({ action: 'alter', entityType: 'person', entityId: id, summary: `Person ${before.reference} edited${dob}` });
    return after;
  });
}

/* ---- Intelligence -------------------------------------------------------------------------- */

export function recordIntelligence(s: Session, input: IntelligenceDraft): IntelligenceRecord {
  const d = intelligenceDraft.parse(input);
  const user = s.requireUser();
  return change(s, (db, audit, touch) => {
    if (intelligenceReferenceExists(db, d.reference)) throw new VaultError('conflict', 'An intelligence item with that reference already exists.');
    const i: IntelligenceRecord = {
      id: randomUUID(),
      reference: d.reference,
      itemDate: d.itemDate,
      summary: d.summary,
      ...gradingFields(d),
      sourceRef: d.sourceRef,
      createdAt: nowIso(s),
      createdBy: user.id,
    };
    insertIntelligence(db, i);
    audit({ action: 'collect', entityType: 'intelligence', entityId: i.id, summary: `Intelligence ${i.reference} recorded (${i.grading})` });
    for (const networkId of new Set(d.networkIds)) {
      const n = requireNetwork(db, networkId);
      attachIntelligenceToNetwork(db, networkId, i.id);
      audit({ action: 'combine', entityType: 'network', entityId: networkId, summary: `Intelligence ${i.reference} held against network ${n.reference}` });
      touch(networkId);
    }
    return i;
  });
}

/* ---- Membership links ---------------------------------------------------------------------- */

export function linkPerson(s: Session, input: MembershipDraft): MembershipRecord {
  const d = membershipDraft.parse(input);
  const user = s.requireUser();
  return change(s, (db, audit) => {
    const person = requirePerson(db, d.personId);
    const network = requireNetwork(db, d.networkId);
    if (liveMembership(db, person.id, network.id)) throw new VaultError('conflict', 'This person already has a current link to this network.');
    const day = today(s);
    checkPastDate('startDate', 'The start date', d.startDate, day);
    const policy = policyToday(s, db);
    if (d.role !== 'victim_at_risk') {
      const floor = ageFloorRefusal(person.dateOfBirth, d.startDate, policy.periods.minimumAgeYears.value, 'link');
      if (floor) throw fieldRefusal('startDate', floor);
    }
    const items = requireIntel(db, d.intelIds);
    const basis = memberLinkBasis(d.role, d.isSelfAdmission, items);
    if (basis === null) throw fieldRefusal('intelIds', memberLinkBasisRefusal(d.isSelfAdmission, items));
    const isVictim = basis === 'safeguarding';
    // A child's link (other than for safeguarding) waits for a supervisor who did not propose it.
    const isProposed = !isVictim && isUnder18(person.dateOfBirth, day);
    const cycles = reviewCycles(policy);
    const m: MembershipRecord = {
      id: randomUUID(),
      personId: person.id,
      networkId: network.id,
      role: d.role,
      basis,
      status: isProposed ? 'proposed' : 'confirmed',
      startDate: d.startDate,
      reviewOn: checkedReviewOn(memberReviewOn(person.dateOfBirth, day, day, cycles), day, cycles.memberMonths),
      confirmedBy: isProposed ? null : user.id,
      confirmedAt: isProposed ? null : nowIso(s),
      endedAt: null,
      createdAt: nowIso(s),
      createdBy: user.id,
    };
    insertMembership(db, m, [...new Set(d.intelIds)]);
    audit({
      action: 'combine',
      entityType: 'membership',
      entityId: m.id,
      summary: `Person ${person.reference} ${isProposed ? 'proposed for a link' : 'linked'} to network ${network.reference} as ${MEMBER_ROLE_LABELS[d.role].toLowerCase()}${isVictim ? ' (safeguarding; never scored)' : ''}${isProposed ? ' (under 18: a supervisor other than the proposer confirms)' : ''}`,
    });
    return m;
  });
}

export const SELF_CONFIRMED_LINK_REFUSAL = 'A link for a person under 18 must be confirmed by a supervisor other than the person who proposed it.';

/** A supervisor other than its proposer confirms a proposed member link (a child's). */
export function confirmMembership(s: Session, id: string): MembershipRecord {
  const user = s.requireUser();
  return change(s, (db, audit) => {
    const m = getMembership(db, id);
    if (!m || m.status !== 'proposed') throw new VaultError('conflict', 'Only a proposed link can be confirmed.');
    if (m.createdBy === user.id) throw new VaultError('forbidden', SELF_CONFIRMED_LINK_REFUSAL);
    if (findUser(db, user.id)?.role !== 'supervisor') throw new VaultError('forbidden', 'Only a supervisor can confirm this link.');
    const person = requirePerson(db, m.personId);
    const policy = policyToday(s, db);
    const floor = ageFloorRefusal(person.dateOfBirth, m.startDate, policy.periods.minimumAgeYears.value, 'link');
    if (floor) throw new VaultError('invalid_input', floor);
    const day = today(s);
    const cycles = reviewCycles(policy);
    // The child's review cycle starts when the link is confirmed.
    const reviewOn = checkedReviewOn(memberReviewOn(person.dateOfBirth, day, day, cycles), day, cycles.memberMonths);
    setMembershipStatus(db, id, 'confirmed', user.id, nowIso(s));
    setMembershipReviewOn(db, id, reviewOn);
    audit({ action: 'combine', entityType: 'membership', entityId: id, summary: 'Proposed member link confirmed by a supervisor' });
    return { ...m, status: 'confirmed', confirmedBy: user.id, confirmedAt: nowIso(s), reviewOn };
  });
}

export function endMembership(s: Session, id: string, reason: string): MembershipRecord {
  s.requireUser();
  return change(s, (db, audit) => {
    const m = getMembership(db, id);
    if (!m || m.status === 'ended') throw new VaultError('not_found', 'That link was not found or has already ended.');
    setMembershipStatus(db, id, 'ended', s.user!.id, nowIso(s));
    audit({ action: 'alter', entityType: 'membership', entityId: id, summary: 'Member link ended', justification: reason });
    return { ...m, status: 'ended', endedAt: nowIso(s) };
  });
}

/* ---- Offences and offence links ------------------------------------------------------------- */

export function recordOffence(s: Session, input: OffenceDraft): OffenceRecord {
  const d = offenceDraft.parse(input);
  const user = s.requireUser();
  if (!Object.hasOwn(weightTable().weights, d.category)) {
    throw new VaultError('invalid_input', 'Choose an offence category from the weight table.');
  }
  checkBoroughs([d.borough]);
  return change(s, (db, audit) => {
    if (crimeReferenceExists(db, d.crimeReference)) throw new VaultError('conflict', 'An offence with that crime reference already exists.');
    const o: OffenceRecord = {
      id: randomUUID(),
      crimeReference: d.crimeReference,
      hoCode: d.hoCode,
      category: d.category,
      offenceDate: d.offenceDate,
      borough: d.borough,
      stage: d.stage,
      weapon: d.weapon,
      isVictimUnder20: d.isVictimUnder20,
      createdAt: nowIso(s),
      createdBy: user.id,
    };
    insertOffence(db, o);
    audit({ action: 'collect', entityType: 'offence', entityId: o.id, summary: `Offence ${o.crimeReference} recorded (${o.category}, ${o.stage})` });
    return o;
  });
}

export function setOffenceStage(s: Session, offenceId: string, stage: OffenceRecord['stage']): OffenceRecord {
  s.requireUser();
  return change(s, (db, audit, touch) => {
    const o = getOffence(db, offenceId);
    if (!o) throw new VaultError('not_found', 'That offence was not found.');
    updateOffenceStage(db, offenceId, stage);
    audit({ action: 'alter', entityType: 'offence', entityId: offenceId, summary: `Offence ${o.crimeReference} stage changed from ${o.stage} to ${stage}` });
    for (const n of networksOfOffence(db, offenceId)) touch(n);
    return { ...o, stage };
  });
}

function insertLink(s: Session, db: Db, d: { offenceId: string; networkId: string; rationale: string; intelIds: string[] }, status: OffenceLinkRecord['status']): OffenceLinkRecord {
  const o = getOffence(db, d.offenceId);
  if (!o) throw new VaultError('not_found', 'That offence was not found.');
  requireNetwork(db, d.networkId);
  const items = requireIntel(db, d.intelIds);
  if (!isOffenceLinkSupported(items)) throw new VaultError('invalid_input', OFFENCE_LINK_SUPPORT_REFUSAL);
  if (offenceLinkExists(db, d.offenceId, d.networkId)) {
    throw new VaultError('conflict', 'This offence is already linked to this network.');
  }
  const user = s.user!;
  const link: OffenceLinkRecord = {
    id: randomUUID(),
    offenceId: d.offenceId,
    networkId: d.networkId,
    rationale: d.rationale,
    status,
    proposedBy: user.id,
    confirmedBy: status === 'confirmed' ? user.id : null,
    confirmedAt: status === 'confirmed' ? nowIso(s) : null,
    createdAt: nowIso(s),
  };
  insertOffenceLink(db, link, [...new Set(d.intelIds)]);
  return link;
}

/** An analyst links an offence to a network: confirmed at once (rationale and graded intelligence given). */
export function linkOffence(s: Session, input: OffenceLinkDraft): OffenceLinkRecord {
  const d = offenceLinkDraft.parse(input);
  s.requireUser();
  return change(s, (db, audit, touch) => {
    const link = insertLink(s, db, d, 'confirmed');
    const o = getOffence(db, d.offenceId)!;
    const n = getNetwork(db, d.networkId)!;
    audit({ action: 'combine', entityType: 'offence_link', entityId: link.id, summary: `Offence ${o.crimeReference} linked to network ${n.reference} (confirmed)` });
    touch(d.networkId);
    return link;
  });
}

export function decideOffenceLink(s: Session, linkId: string, decision: 'confirmed' | 'rejected'): OffenceLinkRecord {
  const user = s.requireUser();
  return change(s, (db, audit, touch) => {
    const link = getOffenceLink(db, linkId);
    if (!link || link.status !== 'proposed') throw new VaultError('conflict', 'Only a proposed link can be confirmed or rejected.');
    setOffenceLinkStatus(db, linkId, decision, user.id, nowIso(s));
    audit({ action: 'combine', entityType: 'offence_link', entityId: linkId, summary: `Proposed offence link ${decision}` });
    touch(link.networkId);
    return { ...link, status: decision, confirmedBy: user.id, confirmedAt: nowIso(s) };
  });
}

/* ---- Ratings ------------------------------------------------------------------------------- */

export function rateNetwork(s: Session, input: RatingDraft): { networkId: string } {
  const d = ratingDraft.parse(input);
  const user = s.requireUser();
  return change(s, (db, audit, touch) => {
    const n = requireNetwork(db, d.networkId);
    requireIntel(db, d.intelIds);
    upsertRating(db, { networkId: n.id, kind: d.kind, dimension: d.dimension, value: d.value, ratedBy: user.id, ratedAt: nowIso(s), intelIds: [...new Set(d.intelIds)] });
    audit({ action: 'alter', entityType: 'network', entityId: n.id, summary: `Network ${n.reference} ${d.kind} rating ${d.dimension} set to ${d.value} with ${d.intelIds.length} supporting item(s)` });
    touch(n.id);
    return { networkId: n.id };
  });
}

/**
 * Several ratings of one network saved together: one transaction, one rescore, so a failure
 * part-way saves none and history moves at most once.
 */
export function rateNetworkMany(s: Session, networkId: string, inputs: Omit<RatingDraft, 'networkId'>[]): { networkId: string; saved: number } {
  const drafts = inputs.map((i) => ratingDraft.parse({ ...i, networkId }));
  const user = s.requireUser();
  return change(s, (db, audit, touch) => {
    const n = requireNetwork(db, networkId);
    for (const d of drafts) {
      requireIntel(db, d.intelIds);
      upsertRating(db, { networkId: n.id, kind: d.kind, dimension: d.dimension, value: d.value, ratedBy: user.id, ratedAt: nowIso(s), intelIds: [...new Set(d.intelIds)] });
      audit({ action: 'alter', entityType: 'network', entityId: n.id, summary: `Network ${n.reference} ${d.kind} rating ${d.dimension} set to ${d.value} with ${d.intelIds.length} supporting item(s)` });
    }
    touch(n.id);
    return { networkId: n.id, saved: drafts.length };
  });
}

/**
 * Offences whose crime reference starts with the text typed (for linking an existing offence), up
 * to 50. Showing them is a consultation: one entry per search, naming how many were found but not
 * the text typed, which could be anything.
 */
export function findOffences(s: Session, prefix: string): OffenceRecord[] {
  s.requireUser();
  const found = findOffencesByCrimeReference(s.vault!.db, prefix, 50);
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'offences', entityId: null, summary: `Offences searched by crime reference (${found.length} found)` }));
  return found;
}

/* ---- Gang flags ---------------------------------------------------------------------------- */

export function proposeFlag(s: Session, input: FlagDraft): FlagRecord {
  const d = flagDraft.parse(input);
  const user = s.requireUser();
  return change(s, (db, audit) => {
    const day = today(s);
    if (d.subjectType === 'person') checkPersonMayBeFlagged(db, requirePerson(db, d.subjectId), policyToday(s, db), day);
    else if (!getOffence(db, d.subjectId)) throw new VaultError('not_found', 'That offence was not found.');
    if (d.networkId) requireNetwork(db, d.networkId);
    requireIntel(db, d.intelIds);
    if (d.isSelfAdmission && d.intelIds.length === 0) throw fieldRefusal('intelIds', SELF_ADMISSION_CITATION_REFUSAL);
    if (hasCurrentFlag(db, d.subjectType, d.subjectId)) throw new VaultError('conflict', 'This record already has a current gang flag.');
    const f: FlagRecord = {
      id: randomUUID(),
      subjectType: d.subjectType,
      subjectId: d.subjectId,
      networkId: d.networkId,
      status: 'proposed',
      criteria: flagCriteria(d.isSelfAdmission),
      proposedBy: user.id,
      proposedAt: nowIso(s),
      confirmedBy: null,
      confirmedAt: null,
      reviewOn: flagReviewOn({ isConfirmed: false, subjectType: d.subjectType, dateOfBirth: null }, day, reviewCycles(policyToday(s, db))),
      endedAt: null,
      endReason: null,
    };
    insertFlag(db, f, [...new Set(d.intelIds)]);
    audit({ action: 'collect', entityType: 'gang_flag', entityId: f.id, summary: `Gang flag proposed on ${d.subjectType}` });
    return f;
  });
}

/** The age floor and the victim-only rule for a flag on a person, on a day. */
function checkPersonMayBeFlagged(db: Db, person: PersonRecord, policy: RetentionPolicy, day: string): void {
  const floor = ageFloorRefusal(person.dateOfBirth, day, policy.periods.minimumAgeYears.value, 'flag');
  if (floor) throw fieldRefusal('subjectId', floor);
  const roles = listMembershipsOfPerson(db, person.id).filter((m) => m.status !== 'ended').map((m) => m.role);
  if (isVictimOnly(roles)) throw fieldRefusal('subjectId', VICTIM_ONLY_FLAG_REFUSAL);
}

/** A supervisor other than its proposer confirms a proposed flag whose criteria are met. */
export function confirmFlag(s: Session, id: string): FlagRecord {
  const user = s.requireUser();
  return change(s, (db, audit) => {
    const f = getFlag(db, id);
    if (!f || f.status !== 'proposed') throw new VaultError('conflict', 'Only a proposed flag can be confirmed.');
    if (f.proposedBy === user.id) throw new VaultError('forbidden', SELF_CONFIRMED_FLAG_REFUSAL);
    const intelIds = flagIntelIds(db, id);
    if (!isFlagCriteriaMet(f.criteria, getIntelligenceMany(db, intelIds))) throw new VaultError('invalid_input', FLAG_CRITERIA_REFUSAL);
    const day = today(s);
    const policy = policyToday(s, db);
    const person = f.subjectType === 'person' ? getPerson(db, f.subjectId) : null;
    if (person) checkPersonMayBeFlagged(db, person, policy, day);
    const dateOfBirth = person?.dateOfBirth ?? null;
    const cycles = reviewCycles(policy);
    const reviewOn = checkedReviewOn(flagReviewOn({ isConfirmed: true, subjectType: f.subjectType, dateOfBirth }, day, cycles), day, cycles.flagMonths);
    const after: FlagRecord = { ...f, status: 'confirmed', confirmedBy: user.id, confirmedAt: nowIso(s), reviewOn };
    updateFlag(db, after);
    audit({ action: 'alter', entityType: 'gang_flag', entityId: id, summary: `Gang flag on ${f.subjectType} confirmed` });
    // A confirmed flag on an offence proposes the offence → network link; an analyst confirms it.
    const isLinked = f.subjectType === 'offence' && f.networkId !== null && offenceLinkExists(db, f.subjectId, f.networkId);
    const proposed = offenceLinkProposedBy(f, intelIds.length, isLinked);
    if (proposed) {
      const link = insertLink(s, db, { ...proposed, rationale: FLAG_LINK_RATIONALE, intelIds }, 'proposed');
      audit({ action: 'combine', entityType: 'offence_link', entityId: link.id, summary: 'Offence link proposed by a confirmed gang flag' });
    }
    return after;
  });
}

export function endFlag(s: Session, id: string, status: 'expired' | 'removed', reason: string): FlagRecord {
  s.requireUser();
  return change(s, (db, audit) => {
    const f = getFlag(db, id);
    if (!f || (f.status !== 'proposed' && f.status !== 'confirmed')) throw new VaultError('conflict', 'That flag is not current.');
    const after: FlagRecord = { ...f, status, endedAt: nowIso(s), endReason: reason };
    updateFlag(db, after);
    audit({ action: 'alter', entityType: 'gang_flag', entityId: id, summary: `Gang flag ${status}`, justification: reason });
    return after;
  });
}

/* ---- Band overrides ------------------------------------------------------------------------ */

export function requestOverride(s: Session, input: OverrideDraft): OverrideRecord {
  const d = overrideDraft.parse(input);
  const user = s.requireUser();
  return change(s, (db, audit) => {
    const n = requireNetwork(db, d.networkId);
    const expiry = overrideExpiryRefusal(policyToday(s, db), d.expiresOn, today(s));
    if (expiry) throw fieldRefusal('expiresOn', expiry);
    const o: OverrideRecord = {
      id: randomUUID(),
      networkId: n.id,
      band: d.band,
      reason: d.reason,
      authorId: user.id,
      requestedAt: nowIso(s),
      approverId: null,
      approvedAt: null,
      expiresOn: d.expiresOn,
      status: 'requested',
    };
    insertOverride(db, o);
    audit({ action: 'alter', entityType: 'band_override', entityId: o.id, summary: `Band override to ${d.band} requested for network ${n.reference}`, justification: d.reason });
    return o;
  });
}

/** A supervisor other than the author approves or rejects an override request. */
export function decideOverride(s: Session, id: string, decision: 'approved' | 'rejected'): OverrideRecord {
  const user = s.requireUser();
  return change(s, (db, audit, touch) => {
    const o = getOverride(db, id);
    if (!o || o.status !== 'requested') throw new VaultError('conflict', 'Only a requested override can be decided.');
    if (o.authorId === user.id) throw new VaultError('forbidden', 'An override must be approved by a supervisor other than the person who requested it.');
    const approver = findUser(db, user.id);
    if (decision === 'approved' && approver?.role !== 'supervisor') throw new VaultError('forbidden', 'Only a supervisor can approve a band override.');
    storeDecision(db, id, decision, user.id, nowIso(s));
    audit({ action: 'alter', entityType: 'band_override', entityId: id, summary: `Band override ${decision}` });
    touch(o.networkId);
    return { ...o, status: decision, approverId: user.id, approvedAt: nowIso(s) };
  });
}

/* ---- Whole matrix -------------------------------------------------------------------------- */

/** The audit summary of a full rescore; a daily one (at unlock, services/rescore-job.ts) says so. */
export function rescoreAllSummary(scored: number, changed: number, asOf: string, kind: 'manual' | 'daily' = 'manual'): string {
  const what = `${scored === 1 ? 'the 1 network' : `all ${scored} networks`} rescored as of ${asOf}; ${changed} changed`;
  return kind === 'daily' ? `Daily rescore: ${what}` : `${what.charAt(0).toUpperCase()}${what.slice(1)}`;
}

/**
 * Rescore every network as of a day and store the scores (history rows where they moved), here and
 * now. The app's "Rescore all" goes through services/rescore-job.ts, which does this for a small
 * vault and moves a large one off the main thread; the CLI and the tests call this directly.
 */
export function rescoreAll(s: Session, asOf?: string): { scored: number; changed: number } {
  s.requireUser();
  return s.write((db, audit) => {
    const r = rescoreNetworks(db, null, asOf ?? today(s), s.ctx.now());
    audit({ action: 'alter', entityType: 'matrix', entityId: null, summary: rescoreAllSummary(r.scored, r.changed, asOf ?? today(s)) });
    return r;
  });
}
