import type { HarmOffence, HarmWindows } from '../domain/disruption-harm';
import type { Db } from '../vault/database';
import { insertColumns, insertRow } from './columns';
import { cachedStatement } from './statements';

export interface OffenceRecord {
  id: string;
  crimeReference: string;
  hoCode: string;
  category: string;
  offenceDate: string;
  borough: string;
  stage: 'convicted' | 'charged' | 'arrested' | 'intelligence' | 'nfa' | 'acquitted';
  weapon: 'firearm_discharged' | 'firearm' | 'knife' | 'none';
  isVictimUnder20: boolean;
  createdAt: string;
  createdBy: string | null;
}

export interface OffenceLinkRecord {
  id: string;
  offenceId: string;
  networkId: string;
  rationale: string;
  status: 'proposed' | 'confirmed' | 'rejected';
  proposedBy: string | null;
  confirmedBy: string | null;
  confirmedAt: string | null;
  createdAt: string;
}

interface Raw {
  id: string;
  crime_reference: string;
  ho_code: string;
  category: string;
  offence_date: string;
  borough_code: string;
  stage: OffenceRecord['stage'];
  weapon: OffenceRecord['weapon'];
  is_victim_under_20: number;
  created_at: string;
  created_by: string | null;
}

const map = (r: Raw): OffenceRecord => ({
  id: r.id,
  crimeReference: r.crime_reference,
  hoCode: r.ho_code,
  category: r.category,
  offenceDate: r.offence_date,
  borough: r.borough_code,
  stage: r.stage,
  weapon: r.weapon,
  isVictimUnder20: r.is_victim_under_20 === 1,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** The offences table as every insert writes it: here, and in bulk by the import (import.repo.ts). */
export const OFFENCE_COLUMNS = insertColumns('offences', [
  'id',
  'crime_reference',
  'ho_code',
  'category',
  'offence_date',
  'borough_code',
  'stage',
  'weapon',
  'is_victim_under_20',
  'created_at',
  'created_by',
]);

export function offenceValues(o: OffenceRecord): unknown[] {
  return [o.id, o.crimeReference, o.hoCode, o.category, o.offenceDate, o.borough, o.stage, o.weapon, o.isVictimUnder20 ? 1 : 0, o.createdAt, o.createdBy];
}

export function insertOffence(db: Db, o: OffenceRecord): void {
  insertRow(db, OFFENCE_COLUMNS, offenceValues(o));
}

export function crimeReferenceExists(db: Db, crimeReference: string): boolean {
  return db.prepare('SELECT 1 FROM offences WHERE crime_reference = ?').get(crimeReference) !== undefined;
}

/** Offences whose crime reference starts with `prefix` (taken literally: `%` and `_` match only themselves), in crime-reference order. */
export function findOffencesByCrimeReference(db: Db, prefix: string, limit: number): OffenceRecord[] {
  const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (db.prepare("SELECT * FROM offences WHERE crime_reference LIKE ? ESCAPE '\\' ORDER BY crime_reference LIMIT ?").all(pattern, limit) as Raw[]).map(map);
}

export function updateOffenceStage(db: Db, id: string, stage: OffenceRecord['stage']): void {
  db.prepare('UPDATE offences SET stage = ? WHERE id = ?').run(stage, id);
}

export function getOffence(db: Db, id: string): OffenceRecord | null {
  const r = db.prepare('SELECT * FROM offences WHERE id = ?').get(id) as Raw | undefined;
  return r ? map(r) : null;
}

/** The offence_links table as every insert writes it: here, and in bulk by the import (import.repo.ts). */
export const OFFENCE_LINK_COLUMNS = insertColumns('offence_links', ['id', 'offence_id', 'network_id', 'rationale', 'status', 'proposed_by', 'confirmed_by', 'confirmed_at', 'created_at']);

/** The intelligence an offence link cites. */
export const OFFENCE_LINK_INTELLIGENCE_COLUMNS = insertColumns('offence_link_intelligence', ['link_id', 'intel_id'], true);

export function offenceLinkValues(l: OffenceLinkRecord): unknown[] {
  return [l.id, l.offenceId, l.networkId, l.rationale, l.status, l.proposedBy, l.confirmedBy, l.confirmedAt, l.createdAt];
}

export function insertOffenceLink(db: Db, l: OffenceLinkRecord, intelIds: string[]): void {
  insertRow(db, OFFENCE_LINK_COLUMNS, offenceLinkValues(l));
  for (const i of intelIds) insertRow(db, OFFENCE_LINK_INTELLIGENCE_COLUMNS, [l.id, i]);
}

/** Whether the offence and the network are linked, in any status. */
export function offenceLinkExists(db: Db, offenceId: string, networkId: string): boolean {
  return db.prepare('SELECT 1 FROM offence_links WHERE offence_id = ? AND network_id = ?').get(offenceId, networkId) !== undefined;
}

export function getOffenceLink(db: Db, id: string): OffenceLinkRecord | null {
  const r = db.prepare('SELECT * FROM offence_links WHERE id = ?').get(id) as Record<string, string | null> | undefined;
  return r
    ? {
        id: r.id!,
        offenceId: r.offence_id!,
        networkId: r.network_id!,
        rationale: r.rationale!,
        status: r.status as OffenceLinkRecord['status'],
        proposedBy: r.proposed_by,
        confirmedBy: r.confirmed_by,
        confirmedAt: r.confirmed_at,
        createdAt: r.created_at!,
      }
    : null;
}

export function setOffenceLinkStatus(db: Db, id: string, status: OffenceLinkRecord['status'], by: string, at: string): void {
  db.prepare('UPDATE offence_links SET status = ?, confirmed_by = ?, confirmed_at = ? WHERE id = ?').run(status, by, at, id);
}

export interface NetworkOffenceRow extends OffenceRecord {
  linkId: string;
  linkStatus: OffenceLinkRecord['status'];
  rationale: string;
}

export function listOffencesForNetwork(db: Db, networkId: string): NetworkOffenceRow[] {
  const rows = db
    .prepare(
      `SELECT o.*, l.id AS link_id, l.status AS link_status, l.rationale FROM offence_links l JOIN offences o ON o.id = l.offence_id
       WHERE l.network_id = ? ORDER BY o.offence_date DESC`,
    )
    .all(networkId) as (Raw & { link_id: string; link_status: OffenceLinkRecord['status']; rationale: string })[];
  return rows.map((r) => ({ ...map(r), linkId: r.link_id, linkStatus: r.link_status, rationale: r.rationale }));
}

/** Networks whose score depends on this offence (any link status: a status change matters too). */
export function networksOfOffence(db: Db, offenceId: string): string[] {
  return db.prepare('SELECT DISTINCT network_id FROM offence_links WHERE offence_id = ?').pluck().all(offenceId) as string[];
}

/**
 * A network's confirmed offences in the two windows of harm before and after
 * (main/domain/disruption-harm.ts), as [category, stage, offence date].
 */
export function confirmedOffencesAround(db: Db, networkId: string, w: HarmWindows): IterableIterator<HarmOffence> {
  return cachedStatement(
    db,
    `SELECT o.category, o.stage, o.offence_date FROM offence_links l JOIN offences o ON o.id = l.offence_id
     WHERE l.network_id = ? AND l.status = 'confirmed' AND ((o.offence_date >= ? AND o.offence_date < ?) OR (o.offence_date > ? AND o.offence_date <= ?))`,
  )
    .raw()
    .iterate(networkId, w.beforeFrom, w.activityStart, w.activityEnd, w.afterTo) as IterableIterator<HarmOffence>;
}
