/**
 * The full rescore at a scale whose rows take too long to write here (national: 5,000,000
 * offences; BENCHMARKS.md, "National scale"): a real vault holding the networks and, for each, the
 * three scoring-digest parts built from the synthetic register in memory, but not the offence,
 * link and intelligence rows themselves. A full rescore on an ordinary day reads only digests and
 * band overrides, so this times exactly that: in process, the summaries alone (the as-of view),
 * and through the worker, against a plain scan of the digest rows.
 *
 * What it cannot time, because the rows are not there: building digests from the rows, the
 * explaining path, and edits. The offences are `bench/synthetic.ts`'s, every one confirmed for
 * its network; the intelligence and ratings parts are drawn from their own stream with the rescore
 * benchmark's proportions (80 % of networks rated; items from about a tenth as many sources).
 */
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { addDays, toEpochDay } from '../preload/contract/dates';
import { buildDigestOffences, buildDigestRatings, itemSpan, type ItemSource, type OffenceSource, type RatingSource } from '../main/domain/scoring-digest';
import type { AppContext } from '../main/services/context';
import * as M from '../main/services/matrix.service';
import { fullRescore } from '../main/services/rescore-job';
import { computeScoreSummaries } from '../main/services/scoring.service';
import { Session } from '../main/services/session';
import * as users from '../main/services/users.service';
import { createVault, lock, unlock } from '../main/services/vault.service';
import { saveDigestParts, type BuiltParts } from '../main/store/digests.repo';
import { NETWORK_COLUMNS } from '../main/store/networks.repo';
import { SCRYPT_TEST } from '../main/vault/crypto';
import { syntheticId } from './matrix-data';
import { fmtInt, fmtMs, printTable, round, stats, timed, timedAsync, type Stats } from './measure';
import { DEFAULT_AS_OF, rng, SCALES, syntheticNetworks, syntheticOffences, type ScaleName } from './synthetic';

const ASSESSED = ['physical', 'psychological', 'financial', 'community_impact', 'victim_vulnerability'] as const;
const CAPABILITY = ['firearms', 'violence_intimidation', 'corruption_insider_access', 'financial_capacity', 'resilience_reach'] as const;

export interface DigestsOnlyResult {
  scale: ScaleName;
  networks: number;
  offences: number;
  digestBytes: number;
  fileMiB: number;
  writeMs: number;
  digestScan: Stats;
  inProcess: Stats;
  summaries: Stats;
  worker: Stats;
  workerStallMs: Stats;
  workerWriteMs: Stats;
  loadAverage: { start: number[]; end: number[] };
}

export async function benchDigestsOnly(opts: { seed: string; repeats: number }, scale: ScaleName, workDir: string): Promise<DigestsOnlyResult> {
  const start = loadavg().map(round);
  const dir = mkdtempSync(join(workDir, `digests-${scale}-`));
  mkdirSync(join(dir, 'state'));
  const now = `${DEFAULT_AS_OF}T09:00:00.000Z`;
  const ctx: AppContext = { stateDir: join(dir, 'state'), documentsDir: dir, now: () => new Date(now), kdfCost: SCRYPT_TEST, appVersion: 'bench' };
  const s = new Session(ctx);
  const path = join(dir, `${scale}.hmvault`);
  createVault(s, { path, adminName: 'Morgan Keel', passphrase: 'benchmark vault: tidal orchard 4417 lantern' });
  users.add(s, { name: 'Rowan Hale', role: 'analyst', passphrase: 'benchmark vault: copper heron 2281 meadow' });
  const db = s.vault!.db;
  const size = SCALES[scale];

  console.log(`\nFull rescore from digests alone, ${scale} scale: building ${fmtInt(size.offences)} offences' digests in memory…`);
  const root = rng(opts.seed);
  const nets = syntheticNetworks(root, size.networks);
  const offences = new Map<number, OffenceSource>(nets.map((n) => [n.id, []]));
  for (const o of syntheticOffences({ seed: opts.seed, networks: size.networks, offences: size.offences, asOf: DEFAULT_AS_OF })) {
    offences.get(o.networkId)!.push({ id: syntheticId('offence', o.id), category: o.category, day: toEpochDay(o.offenceDate), stage: o.stage, weapon: o.weapon });
  }
  const r = root.fork('digests-only');
  const sources = Math.max(10, Math.floor(size.intelligenceItems / 10));
  const day = (): number => toEpochDay(DEFAULT_AS_OF) - r.int(0, 3 * 365);
  const items = (k: number): ItemSource => Array.from({ length: k }, (_, i) => ({ id: `i${i}`, sourceId: `SRC-${r.int(1, sources)}`, day: day() }));
  const built: BuiltParts = { offences: [], intelligence: [], ratings: [] };
  const write = timed(() => {
    const insNetwork = db.prepare(NETWORK_COLUMNS.sql);
    const flush = (): void => {
      db.transaction(() => saveDigestParts(db, built)).immediate();
      built.offences.length = built.intelligence.length = built.ratings.length = 0;
    };
    db.transaction(() => {
      for (const n of nets) {
        insNetwork.run(syntheticId('network', n.id), `SYN-N-${String(n.id).padStart(6, '0')}`, `Synthetic network ${n.id}`, '', 'gang', 'definitions-1', 'active', n.leadBorough, 'SCD', '', '', now, null, null, addDays(DEFAULT_AS_OF, 200));
      }
    }).immediate();
    for (const n of nets) {
      const id = syntheticId('network', n.id);
      built.offences.push([id, buildDigestOffences(offences.get(n.id)!)]);
      offences.delete(n.id);
      // About 40 items held per network on average at every scale (200,000 / 5,000), by activity.
      built.intelligence.push([id, itemSpan(items(Math.min(400, Math.round(40 * n.activity))))]);
      const ratings: RatingSource = new Map();
      if (r.bool(0.8)) {
        for (const d of ASSESSED) ratings.set(`assessed:${d}`, { value: r.int(0, 4), supportedFrom: r.bool(0.6) ? day() : null });
        for (const d of CAPABILITY) ratings.set(`capability:${d}`, { value: r.int(0, 3), supportedFrom: null });
      }
      built.ratings.push([id, buildDigestRatings(ratings, items(r.int(0, 3)))]);
      if (built.offences.length >= 2_000) flush();
    }
    flush();
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  lock(s, 'manual');
  unlock(s, { userName: 'Rowan Hale', passphrase: 'benchmark vault: copper heron 2281 meadow' });
  // The unlock's daily rescore (in the worker at this size): joined, not counted.
  await fullRescore(s, { asOf: DEFAULT_AS_OF, kind: 'daily' });
  const vdb = s.vault!.db;
  const digestBytes = vdb.prepare('SELECT sum(length(offences) + length(categories)) FROM scoring_digest_offences').pluck().get() as number;
  const scans = ['scoring_digest_offences', 'scoring_digest_intelligence', 'scoring_digest_ratings'].map((t) => vdb.prepare(`SELECT * FROM ${t}`).raw());
  const scan = (): void => {
    for (const st of scans) for (const _ of st.iterate()) void _;
  };

  let asOfNo = 0;
  const next = (): string => addDays(DEFAULT_AS_OF, ++asOfNo);
  const runs = { scan: [] as number[], inProcess: [] as number[], summaries: [] as number[], worker: [] as number[], stall: [] as number[], write: [] as number[] };
  scan();
  M.rescoreAll(s, next());
  for (let i = 0; i < opts.repeats; i++) {
    runs.scan.push(timed(scan).ms);
    runs.inProcess.push(timed(() => M.rescoreAll(s, next())).ms);
    runs.summaries.push(timed(() => computeScoreSummaries(vdb, null, next())).ms);
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const w = await timedAsync(() => fullRescore(s, { asOf: next(), mode: 'worker' }));
    await new Promise((done) => setTimeout(done, 50));
    h.disable();
    runs.worker.push(w.ms);
    runs.stall.push(h.max / 1e6);
    runs.write.push(w.value.timings.writeMs);
    process.stderr.write(`\r  round ${i + 1} of ${opts.repeats}   `);
  }
  process.stderr.write('\n');
  lock(s, 'manual');
  return {
    scale,
    networks: nets.length,
    offences: size.offences,
    digestBytes,
    fileMiB: round(statSync(path).size / 2 ** 20),
    writeMs: round(write.ms),
    digestScan: stats(runs.scan),
    inProcess: stats(runs.inProcess),
    summaries: stats(runs.summaries),
    worker: stats(runs.worker),
    workerStallMs: stats(runs.stall),
    workerWriteMs: stats(runs.write),
    loadAverage: { start, end: loadavg().map(round) },
  };
}

export function printDigestsOnly(x: DigestsOnlyResult): void {
  console.log(
    `\nFull rescore from digests alone, ${x.scale} scale: ${fmtInt(x.networks)} networks, ${fmtInt(x.offences)} offences packed (${fmtInt(Math.round(x.digestBytes / 1024))} KiB), ` +
      `vault ${x.fileMiB} MiB, digests written in ${fmtMs(x.writeMs)}; the offence, link and intelligence rows are not written. Load average ${x.loadAverage.start.join(', ')} → ${x.loadAverage.end.join(', ')}.`,
  );
  const row = (label: string, st: Stats, vsScan = true): string[] => [label, fmtMs(st.medianMs), fmtMs(st.minMs), fmtMs(st.maxMs), vsScan ? `${(st.medianMs / x.digestScan.medianMs).toFixed(2)}×` : ''];
  printTable(
    ['measure', 'median', 'min', 'max', 'vs digest scan'],
    [
      row(`plain scan of the digest rows (${fmtInt(x.networks * 3)} rows)`, x.digestScan),
      row('full rescore, in process (rescoreAll)', x.inProcess),
      row('scores without storing (the as-of view: computeScoreSummaries)', x.summaries),
      row('full rescore, worker (request to stored)', x.worker),
      row('  write (main thread, one transaction)', x.workerWriteMs, false),
      row('  longest main-thread stall meanwhile', x.workerStallMs, false),
    ],
  );
}
