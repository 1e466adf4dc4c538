/**
 * Disruption events per month of validation, by level: the chart series and the corporate
 * return's events table are the same protected table, so the chart can never show a figure the
 * table withholds (or the other way round).
 *
 * Events follow counting.ts (rule set count-1) exactly: validated records in the period at a
 * disrupting level (the level standing at the end of the period), records sharing a partner
 * reference and primary network being one event at the highest of their levels. An event
 * belongs to the month of its first validation. So the series' totals by level are
 * `countDisruptions(...).events`, which the tests check.
 */
import type { CountedDisruptionParsed } from '../domain/counting';
import { DISRUPTING_LEVELS, LEVEL_RANK, type DisruptingLevel } from '../../preload/contract/vocabulary';
import { addMonths, compareIsoDates, monthName } from '../../preload/contract/dates';
import { compareDays, within } from './days';

export interface MonthBucket {
  /** YYYY-MM */
  month: string;
  label: string;
  counts: Record<DisruptingLevel, number>;
}

/** Every calendar month the range touches, in order. */
export function monthsOf(range: { from: string; to: string }): { month: string; label: string }[] {
  const out: { month: string; label: string }[] = [];
  let day = `${range.from.slice(0, 7)}-01`;
  while (compareIsoDates(day, range.to) <= 0) {
    out.push({ month: day.slice(0, 7), label: `${monthName(Number(day.slice(5, 7))).slice(0, 3)} ${day.slice(0, 4)}` });
    day = addMonths(day, 1);
  }
  return out;
}

function eventKey(r: CountedDisruptionParsed): string {
  const reference = r.partnerReference?.trim().toUpperCase();
  return reference ? JSON.stringify(['ref', reference, r.primaryNetworkId]) : JSON.stringify(['id', r.id]);
}

export function eventsByMonth(records: readonly CountedDisruptionParsed[], range: { from: string; to: string }): MonthBucket[] {
  const events = new Map<string, { first: string; level: DisruptingLevel }>();
  for (const r of records) {
    if (r.status !== 'validated' || !r.validatedOn || !within(range, r.validatedOn)) continue;
    const level = r.durabilityOutcome && r.levelAfterReview && r.reviewedOn && compareDays(r.reviewedOn, range.to) <= 0 ? r.levelAfterReview : r.level;
    if (LEVEL_RANK[level] < LEVEL_RANK.minor) continue;
    const key = eventKey(r);
    const seen = events.get(key);
    if (!seen) events.set(key, { first: r.validatedOn, level: level as DisruptingLevel });
    else {
      if (compareDays(r.validatedOn, seen.first) < 0) seen.first = r.validatedOn;
      if (LEVEL_RANK[level] > LEVEL_RANK[seen.level]) seen.level = level as DisruptingLevel;
    }
  }
  const buckets = monthsOf(range).map((m) => ({ ...m, counts: Object.fromEntries(DISRUPTING_LEVELS.map((l) => [l, 0])) as Record<DisruptingLevel, number> }));
  const index = new Map(buckets.map((b, i) => [b.month, i]));
  for (const e of events.values()) buckets[index.get(e.first.slice(0, 7))!]!.counts[e.level]++;
  return buckets;
}
