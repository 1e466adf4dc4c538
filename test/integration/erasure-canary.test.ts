/**
 * The erasure canary. A person with a distinctive name, date of birth and free text (an
 * intelligence item only about them) is linked, flagged, on a network frozen in a meeting snapshot,
 * and consulted; a backup is taken; the person is erased. Then none of those values is found:
 * - in any row of any table of the decrypted vault (the audit log included);
 * - in any page of the vault file, decrypted here page by page with the raw data key (the driver
 *   does not build sqlite_dbpage): live pages, free pages and unused space alike;
 * - in any frame of its WAL, decrypted the same way;
 * and before the erasure the same reading finds them (so the reading is real). `audit verify` is
 * intact. A restore of the backup taken before the erasure re-applies it: the person does not
 * come back, and the restored file holds none of the values either.
 *
 * secure_delete is ON at every open (SQLite's default is OFF; this driver turns it on with a key:
 * both checked here). With it set OFF, this test finds the date of birth and the note in free space.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import * as auditService from '../../main/services/audit.service';
import * as E from '../../main/services/erasure.service';
import * as M from '../../main/services/matrix.service';
import { holdMeeting } from '../../main/services/meetings.service';
import { Session } from '../../main/services/session';
import * as vaultService from '../../main/services/vault.service';
import type { Db } from '../../main/vault/database';
import type { EraseResult, Result } from '../../preload/contract';
import { intel, network, openMatrixWorld, type MatrixWorld } from '../helpers/matrix-fixtures';
import { ADMIN, dataKeyFromSlot, encodings, keysPathFor, removeDir, tempDir } from '../helpers/vault-fixtures';
import { decryptedPages, decryptedWalFrames, freePageNumbers } from '../helpers/vault-pages';

const NAME = 'Zebedee Quillfeather-Ormsby';
const DOB = '2003-11-29';
const NOTE = 'Canary note: meets at the Xylophone Tannery on Thursdays';
const CANARIES = [NAME, 'Quillfeather', DOB, NOTE, 'Xylophone Tannery'];

let w: MatrixWorld | null = null;
afterEach(() => {
  w?.close();
  w = null;
});

async function ok<T>(r: Promise<Result<unknown>>): Promise<T> {
  const got = await r;
  if (!got.ok) throw new Error(`expected ok, got ${got.code}: ${got.message}`);
  return got.value as T;
}

/** Every value of every row of every table, as text. */
function everyRow(db: Db): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).raw().all(), (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v))).join('\n');
}

function hitsIn(buffers: readonly Buffer[]): string[] {
  const found = new Set<string>();
  for (const c of CANARIES) for (const enc of encodings(c)) if (buffers.some((b) => b.includes(enc))) found.add(c);
  return [...found].sort();
}

describe('the erasure canary', () => {
  test('driver fact: secure_delete is off by default, on once a cipher key is set, and on in every vault connection', () => {
    const dir = tempDir('canary-driver');
    const plain = new Database(join(dir, 'plain.db'));
    expect(plain.pragma('secure_delete', { simple: true })).toBe(0);
    plain.pragma("cipher='sqlcipher'");
    plain.pragma(`key="x'${'11'.repeat(32)}'"`);
    expect(plain.pragma('secure_delete', { simple: true })).toBe(1);
    plain.close();
    removeDir(dir);
    w = openMatrixWorld('canary-pragma');
    expect(w.db().pragma('secure_delete', { simple: true })).toBe(1);
  });

  test('nothing of the erased person survives in the rows, the pages, the free pages or the WAL; a restore does not bring it back', async () => {
    w = openMatrixWorld('canary-erase');
    const n = network(w, 'Canary Crew');
    const p = M.createPerson(w.s, { name: NAME, dateOfBirth: DOB });
    const note = intel(w, 1, 'A', 'CHIS canary', { summary: NOTE, itemDate: '2026-01-10' });
    const held = intel(w, 2, 'B', 'Officer canary', { networkIds: [n.id], itemDate: '2026-01-12' });
    const link = M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'associate', intelIds: [note.id, held.id], startDate: '2026-02-01' });
    const flag = M.proposeFlag(w.s, { subjectType: 'person', subjectId: p.id, networkId: n.id, intelIds: [note.id, held.id] });
    w.as(w.supervisor);
    M.confirmFlag(w.s, flag.id);
    holdMeeting(w.s, '2026-06-30');
    // Consulted: the person's card, opened (a consultation entry).
    await ok(w.call('people:get', { id: p.id, reason: 'Reviewing the flag before the panel meets.' }));
    // A backup before the erasure.
    w.as(w.admin);
    const backupPath = join(w.tv.dir, 'before-erasure.hmvault');
    vaultService.backup(w.s, { path: backupPath });
    w.as(w.supervisor);

    const key = dataKeyFromSlot(keysPathFor(w.tv.path), ADMIN.name, ADMIN.passphrase);
    // The reading is real: before the erasure, the values are in the decrypted pages or the WAL.
    expect(hitsIn([...decryptedPages(w.tv.path, key), ...decryptedWalFrames(`${w.tv.path}-wal`, key)])).toEqual([...CANARIES].sort());
    expect(everyRow(w.db())).toContain(NAME);

    const done = await ok<EraseResult>(w.call('erase:confirm', { kind: 'person', ref: p.reference, reason: 'Erasure request upheld by the data protection officer.' }));
    expect(done.counts).toMatchObject({ people: 1, memberships: 1, flags: 1, intelligence: 1 });
    expect(done.isLogCheckpointed).toBe(true);
    expect(link.id).toBeTruthy();

    // No row of any table (the audit log, the snapshots, the register, the erasures included).
    const rows = everyRow(w.db());
    for (const c of CANARIES) expect([c, rows.includes(c)]).toEqual([c, false]);
    // No page of the file, live or free, and no frame of the WAL.
    const pages = decryptedPages(w.tv.path, key);
    const frames = decryptedWalFrames(`${w.tv.path}-wal`, key);
    expect(hitsIn(pages)).toEqual([]);
    expect(hitsIn(frames)).toEqual([]);
    expect(frames).toEqual([]);
    const free = freePageNumbers(pages);
    for (const no of free) if (no !== pages[0]!.readUInt32BE(32)) expect([no, pages[no - 1]!.equals(Buffer.alloc(pages[no - 1]!.length))]).toEqual([no, true]);
    // The log still verifies.
    expect(auditService.verify(w.s)).toMatchObject({ isIntact: true, reason: null });

    // A restore of the backup taken before the erasure re-applies it.
    w.s.closeVault();
    const s2 = new Session(w.tv.ctx);
    const restoredPath = join(w.tv.dir, 'restored.hmvault');
    vaultService.restore(s2, { backupPath, destPath: restoredPath, userName: ADMIN.name, passphrase: ADMIN.passphrase });
    try {
      expect(E.reappliedAtRestore(s2)).toBe(1);
      const db = s2.vault!.db;
      expect(db.prepare('SELECT count(*) FROM people WHERE id = ?').pluck().get(p.id)).toBe(0);
      expect(db.prepare('SELECT id, kind, record_id, reapplied_at IS NOT NULL AS re FROM erasures').get()).toEqual({ id: done.erasureId, kind: 'person', record_id: p.id, re: 1 });
      expect(db.prepare("SELECT summary FROM audit_log WHERE action = 'erase'").pluck().all()).toEqual([
        `Re-applied at restore erasure ${done.erasureId} of person ${p.reference} (erased ${done.erasedAt.slice(0, 10)}): 1 person, 1 member link, 1 flag, 1 intelligence item, 2 citations of intelligence`,
      ]);
      const restoredRows = everyRow(db);
      for (const c of CANARIES) expect([c, restoredRows.includes(c)]).toEqual([c, false]);
      const rkey = dataKeyFromSlot(keysPathFor(restoredPath), ADMIN.name, ADMIN.passphrase);
      expect(hitsIn([...decryptedPages(restoredPath, rkey), ...decryptedWalFrames(`${restoredPath}-wal`, rkey)])).toEqual([]);
      expect(auditService.verify(s2)).toMatchObject({ isIntact: true });
      // Restoring again re-applies nothing new: the restored copy records the erasure now.
      expect(E.reapplyErasures(s2)).toBe(0);
    } finally {
      s2.closeVault();
    }
  });
});
