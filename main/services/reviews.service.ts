/**
 * Reviews: a re-validation, not a click (docs/specification.md, "Governance the software
 * enforces"; rules in domain/review-rules.ts). Reviewing a member link, a gang flag or a network
 * records the reviewer, the outcome (retain or end), the reason and the items re-checked, in one
 * transaction with the change it makes and its audit entry.
 *
 * - Retaining a link or flag needs the items re-checked to meet its entry threshold with
 *   qualifying evidence within the policy's window; otherwise only a supervisor retains it, with a
 *   reason, and the review says it was retained without evidence.
 * - Retaining moves the next review on by the policy's cycle (a child's: 3 months), capped by the
 *   review-date ceiling and the absolute ceiling after the most recent supporting evidence.
 * - Ending ends a link, removes a flag, archives a network (rescoring it).
 * - Gang flags are reviewed by supervisors, who confirm, expire and remove them; links and
 *   networks by the keepers of the register.
 * - One record per review: no bulk review.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { reviewInput } from '../../preload/contract';
import type { DueRow, ReviewEvidence, ReviewKind } from '../../preload/contract/schemas/reviews';
import { addDays, compareIsoDates, formatUkDate } from '../../preload/contract/dates';
import { ukToday } from '../../preload/contract/uk-time';
import { isQualifying, isReviewOverdue, isUnder18 } from '../domain/register-rules';
import {
  earlierOf,
  evidenceCeiling,
  evidenceCeilingRefusal,
  isInWindow,
  judgeEvidence,
  nextReviewOnRetain,
  type HeldOn,
  type ReviewItem,
} from '../domain/review-rules';
import { reviewCycles, reviewDateRefusal } from '../domain/retention-policy';
import { getFlag, updateFlag } from '../store/flags.repo';
import { getIntelligenceMany, type IntelligenceRecord } from '../store/intelligence.repo';
import { getMembership, setMembershipReviewOn, setMembershipStatus } from '../store/memberships.repo';
import { getNetwork, updateNetwork } from '../store/networks.repo';
import { getPerson } from '../store/people.repo';
import { getOffence } from '../store/offences.repo';
import { citedIntelIds, insertReview, listDue, networkIntelIds, retainedReviewIntelIds, type ReviewRecord } from '../store/reviews.repo';
import { findUser } from '../store/users.repo';
import type { Db } from '../vault/database';
import { fieldRefusal, VaultError } from '../vault/errors';
import { policyOn } from './policy.service';
import { rescoreNetworks } from './scoring.service';
import type { Session } from './session';

type ReviewInput = z.output<typeof reviewInput>;

/** A record as its review sees it. */
interface Subject {
  kind: ReviewKind;
  id: string;
  held: HeldOn;
  reference: string;
  networkId: string | null;
  networkReference: string | null;
  dateOfBirth: string | null;
  dueOn: string;
  /** Its own citations (a network's: the items held against it). */
  cited: string[];
  /** Every item it may be reviewed on: its citations, its network's items, items re-checked at earlier reviews. */
  candidates: string[];
}

const NOT_CURRENT: Record<ReviewKind, string> = {
  membership: 'Only a confirmed member link is reviewed: this one is proposed or has ended.',
  gang_flag: 'Only a confirmed gang flag is reviewed: this one is proposed or has ended.',
  network: 'An archived network is not reviewed.',
};

const FLAG_REVIEWERS = 'Gang flags are reviewed by supervisors, who confirm, expire and remove them.';

function today(s: Session): string {
  return ukToday(s.ctx.now());
}

function loadSubject(db: Db, kind: ReviewKind, id: string): Subject {
  const withCandidates = (base: Omit<Subject, 'candidates'>): Subject => {
    const held = base.networkId && kind !== 'network' ? networkIntelIds(db, base.networkId) : [];
    return { ...base, candidates: [...new Set([...base.cited, ...held, ...retainedReviewIntelIds(db, kind, id)])] };
  };
  if (kind === 'membership') {
    const m = getMembership(db, id);
    if (!m) throw new VaultError('not_found', 'That member link was not found.');
    if (m.status !== 'confirmed') throw new VaultError('conflict', NOT_CURRENT.membership);
    const p = getPerson(db, m.personId)!;
    const n = getNetwork(db, m.networkId)!;
    return withCandidates({ kind, id, held: { kind, basis: m.basis }, reference: p.reference, networkId: n.id, networkReference: n.reference, dateOfBirth: p.dateOfBirth, dueOn: m.reviewOn, cited: citedIntelIds(db, kind, id) });
  }
  if (kind === 'gang_flag') {
    const f = getFlag(db, id);
    if (!f) throw new VaultError('not_found', 'That gang flag was not found.');
    if (f.status !== 'confirmed') throw new VaultError('conflict', NOT_CURRENT.gang_flag);
    const p = f.subjectType === 'person' ? getPerson(db, f.subjectId) : null;
    const reference = p ? p.reference : (getOffence(db, f.subjectId)?.crimeReference ?? '');
    const n = f.networkId ? getNetwork(db, f.networkId) : null;
    return withCandidates({ kind, id, held: { kind, criteria: f.criteria }, reference, networkId: n?.id ?? null, networkReference: n?.reference ?? null, dateOfBirth: p?.dateOfBirth ?? null, dueOn: f.reviewOn, cited: citedIntelIds(db, kind, id) });
  }
  const n = getNetwork(db, id);
  if (!n) throw new VaultError('not_found', 'That network was not found.');
  if (n.status === 'archived') throw new VaultError('conflict', NOT_CURRENT.network);
  return withCandidates({ kind, id, held: { kind }, reference: n.reference, networkId: n.id, networkReference: n.reference, dateOfBirth: null, dueOn: n.nextReviewOn, cited: citedIntelIds(db, kind, id) });
}

function asReviewItem(i: IntelligenceRecord): ReviewItem {
  return { id: i.id, itemDate: i.itemDate, grading: i.grading, sourceGrade: i.sourceGrade, intelGrade: i.intelGrade, sourceRef: i.sourceRef };
}

function gradeText(i: IntelligenceRecord): string {
  if (i.grading === '3x5x2') return `${i.sourceGrade ?? '?'}${i.intelGrade ?? '?'}${i.handling ?? ''}`;
  return `5x5x5${i.legacyGrade ? ` ${i.legacyGrade}` : ''}`;
}

/** The latest date among the items: the most recent supporting evidence. */
function latestOf(items: readonly IntelligenceRecord[]): string | null {
  let latest: string | null = null;
  for (const i of items) if (latest === null || compareIsoDates(i.itemDate, latest) > 0) latest = i.itemDate;
  return latest;
}

const ENDS_AS: Record<ReviewKind, string> = { membership: 'ended', gang_flag: 'removed', network: 'archived' };

interface Judged {
  subject: Subject;
  evidence: ReviewEvidence;
  /** The items judged, as records. */
  chosen: IntelligenceRecord[];
}

/** Judge the items chosen (all the candidates when none are given) for a record today. */
function judge(db: Db, kind: ReviewKind, id: string, day: string, intelIds: readonly string[] | undefined): Judged {
  const subject = loadSubject(db, kind, id);
  const policy = policyOn(db, day);
  const candidates = getIntelligenceMany(db, subject.candidates);
  const chosenIds = intelIds === undefined ? subject.candidates : [...new Set(intelIds)];
  const candidateSet = new Set(subject.candidates);
  if (chosenIds.some((i) => !candidateSet.has(i))) throw fieldRefusal('intelIds', 'Re-check only the items this record can be reviewed on: one or more of those given are not among them.');
  const byId = new Map(candidates.map((i) => [i.id, i]));
  const chosen = chosenIds.map((i) => byId.get(i)!);
  const window = { months: policy.periods.evidenceWindowMonths.value, minimumItems: policy.periods.evidenceMinimumItems.value };
  const j = judgeEvidence(subject.held, chosen.map(asReviewItem), window, day);
  // The next review if retained: the cycle, never past the ceiling after the most recent supporting evidence.
  const cycles = reviewCycles(policy);
  const next = nextReviewOnRetain(kind, subject.dateOfBirth, day, cycles);
  let nextReviewOn: string | null = next.reviewOn;
  let ceilingRefusal: string | null = null;
  if (kind !== 'network') {
    const supporting = getIntelligenceMany(db, [...new Set([...subject.cited, ...retainedReviewIntelIds(db, kind, id), ...chosenIds])]);
    const latest = latestOf(supporting);
    const years = policy.periods.evidenceCeilingYears.value;
    const ceiling = evidenceCeiling(latest, years);
    if (ceiling !== null && compareIsoDates(ceiling, day) <= 0) {
      nextReviewOn = null;
      ceilingRefusal = evidenceCeilingRefusal(kind, latest!, years);
    } else nextReviewOn = earlierOf(next.reviewOn, ceiling);
  }
  const isChild = kind !== 'network' && isUnder18(subject.dateOfBirth, day);
  const evidence: ReviewEvidence = {
    kind,
    id,
    reference: subject.reference,
    networkReference: subject.networkReference,
    dueOn: subject.dueOn,
    isUnder18: isChild,
    windowFrom: j.windowFrom,
    needed: j.needed,
    items: [...candidates]
      .sort((a, b) => compareIsoDates(b.itemDate, a.itemDate) || a.reference.localeCompare(b.reference))
      .map((i) => ({
        id: i.id,
        reference: i.reference,
        itemDate: i.itemDate,
        grading: i.grading,
        grade: gradeText(i),
        isQualifying: isQualifying(asReviewItem(i)),
        isInWindow: isInWindow(asReviewItem(i), j.windowFrom, day),
        isCited: subject.cited.includes(i.id),
      })),
    judged: chosenIds,
    isMet: j.isMet && ceilingRefusal === null,
    missing: j.missing,
    sentence: ceilingRefusal ?? j.sentence,
    nextReviewOn,
    ceilingRefusal,
    endsAs: ENDS_AS[kind],
  };
  return { subject, evidence, chosen };
}

function requireReviewer(s: Session, db: Db, kind: ReviewKind): { id: string; isSupervisor: boolean } {
  const user = s.requireUser();
  const isSupervisor = findUser(db, user.id)?.role === 'supervisor';
  if (kind === 'gang_flag' && !isSupervisor) throw new VaultError('forbidden', FLAG_REVIEWERS);
  return { id: user.id, isSupervisor };
}

/* ---- What is due ------------------------------------------------------------------------------ */

/**
 * Links, flags and networks whose review falls within `withinDays` of today or has passed:
 * under-18s first, then the earliest date, then links, flags, networks, then the reference. A
 * user with a unit recorded sees the records of their unit's networks and those of no unit.
 */
export function reviewsDue(s: Session, withinDays = 30): DueRow[] {
  const user = s.requireUser();
  const db = s.vault!.db;
  const day = today(s);
  const unit = (findUser(db, user.id)?.unit ?? '').trim().toLowerCase();
  const order: Record<ReviewKind, number> = { membership: 0, gang_flag: 1, network: 2 };
  return listDue(db, addDays(day, withinDays))
    .filter((r) => unit === '' || r.unit.trim() === '' || r.unit.trim().toLowerCase() === unit)
    .map((r) => ({
      kind: r.kind,
      id: r.id,
      reference: r.reference,
      label: r.label,
      networkId: r.networkId,
      networkReference: r.networkReference,
      dueOn: r.dueOn,
      isOverdue: isReviewOverdue(r.dueOn, day),
      isUnder18: r.kind !== 'network' && isUnder18(r.dateOfBirth, day),
    }))
    .sort(
      (a, b) =>
        Number(b.isUnder18) - Number(a.isUnder18) ||
        compareIsoDates(a.dueOn, b.dueOn) ||
        order[a.kind] - order[b.kind] ||
        a.reference.localeCompare(b.reference) ||
        a.id.localeCompare(b.id),
    );
}

/* ---- The evidence ----------------------------------------------------------------------------- */

/** The evidence a review of the record would judge: every item it may re-check, or the ones ticked. */
export function reviewEvidence(s: Session, input: { kind: ReviewKind; id: string; intelIds?: string[] }): ReviewEvidence {
  const db = s.vault!.db;
  requireReviewer(s, db, input.kind);
  return judge(db, input.kind, input.id, today(s), input.intelIds).evidence;
}

/* ---- The review ------------------------------------------------------------------------------- */

const SUBJECT_TEXT: Record<ReviewKind, string> = { membership: 'Member link', gang_flag: 'Gang flag', network: 'Network' };

/** The audit summary of a review: ids, counts and dates only; the reason is the entry's justification. */
export function reviewSummary(kind: ReviewKind, reference: string | null, r: Pick<ReviewRecord, 'id' | 'outcome' | 'retainedWithoutEvidence' | 'nextReviewOn' | 'intelIds'>): string {
  const what = kind === 'network' ? `Network ${reference}` : SUBJECT_TEXT[kind];
  const items = `${r.intelIds.length} item(s) re-checked`;
  const outcome =
    r.outcome === 'end'
      ? `${ENDS_AS[kind]}, ${items}`
      : `retained${r.retainedWithoutEvidence ? ' by a supervisor without qualifying evidence' : ''}, ${items}, next review ${r.nextReviewOn}`;
  return `${what} reviewed (review ${r.id}): ${outcome}`;
}

export function recordReview(s: Session, input: ReviewInput): { review: ReviewRecord; status: string; sentence: string } {
  s.requireUser();
  return s.write((db, audit) => {
    const reviewer = requireReviewer(s, db, input.kind);
    const day = today(s);
    const { subject, evidence } = judge(db, input.kind, input.id, day, input.intelIds);
    const policy = policyOn(db, day);
    let retainedWithoutEvidence = false;
    if (input.outcome === 'retain') {
      if (evidence.ceilingRefusal) throw new VaultError('invalid_input', evidence.ceilingRefusal);
      if (!evidence.isMet) {
        if (!reviewer.isSupervisor || input.withoutEvidence !== true) throw new VaultError('invalid_input', evidence.sentence);
        retainedWithoutEvidence = true;
      }
    }
    const cycleMonths = nextReviewOnRetain(input.kind, subject.dateOfBirth, day, reviewCycles(policy)).months;
    const nextReviewOn = input.outcome === 'retain' ? evidence.nextReviewOn! : null;
    if (nextReviewOn) {
      const refusal = reviewDateRefusal(nextReviewOn, day, cycleMonths);
      if (refusal) throw fieldRefusal('reviewOn', refusal);
    }
    const review: ReviewRecord = {
      id: randomUUID(),
      subjectKind: input.kind,
      subjectId: input.id,
      reviewedOn: day,
      reviewedAt: s.ctx.now().toISOString(),
      reviewerId: reviewer.id,
      outcome: input.outcome,
      reason: input.reason,
      retainedWithoutEvidence,
      nextReviewOn,
      policyVersion: policy.version,
      intelIds: [...new Set(input.intelIds)],
    };
    insertReview(db, review);
    let status: string;
    const at = s.ctx.now().toISOString();
    if (input.kind === 'membership') {
      if (nextReviewOn) {
        setMembershipReviewOn(db, input.id, nextReviewOn);
        status = 'confirmed';
      } else {
        setMembershipStatus(db, input.id, 'ended', reviewer.id, at);
        status = 'ended';
      }
    } else if (input.kind === 'gang_flag') {
      const f = getFlag(db, input.id)!;
      if (nextReviewOn) {
        updateFlag(db, { ...f, reviewOn: nextReviewOn });
        status = 'confirmed';
      } else {
        updateFlag(db, { ...f, status: 'removed', endedAt: at, endReason: input.reason });
        status = 'removed';
      }
    } else {
      const n = getNetwork(db, input.id)!;
      const after = nextReviewOn ? { ...n, lastReviewedOn: day, nextReviewOn } : { ...n, status: 'archived' as const, lastReviewedOn: day };
      updateNetwork(db, after);
      status = after.status;
    }
    audit({
      action: 'alter',
      entityType: input.kind,
      entityId: input.id,
      summary: reviewSummary(input.kind, input.kind === 'network' ? subject.reference : null, review),
      justification: input.reason,
    });
    if (input.kind === 'network' && !nextReviewOn) rescoreNetworks(db, [input.id], day, s.ctx.now());
    const sentence =
      input.outcome === 'end'
        ? `${SUBJECT_TEXT[input.kind]} ${ENDS_AS[input.kind]}.`
        : `${SUBJECT_TEXT[input.kind]} retained${retainedWithoutEvidence ? ' without qualifying evidence (recorded)' : ''}. Next review due ${formatUkDate(nextReviewOn!)}.`;
    return { review, status, sentence };
  });
}
