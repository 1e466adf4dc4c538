/**
 * Rescoring in the main process. A write that changes anything a score depends on calls
 * `rescoreNetworks` inside its own transaction, so the stored score never disagrees with the
 * records it came from. A full rescore (all networks, any as-of date) uses the same code path, so
 * incremental and full rescoring store identical scores; a full rescore large enough to freeze the
 * window runs the same read and scorer in a worker thread (rescore-job.ts).
 *
 * Stored scores and as-of views are scored from each network's scoring digest
 * (domain/scoring-digest.ts), which gives exactly the numbers scoring the rows gives; an
 * explanation (the network card, the meeting pack's offence tables) is scored from the rows.
 */
import { scoreTrustedInput, type HarmScore } from '../domain/scoring';
import { digestScorer, type DigestScore, type ScoringDigest } from '../domain/scoring-digest';
import type { Db } from '../vault/database';
import { loadDigests } from '../store/digests.repo';
import { loadOverrides, loadScoringInputs, saveScoreSummaries, saveScoreSummary, type ScoreSummary } from '../store/scores.repo';
import { weightTable } from './reference.service';

/** Score with explanations, without storing: the card, and anything that shows why. */
export function computeScores(db: Db, ids: string[] | null, asOf: string, tableId?: string): Map<string, HarmScore> {
  // The read builds well-formed input from CHECK-constrained columns: the trusted entry point
  // skips the zod parse that dominated a full rescore (BENCHMARKS.md).
  const inputs = loadScoringInputs(db, ids, asOf, weightTable(tableId));
  const out = new Map<string, HarmScore>();
  for (const [id, input] of inputs) out.set(id, scoreTrustedInput(input));
  return out;
}

export function summaryOf(d: DigestScore): ScoreSummary {
  return {
    asOf: d.asOf,
    model: d.model,
    weightTableId: d.weightTable.id,
    weightTableVersion: d.weightTable.version,
    score: d.score,
    ehPts: d.ehPts,
    ahPts: d.ahPts,
    capPts: d.capPts,
    band: d.band,
    effectiveBand: d.effectiveBand,
    confidence: d.confidence,
  };
}

/** Score digests as of a day, in network-id order (the order scores are stored in). */
export function scoreDigests(db: Db, digests: Map<string, ScoringDigest>, ids: string[] | null, asOf: string, tableId?: string): Map<string, ScoreSummary> {
  const score = digestScorer(asOf, weightTable(tableId));
  const overrides = loadOverrides(db, ids, asOf);
  const out = new Map<string, ScoreSummary>();
  for (const id of [...digests.keys()].sort()) out.set(id, summaryOf(score(digests.get(id)!, overrides.get(id) ?? null)));
  return out;
}

/**
 * Score without storing or explaining: an as-of view of the matrix, a meeting's snapshot. Digests
 * missing from the vault are built from the rows for this call only (this may run outside a write
 * transaction, so it stores nothing).
 */
export function computeScoreSummaries(db: Db, ids: string[] | null, asOf: string, tableId?: string): Map<string, ScoreSummary> {
  const { digests } = loadDigests(db, ids, false);
  return scoreDigests(db, digests, ids, asOf, tableId);
}

/** Told which networks were rescored (null: all of them), so a full rescore running in a worker knows what it read has moved on. */
export type RescoreListener = (db: Db, ids: readonly string[] | null) => void;
const listeners = new Set<RescoreListener>();

export function onRescore(listener: RescoreListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/**
 * Score and store (history row when score or band changes). Must run inside a transaction:
 * digests the write invalidated are built again from the rows and stored in it too.
 */
export function rescoreNetworks(db: Db, ids: string[] | null, asOf: string, now: Date, tableId?: string): { scored: number; changed: number } {
  if (!db.inTransaction) throw new Error('rescoreNetworks must run inside the write transaction');
  for (const listener of listeners) listener(db, ids);
  const { digests } = loadDigests(db, ids, true);
  const scores = scoreDigests(db, digests, ids, asOf, tableId);
  const at = now.toISOString();
  let changed = 0;
  // Every network: one pass that reads the stored scores once. Some (an edit's): one at a time.
  if (ids === null) changed = saveScoreSummaries(db, scores, at);
  else for (const [id, summary] of scores) if (saveScoreSummary(db, id, summary, at)) changed++;
  return { scored: scores.size, changed };
}
