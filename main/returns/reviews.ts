/**
 * "Reviews done on time" for the corporate return (docs/specification.md, "Reviews": networks every 12 months).
 * Rule set `reviews-1`, stated in the return:
 *
 * - A network's reviews form a chain of cycles. The first starts on the day the network was
 *   entered (created or imported); each recorded review closes the cycle it falls in and starts
 *   the next. A cycle falls due 12 months after it starts, except the current (open) cycle, whose
 *   due date is the network's stored next-review date (which is exactly that for networks made
 *   in the app; for an imported network it counts from the last review the document gave).
 *   Reviews are the ones recorded in the audit log ("Network … reviewed"), by UK calendar day.
 * - A review is DUE IN THE PERIOD when its due date lies in the period. The counting date is the
 *   due date, so the figure answers "of the reviews that fell due, how many were done by then".
 * - ON TIME: recorded on or before the due date. LATE: recorded after it. OUTSTANDING: not yet
 *   recorded, and the due date has passed (a review due today or later is not yet late and is
 *   left out, so a return for the current period does not count tomorrow's reviews as missed).
 * - An archived network needs no further review: its open cycle is left out; reviews it had
 *   before archiving still count.
 *
 * Known limit: for an imported network that has been reviewed since, the first cycle is counted
 * from the day of the import, because the imported last-review date is replaced by the first
 * review recorded in the app.
 *
 * Pure: facts in, cycles and counts out; `today` is a parameter.
 */
import { addMonths } from '../../preload/contract/dates';
import { compareDays, within } from './days';

export const REVIEW_RULES = {
  id: 'reviews-1',
  description:
    'Network reviews whose due date lies in the period (12 months after the network was entered or last reviewed): on time if recorded on or before the due date, late if after, outstanding if not yet recorded and the due date has passed. Archived networks need no further review.',
} as const;

export const NETWORK_REVIEW_CYCLE_MONTHS = 12;

export interface NetworkReviewFacts {
  networkId: string;
  status: string;
  /** UK day the network was entered in the vault (created or imported). */
  enteredOn: string;
  /** UK days on which a review was recorded (any order; the same day twice is one review). */
  reviewedOn: readonly string[];
  /** The stored next-review date: the due date of the open cycle. */
  nextReviewOn: string;
}

export interface ReviewCycle {
  networkId: string;
  dueOn: string;
  /** The review that closed the cycle, or null while it is open. */
  reviewedOn: string | null;
}

export function reviewCycles(n: NetworkReviewFacts): ReviewCycle[] {
  const reviews = [...new Set(n.reviewedOn)].sort(compareDays);
  const cycles: ReviewCycle[] = [];
  let start = n.enteredOn;
  for (const day of reviews) {
    cycles.push({ networkId: n.networkId, dueOn: addMonths(start, NETWORK_REVIEW_CYCLE_MONTHS), reviewedOn: day });
    start = day;
  }
  if (n.status !== 'archived') cycles.push({ networkId: n.networkId, dueOn: n.nextReviewOn, reviewedOn: null });
  return cycles;
}

export interface ReviewCounts {
  due: number;
  onTime: number;
  late: number;
  outstanding: number;
}

export function countReviews(networks: readonly NetworkReviewFacts[], period: { from: string; to: string }, today: string): ReviewCounts {
  const counts: ReviewCounts = { due: 0, onTime: 0, late: 0, outstanding: 0 };
  for (const n of networks) {
    for (const c of reviewCycles(n)) {
      if (!within(period, c.dueOn)) continue;
      if (c.reviewedOn === null) {
        if (compareDays(c.dueOn, today) >= 0) continue;
        counts.outstanding++;
      } else if (compareDays(c.reviewedOn, c.dueOn) <= 0) counts.onTime++;
      else counts.late++;
      counts.due++;
    }
  }
  return counts;
}
