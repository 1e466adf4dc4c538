/**
 * Issue 3's scoring benchmarks on a real vault (method and figures: BENCHMARKS.md, "Full rescore"
 * and "Incremental rescore"):
 *
 * - the daily rescore at unlock, with the vault's page cache cold, as the app runs it (in the
 *   worker for a vault of this size), and how long the main thread was ever blocked meanwhile;
 * - the full rescore, warm, in process and through the worker, alternating with the plain scan of
 *   the same offence rows (`RAW_OFFENCE_SCAN_SQL`) in the same vault, so the ratio comes from the
 *   same run and the same load;
 * - where the in-process time goes: reading the scoring digests, scoring them, writing; what
 *   building every digest from the rows costs (a vault without digests: new, migrated or just
 *   imported); and, for comparison, the explaining path (the rows read and scored with
 *   explanations), which is what a full rescore did before digests;
 * - a plain scan of the digest rows the rescore reads, as a second ratio;
 * - incremental rescores: one edit through the service (a stage change or a rating), timed from
 *   the call to its return (transaction, audit entry, rescore of the networks it touches, durable
 *   commit), and the rescore of those networks alone, their digest parts built again from the
 *   rows.
 */
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { scoreNetwork, scoreTrustedInput } from '../main/domain/scoring';
import { addDays } from '../preload/contract/dates';
import type { AppContext } from '../main/services/context';
import * as M from '../main/services/matrix.service';
import { weightTable } from '../main/services/reference.service';
import { onRescore, rescoreNetworks } from '../main/services/scoring.service';
import { fullRescore, rescoreStatus, WORKER_MIN_LINKS, WORKER_MIN_NETWORKS, type FullRescoreResult } from '../main/services/rescore-job';
import { Session } from '../main/services/session';
import * as users from '../main/services/users.service';
import { createVault, lock, unlock } from '../main/services/vault.service';
import { loadOverrides, loadScoringInputs, RAW_OFFENCE_SCAN_SQL } from '../main/store/scores.repo';
import { buildIntelligenceParts, buildOffenceParts, buildRatingParts, loadDigests } from '../main/store/digests.repo';
import { digestScorer } from '../main/domain/scoring-digest';
import { SCRYPT_TEST } from '../main/vault/crypto';
import { populateMatrix, type MatrixCounts } from './matrix-data';
import { fmtInt, fmtMs, percentile, printTable, round, stats, timed, timedAsync, type Stats } from './measure';
import { DEFAULT_AS_OF, rng, type ScaleName } from './synthetic';

export const FORCE_GOAL_MS = 1000;
export const RATIO_GOAL = 3;
export const INCREMENTAL_GOAL_MS = 20;

const USERS = {
  admin: { name: 'Morgan Keel', passphrase: 'benchmark vault: tidal orchard 4417 lantern' },
  analyst: { name: 'Rowan Hale', passphrase: 'benchmark vault: copper heron 2281 meadow' },
  supervisor: { name: 'Sasha Venn', passphrase: 'benchmark vault: amber quarry 9054 willow' },
} as const;

export interface RescoreOptions {
  seed: string;
  repeats: number;
  edits: number;
}

export interface WorkerRun {
  totalMs: number;
  startMs: number;
  loadMs: number;
  scoreMs: number;
  writeMs: number;
  /** Longest stall of the main thread's event loop while the job ran. */
  mainThreadMaxBlockMs: number;
  changed: number;
}

export interface RescoreResult {
  scale: ScaleName;
  counts: MatrixCounts & { stored: Record<string, number> };
  fileMiB: number;
  pageCount: number;
  populateMs: number;
  /** The whole unlock call (it starts the daily rescore in the worker and returns). */
  unlockMs: number;
  dailyCold: WorkerRun;
  rawScan: Stats;
  rawScanRows: number;
  /** A plain scan of the digest rows a full rescore reads (both tables, every column). */
  digestScan: Stats;
  digestBytes: number;
  inProcess: Stats;
  inProcessRuns: { totalMs: number; changed: number }[];
  breakdown: {
    load: Stats;
    score: Stats;
    write: Stats;
    /** Every digest built from the rows (the cold read), without storing. */
    build: Stats;
    /** The explaining path for every network, once each: the rows read, then scored with explanations. */
    rowsLoadOnceMs: number;
    rowsScoreOnceMs: number;
    scoreValidatedOnceMs: number;
  };
  worker: Stats;
  workerRuns: WorkerRun[];
  ratioInProcess: number;
  ratioWorker: number;
  ratioInProcessToDigestScan: number;
  incremental: {
    edits: number;
    median: number;
    p95: number;
    max: number;
    byKind: Record<string, { edits: number; median: number; p95: number }>;
    runsMs: number[];
    /** The rescore of the networks each edit touched, alone (rolled back: no commit). */
    rescoreOnly: { median: number; p95: number; max: number; runsMs: number[] };
  };
  workerMinLinks: number;
  workerMinNetworks: number;
  loadAverage: { start: number[]; end: number[] };
  /** For the grid benchmark: the vault, left locked, with every score stored as of `today`. */
  handoff: { dir: string; path: string; stateDir: string; userName: string; passphrase: string; today: string; now: string };
}

/**
 * The event loop's longest stall while `job` runs: what a user would have felt as a frozen window.
 * The job resolves in the same turn as its final write, so the monitor keeps sampling a little
 * longer: otherwise that write's stall would never be seen.
 */
async function withBlockMonitor<T>(job: () => Promise<T>): Promise<{ value: T; maxBlockMs: number; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  try {
    const r = await timedAsync(job);
    await new Promise((done) => setTimeout(done, 50));
    return { value: r.value, ms: r.ms, maxBlockMs: round(h.max / 1e6) };
  } finally {
    h.disable();
  }
}

const workerRun = (r: FullRescoreResult, ms: number, maxBlockMs: number): WorkerRun => ({
  totalMs: round(ms),
  startMs: round(r.timings.workerStartMs ?? 0),
  loadMs: round(r.timings.workerLoadMs ?? 0),
  scoreMs: round(r.timings.workerScoreMs ?? 0),
  writeMs: round(r.timings.writeMs),
  mainThreadMaxBlockMs: maxBlockMs,
  changed: r.changed,
});

export async function benchRescore(opts: RescoreOptions, scale: ScaleName, workDir: string): Promise<RescoreResult> {
  const loadStart = loadavgNow();
  const dir = mkdtempSync(join(workDir, `rescore-${scale}-`));
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { recursive: true });
  const today = DEFAULT_AS_OF;
  // 10:00 BST on the as-of day, fixed: "today" is the day the synthetic records are current to.
  const now = `${today}T09:00:00.000Z`;
  const ctx: AppContext = { stateDir, documentsDir: dir, now: () => new Date(now), kdfCost: SCRYPT_TEST, appVersion: 'bench' };
  const s = new Session(ctx);
  const path = join(dir, `${scale}.hmvault`);
  createVault(s, { path, adminName: USERS.admin.name, passphrase: USERS.admin.passphrase });
  users.add(s, { name: USERS.analyst.name, role: 'analyst', passphrase: USERS.analyst.passphrase });
  const supervisor = users.add(s, { name: USERS.supervisor.name, role: 'supervisor', passphrase: USERS.supervisor.passphrase });

  console.log(`\nRescore, ${scale} scale: writing the synthetic register into an encrypted vault…`);
  const db0 = s.vault!.db;
  const populated = timed(() =>
    populateMatrix(db0, {
      scale,
      seed: opts.seed,
      asOf: today,
      authorId: s.user!.id,
      approverId: supervisor.id,
      onProgress: (what, done, total) => process.stderr.write(`\r  ${what}: ${fmtInt(done)} of ${fmtInt(total)}        `),
    }),
  );
  process.stderr.write('\n');
  db0.pragma('wal_checkpoint(TRUNCATE)');
  const pageCount = db0.pragma('page_count', { simple: true }) as number;
  lock(s, 'manual');
  const fileMiB = round(statSync(path).size / 2 ** 20);

  // Unlock as the analyst, with the page cache cold: no score is stored yet, so the unlock starts
  // the daily rescore, in the worker at this size. Joining it (same day, same kind) awaits it.
  const u = timed(() => unlock(s, { userName: USERS.analyst.name, passphrase: USERS.analyst.passphrase }));
  if (!rescoreStatus(s).isRunning) throw new Error(`The daily rescore did not start in the worker at unlock (no digest is built yet and the vault has more than ${fmtInt(WORKER_MIN_LINKS)} links).`);
  const daily = await withBlockMonitor(() => fullRescore(s, { asOf: today, kind: 'daily' }));
  const dailyCold = workerRun(daily.value, daily.ms + u.ms, daily.maxBlockMs);

  const db = s.vault!.db;
  const stored = {
    scores: db.prepare('SELECT count(*) FROM network_scores').pluck().get() as number,
    historyRows: db.prepare('SELECT count(*) FROM score_history').pluck().get() as number,
  };
  const scanStmt = db.prepare(RAW_OFFENCE_SCAN_SQL).raw();
  const rawScan = (): number => {
    let n = 0;
    for (const _ of scanStmt.iterate()) n++;
    return n;
  };
  const digestScanStmts = ['scoring_digest_offences', 'scoring_digest_intelligence', 'scoring_digest_ratings'].map((t) => db.prepare(`SELECT * FROM ${t}`).raw());
  const digestScan = (): number => {
    let n = 0;
    for (const st of digestScanStmts) for (const _ of st.iterate()) n++;
    return n;
  };
  const digestBytes = db
    .prepare(
      `SELECT (SELECT coalesce(sum(length(categories) + length(offences)), 0) FROM scoring_digest_offences)
            + (SELECT coalesce(sum(coalesce(length(held_source), 0) + 24), 0) FROM scoring_digest_intelligence)
            + (SELECT coalesce(sum(length(ratings) + coalesce(length(support_source), 0) + 24), 0) FROM scoring_digest_ratings)`,
    )
    .pluck()
    .get() as number;

  // Warm: one of each first, not counted; then `repeats` rounds, the order turning each round.
  // Each rescore is as of a different day, so every decayed score moves and history rows are
  // written, as in a daily rescore.
  let day = 0;
  const nextDay = (): string => addDays(today, ++day);
  rawScan();
  digestScan();
  await fullRescore(s, { asOf: nextDay(), mode: 'inline' });
  await fullRescore(s, { asOf: nextDay(), mode: 'worker' });
  const scanRuns: number[] = [];
  const digestScanRuns: number[] = [];
  let rawScanRows = 0;
  const inProcessRuns: { totalMs: number; changed: number }[] = [];
  const workerRuns: WorkerRun[] = [];
  const parts = {
    scan: async () => {
      const r = timed(rawScan);
      rawScanRows = r.value;
      scanRuns.push(r.ms);
      digestScanRuns.push(timed(digestScan).ms);
    },
    inProcess: async () => {
      const r = timed(() => M.rescoreAll(s, nextDay()));
      inProcessRuns.push({ totalMs: round(r.ms), changed: r.value.changed });
    },
    worker: async () => {
      const r = await withBlockMonitor(() => fullRescore(s, { asOf: nextDay(), mode: 'worker' }));
      workerRuns.push(workerRun(r.value, r.ms, r.maxBlockMs));
    },
  };
  const order = ['scan', 'inProcess', 'worker'] as const;
  for (let i = 0; i < opts.repeats; i++) {
    const turn = [...order.slice(i % 3), ...order.slice(0, i % 3)];
    for (const p of turn) await parts[p]();
    process.stderr.write(`\r  full rescore round ${i + 1} of ${opts.repeats}   `);
  }
  process.stderr.write('\n');

  // Where the in-process time goes: reading the digests, scoring them, and the write (the rest of
  // rescoreAll); what building every digest from the rows costs; and the explaining path.
  const table = weightTable();
  const loadRuns: number[] = [];
  const scoreRuns: number[] = [];
  const buildRuns: number[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    const asOf = nextDay();
    const l = timed(() => loadDigests(db, null, false));
    loadRuns.push(l.ms);
    scoreRuns.push(
      timed(() => {
        const score = digestScorer(asOf, table);
        const overrides = loadOverrides(db, null, asOf);
        for (const [id, d] of l.value.digests) score(d, overrides.get(id) ?? null);
      }).ms,
    );
    // At national scale each build is most of a minute: once is enough.
    if (scale !== 'national' || i === 0) {
      buildRuns.push(
        timed(() => {
          buildOffenceParts(db, null);
          buildIntelligenceParts(db, null);
          buildRatingParts(db, null);
        }).ms,
      );
    }
  }
  // The explaining path once (the rows read, then scored with every explanation), and the same
  // inputs through the validating entry point (zod), once: what digests and the trusted entry save.
  // Not at national scale: it holds every network's rows as objects at once (some 4.7 million
  // offences), which is what digests exist to avoid.
  let rowsLoad = { ms: Number.NaN };
  let rowsScoreMs = Number.NaN;
  let zodMs = Number.NaN;
  if (scale !== 'national') {
    const rowsAsOf = nextDay();
    const l = timed(() => loadScoringInputs(db, null, rowsAsOf, table));
    rowsLoad = { ms: l.ms };
    rowsScoreMs = timed(() => {
      for (const input of l.value.values()) scoreTrustedInput(input);
    }).ms;
    zodMs = timed(() => {
      for (const input of l.value.values()) scoreNetwork(input);
    }).ms;
    // Let every input go before the edits are timed: keeping half a million offence objects alive
    // would make the incremental timings pay for garbage collection the app never has.
    l.value.clear();
  }
  const inProcess = stats(inProcessRuns.map((r) => r.totalMs));
  const load = stats(loadRuns);
  const score = stats(scoreRuns);
  const write = stats(inProcessRuns.map((r, i) => Math.max(0, r.totalMs - (loadRuns[i] ?? load.medianMs) - (scoreRuns[i] ?? score.medianMs))));

  // Incremental: edits through the service, as the analyst. Half change an offence's stage (which
  // rescores every network the offence is linked to), half set a rating with a supporting item.
  const r = rng(`${opts.seed}/edits`);
  const linked = db.prepare("SELECT offence_id FROM offence_links WHERE status = 'confirmed' ORDER BY id").pluck().all() as string[];
  const networkIds = db.prepare('SELECT id FROM networks ORDER BY id').pluck().all() as string[];
  const heldBy = db.prepare('SELECT intel_id FROM network_intelligence WHERE network_id = ? LIMIT 3').pluck();
  const stages = ['convicted', 'charged', 'arrested', 'intelligence', 'nfa', 'acquitted'] as const;
  const dims = ['physical', 'psychological', 'financial', 'community_impact', 'victim_vulnerability'] as const;
  const editRuns: { kind: string; ms: number; rescoreMs: number }[] = [];
  const warmUp = 10;
  // The networks each edit rescored (the service tells the rescore listeners), so the rescore can
  // also be timed on its own: read, score and save those networks in a transaction rolled back,
  // without the edit itself, its audit entry and the durable commit.
  let rescored: readonly string[] = [];
  const stopListening = onRescore((_db, ids) => void (rescored = ids ?? []));
  for (let i = 0; i < opts.edits + warmUp; i++) {
    const isStage = i % 2 === 0;
    const ms = isStage
      ? timed(() => M.setOffenceStage(s, r.pick(linked), r.pick(stages))).ms
      : (() => {
          const networkId = r.pick(networkIds);
          const intelIds = heldBy.all(networkId) as string[];
          return timed(() => M.rateNetwork(s, { networkId, kind: 'assessed', dimension: r.pick(dims), value: r.int(0, 4), intelIds })).ms;
        })();
    const ids = [...rescored];
    db.exec('BEGIN');
    // As the edit's own rescore found them: the parts the edit made stale are gone, so they are
    // built again from the rows, stored, scored and saved.
    const gone = JSON.stringify(ids);
    db.prepare(`DELETE FROM ${isStage ? 'scoring_digest_offences' : 'scoring_digest_ratings'} WHERE network_id IN (SELECT value FROM json_each(?))`).run(gone);
    const rescoreMs = timed(() => rescoreNetworks(db, ids, today, new Date(now))).ms;
    db.exec('ROLLBACK');
    if (i >= warmUp) editRuns.push({ kind: isStage ? 'offence stage changed' : 'assessed rating set', ms, rescoreMs });
  }
  stopListening();
  const all = editRuns.map((e) => e.ms);
  const rescoreOnly = editRuns.map((e) => e.rescoreMs);
  const byKind: RescoreResult['incremental']['byKind'] = {};
  for (const kind of new Set(editRuns.map((e) => e.kind))) {
    const runs = editRuns.filter((e) => e.kind === kind).map((e) => e.ms);
    byKind[kind] = { edits: runs.length, median: stats(runs).medianMs, p95: percentile(runs, 0.95) };
  }

  // Leave every score stored as of today for the grid benchmark (the matrix then reads stored
  // scores, as it does on an ordinary day), and the vault locked.
  M.rescoreAll(s, today);
  const counts = { ...populated.value, stored };
  lock(s, 'manual');

  const scan = stats(scanRuns);
  const worker = stats(workerRuns.map((w) => w.totalMs));
  return {
    scale,
    counts,
    fileMiB,
    pageCount,
    populateMs: round(populated.ms),
    unlockMs: round(u.ms),
    dailyCold,
    rawScan: scan,
    rawScanRows,
    digestScan: stats(digestScanRuns),
    digestBytes,
    inProcess,
    inProcessRuns,
    breakdown: { load, score, write, build: stats(buildRuns), rowsLoadOnceMs: round(rowsLoad.ms), rowsScoreOnceMs: round(rowsScoreMs), scoreValidatedOnceMs: round(zodMs) },
    worker,
    workerRuns,
    ratioInProcess: round(inProcess.medianMs / scan.medianMs),
    ratioWorker: round(worker.medianMs / scan.medianMs),
    ratioInProcessToDigestScan: round(inProcess.medianMs / stats(digestScanRuns).medianMs),
    incremental: {
      edits: all.length,
      median: stats(all).medianMs,
      p95: percentile(all, 0.95),
      max: stats(all).maxMs,
      byKind,
      runsMs: all.map(round),
      rescoreOnly: { median: stats(rescoreOnly).medianMs, p95: percentile(rescoreOnly, 0.95), max: stats(rescoreOnly).maxMs, runsMs: rescoreOnly.map(round) },
    },
    workerMinLinks: WORKER_MIN_LINKS,
    workerMinNetworks: WORKER_MIN_NETWORKS,
    loadAverage: { start: loadStart, end: loadavgNow() },
    handoff: { dir, path, stateDir, userName: USERS.analyst.name, passphrase: USERS.analyst.passphrase, today, now },
  };
}

function loadavgNow(): number[] {
  return loadavg().map((x) => round(x));
}

export function printRescore(r: RescoreResult): void {
  const c = r.counts;
  console.log(
    `\nFull rescore, ${r.scale} scale: ${fmtInt(c.networks)} networks, ${fmtInt(c.offences)} offences, ${fmtInt(c.offenceLinks)} offence links ` +
      `(${fmtInt(c.confirmedLinks)} confirmed), ${fmtInt(c.intelligence)} intelligence items, ${fmtInt(c.ratings)} ratings; vault ${r.fileMiB} MiB ` +
      `(${fmtInt(r.pageCount)} pages); written in ${fmtMs(r.populateMs)}. Load average ${r.loadAverage.start.join(', ')} → ${r.loadAverage.end.join(', ')}.`,
  );
  const goal = r.scale === 'force' ? `< ${fmtMs(FORCE_GOAL_MS)}` : '–';
  const ratio = (x: number): string => `${x.toFixed(2)}×`;
  const d = r.dailyCold;
  printTable(
    ['measure', 'median', 'min', 'max', 'vs scan', 'goal'],
    [
      [`plain scan of the same offence rows (${fmtInt(r.rawScanRows)} rows)`, fmtMs(r.rawScan.medianMs), fmtMs(r.rawScan.minMs), fmtMs(r.rawScan.maxMs), '1.00×', '–'],
      [`plain scan of the digest rows a rescore reads (${fmtInt(r.counts.networks * 3)} rows, ${fmtInt(Math.round(r.digestBytes / 1024))} KiB)`, fmtMs(r.digestScan.medianMs), fmtMs(r.digestScan.minMs), fmtMs(r.digestScan.maxMs), ratio(r.digestScan.medianMs / r.rawScan.medianMs), '–'],
      ['full rescore, in process (rescoreAll)', fmtMs(r.inProcess.medianMs), fmtMs(r.inProcess.minMs), fmtMs(r.inProcess.maxMs), ratio(r.ratioInProcess), `${goal}, ≤ ${RATIO_GOAL}×`],
      ['  read the digests (loadDigests)', fmtMs(r.breakdown.load.medianMs), fmtMs(r.breakdown.load.minMs), fmtMs(r.breakdown.load.maxMs), '', ''],
      ['  score them (digestScorer, with the overrides read)', fmtMs(r.breakdown.score.medianMs), fmtMs(r.breakdown.score.minMs), fmtMs(r.breakdown.score.maxMs), '', ''],
      ['  the rest: write scores and history, audit', fmtMs(r.breakdown.write.medianMs), fmtMs(r.breakdown.write.minMs), fmtMs(r.breakdown.write.maxMs), '', ''],
      [`  ratio to the digest scan`, '', '', '', ratio(r.ratioInProcessToDigestScan), ''],
      ['build every digest from the rows (a vault without digests), not stored', fmtMs(r.breakdown.build.medianMs), fmtMs(r.breakdown.build.minMs), fmtMs(r.breakdown.build.maxMs), ratio(r.breakdown.build.medianMs / r.rawScan.medianMs), ''],
      ['the explaining path, once: read the rows (loadScoringInputs)', fmtMs(r.breakdown.rowsLoadOnceMs), '', '', '', ''],
      ['  score them with explanations (scoreTrustedInput)', fmtMs(r.breakdown.rowsScoreOnceMs), '', '', '', ''],
      ['  the same through the validating entry point (zod)', fmtMs(r.breakdown.scoreValidatedOnceMs), '', '', '', ''],
      ['full rescore, worker (request to stored)', fmtMs(r.worker.medianMs), fmtMs(r.worker.minMs), fmtMs(r.worker.maxMs), ratio(r.ratioWorker), '–'],
      ...(['startMs', 'loadMs', 'scoreMs', 'writeMs', 'mainThreadMaxBlockMs'] as const).map((k) => {
        const runs = stats(r.workerRuns.map((w) => w[k]));
        const label = { startMs: '  start the worker, open the vault', loadMs: '  read (worker)', scoreMs: '  score (worker)', writeMs: '  write (main thread, one transaction)', mainThreadMaxBlockMs: '  longest main-thread stall meanwhile' }[k];
        return [label, fmtMs(runs.medianMs), fmtMs(runs.minMs), fmtMs(runs.maxMs), '', k === 'mainThreadMaxBlockMs' ? '≈ 100 ms' : ''];
      }),
      ['daily rescore at unlock, cold cache, no digests yet (worker, unlock to stored)', fmtMs(d.totalMs), '', '', '', '–'],
      [`  unlock call (returns while the worker runs)`, fmtMs(r.unlockMs), '', '', '', ''],
      ['  longest main-thread stall meanwhile', fmtMs(d.mainThreadMaxBlockMs), '', '', '', ''],
    ],
  );
  const inc = r.incremental;
  console.log(`\nIncremental rescore, ${r.scale} scale: ${inc.edits} edits through the services (after 10 not counted)`);
  printTable(
    ['edit', 'edits', 'median', '95th percentile', 'goal'],
    [
      ['all', String(inc.edits), fmtMs(inc.median), fmtMs(inc.p95), `< ${INCREMENTAL_GOAL_MS} ms`],
      ...Object.entries(inc.byKind).map(([k, v]) => [k, String(v.edits), fmtMs(v.median), fmtMs(v.p95), '']),
      ['the rescore alone (digest part rebuilt, read, score, save; no commit)', String(inc.edits), fmtMs(inc.rescoreOnly.median), fmtMs(inc.rescoreOnly.p95), ''],
    ],
  );
}
