/**
 * Scoring digests on a real encrypted vault (schema 0040, main/store/digests.repo.ts):
 *
 * - a vault written before schema 0040 (the desk-scale benchmark register, plain SQL, at schema
 *   version 30) migrates on unlock: `network_offences` is filled exactly from the rows, no digest
 *   exists yet, the daily rescore at unlock (in the worker at this size) builds every digest from
 *   the rows and main stores them, and the scores stored are exactly the scores of the rows taken
 *   before the migration;
 * - each kind of change deletes exactly the digest parts it makes stale (offences, intelligence,
 *   ratings), for exactly the networks concerned, and nothing else; the rescore that follows
 *   builds them again;
 * - a worker's digests are stored only when nothing invalidated a digest after its snapshot;
 * - a digest part in another format is rebuilt, never read.
 *
 * The exhaustive check (random edit sequences, every stored part against a fresh build, every
 * stored score against the rows) is in scoring-incremental.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { populateMatrix } from '../../bench/matrix-data';
import { addDays } from '../../preload/contract/dates';
import * as M from '../../main/services/matrix.service';
import { fullRescore, rescoreSize } from '../../main/services/rescore-job';
import { computeScores, rescoreNetworks } from '../../main/services/scoring.service';
import * as vaultService from '../../main/services/vault.service';
import { buildIntelligenceParts, buildOffenceParts } from '../../main/store/digests.repo';
import { summariseScore } from '../../main/store/scores.repo';
import type { Db } from '../../main/vault/database';
import { latestVersion, MIGRATIONS } from '../../main/vault/migrations';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../../main/services/session';
import { insertUser } from '../../main/store/users.repo';
import { Vault } from '../../main/vault/vault';
import { AS_OF, Clock, SUPERVISOR_2 } from '../helpers/matrix-fixtures';
import { ADMIN, ANALYST, SUPERVISOR, dataKeyFromSlot, legacySlot, removeDir, tempDir, testContext } from '../helpers/vault-fixtures';
import { keysPathFor, readKeyFile, writeKeyFile } from '../../main/vault/keyfile';

/** The vault, unlocked as the analyst once it has migrated. */
let w: { s: Session; db: () => Db; close(): void };
/** Row-scored summaries as of AS_OF, taken at schema 30 before the migration. */
let before: Map<string, ReturnType<typeof summariseScore>>;
let networkCount = 0;

const count = (db: Db, sql: string, ...params: unknown[]): number => db.prepare(sql).pluck().get(...params) as number;
const offenceParts = (db: Db): Set<string> => new Set(db.prepare('SELECT network_id FROM scoring_digest_offences').pluck().all() as string[]);
const intelligenceParts = (db: Db): Set<string> => new Set(db.prepare('SELECT network_id FROM scoring_digest_intelligence').pluck().all() as string[]);
const ratingParts = (db: Db): Set<string> => new Set(db.prepare('SELECT network_id FROM scoring_digest_ratings').pluck().all() as string[]);
const NETWORK_OFFENCES_FROM_ROWS = `SELECT l.network_id, o.id, o.category, o.offence_date, o.stage, o.weapon
  FROM offence_links l JOIN offences o ON o.id = l.offence_id WHERE l.status = 'confirmed' ORDER BY 1, 2`;

beforeAll(async () => {
  // Schema 30: the app as it was before digests. The migration list is the live one, so taking
  // 0040 and every later one off it makes this vault exactly what that version wrote. It is made
  // at the vault layer, its users' rows and slots written as that version wrote them: this
  // version's services also write the tables of later schemas (workstations, passphrase changes).
  const later = MIGRATIONS.splice(MIGRATIONS.findIndex((m) => m.version === 40));
  expect(later[0]!.version).toBe(40);
  const dir = tempDir('scoring-digests');
  mkdirSync(join(dir, 'vaults'));
  const ctx = testContext(dir, { now: new Clock().now });
  const path = join(dir, 'vaults', 'unit.hmvault');
  try {
    const ids: Record<string, string> = {};
    const { vault, recoveryCode } = Vault.create(ctx, { path, adminName: ADMIN.name, passphrase: ADMIN.passphrase }, (db) => {
      const admin = insertUser(db, { name: ADMIN.name, role: 'administrator', createdBy: null }, ctx.now());
      for (const [key, p] of [['analyst', ANALYST], ['supervisor', SUPERVISOR], ['supervisor2', SUPERVISOR_2]] as const) {
        ids[key] = insertUser(db, { name: p.name, role: key === 'analyst' ? 'analyst' : 'supervisor', createdBy: admin.id }, ctx.now()).id;
      }
      return { userId: admin.id };
    });
    // That version wrote first-format slots (no registry, no commitment): write its key file.
    const keysPath = keysPathFor(path);
    const keys = readKeyFile(keysPath);
    const dataKey = dataKeyFromSlot(keysPath, ADMIN.name, ADMIN.passphrase);
    const admin = keys.slots.find((x) => x.kind === 'user')!;
    const slot = (id: string, kind: 'user' | 'recovery', userId: string | null, userName: string | null, secret: string) =>
      legacySlot(keys.vaultId, { id, kind, userId, userName, secret, dataKey, generation: keys.generation });
    writeKeyFile(keysPath, {
      ...keys,
      slots: [
        slot(admin.id, 'user', admin.userId, ADMIN.name, ADMIN.passphrase),
        slot('slot-recovery', 'recovery', null, null, recoveryCode),
        slot('slot-analyst', 'user', ids.analyst!, ANALYST.name, ANALYST.passphrase),
      ],
    });
    const db = vault.db;
    expect(db.pragma('user_version', { simple: true })).toBe(30);
    populateMatrix(db, { scale: 'desk', seed: 'digests', asOf: AS_OF, authorId: ids.supervisor!, approverId: ids.supervisor2! });
    networkCount = count(db, 'SELECT count(*) FROM networks');
    before = new Map([...computeScores(db, null, AS_OF)].map(([id, h]) => [id, summariseScore(h)]));
    vault.close();
  } finally {
    MIGRATIONS.push(...later);
  }
  const s = new Session(ctx);
  s.vaultPath = path;
  w = {
    s,
    db: () => s.vault!.db,
    close() {
      s.closeVault();
      removeDir(dir);
    },
  };
  vaultService.unlock(w.s, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
}, 120_000);
afterAll(() => w?.close());

describe('a vault from before schema 0040', () => {
  test('migrates on unlock: network_offences holds exactly the confirmed offences, and no digest exists yet', () => {
    const db = w.db();
    // 0040 and every schema after it.
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    const fromRows = db.prepare(NETWORK_OFFENCES_FROM_ROWS).raw().all();
    expect(fromRows.length).toBeGreaterThan(40_000);
    expect(db.prepare('SELECT * FROM network_offences ORDER BY 1, 2').raw().all()).toEqual(fromRows);
    expect(count(db, 'SELECT invalidations FROM scoring_digest_state')).toBe(0);
    // With every digest to build from some 46,000 links, a full rescore goes to the worker.
    expect(rescoreSize(db)).toMatchObject({ networks: networkCount, lacking: networkCount, isWorker: true });
  });

  test('the daily rescore at unlock builds every digest in the worker, main stores them, and the scores are exactly the rows\u2019 scores', async () => {
    const db = w.db();
    const r = await fullRescore(w.s, { asOf: AS_OF, kind: 'daily' });
    expect(r.path).toBe('worker');
    expect(offenceParts(db).size).toBe(networkCount);
    expect(intelligenceParts(db).size).toBe(networkCount);
    expect(ratingParts(db).size).toBe(networkCount);
    // Scoring 500 networks from their digests is quick enough to stay in main.
    expect(rescoreSize(db)).toMatchObject({ lacking: 0, linksToBuild: 0, isWorker: false });
    const stored = db.prepare('SELECT network_id, score, eh_pts, ah_pts, cap_pts, band, effective_band, confidence, as_of FROM network_scores').all() as Record<string, unknown>[];
    expect(stored).toHaveLength(networkCount);
    for (const x of stored) {
      const b = before.get(x.network_id as string)!;
      expect([x.score, x.eh_pts, x.ah_pts, x.cap_pts, x.band, x.effective_band, x.confidence, x.as_of]).toEqual([b.score, b.ehPts, b.ahPts, b.capPts, b.band, b.effectiveBand, b.confidence, AS_OF]);
    }
    // Every band and confidence occurs, so the comparison covered the gates and the confidence rules.
    expect(new Set(stored.map((x) => x.effective_band)).size).toBe(4);
    expect(new Set(stored.map((x) => x.confidence)).size).toBe(3);
    // What was stored is what a fresh build from the rows gives.
    const off = buildOffenceParts(db, null);
    for (const [id, cats, packed] of db.prepare('SELECT network_id, categories, offences FROM scoring_digest_offences').raw().all() as [string, string, Buffer][]) {
      expect(JSON.parse(cats)).toEqual(off.get(id)!.categories);
      expect(packed.equals(off.get(id)!.offences)).toBe(true);
    }
  });

  test('scores as of other days, from the digests, are exactly the rows\u2019 scores', () => {
    const db = w.db();
    for (const day of ['2024-02-29', addDays(AS_OF, 365), addDays(AS_OF, 1200)]) {
      M.rescoreAll(w.s, day);
      const rows = computeScores(db, null, day);
      for (const [id, score, band, confidence] of db.prepare('SELECT network_id, score, effective_band, confidence FROM network_scores').raw().all() as [string, number, string, string][]) {
        const h = rows.get(id)!;
        expect([score, band, confidence]).toEqual([h.score, h.effectiveBand, h.confidence]);
      }
    }
    M.rescoreAll(w.s, AS_OF);
  });
});

describe('what each change invalidates', () => {
  /** Runs `change` (one write) and reports which networks lost which part. */
  function lost(change: () => void): { offences: string[]; intelligence: string[]; ratings: string[] } {
    const db = w.db();
    const before = [offenceParts(db), intelligenceParts(db), ratingParts(db)] as const;
    db.exec('SAVEPOINT probe');
    try {
      change();
      const after = [offenceParts(db), intelligenceParts(db), ratingParts(db)] as const;
      const gone = (k: 0 | 1 | 2) => [...before[k]].filter((id) => !after[k].has(id)).sort();
      return { offences: gone(0), intelligence: gone(1), ratings: gone(2) };
    } finally {
      db.exec('ROLLBACK TO probe; RELEASE probe');
    }
  }

  test('an offence changed: the offence part of every network it is confirmed for, nothing else', () => {
    const db = w.db();
    const [offenceId] = db.prepare("SELECT offence_id FROM offence_links WHERE status = 'confirmed' GROUP BY offence_id HAVING count(*) = 2 LIMIT 1").pluck().all() as string[];
    const networks = (db.prepare("SELECT network_id FROM offence_links WHERE offence_id = ? AND status = 'confirmed' ORDER BY 1").pluck().all(offenceId) as string[]);
    expect(networks).toHaveLength(2);
    expect(lost(() => db.prepare("UPDATE offences SET stage = 'nfa' WHERE id = ?").run(offenceId))).toEqual({ offences: networks, intelligence: [], ratings: [] });
  });

  test('a confirmed link: its network\u2019s offence and intelligence parts; a proposed or rejected one: nothing', () => {
    const db = w.db();
    const [linkId, networkId] = db.prepare("SELECT id, network_id FROM offence_links WHERE status = 'proposed' LIMIT 1").raw().get() as [string, string];
    expect(lost(() => db.prepare("UPDATE offence_links SET status = 'rejected' WHERE id = ?").run(linkId))).toEqual({ offences: [], intelligence: [], ratings: [] });
    expect(lost(() => db.prepare("UPDATE offence_links SET status = 'confirmed' WHERE id = ?").run(linkId))).toEqual({ offences: [networkId], intelligence: [networkId], ratings: [] });
  });

  test('a rating or its support: the ratings part; intelligence held: the intelligence part; an item regraded: both, wherever it reaches', () => {
    const db = w.db();
    const [networkId, kind, dimension] = db.prepare('SELECT network_id, kind, dimension FROM ratings LIMIT 1').raw().get() as [string, string, string];
    expect(lost(() => db.prepare('UPDATE ratings SET value = 0 WHERE network_id = ? AND kind = ? AND dimension = ?').run(networkId, kind, dimension))).toEqual({ offences: [], intelligence: [], ratings: [networkId] });
    const [supported, sKind, sDim, supportId] = db.prepare('SELECT network_id, kind, dimension, intel_id FROM rating_support LIMIT 1').raw().get() as [string, string, string, string];
    expect(lost(() => db.prepare('DELETE FROM rating_support WHERE network_id = ? AND kind = ? AND dimension = ? AND intel_id = ?').run(supported, sKind, sDim, supportId))).toEqual({ offences: [], intelligence: [], ratings: [supported] });
    const [heldBy, intelId] = db.prepare('SELECT network_id, intel_id FROM network_intelligence WHERE intel_id IN (SELECT intel_id FROM rating_support) LIMIT 1').raw().get() as [string, string];
    expect(lost(() => db.prepare('DELETE FROM network_intelligence WHERE network_id = ? AND intel_id = ?').run(heldBy, intelId))).toEqual({ offences: [], intelligence: [heldBy], ratings: [] });
    // An item reaches every network that holds it or cites it on a confirmed link (intelligence
    // part) and every network whose ratings it supports (ratings part).
    const held = db.prepare(
      `SELECT network_id FROM network_intelligence WHERE intel_id = @i
       UNION SELECT l.network_id FROM offence_link_intelligence li JOIN offence_links l ON l.id = li.link_id WHERE li.intel_id = @i ORDER BY 1`,
    ).pluck().all({ i: intelId }) as string[];
    const rated = db.prepare('SELECT DISTINCT network_id FROM rating_support WHERE intel_id = ? ORDER BY 1').pluck().all(intelId) as string[];
    expect(held.length).toBeGreaterThan(0);
    expect(rated.length).toBeGreaterThan(0);
    expect(lost(() => db.prepare("UPDATE intelligence SET intel_grade = 'E' WHERE id = ?").run(intelId))).toEqual({ offences: [], intelligence: held, ratings: rated });
  });

  test('an edit through the service rebuilds what it invalidated, in its own transaction, exactly as a fresh build', () => {
    const db = w.db();
    const [offenceId, networkId, stage] = db.prepare("SELECT l.offence_id, l.network_id, o.stage FROM offence_links l JOIN offences o ON o.id = l.offence_id WHERE l.status = 'confirmed' LIMIT 1").raw().get() as [string, string, string];
    const invalidations = count(db, 'SELECT invalidations FROM scoring_digest_state');
    M.setOffenceStage(w.s, offenceId, stage === 'convicted' ? 'charged' : 'convicted');
    expect(count(db, 'SELECT invalidations FROM scoring_digest_state')).toBe(invalidations + 1);
    expect(offenceParts(db).has(networkId)).toBe(true);
    const stored = db.prepare('SELECT offences FROM scoring_digest_offences WHERE network_id = ?').pluck().get(networkId) as Buffer;
    expect(stored.equals(buildOffenceParts(db, [networkId]).get(networkId)!.offences)).toBe(true);
  });
});

describe('storing a full rescore', () => {
  test('the one-pass save writes exactly the rows the per-network save writes', () => {
    const db = w.db();
    const ids = db.prepare('SELECT id FROM networks ORDER BY id').pluck().all() as string[];
    const now = new Date('2026-07-10T09:00:00.000Z');
    const added = (all: boolean, day: string): unknown[] => {
      const last = count(db, 'SELECT coalesce(max(id), 0) FROM score_history');
      db.exec('SAVEPOINT save');
      try {
        const r = rescoreNetworks(db, all ? null : ids, day, now);
        return [
          r,
          db.prepare('SELECT network_id, as_of, score, eh_pts, ah_pts, cap_pts, band, effective_band, confidence, computed_at FROM score_history WHERE id > ? ORDER BY id').raw().all(last),
          db.prepare('SELECT * FROM network_scores ORDER BY network_id').raw().all(),
        ];
      } finally {
        db.exec('ROLLBACK TO save; RELEASE save');
      }
    };
    // A day that moves most scores, and the day already stored (nothing moves).
    for (const day of [addDays(AS_OF, 40), AS_OF]) {
      const bulk = added(true, day);
      expect(bulk).toEqual(added(false, day));
      expect((bulk[0] as { changed: number }).changed).toBe(day === AS_OF ? 0 : (bulk[1] as unknown[]).length);
    }
    expect((added(true, addDays(AS_OF, 40))[1] as unknown[]).length).toBeGreaterThan(networkCount / 2);
  });
});

describe('digests a worker built', () => {
  test('are dropped when a digest was invalidated after its snapshot, and stored when nothing was', async () => {
    const db = w.db();
    const [offenceId] = db.prepare("SELECT offence_id FROM offence_links WHERE status = 'confirmed' LIMIT 1 OFFSET 10").pluck().all() as string[];
    db.exec('DELETE FROM scoring_digest_offences; DELETE FROM scoring_digest_intelligence; DELETE FROM scoring_digest_ratings;');
    // An edit lands while the worker runs: its network is rescored in main, but every digest the
    // worker built from the older snapshot is dropped (they are built again later).
    const job = fullRescore(w.s, { asOf: addDays(AS_OF, 2), mode: 'worker', onProgress: (done) => void (done === 0 && M.setOffenceStage(w.s, offenceId, 'charged')) });
    await job;
    expect(offenceParts(db).size).toBeLessThan(5);
    // Nothing lands: all stored.
    await fullRescore(w.s, { asOf: addDays(AS_OF, 3), mode: 'worker' });
    expect(offenceParts(db).size).toBe(networkCount);
    expect(intelligenceParts(db).size).toBe(networkCount);
    expect(ratingParts(db).size).toBe(networkCount);
    const held = buildIntelligenceParts(db, null);
    for (const [id, from, source, twoFrom] of db.prepare('SELECT network_id, held_from, held_source, held_two_from FROM scoring_digest_intelligence').raw().all() as [string, number | null, string | null, number | null][]) {
      expect({ from, source, twoFrom }).toEqual(held.get(id));
    }
  });

  test('a part in another format is rebuilt, never read', () => {
    const db = w.db();
    const networkId = db.prepare('SELECT network_id FROM scoring_digest_offences LIMIT 1').pluck().get() as string;
    db.prepare("UPDATE scoring_digest_offences SET format = 0, offences = x'00' WHERE network_id = ?").run(networkId);
    M.rescoreAll(w.s, AS_OF);
    const [format, packed] = db.prepare('SELECT format, offences FROM scoring_digest_offences WHERE network_id = ?').raw().get(networkId) as [number, Buffer];
    expect(format).toBe(1);
    expect(packed.equals(buildOffenceParts(db, [networkId]).get(networkId)!.offences)).toBe(true);
    expect(db.prepare('SELECT score FROM network_scores WHERE network_id = ?').pluck().get(networkId)).toBe(computeScores(db, [networkId], AS_OF).get(networkId)!.score);
  });
});
