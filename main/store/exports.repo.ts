/**
 * The export register (docs/specification.md, "Every export"): one row per numbered copy of a return that
 * left the vault, written in the same transaction as its 'disclose' audit entry, with the day after
 * which the copy must be destroyed.
 */
import type { ExportRegisterRow, ReturnKind } from '../../preload/contract/schemas/returns';
import type { Db } from '../vault/database';

/** A register row as it is written: with the id of the user who exported it. */
export interface ExportEntry extends ExportRegisterRow {
  userId: string;
}

interface Raw {
  id: string;
  at: string;
  user_name: string;
  kind: string;
  period: string;
  format: string;
  rule_set: string;
  purpose: string;
  recipient: string;
  copy_number: number;
  file_name: string;
  bytes: number;
  sha256: string;
  audit_head_seq: number | null;
  audit_head_hash: string | null;
  destroy_after: string | null;
}

const map = (r: Raw): ExportRegisterRow => ({
  id: r.id,
  at: r.at,
  userName: r.user_name,
  kind: r.kind,
  period: r.period,
  format: r.format,
  ruleSet: r.rule_set,
  purpose: r.purpose,
  recipient: r.recipient,
  copyNumber: r.copy_number,
  fileName: r.file_name,
  bytes: r.bytes,
  sha256: r.sha256,
  auditHeadSeq: r.audit_head_seq,
  auditHeadHash: r.audit_head_hash,
  destroyAfter: r.destroy_after,
});

/** Copies are numbered per kind of return, from 1. */
export function nextCopyNumber(db: Db, kind: ReturnKind): number {
  return ((db.prepare('SELECT max(copy_number) FROM export_register WHERE kind = ?').pluck().get(kind) as number | null) ?? 0) + 1;
}

export function insertExport(db: Db, e: ExportEntry): void {
  db.prepare(
    `INSERT INTO export_register (id, at, user_id, user_name, kind, period, format, rule_set, purpose, recipient, copy_number, file_name, bytes, sha256, audit_head_seq, audit_head_hash, destroy_after)
     VALUES (@id, @at, @userId, @userName, @kind, @period, @format, @ruleSet, @purpose, @recipient, @copyNumber, @fileName, @bytes, @sha256, @auditHeadSeq, @auditHeadHash, @destroyAfter)`,
  ).run(e);
}

export function isExportRecorded(db: Db, id: string): boolean {
  return db.prepare('SELECT 1 FROM export_register WHERE id = ?').get(id) !== undefined;
}

/** The register, newest first: every row, or (given a user id) that user's own. */
export function listExportRegister(db: Db, userId: string | null): ExportRegisterRow[] {
  const rows = (
    userId === null
      ? db.prepare('SELECT * FROM export_register ORDER BY at DESC, copy_number DESC').all()
      : db.prepare('SELECT * FROM export_register WHERE user_id = ? ORDER BY at DESC, copy_number DESC').all(userId)
  ) as Raw[];
  return rows.map(map);
}
