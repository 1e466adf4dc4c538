/**
 * The full rescore (every network, as of a day) as a job: the "Rescore all" button, and the daily
 * rescore at unlock (stored scores decay a little every day).
 *
 * Small vaults are rescored at once, in the main process, exactly as `rescoreAll` does. Large ones,
 * and vaults whose scoring digests must first be built from the rows (new, migrated or just
 * imported), would freeze the window (issue 3: more than about 100 ms), so a worker thread owned by main
 * opens its own read-only connection, reads one snapshot of the records, scores every network with
 * the same read and scorer and posts the stored part of each score back in chunks, reporting
 * progress. Main then writes them all in ONE transaction with the audit entry, so what is stored
 * is exactly what `rescoreNetworks` would store.
 *
 * Writes made while the worker runs (an analyst keeps working) are not lost and are never
 * overwritten with scores computed from the older snapshot: every rescore a write makes is
 * reported here (`onRescore`), and at the end each network written meanwhile is scored again, in
 * the same final transaction, from the records as they are then. The worker's scores are used
 * only for networks nothing has touched since the job began. A write that rescored everything (an
 * import) makes the whole snapshot stale, so the worker runs again.
 *
 * One job per session at a time. Cancelling it, or locking the vault, stops the worker and writes
 * nothing.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readMeta, writeMeta } from '../vault/meta';
import { hasScoreNotAsOf, saveScoreSummaries, type ScoreSummary } from '../store/scores.repo';
import { listNetworkIds } from '../store/networks.repo';
import type { Db } from '../vault/database';
import { digestCoverage, digestInvalidations, estimateOffenceLinks, saveDigestParts, type BuiltParts } from '../store/digests.repo';
import { VaultError } from '../vault/errors';
import type { Vault } from '../vault/vault';
import type { RescoreWorkerData, RescoreWorkerMessage } from '../workers/rescore-protocol';
import { rescoreAllSummary } from './matrix.service';
import { onRescore, rescoreNetworks } from './scoring.service';
import type { Session } from './session';
import { ukToday } from '../../preload/contract/uk-time';

/**
 * When a full rescore goes to the worker: when it would take more than about 100 ms in process
 * (issue 3). Measured (BENCHMARKS.md, "Full rescore"), on the reference machine:
 * - scoring from stored digests costs about 40–55 µs a network (read, score, write the score and
 *   its history row), so 2,000 networks is roughly 100 ms;
 * - building a digest from the rows costs about 6–12 µs an offence link, so 10,000 links of
 *   networks without digests (a new, migrated or just imported vault) is roughly 100 ms.
 * Either one sends the job to the worker.
 */
export const WORKER_MIN_NETWORKS = 2_000;
export const WORKER_MIN_LINKS = 10_000;

/** Why a full rescore of this vault would (or would not) go to the worker: its size, cheaply. */
export function rescoreSize(db: Db): { networks: number; lacking: number; links: number; linksToBuild: number; isWorker: boolean } {
  const { networks, lacking } = digestCoverage(db);
  const links = estimateOffenceLinks(db);
  const linksToBuild = networks === 0 ? 0 : Math.round((links * lacking) / networks);
  return { networks, lacking, links, linksToBuild, isWorker: networks >= WORKER_MIN_NETWORKS || linksToBuild > WORKER_MIN_LINKS };
}

/** Networks per progress message: frequent enough for a progress bar, few enough to cost nothing. */
export const CHUNK_NETWORKS = 250;
/** A write that rescored every network during the job (an import) restarts the worker at most this often. */
const MAX_WORKER_PASSES = 3;

export type RescoreKind = 'manual' | 'daily';

export interface FullRescoreOptions {
  /** Default: today (UK). */
  asOf?: string;
  kind?: RescoreKind;
  /** 'auto' picks by size; the tests and the benchmark force a path. */
  mode?: 'auto' | 'worker' | 'inline';
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface FullRescoreResult {
  scored: number;
  changed: number;
  path: 'worker' | 'inline';
  /** Networks written to while the worker ran, scored again in main before the write. */
  rescoredInMain: number;
  /** Timings, for the benchmark. */
  timings: { totalMs: number; workerStartMs?: number; workerLoadMs?: number; workerScoreMs?: number; writeMs: number };
}

/** What `networks:rescore-status` returns: the renderer polls it to show progress. */
export interface RescoreStatus {
  isRunning: boolean;
  done: number;
  total: number;
  /** The day the running (or last) job rescored as of; null before any job this session. */
  asOf: string | null;
}

/** Digests a worker built (the vault lacked them) and the invalidation count of its snapshot. */
interface WorkerDigests {
  parts: BuiltParts;
  invalidations: number;
}

interface Job {
  asOf: string;
  kind: RescoreKind;
  done: number;
  total: number;
  promise: Promise<FullRescoreResult>;
  cancel: () => void;
}

const running = new WeakMap<Session, Job>();
const lastAsOf = new WeakMap<Session, string>();

export function rescoreStatus(s: Session): RescoreStatus {
  const job = running.get(s);
  if (job) return { isRunning: true, done: job.done, total: job.total, asOf: job.asOf };
  return { isRunning: false, done: 0, total: 0, asOf: lastAsOf.get(s) ?? null };
}

/** Stop the running job, if any; nothing it computed is written. Returns whether one was running. */
export function cancelFullRescore(s: Session): boolean {
  const job = running.get(s);
  job?.cancel();
  return job !== undefined;
}

/**
 * Rescore every network as of a day and store the scores, with one audit entry. Resolves when the
 * scores are stored. A second call while a job runs joins it when it is for the same day and kind,
 * and is refused otherwise.
 */
export function fullRescore(s: Session, opts: FullRescoreOptions = {}): Promise<FullRescoreResult> {
  s.requireUser();
  const vault = s.requireVault();
  const asOf = opts.asOf ?? ukToday(s.ctx.now());
  const kind = opts.kind ?? 'manual';
  const current = running.get(s);
  if (current) {
    if (current.asOf === asOf && current.kind === kind) return current.promise;
    throw new VaultError('conflict', 'A full rescore is already running. Wait for it to finish, then try again.');
  }
  const mode = opts.mode ?? 'auto';
  const isWorker = mode === 'worker' || (mode === 'auto' && rescoreSize(vault.db).isWorker);
  if (!isWorker) {
    const t0 = performance.now();
    const r = writeFullRescore(s, asOf, kind, new Map(), null);
    lastAsOf.set(s, asOf);
    const ms = performance.now() - t0;
    return Promise.resolve({ ...r, path: 'inline', rescoredInMain: r.scored, timings: { totalMs: ms, writeMs: ms } });
  }
  return startWorkerJob(s, vault, asOf, kind, opts);
}

function startWorkerJob(s: Session, vault: Vault, asOf: string, kind: RescoreKind, opts: FullRescoreOptions): Promise<FullRescoreResult> {
  const t0 = performance.now();
  let worker: Worker | null = null;
  let isStopped = false;
  let reject: (e: unknown) => void = () => undefined;
  const job: Job = {
    asOf,
    kind,
    done: 0,
    total: 0,
    promise: undefined as never,
    cancel: () => stop(new VaultError('conflict', 'The full rescore was stopped before it saved anything. Nothing was changed.')),
  };
  // Every network rescored by a write from now on: their worker scores may be stale. Listening
  // starts before the worker takes its snapshot, so nothing committed after the snapshot is missed
  // (a write just before it is caught too, and merely scored again).
  const touched = new Set<string>();
  let isAllTouched = false;
  const stopListening = onRescore((db, ids) => {
    if (db !== vault.db) return;
    if (ids === null) isAllTouched = true;
    else for (const id of ids) touched.add(id);
  });
  const stopOnClose = vault.onClose(() => stop(new VaultError('locked', 'The vault was locked before the full rescore finished. Nothing was changed.')));

  function stop(e: unknown): void {
    if (isStopped) return;
    isStopped = true;
    void worker?.terminate();
    reject(e);
  }

  job.promise = new Promise<FullRescoreResult>((resolve, rej) => {
    reject = rej;
    const timings: FullRescoreResult['timings'] = { totalMs: 0, writeMs: 0 };
    let pass = 0;
    const runPass = (): void => {
      pass++;
      isAllTouched = false;
      touched.clear();
      const results = new Map<string, ScoreSummary>();
      let built: WorkerDigests | null = null;
      const started = performance.now();
      const w = spawnWorker(vault, { asOf, chunkSize: opts.chunkSize ?? CHUNK_NETWORKS });
      worker = w;
      w.on('message', (m: RescoreWorkerMessage) => {
        if (isStopped || worker !== w) return;
        switch (m.type) {
          case 'loaded':
            timings.workerStartMs = performance.now() - started - m.loadMs;
            timings.workerLoadMs = m.loadMs;
            job.total = m.total;
            job.done = 0;
            built = { parts: m.built, invalidations: m.invalidations };
            opts.onProgress?.(0, m.total);
            return;
          case 'chunk':
            for (let i = 0; i < m.ids.length; i++) results.set(m.ids[i]!, m.scores[i]!);
            job.done = m.done;
            job.total = m.total;
            opts.onProgress?.(m.done, m.total);
            return;
          case 'done': {
            timings.workerScoreMs = m.scoreMs;
            worker = null;
            if (!vault.isOpen || s.vault !== vault) return stop(new VaultError('locked', 'The vault was locked before the full rescore finished. Nothing was changed.'));
            if (isAllTouched && pass < MAX_WORKER_PASSES) return runPass();
            try {
              const w0 = performance.now();
              // Stop listening first: the final write's own rescores are not news to this job.
              stopListening();
              const r = writeFullRescore(s, asOf, kind, results, isAllTouched ? null : touched, built);
              timings.writeMs = performance.now() - w0;
              timings.totalMs = performance.now() - t0;
              isStopped = true;
              resolve({ ...r, path: 'worker', timings });
            } catch (e) {
              stop(e);
            }
            return;
          }
          case 'error':
            console.error(`[rescore] the worker failed: ${m.message}`);
            return stop(m.code === 'locked' || m.code === 'damaged' ? new VaultError(m.code, m.message) : new VaultError('internal', 'The full rescore failed. Nothing was changed.'));
        }
      });
      w.on('error', (e) => {
        if (isStopped || worker !== w) return;
        console.error(`[rescore] the worker failed: ${e instanceof Error ? e.message : 'unknown error'}`);
        stop(new VaultError('internal', 'The full rescore failed. Nothing was changed.'));
      });
      w.on('exit', (code) => {
        // After 'done' this worker is no longer current; an exit before it is a failure.
        if (!isStopped && worker === w) stop(new VaultError('internal', `The full rescore stopped unexpectedly (exit ${code}). Nothing was changed.`));
      });
    };
    runPass();
  }).finally(() => {
    stopListening();
    stopOnClose();
    running.delete(s);
    lastAsOf.set(s, asOf);
  });
  running.set(s, job);
  return job.promise;
}

/**
 * How to start the worker: the built file beside main's bundle in the app (electron-vite writes
 * out/main/rescore-worker.js; shared code may sit in out/main/chunks), else the TypeScript source
 * through tsx's require hook (tests, benchmarks, the CLI from source). A worker does not inherit
 * the parent's loader hooks, and Node 20 ignores `--import` in a worker's execArgv.
 */
function workerEntry(): { file: string; isEval: boolean } {
  for (const file of [join(__dirname, 'rescore-worker.js'), join(__dirname, '..', 'rescore-worker.js')]) {
    if (existsSync(file)) return { file, isEval: false };
  }
  const source = join(__dirname, '..', 'workers', 'rescore.worker.ts');
  const tsx = createRequire(source).resolve('tsx/cjs');
  return { file: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, isEval: true };
}

function spawnWorker(vault: Vault, args: { asOf: string; chunkSize: number }): Worker {
  const { path, key } = vault.readerAccess();
  const { file, isEval } = workerEntry();
  const data: RescoreWorkerData = { path, key, asOf: args.asOf, chunkSize: args.chunkSize };
  try {
    // Transferred, not copied: the key's buffer moves to the worker and is detached here.
    return new Worker(file, { eval: isEval, workerData: data, transferList: [key.buffer as ArrayBuffer] });
  } finally {
    // Detached (length 0) once transferred; wiped here only if the worker never got it.
    if (key.byteLength > 0) key.fill(0);
  }
}

/**
 * The one transaction: the worker's scores for networks nothing touched, every other network
 * (touched meanwhile, created meanwhile, or all of them when `touched` is null) scored here from the
 * records as they now are, and the audit entry. `results` empty and `touched` null is the in-process
 * full rescore.
 */
function writeFullRescore(
  s: Session,
  asOf: string,
  kind: RescoreKind,
  results: Map<string, ScoreSummary>,
  touched: Set<string> | null,
  built: WorkerDigests | null = null,
): { scored: number; changed: number; rescoredInMain: number } {
  return s.write((db, audit) => {
    // Digests the worker built from its snapshot are still current only if nothing has
    // invalidated a digest since (the triggers count every invalidation); otherwise they are
    // dropped and built again by a later rescore.
    if (built && digestInvalidations(db) === built.invalidations) saveDigestParts(db, built.parts);
    const now = s.ctx.now();
    const at = now.toISOString();
    const ids = listNetworkIds(db);
    let changed = 0;
    let again: string[] | null = [];
    if (touched === null) again = null;
    else {
      const fresh: [string, ScoreSummary][] = [];
      for (const id of ids) {
        const r = results.get(id);
        if (!r || touched.has(id)) again.push(id);
        else fresh.push([id, r]);
      }
      // Most networks, usually: one pass that reads the stored scores once.
      changed += saveScoreSummaries(db, fresh, at);
    }
    let rescoredInMain = 0;
    if (again === null || again.length > 0) {
      const r = rescoreNetworks(db, again, asOf, now);
      changed += r.changed;
      rescoredInMain = r.scored;
    }
    if (kind === 'daily') writeMeta(db, DAILY_RESCORE_META, ukToday(now));
    audit({ action: 'alter', entityType: 'matrix', entityId: null, summary: rescoreAllSummary(ids.length, changed, asOf, kind) });
    return { scored: ids.length, changed, rescoredInMain };
  });
}

/* ---- Daily rescore ------------------------------------------------------------------------- */

/** The UK day of the last completed daily rescore (meta), so it runs at most once a day. */
export const DAILY_RESCORE_META = 'daily_rescore_on';

/** Whether unlocking now should start the daily rescore: not yet done today, and some stored score is not as of today (or missing). */
export function isDailyRescoreDue(db: Db, today: string): boolean {
  if (readMeta(db, DAILY_RESCORE_META) === today) return false;
  return hasScoreNotAsOf(db, today);
}

/**
 * At unlock: when the stored scores are not as of today, rescore every network as of today, as
 * the unlocking user (audit: "Daily rescore: …"). Large vaults rescore in the worker while the
 * matrix, meanwhile, scores its view in memory; a failure is logged and the next unlock tries
 * again. Returns the job, or null when none was due.
 */
export function startDailyRescore(s: Session, opts: Pick<FullRescoreOptions, 'mode'> = {}): Promise<FullRescoreResult> | null {
  const vault = s.requireVault();
  const today = ukToday(s.ctx.now());
  if (running.has(s) || !isDailyRescoreDue(vault.db, today)) return null;
  const report = (e: unknown): void => {
    if (!(e instanceof VaultError && (e.code === 'locked' || e.code === 'conflict'))) {
      console.error(`[rescore] the daily rescore failed: ${e instanceof Error ? e.message : 'unknown error'}`);
    }
  };
  let job: Promise<FullRescoreResult>;
  try {
    // A small vault is rescored here and now (the unlock waits for it); that must not stop the unlock.
    job = fullRescore(s, { asOf: today, kind: 'daily', mode: opts.mode });
  } catch (e) {
    report(e);
    return null;
  }
  job.catch(report);
  return job;
}
