/**
 * A review is a re-validation, not a click (docs/specification.md, "Governance the software
 * enforces"). Pure: the record's basis, the items re-checked, the policy's window and the day are
 * given; services/reviews.service.ts loads them and records the review.
 *
 * - A member link or gang flag is retained only when the items re-checked still meet its entry
 *   threshold (domain/register-rules.ts: two qualifying graded items from independent sources, or
 *   a self-admission citing the item that records it) AND at least the policy's minimum number of
 *   qualifying items re-checked are dated within its evidence window (12 months). Otherwise the
 *   outcomes are: end it, or a supervisor retains it with a reason, recorded as retained without
 *   evidence.
 * - A victim / at-risk link is kept for safeguarding: it is retained on a reason alone.
 * - A network has no entry threshold of its own: it is retained with a reason and the items
 *   re-checked, or archived.
 * - Retaining sets the next review on the policy's cycle (a child's link or flag: 3 months), never
 *   later than the absolute ceiling after its most recent supporting evidence (5 years); once that
 *   ceiling has passed, nothing retains it, a supervisor included.
 */
import { addMonths, compareIsoDates, formatUkDate } from '../../preload/contract/dates';
import type { FlagCriteria, MembershipBasis } from '../../preload/contract/vocabulary';
import { distinctQualifyingSources, isQualifying, isUnder18, type GradedItem, type ReviewCycles } from './register-rules';

export type ReviewKind = 'membership' | 'gang_flag' | 'network';

export interface ReviewItem extends GradedItem {
  id: string;
  itemDate: string;
}

/** What a record is held on, as its review judges it. */
export type HeldOn = { kind: 'membership'; basis: MembershipBasis } | { kind: 'gang_flag'; criteria: FlagCriteria } | { kind: 'network' };

export interface EvidenceWindow {
  months: number;
  minimumItems: number;
}

export interface EvidenceJudgement {
  /** Whether the items re-checked let anyone retain the record. */
  isMet: boolean;
  meetsThreshold: boolean;
  /** The first day of the window. */
  windowFrom: string;
  /** The qualifying items re-checked that are dated within the window. */
  inWindow: string[];
  needed: number;
  /** What is missing, a sentence each; empty when met. */
  missing: string[];
  /** The sentence the review dialog shows, and the refusal of a retain that does not qualify. */
  sentence: string;
}

const WHAT: Record<ReviewKind, string> = { membership: 'link', gang_flag: 'flag', network: 'network' };

/** Whether an item counts towards the window: qualifying, and dated from `from` to `today`. */
export function isInWindow(item: ReviewItem, from: string, today: string): boolean {
  return isQualifying(item) && compareIsoDates(item.itemDate, from) >= 0 && compareIsoDates(item.itemDate, today) <= 0;
}

function meetsEntryThreshold(held: HeldOn, items: readonly ReviewItem[]): boolean {
  if (held.kind === 'network') return true;
  const isSelfAdmission = held.kind === 'membership' ? held.basis === 'self_admission' : held.criteria === 'self_admission';
  return isSelfAdmission ? items.length > 0 : distinctQualifyingSources(items) >= 2;
}

function thresholdMissing(held: HeldOn): string {
  const isSelfAdmission = held.kind === 'membership' ? held.basis === 'self_admission' : held.kind === 'gang_flag' && held.criteria === 'self_admission';
  return isSelfAdmission
    ? 'It no longer meets its entry threshold: re-check the item that records the self-admission.'
    : 'It no longer meets its entry threshold: two qualifying graded items from independent sources must be re-checked (a source graded 3 or intelligence graded D or E does not count).';
}

function itemsText(n: number): string {
  return n === 1 ? '1 qualifying item' : `${n} qualifying items`;
}

/** Judge the items re-checked for a record on `today`, in the policy's evidence window. */
export function judgeEvidence(held: HeldOn, items: readonly ReviewItem[], window: EvidenceWindow, today: string): EvidenceJudgement {
  const windowFrom = addMonths(today, -window.months);
  const what = WHAT[held.kind];
  if (held.kind === 'network' || (held.kind === 'membership' && held.basis === 'safeguarding')) {
    const sentence =
      held.kind === 'network'
        ? 'A network is retained with a reason and the intelligence re-checked, or archived.'
        : 'A victim / at-risk link is kept for safeguarding: it is retained with a reason, or ended.';
    return { isMet: true, meetsThreshold: true, windowFrom, inWindow: [], needed: 0, missing: [], sentence };
  }
  const meetsThreshold = meetsEntryThreshold(held, items);
  const inWindow = items.filter((i) => isInWindow(i, windowFrom, today)).map((i) => i.id);
  const needed = window.minimumItems;
  const since = `the last ${window.months} months (since ${formatUkDate(windowFrom)})`;
  const missing: string[] = [];
  if (!meetsThreshold) missing.push(thresholdMissing(held));
  if (inWindow.length < needed) {
    const verb = needed === 1 ? 'is' : 'are';
    missing.push(
      inWindow.length === 0
        ? `No qualifying item re-checked is dated within ${since}: at least ${needed} ${verb} needed.`
        : `Only ${itemsText(inWindow.length)} re-checked ${inWindow.length === 1 ? 'is' : 'are'} dated within ${since}: at least ${needed} ${verb} needed.`,
    );
  }
  const isMet = missing.length === 0;
  const sentence = isMet
    ? `This ${what} still meets its entry threshold, with ${itemsText(inWindow.length)} dated within ${since}.`
    : `This ${what} cannot be retained on this evidence. ${missing.join(' ')} End it, or a supervisor may retain it with a reason.`;
  return { isMet, meetsThreshold, windowFrom, inWindow, needed, missing, sentence };
}

/** The next review on retaining, on the policy's cycle for the record (and, for a child, on the day). */
export function nextReviewOnRetain(kind: ReviewKind, dateOfBirth: string | null, today: string, cycles: ReviewCycles): { reviewOn: string; months: number } {
  const months = kind === 'network' ? cycles.networkMonths : isUnder18(dateOfBirth, today) ? cycles.under18Months : kind === 'membership' ? cycles.memberMonths : cycles.flagMonths;
  return { reviewOn: addMonths(today, months), months };
}

/** The day after which nothing is kept without fresh evidence: `years` after the most recent supporting item; null with none. */
export function evidenceCeiling(latestEvidence: string | null, years: number): string | null {
  return latestEvidence === null ? null : addMonths(latestEvidence, years * 12);
}

export function evidenceCeilingRefusal(kind: ReviewKind, latestEvidence: string, years: number): string {
  return `This ${WHAT[kind]} cannot be retained: its most recent supporting evidence is dated ${formatUkDate(latestEvidence)}, and nothing is kept more than ${years} years after its most recent evidence without fresh evidence. End it.`;
}

/** The earlier of two days. */
export function earlierOf(a: string, b: string | null): string {
  return b !== null && compareIsoDates(b, a) < 0 ? b : a;
}

export const REVIEW_KIND_LABELS: Record<ReviewKind, string> = { membership: 'Member link', gang_flag: 'Gang flag', network: 'Network' };
