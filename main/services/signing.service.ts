/**
 * The signed audit log at unlock (main/audit/audit.ts, "Signatures"): read the signed registry of
 * users and keys, act with the role it holds rather than the one in the users table, and settle
 * which key this session signs with.
 */
import { isSignatureValid, readLastEntry, readSigningRegistry, signingBeganAt, type Statement } from '../audit/audit';
import { listUsers } from '../store/users.repo';
import type { NewSigningKey, UnlockedVault } from '../vault/vault';
import type { Session } from './session';

export interface SettledSigning {
  /** The role the session acts with: the signed registry's once signing has begun. */
  role: string | null;
  /** Nothing the registry holds lets this user in any more. */
  isRemoved: boolean;
  warnings: string[];
}

const ROLE_WORDS: Record<string, string> = { administrator: 'administrator', supervisor: 'supervisor', analyst: 'analyst', viewer: 'viewer' };
const roleWord = (r: string): string => ROLE_WORDS[r] ?? r;

/** A new slot's key as a statement registering it for `userId` (null: the recovery slot). */
export function keyStatement(userId: string | null, key: NewSigningKey): Statement {
  return { t: 'key', userId, slotId: key.slotId, keyId: key.keyId, publicKey: key.publicKey };
}

/**
 * After the vault opened and before the session's first entry. `userId` is null for the recovery
 * code. Anything found goes into the unlock's warnings (shown on screen and written to the log).
 */
export function settleSigning(s: Session, u: UnlockedVault, userId: string | null, tableRole: string | null): SettledSigning {
  const db = u.vault.db;
  s.signer = u.signer;
  s.signerSlotId = u.slot.id;
  s.pendingStatements = [];
  if (signingBeganAt(db) === null) return { role: tableRole, isRemoved: false, warnings: [] };
  const warnings: string[] = [];
  const { registry, problem } = readSigningRegistry(db);
  if (problem) warnings.push(`The signed registry of users in the audit log does not verify (${problem.reason}).`);

  let role = tableRole;
  let isRemoved = false;
  if (userId !== null) {
    const signed = registry.users.get(userId);
    if (!signed) {
      warnings.push('This user has no signed record in the audit log: the users table was changed outside the app.');
    } else {
      isRemoved = signed.status === 'removed';
      if (tableRole !== null && signed.role !== tableRole) {
        warnings.push(`This user's role in the database (${roleWord(tableRole)}) is not the one the signed user registry holds (${roleWord(signed.role)}): the signed role applies.`);
      }
      role = signed.role;
    }
  }
  const differing = listUsers(db).filter((row) => {
    const signed = registry.users.get(row.id);
    return !signed || signed.role !== row.role || (signed.status === 'removed') !== Boolean(row.removedAt);
  });
  const others = differing.filter((row) => row.id !== userId).length;
  if (others > 0) warnings.push(`${others} other user record${others === 1 ? '' : 's'} in the database differ${others === 1 ? 's' : ''} from the signed user registry.`);

  const own = registry.keys.get(u.signer.keyId);
  const isOwn = own !== undefined && own.userId === userId && !own.isRetired;
  if (!isOwn) {
    const prev = u.previousSigner ? registry.keys.get(u.previousSigner.keyId) : undefined;
    if (u.previousSigner && prev && prev.userId === userId && !prev.isRetired) {
      // This unlock rewrote the slot in the current format (a new key pair): its old key registers the new one.
      const previous = u.previousSigner;
      s.write(
        (_db, audit) =>
          audit({
            action: 'key_change',
            entityType: userId === null ? 'vault' : 'user',
            entityId: userId ?? u.vault.vaultId,
            summary: 'Key slot rewritten in the current format; its new signing key registered',
            statements: [keyStatement(userId, { slotId: u.slot.id, keyId: u.signer.keyId, publicKey: u.signer.publicKey })],
          }),
        { signer: previous, slotId: u.slot.id, actor: { userId, userName: userId === null ? null : (listUsers(db).find((r) => r.id === userId)?.name ?? null), role } },
      );
    } else if (registry.keysOf(userId).length === 0 && registry.unsignedThrough > 0) {
      // An older vault began signing before this user's first unlock since: their key registers itself, once.
      s.pendingStatements.push(keyStatement(userId, { slotId: u.slot.id, keyId: u.signer.keyId, publicKey: u.signer.publicKey }));
    } else {
      warnings.push("This key slot's signing key is not one the signed registry holds for it: the key file or the audit log was changed outside the app.");
    }
  }

  // Each signer's app checks the entry it writes on top of: a failure is flagged in its own signed entry.
  const last = readLastEntry(db);
  if (last && last.signerKey !== null && !isSignatureValid(last, registry)) {
    s.pendingStatements.push({ t: 'flag', seq: last.seq, reason: 'its signature did not verify when the next entry was written' });
    warnings.push(`Audit entry ${last.seq} is not signed by the key it names: it was written or changed outside the app.`);
  }
  return { role, isRemoved, warnings };
}
