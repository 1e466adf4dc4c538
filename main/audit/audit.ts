/**
 * The tamper-evident audit log (DPA 2018 s.62: collection, alteration, consultation, disclosure,
 * combination, erasure).
 *
 * Two layers:
 * - **The chain.** Each entry's hash is HMAC-SHA-256 over its fields and the previous entry's hash,
 *   under the audit key (kept inside the encrypted vault). It proves nothing was altered, removed
 *   or reordered, but only against someone who cannot open the vault: anyone holding a key slot
 *   can recompute it.
 * - **Signatures.** Every entry since signing began is signed (Ed25519) by the user who acted,
 *   with a key derived from inside their passphrase-wrapped slot (main/vault/signing.ts). The
 *   signature covers the previous entry's hash, so one user cannot alter, remove, reorder or forge
 *   another user's entries without `verify` naming the first bad one. Which key belongs to whom,
 *   with what role, is itself in the log as signed statements (a checkpoint, keys registered by an
 *   administrator, users added, changed and removed), so editing `users.role` in the database gives
 *   nothing: `verify` and every unlock read roles from the signed registry.
 *
 * What the signatures cannot stop: a user removing their own most recent entries (nobody signed
 * after them). The head (last sequence and hash) printed on every export and kept on this
 * workstation, and `audit verify --anchor`, catch that.
 *
 * Entries from before signing (an older vault) are closed by a signed checkpoint naming the last
 * of them and its hash, and are reported as "before signing": they have the chain's protection
 * only.
 *
 * Every write service calls appendAudit inside the same transaction as its write.
 */
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../vault/database';
import { writeFileAtomic } from '../vault/keyfile';
import { deriveFileMacKey, safeEqual } from '../vault/crypto';
import { readMeta, writeMeta } from '../vault/meta';
import { signText, verifyText, type SigningKey } from '../vault/signing';
import { ukDayStartUtc } from '../../preload/contract/uk-time';
import { addDays } from '../../preload/contract/dates';
import type { AuditAction } from '../../preload/contract/vocabulary';

export type { AuditAction, SigningKey };

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditActor {
  userId: string | null;
  userName: string | null;
}

/** A user as the signed registry holds them. */
export interface RegistryUser {
  userId: string;
  role: string;
  status: 'active' | 'removed';
}

/**
 * What an entry states about who may sign, and with what role. Only these change the registry.
 * - checkpoint: the first signed entry; closes the entries before it and states the users as they
 *   stood (trusted on first use), and the signer's own key.
 * - key: a signing key for a user (or, `userId: null`, for the recovery slot), made with a new
 *   key slot. Its first use replaces the user's earlier key.
 * - user: a user added, their role changed, or removed.
 * - retire: every key of a slot stops being accepted (a recovery code replaced).
 * - flag: the entry before this one failed its signature check when this one was written.
 */
export type Statement =
  | { t: 'checkpoint'; unsignedThrough: number; unsignedHead: string; users: RegistryUser[]; userId: string | null; slotId: string; keyId: string; publicKey: string }
  | { t: 'key'; userId: string | null; slotId: string; keyId: string; publicKey: string }
  | { t: 'user'; userId: string; role: string; status: 'active' | 'removed' }
  | { t: 'retire'; slotId: string }
  | { t: 'flag'; seq: number; reason: string };

export interface AuditEntryInput extends AuditActor {
  action: AuditAction;
  entityType: string;
  entityId: string | null;
  /** Never a sensitive value: say what was done, not what the record holds. */
  summary: string;
  justification?: string | null;
  /** The role the actor acted with (signed entries). */
  role?: string | null;
  statements?: Statement[];
}

export interface AuditEntry extends AuditActor {
  seq: number;
  at: string;
  action: AuditAction;
  entityType: string;
  entityId: string | null;
  summary: string;
  justification: string | null;
  role: string | null;
  /** The statements as stored (JSON text), or null. */
  statements: string | null;
  signerKey: string | null;
  signature: string | null;
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
  user_role?: string | null;
  signer_key?: string | null;
  statements?: string | null;
  signature?: string | null;
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
    role: r.user_role ?? null,
    statements: r.statements ?? null,
    signerKey: r.signer_key ?? null,
    signature: r.signature ?? null,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** An entry's fields before its hash; an unsigned (v1) entry may leave out the signed entries' fields. */
type Canonical = Omit<AuditEntry, 'hash' | 'signature' | 'role' | 'statements' | 'signerKey'> & Partial<Pick<AuditEntry, 'role' | 'statements' | 'signerKey'>>;

/** What an entry's hash and signature cover: every field, the previous hash included. */
export function canonicalEntry(e: Canonical): string {
  if (e.signerKey === null || e.signerKey === undefined) {
    return JSON.stringify(['hm-audit-v1', e.seq, e.at, e.userId, e.userName, e.action, e.entityType, e.entityId, e.summary, e.justification, e.prevHash]);
  }
  return JSON.stringify([
    'hm-audit-v2',
    e.seq,
    e.at,
    e.userId,
    e.userName,
    e.role ?? null,
    e.action,
    e.entityType,
    e.entityId,
    e.summary,
    e.justification,
    e.statements ?? null,
    e.signerKey,
    e.prevHash,
  ]);
}

export function entryHash(key: Buffer, e: Canonical): string {
  return createHmac('sha256', key).update(canonicalEntry(e), 'utf8').digest('hex');
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

/** The last entry, whole (for the signature check before a new entry goes on top of it). */
export function readLastEntry(db: Db): AuditEntry | null {
  const row = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditRow | undefined;
  return row ? toEntry(row) : null;
}

const SIGNING_META = 'audit_signed_from';

/** The first signed entry's sequence, once signing has begun in this vault. */
export function signingBeganAt(db: Db): number | null {
  const v = readMeta(db, SIGNING_META);
  return v === null ? null : Number(v);
}

/**
 * Append one entry. Must run inside the caller's transaction, so the write it records and the
 * entry commit together or not at all. Signed by `signer` once signing has begun (the caller
 * writes the checkpoint first: see appendCheckpoint); an unsigned entry after that is refused.
 */
export function appendAudit(db: Db, key: Buffer, input: AuditEntryInput, now: Date, signer: SigningKey | null = null): AuditEntry {
  if (!db.inTransaction) throw new Error('appendAudit must run inside the write transaction');
  if (!signer && signingBeganAt(db) !== null) throw new Error('every audit entry since signing began must be signed');
  const head = readHead(db);
  const base: Omit<AuditEntry, 'hash' | 'signature'> = {
    seq: head.seq + 1,
    at: now.toISOString(),
    userId: input.userId,
    userName: input.userName,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    summary: input.summary,
    justification: input.justification ?? null,
    role: signer ? (input.role ?? null) : null,
    statements: signer && input.statements && input.statements.length > 0 ? JSON.stringify(input.statements) : null,
    signerKey: signer?.keyId ?? null,
    prevHash: head.hash,
  };
  const canonical = canonicalEntry(base);
  const hash = createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
  const signature = signer ? signText(signer, canonical) : null;
  db.prepare(
    `INSERT INTO audit_log (seq, at, user_id, user_name, action, entity_type, entity_id, summary, justification, user_role, signer_key, statements, signature, prev_hash, hash)
     VALUES (@seq, @at, @userId, @userName, @action, @entityType, @entityId, @summary, @justification, @role, @signerKey, @statements, @signature, @prevHash, @hash)`,
  ).run({ ...base, signature, hash });
  return { ...base, signature, hash };
}

/**
 * Begin signing: the first signed entry, closing every entry before it (their last sequence and
 * hash) and stating the users as they stand. In a new vault it is the log's first entry.
 */
export function appendCheckpoint(db: Db, key: Buffer, signer: SigningKey, actor: AuditActor & { role: string | null; slotId: string }, users: RegistryUser[], now: Date): AuditEntry {
  const head = readHead(db);
  const statement: Statement = {
    t: 'checkpoint',
    unsignedThrough: head.seq,
    unsignedHead: head.hash,
    users,
    userId: actor.userId,
    slotId: actor.slotId,
    keyId: signer.keyId,
    publicKey: signer.publicKey,
  };
  writeMeta(db, SIGNING_META, String(head.seq + 1));
  return appendAudit(
    db,
    key,
    {
      userId: actor.userId,
      userName: actor.userName,
      role: actor.role,
      action: 'key_change',
      entityType: 'audit_log',
      entityId: null,
      summary: head.seq === 0 ? 'Audit signing began with this vault' : `Audit signing began; entries 1 to ${head.seq} are from before signing`,
      statements: [statement],
    },
    now,
    signer,
  );
}

/* ---- The signed registry ------------------------------------------------------------------- */

export interface RegisteredKey {
  keyId: string;
  publicKey: string;
  /** null for the recovery slot's key */
  userId: string | null;
  slotId: string;
  registeredSeq: number;
  /** Registered by the key itself at its user's first unlock after an older vault began signing. */
  isSelfEnrolled: boolean;
  isRetired: boolean;
  isReplaced: boolean;
  firstUsedSeq: number | null;
}

function parseStatements(text: string | null): Statement[] | null {
  if (text === null) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as Statement[]) : null;
  } catch {
    return null;
  }
}

/**
 * The registry as the signed statements build it, applying the rules entry by entry. `check`
 * returns the reason an entry breaks a rule, or null. With `trackUse`, an entry signed by a user's
 * newer key marks their older keys replaced (a full walk); the statements-only replay at unlock
 * does not see every entry, so it leaves that to `verify`.
 */
export class SigningRegistry {
  readonly users = new Map<string, RegistryUser>();
  readonly keys = new Map<string, RegisteredKey>();
  checkpointSeq: number | null = null;
  unsignedThrough = 0;
  selfEnrolled = 0;
  /** Entries whose signature failed when the entry after them was written (flags). */
  readonly flagged: { seq: number; bySeq: number }[] = [];

  constructor(private readonly trackUse: boolean) {}

  keysOf(userId: string | null): RegisteredKey[] {
    return [...this.keys.values()].filter((k) => k.userId === userId);
  }

  private isAuthority(k: RegisteredKey): boolean {
    if (k.userId === null) return !k.isRetired;
    const u = this.users.get(k.userId);
    return u?.status === 'active' && u.role === 'administrator';
  }

  /** Apply one signed entry whose signature has been checked (or is to be trusted for now). */
  check(e: AuditEntry): string | null {
    const statements = parseStatements(e.statements);
    if (statements === null) return `entry ${e.seq} has statements that cannot be read`;
    if (this.checkpointSeq === null) {
      const cp = statements[0];
      if (!cp || cp.t !== 'checkpoint' || cp.keyId !== e.signerKey) return `entry ${e.seq} is signed but signing had not begun`;
      if (cp.unsignedThrough !== e.seq - 1 || cp.unsignedHead !== e.prevHash) return `the checkpoint at entry ${e.seq} does not close the entries before it`;
      this.checkpointSeq = e.seq;
      this.unsignedThrough = cp.unsignedThrough;
      for (const u of cp.users) this.users.set(u.userId, { userId: u.userId, role: u.role, status: u.status });
      this.keys.set(cp.keyId, { keyId: cp.keyId, publicKey: cp.publicKey, userId: cp.userId, slotId: cp.slotId, registeredSeq: e.seq, isSelfEnrolled: false, isRetired: false, isReplaced: false, firstUsedSeq: null });
    } else if (statements.some((s) => s.t === 'checkpoint')) {
      return `entry ${e.seq} claims to begin signing again`;
    }
    let key = e.signerKey ? this.keys.get(e.signerKey) : undefined;
    if (!key) {
      // A user's first unlock after an older vault began signing: their key registers itself, once.
      const own = statements.find((s): s is Extract<Statement, { t: 'key' }> => s.t === 'key' && s.keyId === e.signerKey);
      if (!own) return `entry ${e.seq} is signed by a key the log never registered`;
      const isEligible = this.unsignedThrough > 0 && this.keysOf(own.userId).length === 0 && (own.userId === null || this.users.get(own.userId)?.status === 'active');
      if (!isEligible) return `entry ${e.seq} registers its own signing key, which only a user with none may do, once, after an older vault began signing`;
      key = { keyId: own.keyId, publicKey: own.publicKey, userId: own.userId, slotId: own.slotId, registeredSeq: e.seq, isSelfEnrolled: true, isRetired: false, isReplaced: false, firstUsedSeq: null };
      this.keys.set(key.keyId, key);
      this.selfEnrolled++;
    }
    if (key.isRetired) return `entry ${e.seq} is signed by a key that had been retired`;
    if (key.isReplaced) return `entry ${e.seq} is signed by a key its user had already replaced`;
    if (key.userId !== null) {
      const u = this.users.get(key.userId);
      if (!u || u.status !== 'active') return `entry ${e.seq} is signed by a user who was not an active user at the time`;
      if (e.userId !== key.userId) return `entry ${e.seq} is recorded in the name of a user other than its signer`;
      if (e.role !== u.role) return `entry ${e.seq} records the role ${e.role ?? 'none'}, but the signed user registry gives that user ${u.role}`;
    } else if (e.userId !== null && !statements.some((s) => s.t === 'key' && s.userId === e.userId)) {
      return `entry ${e.seq} is signed with the recovery code's key in a user's name`;
    }
    const wasAuthority = this.isAuthority(key);
    if (this.trackUse && key.firstUsedSeq === null) {
      key.firstUsedSeq = e.seq;
      for (const other of this.keysOf(key.userId)) if (other !== key && other.firstUsedSeq !== null && key.userId !== null) other.isReplaced = true;
    }
    for (const s of statements) {
      switch (s.t) {
        case 'checkpoint':
          break;
        case 'key': {
          if (s.keyId === key.keyId && key.isSelfEnrolled) break;
          const isOwn = s.userId !== null && s.userId === key.userId;
          if (!wasAuthority && !isOwn) return `entry ${e.seq} registers a signing key without an administrator's authority`;
          if (!this.keys.has(s.keyId)) {
            this.keys.set(s.keyId, { keyId: s.keyId, publicKey: s.publicKey, userId: s.userId, slotId: s.slotId, registeredSeq: e.seq, isSelfEnrolled: false, isRetired: false, isReplaced: false, firstUsedSeq: null });
          }
          break;
        }
        case 'user':
          if (!wasAuthority || key.userId === null) return `entry ${e.seq} changes a user without an administrator's authority`;
          this.users.set(s.userId, { userId: s.userId, role: s.role, status: s.status });
          break;
        case 'retire':
          if (!wasAuthority) return `entry ${e.seq} retires a key without an administrator's authority`;
          for (const k of this.keys.values()) if (k.slotId === s.slotId) k.isRetired = true;
          break;
        case 'flag':
          this.flagged.push({ seq: s.seq, bySeq: e.seq });
          break;
        default:
          return `entry ${e.seq} has a statement of an unknown kind`;
      }
    }
    return null;
  }
}

/** Whether an entry's signature verifies with the key the registry holds for its signer. */
export function isSignatureValid(e: AuditEntry, reg: SigningRegistry): boolean {
  if (!e.signerKey || !e.signature) return false;
  let publicKey = reg.keys.get(e.signerKey)?.publicKey;
  if (!publicKey) {
    // A key registering itself (see SigningRegistry.check): its statement carries the public key.
    const own = (parseStatements(e.statements) ?? []).find((s) => (s.t === 'key' || s.t === 'checkpoint') && s.keyId === e.signerKey) as { publicKey: string } | undefined;
    publicKey = own?.publicKey;
  }
  if (!publicKey) return false;
  const { hash: _h, signature, ...rest } = e;
  return verifyText(publicKey, canonicalEntry(rest), signature!);
}

export interface RegistryReplay {
  registry: SigningRegistry;
  /** The first entry that breaks a rule, or null. */
  problem: { seq: number; reason: string } | null;
}

/**
 * The registry from the statement entries alone, each one's signature and rules checked: what
 * every unlock reads (a few dozen entries, not the whole log).
 */
export function readSigningRegistry(db: Db): RegistryReplay {
  const registry = new SigningRegistry(false);
  const rows = db.prepare('SELECT * FROM audit_log WHERE statements IS NOT NULL ORDER BY seq').all() as AuditRow[];
  for (const raw of rows) {
    const e = toEntry(raw);
    if (!isSignatureValid(e, registry)) return { registry, problem: { seq: e.seq, reason: `entry ${e.seq} is not signed by the key it names` } };
    const reason = registry.check(e);
    if (reason) return { registry, problem: { seq: e.seq, reason } };
  }
  return { registry, problem: null };
}

export type VerifyResult =
  | { isIntact: true; count: number; head: AuditHead; beforeSigning: number; signaturesChecked: number; selfEnrolled: number }
  | { isIntact: false; count: number; firstBrokenSeq: number; reason: string; beforeSigning: number; signaturesChecked: number; selfEnrolled: number };

/**
 * Walk the log from the start: the chain, the signatures and the registry's rules. Names the first
 * entry that does not verify. With `knownHead` (a head recorded outside the database: this
 * workstation's, or an anchor), also reports a log that ends before it or differs at it.
 *
 * Which signatures are checked: by default, every entry that carries a statement, and the last
 * entry of every run of entries by one key (the entry before a different signer, and the last
 * entry). That is enough: a signature covers the previous hash, so a run's last signature vouches
 * for the whole run as its signer wrote it, and each signer's app checks the signature of the entry
 * it writes on top of (a failure is flagged inside its own signed entry). `full` checks every one.
 */
export function verifyAudit(db: Db, key: Buffer, knownHead?: AuditHead | null, opts: { full?: boolean; headFrom?: 'workstation' | 'anchor' } = {}): VerifyResult {
  const isAnchor = opts.headFrom === 'anchor';
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let checked = 0;
  const reg = new SigningRegistry(true);
  let atKnown: string | null = null;
  /** Signed entries by one key whose signatures are not checked yet: the run's last one vouches for them. */
  let run: AuditEntry[] = [];
  const result = (firstBrokenSeq: number, reason: string): VerifyResult => ({ isIntact: false, count, firstBrokenSeq, reason, beforeSigning: reg.unsignedThrough, signaturesChecked: checked, selfEnrolled: reg.selfEnrolled });
  const check = (e: AuditEntry): boolean => {
    checked++;
    return isSignatureValid(e, reg);
  };
  /** Check a run's last signature; if it fails, find the first entry of the run whose own signature fails. */
  const settle = (): VerifyResult | null => {
    const last = run[run.length - 1];
    const entriesOfRun = run;
    run = [];
    if (!last || check(last)) return null;
    const first = entriesOfRun.find((e) => e === last || !check(e))!;
    return result(first.seq, `entry ${first.seq} is not signed by the key it names, or was altered after it was signed`);
  };
  const stmt = db.prepare('SELECT * FROM audit_log ORDER BY seq');
  for (const raw of stmt.iterate() as Iterable<AuditRow>) {
    const e = toEntry(raw);
    count++;
    if (e.seq !== expectedSeq) return result(expectedSeq, `entry ${expectedSeq} is missing`);
    if (e.prevHash !== prev) return result(e.seq, `entry ${e.seq} does not follow entry ${e.seq - 1}`);
    const { hash, signature: _s, ...rest } = e;
    if (!safeEqual(entryHash(key, rest), hash)) return result(e.seq, `entry ${e.seq} has been altered`);
    if (run.length > 0 && (e.signerKey !== run[0]!.signerKey || e.statements !== null || opts.full)) {
      const bad = settle();
      if (bad) return bad;
    }
    if (e.signerKey === null) {
      if (reg.checkpointSeq !== null) return result(e.seq, `entry ${e.seq} is not signed, but signing had begun at entry ${reg.checkpointSeq}`);
      if (e.signature !== null || e.statements !== null || e.role !== null) return result(e.seq, `entry ${e.seq} has been altered`);
    } else {
      // An entry with statements changes the registry, and a key registering itself is known only
      // from its own statement: check those at once. With `full`, every one.
      if (opts.full || e.statements !== null || !reg.keys.has(e.signerKey)) {
        if (!check(e)) return result(e.seq, `entry ${e.seq} is not signed by the key it names, or was altered after it was signed`);
      } else {
        run.push(e);
      }
      const reason = reg.check(e);
      if (reason) return result(e.seq, reason);
    }
    if (knownHead && e.seq === knownHead.seq) atKnown = e.hash;
    prev = hash;
    expectedSeq++;
  }
  const bad = settle();
  if (bad) return bad;
  if (reg.flagged.length > 0) {
    const f = reg.flagged[0]!;
    return result(f.seq, `entry ${f.seq} failed its signature check when entry ${f.bySeq} was written on top of it`);
  }
  const last = expectedSeq - 1;
  if (knownHead && knownHead.seq > 0) {
    if (last < knownHead.seq) {
      return result(
        last + 1,
        `the log ends at entry ${last} but ${isAnchor ? 'the anchor records' : 'this workstation last recorded'} entry ${knownHead.seq}: entries were removed or the vault was rolled back to an older copy`,
      );
    }
    if (atKnown !== knownHead.hash) {
      return result(knownHead.seq, `entry ${knownHead.seq} differs from the one ${isAnchor ? 'the anchor records' : 'this workstation recorded'}: the vault was replaced by a different copy`);
    }
  }
  return { isIntact: true, count, head: { seq: last, hash: prev }, beforeSigning: reg.unsignedThrough, signaturesChecked: checked, selfEnrolled: reg.selfEnrolled };
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
