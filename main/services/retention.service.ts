/**
 * The retention run (docs/specification.md, "Governance the software enforces"; docs/user-guide.md,
 * "Retention"): lapse, archive and erase happen by themselves, in main, under the policy in force
 * on the day (domain/retention-policy.ts).
 *
 * For a day D, in three steps, each one transaction with its audit entries (ids, references and
 * counts only):
 * 1. lapse: a current (proposed or confirmed) member link or gang flag whose review fell due more
 *    than the grace period before D (it lapses on due date + grace + 1) ends (link: 'ended'; flag:
 *    'expired') with the reason "review overdue". Every count, list, return and queue counts
 *    current links and flags only, so it stops counting everywhere at once.
 * 2. archive: a network whose stored effective band has been below threshold (score under 20, no
 *    override or gate lifting it) for 12 months is archived (status 'archived', archived on D).
 *    "Below threshold since" is the first day of its latest unbroken run of below-threshold score
 *    history (the day it was created, when its history holds none above).
 * 3. erase, through the erasure service so that erasure reaches everything: an archived network
 *    past its retention; a person with nothing current (no current link or flag) past theirs,
 *    counted from the latest of their creation and the end of any link or flag; an ended link or
 *    flag past its retention from the day it ended; any link or flag whose most recent supporting
 *    evidence (its cited items' dates, else its start) is past the absolute ceiling (5 years),
 *    current or not; an offence no network holds and an intelligence item nothing cites, past
 *    theirs from their creation (an offence's from its last link too).
 * Then the run's own entry, always, even when it found nothing: "Retention run for 30/06/2026: 0
 * lapsed, 0 archived, 0 erased". A second run the same day finds nothing more to do.
 *
 * A run for another day than today, or a dry run, applies the same steps inside a transaction that
 * is rolled back (store/retention.repo.ts `withRollback`), so what it reports is exactly what the
 * run would do, cascades included, and it writes nothing at all: no audit entry either. The
 * forecast does the same day after day for the coming days.
 */
import type { RetentionForecast, RetentionItem, RetentionReason, RetentionRunResult } from '../../preload/contract';
import { retentionForecastInput, retentionRunInput } from '../../preload/contract/schemas/retention';
import { ERASERS } from '../../preload/contract/permissions';
import { addDays, addMonths, compareIsoDates, formatUkDate } from '../../preload/contract/dates';
import { ukDayStartUtc, ukToday } from '../../preload/contract/uk-time';
import type { EraseKind } from '../../preload/contract/vocabulary';
import { evidenceCeilingOn } from '../domain/retention-policy';
import { cascadeOf, eraseRows, findTarget, referencesOf } from '../store/erasure.repo';
import {
  archiveNetworks,
  archivedNetworks,
  dateArchivedNetworks,
  endedFlags,
  endedLinks,
  evidenceOlderThan,
  flagsDueBy,
  hasRetainedRecords,
  lapseFlags,
  lapseLinks,
  linksDueBy,
  networksBelowThreshold,
  peopleWithNothingCurrent,
  uncitedIntelligence,
  undatedArchivedNetworks,
  unlinkedOffences,
  withRollback,
} from '../store/retention.repo';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { readMeta, writeMeta } from '../vault/meta';
import { eraseWithin, finishRetentionErasures } from './erasure.service';
import { policyOn } from './policy.service';
import type { Session } from './session';

/** The reason a lapsed link or flag carries. */
export const REVIEW_OVERDUE = 'review overdue';
/** How long a network stays below threshold before it is archived (docs/specification.md, "Reviews"). */
export const ARCHIVE_BELOW_THRESHOLD_MONTHS = 12;
/** The UK day of the last daily run (meta): once a day, at the first unlock. */
export const DAILY_RETENTION_META = 'retention_run_on';
/** Days the forecast looks ahead by default. */
export const FORECAST_DAYS = 30;

const ENTITY: Readonly<Record<EraseKind, string>> = { person: 'person', link: 'membership', flag: 'gang_flag', offence: 'offence', intelligence: 'intelligence', network: 'network', claim: 'disruption' };
const ERASE_ORDER: readonly EraseKind[] = ['network', 'person', 'link', 'flag', 'offence', 'intelligence'];

const ukDay = (iso: string): string => ukToday(new Date(iso));
const uk = formatUkDate;
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/* ---- The plan of each step, for a day ------------------------------------------------------- */

function lapsePlan(db: Db, day: string): RetentionItem[] {
  const grace = policyOn(db, day).periods.reviewGraceDays.value;
  const lastDueOn = addDays(day, -(grace + 1));
  const items: RetentionItem[] = [];
  for (const r of linksDueBy(db, lastDueOn)) items.push({ day, step: 'lapse', kind: 'link', id: r.id, reference: r.id, reason: 'review_overdue', since: r.reviewOn });
  for (const r of flagsDueBy(db, lastDueOn)) items.push({ day, step: 'lapse', kind: 'flag', id: r.id, reference: r.id, reason: 'review_overdue', since: r.reviewOn });
  return items;
}

function archivePlan(db: Db, day: string): RetentionItem[] {
  const items: RetentionItem[] = [];
  for (const n of networksBelowThreshold(db)) {
    const since = n.firstBelowOn ?? ukDay(n.createdAt);
    if (compareIsoDates(addMonths(since, ARCHIVE_BELOW_THRESHOLD_MONTHS), day) <= 0) {
      items.push({ day, step: 'archive', kind: 'network', id: n.id, reference: n.reference, reason: 'below_threshold', since });
    }
  }
  return items;
}

/** Every record past its retention or its ceiling on the day, in the order they are erased (a record's cascade may take later ones). */
function erasePlan(db: Db, day: string): RetentionItem[] {
  const p = policyOn(db, day).periods;
  const byKind = new Map<EraseKind, RetentionItem[]>(ERASE_ORDER.map((k) => [k, []]));
  const seen = new Set<string>();
  const add = (kind: EraseKind, id: string, reference: string, reason: RetentionReason, since: string): void => {
    if (seen.has(`${kind}:${id}`)) return;
    seen.add(`${kind}:${id}`);
    byKind.get(kind)!.push({ day, step: 'erase', kind, id, reference, reason, since });
  };
  const isDue = (since: string, months: number): boolean => compareIsoDates(addMonths(since, months), day) <= 0;
  for (const n of archivedNetworks(db)) if (isDue(n.archivedOn, p.archivedNetworkRetentionMonths.value)) add('network', n.id, n.reference, 'archived_retention', n.archivedOn);
  for (const r of peopleWithNothingCurrent(db)) {
    const since = ukDay(r.lastActiveAt);
    if (isDue(since, p.inactivePersonRetentionMonths.value)) add('person', r.id, r.reference, 'inactive_person', since);
  }
  // The absolute ceiling first: it names the older date, whatever the link's or flag's status.
  const ceiling = evidenceOlderThan(db, addDays(addMonths(day, -12 * p.evidenceCeilingYears.value), 3));
  const isPastCeiling = (latest: string): boolean => compareIsoDates(evidenceCeilingOn(policyOn(db, day), latest), day) <= 0;
  for (const r of ceiling.links) if (isPastCeiling(r.latestEvidenceOn)) add('link', r.id, r.id, 'evidence_ceiling', r.latestEvidenceOn);
  for (const r of ceiling.flags) if (isPastCeiling(r.latestEvidenceOn)) add('flag', r.id, r.id, 'evidence_ceiling', r.latestEvidenceOn);
  for (const r of endedLinks(db)) {
    const since = ukDay(r.endedAt);
    if (isDue(since, p.endedRecordRetentionMonths.value)) add('link', r.id, r.id, 'ended_retention', since);
  }
  for (const r of endedFlags(db)) {
    const since = ukDay(r.endedAt);
    if (isDue(since, p.endedRecordRetentionMonths.value)) add('flag', r.id, r.id, 'ended_retention', since);
  }
  const tomorrowStarts = ukDayStartUtc(addDays(day, 1)).toISOString();
  for (const r of unlinkedOffences(db, tomorrowStarts)) {
    const since = ukDay(r.since);
    if (isDue(since, p.unlinkedOffenceRetentionMonths.value)) add('offence', r.id, r.reference, 'unlinked_offence', since);
  }
  for (const r of uncitedIntelligence(db, tomorrowStarts)) {
    const since = ukDay(r.since);
    if (isDue(since, p.uncitedIntelligenceRetentionMonths.value)) add('intelligence', r.id, r.reference, 'uncited_intelligence', since);
  }
  return ERASE_ORDER.flatMap((k) => byKind.get(k)!);
}

/** The erasure's reason, kept in the erase register: the rule and the policy, never a name. */
function eraseReason(db: Db, item: RetentionItem): string {
  const p = policyOn(db, item.day);
  const v = p.periods;
  const run = `Retention run for ${uk(item.day)} (policy ${p.version})`;
  switch (item.reason) {
    case 'archived_retention':
      return `${run}: archived on ${uk(item.since)}, kept ${plural(v.archivedNetworkRetentionMonths.value, 'month', 'months')}.`;
    case 'inactive_person':
      return `${run}: nothing current since ${uk(item.since)}, kept ${plural(v.inactivePersonRetentionMonths.value, 'month', 'months')}.`;
    case 'ended_retention':
      return `${run}: ended on ${uk(item.since)}, kept ${plural(v.endedRecordRetentionMonths.value, 'month', 'months')}.`;
    case 'evidence_ceiling':
      return `${run}: most recent supporting evidence dated ${uk(item.since)}, past the ${plural(v.evidenceCeilingYears.value, 'year', 'years')} ceiling.`;
    case 'unlinked_offence':
      return `${run}: linked to no network since ${uk(item.since)}, kept ${plural(v.unlinkedOffenceRetentionMonths.value, 'month', 'months')}.`;
    case 'uncited_intelligence':
      return `${run}: cited by nothing, recorded on ${uk(item.since)}, kept ${plural(v.uncitedIntelligenceRetentionMonths.value, 'month', 'months')}.`;
    default:
      return run;
  }
}

export function runSummary(day: string, lapsed: number, archived: number, erased: number): string {
  return `Retention run for ${uk(day)}: ${lapsed} lapsed, ${archived} archived, ${erased} erased`;
}

/* ---- Without writing: the same steps, rolled back -------------------------------------------- */

/** One day's steps applied to the open transaction (no audit, no rescoring): what the run would do that day. */
function applyDay(db: Db, day: string): RetentionItem[] {
  const at = `${day}T12:00:00.000Z`;
  const lapsed = lapsePlan(db, day);
  lapseLinks(db, lapsed.filter((i) => i.kind === 'link').map((i) => i.id), at, REVIEW_OVERDUE);
  lapseFlags(db, lapsed.filter((i) => i.kind === 'flag').map((i) => i.id), at, REVIEW_OVERDUE);
  const archived = archivePlan(db, day);
  archiveNetworks(db, archived.map((i) => i.id), day);
  dateArchivedNetworks(db, undatedArchivedNetworks(db), day);
  const erased: RetentionItem[] = [];
  for (const item of erasePlan(db, day)) {
    const target = findTarget(db, item.kind, item.id);
    if (!target || target.id !== item.id) continue;
    const rows = cascadeOf(db, item.kind, item.id);
    eraseRows(db, rows, referencesOf(db, rows));
    erased.push(item);
  }
  return [...lapsed, ...archived, ...erased];
}

function counts(items: readonly RetentionItem[]): { lapsed: number; archived: number; erased: number } {
  return { lapsed: items.filter((i) => i.step === 'lapse').length, archived: items.filter((i) => i.step === 'archive').length, erased: items.filter((i) => i.step === 'erase').length };
}

/* ---- The run ---------------------------------------------------------------------------------- */

export interface RetentionTimings {
  totalMs: number;
  lapseMs: number;
  archiveMs: number;
  eraseMs: number;
  /** The longest the main thread was held by one step (a plan and its transaction). */
  longestStepMs: number;
}

/**
 * The run for today, writing: three transactions (one per step that has something to do) and the
 * run's entry. `daily` also records the day, so the unlock runs it once a day.
 */
function runToday(s: Session, day: string, isDaily: boolean): { result: RetentionRunResult; timings: RetentionTimings } {
  const t0 = performance.now();
  const policy = policyOn(s.requireVault().db, day);
  const grace = policy.periods.reviewGraceDays.value;
  const items: RetentionItem[] = [];

  const l0 = performance.now();
  s.write((db, audit) => {
    const lapsed = lapsePlan(db, day);
    if (lapsed.length === 0) return;
    const at = s.ctx.now().toISOString();
    lapseLinks(db, lapsed.filter((i) => i.kind === 'link').map((i) => i.id), at, REVIEW_OVERDUE);
    lapseFlags(db, lapsed.filter((i) => i.kind === 'flag').map((i) => i.id), at, REVIEW_OVERDUE);
    for (const i of lapsed) {
      audit({
        action: 'alter',
        entityType: ENTITY[i.kind],
        entityId: i.id,
        summary: `${i.kind === 'link' ? 'Member link' : 'Gang flag'} ${i.id} lapsed (${REVIEW_OVERDUE}): review due ${uk(i.since)}, past the ${plural(grace, 'day', 'days')} of grace (retention run for ${uk(day)})`,
      });
    }
    items.push(...lapsed);
  });
  const lapseMs = performance.now() - l0;

  const a0 = performance.now();
  s.write((db, audit) => {
    const archived = archivePlan(db, day);
    archiveNetworks(db, archived.map((i) => i.id), day);
    for (const i of archived) {
      audit({ action: 'alter', entityType: 'network', entityId: i.id, summary: `Network ${i.reference} archived: below threshold since ${uk(i.since)}, for ${ARCHIVE_BELOW_THRESHOLD_MONTHS} months (retention run for ${uk(day)})` });
    }
    const undated = undatedArchivedNetworks(db);
    if (undated.length > 0) {
      dateArchivedNetworks(db, undated, day);
      audit({ action: 'alter', entityType: 'network', entityId: null, summary: `${plural(undated.length, 'network archived', 'networks archived')} without a recorded day dated ${uk(day)}, from which retention runs (retention run for ${uk(day)}): ${undated.join(', ')}` });
    }
    items.push(...archived);
  });
  const archiveMs = performance.now() - a0;

  const e0 = performance.now();
  const entries = s.write((db, audit) => {
    const plan = erasePlan(db, day);
    if (plan.length === 0) return [];
    const done = eraseWithin(s, db, audit, plan.map((i) => ({ kind: i.kind, id: i.id, reason: eraseReason(db, i) })));
    const erased = new Set(done.erased.map((e) => `${e.kind}:${e.recordId}`));
    items.push(...plan.filter((i) => erased.has(`${i.kind}:${i.id}`)));
    return done.entries;
  });
  finishRetentionErasures(s, entries);
  const eraseMs = performance.now() - e0;

  const c = counts(items);
  const summary = runSummary(day, c.lapsed, c.archived, c.erased);
  s.write((db, audit) => {
    if (isDaily) writeMeta(db, DAILY_RETENTION_META, day);
    audit({ action: 'alter', entityType: 'retention', entityId: null, summary });
  });
  const totalMs = performance.now() - t0;
  return {
    result: { day, isDryRun: false, policyVersion: policy.version, ...c, items, summary },
    timings: { totalMs, lapseMs, archiveMs, eraseMs, longestStepMs: Math.max(lapseMs, archiveMs, eraseMs) },
  };
}

/** What the run for a day would do, written nowhere (the steps applied and rolled back). */
function dryRun(s: Session, day: string): RetentionRunResult {
  const db = s.requireVault().db;
  const policy = policyOn(db, day);
  const items = withRollback(db, (tx) => applyDay(tx, day));
  const c = counts(items);
  return { day, isDryRun: true, policyVersion: policy.version, ...c, items, summary: `${runSummary(day, c.lapsed, c.archived, c.erased)} (dry run: nothing was changed)` };
}

function requireRetentionRole(s: Session): void {
  const user = s.requireUser();
  if (!(ERASERS as readonly string[]).includes(user.role)) throw new VaultError('forbidden', 'Only a supervisor or an administrator can run retention or see its forecast.');
}

/** IPC `retention:run`: today's run, or (another day, or `dryRun`) what it would do. */
export function runRetention(s: Session, input: unknown): RetentionRunResult {
  const d = retentionRunInput.parse(input ?? {});
  requireRetentionRole(s);
  const today = ukToday(s.ctx.now());
  const day = d.asOf ?? today;
  if (d.dryRun || day !== today) return dryRun(s, day);
  return runToday(s, day, false).result;
}

/** The run with its timings (the benchmark). */
export function runRetentionTimed(s: Session, opts: { isDaily?: boolean } = {}): { result: RetentionRunResult; timings: RetentionTimings } {
  s.requireUser();
  return runToday(s, ukToday(s.ctx.now()), opts.isDaily ?? false);
}

/** IPC `retention:forecast`: what each of the coming days' runs will do, as things stand; changes nothing. */
export function forecastRetention(s: Session, input: unknown): RetentionForecast {
  const d = retentionForecastInput.parse(input ?? {});
  requireRetentionRole(s);
  const from = d.from ?? ukToday(s.ctx.now());
  const n = d.days ?? FORECAST_DAYS;
  const db = s.requireVault().db;
  const byDay = withRollback(db, (tx) => {
    const out: { day: string; items: RetentionItem[] }[] = [];
    for (let i = 1; i <= n; i++) {
      const day = addDays(from, i);
      out.push({ day, items: applyDay(tx, day) });
    }
    return out;
  });
  const items = byDay.flatMap((x) => x.items);
  return { from: addDays(from, 1), to: addDays(from, n), days: byDay.map((x) => ({ day: x.day, ...counts(x.items) })), items, totals: counts(items) };
}

/* ---- Daily, at unlock ------------------------------------------------------------------------ */

/** Due at unlock: not yet run today, and the vault holds some record (an empty vault has nothing to retain). */
export function isDailyRetentionDue(db: Db, today: string): boolean {
  return readMeta(db, DAILY_RETENTION_META) !== today && hasRetainedRecords(db);
}

/**
 * NOT YET CALLED: the run at unlock is switched off until the demo generator's dates and the
 * tests' fixed clocks sit within the policy (switched on, the demo vault's first unlock lapses and
 * erases synthetic records whose review fell due long ago). Retention runs on demand meanwhile.
 *
 * At unlock: the first unlock of a UK day runs retention for today, as the unlocking user (the
 * run's entries say it was the retention run). A failure is logged and never stops the unlock;
 * the next unlock tries again. Returns the result, or null when it was not due or failed.
 */
export function startDailyRetention(s: Session): RetentionRunResult | null {
  try {
    const vault = s.requireVault();
    const today = ukToday(s.ctx.now());
    if (!isDailyRetentionDue(vault.db, today)) return null;
    return runToday(s, today, true).result;
  } catch (e) {
    if (!(e instanceof VaultError && e.code === 'locked')) console.error(`[retention] the daily retention run failed: ${e instanceof Error ? e.message : 'unknown error'}`);
    return null;
  }
}
