/**
 * Calendar days (YYYY-MM-DD, as main stores them) shown and typed the UK way. A day is not an
 * instant: it is reformatted as text, never passed through Date, so no time zone can shift it.
 */
import { parseUkDate } from '../app/format';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-06-30" -> "30/06/2026"; '' for null or anything that is not a day. */
export function formatDay(day: string | null | undefined): string {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/** Today on this workstation's calendar, as YYYY-MM-DD. */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today written the UK way, for a date field's starting value. */
export function todayUk(): string {
  return formatDay(todayIso());
}

export const BAD_DAY = 'Enter a date as dd/mm/yyyy, for example 30/06/2026.';

/**
 * Read typed UK dates before a schema sees them: the ISO days for the schema, and our message
 * beside any field that is not a real date (the schema would ask for 2026-06-30, which nobody
 * types here). Empty optional fields give null.
 */
export function readDays<K extends string>(
  texts: Record<K, string>,
  required: readonly NoInfer<K>[],
): { days: Record<K, string | null>; errors: Partial<Record<K, string>> } {
  const days = {} as Record<K, string | null>;
  const errors: Partial<Record<K, string>> = {};
  for (const key of Object.keys(texts) as K[]) {
    const text = texts[key].trim();
    if (!text) {
      days[key] = null;
      if (required.includes(key)) errors[key] = 'Enter a date as dd/mm/yyyy.';
      continue;
    }
    const iso = parseUkDate(text);
    days[key] = iso;
    if (!iso) errors[key] = BAD_DAY;
  }
  return { days, errors };
}

/** Whole years between a date of birth and a day (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string | null, day: string): number | null {
  if (!dateOfBirth) return null;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
