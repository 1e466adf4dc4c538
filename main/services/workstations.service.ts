/**
 * Workstation controls that cannot be deleted away. The throttle (unlock-failures.json) and the
 * record of the audit head (audit-heads/<vault>.json) live in the workstation's state folder, where
 * anyone who can write to it can delete them. So the vault remembers each workstation that has
 * unlocked it (its id, kept in `workstation.json` in the state folder), with the audit head and the
 * count of failed attempts it last reported, and checks them at the next unlock:
 *
 * - a known workstation whose record of the head has gone, or is older than the one it reported,
 *   is a warning;
 * - `workstation.json` counts every failed attempt against each vault and is never reset, so a
 *   count lower than the one the vault holds is a warning (the file was reset or replaced), and so
 *   are failures it counted that the throttle's own record no longer holds (that file was deleted);
 * - a workstation the vault does not know is recorded in the log at its first unlock, so a state
 *   folder deleted as a whole shows up as a new workstation.
 *
 * What it cannot do: a file edited consistently by someone who knows these formats, or failed
 * attempts made from a state folder that never unlocks the vault, leave no trace in the vault.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHead, type ExternalHead } from '../audit/audit';
import { findWorkstation, reportWorkstation, reportWorkstationHead } from '../store/workstations.repo';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { keysPathFor, readKeyFile, writeFileAtomic } from '../vault/keyfile';
import type { UnlockedVault } from '../vault/vault';
import type { AuditFn, Session } from './session';

const FILE_NAME = 'workstation.json';

interface WorkstationFile {
  format: 'harm-matrix-workstation';
  version: 1;
  id: string;
  createdAt: string;
  /** Failed passphrase checks counted against each vault (by id) on this workstation, ever. */
  failedAttempts: Record<string, number>;
}

function filePath(stateDir: string): string {
  return join(stateDir, FILE_NAME);
}

function readWorkstationFile(stateDir: string): WorkstationFile | null {
  try {
    const f = JSON.parse(readFileSync(filePath(stateDir), 'utf8')) as Partial<WorkstationFile>;
    if (f.format !== 'harm-matrix-workstation' || typeof f.id !== 'string' || !/^[0-9a-f-]{36}$/.test(f.id)) return null;
    const failedAttempts: Record<string, number> = {};
    for (const [k, v] of Object.entries(f.failedAttempts ?? {})) if (Number.isSafeInteger(v) && (v as number) >= 0) failedAttempts[k] = v as number;
    return { format: 'harm-matrix-workstation', version: 1, id: f.id, createdAt: String(f.createdAt ?? ''), failedAttempts };
  } catch {
    return null;
  }
}

function writeWorkstationFile(stateDir: string, f: WorkstationFile): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(filePath(stateDir), JSON.stringify(f));
}

/** This workstation's record, made on first use (a missing or unreadable file makes a new workstation). */
function thisWorkstation(stateDir: string, now: Date): WorkstationFile {
  const existing = readWorkstationFile(stateDir);
  if (existing) return existing;
  const made: WorkstationFile = { format: 'harm-matrix-workstation', version: 1, id: randomUUID(), createdAt: now.toISOString(), failedAttempts: {} };
  writeWorkstationFile(stateDir, made);
  return made;
}

/** Count one failed passphrase check against a vault on this workstation. */
export function countFailedAttempt(stateDir: string, vaultId: string, now: Date): void {
  const f = thisWorkstation(stateDir, now);
  f.failedAttempts[vaultId] = (f.failedAttempts[vaultId] ?? 0) + 1;
  writeWorkstationFile(stateDir, f);
}

/**
 * Run a passphrase check (an unlock or a recovery) and count it here when it fails on a wrong
 * passphrase, beside the throttle's own count, so deleting either file shows in the other.
 */
export function countingFailedAttempts<T>(s: Session, vaultPath: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof VaultError && e.code === 'wrong_passphrase') {
      // The key file was read for the check that failed; it names the vault the failure counts against.
      countFailedAttempt(s.ctx.stateDir, readKeyFile(keysPathFor(vaultPath)).vaultId, s.ctx.now());
    }
    throw e;
  }
}

/** What the checks at unlock found, and what this unlock will report to the vault. */
export interface WorkstationCheck {
  id: string;
  isKnown: boolean;
  failureTotal: number;
  /** Plain sentences for the person at the screen and the log. */
  warnings: string[];
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Compare what this workstation's state folder holds with what the vault remembers of it.
 * `ext` is the record of the audit head read at this unlock; `failures` the throttle's record of
 * failed attempts since the last unlock, which the unlock's own entry reports.
 */
export function checkWorkstation(s: Session, db: Db, vaultId: string, ext: ExternalHead, failures: UnlockedVault['failuresSinceLastUnlock']): WorkstationCheck {
  const file = thisWorkstation(s.ctx.stateDir, s.ctx.now());
  const failureTotal = file.failedAttempts[vaultId] ?? 0;
  const known = findWorkstation(db, file.id);
  const warnings: string[] = [];
  if (known) {
    if (ext.status === 'none') {
      warnings.push(
        known.lastHead
          ? `This workstation's record of the audit log is missing: it held entry ${known.lastHead.seq} when this workstation last used the vault, so it was deleted.`
          : "This workstation's record of the audit log is missing, although this workstation has used the vault before: it was deleted.",
      );
    } else if (ext.status === 'ok' && known.lastHead && ext.head.seq < known.lastHead.seq) {
      warnings.push(`This workstation's record of the audit log is at entry ${ext.head.seq}, older than the entry ${known.lastHead.seq} it last reported to the vault: it was replaced with an older copy.`);
    }
    if (failureTotal < known.failureTotal) {
      warnings.push(
        `This workstation's count of failed attempts on this vault went back from ${known.failureTotal} to ${failureTotal} since it last reported it: its record was reset or replaced, and failed attempts may be missing.`,
      );
    } else {
      const unreported = failureTotal - known.failureTotal - (failures?.count ?? 0);
      if (unreported > 0) {
        warnings.push(
          `${plural(unreported, 'failed attempt', 'failed attempts')} counted on this workstation since it last unlocked the vault ${unreported === 1 ? 'is' : 'are'} missing from its record of failed attempts, which was deleted or reset (so the slow-down after failures was lifted).`,
        );
      }
    }
  }
  return { id: file.id, isKnown: known !== null, failureTotal, warnings };
}

/** Inside the unlock's transaction, before its own entry: a new workstation, and each warning, in the log. */
export function auditWorkstation(audit: AuditFn, check: WorkstationCheck): void {
  if (!check.isKnown) audit({ action: 'unlock', entityType: 'workstation', entityId: check.id, summary: 'First unlock from this workstation' });
  for (const w of check.warnings) audit({ action: 'unlock', entityType: 'workstation', entityId: check.id, summary: `Workstation check at unlock: ${w}` });
}

/**
 * Inside the unlock's transaction, after its entries: what this workstation now reports (its count
 * of failed attempts, and the head it will hold once this transaction commits).
 */
export function recordWorkstationUnlock(s: Session, db: Db, check: WorkstationCheck): void {
  reportWorkstation(db, { id: check.id, at: s.ctx.now().toISOString(), head: readHead(db), failureTotal: check.failureTotal });
  s.workstationId = check.id;
}

/** Inside the creation's transaction: the workstation that made the vault is its first. */
export function recordCreatingWorkstation(s: Session, db: Db, vaultId: string): void {
  const file = thisWorkstation(s.ctx.stateDir, s.ctx.now());
  reportWorkstation(db, { id: file.id, at: s.ctx.now().toISOString(), head: readHead(db), failureTotal: file.failedAttempts[vaultId] ?? 0 });
  s.workstationId = file.id;
}

/** Inside the lock's transaction: the head this workstation will hold once it commits. */
export function recordWorkstationHead(s: Session, db: Db): void {
  if (s.workstationId) reportWorkstationHead(db, s.workstationId, readHead(db));
}
