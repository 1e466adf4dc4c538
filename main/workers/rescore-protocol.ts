/**
 * Messages between main and the full-rescore worker (rescore.worker.ts). Plain data only: they
 * cross the thread boundary by structured clone. The data key is never in a message: it arrives
 * once, in workerData, as a transferred buffer.
 */
import type { BuiltParts } from '../store/digests.repo';
import type { ScoreSummary } from '../store/scores.repo';

export interface RescoreWorkerData {
  path: string;
  /** never log: key material. A copy made for this worker and transferred (moved) to it; wiped once the database is open. */
  key: Uint8Array;
  asOf: string;
  tableId?: string;
  /** Networks scored between progress messages. */
  chunkSize: number;
}

export type RescoreWorkerMessage =
  /** The records were read (one snapshot of the vault); `total` networks to score. */
  | {
      type: 'loaded';
      total: number;
      loadMs: number;
      /** Digests the vault lacked, built from the rows of this snapshot, for main to store. */
      built: BuiltParts;
      /** `scoring_digest_state.invalidations` in this snapshot: main stores `built` only if it has not moved. */
      invalidations: number;
    }
  /** Scores for the next networks, in network id order; `done` so far out of `total`. */
  | { type: 'chunk'; ids: string[]; scores: ScoreSummary[]; done: number; total: number }
  | { type: 'done'; scoreMs: number }
  /** A failure: its message only (no stack, no SQL parameters). */
  | { type: 'error'; message: string; code?: string };
