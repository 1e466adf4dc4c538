/**
 * Full rescore off the main thread (issue 3: a full rescore at force scale must not freeze the
 * window). Opens its own read-only connection to the vault with the same cipher settings, reads
 * every network's scoring digest in one read transaction (one consistent snapshot), building from
 * the rows any the vault lacks, scores them with the same scorer as the main process and posts the
 * stored part of each score back in chunks. It writes nothing: main writes the results, and the
 * digests it built, in one transaction (services/rescore-job.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { digestInvalidations, loadDigests } from '../store/digests.repo';
import type { ScoreSummary } from '../store/scores.repo';
import { inSnapshot } from '../store/snapshot';
import { scoreDigests } from '../services/scoring.service';
import { openDatabase, type Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import type { RescoreWorkerData, RescoreWorkerMessage } from './rescore-protocol';

function post(message: RescoreWorkerMessage): void {
  parentPort!.postMessage(message);
}

function run(data: RescoreWorkerData): void {
  const key = Buffer.from(data.key.buffer, data.key.byteOffset, data.key.byteLength);
  let db: Db;
  try {
    db = openDatabase(data.path, key, { mode: 'open', migrations: [], purpose: 'reader' });
  } finally {
    // The connection holds what it needs; this thread's copy goes now.
    key.fill(0);
  }
  try {
    const t0 = performance.now();
    // One read transaction: every query sees the same snapshot, whatever main commits meanwhile.
    let t1 = 0;
    const summaries = inSnapshot(db, () => {
      const { digests, built } = loadDigests(db, null, false);
      post({ type: 'loaded', total: digests.size, loadMs: performance.now() - t0, built, invalidations: digestInvalidations(db) });
      t1 = performance.now();
      return scoreDigests(db, digests, null, data.asOf, data.tableId);
    });
    const total = summaries.size;
    let done = 0;
    let ids: string[] = [];
    let scores: ScoreSummary[] = [];
    for (const [id, summary] of summaries) {
      ids.push(id);
      scores.push(summary);
      done++;
      if (ids.length >= data.chunkSize || done === total) {
        post({ type: 'chunk', ids, scores, done, total });
        ids = [];
        scores = [];
      }
    }
    post({ type: 'done', scoreMs: performance.now() - t1 });
  } finally {
    db.close();
  }
}

try {
  run(workerData as RescoreWorkerData);
} catch (e) {
  post({ type: 'error', message: e instanceof Error ? e.message : 'The rescore failed.', code: e instanceof VaultError ? e.code : undefined });
}
