/**
 * The vault's record of the workstations that have unlocked it (schema 0060): each one's first and
 * last unlock, the audit head its state folder held, and its count of failed attempts, as it last
 * reported them. Written in the transaction of the unlock or lock that reports them.
 */
import type { Db } from '../vault/database';

export interface WorkstationRecord {
  id: string;
  firstSeenAt: string;
  lastSeenAt: string;
  /** The audit head this workstation's state folder held when it last reported; null when it held none. */
  lastHead: { seq: number; hash: string } | null;
  /** Failed attempts this workstation had counted against this vault, as last reported. */
  failureTotal: number;
}

interface Raw {
  id: string;
  first_seen_at: string;
  last_seen_at: string;
  last_head_seq: number | null;
  last_head_hash: string | null;
  failure_total: number;
}

const map = (r: Raw): WorkstationRecord => ({
  id: r.id,
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
  lastHead: r.last_head_seq === null || r.last_head_hash === null ? null : { seq: r.last_head_seq, hash: r.last_head_hash },
  failureTotal: r.failure_total,
});

export function findWorkstation(db: Db, id: string): WorkstationRecord | null {
  const r = db.prepare('SELECT * FROM workstations WHERE id = ?').get(id) as Raw | undefined;
  return r ? map(r) : null;
}

export function listWorkstations(db: Db): WorkstationRecord[] {
  return (db.prepare('SELECT * FROM workstations ORDER BY first_seen_at, id').all() as Raw[]).map(map);
}

/** Record what a workstation reports now: added when new, its last sighting and figures updated when known. */
export function reportWorkstation(db: Db, r: { id: string; at: string; head: { seq: number; hash: string } | null; failureTotal: number }): void {
  db.prepare(
    `INSERT INTO workstations (id, first_seen_at, last_seen_at, last_head_seq, last_head_hash, failure_total)
     VALUES (@id, @at, @at, @seq, @hash, @failureTotal)
     ON CONFLICT (id) DO UPDATE SET last_seen_at = @at, last_head_seq = @seq, last_head_hash = @hash, failure_total = @failureTotal`,
  ).run({ id: r.id, at: r.at, seq: r.head?.seq ?? null, hash: r.head?.hash ?? null, failureTotal: r.failureTotal });
}

/** The audit head a known workstation holds after a write it made (its lock). */
export function reportWorkstationHead(db: Db, id: string, head: { seq: number; hash: string }): void {
  db.prepare('UPDATE workstations SET last_head_seq = ?, last_head_hash = ? WHERE id = ?').run(head.seq, head.hash, id);
}
