/**
 * Calendar-date helpers for the pure domain code.
 *
 * Dates are ISO `YYYY-MM-DD` strings with no time and no zone. Arithmetic is done on UTC
 * day numbers so that a score computed on a workstation in BST gives the same answer as one
 * computed in GMT: a local-time `Date` would lose or gain an hour across the clock change and
 * turn a whole number of days into a fraction.
 *
 * No function here reads the clock; callers pass every date in.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Year, month (1-12) and day of a valid ISO date, or undefined when the string is not one. */
function parts(value: string): { year: number; month: number; day: number } | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/**
 * Milliseconds since the epoch for a UTC calendar day. `setUTCFullYear` is used rather than
 * `Date.UTC` because `Date.UTC` reads years 0-99 as 1900-1999.
 */
function utcMillis(year: number, monthIndex: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one, which takes care of leap years.
  return new Date(utcMillis(year, month, 0)).getUTCDate();
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** True when `value` is a real calendar date written as `YYYY-MM-DD` (so `2026-02-30` is false). */
export function isIsoDate(value: string): boolean {
  return parts(value) !== undefined;
}

/** Days since 1970-01-01 (UTC) for an ISO date. Throws on a malformed or impossible date. */
export function toEpochDay(value: string): number {
  const p = parts(value);
  if (!p) throw new RangeError(`Not a valid date (expected YYYY-MM-DD): "${value}"`);
  return utcMillis(p.year, p.month - 1, p.day) / MS_PER_DAY;
}

/** The ISO date for a UTC day number. */
export function fromEpochDay(epochDay: number): string {
  if (!Number.isInteger(epochDay)) throw new RangeError(`Not a whole day number: ${epochDay}`);
  const d = new Date(epochDay * MS_PER_DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** `value` moved by `days` days (negative to go back). */
export function addDays(value: string, days: number): string {
  return fromEpochDay(toEpochDay(value) + days);
}

/**
 * `value` moved by whole calendar months. When the target month is shorter, the day is clamped
 * to its last day (31 March minus one month is 28 or 29 February), which is how people read
 * "a month before" and keeps the result a real date.
 */
export function addMonths(value: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`Not a whole number of months: ${months}`);
  const p = parts(value);
  if (!p) throw new RangeError(`Not a valid date (expected YYYY-MM-DD): "${value}"`);
  const index = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(p.day, daysInMonth(year, month));
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Compare two ISO dates: negative, zero or positive. Valid ISO dates sort as strings. */
export function compareIsoDates(a: string, b: string): number {
  return toEpochDay(a) - toEpochDay(b);
}

/** An ISO date as people read it in the UK: `2026-06-30` becomes `30/06/2026`. */
export function formatUkDate(value: string): string {
  const p = parts(value);
  if (!p) throw new RangeError(`Not a valid date (expected YYYY-MM-DD): "${value}"`);
  return `${pad(p.day, 2)}/${pad(p.month, 2)}/${pad(p.year, 4)}`;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** The English name of a month, 1 (January) to 12 (December). */
export function monthName(month: number): string {
  const name = MONTH_NAMES[month - 1];
  if (!Number.isInteger(month) || name === undefined) {
    throw new RangeError(`Not a month number from 1 to 12: ${month}`);
  }
  return name;
}

/**
 * An ISO date written out as in British prose: `2026-01-01` becomes `1 January 2026` (no
 * leading zero, no ordinal suffix, no comma), which is how labels of periods read in returns.
 */
export function formatLongUkDate(value: string): string {
  const p = parts(value);
  if (!p) throw new RangeError(`Not a valid date (expected YYYY-MM-DD): "${value}"`);
  return `${p.day} ${monthName(p.month)} ${p.year}`;
}
