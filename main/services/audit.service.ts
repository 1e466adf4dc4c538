import { listAudit, readExternalHead, verifyAudit, type AuditEntry, type AuditFilter } from '../audit/audit';
import type { Session } from './session';

/** Reading the audit log is itself a consultation, and is recorded. */
export function list(s: Session, filter: AuditFilter): AuditEntry[] {
  s.requireUser();
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'audit_log', entityId: null, summary: 'Audit log viewed' }));
  return listAudit(s.vault!.db, filter);
}

export interface VerifyReport {
  isIntact: boolean;
  count: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  /** Entries from before signing began (an older vault): the chain's protection only. */
  beforeSigning: number;
  signaturesChecked: number;
}

/** `full` checks every entry's signature, not only those that vouch for the rest (audit.ts verifyAudit). */
export function verify(s: Session, opts: { full?: boolean } = {}): VerifyReport {
  s.requireUser();
  const vault = s.vault!;
  const ext = readExternalHead(s.ctx.stateDir, vault.vaultId, vault.auditKey);
  const r = verifyAudit(vault.db, vault.auditKey, ext.status === 'ok' ? ext.head : null, { full: opts.full === true });
  const facts = { count: r.count, beforeSigning: r.beforeSigning, signaturesChecked: r.signaturesChecked };
  // A roll-back or truncation seen at unlock moved this workstation's head on (the unlock itself is
  // an entry); the chain now verifies, but the finding stands for the session that made it.
  if (r.isIntact && s.auditWarning) return { isIntact: false, ...facts, firstBrokenSeq: null, reason: s.auditWarning };
  return r.isIntact ? { isIntact: true, ...facts, firstBrokenSeq: null, reason: null } : { isIntact: false, ...facts, firstBrokenSeq: r.firstBrokenSeq, reason: r.reason };
}
