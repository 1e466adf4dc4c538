/**
 * Rescoring in the main process. A write that changes anything a score depends on calls
 * `rescoreNetworks` inside its own transaction, so the stored score never disagrees with the
 * records it came from. A full rescore (all networks, any as-of date) uses the same code path, so
 * incremental and full rescoring store identical scores.
 */
import { scoreNetwork, type HarmScore } from '../domain/scoring';
import type { Db } from '../vault/database';
import { loadScoringInputs, saveScore } from '../store/scores.repo';
import { weightTable } from './reference.service';

/** Score without storing: for an as-of view of the matrix. */
export function computeScores(db: Db, ids: string[] | null, asOf: string, tableId?: string): Map<string, HarmScore> {
  const inputs = loadScoringInputs(db, ids, asOf, weightTable(tableId));
  const out = new Map<string, HarmScore>();
  for (const [id, input] of inputs) out.set(id, scoreNetwork(input));
  return out;
}

/** Score and store (history row when score or band changes). Must run inside a transaction. */
export function rescoreNetworks(db: Db, ids: string[] | null, asOf: string, now: Date, tableId?: string): { scored: number; changed: number } {
  if (!db.inTransaction) throw new Error('rescoreNetworks must run inside the write transaction');
  const scores = computeScores(db, ids, asOf, tableId);
  let changed = 0;
  const at = now.toISOString();
  for (const [id, h] of scores) if (saveScore(db, id, h, at)) changed++;
  return { scored: scores.size, changed };
}
