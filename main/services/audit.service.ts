import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { anchorSigningBytes, anchorStatement, anchorText, ANCHOR_FORMAT, ANCHOR_VERSION, type AnchorSignature, type AnchorSigner, type AuditHeadRef } from '../audit/anchor';
import { entryHashAt, listAudit, readExternalHead, readHead, readSigningRegistry, verifyAudit, type AuditEntry, type AuditFilter } from '../audit/audit';
import { signText, verifyText } from '../vault/signing';
import { VaultError } from '../vault/errors';
import { fsyncDir, publishNoReplace, tempNameBeside, writeNewFile } from '../vault/keyfile';
import { newFileTarget } from './files';
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

/* ---- Anchors (main/audit/anchor.ts) ------------------------------------------------------------- */

export interface AnchorWritten {
  path: string;
  fileName: string;
  vaultId: string;
  seq: number;
  hash: string;
  writtenAt: string;
  isSigned: boolean;
}

/**
 * Write an audit anchor: a head statement (main/audit/anchor.ts) in a new file, to be kept where
 * no user of the vault can reach it. Writing it is itself an 'export' entry, and the head the
 * statement records is the log's head with that entry, read in the same transaction; the file
 * takes its name (never replacing one) before that transaction commits, and goes again if it
 * does not.
 *
 * `signer` is the signature hook: given one, the statement carries its `signature` object;
 * without one (the app's handler today) it is written unsigned.
 */
/** The session's own signing key signs its anchors: whoever wrote one cannot later deny it, or forge another's. */
export function sessionAnchorSigner(s: Session): AnchorSigner | null {
  const key = s.signer;
  if (!key) return null;
  return (bytes) => ({ alg: 'ed25519', keyId: key.keyId, value: signText(key, bytes.toString('utf8')) });
}

export function writeAnchor(s: Session, input: { path: string }, signer: AnchorSigner | null = sessionAnchorSigner(s)): AnchorWritten {
  const user = s.requireUser();
  const vault = s.requireVault();
  const path = newFileTarget(s.ctx.documentsDir, input.path, 'An audit anchor');
  const fileName = basename(path);
  const temp = tempNameBeside(path, 'anchor');
  let written: AnchorWritten | null = null;
  let isPlaced = false;
  try {
    s.write((db, audit) => {
      audit({ action: 'export', entityType: 'audit_log', entityId: null, summary: `Audit anchor written: the log's head, file ${fileName}` });
      // The entry just appended: the head the statement records, and its time.
      const entry = listAudit(db, { limit: 1 })[0]!;
      const head = { seq: entry.seq, hash: entry.hash };
      const writtenAt = entry.at;
      const statement = anchorStatement({ vaultId: vault.vaultId, seq: head.seq, hash: head.hash, writtenAt, writtenBy: user.id }, signer);
      writeNewFile(temp, anchorText(statement));
      try {
        publishNoReplace(temp, path);
      } catch (e) {
        if (e instanceof VaultError && e.code === 'exists') throw new VaultError('exists', `${fileName} appeared while the anchor was being written; nothing was saved. Choose a new name.`);
        throw e;
      }
      isPlaced = true;
      written = { path, fileName, vaultId: vault.vaultId, seq: head.seq, hash: head.hash, writtenAt, isSigned: statement.signature !== undefined };
    });
  } catch (e) {
    const w = written as AnchorWritten | null;
    const isCommitted = w !== null && s.vault?.isOpen === true && entryHashAt(s.vault.db, w.seq) === w.hash;
    if (isPlaced && !isCommitted) rmSync(path, { force: true });
    if (e instanceof VaultError) throw e;
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new VaultError('io_error', `The anchor could not be written (${code}); nothing was saved and nothing was recorded.`);
    throw e;
  } finally {
    rmSync(temp, { force: true });
  }
  fsyncDir(dirname(path));
  return written!;
}

export interface AnchorCheck {
  /** The head checked against. */
  seq: number;
  hash: string;
  /** True when the log's entry `seq` is there, verifies, and has the anchor's hash. */
  isHeld: boolean;
  /** Why not, as a sentence fragment; null when held. */
  reason: string | null;
  /** The last entry the log holds now. */
  lastSeq: number;
  /**
   * An anchor statement's signature: 'valid' when it verifies with the key the signed registry
   * holds for the user who wrote it; 'none' for an unsigned statement or an export (which carries
   * none); 'invalid' otherwise, and the anchor is then not held.
   */
  signature: 'valid' | 'invalid' | 'none';
  /** The chain walk, as `verify` reports it (without this workstation's record). */
  isChainIntact: boolean;
  count: number;
  firstBrokenSeq: number | null;
  chainReason: string | null;
}

/**
 * Check the log against a head found outside the vault (an anchor statement or an export:
 * main/audit/anchor-finder.ts). Independent of this workstation's record of the head, so a log
 * cut short and that record deleted with it is still found out. A head that names another vault
 * is refused.
 */
/** Check an anchor statement's signature against the signed registry in the log. */
function anchorSignatureStatus(s: Session, head: { seq: number; hash: string; vaultId?: string | null; writtenAt?: string | null; writtenBy?: string | null; signature?: AnchorSignature | null }): AnchorCheck['signature'] {
  const sig = head.signature;
  if (!sig) return 'none';
  const keyId = typeof sig.keyId === 'string' ? sig.keyId : null;
  const value = typeof sig.value === 'string' ? sig.value : null;
  if (sig.alg !== 'ed25519' || !keyId || !value || !head.writtenAt || !head.writtenBy || !head.vaultId) return 'invalid';
  const key = readSigningRegistry(s.vault!.db).registry.keys.get(keyId);
  if (!key || key.userId !== head.writtenBy) return 'invalid';
  const bytes = anchorSigningBytes({ format: ANCHOR_FORMAT, version: ANCHOR_VERSION, vaultId: head.vaultId.toLowerCase(), seq: head.seq, hash: head.hash, writtenAt: head.writtenAt, writtenBy: head.writtenBy });
  return verifyText(key.publicKey, bytes.toString('utf8'), value) ? 'valid' : 'invalid';
}

export function verifyAgainstAnchor(
  s: Session,
  head: Pick<AuditHeadRef, 'seq' | 'hash'> & { vaultId?: string | null; writtenAt?: string | null; writtenBy?: string | null; signature?: AnchorSignature | null },
): AnchorCheck {
  s.requireUser();
  const vault = s.requireVault();
  if (head.vaultId && head.vaultId.toLowerCase() !== vault.vaultId.toLowerCase()) {
    throw new VaultError('invalid_input', `That file names the audit log of another vault (${head.vaultId}), not this one (${vault.vaultId}): it says nothing about this vault's log.`);
  }
  const chain = verifyAudit(vault.db, vault.auditKey);
  const lastSeq = readHead(vault.db).seq;
  const base = {
    seq: head.seq,
    hash: head.hash,
    lastSeq,
    isChainIntact: chain.isIntact,
    count: chain.count,
    firstBrokenSeq: chain.isIntact ? null : chain.firstBrokenSeq,
    chainReason: chain.isIntact ? null : chain.reason,
    signature: anchorSignatureStatus(s, head),
  };
  const stored = entryHashAt(vault.db, head.seq);
  let reason: string | null = null;
  if (lastSeq < head.seq) {
    reason =
      lastSeq + 1 >= head.seq
        ? `the log ends at entry ${lastSeq}, but the anchor records entry ${head.seq}: entry ${head.seq} is missing (removed, or the vault was rolled back to an older copy)`
        : `the log ends at entry ${lastSeq}, but the anchor records entry ${head.seq}: entries ${lastSeq + 1} to ${head.seq}, at least, are missing (removed, or the vault was rolled back to an older copy)`;
  } else if (stored === null) {
    reason = `entry ${head.seq}, the one the anchor records, is missing from the log`;
  } else if (stored !== head.hash) {
    reason = `entry ${head.seq} is not the entry the anchor records (its hash differs): the log was rewritten up to it, or this is a different copy of the vault`;
  } else if (base.signature === 'invalid') {
    reason = "the anchor's signature does not verify with the key the signed registry holds for the user it names: it was altered or forged";
  } else if (!chain.isIntact && chain.firstBrokenSeq <= head.seq) {
    reason = `the chain is broken at entry ${chain.firstBrokenSeq}, at or before the anchor's entry ${head.seq}, so the log cannot be shown to hold it`;
  }
  return { ...base, isHeld: reason === null, reason };
}
