/**
 * The main process's one session: which vault is selected, whether it is unlocked, and who is
 * signed in. Services take the session; the IPC layer and the CLI own one each.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionUser } from '../../preload/contract';
import { appendAudit, readHead, writeExternalHead, type AuditEntryInput } from '../audit/audit';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { writeFileAtomic } from '../vault/keyfile';
import type { Vault } from '../vault/vault';
import type { AppContext } from './context';

interface StateConfig {
  vaultPath?: string;
}

export type AuditFn = (e: Omit<AuditEntryInput, 'userId' | 'userName'>) => void;

export class Session {
  vault: Vault | null = null;
  user: SessionUser | null = null;
  auditWarning: string | null = null;
  isRecoveryUnconfirmed = false;
  /** This workstation's id in the vault's record of workstations, while unlocked (workstations.service). */
  workstationId: string | null = null;
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
  write<T>(fn: (db: Db, audit: AuditFn) => T): T {
    const vault = this.requireVault();
    const actor = { userId: this.user?.id ?? null, userName: this.user?.name ?? null };
    const result = vault.tx((db) => fn(db, (e) => void appendAudit(db, vault.auditKey, { ...actor, ...e }, this.ctx.now())));
    writeExternalHead(this.ctx.stateDir, vault.vaultId, vault.auditKey, readHead(vault.db));
    return result;
  }

  /** Drop the handle and the key. Safe to call when already locked. */
  closeVault(): void {
    this.vault?.close();
    this.vault = null;
    this.user = null;
    this.auditWarning = null;
    this.isRecoveryUnconfirmed = false;
    this.workstationId = null;
  }
}
