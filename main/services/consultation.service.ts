/**
 * Opening a record is a consultation (DPA 2018 s.62): one audit entry per record a person opens.
 * A restricted record (main/domain/restricted-records.ts) opens only with a reason, stored as the
 * entry's justification and never in its summary. A reason covers that record for that person
 * until the vault locks: opening it again (or the card reading itself again after a change) writes
 * its entry with the same justification and asks nothing; after a lock it is asked for again.
 */
import type { RestrictedRecordKind } from '../../preload/contract/vocabulary';
import { VaultError } from '../vault/errors';
import type { Vault } from '../vault/vault';
import type { Session } from './session';

/**
 * Reasons given since the vault was unlocked, by user and record. Held beside the open vault in
 * memory only: every unlock opens a new Vault, so locking forgets them all, and nothing but the
 * audit entry ever holds a reason.
 */
const reasonsByVault = new WeakMap<Vault, Map<string, string>>();

export const REASON_REQUIRED_MESSAGE =
  'This record is restricted. Say why you are opening it: the reason is kept with your consultation in the audit log.';

export interface Consultation {
  entityType: 'network' | 'person';
  entityId: string;
  /** Says what was opened, never why: the reason goes in the justification only. */
  summary: string;
  /** The restricted kinds this record shows, of those switched on; empty when it is not restricted. */
  restrictions: readonly RestrictedRecordKind[];
}

/**
 * Record the opening, or refuse it with `reason_required` (writing nothing) when the record is
 * restricted and no reason was given now or since the last unlock.
 */
export function recordConsultation(s: Session, c: Consultation, reason?: string): void {
  const user = s.requireUser();
  const vault = s.requireVault();
  let reasons = reasonsByVault.get(vault);
  if (!reasons) reasonsByVault.set(vault, (reasons = new Map()));
  const key = JSON.stringify([user.id, c.entityType, c.entityId]);
  const isRestricted = c.restrictions.length > 0;
  const justification = reason ?? (isRestricted ? reasons.get(key) : undefined) ?? null;
  if (isRestricted && justification === null) throw new VaultError('reason_required', REASON_REQUIRED_MESSAGE);
  s.write((_db, audit) => audit({ action: 'consult', entityType: c.entityType, entityId: c.entityId, summary: c.summary, justification }));
  // Only once the entry is committed does the reason count as given.
  if (isRestricted && reason !== undefined) reasons.set(key, reason);
}

/** Forget the reasons given for records that have been erased (the audit entries keep theirs). */
export function forgetConsultationReasons(vault: Vault, entityIds: readonly string[]): void {
  const reasons = reasonsByVault.get(vault);
  if (!reasons || entityIds.length === 0) return;
  const gone = new Set(entityIds);
  for (const key of [...reasons.keys()]) {
    const [, , id] = JSON.parse(key) as [string, string, string];
    if (gone.has(id)) reasons.delete(key);
  }
}
