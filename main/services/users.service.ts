import { randomUUID } from 'node:crypto';
import { VaultError } from '../vault/errors';
import { checkPassphrase } from '../vault/passphrase';
import { setUserUnit, countActiveAdministrators, findActiveUserByName, findUser, insertUser, listUsers, markUserRemoved, type Role, type UserRow } from '../store/users.repo';
import type { Session } from './session';
import { markUserSlotsRemoved } from '../vault/slot-registry';
import { markPassphraseChangeDue, usersWithPassphraseChangeDue } from '../store/passphrase-changes.repo';
import { passphraseRelatedWords, requireSameSession, rotateKey } from './vault.service';
import { wipeSlotKey, type DerivedSlotKey } from '../vault/keyfile';
import { keyStatement } from './signing.service';

export function list(s: Session): UserRow[] {
  s.requireUser();
  const due = usersWithPassphraseChangeDue(s.vault!.db);
  return listUsers(s.vault!.db).map((u) => ({ ...u, mustChangePassphrase: due.has(u.id) }));
}

/**
 * Add a user: the key slot is recorded in the vault's slot registry as being added and written to
 * the key file first, then the user row, its audit entry and the registry's record that the slot
 * is in use commit in one transaction; if that transaction fails the slot is taken out again. A
 * slot the registry does not trust can never unlock, and the next unlock finishes or drops an add
 * that stopped between the two (main/vault/slot-registry.ts).
 *
 * A user added by an administrator must choose their own passphrase before anything else.
 * `isPassphraseTheirOwn` says the person who will use the account chose it: only the demo vault's
 * synthetic users, who share their creator's passphrase.
 */
export function add(s: Session, args: { name: string; role: Role; passphrase: string; unit?: string }, opts: { isPassphraseTheirOwn?: boolean } = {}, derived?: DerivedSlotKey): UserRow {
  checkNewUser(s, args);
  const vault = s.vault!;
  const id = randomUUID();
  // The administrator's signed entry registers the new slot's signing key before the key file is written.
  const slot = vault.putUserSlot(
    id,
    args.name,
    args.passphrase,
    (db, key) =>
      s.appendIn(db, { action: 'user_change', entityType: 'user', entityId: id, summary: "Key slot made for a new user; its signing key registered", statements: [keyStatement(id, key)] }),
    derived,
  );
  try {
    return s.write((db, audit) => {
      const row = insertUser(db, { id, name: args.name, role: args.role, createdBy: s.user!.id, unit: args.unit }, s.ctx.now());
      slot.complete(db);
      audit({
        action: 'user_change',
        entityType: 'user',
        entityId: id,
        summary: `User added with role ${args.role}`,
        statements: [{ t: 'user', userId: id, role: args.role, status: 'active' }],
      });
      if (!opts.isPassphraseTheirOwn) markPassphraseChangeDue(db, id, 'added', s.ctx.now());
      return row;
    });
  } catch (e) {
    slot.abandon();
    throw e;
  }
}

/** What adding a user checks before any derivation: who asks, the name and the passphrase. */
function checkNewUser(s: Session, args: { name: string; passphrase: string; unit?: string }): void {
  s.requireUser();
  const vault = s.vault!;
  // SQLite's NOCASE folds ASCII only; unlock finds a slot by the name's hash (lower case, spacing
  // ignored: keyfile.ts normaliseUserName). Check both, or a name differing only in the case of an
  // accented letter or in its spacing would get a slot that can never be reached.
  if (findActiveUserByName(vault.db, args.name) || vault.hasSlotNamed(args.name)) {
    throw new VaultError('conflict', 'A user with that name already exists.');
  }
  const check = checkPassphrase(args.passphrase, [args.name], passphraseRelatedWords(vault.db, args.unit));
  if (!check.isAcceptable) throw new VaultError('weak_passphrase', check.problems.join(' '));
}

/**
 * add, with the new slot's key derived off the main thread (the app's and the command line's
 * users:add): the name and passphrase are checked first, so a refusal costs no derivation, and
 * again by add itself, as anything may have changed while the key was derived; and the session
 * must still be the administrator's who asked (requireSameSession).
 */
export async function addAsync(s: Session, args: { name: string; role: Role; passphrase: string; unit?: string }, opts: { isPassphraseTheirOwn?: boolean } = {}): Promise<UserRow> {
  checkNewUser(s, args);
  const vault = s.vault!;
  const me = s.user!.id;
  const derived = await vault.deriveNewSlotKey(args.passphrase);
  try {
    requireSameSession(s, vault, me);
    return add(s, args, opts, derived);
  } finally {
    wipeSlotKey(derived);
  }
}

/**
 * Remove a user: the row is marked removed (with its audit entry), then the slot is deleted.
 * Optionally rotates the data key so a copy of the old key file opens nothing written after.
 */
export function remove(s: Session, args: { userId: string; rotateKey: boolean }): { isRemoved: boolean; isKeyRotated: boolean } {
  const me = s.requireUser();
  const vault = s.vault!;
  const target = findUser(vault.db, args.userId);
  if (!target || target.removedAt) throw new VaultError('not_found', 'That user was not found or has already been removed.');
  if (target.id === me.id) throw new VaultError('conflict', 'You cannot remove yourself. Ask another administrator.');
  if (target.role === 'administrator' && countActiveAdministrators(vault.db) <= 1) {
    throw new VaultError('conflict', 'The vault must keep at least one administrator.');
  }
  s.write((db, audit) => {
    markUserRemoved(db, target.id, me.id, s.ctx.now());
    // The registry stops trusting the user's slots with the removal itself, so even if the key
    // file is not rewritten (next line), no unlock or rotation uses them again.
    markUserSlotsRemoved(db, target.id, s.ctx.now());
    audit({
      action: 'user_change',
      entityType: 'user',
      entityId: target.id,
      summary: `User removed (was ${target.role}); key slot deleted`,
      statements: [{ t: 'user', userId: target.id, role: target.role, status: 'removed' }],
    });
  });
  vault.removeUserSlot(target.id);
  let isKeyRotated = false;
  if (args.rotateKey) {
    rotateKey(s);
    isKeyRotated = true;
  }
  return { isRemoved: true, isKeyRotated };
}

/** Record a user's unit (validators must be independent of the claiming unit). */
export function setUnit(s: Session, args: { userId: string; unit: string }): UserRow {
  s.requireUser();
  const vault = s.vault!;
  const target = findUser(vault.db, args.userId);
  if (!target || target.removedAt) throw new VaultError('not_found', 'That user was not found or has been removed.');
  return s.write((db, audit) => {
    setUserUnit(db, target.id, args.unit);
    audit({ action: 'user_change', entityType: 'user', entityId: target.id, summary: `Unit changed from "${target.unit}" to "${args.unit.trim()}"` });
    return findUser(db, target.id)!;
  });
}
