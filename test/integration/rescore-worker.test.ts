/**
 * The full rescore as a job (services/rescore-job.ts) on a real encrypted vault: the worker thread
 * stores exactly what the in-process rescore stores, reports progress, writes nothing when
 * cancelled or when the vault locks, does not lose or overwrite a write made while it runs, runs
 * one at a time, and the daily rescore at unlock happens once per UK day (clock-controlled). The
 * scorer's trusted entry point (no zod parse, for input read from the vault) scores exactly as the
 * validating one.
 *
 * The register is the demo generator's (seeded), imported through the import service, small
 * enough for a test and varied enough to have every band, overrides and cross-network offences.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateDocument } from '../../main/demo/generator';
import { addDays } from '../../preload/contract/dates';
import { scoreNetwork, ScoringInputError, scoreTrustedInput } from '../../main/domain/scoring';
import { weightTable } from '../../main/services/reference.service';
import { loadScoringInputs } from '../../main/store/scores.repo';
import { importDocument } from '../../main/services/import.service';
import * as M from '../../main/services/matrix.service';
import { cancelFullRescore, DAILY_RESCORE_META, fullRescore, rescoreStatus, startDailyRescore } from '../../main/services/rescore-job';
import { computeScores } from '../../main/services/scoring.service';
import { ukToday } from '../../preload/contract/uk-time';
import * as vaultService from '../../main/services/vault.service';
import { readMeta } from '../../main/vault/meta';
import { VaultError } from '../../main/vault/errors';
import { ANALYST } from '../helpers/vault-fixtures';
import { AS_OF, auditHeadSeq, auditSince, fingerprint, openMatrixWorld, type MatrixWorld } from '../helpers/matrix-fixtures';

let w: MatrixWorld;
let networkCount = 0;

/** Every stored score row, every column (computed_at included: the clock is fixed). */
const stored = () => w.db().prepare('SELECT * FROM network_scores ORDER BY network_id').all() as Record<string, unknown>[];
/** History rows after `id`, without their ids (the order of writing may differ between paths). */
const historyAfter = (id: number) =>
  (w.db().prepare('SELECT network_id, as_of, model, weight_table_id, weight_table_version, score, eh_pts, ah_pts, cap_pts, band, effective_band, confidence, computed_at FROM score_history WHERE id > ? ORDER BY network_id').all(id) as Record<string, unknown>[]);
const lastHistoryId = () => w.db().prepare('SELECT coalesce(max(id), 0) FROM score_history').pluck().get() as number;

async function rejection(p: Promise<unknown>): Promise<VaultError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VaultError) return e;
    throw e;
  }
  throw new Error('expected the job to fail');
}

beforeAll(() => {
  w = openMatrixWorld('rescore-worker');
  w.as(w.supervisor);
  const doc = generateDocument({ scale: { networks: 40, people: 120, offences: 900, intelligence: 260 }, seed: 7, asOf: AS_OF });
  const r = importDocument(w.s, doc, { canConfirmFlags: true });
  expect(r.ok).toBe(true);
  networkCount = w.db().prepare('SELECT count(*) FROM networks').pluck().get() as number;
  expect(networkCount).toBe(40);
  w.as(w.analyst);
});
afterAll(() => w?.close());

describe('the trusted scoring entry point', () => {
  test('scores every network of the register exactly as the validating entry point does', () => {
    const inputs = loadScoringInputs(w.db(), null, AS_OF, weightTable());
    expect(inputs.size).toBe(networkCount);
    let offences = 0;
    for (const input of inputs.values()) {
      offences += input.offences.length;
      expect(JSON.stringify(scoreTrustedInput(input))).toBe(JSON.stringify(scoreNetwork(input)));
    }
    expect(offences).toBeGreaterThan(500);
  });

  test('still refuses an offence category the weight table does not have, as the validating one does', () => {
    const [input] = [...loadScoringInputs(w.db(), null, AS_OF, weightTable()).values()].filter((i) => i.offences.length > 0);
    const bad = { ...input!, offences: [...input!.offences, { ...input!.offences[0]!, id: 'extra', category: 'no_such_category' }] };
    expect(() => scoreTrustedInput(bad)).toThrow(ScoringInputError);
    expect(() => scoreTrustedInput(bad)).toThrow(`unknown offence category "no_such_category"`);
    expect(() => scoreNetwork(bad)).toThrow(`unknown offence category "no_such_category"`);
  });
});

describe('worker and in-process paths', () => {
  test('the worker stores exactly what the in-process rescore stores, with monotonic progress to the total', async () => {
    const day = addDays(AS_OF, 40);
    // Worker, as of a later day: every decayed score moves, so history rows are written too.
    const h0 = lastHistoryId();
    const seq0 = auditHeadSeq(w.db());
    const progress: [number, number][] = [];
    const r = await fullRescore(w.s, { asOf: day, mode: 'worker', chunkSize: 7, onProgress: (done, total) => progress.push([done, total]) });
    const byWorker = stored();
    const workerHistory = historyAfter(h0);
    expect(r).toMatchObject({ path: 'worker', scored: networkCount, rescoredInMain: 0 });
    expect(r.changed).toBeGreaterThan(20);
    expect(workerHistory).toHaveLength(r.changed);
    expect(auditSince(w.db(), seq0)).toEqual([
      { action: 'alter', entityType: 'matrix', entityId: null, summary: `All ${networkCount} networks rescored as of ${day}; ${r.changed} changed`, justification: null, userName: ANALYST.name },
    ]);

    // Progress: starts at 0 of the total, never goes back, ends at the total, in chunks of 7.
    expect(progress[0]).toEqual([0, networkCount]);
    expect(progress.at(-1)).toEqual([networkCount, networkCount]);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]![1]).toBe(networkCount);
      expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
    }
    expect(progress.map(([d]) => d)).toEqual([0, 7, 14, 21, 28, 35, 40]);
    expect(rescoreStatus(w.s)).toEqual({ isRunning: false, done: 0, total: 0, asOf: day });

    // Back to today's scores, then the same rescore in process: the same starting point.
    M.rescoreAll(w.s, AS_OF);
    const h1 = lastHistoryId();
    const inline = await fullRescore(w.s, { asOf: day, mode: 'inline' });
    expect(inline).toMatchObject({ path: 'inline', scored: networkCount, changed: r.changed });
    const byProcess = stored();
    expect(byProcess).toEqual(byWorker);
    // ===, column by column, not close.
    byProcess.forEach((row, i) => {
      for (const [k, v] of Object.entries(row)) expect(byWorker[i]![k] === v, `${String(row.network_id)}.${k}`).toBe(true);
    });
    expect(historyAfter(h1)).toEqual(workerHistory);
    expect(byWorker.every((x) => x.as_of === day)).toBe(true);
  });

  test('cancelled once the worker has read the vault: nothing is written, not even an audit entry', async () => {
    const before = fingerprint(w.db());
    const job = fullRescore(w.s, {
      asOf: addDays(AS_OF, 41),
      mode: 'worker',
      chunkSize: 5,
      onProgress: (done) => {
        if (done === 10) expect(cancelFullRescore(w.s)).toBe(true);
      },
    });
    expect(rescoreStatus(w.s)).toMatchObject({ isRunning: true, asOf: addDays(AS_OF, 41) });
    const e = await rejection(job);
    expect(e.code).toBe('conflict');
    expect(e.message).toBe('The full rescore was stopped before it saved anything. Nothing was changed.');
    expect(fingerprint(w.db())).toBe(before);
    expect(rescoreStatus(w.s).isRunning).toBe(false);
    expect(cancelFullRescore(w.s)).toBe(false);
  });

  test('one job at a time: the same request joins the running job, a different one is refused', async () => {
    const day = addDays(AS_OF, 42);
    const first = fullRescore(w.s, { asOf: day, mode: 'worker' });
    expect(fullRescore(w.s, { asOf: day, mode: 'worker' })).toBe(first);
    expect(() => fullRescore(w.s, { asOf: addDays(day, 1), mode: 'worker' })).toThrow('A full rescore is already running. Wait for it to finish, then try again.');
    const r = await first;
    expect(r.scored).toBe(networkCount);
    expect(stored().every((x) => x.as_of === day)).toBe(true);
  });
});

describe('a write while the worker runs', () => {
  test('is kept, and its network is stored as a full rescore of the records as they are at the end', async () => {
    M.rescoreAll(w.s, AS_OF);
    const networks = w.db().prepare('SELECT id FROM networks ORDER BY id').pluck().all() as string[];
    // A network with a rating to raise, and the supporting item it needs to count (source 1, grade A).
    const target = networks[3]!;
    const support = w.db().prepare("SELECT id FROM intelligence WHERE grading = '3x5x2' AND source_grade = 1 AND intel_grade IN ('A','B','C') AND item_date <= ? LIMIT 1").pluck().get(AS_OF) as string;
    const before = computeScores(w.db(), [target], AS_OF).get(target)!;
    let isEdited = false;
    const job = fullRescore(w.s, {
      asOf: AS_OF,
      mode: 'worker',
      chunkSize: 5,
      onProgress: (done) => {
        // The worker has read its snapshot (it reports 0 of the total only after reading); this
        // edit commits after that, so the worker's score for `target` is from before it.
        if (done === 0 && !isEdited) {
          isEdited = true;
          M.rateNetwork(w.s, { networkId: target, kind: 'assessed', dimension: 'physical', value: 4, intelIds: [support] });
          M.rateNetwork(w.s, { networkId: target, kind: 'capability', dimension: 'firearms', value: 3, intelIds: [] });
        }
      },
    });
    const r = await job;
    expect(isEdited).toBe(true);
    expect(r.rescoredInMain).toBe(1);
    const after = computeScores(w.db(), [target], AS_OF).get(target)!;
    expect(after.score).toBeGreaterThan(before.score);
    // The edit is there, and the stored score is the edited network's, not the snapshot's.
    expect(w.db().prepare("SELECT value FROM ratings WHERE network_id = ? AND kind = 'assessed' AND dimension = 'physical'").pluck().get(target)).toBe(4);
    const row = stored().find((x) => x.network_id === target)!;
    expect(row.score).toBe(after.score);
    // And the whole table is exactly what a full rescore now stores: nothing changes.
    const all = stored();
    expect(M.rescoreAll(w.s, AS_OF)).toEqual({ scored: networkCount, changed: 0 });
    expect(stored().map((x) => ({ ...x, computed_at: null }))).toEqual(all.map((x) => ({ ...x, computed_at: null })));
  });

  test('locking the vault stops the worker and writes nothing', async () => {
    const day = addDays(AS_OF, 43);
    const seq = auditHeadSeq(w.db());
    const scoresBefore = stored();
    const job = fullRescore(w.s, {
      asOf: day,
      mode: 'worker',
      onProgress: (done) => {
        if (done === 0) vaultService.lock(w.s, 'manual');
      },
    });
    const e = await rejection(job);
    expect(e.code).toBe('locked');
    expect(e.message).toBe('The vault was locked before the full rescore finished. Nothing was changed.');
    expect(rescoreStatus(w.s).isRunning).toBe(false);
    // Reopened from the file: the lock's entry and the unlock's, nothing from the job.
    vaultService.unlock(w.s, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
    w.as(w.analyst);
    expect(stored()).toEqual(scoresBefore);
    expect(auditSince(w.db(), seq).map((a) => a.summary)).toEqual(['Locked (manual)', 'Unlocked with passphrase']);
  });
});

describe('daily rescore at unlock', () => {
  const relock = (instant: string): void => {
    vaultService.lock(w.s, 'manual');
    w.clock.set(instant);
    vaultService.unlock(w.s, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
    w.as(w.analyst);
  };
  const dailyEntries = () =>
    (w.db().prepare("SELECT summary, user_name FROM audit_log WHERE summary LIKE 'Daily rescore:%' ORDER BY seq").all() as { summary: string; user_name: string }[]);

  test('rescores every network as of the new UK day once, as the unlocking user', () => {
    M.rescoreAll(w.s, AS_OF);
    const startDaily = dailyEntries().length;
    // Same day: scores are as of today, nothing to do.
    relock('2026-06-30T20:00:00.000Z');
    expect(dailyEntries()).toHaveLength(startDaily);

    // 00:30 BST on 1 July is still 30 June in UTC: a new UK day.
    const h0 = lastHistoryId();
    relock('2026-06-30T23:30:00.000Z');
    const today = ukToday(w.clock.now());
    expect(today).toBe('2026-07-01');
    const daily = dailyEntries();
    expect(daily).toHaveLength(startDaily + 1);
    const changed = lastHistoryId() - h0;
    expect(daily.at(-1)).toEqual({ summary: `Daily rescore: all ${networkCount} networks rescored as of 2026-07-01; ${changed} changed`, user_name: ANALYST.name });
    expect(stored().every((x) => x.as_of === '2026-07-01')).toBe(true);
    expect(readMeta(w.db(), DAILY_RESCORE_META)).toBe('2026-07-01');
    // Exactly what a full rescore as of today stores.
    expect(M.rescoreAll(w.s, today)).toEqual({ scored: networkCount, changed: 0 });

    // Later the same day, even after someone stored a past day's scores: not again.
    M.rescoreAll(w.s, '2026-05-01');
    relock('2026-07-01T16:00:00.000Z');
    expect(dailyEntries()).toHaveLength(startDaily + 1);
    expect(stored().every((x) => x.as_of === '2026-05-01')).toBe(true);

    // The next day: once more.
    relock('2026-07-02T08:00:00.000Z');
    relock('2026-07-02T09:00:00.000Z');
    expect(dailyEntries().map((d) => d.summary.split(';')[0])).toEqual([
      ...dailyEntries()
        .slice(0, startDaily)
        .map((d) => d.summary.split(';')[0]),
      `Daily rescore: all ${networkCount} networks rescored as of 2026-07-01`,
      `Daily rescore: all ${networkCount} networks rescored as of 2026-07-02`,
    ]);
  });

  test('a large vault rescores in the worker: status shows it running, then the scores are today’s', async () => {
    w.clock.set('2026-07-03T08:00:00.000Z');
    const job = startDailyRescore(w.s, { mode: 'worker' });
    expect(job).not.toBeNull();
    expect(rescoreStatus(w.s)).toMatchObject({ isRunning: true, asOf: '2026-07-03' });
    // Not twice while it runs.
    expect(startDailyRescore(w.s, { mode: 'worker' })).toBeNull();
    const r = await job!;
    expect(r.path).toBe('worker');
    expect(rescoreStatus(w.s)).toEqual({ isRunning: false, done: 0, total: 0, asOf: '2026-07-03' });
    expect(stored().every((x) => x.as_of === '2026-07-03')).toBe(true);
    expect(dailyEntries().at(-1)!.summary.startsWith(`Daily rescore: all ${networkCount} networks rescored as of 2026-07-03;`)).toBe(true);
    expect(startDailyRescore(w.s, { mode: 'worker' })).toBeNull();
  });
});
