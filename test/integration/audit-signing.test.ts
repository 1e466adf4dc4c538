/**
 * The signed audit log against insiders who hold a key slot (main/audit/audit.ts, "Signatures").
 * Each attack is done the way an insider would: open the vault file with the driver and their own
 * passphrase (no unlock entry), drop the append-only triggers, change rows, and re-chain the log
 * with the audit key, which anyone who can open the vault can read. Before signing, each of these
 * left `audit verify` reporting an intact log.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { canonicalEntry, entryHash, listAudit, readHead, verifyAudit, writeExternalHead, type AuditEntry, type Statement } from '../../main/audit/audit';
import * as auditService from '../../main/services/audit.service';
import { Session } from '../../main/services/session';
import * as vaultService from '../../main/services/vault.service';
import type { Db } from '../../main/vault/database';
import { signText, signingKeyId, type SigningKey } from '../../main/vault/signing';
import type { UnlockedVault } from '../../main/vault/vault';
import { addSettledUser } from '../helpers/user-fixtures';
import { ADMIN, ANALYST, SUPERVISOR, createTestVault, removeDir, vaultLayerUnlock, type TestVault } from '../helpers/vault-fixtures';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

interface World {
  tv: TestVault;
  bobId: string;
  carolId: string;
}

/** A vault with an administrator, an analyst (Bob) and a supervisor (Carol), locked. */
function world(label: string): World {
  const tv = createTestVault({ label });
  dirs.push(tv.dir);
  const bob = addSettledUser(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
  const carol = addSettledUser(tv.session, { name: SUPERVISOR.name, role: 'supervisor', passphrase: SUPERVISOR.passphrase });
  vaultService.lock(tv.session, 'manual');
  return { tv, bobId: bob.id, carolId: carol.id };
}

function unlockAs(w: World, who: { name: string; passphrase: string }): Session {
  const s = new Session(w.tv.ctx);
  vaultService.unlock(s, { userName: who.name, passphrase: who.passphrase });
  return s;
}

/** A write of the kind every consultation makes, as the signed-in user. */
function consult(s: Session, summary: string): void {
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'person', entityId: 'p-1', summary }));
}

/** The insider at the vault's folder: the vault opened with their own passphrase, no entry written. */
function offline(w: World, who: { name: string; passphrase: string }): UnlockedVault {
  const u = vaultLayerUnlock(w.tv.dir, w.tv.path, who.name, who.passphrase);
  u.vault.db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  return u;
}

function entries(db: Db): AuditEntry[] {
  return listAudit(db, { limit: 1_000_000 }).reverse();
}

function insertRow(db: Db, e: AuditEntry): void {
  db.prepare(
    `INSERT INTO audit_log (seq, at, user_id, user_name, action, entity_type, entity_id, summary, justification, user_role, signer_key, statements, signature, prev_hash, hash)
     VALUES (@seq, @at, @userId, @userName, @action, @entityType, @entityId, @summary, @justification, @role, @signerKey, @statements, @signature, @prevHash, @hash)`,
  ).run(e);
}

/**
 * Rewrite the log from `list`: renumber, recompute every hash with the audit key, and re-sign
 * the entries the insider can sign (their own); everyone else's keep the signatures they had.
 */
function rechain(u: UnlockedVault, list: AuditEntry[], resign: SigningKey): void {
  const db = u.vault.db;
  db.prepare('DELETE FROM audit_log').run();
  let prev = '0'.repeat(64);
  list.forEach((e, i) => {
    const base = { ...e, seq: i + 1, prevHash: prev };
    const { hash: _h, signature: _s, ...rest } = base;
    const signature = base.signerKey === resign.keyId ? signText(resign, canonicalEntry(rest)) : base.signature;
    const hash = entryHash(u.vault.auditKey, rest);
    insertRow(db, { ...base, signature, hash });
    prev = hash;
  });
}

/** Append one entry as the insider builds it: any fields, signed by `signWith`, with `signerKey` naming any key. */
function forge(u: UnlockedVault, fields: Partial<AuditEntry>, signWith: SigningKey, signerKey = signWith.keyId): AuditEntry {
  const db = u.vault.db;
  const head = readHead(db);
  const base = {
    seq: head.seq + 1,
    at: new Date().toISOString(),
    userId: null,
    userName: null,
    role: null,
    action: 'consult' as const,
    entityType: 'person',
    entityId: 'p-1',
    summary: 'Person opened',
    justification: null,
    statements: null,
    ...fields,
    signerKey,
    prevHash: head.hash,
  };
  const canonical = canonicalEntry(base);
  const e: AuditEntry = { ...base, signature: signText(signWith, canonical), hash: entryHash(u.vault.auditKey, base) };
  insertRow(db, e);
  return e;
}

/** The insider also moves this workstation's record of the head, and the vault's, so nothing outside the log notices. */
function coverTracks(w: World, u: UnlockedVault): void {
  const head = readHead(u.vault.db);
  u.vault.db.prepare('UPDATE workstations SET last_head_seq = ?, last_head_hash = ?').run(head.seq, head.hash);
  writeExternalHead(w.tv.ctx.stateDir, u.vault.vaultId, u.vault.auditKey, head);
}

const NOT_SIGNED = (seq: number) => `entry ${seq} is not signed by the key it names, or was altered after it was signed`;

describe('one user cannot rewrite another user\'s part of the log', () => {
  test('the reproduced attack: an analyst deletes their consultations, re-chains the rest, makes themselves administrator and moves the heads', () => {
    const w = world('sign-reproduced');
    const bob = unlockAs(w, ANALYST);
    for (const n of [1, 2, 3]) consult(bob, `Person opened (${n})`);
    vaultService.lock(bob, 'manual');
    const carol = unlockAs(w, SUPERVISOR);
    consult(carol, 'Person opened by the supervisor');
    vaultService.lock(carol, 'manual');
    const u = offline(w, ANALYST);
    const all = entries(u.vault.db);
    const kept = all.filter((e) => !e.summary.startsWith('Person opened ('));
    expect(all.length - kept.length).toBe(3);
    // The first entry after the deleted ones is Carol's: the insider cannot sign it.
    const firstDeleted = entries(u.vault.db).findIndex((e) => e.summary === 'Person opened (1)');
    rechain(u, kept, u.signer);
    u.vault.db.prepare("UPDATE users SET role = 'administrator' WHERE id = ?").run(w.bobId);
    coverTracks(w, u);
    u.vault.close();

    // The chain alone would verify (re-chained with the audit key); the signatures do not.
    const check = vaultLayerUnlock(w.tv.dir, w.tv.path, SUPERVISOR.name, SUPERVISOR.passphrase);
    expect(verifyAudit(check.vault.db, check.vault.auditKey).isIntact).toBe(false);
    const rewritten = entries(check.vault.db);
    check.vault.close();
    // Bob's lock entry (his own, re-signed) survives; the next one is Carol's unlock.
    const firstBad = rewritten.findIndex((e, i) => i >= firstDeleted && e.userId !== w.bobId) + 1;

    const sup = unlockAs(w, SUPERVISOR);
    expect(auditService.verify(sup, { full: true })).toMatchObject({ isIntact: false, firstBrokenSeq: firstBad, reason: NOT_SIGNED(firstBad) });
    expect(auditService.verify(sup)).toMatchObject({ isIntact: false, firstBrokenSeq: firstBad, reason: NOT_SIGNED(firstBad) });
    // The edited role is seen at every unlock: the database differs from the signed registry.
    expect(sup.auditWarning).toContain('1 other user record in the database differs from the signed user registry.');
    vaultService.lock(sup, 'manual');

    // And it gives Bob nothing: he acts with the role the signed registry holds.
    const again = unlockAs(w, ANALYST);
    expect(again.user!.role).toBe('analyst');
    expect(vaultService.status(again).user!.role).toBe('analyst');
    expect(again.auditWarning).toContain("This user's role in the database (administrator) is not the one the signed user registry holds (analyst): the signed role applies.");
    vaultService.lock(again, 'manual');
  });

  test("an entry in another user's name, signed with one's own key, or naming their key, is named by verify", () => {
    const w = world('sign-forge');
    const u = offline(w, ANALYST);
    const asCarol = { userId: w.carolId, userName: SUPERVISOR.name, role: 'supervisor', summary: 'Person opened by the supervisor' };
    const carolKey = entries(u.vault.db).findLast((e) => e.userId === w.carolId && e.signerKey !== null)!.signerKey!;
    const own = forge(u, asCarol, u.signer);
    const named = forge(u, asCarol, u.signer, carolKey);
    u.vault.close();
    // Checked by a third user, who re-chains after taking the first forgery out.
    const check = offline(w, ADMIN);
    expect(verifyAudit(check.vault.db, check.vault.auditKey)).toMatchObject({
      isIntact: false,
      firstBrokenSeq: own.seq,
      reason: `entry ${own.seq} is recorded in the name of a user other than its signer`,
    });
    // Without the first forgery, the second is named for its signature.
    const list = entries(check.vault.db).filter((e) => e.seq !== own.seq);
    rechain(check, list, check.signer);
    expect(verifyAudit(check.vault.db, check.vault.auditKey)).toMatchObject({ isIntact: false, firstBrokenSeq: named.seq - 1, reason: NOT_SIGNED(named.seq - 1) });
    check.vault.close();
  });

  test("a forgery at the end of the log, followed by its victim's own entries, is flagged by the victim's app and named by verify", () => {
    const w = world('sign-flag');
    const u = offline(w, ANALYST);
    const carolKey = entries(u.vault.db).findLast((e) => e.userId === w.carolId && e.signerKey !== null)!.signerKey!;
    const forged = forge(u, { userId: w.carolId, userName: SUPERVISOR.name, role: 'supervisor', summary: 'Audit log viewed' }, u.signer, carolKey);
    coverTracks(w, u);
    u.vault.close();
    // Carol's next entries follow it in a run of "her" key: only her app's check of the entry it
    // writes on top of catches it, and it says so in her own signed entry.
    const carol = unlockAs(w, SUPERVISOR);
    expect(carol.auditWarning).toContain(`Audit entry ${forged.seq} is not signed by the key it names: it was written or changed outside the app.`);
    const next = entries(carol.vault!.db).find((e) => e.seq === forged.seq + 1)!;
    expect(JSON.parse(next.statements!) as Statement[]).toContainEqual({ t: 'flag', seq: forged.seq, reason: 'its signature did not verify when the next entry was written' });
    expect(auditService.verify(carol)).toMatchObject({ isIntact: false, firstBrokenSeq: forged.seq, reason: NOT_SIGNED(forged.seq) });
    expect(auditService.verify(carol, { full: true })).toMatchObject({ isIntact: false, firstBrokenSeq: forged.seq, reason: NOT_SIGNED(forged.seq) });
    vaultService.lock(carol, 'manual');
  });

  test('a statement that promotes its own signer, or registers a key for someone else, is refused: only an administrator may', () => {
    const w = world('sign-statement');
    const u = offline(w, ANALYST);
    const promote = forge(u, { userId: w.bobId, userName: ANALYST.name, role: 'analyst', action: 'user_change', entityType: 'user', entityId: w.bobId, summary: 'User changed', statements: JSON.stringify([{ t: 'user', userId: w.bobId, role: 'administrator', status: 'active' }]) }, u.signer);
    u.vault.db.prepare("UPDATE users SET role = 'administrator' WHERE id = ?").run(w.bobId);
    coverTracks(w, u);
    u.vault.close();
    const bob = unlockAs(w, ANALYST);
    expect(bob.user!.role).toBe('analyst');
    expect(bob.auditWarning).toContain(`The signed registry of users in the audit log does not verify (entry ${promote.seq} changes a user without an administrator's authority).`);
    vaultService.lock(bob, 'manual');

    const w2 = world('sign-key-for-other');
    const u2 = offline(w2, ANALYST);
    const { publicKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const planted = forge(u2, { userId: w2.bobId, userName: ANALYST.name, role: 'analyst', action: 'key_change', entityType: 'user', entityId: w2.carolId, summary: 'Key registered', statements: JSON.stringify([{ t: 'key', userId: w2.carolId, slotId: 'x', keyId: signingKeyId(spki), publicKey: spki }]) }, u2.signer);
    u2.vault.close();
    const check = vaultLayerUnlock(w2.tv.dir, w2.tv.path, ADMIN.name, ADMIN.passphrase);
    expect(verifyAudit(check.vault.db, check.vault.auditKey)).toMatchObject({ isIntact: false, firstBrokenSeq: planted.seq, reason: `entry ${planted.seq} registers a signing key without an administrator's authority` });
    check.vault.close();
  });

  test('an edited role in the users table, with the log untouched, is caught at unlock and gives nothing', () => {
    const w = world('sign-role');
    const u = vaultLayerUnlock(w.tv.dir, w.tv.path, ANALYST.name, ANALYST.passphrase);
    u.vault.db.prepare("UPDATE users SET role = 'administrator' WHERE id = ?").run(w.bobId);
    u.vault.close();
    const bob = unlockAs(w, ANALYST);
    expect(bob.user!.role).toBe('analyst');
    expect(bob.auditWarning).toBe("This user's role in the database (administrator) is not the one the signed user registry holds (analyst): the signed role applies.");
    // Recorded in the log too.
    expect(listAudit(bob.vault!.db, { entityType: 'audit_log' }).map((e) => e.summary)).toContain(
      "Signed registry at unlock: This user's role in the database (administrator) is not the one the signed user registry holds (analyst): the signed role applies.",
    );
    vaultService.lock(bob, 'manual');
  });
});

describe('the fast check and the full check', () => {
  test('agree on an intact log; the fast one checks the signatures that vouch for the rest', () => {
    const w = world('sign-fast');
    const s = unlockAs(w, ADMIN);
    for (let i = 0; i < 20; i++) consult(s, `Person opened (${i})`);
    const full = auditService.verify(s, { full: true });
    const fast = auditService.verify(s);
    expect(full).toMatchObject({ isIntact: true, beforeSigning: 0, signaturesChecked: full.count });
    expect(fast).toMatchObject({ isIntact: true, count: full.count, beforeSigning: 0 });
    expect(fast.signaturesChecked).toBeLessThan(full.count / 2);
    // An entry in the middle of a run altered and re-chained: the run's last signature no longer verifies.
    vaultService.lock(s, 'manual');
    const u = offline(w, SUPERVISOR);
    const list = entries(u.vault.db).map((e) => (e.summary === 'Person opened (5)' ? { ...e, summary: 'Person opened (5, edited)' } : e));
    rechain(u, list, u.signer);
    const edited = list.findIndex((e) => e.summary === 'Person opened (5, edited)') + 1;
    expect(verifyAudit(u.vault.db, u.vault.auditKey)).toMatchObject({ isIntact: false });
    expect(verifyAudit(u.vault.db, u.vault.auditKey, null, { full: true })).toMatchObject({ isIntact: false, firstBrokenSeq: edited, reason: NOT_SIGNED(edited) });
    u.vault.close();
  });
});

describe('a vault from before signing', () => {
  /** Put the log back as an earlier version left it: no signatures, the v1 chain, signing not begun. */
  function asBeforeSigning(w: World): number {
    const u = offline(w, ADMIN);
    const list = entries(u.vault.db).map((e) => ({ ...e, role: null, statements: null, signerKey: null, signature: null }));
    rechain(u, list, u.signer);
    u.vault.db.prepare("DELETE FROM meta WHERE key = 'audit_signed_from'").run();
    coverTracks(w, u);
    u.vault.close();
    return list.length;
  }

  test('its entries are closed by a signed checkpoint and reported as before signing; each user registers their own key at their next unlock, once', () => {
    const w = world('sign-older');
    const n = asBeforeSigning(w);
    const admin = unlockAs(w, ADMIN);
    const checkpoint = entries(admin.vault!.db)[n]!;
    expect(checkpoint).toMatchObject({ seq: n + 1, userId: w.tv.adminId, role: 'administrator', action: 'key_change', entityType: 'audit_log', summary: `Audit signing began; entries 1 to ${n} are from before signing` });
    const [cp] = JSON.parse(checkpoint.statements!) as Extract<Statement, { t: 'checkpoint' }>[];
    expect(cp).toMatchObject({ t: 'checkpoint', unsignedThrough: n, unsignedHead: entries(admin.vault!.db)[n - 1]!.hash, userId: w.tv.adminId, keyId: checkpoint.signerKey });
    expect(cp!.users.map((u) => [u.userId, u.role, u.status])).toEqual(
      expect.arrayContaining([
        [w.tv.adminId, 'administrator', 'active'],
        [w.bobId, 'analyst', 'active'],
        [w.carolId, 'supervisor', 'active'],
      ]),
    );
    expect(auditService.verify(admin, { full: true })).toMatchObject({ isIntact: true, beforeSigning: n });
    vaultService.lock(admin, 'manual');

    const bob = unlockAs(w, ANALYST);
    const enrolled = listAudit(bob.vault!.db, {}).find((e) => e.statements?.includes('"t":"key"') && e.userId === w.bobId)!;
    expect(JSON.parse(enrolled.statements!)).toEqual([expect.objectContaining({ t: 'key', userId: w.bobId, keyId: enrolled.signerKey })]);
    expect(bob.auditWarning).toBeNull();
    const v = verifyAudit(bob.vault!.db, bob.vault!.auditKey, null, { full: true });
    expect(v).toMatchObject({ isIntact: true, beforeSigning: n, selfEnrolled: 1 });
    vaultService.lock(bob, 'manual');

    // What trust on first use cannot stop: an insider registering a key in the name of a user who
    // has not unlocked since. The log verifies, but that user's next unlock says so at once.
    const u = offline(w, ANALYST);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const fake: SigningKey = { keyId: signingKeyId(spki), publicKey: spki, privateKey };
    forge(u, { userId: w.carolId, userName: SUPERVISOR.name, role: 'supervisor', action: 'unlock', entityType: 'vault', summary: 'Unlocked with passphrase', statements: JSON.stringify([{ t: 'key', userId: w.carolId, slotId: 'planted', keyId: fake.keyId, publicKey: spki }]) }, fake);
    coverTracks(w, u);
    u.vault.close();
    const carol = unlockAs(w, SUPERVISOR);
    expect(carol.auditWarning).toBe("This key slot's signing key is not one the signed registry holds for it: the key file or the audit log was changed outside the app.");
    vaultService.lock(carol, 'manual');
  });

  test('an entry from before signing altered, even with the chain recomputed, is found', () => {
    const w = world('sign-older-tamper');
    const n = asBeforeSigning(w);
    vaultService.lock(unlockAs(w, ADMIN), 'manual');
    const u = offline(w, ANALYST);
    const edited = entries(u.vault.db).map((e) => (e.seq === 3 ? { ...e, summary: `${e.summary} (edited)` } : e));
    rechain(u, edited, u.signer);
    // The checkpoint's signature covers the hash of the last entry before signing.
    expect(verifyAudit(u.vault.db, u.vault.auditKey)).toMatchObject({ isIntact: false, firstBrokenSeq: n + 1, reason: NOT_SIGNED(n + 1) });
    u.vault.close();
  });
});
