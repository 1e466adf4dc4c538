/**
 * The vault's own record of its legitimate key slots (table `key_slots`, migration 0050): for each
 * slot its id, kind, user, public key and that key's SHA-256, KDF parameters, format, the key of
 * its vault commitment (keyfile.ts slotCommitment), its state and when it last changed.
 *
 * The key file beside the vault can be written by anyone with a minute in its folder; this table
 * is inside the encrypted database, changed only in the transactions that change users and keys
 * (with their audit entries). Every unlock and every rotation compares the file with it:
 * a slot it does not know, a second recovery slot, a removed user's slot, a slot whose public key
 * or KDF salt is not the registered one, or a format-2 slot put back as an older format-1 copy is
 * refused for unlocking and never receives a data key.
 *
 * A key change touches two files that cannot commit together, so each is written in the order
 * that can always be finished or undone: the registry first records the change as under way
 * (`adding`, or the `pending_*` columns of a slot being rewritten), then the key file is written,
 * then the registry records it as done in the transaction that writes its audit entry. If the app
 * stops in between, the next unlock compares the two and finishes or drops the change (reconcile),
 * and says so in the audit log.
 */
import { randomBytes } from 'node:crypto';
import { publicKeyHash, type ScryptParams } from './crypto';
import type { Db } from './database';
import type { KeyFile, Slot, SlotKind } from './keyfile';
import { readMeta, writeMeta } from './meta';

/** adding: recorded, not yet confirmed in the key file. retiring: a recovery slot that works until its successor is confirmed. */
export type RegistryStatus = 'adding' | 'active' | 'retiring' | 'removed';

export interface RegisteredSlot {
  slotId: string;
  kind: SlotKind;
  userId: string | null;
  /** spki DER, base64: kept whole, so a rotation seals to the registered key, never the file's. */
  publicKey: string;
  publicKeySha256: string;
  kdf: ScryptParams;
  format: 1 | 2;
  /** never log: key material. Null for a format-1 slot (it carries no commitment). */
  commitKey: Buffer | null;
  status: RegistryStatus;
  createdAt: string;
  changedAt: string;
  removedAt: string | null;
  /** A rewrite under way (passphrase change, format upgrade): the slot as it will be. */
  pending: { publicKey: string; publicKeySha256: string; kdf: ScryptParams; format: 1 | 2; commitKey: Buffer | null; since: string } | null;
}

interface Row {
  slot_id: string;
  kind: SlotKind;
  user_id: string | null;
  public_key: string;
  public_key_sha256: string;
  kdf: string;
  format: number;
  commit_key: Buffer | null;
  status: RegistryStatus;
  created_at: string;
  changed_at: string;
  removed_at: string | null;
  pending_public_key: string | null;
  pending_public_key_sha256: string | null;
  pending_kdf: string | null;
  pending_format: number | null;
  pending_commit_key: Buffer | null;
  pending_since: string | null;
}

const asFormat = (n: number): 1 | 2 => (n === 2 ? 2 : 1);

function fromRow(r: Row): RegisteredSlot {
  return {
    slotId: r.slot_id,
    kind: r.kind,
    userId: r.user_id,
    publicKey: r.public_key,
    publicKeySha256: r.public_key_sha256,
    kdf: JSON.parse(r.kdf) as ScryptParams,
    format: asFormat(r.format),
    commitKey: r.commit_key,
    status: r.status,
    createdAt: r.created_at,
    changedAt: r.changed_at,
    removedAt: r.removed_at,
    pending:
      r.pending_since && r.pending_public_key && r.pending_public_key_sha256 && r.pending_kdf && r.pending_format !== null
        ? {
            publicKey: r.pending_public_key,
            publicKeySha256: r.pending_public_key_sha256,
            kdf: JSON.parse(r.pending_kdf) as ScryptParams,
            format: asFormat(r.pending_format),
            commitKey: r.pending_commit_key,
            since: r.pending_since,
          }
        : null,
  };
}

/** A random key for a new slot's commitment. never log: key material. */
export function newCommitKey(): Buffer {
  return randomBytes(32);
}

/**
 * Whether this database's schema has the registry (schema 50 on). A vault made with an older
 * migration list, as the upgrade tests make the vaults earlier versions wrote, has none until it
 * migrates; its registry is then built at the first unlock, as for any vault from before it.
 */
export function hasSlotRegistry(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'key_slots'").get() !== undefined;
}

/** Set once the registry holds every legitimate slot: at creation, or at the first unlock after the upgrade (trust on first use). */
export function isRegistryBuilt(db: Db): boolean {
  return readMeta(db, 'slot_registry') === 'built';
}

export function markRegistryBuilt(db: Db, now: Date): void {
  writeMeta(db, 'slot_registry', 'built');
  writeMeta(db, 'slot_registry_built_at', now.toISOString());
}

export function readRegistry(db: Db): RegisteredSlot[] {
  return (db.prepare('SELECT * FROM key_slots ORDER BY created_at, slot_id').all() as Row[]).map(fromRow);
}

const kdfJson = (k: ScryptParams): string => JSON.stringify({ alg: k.alg, N: k.N, r: k.r, p: k.p, salt: k.salt });

export function registerSlot(db: Db, slot: Slot, commitKey: Buffer | null, status: RegistryStatus, now: Date): void {
  const at = now.toISOString();
  db.prepare(
    `INSERT INTO key_slots (slot_id, kind, user_id, public_key, public_key_sha256, kdf, format, commit_key, status, created_at, changed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(slot.id, slot.kind, slot.userId, slot.publicKey, publicKeyHash(slot.publicKey), kdfJson(slot.kdf), slot.format ?? 1, commitKey, status, at, at);
}

export function setSlotStatus(db: Db, slotId: string, status: RegistryStatus, now: Date): void {
  const at = now.toISOString();
  db.prepare(
    `UPDATE key_slots SET status = ?, changed_at = ?, removed_at = CASE WHEN ? = 'removed' THEN ? ELSE NULL END WHERE slot_id = ?`,
  ).run(status, at, status, at, slotId);
}

/** Every slot of a user leaves the registry's trust: used in the transaction that removes the user. */
export function markUserSlotsRemoved(db: Db, userId: string, now: Date): number {
  const at = now.toISOString();
  return db
    .prepare(`UPDATE key_slots SET status = 'removed', changed_at = ?, removed_at = ?, pending_public_key = NULL, pending_public_key_sha256 = NULL, pending_kdf = NULL, pending_format = NULL, pending_commit_key = NULL, pending_since = NULL WHERE user_id = ? AND status != 'removed'`)
    .run(at, at, userId).changes;
}

/** The recovery slots kept working until their successor was confirmed stop being trusted. Returns how many. */
export function removeRetiringRecovery(db: Db, now: Date): number {
  const at = now.toISOString();
  return db.prepare(`UPDATE key_slots SET status = 'removed', changed_at = ?, removed_at = ? WHERE kind = 'recovery' AND status = 'retiring'`).run(at, at).changes;
}

/** Record a rewrite of a slot as under way (before the key file is written). */
export function setPendingRewrite(db: Db, next: Slot, commitKey: Buffer | null, now: Date): void {
  db.prepare(
    `UPDATE key_slots SET pending_public_key = ?, pending_public_key_sha256 = ?, pending_kdf = ?, pending_format = ?, pending_commit_key = ?, pending_since = ? WHERE slot_id = ?`,
  ).run(next.publicKey, publicKeyHash(next.publicKey), kdfJson(next.kdf), next.format ?? 1, commitKey, now.toISOString(), next.id);
}

/** The key file now holds the rewritten slot: it becomes the registered one. */
export function completePendingRewrite(db: Db, slotId: string, now: Date): void {
  db.prepare(
    `UPDATE key_slots SET public_key = pending_public_key, public_key_sha256 = pending_public_key_sha256, kdf = pending_kdf, format = pending_format,
       commit_key = pending_commit_key, changed_at = ?, pending_public_key = NULL, pending_public_key_sha256 = NULL, pending_kdf = NULL,
       pending_format = NULL, pending_commit_key = NULL, pending_since = NULL
     WHERE slot_id = ? AND pending_since IS NOT NULL`,
  ).run(now.toISOString(), slotId);
}

export function dropPendingRewrite(db: Db, slotId: string): void {
  db.prepare(
    `UPDATE key_slots SET pending_public_key = NULL, pending_public_key_sha256 = NULL, pending_kdf = NULL, pending_format = NULL, pending_commit_key = NULL, pending_since = NULL WHERE slot_id = ?`,
  ).run(slotId);
}

/* ---- Comparing the key file with the registry (pure) ------------------------------------------ */

/** What the comparison found. The first group are problems (shown and recorded loudly); the rest are routine completions. */
export type FindingCode =
  | 'unknown_slot'
  | 'second_recovery'
  | 'removed_slot'
  | 'wrong_owner'
  | 'public_key_replaced'
  | 'older_copy'
  | 'missing'
  | 'add_completed'
  | 'add_abandoned'
  | 'rewrite_completed'
  | 'rewrite_abandoned'
  | 'replaced'
  | 'upgraded';

const PROBLEMS: ReadonlySet<FindingCode> = new Set(['unknown_slot', 'second_recovery', 'removed_slot', 'wrong_owner', 'public_key_replaced', 'older_copy', 'missing']);

export function isProblem(code: FindingCode): boolean {
  return PROBLEMS.has(code);
}

export interface SlotFinding {
  code: FindingCode;
  slotId: string;
  kind: SlotKind;
  /** The user the registry records (or, for a slot it does not know, the one the file claims). */
  userId: string | null;
  /** What was done about it, for the log. */
  action: 'taken_out' | 'repaired' | 'kept' | 'recorded';
}

const TRUSTED: ReadonlySet<RegistryStatus> = new Set(['adding', 'active', 'retiring']);

export function isTrusted(reg: RegisteredSlot | undefined): reg is RegisteredSlot {
  return reg !== undefined && TRUSTED.has(reg.status);
}

/** Why the registry does not accept a slot as it stands in the file, or null when it does. */
export function slotProblem(slot: Slot, reg: RegisteredSlot | undefined): FindingCode | null {
  if (!reg) return slot.kind === 'recovery' ? 'second_recovery' : 'unknown_slot';
  if (reg.status === 'removed') return 'removed_slot';
  if (reg.kind !== slot.kind || reg.userId !== slot.userId) return 'wrong_owner';
  const salts = [reg.kdf.salt, reg.pending?.kdf.salt].filter((x) => x !== undefined);
  const formats = [reg.format, reg.pending?.format].filter((x) => x !== undefined);
  // An older copy of a slot that has since been rewritten: its salt (and so its passphrase) is not
  // the registered one, or it is in format 1 where the registry has format 2.
  if (!salts.includes(slot.kdf.salt) || !formats.includes(slot.format ?? 1)) return 'older_copy';
  const keys = [reg.publicKeySha256, reg.pending?.publicKeySha256].filter((x) => x !== undefined);
  if (!keys.includes(publicKeyHash(slot.publicKey))) return 'public_key_replaced';
  return null;
}

/**
 * Compare every slot in the file with the registry. Recovery slots the registry does not know are
 * reported as a second recovery slot when a registered one is in the file, else as unknown.
 */
export function inspectKeyFile(keys: KeyFile, registry: RegisteredSlot[]): SlotFinding[] {
  const byId = new Map(registry.map((r) => [r.slotId, r]));
  const hasRegisteredRecovery = keys.slots.some((s) => s.kind === 'recovery' && isTrusted(byId.get(s.id)));
  const out: SlotFinding[] = [];
  for (const slot of keys.slots) {
    const reg = byId.get(slot.id);
    let code = slotProblem(slot, reg);
    if (code === 'second_recovery' && !hasRegisteredRecovery) code = 'unknown_slot';
    if (!code) continue;
    out.push({ code, slotId: slot.id, kind: reg?.kind ?? slot.kind, userId: reg?.userId ?? slot.userId, action: code === 'public_key_replaced' ? 'repaired' : 'taken_out' });
  }
  const inFile = new Set(keys.slots.map((s) => s.id));
  for (const reg of registry) {
    if (reg.status !== 'active' && reg.status !== 'retiring') continue;
    if (inFile.has(reg.slotId)) continue;
    out.push({ code: 'missing', slotId: reg.slotId, kind: reg.kind, userId: reg.userId, action: 'recorded' });
  }
  return out;
}
