import type { Db } from '../vault/database';
import { insertColumns, insertRow } from './columns';

export interface NetworkRecord {
  id: string;
  reference: string;
  name: string;
  aliases: string;
  type: 'criminal_network' | 'gang' | 'peer_group';
  definitionsVersion: string;
  status: 'proposed' | 'active' | 'dormant' | 'archived';
  leadBorough: string;
  otherBoroughs: string[];
  businessGroup: 'SCD' | 'TP' | 'SO' | 'CO' | 'partner';
  unit: string;
  leadOfficer: string;
  createdAt: string;
  createdBy: string | null;
  lastReviewedOn: string | null;
  nextReviewOn: string;
  /** Set at meetings (none, draft, agreed, in progress, under review). */
  planStatus?: string;
}

interface Raw {
  id: string;
  reference: string;
  name: string;
  aliases: string;
  type: NetworkRecord['type'];
  definitions_version: string;
  status: NetworkRecord['status'];
  lead_borough: string;
  business_group: NetworkRecord['businessGroup'];
  unit: string;
  lead_officer: string;
  created_at: string;
  created_by: string | null;
  last_reviewed_on: string | null;
  next_review_on: string;
  other_boroughs: string | null;
  plan_status?: string;
}

const SELECT = `SELECT n.*, (SELECT group_concat(borough_code, ',') FROM network_boroughs b WHERE b.network_id = n.id) AS other_boroughs FROM networks n`;

function map(r: Raw): NetworkRecord {
  return {
    id: r.id,
    reference: r.reference,
    name: r.name,
    aliases: r.aliases,
    type: r.type,
    definitionsVersion: r.definitions_version,
    status: r.status,
    leadBorough: r.lead_borough,
    otherBoroughs: r.other_boroughs ? r.other_boroughs.split(',').sort() : [],
    businessGroup: r.business_group,
    unit: r.unit,
    leadOfficer: r.lead_officer,
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastReviewedOn: r.last_reviewed_on,
    nextReviewOn: r.next_review_on,
    planStatus: r.plan_status ?? 'none',
  };
}

/** The networks table as every insert writes it: here, and in bulk by the import (import.repo.ts). */
export const NETWORK_COLUMNS = insertColumns('networks', [
  'id',
  'reference',
  'name',
  'aliases',
  'type',
  'definitions_version',
  'status',
  'lead_borough',
  'business_group',
  'unit',
  'lead_officer',
  'created_at',
  'created_by',
  'last_reviewed_on',
  'next_review_on',
]);

/** A network's other boroughs of operation, one row each. */
export const NETWORK_BOROUGH_COLUMNS = insertColumns('network_boroughs', ['network_id', 'borough_code'], true);

/** A network's values in NETWORK_COLUMNS order (its other boroughs are rows of their own). */
export function networkValues(n: NetworkRecord): unknown[] {
  return [
    n.id,
    n.reference,
    n.name,
    n.aliases,
    n.type,
    n.definitionsVersion,
    n.status,
    n.leadBorough,
    n.businessGroup,
    n.unit,
    n.leadOfficer,
    n.createdAt,
    n.createdBy,
    n.lastReviewedOn,
    n.nextReviewOn,
  ];
}

export function insertNetwork(db: Db, n: NetworkRecord): void {
  insertRow(db, NETWORK_COLUMNS, networkValues(n));
  setOtherBoroughs(db, n.id, n.otherBoroughs);
}

export function updateNetwork(db: Db, n: NetworkRecord): void {
  db.prepare(
    `UPDATE networks SET name=@name, aliases=@aliases, type=@type, status=@status, lead_borough=@leadBorough, business_group=@businessGroup,
       unit=@unit, lead_officer=@leadOfficer, last_reviewed_on=@lastReviewedOn, next_review_on=@nextReviewOn WHERE id=@id`,
  ).run({ ...n, otherBoroughs: undefined, planStatus: undefined });
  setOtherBoroughs(db, n.id, n.otherBoroughs);
}

function setOtherBoroughs(db: Db, networkId: string, codes: string[]): void {
  db.prepare('DELETE FROM network_boroughs WHERE network_id = ?').run(networkId);
  for (const c of codes) insertRow(db, NETWORK_BOROUGH_COLUMNS, [networkId, c]);
}

export function networkReferenceExists(db: Db, reference: string): boolean {
  return db.prepare('SELECT 1 FROM networks WHERE reference = ?').get(reference) !== undefined;
}

/** Ids of a network's member links, offence links, flags and override requests: audited under their own ids, part of its trail. */
export function relatedRecordIds(db: Db, networkId: string): string[] {
  return db
    .prepare(
      `SELECT id FROM memberships WHERE network_id = @id UNION SELECT id FROM offence_links WHERE network_id = @id
       UNION SELECT id FROM gang_flags WHERE network_id = @id UNION SELECT id FROM band_overrides WHERE network_id = @id`,
    )
    .pluck()
    .all({ id: networkId }) as string[];
}

export function getNetwork(db: Db, id: string): NetworkRecord | null {
  const r = db.prepare(`${SELECT} WHERE n.id = ?`).get(id) as Raw | undefined;
  return r ? map(r) : null;
}

export function listNetworks(db: Db): NetworkRecord[] {
  return (db.prepare(`${SELECT} ORDER BY n.reference`).all() as Raw[]).map(map);
}

export function listNetworkIds(db: Db): string[] {
  return db.prepare('SELECT id FROM networks ORDER BY id').pluck().all() as string[];
}

/** Next free reference for a year: CN-2026-0001, CN-2026-0002 … */
export function nextNetworkReference(db: Db, year: number): string {
  const prefix = `CN-${year}-`;
  const last = db.prepare('SELECT reference FROM networks WHERE reference LIKE ? ORDER BY length(reference) DESC, reference DESC LIMIT 1').pluck().get(`${prefix}%`) as string | undefined;
  const n = last ? Number(last.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(n).padStart(4, '0')}`;
}
