/**
 * The key slots as the vault vouches for them: what an unlock found when it compared the key file
 * with the vault's registry (main/vault/slot-registry.ts), written to the audit log and shown in
 * the app status; the registry's first build for a vault from before it; and each slot with its
 * state for the Users screen and `vault info`.
 */
import type { KeySlotRow } from '../../preload/contract';
import { listUsers, type UserRow } from '../store/users.repo';
import type { Db } from '../vault/database';
import type { Slot } from '../vault/keyfile';
import { isProblem, slotProblem, type FindingCode, type RegisteredSlot, type SlotFinding } from '../vault/slot-registry';
import type { UnlockedVault, Vault } from '../vault/vault';
import type { AuditFn, Session } from './session';

const short = (id: string): string => id.slice(0, 8);

function whoFor(users: Map<string, UserRow>, f: { kind: 'user' | 'recovery'; userId: string | null }): string {
  if (f.kind === 'recovery') return 'the recovery code';
  const u = f.userId ? users.get(f.userId) : undefined;
  return u ? u.name : 'a user this vault does not have';
}

/** One sentence per finding, for the audit log. Names come from the vault's users table, never from the key file. */
export function describeFinding(f: SlotFinding, users: Map<string, UserRow>): string {
  const who = whoFor(users, f);
  const slot = `key slot ${short(f.slotId)}`;
  const sentences: Record<FindingCode, string> = {
    unknown_slot: `A ${f.kind} ${slot} in the key file is not one this vault issued: taken out of the key file, never given a data key`,
    second_recovery: `A second recovery slot (${short(f.slotId)}) in the key file is not one this vault issued: taken out of the key file, never given a data key`,
    removed_slot: `The ${slot} of ${who}, no longer trusted (removed or replaced), was in the key file: taken out`,
    wrong_owner: `The ${slot} in the key file claims a kind or user other than the vault recorded for it: taken out`,
    public_key_replaced: `The public key of the ${slot} of ${who} had been replaced in the key file: the registered key was put back`,
    older_copy:
      f.kind === 'recovery'
        ? `The recovery slot had been replaced by an older copy: taken out; issue a new recovery code`
        : `The ${slot} of ${who} had been replaced by an older copy (an earlier passphrase or format): taken out; set a new passphrase for ${who} with the recovery code`,
    missing: `The ${slot} of ${who} is missing from the key file`,
    add_completed: `A new ${slot} for ${who} was completed at this unlock (the change had stopped part-way)`,
    add_abandoned:
      f.action === 'taken_out'
        ? `A new ${slot} for ${who} was written but its change never completed: taken out of the key file; the previous one still applies`
        : `A new ${slot} for ${who} never reached the key file: dropped`,
    rewrite_completed: `A change to the ${slot} of ${who} (a new passphrase or format) was completed at this unlock (it had stopped part-way)`,
    rewrite_abandoned: `A change to the ${slot} of ${who} never reached the key file: the previous passphrase still applies`,
    replaced: `The previous ${slot} of ${who}, already replaced in the key file, is no longer trusted`,
    upgraded: `The ${slot} of ${who} was rewritten in slot format 2 (its kind, public key and KDF settings bound in; tied to this vault)`,
  };
  return sentences[f.code];
}

function usersById(db: Db): Map<string, UserRow> {
  return new Map(listUsers(db).map((u) => [u.id, u]));
}

/**
 * The first unlock of a vault from before the registry: build it from the key file as it is now.
 *
 * Why trust on first use is the best available here: until this version nothing recorded which
 * slots were legitimate, so the key file is the only record there is, and it cannot vouch for
 * itself. What can be checked is checked: the person unlocking has just proved a real secret for
 * their own slot; a user slot is trusted only if the vault's users table has that user and they are
 * not removed, and only one slot per user (if there are two, only the one just used); one recovery
 * slot is trusted, but if the file holds more than one, only the one just used (otherwise none, and
 * the administrator is told to issue a new code). A slot in the new format cannot predate the
 * registry and is never trusted this way. Everything not trusted is taken out of the key file. What
 * this cannot catch is a slot planted before the upgrade that passes every one of those checks
 * (say, a single user's slot swapped for one with the same user id): it is recorded here, and the
 * next passphrase change or recovery code replaces it.
 */
function buildOnFirstUse(vault: Vault, db: Db, audit: AuditFn, u: UnlockedVault, users: Map<string, UserRow>): string | null {
  const keys = vault.readKeys();
  const trusted = new Set<string>();
  const old = keys.slots.filter((s) => s.format !== 2);
  const byUser = new Map<string, Slot[]>();
  for (const s of old.filter((x) => x.kind === 'user' && x.userId !== null)) byUser.set(s.userId!, [...(byUser.get(s.userId!) ?? []), s]);
  for (const [userId, slots] of byUser) {
    const row = users.get(userId);
    if (!row || row.removedAt) continue;
    const pick = slots.length === 1 ? slots[0] : slots.find((s) => s.id === u.slot.id);
    if (pick) trusted.add(pick.id);
  }
  const recovery = old.filter((s) => s.kind === 'recovery');
  const recoveryPick = recovery.length === 1 ? recovery[0] : recovery.find((s) => s.id === u.slot.id);
  if (recoveryPick) trusted.add(recoveryPick.id);
  const { registered, takenOut } = vault.buildRegistry(db, trusted);
  const names = registered.map((s) => (s.kind === 'recovery' ? 'the recovery code' : (users.get(s.userId ?? '')?.name ?? '?')));
  const out = takenOut.map((s) => `${s.kind} key slot ${short(s.id)}${s.kind === 'user' ? ` (${whoFor(users, s)})` : ''}`);
  audit({
    action: 'key_change',
    entityType: 'vault',
    entityId: vault.vaultId,
    summary:
      `Key slot registry built at the first unlock after the upgrade, from the key file as it was then (trust on first use): ` +
      `${registered.length} slot${registered.length === 1 ? '' : 's'} registered (${names.join(', ')})` +
      (out.length > 0 ? `; not trusted and taken out of the key file: ${out.join(', ')}` : '') +
      (recovery.length > 1 && !recoveryPick ? '; the key file held more than one recovery slot, so none was trusted: issue a new recovery code' : ''),
  });
  if (out.length === 0 && !(recovery.length > 1 && !recoveryPick)) return null;
  return `When this vault's key slots were first checked, ${out.length === 0 ? 'the recovery slots' : `${out.length} of them`} could not be trusted${out.length === 0 ? '' : ' and were taken out of the key file'}. This is recorded in the audit log; tell an administrator.`;
}

/**
 * Inside the unlock's transaction: build the registry if this vault has none yet, and record every
 * finding of the unlock's comparison in the audit log. Problems (a slot the vault did not issue, a
 * second recovery slot, a removed user's slot, a replaced key or an older copy) also set the
 * warning the app status shows until the vault locks.
 */
export function recordKeySlots(vault: Vault, db: Db, audit: AuditFn, u: UnlockedVault): void {
  const users = usersById(db);
  const firstUse = u.isRegistryBuilt ? null : buildOnFirstUse(vault, db, audit, u, users);
  const problems = u.slotFindings.filter((f) => isProblem(f.code));
  for (const f of u.slotFindings) audit({ action: 'key_change', entityType: 'key_slot', entityId: f.slotId, summary: describeFinding(f, users) });
  const found =
    problems.length === 0
      ? null
      : `The key file held ${problems.length} key slot${problems.length === 1 ? '' : 's'} this vault does not trust; ${problems.length === 1 ? 'it was' : 'they were'} taken out, repaired or recorded in the audit log. Tell an administrator.`;
  vault.keySlotWarning = [firstUse, found].filter((w) => w !== null).join(' ') || null;
}

/** Slots a rotation did not re-seal, in the rotation's transaction. */
export function recordNotResealed(vault: Vault, db: Db, audit: AuditFn, findings: SlotFinding[]): void {
  const users = usersById(db);
  for (const f of findings) audit({ action: 'key_change', entityType: 'key_slot', entityId: f.slotId, summary: `Not re-sealed at the key rotation: ${describeFinding(f, users)}` });
  if (findings.length > 0) vault.keySlotWarning = `The key rotation found ${findings.length} key slot${findings.length === 1 ? '' : 's'} this vault does not trust and gave ${findings.length === 1 ? 'it' : 'them'} no key. Tell an administrator.`;
}

const kdfLabel = (k: { N: number; r: number; p: number }): string => `scrypt N=2^${Math.log2(k.N)} r=${k.r} p=${k.p}`;

const PROBLEM_TEXT: Partial<Record<FindingCode, string>> = {
  unknown_slot: 'Not issued by this vault',
  second_recovery: 'A second recovery slot not issued by this vault',
  removed_slot: 'No longer trusted, still in the key file',
  wrong_owner: 'Claims another kind or user',
  public_key_replaced: 'Public key replaced in the key file',
  older_copy: 'An older copy put back',
};

/**
 * Every slot the vault trusts or the key file holds, with its state and any problem: the key file
 * read now, compared with the registry.
 */
export function keySlotRows(vault: Vault, db: Db): KeySlotRow[] {
  const users = usersById(db);
  const registry = vault.registry();
  const byId = new Map<string, RegisteredSlot>(registry.map((r) => [r.slotId, r]));
  const file = vault.readKeys().slots;
  const inFile = new Map(file.map((s) => [s.id, s]));
  const rows: KeySlotRow[] = [];
  const nameOf = (id: string | null) => (id ? (users.get(id)?.name ?? null) : null);
  for (const reg of registry) {
    const slot = inFile.get(reg.slotId);
    if (reg.status === 'removed' && !slot) continue;
    const problem = slot ? slotProblem(slot, reg) : null;
    rows.push({
      slotId: reg.slotId,
      kind: reg.kind,
      userId: reg.userId,
      userName: nameOf(reg.userId),
      status: reg.status,
      format: slot?.format ?? reg.format,
      kdf: kdfLabel(slot?.kdf ?? reg.kdf),
      lastChangedAt: reg.changedAt,
      isInKeyFile: slot !== undefined,
      problem: !slot
        ? 'Missing from the key file'
        : problem
          ? (PROBLEM_TEXT[problem] ?? null)
          : reg.status === 'retiring'
            ? 'Works until the new recovery code is confirmed'
            : reg.pending
              ? 'A change is under way'
              : null,
    });
  }
  // Users by name, then the recovery slots oldest first (the registry's order, kept by a stable sort); slots the vault never issued last.
  const order = (r: KeySlotRow) => `${r.status === 'unregistered' ? 1 : 0}|${r.kind === 'user' ? 0 : 1}|${(r.userName ?? '').toLowerCase()}`;
  rows.sort((a, b) => order(a).localeCompare(order(b), 'en-GB'));
  for (const slot of file) {
    if (byId.has(slot.id)) continue;
    rows.push({
      slotId: slot.id,
      kind: slot.kind,
      userId: slot.userId,
      userName: nameOf(slot.userId),
      status: 'unregistered',
      format: slot.format ?? 1,
      kdf: kdfLabel(slot.kdf),
      lastChangedAt: slot.updatedAt,
      isInKeyFile: true,
      problem: PROBLEM_TEXT[slot.kind === 'recovery' ? 'second_recovery' : 'unknown_slot'] ?? null,
    });
  }
  return rows;
}

/** The Users screen's slot list (administrators). */
export function list(s: Session): KeySlotRow[] {
  s.requireUser();
  return keySlotRows(s.vault!, s.vault!.db);
}
