/**
 * The unit works on UK time: "today", audit date filters and dates in summaries follow
 * Europe/London (GMT in winter, BST in summer), while stored instants stay UTC.
 */
const LONDON = 'Europe/London';

// Building an Intl formatter costs far more than using one: build each once.
const DAY_FORMAT = new Intl.DateTimeFormat('en-CA', { timeZone: LONDON, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in the UK, as YYYY-MM-DD. */
export function ukToday(now: Date): string {
  return DAY_FORMAT.format(now);
}

/** London's offset from UTC at an instant, in milliseconds (0 or 3,600,000). */
const PARTS_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function londonOffsetMs(t: number): number {
  const parts = Object.fromEntries(PARTS_FORMAT.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(t / 1000) * 1000;
}

/** The UTC instant at which a UK calendar day (YYYY-MM-DD) begins. */
export function ukDayStartUtc(day: string): Date {
  const guess = Date.parse(`${day}T00:00:00Z`);
  return new Date(guess - londonOffsetMs(guess - 3_600_000));
}

/** 30/06/2026 14:05:09, UK local time. */
export function ukDateTime(iso: string): string {
  return PARTS_FORMAT.format(new Date(iso)).replace(',', '');
}
