/**
 * Full rescore off the main thread (issue 3: a full rescore at force scale must not freeze the
 * window). Opens its own read-only connection to the vault with the same cipher settings, reads
 * every network's scoring input in one read transaction (one consistent snapshot), scores them
 * with the same scorer as the main process and posts the stored part of each score back in
 * chunks. It writes nothing: main writes the results in one transaction (services/rescore-job.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scoreTrustedInput } from '../domain/scoring';
import { loadScoringInputs, summariseScore, type ScoreSummary } from '../store/scores.repo';
import { weightTable } from '../services/reference.service';
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
    const inputs = db.transaction(() => loadScoringInputs(db, null, data.asOf, weightTable(data.tableId)))();
    const total = inputs.size;
    post({ type: 'loaded', total, loadMs: performance.now() - t0 });
    const t1 = performance.now();
    let done = 0;
    let ids: string[] = [];
    let scores: ScoreSummary[] = [];
    for (const [id, input] of inputs) {
      ids.push(id);
      scores.push(summariseScore(scoreTrustedInput(input)));
      // Let the input go as soon as it is scored: at national scale the inputs are most of the heap.
      inputs.delete(id);
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
