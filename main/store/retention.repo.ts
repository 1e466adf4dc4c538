/**
 * The retention run's SQL (main/services/retention.service.ts): what is due to lapse, to be
 * archived and to be erased, and the two writes of its own (a lapse, an archive). Erasure itself
 * is store/erasure.repo.ts, through the erasure service.
 *
 * The candidates are read with a day's cut-off already applied where the SQL can (a review date,
 * a creation time); the service applies the policy's periods to the dates returned, so the rule
 * for each is written once, in the service.
 */
import type { Db } from '../vault/database';

const json = (ids: readonly string[]): string => JSON.stringify(ids);
const IN = (column: string) => `${column} IN (SELECT value FROM json_each(?))`;

/** Whether the vault holds any record the run looks at (an empty vault has nothing to lapse, archive or erase). */
export function hasRetainedRecords(db: Db): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM people) OR EXISTS (SELECT 1 FROM networks) OR EXISTS (SELECT 1 FROM offences) OR EXISTS (SELECT 1 FROM intelligence)').pluck().get() === 1;
}

/* ---- Lapse ---------------------------------------------------------------------------------- */

export interface DueRow {
  id: string;
  reviewOn: string;
}

/** Current (proposed or confirmed) member links whose review fell due on or before `lastDueOn`. */
export function linksDueBy(db: Db, lastDueOn: string): DueRow[] {
  return (db.prepare("SELECT id, review_on FROM memberships WHERE status IN ('proposed','confirmed') AND review_on <= ? ORDER BY review_on, id").raw().all(lastDueOn) as [string, string][]).map(([id, reviewOn]) => ({ id, reviewOn }));
}

/** Current (proposed or confirmed) gang flags whose review fell due on or before `lastDueOn`. */
export function flagsDueBy(db: Db, lastDueOn: string): DueRow[] {
  return (db.prepare("SELECT id, review_on FROM gang_flags WHERE status IN ('proposed','confirmed') AND review_on <= ? ORDER BY review_on, id").raw().all(lastDueOn) as [string, string][]).map(([id, reviewOn]) => ({ id, reviewOn }));
}

/** End these member links (status ended) with a reason. Only links still current change. */
export function lapseLinks(db: Db, ids: readonly string[], at: string, reason: string): number {
  return db.prepare(`UPDATE memberships SET status = 'ended', ended_at = ?, end_reason = ? WHERE ${IN('id')} AND status IN ('proposed','confirmed')`).run(at, reason, json(ids)).changes;
}

/** Expire these gang flags with a reason. Only flags still current change. */
export function lapseFlags(db: Db, ids: readonly string[], at: string, reason: string): number {
  return db.prepare(`UPDATE gang_flags SET status = 'expired', ended_at = ?, end_reason = ? WHERE ${IN('id')} AND status IN ('proposed','confirmed')`).run(at, reason, json(ids)).changes;
}

/* ---- Archive -------------------------------------------------------------------------------- */

export interface BelowRow {
  id: string;
  reference: string;
  createdAt: string;
  /** The first day of the latest unbroken run of below-threshold history rows; null when the history holds none. */
  firstBelowOn: string | null;
}

/**
 * Networks not archived whose stored effective band is below threshold, with the day their
 * latest unbroken run below threshold began (score history holds a row whenever the score or the
 * band changes, so the run began at the first below-threshold row after the last one above it).
 */
export function networksBelowThreshold(db: Db): BelowRow[] {
  const rows = db
    .prepare(
      `SELECT n.id, n.reference, n.created_at,
              (SELECT min(h.as_of) FROM score_history h WHERE h.network_id = n.id AND h.effective_band = 'below_threshold'
                 AND h.as_of > coalesce((SELECT max(a.as_of) FROM score_history a WHERE a.network_id = n.id AND a.effective_band <> 'below_threshold'), '')) AS first_below
         FROM networks n JOIN network_scores s ON s.network_id = n.id
        WHERE n.status <> 'archived' AND s.effective_band = 'below_threshold'
        ORDER BY n.reference`,
    )
    .raw()
    .all() as [string, string, string, string | null][];
  return rows.map(([id, reference, createdAt, firstBelowOn]) => ({ id, reference, createdAt, firstBelowOn }));
}

export function archiveNetworks(db: Db, ids: readonly string[], day: string): number {
  return db.prepare(`UPDATE networks SET status = 'archived', archived_on = ? WHERE ${IN('id')} AND status <> 'archived'`).run(day, json(ids)).changes;
}

/** Archived networks with no recorded archive day (archived by hand, or before the retention run existed). */
export function undatedArchivedNetworks(db: Db): string[] {
  return db.prepare("SELECT id FROM networks WHERE status = 'archived' AND archived_on IS NULL ORDER BY id").pluck().all() as string[];
}

export function dateArchivedNetworks(db: Db, ids: readonly string[], day: string): number {
  return db.prepare(`UPDATE networks SET archived_on = ? WHERE ${IN('id')} AND archived_on IS NULL`).run(day, json(ids)).changes;
}

/* ---- Erase ---------------------------------------------------------------------------------- */

export interface EndedRow {
  id: string;
  endedAt: string;
}

/** Member links ended (by hand or by a lapse), with when. */
export function endedLinks(db: Db): EndedRow[] {
  return (db.prepare("SELECT id, ended_at FROM memberships WHERE status = 'ended' AND ended_at IS NOT NULL ORDER BY id").raw().all() as [string, string][]).map(([id, endedAt]) => ({ id, endedAt }));
}

/** Gang flags expired or removed, with when. */
export function endedFlags(db: Db): EndedRow[] {
  return (db.prepare("SELECT id, ended_at FROM gang_flags WHERE status IN ('expired','removed') AND ended_at IS NOT NULL ORDER BY id").raw().all() as [string, string][]).map(([id, endedAt]) => ({ id, endedAt }));
}

export interface InactivePersonRow {
  id: string;
  reference: string;
  /** The latest of the person's creation and the end of each of their links and flags (ISO times). */
  lastActiveAt: string;
}

/** People with no current (proposed or confirmed) member link and no current gang flag. */
export function peopleWithNothingCurrent(db: Db): InactivePersonRow[] {
  const rows = db
    .prepare(
      `SELECT p.id, p.reference, max(p.created_at,
              coalesce((SELECT max(ended_at) FROM memberships m WHERE m.person_id = p.id), ''),
              coalesce((SELECT max(ended_at) FROM gang_flags f WHERE f.subject_type = 'person' AND f.subject_id = p.id), '')) AS last_active
         FROM people p
        WHERE p.id NOT IN (SELECT person_id FROM memberships WHERE status IN ('proposed','confirmed'))
          AND p.id NOT IN (SELECT subject_id FROM gang_flags WHERE subject_type = 'person' AND status IN ('proposed','confirmed'))
        ORDER BY p.id`,
    )
    .raw()
    .all() as [string, string, string][];
  return rows.map(([id, reference, lastActiveAt]) => ({ id, reference, lastActiveAt }));
}

export interface ArchivedRow {
  id: string;
  reference: string;
  archivedOn: string;
}

export function archivedNetworks(db: Db): ArchivedRow[] {
  return (db.prepare("SELECT id, reference, archived_on FROM networks WHERE status = 'archived' AND archived_on IS NOT NULL ORDER BY reference").raw().all() as [string, string, string][]).map(([id, reference, archivedOn]) => ({ id, reference, archivedOn }));
}

export interface SinceRow {
  id: string;
  reference: string;
  /** ISO time from which the record's retention runs. */
  since: string;
}

/**
 * Offences created before `createdBefore` that no network holds: no proposed or confirmed
 * offence link and no current gang flag. Their retention runs from the latest of their creation
 * and the creation or confirmation of any (rejected) link.
 */
export function unlinkedOffences(db: Db, createdBefore: string): SinceRow[] {
  const rows = db
    .prepare(
      `SELECT o.id, o.crime_reference, max(o.created_at, coalesce((SELECT max(max(l.created_at, coalesce(l.confirmed_at, ''))) FROM offence_links l WHERE l.offence_id = o.id), '')) AS since
         FROM offences o
        WHERE o.created_at < ?
          AND o.id NOT IN (SELECT offence_id FROM offence_links WHERE status IN ('proposed','confirmed'))
          AND o.id NOT IN (SELECT subject_id FROM gang_flags WHERE subject_type = 'offence' AND status IN ('proposed','confirmed'))
        ORDER BY o.crime_reference`,
    )
    .raw()
    .all(createdBefore) as [string, string, string][];
  return rows.map(([id, reference, since]) => ({ id, reference, since }));
}

/** Intelligence items created before `createdBefore` that nothing cites (no network, link, offence link, rating, flag or claim). */
export function uncitedIntelligence(db: Db, createdBefore: string): SinceRow[] {
  const rows = db
    .prepare(
      `SELECT i.id, i.reference, i.created_at FROM intelligence i
        WHERE i.created_at < ?
          AND i.id NOT IN (SELECT intel_id FROM network_intelligence)
          AND i.id NOT IN (SELECT intel_id FROM membership_intelligence)
          AND i.id NOT IN (SELECT intel_id FROM offence_link_intelligence)
          AND i.id NOT IN (SELECT intel_id FROM rating_support)
          AND i.id NOT IN (SELECT intel_id FROM gang_flag_intelligence)
          AND i.id NOT IN (SELECT intel_id FROM disruption_intelligence)
        ORDER BY i.reference`,
    )
    .raw()
    .all(createdBefore) as [string, string, string][];
  return rows.map(([id, reference, since]) => ({ id, reference, since }));
}

export interface EvidenceRow {
  id: string;
  /** The latest item date of the intelligence it cites, else the day it began (a link's start, a flag's proposal). */
  latestEvidenceOn: string;
}

/** Every member link and gang flag with the date of its most recent supporting evidence, when that is on or before `onOrBefore`. */
export function evidenceOlderThan(db: Db, onOrBefore: string): { links: EvidenceRow[]; flags: EvidenceRow[] } {
  const links = db
    .prepare(
      `SELECT id, latest FROM (SELECT m.id, coalesce((SELECT max(i.item_date) FROM membership_intelligence mi JOIN intelligence i ON i.id = mi.intel_id WHERE mi.membership_id = m.id), m.start_date) AS latest FROM memberships m)
        WHERE latest <= ? ORDER BY id`,
    )
    .raw()
    .all(onOrBefore) as [string, string][];
  const flags = db
    .prepare(
      `SELECT id, latest FROM (SELECT f.id, coalesce((SELECT max(i.item_date) FROM gang_flag_intelligence fi JOIN intelligence i ON i.id = fi.intel_id WHERE fi.flag_id = f.id), substr(f.proposed_at, 1, 10)) AS latest FROM gang_flags f)
        WHERE latest <= ? ORDER BY id`,
    )
    .raw()
    .all(onOrBefore) as [string, string][];
  const map = (r: [string, string][]): EvidenceRow[] => r.map(([id, latestEvidenceOn]) => ({ id, latestEvidenceOn }));
  return { links: map(links), flags: map(flags) };
}

/* ---- A dry run: the same steps, rolled back ------------------------------------------------- */

class RolledBack extends Error {}

/**
 * Run `fn` inside a transaction that is always rolled back: a dry run or a forecast applies the
 * run's own steps to see what follows from them, and nothing it did remains. Refused inside an
 * open transaction (a write must never be undone by a dry run).
 */
export function withRollback<T>(db: Db, fn: (db: Db) => T): T {
  if (db.inTransaction) throw new Error('withRollback cannot run inside another transaction');
  let out: T | undefined;
  try {
    db.transaction(() => {
      out = fn(db);
      throw new RolledBack();
    })();
  } catch (e) {
    if (!(e instanceof RolledBack)) throw e;
  }
  return out as T;
}
