/**
 * Rescoring in the main process. A write that changes anything a score depends on calls
 * `rescoreNetworks` inside its own transaction, so the stored score never disagrees with the
 * records it came from. A full rescore (all networks, any as-of date) uses the same code path, so
 * incremental and full rescoring store identical scores; a full rescore large enough to freeze the
 * window runs the same read and scorer in a worker thread (rescore-job.ts).
 */
import { scoreTrustedInput, type HarmScore } from '../domain/scoring';
import type { Db } from '../vault/database';
import { loadScoringInputs, saveScore } from '../store/scores.repo';
import { weightTable } from './reference.service';

/** Score without storing: for an as-of view of the matrix. */
export function computeScores(db: Db, ids: string[] | null, asOf: string, tableId?: string): Map<string, HarmScore> {
  // The read builds well-formed input from CHECK-constrained columns: the trusted entry point
  // skips the zod parse that dominated a full rescore (BENCHMARKS.md).
  const inputs = loadScoringInputs(db, ids, asOf, weightTable(tableId));
  const out = new Map<string, HarmScore>();
  for (const [id, input] of inputs) out.set(id, scoreTrustedInput(input));
  return out;
}

/** Told which networks were rescored (null: all of them), so a full rescore running in a worker knows what it read has moved on. */
export type RescoreListener = (db: Db, ids: readonly string[] | null) => void;
const listeners = new Set<RescoreListener>();

export function onRescore(listener: RescoreListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Score and store (history row when score or band changes). Must run inside a transaction. */
export function rescoreNetworks(db: Db, ids: string[] | null, asOf: string, now: Date, tableId?: string): { scored: number; changed: number } {
  if (!db.inTransaction) throw new Error('rescoreNetworks must run inside the write transaction');
  for (const listener of listeners) listener(db, ids);
  const inputs = loadScoringInputs(db, ids, asOf, weightTable(tableId));
  let changed = 0;
  const at = now.toISOString();
  // Score and save one network at a time (as computeScores scores them), so a full rescore never
  // holds every network's explanation at once.
  for (const [id, input] of inputs) if (saveScore(db, id, scoreTrustedInput(input), at)) changed++;
  return { scored: inputs.size, changed };
}
