/**
 * Day arithmetic for the returns' hot loops. preload/contract/dates.ts parses and validates both
 * dates on every comparison, which is right for the domain and costs a second at force scale
 * when twenty thousand disruptions are placed in periods, sorted and windowed. Dates repeat (a few
 * thousand distinct days), so each is validated and numbered once, here, and then compared as a
 * number. A malformed date still throws, exactly as dates.ts would.
 */
import { toEpochDay } from '../../preload/contract/dates';

const MAX_CACHED = 50_000;
const cache = new Map<string, number>();

/** Days since 1970-01-01 for an ISO day; throws on a date that is not real. */
export function dayNumber(day: string): number {
  let n = cache.get(day);
  if (n === undefined) {
    n = toEpochDay(day);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(day, n);
  }
  return n;
}

/** Negative, zero or positive, as compareIsoDates. */
export function compareDays(a: string, b: string): number {
  return dayNumber(a) - dayNumber(b);
}

/** Whole days from `from` to `to`, as daysBetween. */
export function daysFrom(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** True when `day` lies in the range, both ends included. */
export function within(range: { from: string; to: string }, day: string): boolean {
  const d = dayNumber(day);
  return dayNumber(range.from) <= d && d <= dayNumber(range.to);
}
