/**
 * The main process's one session: which vault is selected, whether it is unlocked, and who is
 * signed in. Services take the session; the IPC layer and the CLI own one each.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionUser } from '../../preload/contract';
import { appendAudit, appendCheckpoint, readHead, signingBeganAt, writeExternalHead, type AuditEntryInput, type RegistryUser, type SigningKey, type Statement } from '../audit/audit';
import { listUsers } from '../store/users.repo';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { writeFileAtomic } from '../vault/keyfile';
import type { Vault } from '../vault/vault';
import type { AppContext } from './context';

interface StateConfig {
  vaultPath?: string;
}

export type AuditFn = (e: Omit<AuditEntryInput, 'userId' | 'userName' | 'role'>) => void;

/** Who a write is recorded and signed as, when it is not the signed-in user with their own key. */
export interface WriteAs {
  signer: SigningKey;
  /** The signer's key slot (named by the checkpoint, if this write begins signing). */
  slotId: string;
  actor: { userId: string | null; userName: string | null; role: string | null };
}

/** The users as the vault's table holds them, for the checkpoint that begins signing in an older vault. */
function checkpointUsers(db: Db): RegistryUser[] {
  return listUsers(db).map((u) => ({ userId: u.id, role: u.role, status: u.removedAt ? ('removed' as const) : ('active' as const) }));
}

export class Session {
  vault: Vault | null = null;
  user: SessionUser | null = null;
  auditWarning: string | null = null;
  isRecoveryUnconfirmed = false;
  /** This workstation's id in the vault's record of workstations, while unlocked (workstations.service). */
  workstationId: string | null = null;
  /** The audit signing key of the slot this session unlocked with, and that slot. never log: key material. */
  signer: SigningKey | null = null;
  signerSlotId: string | null = null;
  /** Statements for this session's next entry (a flag on the entry it goes on top of). */
  pendingStatements: Statement[] = [];
  /** Called after the vault locks (Electron reloads the window so no renderer state survives). */
  onLocked: ((reason: string) => void) | null = null;

  constructor(readonly ctx: AppContext) {}

  get vaultPath(): string | null {
    try {
      const cfg = JSON.parse(readFileSync(join(this.ctx.stateDir, 'config.json'), 'utf8')) as StateConfig;
      return cfg.vaultPath ?? null;
    } catch {
      return null;
    }
  }

  set vaultPath(path: string | null) {
    mkdirSync(this.ctx.stateDir, { recursive: true, mode: 0o700 });
    const cfg: StateConfig = path ? { vaultPath: path } : {};
    writeFileAtomic(join(this.ctx.stateDir, 'config.json'), JSON.stringify(cfg));
  }

  get hasSelectedVault(): boolean {
    const p = this.vaultPath;
    return p !== null && existsSync(p);
  }

  requireVault(): Vault {
    if (!this.vault || !this.vault.isOpen) throw new VaultError('locked', 'The vault is locked. Unlock it to continue.');
    return this.vault;
  }

  requireUser(): SessionUser {
    this.requireVault();
    if (!this.user) throw new VaultError('locked', 'The vault is locked. Unlock it to continue.');
    return this.user;
  }

  /**
   * Run a write and its audit entries in one transaction, then record the new audit head on this
   * workstation. Every write service goes through here.
   */
  write<T>(fn: (db: Db, audit: AuditFn) => T, as?: WriteAs): T {
    const vault = this.requireVault();
    const result = vault.tx((db) => fn(db, (e) => this.appendIn(db, e, as)));
    writeExternalHead(this.ctx.stateDir, vault.vaultId, vault.auditKey, readHead(vault.db));
    return result;
  }

  /**
   * Append one entry inside a transaction already open (a key change's first record, made inside
   * the vault's own transaction). Signed with the session's key; the first signed entry of an
   * older vault is preceded by the checkpoint that begins signing.
   */
  appendIn(db: Db, e: Omit<AuditEntryInput, 'userId' | 'userName' | 'role'>, as?: WriteAs): void {
    const vault = this.requireVault();
    const signer = as?.signer ?? this.signer;
    const actor = as?.actor ?? { userId: this.user?.id ?? null, userName: this.user?.name ?? null, role: this.user?.role ?? null };
    const now = this.ctx.now();
    if (signer && signingBeganAt(db) === null) {
      appendCheckpoint(db, vault.auditKey, signer, { ...actor, slotId: as?.slotId ?? this.signerSlotId ?? '' }, checkpointUsers(db), now);
    }
    const statements = [...this.pendingStatements, ...(e.statements ?? [])];
    this.pendingStatements = [];
    appendAudit(db, vault.auditKey, { ...actor, ...e, statements }, now, signer);
  }

  /** Drop the handle and the key. Safe to call when already locked. */
  closeVault(): void {
    this.vault?.close();
    this.vault = null;
    this.user = null;
    this.auditWarning = null;
    this.isRecoveryUnconfirmed = false;
    this.workstationId = null;
    this.signer = null;
    this.signerSlotId = null;
    this.pendingStatements = [];
  }
}
