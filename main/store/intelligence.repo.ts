import type { Db } from '../vault/database';
import { insertColumns, insertRow } from './columns';

export interface IntelligenceRecord {
  id: string;
  reference: string;
  itemDate: string;
  summary: string;
  grading: '3x5x2' | '5x5x5';
  sourceGrade: 1 | 2 | 3 | null;
  intelGrade: 'A' | 'B' | 'C' | 'D' | 'E' | null;
  handling: 'P' | 'C' | null;
  legacyGrade: string | null;
  sourceRef: string;
  createdAt: string;
  createdBy: string | null;
}

interface Raw {
  id: string;
  reference: string;
  item_date: string;
  summary: string;
  grading: IntelligenceRecord['grading'];
  source_grade: IntelligenceRecord['sourceGrade'];
  intel_grade: IntelligenceRecord['intelGrade'];
  handling: IntelligenceRecord['handling'];
  legacy_grade: string | null;
  source_ref: string;
  created_at: string;
  created_by: string | null;
}

export const mapIntelligence = (r: Raw): IntelligenceRecord => ({
  id: r.id,
  reference: r.reference,
  itemDate: r.item_date,
  summary: r.summary,
  grading: r.grading,
  sourceGrade: r.source_grade,
  intelGrade: r.intel_grade,
  handling: r.handling,
  legacyGrade: r.legacy_grade,
  sourceRef: r.source_ref,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** The intelligence table as every insert writes it: here, and in bulk by the import (import.repo.ts). */
export const INTELLIGENCE_COLUMNS = insertColumns('intelligence', [
  'id',
  'reference',
  'item_date',
  'summary',
  'grading',
  'source_grade',
  'intel_grade',
  'handling',
  'legacy_grade',
  'source_ref',
  'created_at',
  'created_by',
]);

/** Items held against a network. */
export const NETWORK_INTELLIGENCE_COLUMNS = insertColumns('network_intelligence', ['network_id', 'intel_id'], true);

export function intelligenceValues(i: IntelligenceRecord): unknown[] {
  return [i.id, i.reference, i.itemDate, i.summary, i.grading, i.sourceGrade, i.intelGrade, i.handling, i.legacyGrade, i.sourceRef, i.createdAt, i.createdBy];
}

export function insertIntelligence(db: Db, i: IntelligenceRecord): void {
  insertRow(db, INTELLIGENCE_COLUMNS, intelligenceValues(i));
}

export function intelligenceReferenceExists(db: Db, reference: string): boolean {
  return db.prepare('SELECT 1 FROM intelligence WHERE reference = ?').get(reference) !== undefined;
}

export function attachIntelligenceToNetwork(db: Db, networkId: string, intelId: string): void {
  insertRow(db, NETWORK_INTELLIGENCE_COLUMNS, [networkId, intelId]);
}

export function getIntelligenceMany(db: Db, ids: string[]): IntelligenceRecord[] {
  if (ids.length === 0) return [];
  const stmt = db.prepare('SELECT * FROM intelligence WHERE id = ?');
  return ids.map((id) => stmt.get(id) as Raw | undefined).filter((r): r is Raw => Boolean(r)).map(mapIntelligence);
}

export function listIntelligenceForNetwork(db: Db, networkId: string): IntelligenceRecord[] {
  return (
    db
      .prepare(
        `SELECT i.* FROM intelligence i JOIN network_intelligence ni ON ni.intel_id = i.id WHERE ni.network_id = ? ORDER BY i.item_date DESC, i.reference`,
      )
      .all(networkId) as Raw[]
  ).map(mapIntelligence);
}
