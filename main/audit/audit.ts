/**
 * The tamper-evident audit log (DPA 2018 s.62: collection, alteration, consultation, disclosure,
 * combination, erasure). Each entry's hash is HMAC-SHA-256 over its fields and the previous
 * entry's hash, under the audit key (derived from the vault's first data key and kept inside the
 * encrypted vault, so rotating the data key does not orphan the existing chain).
 *
 * The chain proves nothing was altered, removed or reordered in the middle; the head (last
 * sequence and hash), also kept outside the database on this workstation, catches truncation at
 * the end and a vault file rolled back to an older copy.
 *
 * Every write service calls appendAudit inside the same transaction as its write.
 */
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../vault/database';
import { writeFileAtomic } from '../vault/keyfile';
import { deriveFileMacKey, safeEqual } from '../vault/crypto';
import { ukDayStartUtc } from '../../preload/contract/uk-time';
import { addDays } from '../../preload/contract/dates';
import type { AuditAction } from '../../preload/contract/vocabulary';

export type { AuditAction };

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditActor {
  userId: string | null;
  userName: string | null;
}

export interface AuditEntryInput extends AuditActor {
  action: AuditAction;
  entityType: string;
  entityId: string | null;
  /** Never a sensitive value: say what was done, not what the record holds. */
  summary: string;
  justification?: string | null;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  at: string;
  justification: string | null;
  prevHash: string;
  hash: string;
}

interface AuditRow {
  seq: number;
  at: string;
  user_id: string | null;
  user_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: string;
  justification: string | null;
  prev_hash: string;
  hash: string;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    userId: r.user_id,
    userName: r.user_name,
    action: r.action as AuditAction,
    entityType: r.entity_type,
    entityId: r.entity_id,
    summary: r.summary,
    justification: r.justification,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function entryHash(key: Buffer, e: Omit<AuditEntry, 'hash'>): string {
  const canonical = JSON.stringify([
    'hm-audit-v1',
    e.seq,
    e.at,
    e.userId,
    e.userName,
    e.action,
    e.entityType,
    e.entityId,
    e.summary,
    e.justification,
    e.prevHash,
  ]);
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export function readHead(db: Db): AuditHead {
  const row = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditHead | undefined;
  return row ?? { seq: 0, hash: GENESIS_HASH };
}

/** The stored hash of entry `seq`, or null when the log has no such entry. */
export function entryHashAt(db: Db, seq: number): string | null {
  const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: string } | undefined;
  return row?.hash ?? null;
}

/**
 * Append one entry. Must run inside the caller's transaction, so the write it records and the
 * entry commit together or not at all.
 */
export function appendAudit(db: Db, key: Buffer, input: AuditEntryInput, now: Date): AuditEntry {
  if (!db.inTransaction) throw new Error('appendAudit must run inside the write transaction');
  const head = readHead(db);
  const base = {
    seq: head.seq + 1,
    at: now.toISOString(),
    userId: input.userId,
    userName: input.userName,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    summary: input.summary,
    justification: input.justification ?? null,
    prevHash: head.hash,
  };
  const hash = entryHash(key, base);
  db.prepare(
    `INSERT INTO audit_log (seq, at, user_id, user_name, action, entity_type, entity_id, summary, justification, prev_hash, hash)
     VALUES (@seq, @at, @userId, @userName, @action, @entityType, @entityId, @summary, @justification, @prevHash, @hash)`,
  ).run({ ...base, hash });
  return { ...base, hash };
}

export type VerifyResult =
  | { isIntact: true; count: number; head: AuditHead }
  | { isIntact: false; count: number; firstBrokenSeq: number; reason: string };

/**
 * Walk the chain from the start. Names the first entry that does not verify. With `knownHead`
 * (the head recorded outside the database), also reports a log that ends before it.
 */
export function verifyAudit(db: Db, key: Buffer, knownHead?: AuditHead | null): VerifyResult {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  const byHead = new Map<number, string>();
  for (const raw of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<AuditRow>) {
    const e = toEntry(raw);
    count++;
    if (e.seq !== expectedSeq) {
      return { isIntact: false, count, firstBrokenSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
    }
    if (e.prevHash !== prev) {
      return { isIntact: false, count, firstBrokenSeq: e.seq, reason: `entry ${e.seq} does not follow entry ${e.seq - 1}` };
    }
    const { hash, ...rest } = e;
    if (!safeEqual(entryHash(key, rest), hash)) {
      return { isIntact: false, count, firstBrokenSeq: e.seq, reason: `entry ${e.seq} has been altered` };
    }
    if (knownHead && e.seq === knownHead.seq) byHead.set(e.seq, e.hash);
    prev = hash;
    expectedSeq++;
  }
  const last = expectedSeq - 1;
  if (knownHead && knownHead.seq > 0) {
    if (last < knownHead.seq) {
      return {
        isIntact: false,
        count,
        firstBrokenSeq: last + 1,
        reason: `the log ends at entry ${last} but this workstation last recorded entry ${knownHead.seq}: entries were removed or the vault was rolled back to an older copy`,
      };
    }
    if (byHead.get(knownHead.seq) !== knownHead.hash) {
      return {
        isIntact: false,
        count,
        firstBrokenSeq: knownHead.seq,
        reason: `entry ${knownHead.seq} differs from the one this workstation recorded: the vault was replaced by a different copy`,
      };
    }
  }
  return { isIntact: true, count, head: { seq: last, hash: prev } };
}

export interface AuditFilter {
  userName?: string;
  action?: AuditAction;
  /** Only entries with one of these actions (a card shows each role its own part of the trail). */
  actions?: readonly AuditAction[];
  entityType?: string;
  entityId?: string;
  /** Entries about any of these records (a record and the links that hang off it). */
  entityIds?: string[];
  /** inclusive, YYYY-MM-DD, a UK calendar day */
  from?: string;
  /** inclusive, YYYY-MM-DD, a UK calendar day */
  to?: string;
  limit?: number;
}

export function listAudit(db: Db, f: AuditFilter): AuditEntry[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.userName) {
    where.push('user_name = @userName COLLATE NOCASE');
    params.userName = f.userName;
  }
  if (f.action) {
    where.push('action = @action');
    params.action = f.action;
  }
  if (f.actions) {
    where.push('action IN (SELECT value FROM json_each(@actions))');
    params.actions = JSON.stringify(f.actions);
  }
  if (f.entityType) {
    where.push('entity_type = @entityType');
    params.entityType = f.entityType;
  }
  if (f.entityId) {
    where.push('entity_id = @entityId');
    params.entityId = f.entityId;
  }
  if (f.entityIds) {
    where.push('entity_id IN (SELECT value FROM json_each(@entityIds))');
    params.entityIds = JSON.stringify(f.entityIds);
  }
  // The dates are UK calendar days: an entry at 00:30 BST on 1 July (23:30 UTC on 30 June)
  // belongs to 1 July.
  if (f.from) {
    where.push('at >= @from');
    params.from = ukDayStartUtc(f.from).toISOString();
  }
  if (f.to) {
    where.push('at < @to');
    params.to = ukDayStartUtc(addDays(f.to, 1)).toISOString();
  }
  params.limit = f.limit ?? 10_000;
  const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
  return (db.prepare(sql).all(params) as AuditRow[]).map(toEntry);
}

/* ---- The head outside the database ---------------------------------------------------------- */

interface HeadFile {
  vaultId: string;
  seq: number;
  hash: string;
  mac: string;
}

function headPath(stateDir: string, vaultId: string): string {
  return join(stateDir, 'audit-heads', `${vaultId}.json`);
}

function headMac(auditKey: Buffer, vaultId: string, head: AuditHead): string {
  return createHmac('sha256', deriveFileMacKey(auditKey)).update(`${vaultId}|${head.seq}|${head.hash}`).digest('hex');
}

export function writeExternalHead(stateDir: string, vaultId: string, auditKey: Buffer, head: AuditHead): void {
  mkdirSync(join(stateDir, 'audit-heads'), { recursive: true, mode: 0o700 });
  const file: HeadFile = { vaultId, seq: head.seq, hash: head.hash, mac: headMac(auditKey, vaultId, head) };
  writeFileAtomic(headPath(stateDir, vaultId), JSON.stringify(file));
}

export type ExternalHead =
  | { status: 'none' }
  | { status: 'invalid' }
  | { status: 'ok'; head: AuditHead };

export function readExternalHead(stateDir: string, vaultId: string, auditKey: Buffer): ExternalHead {
  const p = headPath(stateDir, vaultId);
  if (!existsSync(p)) return { status: 'none' };
  try {
    const f = JSON.parse(readFileSync(p, 'utf8')) as HeadFile;
    const head = { seq: Number(f.seq), hash: String(f.hash) };
    if (f.vaultId !== vaultId || !safeEqual(headMac(auditKey, vaultId, head), String(f.mac))) return { status: 'invalid' };
    return { status: 'ok', head };
  } catch {
    return { status: 'invalid' };
  }
}
