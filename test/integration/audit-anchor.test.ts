/**
 * Anchoring the audit log outside the vault, on real encrypted vaults on disk:
 * - every export prints the head as it stood just before its own 'disclose' entry, in each
 *   format, where the finder finds it again, and the export register row records the same head;
 * - `audit anchor` writes a head statement (its own entry included) to a new file only;
 * - `audit verify --anchor` passes on an intact log, and names the missing entries when an
 *   insider with the key cut the log short, even after deleting this workstation's record of the
 *   head and the vault's record of the workstation (so the plain check passes);
 * - a file from another vault, or a malformed or oversized one, is refused before any passphrase.
 */
import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, listAudit, readHead } from '../../main/audit/audit';
import { findAuditHead, MAX_ANCHOR_FILE_BYTES } from '../../main/audit/anchor-finder';
import * as auditService from '../../main/services/audit.service';
import * as R from '../../main/services/returns.service';
import { Session } from '../../main/services/session';
import * as vaultService from '../../main/services/vault.service';
import { readKeyFile } from '../../main/vault/keyfile';
import { runCli, type Run } from '../helpers/cli-runner';
import { addSettledUser } from '../helpers/user-fixtures';
import { ADMIN, ANALYST, createTestVault, removeDir, SUPERVISOR, vaultLayerUnlock, type TestVault } from '../helpers/vault-fixtures';

let tv: TestVault;
let vaultId: string;

function cli(args: string[], stdin = ''): Promise<Run> {
  return runCli(args, stdin, tv.ctx.stateDir);
}

/** A session of this workstation (the same state folder as the CLI's), unlocked as a user. */
function as(user: { name: string; passphrase: string }): Session {
  const s = new Session(tv.ctx);
  s.vaultPath = tv.path;
  vaultService.unlock(s, { userName: user.name, passphrase: user.passphrase });
  return s;
}

const disclosure = { purpose: 'Monthly return to the force performance board', recipient: 'Performance and Insight team' };

beforeAll(() => {
  tv = createTestVault({ label: 'audit-anchor' });
  addSettledUser(tv.session, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
  addSettledUser(tv.session, { name: SUPERVISOR.name, role: 'supervisor', passphrase: SUPERVISOR.passphrase });
  vaultService.lock(tv.session, 'manual');
  vaultId = readKeyFile(`${tv.path}.keys`).vaultId;
});
afterAll(() => removeDir(tv.dir));

describe('every export prints the audit head from just before its own disclosure', () => {
  const cases = [
    { kind: 'corporate', format: 'csv' },
    { kind: 'corporate', format: 'json' },
    { kind: 'corporate', format: 'xlsx' },
    { kind: 'meeting_pack', format: 'pdf' },
    { kind: 'meeting_pack', format: 'xlsx' },
  ] as const;

  it('in each format, found again exactly; the register row holds the same head', async () => {
    const s = as(ANALYST);
    try {
      for (const c of cases) {
        const path = join(tv.dir, `${c.kind}-${c.format}.${c.format}`);
        const before = readHead(s.vault!.db);
        const r = await R.exportReturn(s, { ...c, ...(c.kind === 'corporate' ? { period: '2025/26' } : {}), rules: 'internal', path, ...disclosure });
        const disclose = listAudit(s.vault!.db, { action: 'disclose', limit: 1 })[0]!;
        // The printed head is the entry right before this copy's 'disclose' entry.
        expect(disclose.seq).toBe(before.seq + 1);
        expect(disclose.prevHash).toBe(before.hash);
        expect(before.hash).not.toBe(GENESIS_HASH);
        expect(findAuditHead(r.path)).toEqual({ source: c.format, vaultId, seq: before.seq, hash: before.hash, writtenAt: null, writtenBy: null, signature: null });
        const row = R.listExports(s).find((x) => x.fileName === r.fileName)!;
        expect([row.auditHeadSeq, row.auditHeadHash]).toEqual([before.seq, before.hash]);
        // And in the text people read.
        if (c.format === 'csv') expect(readFileSync(path, 'utf8')).toContain(`\r\n"audit_head","entry ${before.seq}, hash ${before.hash}, vault ${vaultId}"\r\n`);
        if (c.format === 'json') expect(JSON.parse(readFileSync(path, 'utf8')).header.auditHead).toEqual({ vaultId, seq: before.seq, hash: before.hash });
        if (c.format === 'pdf') expect(readFileSync(path).toString('latin1')).toContain(`(Audit log head: entry ${before.seq}, hash ${before.hash}, vault ${vaultId})`);
      }
      // A preview is not a copy: it prints no head.
      expect(R.preview(s, { kind: 'corporate', period: '2025/26', rules: 'internal' }).header.auditHead).toBeNull();
    } finally {
      vaultService.lock(s, 'manual');
    }
  }, 120_000);

  it('an entry added while the copy is being made: the copy is made again, so its head is still the one just before its disclosure', async () => {
    let isArmed = false;
    // The first clock reading after arming is the build's own (generated at): another write then.
    const ctx = { ...tv.ctx, now: () => {
      if (isArmed) {
        isArmed = false;
        auditService.list(s, { limit: 1 });
      }
      return new Date();
    } };
    const s = new Session(ctx);
    s.vaultPath = tv.path;
    vaultService.unlock(s, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
    try {
      const before = readHead(s.vault!.db);
      isArmed = true;
      const r = await R.exportReturn(s, { kind: 'corporate', format: 'json', period: '2025/26', rules: 'internal', path: join(tv.dir, 'raced.json'), ...disclosure });
      const disclose = listAudit(s.vault!.db, { action: 'disclose', limit: 1 })[0]!;
      expect(disclose.seq).toBe(before.seq + 2);
      expect(findAuditHead(r.path)).toMatchObject({ seq: disclose.seq - 1, hash: disclose.prevHash });
      expect(R.listExports(s).find((x) => x.fileName === 'raced.json')).toMatchObject({ auditHeadSeq: disclose.seq - 1, auditHeadHash: disclose.prevHash });
    } finally {
      vaultService.lock(s, 'manual');
    }
  }, 60_000);

  it('the register rows survive the vault being closed and reopened', () => {
    const s = as(SUPERVISOR);
    try {
      const rows = R.listExports(s);
      expect(rows).toHaveLength(6);
      for (const row of rows) {
        expect(row.auditHeadSeq).toBeGreaterThan(0);
        expect(row.auditHeadHash).toMatch(/^[0-9a-f]{64}$/);
        expect(findAuditHead(join(tv.dir, row.fileName))).toMatchObject({ seq: row.auditHeadSeq, hash: row.auditHeadHash });
      }
    } finally {
      vaultService.lock(s, 'manual');
    }
  });
});

describe('audit anchor and audit verify --anchor', () => {
  let anchorFile: string;
  let anchored: { seq: number; hash: string };

  it('writes a head statement with its own entry, to a new file only', async () => {
    anchorFile = join(tv.dir, 'anchor-1.json');
    const r = await cli(['audit', 'anchor', tv.path, '--user', SUPERVISOR.name, '--out', anchorFile], `${SUPERVISOR.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const statement = JSON.parse(readFileSync(anchorFile, 'utf8')) as Record<string, unknown>;
    anchored = { seq: statement.seq as number, hash: statement.hash as string };
    const s = as(ADMIN);
    try {
      const supervisorId = s.vault!.db.prepare('SELECT id FROM users WHERE name = ?').pluck().get(SUPERVISOR.name);
      const entry = listAudit(s.vault!.db, { action: 'export' })[0]!;
      // Signed with the writer's own key, the one the signed registry holds for them.
      expect(statement).toEqual({
        format: 'harm-matrix-audit-anchor',
        version: 1,
        vaultId,
        seq: entry.seq,
        hash: entry.hash,
        writtenAt: entry.at,
        writtenBy: supervisorId,
        signature: { alg: 'ed25519', keyId: entry.signerKey, value: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/) },
      });
      expect(auditService.verifyAgainstAnchor(s, findAuditHead(anchorFile))).toMatchObject({ isHeld: true, signature: 'valid' });
      // A statement edited to claim someone else wrote it, or to name another entry, no longer verifies.
      for (const edit of [{ writtenBy: s.user!.id }, { writtenAt: '2026-01-01T00:00:00.000Z' }]) {
        const forged = join(tv.dir, `forged-${Object.keys(edit)[0]}.json`);
        writeFileSync(forged, JSON.stringify({ ...statement, ...edit }));
        expect(auditService.verifyAgainstAnchor(s, findAuditHead(forged))).toMatchObject({
          isHeld: false,
          signature: 'invalid',
          reason: "the anchor's signature does not verify with the key the signed registry holds for the user it names: it was altered or forged",
        });
      }
      expect(entry).toMatchObject({ userName: SUPERVISOR.name, entityType: 'audit_log', summary: "Audit anchor written: the log's head, file anchor-1.json" });
    } finally {
      vaultService.lock(s, 'manual');
    }
    expect(r.stdout).toBe(
      `Audit anchor written: ${anchorFile}\nAudit log head: entry ${anchored.seq}, hash ${anchored.hash}, vault ${vaultId} (this anchor's own entry included).\n` +
        'Keep it where no user of this vault can change it; check the log against it with `audit verify --anchor`.\n',
    );
    // Never over a file, and a refusal costs no unlock.
    const again = await cli(['audit', 'anchor', tv.path, '--user', SUPERVISOR.name, '--out', anchorFile]);
    expect(again).toEqual({ code: 2, stdout: '', stderr: `${anchorFile} already exists. An audit anchor never replaces a file: choose a new name.\n` });
    expect(await cli(['audit', 'anchor', tv.path, '--user', SUPERVISOR.name, '--out', join(tv.dir, 'anchor.txt')])).toEqual({ code: 64, stdout: '', stderr: '--out: An audit anchor file name ends in .json.\n' });
    // The contract's roles: an analyst may not.
    const refused = await cli(['audit', 'anchor', tv.path, '--user', ANALYST.name, '--out', join(tv.dir, 'analyst.json')], `${ANALYST.passphrase}\n`);
    expect(refused).toEqual({ code: 2, stdout: '', stderr: 'Your role (analyst) does not allow this. It needs: administrator or supervisor.\n' });
    expect(existsSync(join(tv.dir, 'analyst.json'))).toBe(false);
  }, 60_000);

  it('verify --anchor passes on the intact log, with an anchor or an export', async () => {
    const r = await cli(['audit', 'verify', tv.path, '--user', ADMIN.name, '--anchor', anchorFile], `${ADMIN.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^Audit log intact: \\d+ entries, the chain and each vouching signature verified \\(\\d+ checked\\)\\.\\nAnchor: entry ${anchored.seq}, hash ${anchored.hash}, from an audit anchor statement, written \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d(:\\d\\d)? \\(UK time\\)\\.\\nThe anchor is signed, and its signature verifies with the key of the user who wrote it\\.\\nThe log holds the anchor's entry ${anchored.seq}, with the same hash\\.\\n$`,
      ),
    );
    const pack = join(tv.dir, 'meeting_pack-pdf.pdf');
    const head = findAuditHead(pack);
    const j = await cli(['audit', 'verify', tv.path, '--user', ADMIN.name, '--anchor', pack, '--json'], `${ADMIN.passphrase}\n`);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ isIntact: true, anchor: { source: 'pdf', vaultId, seq: head.seq, hash: head.hash, isHeld: true, reason: null } });
  }, 60_000);

  it("after the log's tail is cut off and this workstation's records deleted, the plain check passes but the anchor names the missing entries", async () => {
    // An insider holding the key: open the vault file without the app (no audit entry), drop the
    // append-only triggers, delete the last entries, and forget this workstation, then delete the
    // workstation's own record of the head.
    // Cut back to before the first export: every head printed since is gone from the log.
    const cutTo = findAuditHead(join(tv.dir, 'corporate-csv.csv')).seq - 1;
    expect(anchored.seq - cutTo).toBeGreaterThan(8);
    const raw = vaultLayerUnlock(tv.dir, tv.path, ADMIN.name, ADMIN.passphrase).vault;
    raw.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    raw.db.prepare('DELETE FROM audit_log WHERE seq > ?').run(cutTo);
    raw.db.exec('DELETE FROM workstations');
    raw.close();
    rmSync(join(tv.ctx.stateDir, 'audit-heads', `${vaultId}.json`));

    // Without an anchor nothing is found: the chain is whole and nothing outside the vault remembers.
    const plain = await cli(['audit', 'verify', tv.path, '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^Audit log intact: \d+ entries, the chain and each vouching signature verified \(\d+ checked\)\.\n$/);

    // Each unlock since appended entries (unlock, first unlock from this workstation, lock): the
    // log now ends a little past the cut, still before the anchor's entry.
    const r = await cli(['audit', 'verify', tv.path, '--user', ADMIN.name, '--anchor', anchorFile, '--json'], `${ADMIN.passphrase}\n`);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { isIntact: boolean; anchor: { isHeld: boolean; reason: string; lastSeq: number } };
    expect(out.isIntact).toBe(true);
    expect(out.anchor.isHeld).toBe(false);
    const last = out.anchor.lastSeq;
    expect(last).toBeGreaterThan(cutTo);
    expect(last).toBeLessThan(anchored.seq);
    expect(out.anchor.reason).toBe(
      `the log ends at entry ${last}, but the anchor records entry ${anchored.seq}: entries ${last + 1} to ${anchored.seq}, at least, are missing (removed, or the vault was rolled back to an older copy)`,
    );

    // Once the log has grown past the anchor's entry again, that entry is there but is another one.
    const s = as(ADMIN);
    try {
      while (readHead(s.vault!.db).seq < anchored.seq + 2) auditService.list(s, { limit: 1 });
      expect(auditService.verifyAgainstAnchor(s, { vaultId, ...anchored })).toMatchObject({
        isHeld: false,
        isChainIntact: true,
        reason: `entry ${anchored.seq} is not the entry the anchor records (its hash differs): the log was rewritten up to it, or this is a different copy of the vault`,
      });
    } finally {
      vaultService.lock(s, 'manual');
    }
    const text = await cli(['audit', 'verify', tv.path, '--user', ADMIN.name, '--anchor', join(tv.dir, 'corporate-csv.csv')], `${ADMIN.passphrase}\n`);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Anchor: entry ');
    expect(text.stdout).toMatch(/from a CSV export\.\nThe log does not hold the anchor's head: entry \d+ is not the entry the anchor records \(its hash differs\)/);
  }, 120_000);

  it('a file from another vault is refused, before any passphrase, and by the service too', async () => {
    const other = createTestVault({ label: 'audit-anchor-other' });
    try {
      const otherAnchor = join(other.dir, 'other.json');
      const w = auditService.writeAnchor(other.session, { path: otherAnchor });
      expect(w.isSigned).toBe(true);
      const message = `That file names the audit log of another vault (${w.vaultId}), not this one (${vaultId}): it says nothing about this vault's log.`;
      const s = as(ADMIN);
      try {
        expect(() => auditService.verifyAgainstAnchor(s, { vaultId: w.vaultId, seq: w.seq, hash: w.hash })).toThrow(message);
      } finally {
        vaultService.lock(s, 'manual');
      }
      const r = await cli(['audit', 'verify', tv.path, '--user', ADMIN.name, '--anchor', otherAnchor]);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `${otherAnchor} names the audit log of another vault (${w.vaultId}), not this one (${vaultId}): it says nothing about this vault's log.\n` });
    } finally {
      vaultService.lock(other.session, 'manual');
      removeDir(other.dir);
    }
  }, 60_000);

  it('a malformed or oversized file is refused with a sentence, before any passphrase', async () => {
    const bad = join(tv.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'harm-matrix-audit-anchor', version: 1, vaultId, seq: 'ten', hash: 'x' }));
    expect(await cli(['audit', 'verify', tv.path, '--user', ADMIN.name, '--anchor', bad])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'The audit anchor statement is malformed (a field is missing, extra or not of its form): it was not used.\n',
    });
    const huge = join(tv.dir, 'huge.xlsx');
    writeFileSync(huge, 'PK');
    truncateSync(huge, MAX_ANCHOR_FILE_BYTES + 1);
    const r = await cli(['audit', 'verify', tv.path, '--user', ADMIN.name, '--anchor', huge]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`The file is ${(MAX_ANCHOR_FILE_BYTES + 1).toLocaleString('en-GB')} bytes, larger than any file Harm Matrix writes (at most ${MAX_ANCHOR_FILE_BYTES.toLocaleString('en-GB')}): it was not read.\n`);
    rmSync(huge);
  }, 60_000);
});
