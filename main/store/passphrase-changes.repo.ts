/**
 * Users who must choose their own passphrase before they may do anything else (schema 0060): one
 * row per user whose passphrase was set by someone else, removed when they change it.
 */
import type { Db } from '../vault/database';

/** Why the passphrase is not the user's own: an administrator added them, or it was set with the recovery code. */
export type PassphraseChangeReason = 'added' | 'recovered';

export function markPassphraseChangeDue(db: Db, userId: string, reason: PassphraseChangeReason, now: Date): void {
  db.prepare(
    `INSERT INTO passphrase_changes_due (user_id, due_since, reason) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET due_since = excluded.due_since, reason = excluded.reason`,
  ).run(userId, now.toISOString(), reason);
}

export function passphraseChangeDue(db: Db, userId: string): PassphraseChangeReason | null {
  return (db.prepare('SELECT reason FROM passphrase_changes_due WHERE user_id = ?').pluck().get(userId) as PassphraseChangeReason | undefined) ?? null;
}

/** Every user who has not yet chosen their own passphrase. */
export function usersWithPassphraseChangeDue(db: Db): Set<string> {
  return new Set(db.prepare('SELECT user_id FROM passphrase_changes_due').pluck().all() as string[]);
}

/** True when a mark was removed. */
export function clearPassphraseChangeDue(db: Db, userId: string): boolean {
  return db.prepare('DELETE FROM passphrase_changes_due WHERE user_id = ?').run(userId).changes > 0;
}
