import type { Db } from '../vault/database';

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

export function insertIntelligence(db: Db, i: IntelligenceRecord): void {
  db.prepare(
    `INSERT INTO intelligence (id, reference, item_date, summary, grading, source_grade, intel_grade, handling, legacy_grade, source_ref, created_at, created_by)
     VALUES (@id, @reference, @itemDate, @summary, @grading, @sourceGrade, @intelGrade, @handling, @legacyGrade, @sourceRef, @createdAt, @createdBy)`,
  ).run(i);
}

export function attachIntelligenceToNetwork(db: Db, networkId: string, intelId: string): void {
  db.prepare('INSERT OR IGNORE INTO network_intelligence (network_id, intel_id) VALUES (?, ?)').run(networkId, intelId);
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
